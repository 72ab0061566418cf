import Foundation
import OrderDeskCore
import OrderDeskTestSupport
import Testing

@_spi(StoreTesting) @testable import OrderDeskStore

/// A snapshot changed outside OrderDesk is refused with a way out, `store accept-edit`, which
/// lists what changed and records it in the audit log (issue 13).
@Suite("FileStore: edited snapshots")
struct SnapshotEditTests {
    /// A store with three events, compacted (so the snapshot holds them), then one more event.
    static func store(in dir: TemporaryDirectory) throws -> FileStore {
        let store = try FileStore.create(at: dir.store, state: Fixture.state())
        try Fixture.commit(store, [Fixture.autoRestockOff(), Fixture.cancelFirst(), Fixture.feedback(1)])
        try store.compact()
        try Fixture.commit(store, [Fixture.feedback(2)])
        return store
    }

    /// The snapshot as `jq` writes it: the same JSON, without the checksum trailer.
    static func withoutTrailer(_ bytes: [UInt8]) -> [UInt8] { Array(bytes.dropLast(SnapshotReader.trailerLength)) }

    static func replace(_ path: String, _ old: String, _ new: String) throws -> [UInt8] {
        let text = String(decoding: try #require(Fixture.bytes(path)), as: UTF8.self)
        #expect(text.contains(old))
        return Array(text.replacingOccurrences(of: old, with: new).utf8)
    }

    static func expectEditRefusal(_ dir: TemporaryDirectory, sourceLocation: SourceLocation = #_sourceLocation) {
        let snapshot = dir.store + "/snapshot.json"
        do {
            _ = try FileStore.open(at: dir.store)
            Issue.record("the edited store was opened", sourceLocation: sourceLocation)
        } catch {
            guard case .storeEdited(let file, _, _, _) = error else {
                Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
                return
            }
            #expect(file == snapshot, sourceLocation: sourceLocation)
            #expect(error.exitCode == 3, sourceLocation: sourceLocation)
            #expect(error.message.contains("orderdesk store accept-edit --store \(dir.store)"), sourceLocation: sourceLocation)
        }
        let report = FileStore.verify(at: dir.store)
        #expect(!report.isClean, sourceLocation: sourceLocation)
        #expect(report.problems.first?.problem.contains("accept-edit") == true, sourceLocation: sourceLocation)
    }

    @Test func aSnapshotWithoutItsTrailerIsRefusedAsAnEdit() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        _ = try Self.store(in: dir)
        let snapshot = dir.store + "/snapshot.json"
        let edited = Self.withoutTrailer(try Self.replace(snapshot, "\"Leave at the door\"", "\"Ring twice\""))
        try FileManager.default.removeItem(atPath: snapshot)  // as `jq ... > new && mv new snapshot.json`
        Fixture.write(snapshot, edited)
        Self.expectEditRefusal(dir)
    }

    @Test func aSedEditThatBreaksTheChecksumIsRefusedAsAnEdit() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        _ = try Self.store(in: dir)
        let snapshot = dir.store + "/snapshot.json"
        let edited = try Self.replace(snapshot, "\"Leave at the door\"", "\"Ring at the door\"")
        try FileManager.default.removeItem(atPath: snapshot)  // `sed -i` writes a new file
        Fixture.write(snapshot, edited)
        Self.expectEditRefusal(dir)
    }

    @Test func acceptEditListsTheChangedOrdersAndRecordsTheEdit() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        _ = try Self.store(in: dir)
        let snapshot = dir.store + "/snapshot.json"
        let edited = Self.withoutTrailer(try Self.replace(snapshot, "\"Leave at the door\"", "\"Ring twice\""))
        try FileManager.default.removeItem(atPath: snapshot)
        Fixture.write(snapshot, edited)

        let preview = try FileStore.acceptEdit(at: dir.store, agent: "bo", now: Fixture.now, dryRun: true)
        #expect(preview.changedOrders == ["#1001"])
        #expect(preview.addedOrders.isEmpty && preview.removedOrders.isEmpty && preview.parts.isEmpty)
        #expect(preview.unlisted == nil && preview.event == nil)
        #expect(Fixture.bytes(snapshot) == edited)

        let accepted = try FileStore.acceptEdit(at: dir.store, agent: "bo", now: Fixture.now, dryRun: false)
        #expect(accepted.event?.seq == 5)
        #expect(accepted.event?.agent == "bo")
        #expect(accepted.event?.change == .snapshotEditAccepted(SnapshotEditAccepted(orders: ["#1001"], parts: [], listed: true)))
        let store = try FileStore.open(at: dir.store)
        #expect(store.state.seq == 5)
        #expect(store.state.order(named: "#1001")?.note == "Ring twice")
        #expect(store.state.order(named: "#1001")?.timeline.last?.message == "Edited outside OrderDesk; edit accepted")
        #expect(store.state.feedback.map(\.id) == [1, 2])  // the journal after the snapshot was kept
        #expect(try store.auditLog().last?.type == "store.edit_accepted")
        #expect(FileStore.verify(at: dir.store).isClean)
        #expect(throws: OrderDeskError.storeNotEdited(file: snapshot)) {
            try FileStore.acceptEdit(at: dir.store, agent: "bo", now: Fixture.now, dryRun: true)
        }
    }

    @Test func withoutACopyAsWrittenTheOrdersCannotBeListedButTheEditIsRecorded() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        _ = try Self.store(in: dir)
        let snapshot = dir.store + "/snapshot.json"
        try FileManager.default.removeItem(atPath: dir.store + "/snapshot.written.json")
        let edited = Self.withoutTrailer(try #require(Fixture.bytes(snapshot)))
        try FileManager.default.removeItem(atPath: snapshot)
        Fixture.write(snapshot, edited)
        let accepted = try FileStore.acceptEdit(at: dir.store, agent: "bo", now: Fixture.now, dryRun: false)
        #expect(accepted.unlisted?.contains("snapshot.written.json") == true)
        #expect(accepted.event?.change == .snapshotEditAccepted(SnapshotEditAccepted(orders: [], parts: [], listed: false)))
        #expect(try FileStore.open(at: dir.store).state.seq == 5)
    }

    @Test func anEditTheJournalDoesNotFitIsRefused() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        _ = try Self.store(in: dir)
        let snapshot = dir.store + "/snapshot.json"
        // Event 4 is feedback on #1002; an edit that renames #1002 leaves it nowhere to go.
        let edited = Self.withoutTrailer(try Self.replace(snapshot, "\"#1002\"", "\"#2002\""))
        try FileManager.default.removeItem(atPath: snapshot)
        Fixture.write(snapshot, edited)
        #expect(throws: OrderDeskError.self) {
            try FileStore.acceptEdit(at: dir.store, agent: "bo", now: Fixture.now, dryRun: false)
        }
        #expect(Fixture.bytes(snapshot) == edited)
    }
}
