import Foundation
import OrderDeskCore
import OrderDeskTestSupport
import Testing

@_spi(StoreTesting) @testable import OrderDeskStore

/// The promises of ``OrderStore``, held by both backends: a store directory and a store on the
/// test PostgreSQL server (which `scripts/test` starts; without it these fail, never skip).
@Suite struct StoreContractTests {
    enum Backend: String, CaseIterable, CustomStringConvertible {
        case file, server
        var description: String { rawValue }
    }

    /// A store of one backend holding `state`, and a way to open more sessions on it.
    final class Place {
        let backend: Backend
        let location: String
        private let directory: TemporaryDirectory?
        let cache = TemporaryDirectory()

        init?(_ backend: Backend, state: StoreState) throws {
            self.backend = backend
            switch backend {
            case .file:
                let dir = TemporaryDirectory()
                directory = dir
                location = dir.store
                _ = try FileStore.create(at: location, state: state)
            case .server:
                directory = nil
                guard let url = try TestServer.makeStore(state) else { return nil }
                location = url
            }
        }

        /// A new session: another agent's process. On the server: logged in as `role`.
        func open(as role: String = "test_alice", cached: Bool = false) throws -> any OrderStore {
            switch backend {
            case .file: return try FileStore.open(at: location)
            case .server:
                let schema = String(location.split(separator: "=").last!)
                let url = TestServer.address(TestServer.base()!, schema: schema, role: role)
                return try PostgresStore.open(ServerAddress(url)!, cacheDirectory: cached ? cache.path : nil)
            }
        }

        func remove() {
            directory?.remove()
            cache.remove()
            if backend == .server { TestServer.drop(location) }
        }
    }

    /// A cancel decided as the desk decides it: refused when the order is already cancelled, naming who did it.
    static func cancel(_ store: any OrderStore, _ name: String = "#1001") throws(OrderDeskError) -> [Event] {
        try store.commit(agent: store.authenticatedAgent ?? "ana", now: Fixture.now) { state throws(OrderDeskError) in
            let order = state.order(named: name)!
            if let record = order.cancellation {
                throw .alreadyCancelled(order: name, at: order.cancelledAt ?? Fixture.now, by: record.agent, reason: record.reason)
            }
            return [Fixture.cancelFirst()]
        }
    }

    @Test(arguments: Backend.allCases)
    func changesAreNumberedWithoutGapsAndSurviveReopening(backend: Backend) throws {
        guard let place = try Place(backend, state: Fixture.state()) else { return }
        defer { place.remove() }
        let store = try place.open()
        #expect(try Fixture.commit(store, [Fixture.autoRestockOff()]).map(\.seq) == [1])
        #expect(try Fixture.commit(store, [Fixture.cancelFirst(), Fixture.feedback(3)]).map(\.seq) == [2, 3])
        let reopened = try place.open()
        #expect(reopened.state.seq == 3)
        #expect(try reopened.auditLog().map(\.seq) == [1, 2, 3])
        #expect(Fixture.fingerprint(reopened.state) == Fixture.fingerprint(store.state))
        #expect(reopened.state.order(named: "#1001")?.isCancelled == true)
        #expect(reopened.state.settings.autoRestock == false)
    }

    @Test(arguments: Backend.allCases)
    func aRefusedOrEmptyChangeWritesNothing(backend: Backend) throws {
        guard let place = try Place(backend, state: Fixture.state()) else { return }
        defer { place.remove() }
        let store = try place.open()
        #expect(throws: OrderDeskError.self) {
            try store.commit(agent: "ana", now: Fixture.now) { _ throws(OrderDeskError) in throw .unknownCommand("x", suggestion: nil) }
        }
        #expect(try store.commit(agent: "ana", now: Fixture.now) { _ throws(OrderDeskError) in [] }.isEmpty)
        #expect(try place.open().auditLog().isEmpty)
        #expect(try Fixture.commit(store, [Fixture.autoRestockOff()]).map(\.seq) == [1])
    }

    @Test(arguments: Backend.allCases)
    func twoSessionsCancellingOneOrderGetOneSuccessAndOneRefusalNamingTheWinner(backend: Backend) throws {
        guard let place = try Place(backend, state: Fixture.state()) else { return }
        defer { place.remove() }
        let alice = try place.open(as: "test_alice")
        let bob = try place.open(as: "test_bob")
        #expect(try Self.cancel(alice).count == 1)
        do {
            _ = try Self.cancel(bob)
            Issue.record("the second cancel went through")
        } catch {
            let winner = backend == .server ? "test_alice" : "ana"
            #expect(error.message.contains("by \(winner)"), "\(error.message)")
        }
        #expect(try place.open().auditLog().count == 1)
        // Bob's session caught up while deciding: the next refresh reports Alice's change.
        #expect(try bob.refresh().map(\.seq) == [1])
    }

    @Test(arguments: Backend.allCases)
    func refreshReturnsOtherSessionsChangesOldestFirst(backend: Backend) throws {
        guard let place = try Place(backend, state: Fixture.state()) else { return }
        defer { place.remove() }
        let alice = try place.open(as: "test_alice")
        let bob = try place.open(as: "test_bob")
        _ = try Fixture.commit(alice, [Fixture.autoRestockOff()], agent: alice.authenticatedAgent ?? "ana")
        _ = try Fixture.commit(alice, [Fixture.feedback(3)], agent: alice.authenticatedAgent ?? "ana")
        let news = try bob.refresh()
        #expect(news.map(\.seq) == [1, 2])
        if backend == .server { #expect(news.map(\.agent) == ["test_alice", "test_alice"]) }
        #expect(try bob.refresh().isEmpty)
        #expect(Fixture.fingerprint(bob.state) == Fixture.fingerprint(alice.state))
    }

    @Test(arguments: Backend.allCases)
    func aGroupDecidesEachChangeAgainstTheOnesBeforeAndWritesThemTogether(backend: Backend) throws {
        guard let place = try Place(backend, state: Fixture.state()) else { return }
        defer { place.remove() }
        let store = try place.open()
        let other = try place.open(as: "test_bob")
        try store.beginGroup()
        #expect(try Fixture.commit(store, [Fixture.autoRestockOff()]).map(\.seq) == [1])
        #expect(try Self.cancel(store).map(\.seq) == [2])
        #expect(throws: OrderDeskError.self) { try Self.cancel(store) }
        #expect(try Fixture.commit(store, [Fixture.feedback(3)]).map(\.seq) == [3])
        // Nothing is visible to others before the group ends (a file store's readers wait for
        // its lock; a server's read the last committed state).
        if backend == .server { #expect(try other.refresh().isEmpty) }
        try store.endGroup()
        #expect(try other.refresh().map(\.seq) == [1, 2, 3])
        let reopened = try place.open()
        #expect(try reopened.auditLog().map(\.seq) == [1, 2, 3])
        #expect(Fixture.fingerprint(reopened.state) == Fixture.fingerprint(store.state))
    }

    @Test(arguments: Backend.allCases)
    func aGroupWaitsForNoOneElseAndOthersCatchUpInsideIt(backend: Backend) throws {
        guard let place = try Place(backend, state: Fixture.state()) else { return }
        defer { place.remove() }
        let store = try place.open()
        let other = try place.open(as: "test_bob")
        _ = try Fixture.commit(other, [Fixture.autoRestockOff()], agent: other.authenticatedAgent ?? "bo")
        try store.beginGroup()
        #expect(try Fixture.commit(store, [Fixture.feedback(3)]).map(\.seq) == [2])
        try store.endGroup()
        #expect(try store.refresh().map(\.seq) == [1])
        #expect(try place.open().state.seq == 2)
    }

    @Test(arguments: Backend.allCases)
    func importingOlderOrdersKeepsTheListInPlacedOrderAfterReopening(backend: Backend) throws {
        guard let place = try Place(backend, state: Fixture.state()) else { return }
        defer { place.remove() }
        let store = try place.open()
        let first = try #require(store.state.orders.first)
        var older = first
        older.name = "#0999"
        older.orderNumber = 999
        older.id = 990_000_999
        older.createdAt = first.createdAt.adding(seconds: -86_400)
        var newer = first
        newer.name = "#2001"
        newer.orderNumber = 2001
        newer.id = 990_002_001
        newer.createdAt = Fixture.now.adding(seconds: 60)
        let change = Change.ordersImported(ImportChange(source: "test.json", orders: [newer, older], inventory: [:]))
        _ = try Fixture.commit(store, [change], agent: store.authenticatedAgent ?? "ana")
        #expect(store.state.orders.first?.name == "#0999")
        #expect(store.state.orders.last?.name == "#2001")
        _ = try Self.cancel(store, "#1002")
        let reopened = try place.open()
        #expect(reopened.state.orders.map(\.name) == store.state.orders.map(\.name))
        #expect(Fixture.fingerprint(reopened.state) == Fixture.fingerprint(store.state))
    }
}
