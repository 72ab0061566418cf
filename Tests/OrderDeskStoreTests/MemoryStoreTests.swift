import OrderDeskCore
import OrderDeskTestSupport
import Testing

@_spi(StoreTesting) @testable import OrderDeskStore

@Suite("MemoryStore")
struct MemoryStoreTests {
    @Test func commitsApplyAndAreLogged() throws {
        let store = MemoryStore(state: Fixture.state(seq: 2), isDemo: true, location: "sample")
        #expect(store.isDemo && store.location == "sample")
        let events = try Fixture.commit(store, [Fixture.autoRestockOff(), Fixture.cancelFirst()])
        #expect(events.map(\.seq) == [3, 4])
        #expect(store.state.seq == 4)
        #expect(store.state.order(named: "#1001")?.isCancelled == true)
        #expect(try store.auditLog() == events)
        #expect(try store.commit(agent: "ana", now: Fixture.now) { _ throws(OrderDeskError) in [] }.isEmpty)
    }

    @Test func refusalsAndInjectedFailuresChangeNothing() throws {
        let store = MemoryStore(state: Fixture.state())
        #expect(throws: OrderDeskError.unknownOrder("#7")) {
            try store.commit(agent: "ana", now: Fixture.now) { _ throws(OrderDeskError) in throw .unknownOrder("#7") }
        }
        store.injectedFailure = .storeIO(path: "memory", operation: "write to", reason: "No space left on device")
        #expect(throws: OrderDeskError.self) { try Fixture.commit(store, [Fixture.autoRestockOff()]) }
        #expect(throws: OrderDeskError.self) { try Fixture.commit(store, [Fixture.cancelMissing()]) }
        store.injectedFailure = nil
        #expect(store.state.seq == 0)
        #expect(try store.auditLog().isEmpty)
        #expect(try Fixture.commit(store, [Fixture.autoRestockOff()]).map(\.seq) == [1])
    }

    @Test func sessionsSeeEachOthersChanges() throws {
        let ana = MemoryStore(state: Fixture.state())
        let bob = ana.openSession()
        try Fixture.commit(ana, [Fixture.autoRestockOff()], agent: "ana")
        let his = try bob.commit(agent: "bob", now: Fixture.now) { state throws(OrderDeskError) in
            #expect(state.seq == 1)
            return [Fixture.feedback(1)]
        }
        #expect(his.map(\.seq) == [2])
        #expect(try ana.refresh().map(\.agent) == ["bob"])
        #expect(try bob.refresh().map(\.agent) == ["ana"])
        #expect(try bob.refresh().isEmpty)
        #expect(Fixture.fingerprint(ana.state) == Fixture.fingerprint(bob.state))
    }
}

/// Event numbering lives in one core function, used by every store (issue 11).
@Suite("Event numbering")
struct EventNumberingTests {
    @Test func eventsAreNumberedAfterTheStatesLastEvent() {
        let events = Fixture.state(seq: 7).events(
            recording: [Fixture.autoRestockOff(), Fixture.feedback(1)], agent: "ana", at: Fixture.now)
        #expect(events.map(\.seq) == [8, 9])
        #expect(events.allSatisfy { $0.agent == "ana" && $0.at == Fixture.now })
        #expect(events.map(\.change) == [Fixture.autoRestockOff(), Fixture.feedback(1)])
    }

    @Test func fileAndMemoryStoresNumberAlike() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let changes = [Fixture.autoRestockOff(), Fixture.cancelFirst(), Fixture.feedback(1)]
        let file = try FileStore.create(at: dir.store, state: Fixture.state(seq: 4))
        let memory = MemoryStore(state: Fixture.state(seq: 4))
        let expected = Fixture.state(seq: 4).events(recording: changes, agent: "ana", at: Fixture.now)
        #expect(try file.commit(agent: "ana", now: Fixture.now) { _ throws(OrderDeskError) in changes } == expected)
        #expect(try memory.commit(agent: "ana", now: Fixture.now) { _ throws(OrderDeskError) in changes } == expected)
        try file.beginGroup()
        try memory.beginGroup()
        let more = file.state.events(recording: [Fixture.feedback(2)], agent: "bo", at: Fixture.now)
        #expect(try file.commit(agent: "bo", now: Fixture.now) { _ throws(OrderDeskError) in [Fixture.feedback(2)] } == more)
        #expect(try memory.commit(agent: "bo", now: Fixture.now) { _ throws(OrderDeskError) in [Fixture.feedback(2)] } == more)
        try file.endGroup()
        try memory.endGroup()
    }
}
