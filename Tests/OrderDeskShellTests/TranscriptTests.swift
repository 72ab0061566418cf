import Foundation
import OrderDeskCore
import OrderDeskImport
import OrderDeskPractice
import OrderDeskStore
import OrderDeskTestSupport
import Testing

@testable import OrderDeskShell

/// Golden transcripts: a `.txt` script in, the expected output out.
///
/// Each `Transcripts/NAME.txt` runs against the sample store with a fixed clock, with `--echo` and
/// `--keep-going`; stdout and stderr, interleaved, must equal `NAME.expected`.
/// To accept new output after a deliberate change: `ORDERDESK_UPDATE_GOLDEN=1 swift test --filter Transcript`.
@Suite struct TranscriptTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Transcripts")

    static var scripts: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".txt") }.map { String($0.dropLast(4)) }.sorted()
    }

    /// The store a transcript runs against: in memory, a real store directory, or a store on the
    /// test PostgreSQL server (logged in as the agent role `test_alice`, recorded as `alice`).
    enum Backend: String, CaseIterable, CustomStringConvertible {
        case memory, file, server
        var description: String { rawValue }
    }

    /// Runs a script the way `orderdesk run --echo --keep-going` does, on the sample store.
    ///
    /// Two lines are the harness's, not the shell's: `!empty-store` (first) starts from an empty
    /// store instead of the sample one, and `!import FILE` imports a Shopify export from the
    /// Transcripts folder as `orderdesk import` does (new orders, then updates of orders the store
    /// has), printing its summary and the conflicts and warnings after it; the lines between
    /// run as batches of their own, each with its summary, keeping their line numbers.
    static func transcript(of script: String, on backend: Backend = .memory) throws -> String {
        let text = (try? String(contentsOf: folder.appendingPathComponent(script + ".txt"), encoding: .utf8)) ?? ""
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let initial = lines.first == "!empty-store" ? StoreState() : TrainingStore.make()
        let store: any OrderStore
        var directory: URL?
        var serverURL: String?
        switch backend {
        case .memory:
            store = MemoryStore(state: initial, location: "sample")
        case .file:
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
                "transcript-\(script)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
            directory = dir
            store = try FileStore.create(at: dir.path, state: initial)
        case .server:
            guard let url = try TestServer.makeStore(initial) else { return "no test server" }
            try TestServer.sql(url, "INSERT INTO \(url.split(separator: "=").last!).agents VALUES ('test_alice', 'alice')")
            serverURL = url
            let base = TestServer.base()!
            let schema = String(url.split(separator: "=").last!)
            store = try PostgresStore.open(
                ServerAddress(TestServer.address(base, schema: schema, role: "test_alice"))!, cacheDirectory: nil)
        }
        defer {
            if let directory { try? FileManager.default.removeItem(at: directory) }
            if let serverURL { TestServer.drop(serverURL) }
        }
        let console = RecordingConsole()
        var tick: Int64 = 0
        let clock = {
            tick += 60
            return TrainingStore.now.adding(seconds: tick)
        }
        let session = Session(store: store, console: console, agent: "alice", clock: clock, utcOffset: 0, style: .plain)
        guard lines.contains(where: { $0.hasPrefix("!") }) else {
            let run = LineLoop(session: session, options: BatchOptions(keepGoing: true, echo: true))
            run.run(name: script + ".txt", text: text)
            console.err(run.summary)
            return console.transcript
        }
        // Each batch between harness lines sees only its own lines (the others blank), so its
        // line numbers are the script's.
        var start = 0
        func batch(upTo end: Int) {
            guard lines[start..<end].contains(where: { !$0.isEmpty && !$0.hasPrefix("#") }) else { return }
            let run = LineLoop(session: session, options: BatchOptions(keepGoing: true, echo: true))
            let part = lines.indices.map { $0 >= start && $0 < end ? lines[$0] : "" }
            run.run(name: script + ".txt", text: part.joined(separator: "\n"))
            console.err(run.summary)
        }
        for (i, line) in lines.enumerated() where line.hasPrefix("!") {
            batch(upTo: i)
            start = i + 1
            if line.hasPrefix("!import ") {
                let file = String(line.dropFirst("!import ".count))
                console.out("> import \(file)")
                console.out(importShopify(file, into: store, now: clock()))
            }
        }
        batch(upTo: lines.count)
        return console.transcript
    }

    /// `orderdesk import FILE` on the transcript's store: the file read whole, then fitted into
    /// the store in one commit; its summary, or its problems.
    static func importShopify(_ file: String, into store: any OrderStore, now: Timestamp) -> String {
        guard let bytes = FileManager.default.contents(atPath: folder.appendingPathComponent(file).path) else { return "no file \(file)" }
        let read = ShopifyImport.read(bytes: [UInt8](bytes), format: nil)
        if !read.problems.isEmpty { return read.problems.map { $0.text(file: file) }.joined(separator: "\n") }
        var plan: ImportPlan?
        do {
            _ = try store.commit(agent: "alice", now: now) { state throws(OrderDeskError) in
                let decided = ShopifyImport.plan(read.orders, stock: nil, into: state, source: file, agent: "alice", now: now)
                plan = decided
                guard decided.problems.isEmpty else { return [] }
                return decided.changes
            }
        } catch { return "error: \(error.message)" }
        guard let plan else { return "nothing planned" }
        if !plan.problems.isEmpty { return plan.problems.map { $0.text(file: file) }.joined(separator: "\n") }
        return (["\(file): " + plan.summary()] + Program.afterSummary(plan, file: file)).joined(separator: "\n")
    }

    @Test func thereAreTranscripts() {
        #expect(Self.scripts.count >= 3)
    }

    @Test(arguments: scripts, Backend.allCases)
    func matchesGolden(script: String, backend: Backend) throws {
        let actual = try Self.transcript(of: script, on: backend)
        let expectedURL = Self.folder.appendingPathComponent(script + ".expected")
        if ProcessInfo.processInfo.environment["ORDERDESK_UPDATE_GOLDEN"] == "1" && backend == .memory {
            try actual.write(to: expectedURL, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOf: expectedURL, encoding: .utf8)
        if actual != expected {
            let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
            let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
            let first = zip(a, e).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(a.count, e.count)
            Issue.record(
                "\(script) (\(backend) store): output differs from \(script).expected at line \(first + 1):\n  got:      \(first < a.count ? String(a[first]) : "<end>")\n  expected: \(first < e.count ? String(e[first]) : "<end>")"
            )
        }
    }
}
