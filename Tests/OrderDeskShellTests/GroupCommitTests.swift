import Foundation
import OrderDeskCore
import OrderDeskPractice
@_spi(StoreTesting) import OrderDeskStore
import Testing

@testable import OrderDeskShell

/// Group commit in batch runs: consecutive change lines share one lock, one write and one sync,
/// and are reported only once durable, with the same results as line by line.
@Suite struct GroupCommitTests {
    /// Line 3 is refused (#1003 is fulfilled); line 4 would cancel #1001.
    static let script = [
        "settings auto-restock off",
        #"feedback #1002 --rating 4 "Quick reply""#,
        "cancel #1003 --reason customer",
        "cancel #1001 --reason customer --refund later",
        "notify #1002 'Your parcel is on its way'",
    ]

    static func session(_ store: any OrderStore) -> (Session, RecordingConsole) {
        let console = RecordingConsole()
        let session = Session(
            store: store, console: console, agent: "alice", clock: { TrainingStore.now }, utcOffset: 0, style: .plain)
        return (session, console)
    }

    static func directory() -> String {
        let path = NSTemporaryDirectory() + "orderdesk-group-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func aRefusedLineStopsItsGroupAndTheLinesBeforeItAreDurable() throws {
        let dir = Self.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try FileStore.create(at: dir + "/store", state: TrainingStore.make())
        let (session, console) = Self.session(store)
        let run = LineLoop(session: session, options: BatchOptions()).run(name: "b.txt", text: Self.script.joined(separator: "\n"))
        #expect(run.succeeded == 2 && run.failed == 1)
        #expect(run.stoppedAt == "b.txt:3")
        #expect(console.errors.contains("b.txt:3: error: "))
        #expect(!console.errors.contains("b.txt:4") && !console.errors.contains("b.txt:5"))
        let reopened = try FileStore.open(at: dir + "/store")
        #expect(try reopened.auditLog().map(\.change.type) == ["setting.changed", "feedback.logged"])
        #expect(reopened.state.order(named: "#1001")?.isCancelled == false)
        #expect(reopened.state.outbox.count == TrainingStore.make().outbox.count)
    }

    @Test func withKeepGoingTheOtherLinesOfTheGroupApply() throws {
        let dir = Self.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try FileStore.create(at: dir + "/store", state: TrainingStore.make())
        let (session, console) = Self.session(store)
        let run = LineLoop(session: session, options: BatchOptions(keepGoing: true))
            .run(name: "b.txt", text: Self.script.joined(separator: "\n"))
        #expect(run.succeeded == 4 && run.failed == 1)
        #expect(run.stoppedAt == nil)
        #expect(console.errors.components(separatedBy: ": error: ").count == 2)
        let reopened = try FileStore.open(at: dir + "/store")
        #expect(reopened.state.order(named: "#1001")?.isCancelled == true)
        #expect(reopened.state.seq == store.state.seq)
        #expect(Set(try reopened.auditLog().map(\.change.type)).isSuperset(of: ["setting.changed", "feedback.logged", "order.cancelled"]))
    }

    @Test func aGroupSpanningAWriteFailureAcknowledgesNothing() throws {
        let store = MemoryStore(state: TrainingStore.make())
        store.injectedFailure = .storeIO(path: "memory", operation: "write to", reason: "no space left on device")
        let (session, console) = Self.session(store)
        let run = LineLoop(session: session, options: BatchOptions()).run(name: "b.txt", text: Self.script.joined(separator: "\n"))
        #expect(run.succeeded == 0 && run.failed == 1)
        #expect(run.stoppedAt == "b.txt:1")
        #expect(console.output.isEmpty, "nothing may be reported done: \(console.output)")
        #expect(try store.auditLog().isEmpty)
        #expect(store.state.seq == 0)
        #expect(store.state.order(named: "#1001")?.isCancelled == false)
    }

    @Test func groupCommitWritesTheSameJournalAsLineByLine() throws {
        let dir = Self.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var lines = Self.script
        lines.remove(at: 2)
        lines += ["cancel #1002 --reason customer", "show #1001", "refund #1001 --all", "restock #1002"]
        // Line by line, as before group commit.
        let single = try FileStore.create(at: dir + "/single", state: TrainingStore.make())
        let (one, _) = Self.session(single)
        var expected: [Session.LineResult] = []
        for line in lines { expected.append(one.execute(line, interactive: false, prettyJSON: false)) }
        // As one batch, grouped.
        let grouped = try FileStore.create(at: dir + "/grouped", state: TrainingStore.make())
        let (session, console) = Self.session(grouped)
        let run = LineLoop(session: session, options: BatchOptions(keepGoing: true)).run(name: "b.txt", text: lines.joined(separator: "\n"))
        #expect(run.failed == expected.filter { $0.error != nil }.count)
        #expect(console.output == expected.compactMap(\.output).filter { !$0.isEmpty }.map { $0 + "\n" }.joined())
        let a = try Data(contentsOf: URL(fileURLWithPath: dir + "/single/journal.jsonl"))
        let b = try Data(contentsOf: URL(fileURLWithPath: dir + "/grouped/journal.jsonl"))
        #expect(!a.isEmpty)
        #expect(a == b)
        #expect(try FileStore.open(at: dir + "/grouped").auditLog().map(\.change.type) == (try single.auditLog().map(\.change.type)))
    }
}
