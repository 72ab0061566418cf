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

    /// Runs one file's text; returns self for the summary.
    @discardableResult
    func run(name: String, text: String) -> BatchRun {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var iterator = lines.makeIterator()
        return run(name: name, total: lines.count) { iterator.next() }
    }

    /// Runs lines as they come (stdin is read line by line, so results appear as it is fed).
    @discardableResult
    func run(name: String, total: Int?, next: () -> String?) -> BatchRun {
        var number = 0
        while !stopped, var line = next() {
            number += 1
            if line.hasSuffix("\n") { line.removeLast() }
            if line.hasSuffix("\r") { line.removeLast() }
            if options.progress && number % 100 == 0 {
                StandardConsole.write(2, "\r\(name): line \(number)\(total.map { " of \($0)" } ?? "")…")
            }
            if Tokenizer.scan(line).words.isEmpty && Tokenizer.scan(line).openQuote == nil { continue }
            if options.echo && !options.json { session.console.out("> " + line) }
            let result = session.execute(line, interactive: false, prettyJSON: false)
            for note in session.drainStoreNotes() { session.console.err("note: " + note) }
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
        if options.progress && number >= 100 { StandardConsole.write(2, "\r\u{1B}[K") }
        return self
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
