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
        Context(now: clock(), agent: agent, utcOffset: utcOffset, style: style, interactive: interactive, prettyJSON: prettyJSON)
            .withShopifyCSV()
    }

    /// Runs one line. Interactive lines may ask questions; batch lines never do.
    public func execute(_ line: String, interactive: Bool, prettyJSON: Bool = true) -> LineResult {
        do throws(OrderDeskError) {
            guard var command = try Command.parse(line) else { return LineResult() }
            // Catch up with other agents' changes first, so reads see their work too.
            _ = try store.refresh()
            if case .cancel(var request) = command, request.reason == nil, interactive, !request.dryRun || prompter != nil,
                let prompter
            {
                // An order that cannot be cancelled (unknown, already cancelled, fulfilled) is refused before the menu.
                var check = request
                (check.reason, check.dryRun) = (.other, true)
                _ = try Desk.run(.cancel(check), state: store.state, context: context(interactive: false, prettyJSON: prettyJSON))
                guard let reason = askReason(prompter) else { return LineResult(output: "Nothing changed.") }
                request.reason = reason
                command = .cancel(request)
            }
            let context = context(interactive: interactive && prompter != nil, prettyJSON: prettyJSON)
            let sources = Sources(auditLog: { [store] () throws(OrderDeskError) in try store.auditLog() }, history: history)
            switch try Desk.run(command, state: store.state, context: context, sources: sources) {
            case .output(let text):
                return LineResult(output: text)
            case .quit:
                return LineResult(quit: true)
            case .source(let path):
                return source(path)
            case .change(let plan):
                if plan.dryRun {
                    return LineResult(output: plan.preview + "\n" + style.dim("Dry run: nothing changed."))
                }
                if plan.confirm, let prompter {
                    console.out(plan.preview)
                    let answer = prompter.ask(plan.question + " [y/N] ")?.trimmingCharacters(in: .whitespaces).lowercased()
                    guard answer == "y" || answer == "yes" else { return LineResult(output: "Nothing changed.") }
                }
                let events = try store.commit(agent: agent, now: context.now) { state throws(OrderDeskError) in
                    try plan.decide(state)
                }
                return LineResult(output: plan.done(store.state, events), events: events)
            }
        } catch {
            return LineResult(error: error)
        }
    }

    /// The reason menu, with the admin's labels; nil when the agent gives up.
    func askReason(_ prompter: any Prompter) -> CancelReason? {
        let reasons = CancelReason.allCases
        var menu = ["Why is the order being cancelled?"]
        for (i, reason) in reasons.enumerated() { menu.append("  \(i + 1). \(reason.label)") }
        console.out(menu.joined(separator: "\n"))
        while true {
            guard let answer = prompter.ask("Reason [1-\(reasons.count)]: ")?.trimmingCharacters(in: .whitespaces) else {
                return nil
            }
            if answer.isEmpty { return nil }
            if let n = Int(answer), (1...reasons.count).contains(n) { return reasons[n - 1] }
            if let reason = CancelReason(rawValue: answer.lowercased()) { return reason }
            console.err("error: choose a number from 1 to \(reasons.count), or press Enter to leave the order as it is")
        }
    }

    /// `source FILE`: the file's lines with batch rules, stopping at the first failure.
    func source(_ path: String) -> LineResult {
        guard sourceDepth < 8 else {
            return LineResult(error: .fileUnreadable(path: path, reason: "scripts source each other too deeply (more than 8 levels)"))
        }
        let text: String
        do { text = try Self.readScript(path) } catch {
            return LineResult(error: .fileUnreadable(path: path, reason: Session.reason(error)))
        }
        sourceDepth += 1
        defer { sourceDepth -= 1 }
        let saved = prompter
        prompter = nil
        defer { prompter = saved }
        let batch = BatchRun(session: self, options: BatchOptions())
        let summary = batch.run(name: path, text: text)
        if let failure = summary.failure { return LineResult(error: failure, reported: true) }
        return LineResult(output: style.dim("\(path): \(summary.succeeded) line\(summary.succeeded == 1 ? "" : "s") ran"))
    }

    /// Reads a script file whole, as UTF-8. Pipes and FIFOs work too (`orderdesk run <(…)`,
    /// `/dev/stdin`, `source` of a FIFO): Foundation's `String(contentsOfFile:)` refuses those on
    /// Linux with a misleading "You don't have permission".
    static func readScript(_ path: String) throws -> String {
        let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        let data = try handle.readToEnd() ?? Data()
        guard let text = String(data: data, encoding: .utf8) else {
            throw CocoaError(.fileReadInapplicableStringEncoding)
        }
        return text
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
