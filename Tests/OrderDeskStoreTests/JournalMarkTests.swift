import Foundation
import OrderDeskCore
import OrderDeskTestSupport
import Testing

@_spi(StoreTesting) @testable import OrderDeskStore

/// `journal.seq`: the last acknowledged sequence number, written after the journal's sync, so
/// that a journal that lost whole lines is refused instead of read as a shorter store (issue 13).
@Suite("FileStore: the acknowledged mark")
struct JournalMarkTests {
    /// A store with three acknowledged events.
    static func store(in dir: TemporaryDirectory) throws -> FileStore {
        let store = try FileStore.create(at: dir.store, state: Fixture.state())
        try Fixture.commit(store, [Fixture.autoRestockOff(), Fixture.cancelFirst(), Fixture.feedback(1)])
        return store
    }

    static func mark(_ dir: TemporaryDirectory) -> String? {
        Fixture.bytes(dir.store + "/journal.seq").map { String(decoding: $0, as: UTF8.self) }
    }

    @Test func eachCommitRecordsItsLastEventAfterTheJournal() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let store = try FileStore.create(at: dir.store, state: Fixture.state())
        #expect(Self.mark(dir) == nil)
        try Fixture.commit(store, [Fixture.autoRestockOff()])
        #expect(Self.mark(dir) == "1\n")
        #expect(Fixture.mode(dir.store + "/journal.seq") == 0o600)
        try Fixture.commit(store, [Fixture.cancelFirst(), Fixture.feedback(1)])
        #expect(Self.mark(dir) == "3\n")
        // A group writes it once, with the group's last event.
        try store.beginGroup()
        for id in 2...4 { try Fixture.commit(store, [Fixture.feedback(Int64(id))]) }
        #expect(Self.mark(dir) == "3\n")
        try store.endGroup()
        #expect(Self.mark(dir) == "6\n")
    }

    @Test func aJournalCutAtALineBoundaryIsRefusedNamingTheMissingEvents() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        _ = try Self.store(in: dir)
        let journal = dir.store + "/journal.jsonl"
        let lines = Fixture.lines(journal)
        let cut = Array((lines[0] + "\n" + lines[1] + "\n").utf8)
        Fixture.write(journal, cut)
        DamageTests.expectRefusal(
            dir, file: "journal.jsonl", position: "byte \(cut.count)", problem: "event 3 is missing")
        let report = FileStore.verify(at: dir.store)
        #expect(!report.isClean)
        #expect(report.problems.first?.problem.contains("event 3 is missing") == true)
    }

    @Test func anEmptiedJournalIsRefused() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        _ = try Self.store(in: dir)
        Fixture.write(dir.store + "/journal.jsonl", [])
        DamageTests.expectRefusal(dir, file: "journal.jsonl", position: "byte 0", problem: "events 1 to 3 are missing")
        #expect(!FileStore.verify(at: dir.store).isClean)
    }

    @Test func aDeletedJournalIsRefused() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        _ = try Self.store(in: dir)
        try FileManager.default.removeItem(atPath: dir.store + "/journal.jsonl")
        #expect {
            try FileStore.open(at: dir.store)
        } throws: { error in
            guard case .storeCorrupt(_, _, let problem, _)? = error as? OrderDeskError else { return false }
            return problem.contains("events 1 to 3 are missing")
        }
    }

    @Test func anOpenInstanceNoticesTheCutOnItsNextRead() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let store = try Self.store(in: dir)
        let journal = dir.store + "/journal.jsonl"
        let lines = Fixture.lines(journal)
        Fixture.write(journal, Array((lines[0] + "\n").utf8))
        #expect {
            try store.refresh()
        } throws: { error in
            guard case .storeCorrupt(let file, _, let problem, _)? = error as? OrderDeskError else { return false }
            return file == journal && problem.contains("events 2 to 3 are missing")
        }
        #expect(throws: OrderDeskError.self) { try Fixture.commit(store, [Fixture.feedback(5)]) }
    }

    /// A writer killed after creating the mark but before writing it leaves it empty: no mark yet.
    @Test func anEmptyMarkLeftByAKilledWriterIsNoMarkYet() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        _ = try Self.store(in: dir)
        Fixture.write(dir.store + "/journal.seq", [])
        #expect(FileStore.verify(at: dir.store).isClean)
        let store = try FileStore.open(at: dir.store)
        #expect(store.state.seq == 3)
        try Fixture.commit(store, [Fixture.feedback(4)])
        #expect(Self.mark(dir) == "4\n")
    }

    /// A crash after the journal's sync but before the mark was written leaves it behind: fine.
    @Test func aMarkBehindTheJournalLoadsAndCatchesUp() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        _ = try Self.store(in: dir)
        Fixture.write(dir.store + "/journal.seq", Array("1\n".utf8))
        #expect(FileStore.verify(at: dir.store).isClean)
        let store = try FileStore.open(at: dir.store)
        #expect(store.state.seq == 3)
        try Fixture.commit(store, [Fixture.feedback(4)])
        #expect(Self.mark(dir) == "4\n")
    }

    /// After compaction the journal is empty and the snapshot holds the events: the mark is met.
    @Test func compactionKeepsTheMarkMet() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let store = try Self.store(in: dir)
        try store.compact()
        #expect(Fixture.bytes(dir.store + "/journal.jsonl")?.isEmpty == true)
        #expect(Self.mark(dir) == "3\n")
        #expect(try FileStore.open(at: dir.store).state.seq == 3)
        #expect(FileStore.verify(at: dir.store).isClean)
        try Fixture.commit(store, [Fixture.feedback(4)])
        #expect(Self.mark(dir) == "4\n")
        // An older snapshot and journal put back (a restore from a stale copy) is refused.
        Fixture.write(dir.store + "/journal.jsonl", [])
        #expect(throws: OrderDeskError.self) { try FileStore.open(at: dir.store) }
    }

    @Test func aMarkThatIsNotANumberIsRefused() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        _ = try Self.store(in: dir)
        Fixture.write(dir.store + "/journal.seq", Array("three\n".utf8))
        DamageTests.expectRefusal(dir, file: "journal.seq", position: "byte 0", problem: "not a sequence number")
    }

    @Test func aNewStoreInPlaceOfAnOldOneStartsWithoutAMark() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        _ = try Self.store(in: dir)
        for name in ["snapshot.json", "journal.jsonl"] { try FileManager.default.removeItem(atPath: dir.store + "/" + name) }
        _ = try FileStore.create(at: dir.store, state: Fixture.state())
        #expect(Self.mark(dir) == nil)
        #expect(try FileStore.open(at: dir.store).state.seq == 0)
    }
}
