import Foundation
import OrderDeskCore
import OrderDeskPractice
import OrderDeskStore
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

    /// The store a transcript runs against: in memory, or a real store directory.
    enum Backend: String, CaseIterable, CustomStringConvertible {
        case memory, file
        var description: String { rawValue }
    }

    /// Runs a script the way `orderdesk run --echo --keep-going` does, on the sample store.
    static func transcript(of script: String, on backend: Backend = .memory) throws -> String {
        let store: any OrderStore
        var directory: URL?
        switch backend {
        case .memory:
            store = MemoryStore(state: TrainingStore.make(), location: "sample")
        case .file:
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
                "transcript-\(script)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
            directory = dir
            store = try FileStore.create(at: dir.path, state: TrainingStore.make())
        }
        defer { if let directory { try? FileManager.default.removeItem(at: directory) } }
        let console = RecordingConsole()
        var tick: Int64 = 0
        let session = Session(
            store: store, console: console, agent: "alice",
            clock: {
                tick += 60
                return TrainingStore.now.adding(seconds: tick)
            }, utcOffset: 0, style: .plain)
        let run = LineLoop(session: session, options: BatchOptions(keepGoing: true, echo: true))
        run.run(
            name: script + ".txt", text: (try? String(contentsOf: folder.appendingPathComponent(script + ".txt"), encoding: .utf8)) ?? "")
        console.err(run.summary)
        return console.transcript
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
