import Foundation
import OrderDeskCore
import OrderDeskTestSupport
import Testing

@_spi(StoreTesting) @testable import OrderDeskStore

#if canImport(Glibc)
    import Glibc
#endif

/// Group commit at the store: many changes, one lock, one append, one sync.
@Suite struct GroupCommitStoreTests {
    static func commit(_ store: some OrderStore, _ change: Change) throws(OrderDeskError) -> [Event] {
        try store.commit(agent: "ana", now: Fixture.now) { _ throws(OrderDeskError) in [change] }
    }

    @Test func aGroupDecidesEachChangeAgainstTheOnesBeforeAndWritesThemTogether() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let store = try FileStore.create(at: dir.store, state: Fixture.state())
        try store.beginGroup()
        #expect(try Self.commit(store, Fixture.autoRestockOff()).map(\.seq) == [1])
        #expect(try Self.commit(store, Fixture.cancelFirst()).map(\.seq) == [2])
        // A refused change (it does not fit) changes nothing, and the group goes on.
        #expect(throws: OrderDeskError.self) {
            try store.commit(agent: "ana", now: Fixture.now) { _ throws(OrderDeskError) in throw .unknownCommand("x", suggestion: nil) }
        }
        #expect(try Self.commit(store, Fixture.feedback(3)).map(\.seq) == [3])
        // Nothing on disk before the group ends.
        #expect(Fixture.bytes(dir.store + "/journal.jsonl")?.isEmpty == true)
        try store.endGroup()
        let reopened = try FileStore.open(at: dir.store)
        #expect(reopened.state.seq == 3)
        #expect(try reopened.auditLog().map(\.seq) == [1, 2, 3])
        #expect(reopened.state.order(named: "#1001")?.isCancelled == true)
        #expect(Fixture.fingerprint(reopened.state) == Fixture.fingerprint(store.state))
    }

    @Test func aGroupWhoseWriteFailsKeepsNothing() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let store = try FileStore.create(at: dir.store, state: Fixture.state())
        try Fixture.commit(store, [Fixture.autoRestockOff()])
        let journal = dir.store + "/journal.jsonl"
        let before = Fixture.digest(journal)
        store.options.appendFault = ENOSPC
        try store.beginGroup()
        _ = try Self.commit(store, Fixture.cancelFirst())
        _ = try Self.commit(store, Fixture.feedback(3))
        #expect(store.state.seq == 3)
        #expect(throws: OrderDeskError.self) { try store.endGroup() }
        #expect(Fixture.digest(journal) == before)
        #expect(store.state.seq == 1)
        #expect(store.state.order(named: "#1001")?.isCancelled == false)

        store.options.appendFault = nil
        #expect(try Fixture.commit(store, [Fixture.cancelFirst()]).map(\.seq) == [2])
        #expect(try FileStore.open(at: dir.store).state.seq == 2)
    }

    @Test func aMemoryStoreGroupWithAnInjectedFailureKeepsNothing() throws {
        let store = MemoryStore(state: Fixture.state())
        try store.beginGroup()
        _ = try Self.commit(store, Fixture.autoRestockOff())
        _ = try Self.commit(store, Fixture.cancelFirst())
        store.injectedFailure = .storeIO(path: "memory", operation: "write to", reason: "disk full")
        #expect(throws: OrderDeskError.self) { try store.endGroup() }
        #expect(store.state.seq == 0)
        #expect(try store.auditLog().isEmpty)
        #expect(store.state.order(named: "#1001")?.isCancelled == false)

        store.injectedFailure = nil
        try store.beginGroup()
        _ = try Self.commit(store, Fixture.cancelFirst())
        try store.endGroup()
        #expect(try store.auditLog().map(\.seq) == [1])
        #expect(store.openSession().state.seq == 1)
    }

    @Test func anotherSessionWaitsForTheGroupAndSeesAllOfIt() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let store = try FileStore.create(at: dir.store, state: Fixture.state())
        let other = try FileStore.open(at: dir.store)
        other.options.lockTimeout = 0.2
        try store.beginGroup()
        _ = try Self.commit(store, Fixture.autoRestockOff())
        #expect(throws: OrderDeskError.self) { try other.refresh() }
        try store.endGroup()
        #expect(try other.refresh().map(\.seq) == [1])
    }
}
