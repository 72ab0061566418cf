import Foundation
import OrderDeskCore

/// How a batch runs: stop or keep going, echo lines, JSON lines, progress.
public struct BatchOptions: Sendable {
    public var keepGoing = false
    public var echo = false
    public var json = false
    /// Show progress on stderr (when it is a terminal).
    public var progress = false

    public init(keepGoing: Bool = false, echo: Bool = false, json: Bool = false, progress: Bool = false) {
        self.keepGoing = keepGoing
        self.echo = echo
        self.json = json
        self.progress = progress
    }
}

/// Runs script lines with batch rules: no questions, each line committed on its own, `FILE:LINE: error:`.
final class BatchRun {
    let session: Session
    let options: BatchOptions
    private(set) var succeeded = 0
    private(set) var failed = 0
    private(set) var failure: OrderDeskError?
    private(set) var stoppedAt: String?
    private(set) var quit = false

    init(session: Session, options: BatchOptions) {
        self.session = session
        self.options = options
    }

    /// Whether the run must stop: a failure without --keep-going, an unusable store, or `quit`.
    var stopped: Bool { stoppedAt != nil || quit }

    /// The most change lines committed together (one lock, one write, one sync).
    static let groupLimit = 256

    /// Runs one file's text; returns self for the summary.
    @discardableResult
    func run(name: String, text: String) -> BatchRun {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var iterator = lines.makeIterator()
        return run(name: name, total: lines.count, next: { iterator.next() }, more: { true })
    }

    /// Runs lines as they come (stdin is read line by line, so results appear as it is fed).
    ///
    /// Consecutive change lines are committed as a group when `more` says the next line is
    /// already there (reading it will not wait): they are decided one after another under one
    /// lock, written with one sync, and only then reported, in order. A refused line changes
    /// nothing; one that stops the run also stops its group, so the lines after it are not applied.
    @discardableResult
    func run(name: String, total: Int?, next: () -> String?, more: () -> Bool = { false }) -> BatchRun {
        var number = 0
        var group: [(number: Int, line: String)] = []
        let grouping = session.prompter == nil
        while !stopped, var line = next() {
            number += 1
            if line.hasSuffix("\n") { line.removeLast() }
            if line.hasSuffix("\r") { line.removeLast() }
            if options.progress && number % 100 == 0 {
                StandardConsole.write(2, "\r\(name): line \(number)\(total.map { " of \($0)" } ?? "")…")
            }
            if Tokenizer.scan(line).words.isEmpty && Tokenizer.scan(line).openQuote == nil { continue }
            if grouping, let command = try? Command.parse(line), command.isChange {
                group.append((number, line))
                if group.count < Self.groupLimit && more() { continue }
                runGroup(name: name, group)
                group = []
                continue
            }
            if !group.isEmpty {
                runGroup(name: name, group)
                group = []
                if stopped { break }
            }
            if options.echo && !options.json { session.console.out("> " + line) }
            let result = session.execute(line, interactive: false, prettyJSON: false)
            report(name: name, number: number, line: line, result: result, notes: session.drainStoreNotes())
        }
        if !group.isEmpty { runGroup(name: name, group) }
        if options.progress && number >= 100 { StandardConsole.write(2, "\r\u{1B}[K") }
        return self
    }

    /// Runs change lines as one group commit, then reports them. When the group cannot be begun
    /// or written, nothing of it was kept: its lines run again one by one, as without grouping.
    private func runGroup(name: String, _ lines: [(number: Int, line: String)]) {
        var results: [(number: Int, line: String, result: Session.LineResult, notes: [String])] = []
        let store = session.store
        do throws(OrderDeskError) {
            try store.beginGroup()
            for (number, line) in lines {
                let result = session.execute(line, interactive: false, prettyJSON: false)
                results.append((number, line, result, []))
                if let error = result.error, !options.keepGoing || error.exitCode == 3 { break }
            }
            try store.endGroup()
        } catch {
            // Nothing of the group was written or acknowledged: run its lines one by one.
            for (number, line) in lines where !stopped {
                if options.echo && !options.json { session.console.out("> " + line) }
                let result = session.execute(line, interactive: false, prettyJSON: false)
                report(name: name, number: number, line: line, result: result, notes: session.drainStoreNotes())
            }
            return
        }
        // The store's notes (raised when the group began or was written) go with the last line,
        // where a commit's own notes went.
        if !results.isEmpty { results[results.count - 1].notes = session.drainStoreNotes() }
        for entry in results {
            if options.echo && !options.json { session.console.out("> " + entry.line) }
            report(name: name, number: entry.number, line: entry.line, result: entry.result, notes: entry.notes)
        }
    }

    /// Reports one line's result and counts it.
    private func report(name: String, number: Int, line: String, result: Session.LineResult, notes: [String]) {
        for note in notes { session.console.err("note: " + note) }
        if options.json {
            session.console.out(jsonLine(file: name, line: number, input: line, result: result))
        } else if let output = result.output, !output.isEmpty {
            session.console.out(output)
        }
        if let error = result.error {
            failed += 1
            failure = failure ?? error
            if !options.json && !result.reported {
                session.console.err("\(name):\(number): error: \(error.message)")
            }
            if !options.keepGoing || error.exitCode == 3 { stoppedAt = "\(name):\(number)" }
        } else {
            succeeded += 1
        }
        if result.quit { quit = true }
    }

    /// The closing summary line for stderr.
    var summary: String {
        var text = "\(succeeded) line\(succeeded == 1 ? "" : "s") succeeded, \(failed) failed"
        if let stoppedAt { text += "; stopped at \(stoppedAt)" }
        return text
    }

    func jsonLine(file: String, line: Int, input: String, result: Session.LineResult) -> String {
        var object: [String: Any] = ["file": file, "line": line, "input": input, "ok": result.error == nil]
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
        return String(decoding: data, as: UTF8.self)
    }
}
