import Foundation
import Glibc
import OrderDeskCore
import OrderDeskTestSupport
import Testing

@_spi(StoreTesting) @testable import OrderDeskStore

@Suite("FileStore: creating, opening, committing")
struct FileStoreTests {
    @Test func createThenOpenGivesTheSameState() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let state = Fixture.state(seq: 5)
        let created = try FileStore.create(at: dir.store, state: state)
        #expect(Fixture.fingerprint(created.state) == Fixture.fingerprint(state))
        #expect(Fixture.files(dir.store) == ["journal.jsonl", "snapshot.json", "store.lock"])
        #expect(Fixture.bytes(dir.store + "/journal.jsonl") == [])

        let opened = try FileStore.open(at: dir.store)
        #expect(opened.state.seq == 5)
        #expect(opened.state.orders.map(\.name) == ["#1001", "#1002"])
        #expect(opened.state.inventory == ["TEE-BLK-M": 4, "MUG-WHT": 0, "HOOD-GRY-L": 7])
        #expect(opened.state.order(named: "#1002")?.totalPrice == Money("5900")!)
        #expect(Fixture.fingerprint(opened.state) == Fixture.fingerprint(state))
        #expect(opened.isDemo == false)
        #expect(opened.location == dir.store)
        #expect(opened.warnings.isEmpty)
    }

    @Test func theSnapshotIsTheDocumentedJSON() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        _ = try FileStore.create(at: dir.store, state: Fixture.state(seq: 3))
        let data = try #require(FileManager.default.contents(atPath: dir.store + "/snapshot.json"))
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["format"] as? String == "orderdesk-store")
        #expect(object["version"] as? Int == 2)
        #expect(object["seq"] as? Int == 3)
        #expect(Set(object.keys) == ["format", "version", "seq", "orders", "inventory", "feedback", "settings", "outbox"])
        let orders = try #require(object["orders"] as? [[String: Any]])
        #expect(orders.first?["total_price"] as? String == "67.40")
        // Keys are sorted, so the same state always gives the same bytes.
        #expect(String(decoding: data, as: UTF8.self).hasPrefix("{\"feedback\":[],\"format\":\"orderdesk-store\""))
    }

    @Test func createRefusesAnExistingStore() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        _ = try FileStore.create(at: dir.store, state: Fixture.state())
        let before = Fixture.tree(dir.store)
        #expect(throws: OrderDeskError.storeExists(path: dir.store)) {
            try FileStore.create(at: dir.store, state: StoreState())
        }
        #expect(Fixture.tree(dir.store) == before)
    }

    @Test func createMakesMissingParentDirectories() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.path + "/a/b/store/"
        let store = try FileStore.create(at: path, state: Fixture.state())
        #expect(store.location == dir.path + "/a/b/store")
        #expect(FileManager.default.fileExists(atPath: dir.path + "/a/b/store/snapshot.json"))
    }

    @Test func aDemoStoreIsMarkedByADemoFile() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let created = try FileStore.create(at: dir.store, state: Fixture.state(), isDemo: true)
        #expect(created.isDemo)
        #expect(Fixture.bytes(dir.store + "/demo") == [])
        #expect(try FileStore.open(at: dir.store).isDemo)
        #expect(FileStore.verify(at: dir.store).isDemo)
    }

    @Test func openingWhereThereIsNoStoreSaysSoAndLeavesNoLockBehind() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        #expect(throws: OrderDeskError.storeMissing(path: dir.path + "/nothing")) {
            try FileStore.open(at: dir.path + "/nothing")
        }
        #expect(throws: OrderDeskError.storeMissing(path: dir.path)) { try FileStore.open(at: dir.path) }
        #expect(Fixture.files(dir.path).isEmpty)
    }

    @Test func commitsAreThereAfterReopening() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let store = try FileStore.create(at: dir.store, state: Fixture.state())
        let first = try store.commit(agent: "ana", now: Fixture.now) { state throws(OrderDeskError) in
            #expect(state.settings.autoRestock)
            return [Fixture.autoRestockOff()]
        }
        #expect(first.map(\.seq) == [1])
        #expect(first.first?.agent == "ana")
        #expect(first.first?.at == Fixture.now)
        let second = try store.commit(agent: "bob", now: Fixture.now.adding(seconds: 60)) { _ throws(OrderDeskError) in
            [Fixture.cancelFirst(), Fixture.feedback(8001)]
        }
        #expect(second.map(\.seq) == [2, 3])
        #expect(store.state.seq == 3)
        #expect(store.state.order(named: "#1001")?.isCancelled == true)

        // One line per event, and the two events of one commit follow each other.
        let lines = Fixture.lines(dir.store + "/journal.jsonl")
        #expect(lines.count == 4 && lines.last == "")

        let reopened = try FileStore.open(at: dir.store)
        #expect(reopened.state.seq == 3)
        #expect(reopened.state.settings.autoRestock == false)
        let cancelled = try #require(reopened.state.order(named: "#1001"))
        #expect(cancelled.cancelledAt == Fixture.now.adding(seconds: 60))
        #expect(cancelled.cancelReason == .customer)
        #expect(cancelled.financialStatus == .refunded)
        #expect(cancelled.cancellation?.agent == "bob")
        #expect(cancelled.lineItems.first?.restocked == 2)
        #expect(reopened.state.inventory["TEE-BLK-M"] == 6)
        #expect(reopened.state.feedback.map(\.id) == [8001])
        #expect(Fixture.fingerprint(reopened.state) == Fixture.fingerprint(store.state))
        #expect(try reopened.auditLog().map(\.seq) == [1, 2, 3])
        #expect(try reopened.auditLog() == store.auditLog())
    }

    @Test func aRefusalWritesNothing() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let store = try FileStore.create(at: dir.store, state: Fixture.state())
        try Fixture.commit(store, [Fixture.autoRestockOff()])
        let before = Fixture.tree(dir.store)
        let refusal = OrderDeskError.alreadyCancelled(order: "#1001", at: Fixture.now, by: "bob", reason: .customer)
        #expect(throws: refusal) {
            try store.commit(agent: "ana", now: Fixture.now) { _ throws(OrderDeskError) in throw refusal }
        }
        #expect(Fixture.tree(dir.store) == before)
        #expect(store.state.seq == 1)
        let none = try store.commit(agent: "ana", now: Fixture.now) { _ throws(OrderDeskError) in [] }
        #expect(none.isEmpty)
        #expect(Fixture.tree(dir.store) == before)
    }

    @Test func twoInstancesSeeEachOthersChanges() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        _ = try FileStore.create(at: dir.store, state: Fixture.state())
        let ana = try FileStore.open(at: dir.store)
        let bob = try FileStore.open(at: dir.store)

        let mine = try Fixture.commit(ana, [Fixture.autoRestockOff()], agent: "ana")
        // Bob decides against the current state, which already has Ana's change.
        let his = try bob.commit(agent: "bob", now: Fixture.now) { state throws(OrderDeskError) in
            #expect(state.seq == 1)
            #expect(state.settings.autoRestock == false)
            return [Fixture.cancelFirst()]
        }
        #expect(mine.map(\.seq) == [1])
        #expect(his.map(\.seq) == [2])

        let anaSees = try ana.refresh()
        #expect(anaSees.map(\.seq) == [2])
        #expect(anaSees.first?.agent == "bob")
        #expect(ana.state.order(named: "#1001")?.isCancelled == true)
        // Bob caught up with Ana's change inside his commit: his next refresh reports it.
        #expect(try bob.refresh().map(\.agent) == ["ana"])
        #expect(try bob.refresh().isEmpty)
        #expect(try ana.refresh().isEmpty)
        #expect(Fixture.fingerprint(ana.state) == Fixture.fingerprint(bob.state))
        #expect(try FileStore.open(at: dir.store).state.seq == 2)
    }

    @Test func theSecondOfTwoConflictingCancelsIsRefused() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        _ = try FileStore.create(at: dir.store, state: Fixture.state())
        let ana = try FileStore.open(at: dir.store)
        let bob = try FileStore.open(at: dir.store)
        func cancel(_ store: FileStore, _ agent: String) throws -> [Event] {
            try store.commit(agent: agent, now: Fixture.now) { state throws(OrderDeskError) in
                if let order = state.order(named: "#1001"), let at = order.cancelledAt {
                    throw .alreadyCancelled(order: "#1001", at: at, by: order.cancellation?.agent ?? "", reason: order.cancelReason)
                }
                return [Fixture.cancelFirst()]
            }
        }
        #expect(try cancel(ana, "ana").count == 1)
        #expect(throws: OrderDeskError.alreadyCancelled(order: "#1001", at: Fixture.now, by: "ana", reason: .customer)) {
            try cancel(bob, "bob")
        }
        #expect(try FileStore.open(at: dir.store).state.seq == 1)
    }

    @Test func concurrentWritersProduceConsecutiveSequenceNumbers() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        _ = try FileStore.create(at: dir.store, state: Fixture.state())
        let path = dir.store
        let writers = 4
        let perWriter = 25
        DispatchQueue.concurrentPerform(iterations: writers) { writer in
            guard let store = try? FileStore.open(at: path) else { return }
            for k in 0..<perWriter {
                _ = try? store.commit(agent: "agent\(writer)", now: Fixture.now) { _ throws(OrderDeskError) in
                    [Fixture.feedback(Int64(writer * 1000 + k))]
                }
            }
        }
        let store = try FileStore.open(at: path)
        #expect(store.state.seq == writers * perWriter)
        #expect(store.state.feedback.count == writers * perWriter)
        #expect(Set(store.state.feedback.map(\.id)).count == writers * perWriter)
        #expect(try store.auditLog().map(\.seq) == Array(1...(writers * perWriter)))
    }

    @Test func aHeldLockMakesTheStoreBusy() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        _ = try FileStore.create(at: dir.store, state: Fixture.state())
        var options = FileStoreOptions()
        options.lockTimeout = 0.2
        let holder = try FileStore.open(at: dir.store)
        let waiter = try FileStore.open(at: dir.store, options: options)
        try holder.lock.acquire(.exclusive, timeout: 1, store: dir.store)
        let started = POSIX.monotonicSeconds()
        #expect(throws: OrderDeskError.storeLocked(path: dir.store)) { try waiter.refresh() }
        #expect(POSIX.monotonicSeconds() - started >= 0.2)
        #expect(throws: OrderDeskError.storeLocked(path: dir.store)) {
            try FileStore.open(at: dir.store, options: options)
        }
        holder.lock.release()
        #expect(try waiter.refresh().isEmpty)
        // Readers share the lock.
        try holder.lock.acquire(.shared, timeout: 1, store: dir.store)
        defer { holder.lock.release() }
        #expect(try FileStore.open(at: dir.store, options: options).state.seq == 0)
    }

    @Test func filesAreMode0600AndDirectories0700() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let old = umask(0o022)
        defer { umask(old) }
        let store = try FileStore.create(at: dir.store, state: Fixture.state(), isDemo: true)
        try Fixture.commit(store, [Fixture.autoRestockOff(), Fixture.feedback(1)])
        try store.compact()
        try Fixture.commit(store, [Fixture.autoRestockOn()])
        #expect(Fixture.mode(dir.store) == 0o700)
        #expect(Fixture.mode(dir.store + "/archive") == 0o700)
        for file in ["store.lock", "snapshot.json", "journal.jsonl", "demo", "archive/journal-1-2.jsonl"] {
            #expect(Fixture.mode(dir.store + "/" + file) == 0o600, "\(file)")
        }
        // A quarantine copy too.
        Fixture.write(dir.store + "/snapshot.json", Array("{".utf8))
        #expect(throws: OrderDeskError.self) { try FileStore.open(at: dir.store) }
        #expect(Fixture.mode(dir.store + "/quarantine") == 0o700)
        for name in Fixture.files(dir.store + "/quarantine") {
            #expect(Fixture.mode(dir.store + "/quarantine/" + name) == 0o600)
        }
        #expect(Fixture.files(dir.store + "/quarantine").count == 1)
    }

    @Test func aFailedAppendIsTakenBackAndNotApplied() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let store = try FileStore.create(at: dir.store, state: Fixture.state())
        try Fixture.commit(store, [Fixture.autoRestockOff()])
        let journal = dir.store + "/journal.jsonl"
        let before = Fixture.digest(journal)
        store.options.appendFault = ENOSPC
        #expect {
            try store.commit(agent: "ana", now: Fixture.now) { _ throws(OrderDeskError) in [Fixture.cancelFirst()] }
        } throws: { error in
            guard case .storeIO(let path, _, let reason)? = error as? OrderDeskError else { return false }
            return path == journal && reason == String(cString: strerror(ENOSPC))
        }
        #expect(Fixture.digest(journal) == before)
        #expect(store.state.seq == 1)
        #expect(store.state.order(named: "#1001")?.isCancelled == false)

        store.options.appendFault = nil
        let events = try Fixture.commit(store, [Fixture.cancelFirst()])
        #expect(events.map(\.seq) == [2])
        #expect(try FileStore.open(at: dir.store).state.seq == 2)
    }

    @Test func aChangeThatDoesNotFitTheStateIsTakenBack() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let store = try FileStore.create(at: dir.store, state: Fixture.state())
        try Fixture.commit(store, [Fixture.autoRestockOff()])
        let journal = dir.store + "/journal.jsonl"
        let before = Fixture.digest(journal)
        #expect(throws: OrderDeskError.self) { try Fixture.commit(store, [Fixture.cancelMissing()]) }
        #expect(Fixture.digest(journal) == before)
        #expect(store.state.seq == 1)
        #expect(try Fixture.commit(store, [Fixture.feedback(3)]).map(\.seq) == [2])
        #expect(try FileStore.open(at: dir.store).state.seq == 2)
    }

    @Test func aNestedStoreCallIsRefusedNotDeadlocked() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let store = try FileStore.create(at: dir.store, state: Fixture.state())
        #expect {
            try store.commit(agent: "ana", now: Fixture.now) { _ throws(OrderDeskError) in
                _ = try store.refresh()
                return [Fixture.autoRestockOff()]
            }
        } throws: { error in
            guard case .storeIO(_, "lock", _)? = error as? OrderDeskError else { return false }
            return true
        }
        #expect(store.state.seq == 0)
        #expect(try Fixture.commit(store, [Fixture.autoRestockOff()]).map(\.seq) == [1])
    }

    @Test func staleTemporaryFilesAreRemovedByTheNextChangeOnly() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let store = try FileStore.create(at: dir.store, state: Fixture.state())
        let stale = dir.store + "/snapshot.json.tmp.999999"
        Fixture.write(stale, Array("partial".utf8))
        _ = try FileStore.open(at: dir.store)
        _ = try store.refresh()
        #expect(FileManager.default.fileExists(atPath: stale))
        #expect(FileStore.verify(at: dir.store).notes.contains { $0.contains("snapshot.json.tmp.999999") })
        try Fixture.commit(store, [Fixture.autoRestockOff()])
        #expect(!FileManager.default.fileExists(atPath: stale))
    }
}
