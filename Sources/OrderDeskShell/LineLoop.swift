import Foundation
import OrderDeskCore

/// How a run of lines behaves: stop or keep going, echo lines, JSON lines, progress.
public struct BatchOptions: Sendable {
    public var keepGoing = false
    public var echo = false
    public var json = false
    /// Show progress on stderr (when it is a terminal).
    public var progress = false
    /// Pretty-printed JSON (people at a terminal, practice) rather than one line per document.
    public var prettyJSON = false
    /// Run lines already committed by an earlier run of the same script too (`--again`).
    public var again = false

    public init(
        keepGoing: Bool = false, echo: Bool = false, json: Bool = false, progress: Bool = false, prettyJSON: Bool = false,
        again: Bool = false
    ) {
        self.keepGoing = keepGoing
        self.echo = echo
        self.json = json
        self.progress = progress
        self.prettyJSON = prettyJSON
        self.again = again
    }
}

/// What a caller adds to the loop: lines of its own, seen before the session's (practice's
/// `task`, `hint`, `check`…), and a look at each line the session ran.
struct LineHook {
    enum Interception {
        /// Not the hook's: the session runs the line.
        case pass
        /// The hook dealt with the line.
        case handled
        /// Leave with this exit code.
        case leave(Int32)
    }

    /// Sees each line before the session does, with its place in a script (nil when typed).
    var intercept: (_ line: String, _ place: String?) -> Interception
    /// Sees each line the session ran, with what came of it.
    var ran: (String, Session.LineResult) -> Void = { _, _ in }
}

/// Where a script line is: `orders.txt:12`.
struct LinePlace: CustomStringConvertible {
    var file: String
    var line: Int
    var description: String { "\(file):\(line)" }
}

/// The one line loop of every surface: the live shell, `run` files and stdin, `source`, practice.
///
/// Each line is parsed once, then run by the ``Session`` and reported by the ``Presenter``.
/// Lines typed live may ask questions; lines from a script never do. In a script, consecutive
/// change lines whose successors are already there are committed as a group (one lock, one
/// append, one sync), and only then reported, in order: every line reported done is durable.
final class LineLoop {
    let session: Session
    let options: BatchOptions
    var hook: LineHook?
    private(set) var succeeded = 0
    private(set) var failed = 0
    /// Lines skipped because an earlier run of the same script committed them.
    private(set) var skipped = 0
    /// The last line reported, for where to resume after a stop.
    private(set) var lastReported: String?
    /// Whether changes record their script line and lines done by an earlier run are skipped
    /// (`orderdesk run` and stdin batches; not `source`, practice or the live shell).
    var resumable = false
    /// Where the script lines an agent committed in earlier runs are looked up
    /// (``OrderStore/scriptLinesDone(by:)``), once, when the first change line of a script comes.
    var committedEarlier: (_ agent: String) throws(OrderDeskError) -> [String: Timestamp]
    private var done: [String: Timestamp]?
    private(set) var failure: OrderDeskError?
    private(set) var stoppedAt: String?
    private(set) var quit = false
    /// The exit code a hook asked to leave with.
    private(set) var leaveCode: Int32?

    init(session: Session, options: BatchOptions) {
        self.session = session
        self.options = options
        committedEarlier = { [store = session.store] (agent) throws(OrderDeskError) in try store.scriptLinesDone(by: agent) }
    }

    /// Whether the run must stop: a failure without --keep-going, an unusable store, `quit`, a
    /// hook's leave, or a stop signal.
    var stopped: Bool { stoppedAt != nil || quit || leaveCode != nil || StopSignal.requested }

    /// The most change lines committed together (one lock, one write, one sync). 512: each
    /// group costs a sync and, on a server, a pause while its last part is written and its
    /// lines are reported (256 made a 10,000-line batch on a server about 0.4 s slower), and
    /// another agent waits at most one group (about 0.15 s on a server) for its own change.
    static let groupLimit = 512

    /// Runs a text's lines; returns self for the summary.
    @discardableResult
    func run(name: String, text: String) -> LineLoop {
        run(TextLines(name: name, text: text))
    }

    /// A parsed line waiting in a group.
    private typealias Pending = (number: Int, line: String, command: Command, origin: BatchOrigin?)

    /// Runs lines as they come, until the source ends or the run stops.
    @discardableResult
    func run(_ source: any LineSource) -> LineLoop {
        let live = source.name == nil
        let name = source.name ?? ""
        var number = 0
        var hash = ScriptHash()
        var group: [Pending] = []
        let grouping = !live && session.prompter == nil && hook == nil
        func flush() {
            if !group.isEmpty { runGroup(name: name, group) }
            group = []
        }
        /// Writes the group waiting before it, then reports a line that did not get to run (or
        /// was skipped); false when the run stopped meanwhile.
        func settle(_ line: String, _ report: () -> Void) -> Bool {
            flush()
            guard !stopped else { return false }
            echo(line)
            report()
            return true
        }
        reading: while !stopped {
            if group.isEmpty { for note in session.drainStoreNotes() { session.presenter.note(note) } }
            // Mail waits while lines are there to commit, and goes when the input pauses.
            if source.hasLine() { session.courier?.commitsBegin() } else { session.courier?.commitsEnd() }
            guard let item = source.next() else { break }
            number += 1
            let place = live ? nil : LinePlace(file: name, line: number)
            if options.progress && number % 100 == 0 {
                StandardConsole.write(2, "\r\(name): line \(number)…")
            }
            let line: String
            switch item {
            case .refused(let error):
                hash.add("")
                guard settle("", { report(place: place, line: "", result: Session.LineResult(error: error), notes: []) }) else {
                    break reading
                }
                continue
            case .line(let text):
                line = text
                hash.add(text)
            }
            let origin = resumable && !live ? BatchOrigin(script: name, line: number, hash: hash.hex) : nil
            let tokens: [Tokenizer.Token]
            do throws(OrderDeskError) { tokens = try Tokenizer.tokens(line) } catch {
                guard settle(line, { report(place: place, line: line, result: Session.LineResult(error: error), notes: []) }) else {
                    break reading
                }
                continue
            }
            if tokens.isEmpty { continue }
            if let hook {
                switch hook.intercept(line, place?.description) {
                case .pass: break
                case .handled: continue
                case .leave(let code):
                    leaveCode = code
                    continue
                }
            }
            let command: Command
            do throws(OrderDeskError) { command = try Command.parse(tokens) } catch {
                guard settle(line, { report(place: place, line: line, result: Session.LineResult(error: error), notes: []) }) else {
                    break reading
                }
                continue
            }
            if command.isChange, let origin, let place, !options.again, let earlier = alreadyDone(origin) {
                guard settle(line, { skip(place: place, earlier: earlier) }) else { break reading }
                continue
            }
            if grouping && command.isChange {
                group.append((number, line, command, origin))
                if group.count < Self.groupLimit && source.hasLine() && !StopSignal.requested { continue }
                flush()
                continue
            }
            flush()
            if stopped { break reading }
            echo(line)
            let result = session.execute(command, interactive: live, prettyJSON: options.prettyJSON, batch: origin)
            hook?.ran(line, result)
            report(place: place, line: line, result: result, notes: session.drainStoreNotes())
        }
        flush()
        session.courier?.commitsEnd()
        // The notices still on their way: waited for, and their outcomes recorded.
        deliveryNotes(session.collectDeliveries(wait: true))
        if options.progress && number >= 100 { StandardConsole.write(2, "\r\u{1B}[K") }
        return self
    }

    /// Runs change lines as one group commit, then reports them. When the group cannot be begun
    /// or written, nothing of it was kept: its lines run again one by one, as without grouping.
    private func runGroup(name: String, _ lines: [Pending]) {
        var results: [(number: Int, line: String, result: Session.LineResult, notes: [String])] = []
        let store = session.store
        session.deliversLater = true
        do throws(OrderDeskError) {
            defer { session.deliversLater = false }
            try store.beginGroup()
            for (number, line, command, origin) in lines {
                let result = session.execute(command, interactive: false, prettyJSON: options.prettyJSON, batch: origin)
                results.append((number, line, result, []))
                if let error = result.error, !options.keepGoing || error.isStoreUnusable { break }
            }
            try store.endGroup()
        } catch {
            // A server store whose COMMIT lost its connection, and the server not back in time:
            // the group may have been recorded, so its lines must not run again. The batch stops
            // on the first; the next command looks the group up by its change id and says which.
            if case .commitInDoubt = error {
                for (number, line, _, _) in lines where !stopped {
                    echo(line)
                    report(
                        place: LinePlace(file: name, line: number), line: line, result: Session.LineResult(error: error),
                        notes: session.drainStoreNotes())
                }
                return
            }
            // Nothing of the group was written or acknowledged: run its lines one by one.
            for (number, line, command, origin) in lines where !stopped {
                echo(line)
                let result = session.execute(command, interactive: false, prettyJSON: options.prettyJSON, batch: origin)
                report(place: LinePlace(file: name, line: number), line: line, result: result, notes: session.drainStoreNotes())
            }
            return
        }
        // What can be said of the group's notices now (held, not deliverable, nothing can be
        // sent) goes with its line, as without grouping; the messages go after the report.
        let (said, jobs) = session.triage(results.flatMap(\.result.events))
        if !said.isEmpty {
            for i in results.indices {
                let notes = results[i].result.events.compactMap { $0.change.notice.flatMap { said[$0.id] } }
                if !notes.isEmpty {
                    results[i].result.output = ([results[i].result.output].compactMap { $0 } + notes).joined(separator: "\n")
                }
            }
        }
        // The store's notes (raised when the group began or was written) go with the last line,
        // where a commit's own notes went.
        if !results.isEmpty { results[results.count - 1].notes = session.drainStoreNotes() }
        for entry in results {
            echo(entry.line)
            report(place: LinePlace(file: name, line: entry.number), line: entry.line, result: entry.result, notes: entry.notes)
        }
        // Every line is reported durable; now the group's notices start on their way, in the
        // background, and the outcomes of earlier groups' are recorded and said.
        deliveryNotes(session.dispatch(jobs))
    }

    /// Says what became of notices, on stdout (not in `--json` runs, whose lines are JSON).
    private func deliveryNotes(_ lines: [String]) {
        guard !lines.isEmpty, !options.json else { return }
        session.presenter.output(lines.joined(separator: "\n"))
    }

    /// When and by whom an earlier run of the same script committed this line, if it did.
    private func alreadyDone(_ origin: BatchOrigin) -> (at: Timestamp, agent: String)? {
        // An unreadable log finds nothing done: the store refuses the change itself. Only this
        // agent's lines count: another agent running the same script is refused (or not) by
        // the rules as usual.
        if done == nil { done = (try? committedEarlier(session.agent)) ?? [:] }
        return done?[origin.key].map { ($0, session.agent) }
    }

    /// Reports a line skipped because it was done before.
    private func skip(place: LinePlace, earlier: (at: Timestamp, agent: String)) {
        skipped += 1
        lastReported = place.description
        let when = earlier.at.display(offset: session.utcOffset)
        session.presenter.note(
            "\(place.description): already done at \(when) by \(Sanitizer.clean(earlier.agent)), skipped (--again runs it anyway)")
    }

    /// `--echo`: the line before its result.
    private func echo(_ line: String) {
        if options.echo && !options.json { session.console.out("> " + line) }
    }

    /// Reports one line's result and counts it.
    private func report(place: LinePlace?, line: String, result: Session.LineResult, notes: [String]) {
        let presenter = session.presenter
        if let place { lastReported = place.description }
        for note in notes { presenter.note(note) }
        if options.json, let place {
            session.console.out(jsonLine(place: place, input: line, result: result))
        } else {
            presenter.output(result.output)
        }
        if let error = result.error {
            failed += 1
            failure = failure ?? error
            if !options.json && !result.reported { presenter.error(error, at: place?.description) }
            if !options.keepGoing || (error.isStoreUnusable && !(place == nil && error.isRecoverable)) {
                stoppedAt = place?.description ?? "the prompt"
            }
        } else {
            succeeded += 1
        }
        if result.quit { quit = true }
    }

    /// The closing summary line for stderr.
    var summary: String {
        var text = "\(succeeded) line\(succeeded == 1 ? "" : "s") succeeded, \(failed) failed"
        if skipped > 0 { text += ", \(skipped) skipped (done before)" }
        if let stoppedAt { text += "; stopped at \(stoppedAt)" }
        return text
    }

    /// After a stop signal: what is saved and how to go on.
    var resumeAdvice: String {
        let last = lastReported.map { "the last line reported is \(Sanitizer.clean($0)); " } ?? "no line was reported; "
        return "stopped by \(StopSignal.name): every line reported done is saved; " + last
            + "run the same command again to resume: the lines already done are skipped"
    }

    /// The exit status of the run: 130/143 after a stop signal, the first failure's, or success.
    var exitStatus: ExitStatus {
        if StopSignal.requested { return StopSignal.exitStatus }
        guard let failure else { return .success }
        return failure.isStoreUnusable ? .storeUnusable : .failure
    }

    func jsonLine(place: LinePlace, input: String, result: Session.LineResult) -> String {
        var object: [String: Any] = ["file": place.file, "line": place.line, "input": input, "ok": result.error == nil]
        if let output = result.output {
            if let data = output.data(using: .utf8), output.hasPrefix("{") || output.hasPrefix("["),
                let parsed = try? JSONSerialization.jsonObject(with: data)
            {
                object["output"] = parsed
            } else {
                object["output"] = output
            }
        }
        if !result.events.isEmpty, let data = try? JSONEncoder().encode(result.events),
            let events = try? JSONSerialization.jsonObject(with: data)
        {
            object["events"] = events
        }
        if let error = result.error { object["error"] = error.message }
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else {
            return "{}"
        }
        return JSONText.escapingControls(String(decoding: data, as: UTF8.self))
    }
}
