import Foundation
import Glibc
import OrderDeskCore
import OrderDeskTestSupport
import Testing

@_spi(StoreTesting) @testable import OrderDeskStore

/// The stores written by OrderDesk of version 1 in `Fixtures/v1` (see the README there), copied
/// into a temporary directory with the modes a store has.
enum V1Fixture: String, CaseIterable, CustomTestStringConvertible {
    /// 14 orders; import, cancels (now, credit, later, void), a recreate that moved the payment, a
    /// partial refund, restock, notice, feedback: all in the journal.
    case history
    /// The same compacted by version 1 (the journal in `archive/`), then three more events.
    case historyCompacted = "history-compacted"
    /// A cancel with the refund for later, a recreate that moved the payment, then the rest
    /// refunded on the original: 446.87 USD captured, 893.74 USD out. In the journal.
    case doubleRefund = "double-refund"
    /// The same compacted by version 1: the move is told from `recreated_as` / `recreated_from`.
    case doubleRefundCompacted = "double-refund-compacted"

    var testDescription: String { rawValue }

    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().path + "/Fixtures/v1"

    var source: String { Self.directory + "/" + rawValue }

    /// The last event of the store, and the snapshot's sequence number.
    var seq: Int { self == .history ? 11 : self == .historyCompacted ? 14 : 3 }
    var snapshotSeq: Int { self == .history ? 0 : self == .historyCompacted ? 11 : self == .doubleRefund ? 0 : 3 }

    /// Copies the store to `path` (modes 0700 and 0600, as OrderDesk makes them).
    func copy(to path: String) {
        let fm = FileManager.default
        try! fm.copyItem(atPath: source, toPath: path)
        _ = chmod(path, 0o700)
        for name in fm.subpaths(atPath: path) ?? [] {
            var isDirectory: ObjCBool = false
            _ = fm.fileExists(atPath: path + "/" + name, isDirectory: &isDirectory)
            _ = chmod(path + "/" + name, isDirectory.boolValue ? 0o700 : 0o600)
        }
    }

    /// The fixture's files and their bytes (`snapshot.json`, `journal.jsonl`, `archive/...`).
    var files: [String: [UInt8]] {
        var result: [String: [UInt8]] = [:]
        for name in FileManager.default.subpaths(atPath: source) ?? [] {
            if let bytes = Fixture.bytes(source + "/" + name) { result[name] = bytes }
        }
        return result
    }
}

@Suite("FileStore: upgrading a store of version 1")
struct UpgradeTests {
    static func object(_ path: String) throws -> [String: Any] {
        let data = try #require(FileManager.default.contents(atPath: path))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// The state a version-1 store translates to, worked out in memory from its fixture files.
    static func translated(_ fixture: V1Fixture) throws -> StoreState {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        fixture.copy(to: dir.store)
        return try V1Store.read(StoreLayout(dir.store)).state
    }

    @Test func aStoreOfThisVersionIsVersion2() throws {
        #expect(Snapshot.currentVersion == 2)
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        _ = try FileStore.create(at: dir.store, state: Fixture.state())
        #expect(try Self.object(dir.store + "/snapshot.json")["version"] as? Int == 2)
    }

    @Test(arguments: V1Fixture.allCases)
    func theFixturesAreStoresOfVersion1(_ fixture: V1Fixture) throws {
        let snapshot = try Self.object(fixture.source + "/snapshot.json")
        #expect(snapshot["version"] as? Int == 1)
        #expect(snapshot["seq"] as? Int == fixture.snapshotSeq)
        // Sealed as version 1 wrote it, and readable as version 1.
        let v1 = try V1Store.snapshot(try #require(Fixture.bytes(fixture.source + "/snapshot.json")), file: "snapshot.json")
        #expect(v1.seq == fixture.snapshotSeq)
    }

    @Test(arguments: V1Fixture.allCases)
    func opensUpgradedKeepingEveryByte(_ fixture: V1Fixture) throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        fixture.copy(to: dir.store)
        let original = fixture.files
        let expected = try Self.translated(fixture)

        let store = try FileStore.open(at: dir.store)
        #expect(store.state.seq == fixture.seq)
        #expect(Fixture.fingerprint(store.state) == Fixture.fingerprint(expected))
        #expect(store.warnings.first?.contains("upgraded the store from version 1 to version 2") == true)

        // Version 2 on disk: the snapshot holds everything, the journal starts afresh.
        let snapshot = try Self.object(dir.store + "/snapshot.json")
        #expect(snapshot["version"] as? Int == 2)
        #expect(snapshot["seq"] as? Int == fixture.seq)
        #expect(Fixture.bytes(dir.store + "/journal.jsonl") == [])
        #expect(Fixture.mode(dir.store + "/snapshot.json") == 0o600)
        #expect(Fixture.files(dir.store).allSatisfy { !$0.contains(".tmp.") })

        // Every byte of version 1 is kept: the snapshot and the journal in archive/ under their
        // sequence numbers, the archives of version 1 untouched.
        let archive = dir.store + "/archive"
        #expect(Fixture.bytes(archive + "/v1-snapshot-\(fixture.snapshotSeq).json") == original["snapshot.json"])
        let journal = try #require(original["journal.jsonl"])
        if journal.isEmpty {
            #expect(!Fixture.files(archive).contains { $0.hasPrefix("v1-journal-") })
        } else {
            #expect(Fixture.bytes(archive + "/v1-journal-\(fixture.snapshotSeq + 1)-\(fixture.seq).jsonl") == journal)
        }
        for (name, bytes) in original where name.hasPrefix("archive/") {
            #expect(Fixture.bytes(dir.store + "/" + name) == bytes)
        }

        // A clean version-2 store, whose audit log still holds every event.
        let report = FileStore.verify(at: dir.store)
        #expect(report.isClean, "\(report)")
        #expect(report.version == 2)
        #expect(report.archivedEvents == fixture.seq)
        #expect(try store.auditLog().map(\.seq) == Array(1...fixture.seq))

        // Opening it again is a plain open of version 2.
        let tree = Fixture.tree(dir.store)
        let again = try FileStore.open(at: dir.store)
        #expect(again.warnings.isEmpty)
        #expect(Fixture.fingerprint(again.state) == Fixture.fingerprint(store.state))
        #expect(Fixture.tree(dir.store) == tree)
        #expect(try again.auditLog() == (try store.auditLog()))
    }

    /// The audit log from before the upgrade, translated on the way, is the very history the
    /// upgrade replayed: applied to the translated version-1 snapshot, it gives the store.
    @Test(arguments: [V1Fixture.history, .doubleRefund])
    func theOldEventsReplayToTheUpgradedStore(_ fixture: V1Fixture) throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        fixture.copy(to: dir.store)
        let store = try FileStore.open(at: dir.store)
        // The version-1 snapshot alone, translated with the same ids.
        let v1 = try V1Store.snapshot(try #require(Fixture.bytes(fixture.source + "/snapshot.json")), file: "snapshot.json")
        let events = try V1Store.scan(try #require(Fixture.bytes(fixture.source + "/journal.jsonl")), file: "journal.jsonl")
        var translator = V1Translator(nextID: V1Store.largestID(v1, events) + 1)
        var state = translator.state(v1)
        for event in try store.auditLog() { try state.apply(event) }
        #expect(Fixture.fingerprint(state) == Fixture.fingerprint(store.state))
    }

    @Test func theOldHistoryReadsInTheLog() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        V1Fixture.historyCompacted.copy(to: dir.store)
        let store = try FileStore.open(at: dir.store)
        let log = try store.auditLog()
        #expect(
            log.map(\.type) == [
                "orders.imported", "order.cancelled", "order.cancelled", "order.restocked", "order.cancelled", "order.recreated",
                "order.cancelled", "order.refunded", "order.cancelled", "customer.notified", "feedback.logged", "order.refunded",
                "order.cancelled", "feedback.logged",
            ])
        // Who, when, and the script line that made it, as version 1 wrote them.
        #expect(log[1].agent == "ana")
        #expect(log[1].batch?.line == 2)
        #expect(log[11].agent == "bob")
        // The records in the log are the ones on the orders: same ids, same amounts.
        guard case .orderCancelled(let cancel) = log[1].change, case .orderRecreated(let recreate) = log[5].change,
            case .orderCancelled(let void) = log[6].change
        else {
            Issue.record("unexpected events: \(log.map(\.type))")
            return
        }
        let first = try #require(store.state.order(named: "#2001"))
        #expect(cancel.refund == first.refunds.first)
        #expect(recreate.moved == store.state.order(named: "#2002")?.refunds.first)
        #expect(recreate.order.transactions == store.state.order(named: "#2006")?.transactions)
        #expect(void.voids.count == 1)
        #expect(void.voids == store.state.order(named: "#1002")?.transactions.filter { $0.kind == .void })
        let lines = log.map { EventSummary.describe($0, in: store.state) }
        #expect(
            lines[1]
                == "#2001 Cancelled (customer: Customer changed/canceled order); refunded 76.90 EUR to the original payment method; 3 units restocked; customer notified"
        )
        #expect(lines[5] == "#2002 Recreated as #2006")
        // The timeline's words of the time, as version 1 wrote them.
        #expect(lines[6].contains("payment voided"))
    }

    /// The translation rules, order by order, on the store with every kind of event.
    @Test func theLedgerFollowsTheRules() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        V1Fixture.history.copy(to: dir.store)
        let state = try FileStore.open(at: dir.store).state
        func order(_ name: String) throws -> Order { try #require(state.order(named: name)) }
        let ids = state.orders.flatMap { $0.transactions + $0.refunds.flatMap(\.transactions) }.map(\.id)
        #expect(Set(ids).count == ids.count)

        // Paid, prices with tax included (total = subtotal + shipping), cancelled with the refund now.
        let a = try order("#2001")
        #expect(a.taxesIncluded)
        #expect(a.subtotalPrice == Money("71.00")!)
        #expect(a.transactions.map(\.kind) == [.sale])
        #expect(a.transactions.first?.gateway == Gateway.unknown)
        #expect(a.transactions.first?.amount == Money("76.90")!)
        let refund = try #require(a.refunds.first?.transactions.first)
        #expect(refund.kind == .refund && refund.gateway == Gateway.unknown && refund.currency == "EUR")
        #expect(refund.parentId == a.transactions.first?.id)
        #expect(refund.createdAt == a.refunds.first?.createdAt)
        #expect(a.financialStatus == .refunded && a.refundOwed.isZero)
        #expect(a.lineItems.allSatisfy { $0.fulfillableQuantity == 0 && !$0.giftCard })

        // Store credit stays store credit; a shipping problem is Shopify's "other".
        let e = try order("#2005")
        #expect(e.refunds.first?.transactions.map(\.gateway) == [Gateway.storeCredit])
        #expect(e.cancelReason == .other)
        #expect(e.cancellation?.reason == .shipping)

        // Refund later, then recreated with the payment moved: a transfer on both orders.
        let b = try order("#2002")
        #expect(b.cancellation?.refund == .later)
        let moved = try #require(b.refunds.first)
        #expect(moved.isTransfer)
        #expect(moved.transactions.map(\.transfer) == ["#2006"])
        #expect(moved.amount == Money("59.35")!)
        #expect(b.refundOwed.isZero && b.refundable.isZero)
        let recreated = try order("#2006")
        #expect(recreated.transactions.map(\.kind) == [.sale])
        #expect(recreated.transactions.first?.transfer == "#2002")
        #expect(recreated.transactions.first?.amount == Money("59.35")!)
        #expect(recreated.financialStatus == .paid)
        // Made by OrderDesk with a discount: the subtotal was before it, now after it.
        #expect(recreated.subtotalPrice == Money("45.00")!)
        #expect(recreated.totalDiscounts == Money("5.00")!)
        #expect(!recreated.taxesIncluded)
        // Imported with a discount: the subtotal was after it already.
        #expect(b.subtotalPrice == Money("45.00")!)

        // Authorized, then cancelled: the authorization is voided.
        let voided = try order("#1002")
        #expect(voided.transactions.map(\.kind) == [.authorization, .void])
        #expect(voided.transactions[1].parentId == voided.transactions[0].id)
        #expect(voided.financialStatus == .voided)
        // Voided in the snapshot of version 1 (the demo's history): the same.
        #expect(try order("#1003").transactions.map(\.kind) == [.authorization, .void])
        // Still authorized.
        #expect(try order("#1008").transactions.map(\.kind) == [.authorization])
        #expect(try order("#1008").financialStatus == .authorized)

        // Partly paid: version 1 did not record how much; nothing is made up, and the order says so.
        let partly = try order("#2003")
        #expect(partly.transactions.isEmpty)
        #expect(partly.timeline.contains { $0.message == V1Translator.partlyPaidNote })
        // Pending: nothing paid.
        #expect(try order("#2004").transactions.isEmpty)
        #expect(try order("#2004").financialStatus == .pending)

        // A partial refund on a fulfilled order.
        let partial = try order("#1004")
        #expect(partial.financialStatus == .partiallyRefunded)
        #expect(partial.amountRefunded == Money("100.00")!)
        #expect(partial.refundable == Money("546.25")!)

        #expect(LedgerAudit.findings(in: state) == [])
    }

    @Test(arguments: [V1Fixture.doubleRefund, .doubleRefundCompacted])
    func theDoubleRefundOpensAndVerifyReportsIt(_ fixture: V1Fixture) throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        fixture.copy(to: dir.store)

        // Checked before the upgrade: read-only, as the upgrade will read it.
        let tree = Fixture.tree(dir.store)
        let before = FileStore.verify(at: dir.store)
        #expect(Fixture.tree(dir.store) == tree)
        #expect(before.isClean, "\(before)")
        #expect(before.version == 1)
        #expect(before.notes.contains { $0.contains("store version 1") && $0.contains("upgrades it to version 2") })
        let problem = "refunded 893.74 USD in all (moves included), more than the 446.87 USD captured"
        #expect(before.money.contains(VerifyReport.MoneyProblem(order: "#1001", problem: problem)))

        let store = try FileStore.open(at: dir.store)
        #expect(store.warnings.contains { $0.contains("#1001") && $0.contains("store verify") })
        let original = try #require(store.state.order(named: "#1001"))
        // Moved to #1004 and refunded again: both are there, nothing hidden or repaired.
        #expect(original.refunds.count == 2)
        #expect(original.refunds.first?.transactions.first?.transfer == "#1004")
        #expect(original.refunds.last?.transactions.first?.transfer == nil)
        #expect(original.amountPaid == Money("446.87")!)
        // Made by OrderDesk with a discount: subtotal 489.86 before it, 440.88 after it.
        #expect(original.subtotalPrice == Money("440.88")!)
        #expect(store.state.order(named: "#1004")?.transactions.first?.transfer == "#1001")

        let report = FileStore.verify(at: dir.store)
        #expect(report.isClean)
        #expect(report.moneyChecked)
        #expect(report.money.contains(VerifyReport.MoneyProblem(order: "#1001", problem: problem)))
        #expect(report.money.allSatisfy { $0.order == "#1001" })
        let text = report.description
        #expect(text.hasPrefix("store \(dir.store): \(report.money.count) money problems (the files are sound)"))
        #expect(text.contains("money problems (facts about the orders"))
        #expect(text.contains("    #1001: " + problem))
    }

    @Test(arguments: V1Fixture.allCases)
    func verifyChecksAStoreOfVersion1WithoutWriting(_ fixture: V1Fixture) throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        fixture.copy(to: dir.store)
        let tree = Fixture.tree(dir.store)
        let report = FileStore.verify(at: dir.store)
        #expect(Fixture.tree(dir.store) == tree)
        #expect(report.isClean, "\(report)")
        #expect(report.version == 1)
        #expect(report.seq == fixture.seq)
        #expect(report.snapshotSeq == fixture.snapshotSeq)
        #expect(report.moneyChecked)
        #expect(report.money.isEmpty == (fixture == .history || fixture == .historyCompacted))
        #expect(report.orders == (try Self.translated(fixture)).orders.count)
    }

    @Test func aCleanStoreHasNoMoneySection() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        _ = try FileStore.create(at: dir.store, state: Fixture.state())
        let report = FileStore.verify(at: dir.store)
        #expect(report.moneyChecked && report.money.isEmpty)
        #expect(report.description.hasPrefix("store \(dir.store): OK\n"))
        #expect(!report.description.contains("money"))
    }

    /// A crash after each step of the upgrade (simulated in-process: the files stay as the step
    /// left them). Before the new snapshot is in place the store of version 1 is untouched; after
    /// it, the next open finishes; either way the next open gives the upgraded store.
    @Test(arguments: 0...4)
    func aCrashMidUpgradeLeavesAStoreThatOpens(step: Int) throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let fixture = V1Fixture.history
        fixture.copy(to: dir.store)
        let original = fixture.files
        let expected = try Self.translated(fixture)
        var options = FileStoreOptions()
        options.simulatedCrashAfterStep = step
        #expect(throws: OrderDeskError.self) { try FileStore.open(at: dir.store, options: options) }

        let snapshot = Fixture.bytes(dir.store + "/snapshot.json")
        let journal = Fixture.bytes(dir.store + "/journal.jsonl")
        if step < 3 {
            // The version-1 store as it was.
            #expect(snapshot == original["snapshot.json"])
            #expect(journal == original["journal.jsonl"])
            #expect(FileStore.verify(at: dir.store).version == 1)
        } else {
            #expect(try Self.object(dir.store + "/snapshot.json")["version"] as? Int == 2)
            #expect(journal == (step == 3 ? original["journal.jsonl"] : []))
        }

        let store = try FileStore.open(at: dir.store)
        #expect(Fixture.fingerprint(store.state) == Fixture.fingerprint(expected))
        // Upgraded now, or finished now, or (stopped after the last step) upgraded already.
        switch step {
        case 0...2: #expect(store.warnings.first?.hasPrefix("upgraded the store from version 1") == true)
        case 3: #expect(store.warnings.first?.hasPrefix("finished the upgrade from version 1") == true)
        default: #expect(store.warnings.isEmpty)
        }
        #expect(Fixture.bytes(dir.store + "/journal.jsonl") == [])
        #expect(Fixture.bytes(dir.store + "/archive/v1-snapshot-0.json") == original["snapshot.json"])
        #expect(Fixture.bytes(dir.store + "/archive/v1-journal-1-11.jsonl") == original["journal.jsonl"])
        #expect(Fixture.files(dir.store + "/archive") == ["v1-journal-1-11.jsonl", "v1-snapshot-0.json"])
        #expect(Fixture.files(dir.store).allSatisfy { !$0.contains(".tmp.") })
        #expect(FileStore.verify(at: dir.store).isClean)
        #expect(try store.auditLog().map(\.seq) == Array(1...11))
        try Fixture.commit(store, [Fixture.autoRestockOff()])
        #expect(try FileStore.open(at: dir.store).state.seq == 12)
    }

    /// Links need not be possible: a copy of the version-1 journal in archive/ is known too.
    @Test func anUpgradeStoppedBeforeItsFreshJournalIsFinishedWithACopy() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        V1Fixture.history.copy(to: dir.store)
        var options = FileStoreOptions()
        options.simulatedCrashAfterStep = 3
        #expect(throws: OrderDeskError.self) { try FileStore.open(at: dir.store, options: options) }
        // Replace the hard link by a copy, as a file system without links would have it.
        let kept = dir.store + "/archive/v1-journal-1-11.jsonl"
        let bytes = try #require(Fixture.bytes(kept))
        try FileManager.default.removeItem(atPath: kept)
        Fixture.write(kept, bytes)
        #expect(Fixture.linkCount(dir.store + "/journal.jsonl") == 1)
        let store = try FileStore.open(at: dir.store)
        #expect(store.state.seq == 11)
        #expect(Fixture.bytes(dir.store + "/journal.jsonl") == [])
        #expect(Fixture.bytes(kept) == bytes)
    }

    /// A store of version 1 had `snapshot.written.json` too, a hard link to its snapshot: it
    /// follows the new snapshot, and accepting an edit works on the upgraded store.
    @Test func theSnapshotAsWrittenFollowsTheUpgrade() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        V1Fixture.doubleRefund.copy(to: dir.store)
        let snapshot = dir.store + "/snapshot.json"
        let written = dir.store + "/snapshot.written.json"
        #expect(link(snapshot, written) == 0)
        let v1 = try #require(Fixture.bytes(snapshot))
        _ = try FileStore.open(at: dir.store)
        #expect(Fixture.linkCount(snapshot) == 2)
        #expect(Fixture.bytes(written) == Fixture.bytes(snapshot))
        #expect(Fixture.bytes(dir.store + "/archive/v1-snapshot-0.json") == v1)

        // An edit of the version-2 snapshot (as jq writes it: no checksum) is listed against it.
        let bytes = try #require(Fixture.bytes(snapshot))
        let text = String(decoding: bytes.dropLast(SnapshotReader.trailerLength), as: UTF8.self)
        try FileManager.default.removeItem(atPath: snapshot)
        Fixture.write(snapshot, Array(text.replacingOccurrences(of: "\"tags\":\"wholesale\"", with: "\"tags\":\"wholesale, vip\"").utf8))
        let edit = try FileStore.acceptEdit(at: dir.store, agent: "ana", now: Fixture.now, dryRun: false)
        #expect(edit.changedOrders == ["#1002", "#1003"])
        #expect(try FileStore.open(at: dir.store).state.seq == 4)
    }

    @Test func aTornLastLineIsKeptAndIgnored() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        V1Fixture.history.copy(to: dir.store)
        let journal = dir.store + "/journal.jsonl"
        Fixture.append(journal, Array(#"{"agent":"ana","at":"2026-12-07T09:00:00Z","#.utf8))
        let bytes = try #require(Fixture.bytes(journal))
        let store = try FileStore.open(at: dir.store)
        #expect(store.state.seq == 11)
        #expect(store.warnings.contains { $0.contains("torn line") })
        #expect(Fixture.bytes(dir.store + "/archive/v1-journal-1-11.jsonl") == bytes)
        #expect(try store.auditLog().map(\.seq) == Array(1...11))
        #expect(FileStore.verify(at: dir.store).isClean)
    }

    @Test func aDamagedStoreOfVersion1IsRefusedAndNotUpgraded() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        V1Fixture.history.copy(to: dir.store)
        let journal = dir.store + "/journal.jsonl"
        var bytes = try #require(Fixture.bytes(journal))
        let second = try #require(bytes.firstIndex(of: 0x0A)) + 40
        bytes[second] = bytes[second] == UInt8(ascii: "x") ? UInt8(ascii: "y") : UInt8(ascii: "x")
        Fixture.write(journal, bytes)
        let before = Fixture.tree(dir.store, excluding: ["quarantine", "store.lock"])
        do {
            _ = try FileStore.open(at: dir.store)
            Issue.record("a damaged store of version 1 opened")
        } catch {
            guard case .storeCorrupt(let file, let position, _, _) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(file == journal)
            #expect(position.hasPrefix("line 2 "))
        }
        #expect(Fixture.tree(dir.store, excluding: ["quarantine", "store.lock"]) == before)
        #expect(!FileManager.default.fileExists(atPath: dir.store + "/archive"))
        #expect(!FileStore.verify(at: dir.store).isClean)
    }

    @Test func anEditedSnapshotOfVersion1IsRefusedWithAWayOut() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        V1Fixture.doubleRefund.copy(to: dir.store)
        let snapshot = dir.store + "/snapshot.json"
        let text = String(decoding: try #require(Fixture.bytes(snapshot)), as: UTF8.self)
        Fixture.write(snapshot, Array(text.replacingOccurrences(of: "Noah", with: "Noam").utf8))
        #expect(throws: OrderDeskError.self) { try FileStore.open(at: dir.store) }
        #expect(try Self.object(snapshot)["version"] as? Int == 1)
        do {
            _ = try FileStore.acceptEdit(at: dir.store, agent: "ana", now: Fixture.now, dryRun: true)
            Issue.record("an edit of a version-1 snapshot was accepted")
        } catch {
            #expect(error.message.contains("version 1"))
            #expect(error.message.contains(StoreLayout.writtenSnapshotName))
        }
    }

    /// Two sessions opening the same store of version 1: the first upgrades, the second finds
    /// version 2 and opens it as it is.
    @Test func aSecondSessionFindsTheStoreUpgraded() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        V1Fixture.doubleRefund.copy(to: dir.store)
        let first = try FileStore.open(at: dir.store)
        let second = try FileStore.open(at: dir.store)
        #expect(!first.warnings.isEmpty)
        #expect(second.warnings.isEmpty)
        #expect(Fixture.fingerprint(first.state) == Fixture.fingerprint(second.state))
        try Fixture.commit(first, [Fixture.autoRestockOff()])
        #expect(try second.refresh().map(\.seq) == [4])
    }

    /// An archive of a compaction of version 1 still reads when the files the upgrade kept were
    /// removed (its lines are tried as version 1 when they are not version 2).
    @Test func anArchiveOfVersion1ReadsWithoutTheKeptFiles() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        V1Fixture.historyCompacted.copy(to: dir.store)
        let store = try FileStore.open(at: dir.store)
        try FileManager.default.removeItem(atPath: dir.store + "/archive/v1-snapshot-11.json")
        try FileManager.default.removeItem(atPath: dir.store + "/archive/v1-journal-12-14.jsonl")
        #expect(try store.auditLog().map(\.seq) == Array(1...11))
        #expect(FileStore.verify(at: dir.store).isClean)
    }
}
