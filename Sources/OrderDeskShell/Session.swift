import Foundation
import OrderDeskCore
import OrderDeskStore

/// Runs command lines against a store: parse, check against the current state, confirm, commit.
///
/// The same session serves the live shell (with a prompter) and batch runs (without).
public final class Session {
    let store: any OrderStore
    let console: any Console
    let agent: String
    let clock: () -> Timestamp
    let utcOffset: Int
    let style: Style
    /// Asks questions in the live shell; nil in a batch.
    var prompter: (any Prompter)?
    var history: () -> [String] = { [] }
    var sourceDepth = 0
    /// Where `source` looks for a file named without a directory (practice: the lesson's folder);
    /// nil for the working directory.
    var sourceFolder: String?
    /// Say "2 changes by bob since your last command" before running a line (the live shell).
    var announcesNews = false
    /// Set in a resumable run (`orderdesk run`, stdin batches): `source`d scripts record their
    /// lines and skip those done before too, unless `again`.
    var resume: (again: Bool, committedEarlier: (_ agent: String) throws(OrderDeskError) -> [String: Timestamp])?
    var presenter: Presenter { Presenter(console: console, style: style) }
    /// Why nothing is ever sent from this session (`demo store`, `practice sandbox`, `dry run`);
    /// its notices are held. nil where notices are delivered.
    var mailHold: String?
    /// The notice templates: the built-in ones, with the store's `templates/` folder over them.
    var templates: Result<NoticeTemplates, TemplateProblem> = .success(.builtIn)
    /// Set while a batch writes a group: its notices are delivered after the group is saved.
    var deliversLater = false
    /// Delivers a batch's notices in the background (see ``Courier``); nil outside batches.
    var courier: Courier?
    var postman: Postman { Postman(store: store, agent: agent, clock: clock, hold: mailHold) }

    /// What one line came to.
    public struct LineResult {
        /// Text for stdout, if any.
        public var output: String?
        /// The events committed.
        public var events: [Event] = []
        public var error: OrderDeskError?
        public var quit = false
        /// The error was already printed (by a sourced script, with its file and line).
        public var reported = false

        var failed: Bool { error != nil }
    }

    public init(
        store: any OrderStore, console: any Console, agent: String, clock: @escaping () -> Timestamp, utcOffset: Int,
        style: Style, prompter: (any Prompter)? = nil
    ) {
        self.store = store
        self.console = console
        self.agent = agent
        self.clock = clock
        self.utcOffset = utcOffset
        self.style = style
        self.prompter = prompter
    }

    func context(interactive: Bool, prettyJSON: Bool) -> Context {
        var context = Context(
            now: clock(), agent: agent, utcOffset: utcOffset, style: style, interactive: interactive, prettyJSON: prettyJSON
        ).withShopifyCSV()
        context.notices = NoticeSetup(templates: templates, hold: mailHold)
        return context
    }

    /// Runs one line. Interactive lines may ask questions; batch lines never do.
    public func execute(_ line: String, interactive: Bool, prettyJSON: Bool = true) -> LineResult {
        do throws(OrderDeskError) {
            guard let command = try Command.parse(line) else { return LineResult() }
            return execute(command, interactive: interactive, prettyJSON: prettyJSON)
        } catch {
            return LineResult(error: error)
        }
    }

    /// Runs one parsed command: catch up once, run, ask what only the agent can answer, commit.
    ///
    /// The core decides; this only carries its questions to the agent and its plans to the store.
    /// A question or a change of choice in the preview gives the command again, which runs again
    /// against the state in memory; the commit decides once more under the store's lock.
    func execute(_ command: Command, interactive: Bool, prettyJSON: Bool = true, batch: BatchOrigin? = nil) -> LineResult {
        do throws(OrderDeskError) {
            // Catch up with other agents' changes first, so reads see their work too.
            let news = try store.refresh()
            if announcesNews { presenter.news(news) }
            let live = interactive ? prompter : nil
            let context = context(interactive: live != nil, prettyJSON: prettyJSON)
            let sources = Sources(auditLog: { [store] () throws(OrderDeskError) in try store.auditLog() }, history: history)
            var command = command
            while true {
                switch try Desk.run(command, state: store.state, context: context, sources: sources) {
                case .output(let text):
                    return LineResult(output: text)
                case .quit:
                    return LineResult(quit: true)
                case .source(let path):
                    return source(path)
                case .send(let ids):
                    return LineResult(output: sendNotices(ids))
                case .ask(let question):
                    guard let live else { throw question.unanswered }
                    guard let answer = Dialog(console: console, prompter: live, presenter: presenter).ask(question) else {
                        return LineResult(output: "Nothing changed.")
                    }
                    command = question.answer(answer)
                case .change(let plan):
                    if plan.dryRun {
                        return LineResult(output: plan.preview + "\n" + style.dim("Dry run: nothing changed."))
                    }
                    if plan.confirm, let live {
                        switch Dialog(console: console, prompter: live, presenter: presenter).confirm(plan) {
                        case .confirmed: break
                        case .declined: return LineResult(output: "Nothing changed.")
                        case .revised(let revised):
                            command = revised
                            continue
                        }
                    }
                    let events = try store.commit(agent: agent, now: context.now, batch: batch) { state throws(OrderDeskError) in
                        try plan.decide(state)
                    }
                    var output = plan.done(store.state, events)
                    if !deliversLater, let note = deliver(events) { output += "\n" + note }
                    return LineResult(output: output, events: events)
                }
            }
        } catch {
            return LineResult(error: error)
        }
    }

    /// Delivers the notices these events queued, right after their commit (the live shell, and
    /// lines run one by one), and says what came of each; nil when they queued none.
    func deliver(_ events: [Event]) -> String? {
        let triaged = triage(events)
        var notes = triaged.notes
        if !triaged.jobs.isEmpty {
            let results = Postman.runAll(triaged.jobs, parallel: postman.parallel)
            for note in postman.record(triaged.jobs, results) { notes[note.id] = "Notice \(note.id) \(note.text)." }
        }
        let said = events.compactMap { $0.change.notice.flatMap { notes[$0.id] } }
        return said.isEmpty ? nil : said.joined(separator: "\n")
    }

    /// The notices these events queued: what can be said of them now (held here, not
    /// deliverable, or nothing can be sent: `mail-from` unset), by notice id, and the messages
    /// to send.
    func triage(_ events: [Event]) -> (notes: [Int64: String], jobs: [Postman.Job]) {
        let notices = events.compactMap(\.change.notice)
        var notes: [Int64: String] = [:]
        for n in notices where n.status == .held || n.status == .undeliverable {
            notes[n.id] = "Notice \(n.id) not sent: \(Sanitizer.clean(n.reason ?? "")); kept in the outbox."
        }
        let queued = notices.filter { $0.status == .queued }.map(\.id)
        guard !queued.isEmpty else { return (notes, []) }
        let (jobs, blocked) = postman.prepare(queued)
        for note in blocked { notes[note.id] = "Notice \(note.id) \(note.text)." }
        return (notes, jobs)
    }

    /// A batch's group is saved and reported: its messages start on their way in the
    /// background; the outcomes of those already delivered are recorded now, and said.
    func dispatch(_ jobs: [Postman.Job]) -> [String] {
        if let courier {
            courier.send(jobs)
        } else if !jobs.isEmpty {
            let results = Postman.runAll(jobs, parallel: postman.parallel)
            return postman.record(jobs, results).map { "Notice \($0.id) \($0.text)." }
        }
        return collectDeliveries(wait: false)
    }

    /// Records the outcomes of the background deliveries finished so far (all, with `wait`).
    func collectDeliveries(wait: Bool) -> [String] {
        guard let courier else { return [] }
        var lines: [String] = []
        for (jobs, results) in courier.take(wait: wait) {
            lines += postman.record(jobs, results).map { "Notice \($0.id) \($0.text)." }
        }
        return lines
    }

    /// `outbox send`: hands the chosen notices to the mail command and says what came of each.
    func sendNotices(_ ids: [Int64]) -> String {
        guard !ids.isEmpty else { return "Nothing to send: no queued or failed notice is due." }
        let notes = postman.deliver(ids)
        guard !notes.isEmpty else { return "Nothing to send: those notices are not waiting." }
        let sent = notes.filter(\.sent).count
        let head = "\(sent) of \(notes.count) notice\(notes.count == 1 ? "" : "s") sent."
        return ([head] + notes.map { "  \($0.id): \($0.text)" }).joined(separator: "\n")
    }

    /// `source FILE`: the file's lines with batch rules, stopping at the first failure.
    func source(_ path: String) -> LineResult {
        guard sourceDepth < 8 else {
            return LineResult(error: .fileUnreadable(path: path, reason: "scripts source each other too deeply (more than 8 levels)"))
        }
        let reader: LineReader
        var opened = path
        if let sourceFolder, !path.contains("/"), path != "-" { opened = sourceFolder + "/" + path }
        do throws(OrderDeskError) { reader = try LineReader.open(opened, shownAs: path) } catch { return LineResult(error: error) }
        sourceDepth += 1
        defer { sourceDepth -= 1 }
        let saved = (prompter, announcesNews)
        (prompter, announcesNews) = (nil, false)
        defer { (prompter, announcesNews) = saved }
        let batch = LineLoop(session: self, options: BatchOptions(again: resume?.again ?? false))
        if let resume {
            batch.resumable = true
            batch.committedEarlier = resume.committedEarlier
        }
        batch.run(reader)
        if let failure = batch.failure { return LineResult(error: failure, reported: true) }
        let skipped = batch.skipped > 0 ? ", \(batch.skipped) skipped (done before)" : ""
        return LineResult(output: style.dim("\(path): \(batch.succeeded) line\(batch.succeeded == 1 ? "" : "s") ran\(skipped)"))
    }

    /// Notes the store raised since the last call (a torn tail cut, a compaction that failed), once each.
    func drainStoreNotes() -> [String] {
        let notes = store.warnings
        if !notes.isEmpty { store.warnings = [] }
        return notes
    }

    static func reason(_ error: any Error) -> String {
        let ns = error as NSError
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        if ns.domain == NSCocoaErrorDomain && ns.code == NSFileReadNoSuchFileError { return "no such file" }
        return ns.localizedDescription
    }
}
