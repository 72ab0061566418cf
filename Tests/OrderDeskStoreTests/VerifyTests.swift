import Foundation
import OrderDeskCore
import OrderDeskTestSupport
import Testing

@_spi(StoreTesting) @testable import OrderDeskStore

@Suite("FileStore.verify")
struct VerifyTests {
    @Test func aCleanStoreIsReportedWithItsCounts() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let store = try FileStore.create(at: dir.store, state: Fixture.state())
        try Fixture.commit(store, [Fixture.autoRestockOff(), Fixture.cancelFirst(), Fixture.feedback(1)])
        let report = FileStore.verify(at: dir.store)
        #expect(report.isClean)
        #expect(report.problems.isEmpty)
        #expect(report.notes.isEmpty)
        #expect(report.orders == 2)
        #expect(report.events == 3)
        #expect(report.seq == 3)
        #expect(report.snapshotSeq == 0)
        #expect(report.journalBytes == Int64(Fixture.bytes(dir.store + "/journal.jsonl")!.count))
        #expect(report.tornTail == false)
        #expect(report.description.hasPrefix("store \(dir.store): OK"))
        try store.compact()
        let compacted = FileStore.verify(at: dir.store)
        #expect(compacted.isClean && compacted.events == 0 && compacted.archivedEvents == 3 && compacted.seq == 3)
    }

    @Test func aDamagedStoreIsReportedLineByLineWithoutWritingAnything() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let store = try FileStore.create(at: dir.store, state: Fixture.state())
        try Fixture.commit(store, [Fixture.autoRestockOff(), Fixture.feedback(1), Fixture.feedback(2), Fixture.feedback(3)])
        let journal = dir.store + "/journal.jsonl"
        let lines = Fixture.lines(journal)
        // Line 2 garbled, line 4 missing (a gap), and a torn tail.
        let five = Fixture.line(Event(seq: 5, at: Fixture.now, agent: "ana", change: Fixture.feedback(3)))
        let damaged =
            [lines[0], "{\"seq\":2}", lines[2], String(decoding: five.dropLast(), as: UTF8.self)]
            .joined(separator: "\n") + "\n{\"seq\":"
        Fixture.write(journal, Array(damaged.utf8))
        let before = Fixture.tree(dir.store)

        let report = FileStore.verify(at: dir.store)
        #expect(!report.isClean)
        #expect(report.problems.count == 2)
        #expect(report.problems.first?.file == journal)
        #expect(report.problems.first?.position.hasPrefix("line 2 (byte \(lines[0].utf8.count + 1))") == true)
        #expect(report.problems.first?.problem.contains("checksum") == true)
        #expect(report.problems.last?.position.hasPrefix("line 4") == true)
        #expect(report.problems.last?.problem.hasPrefix("sequence gap: event 5 follows event 3") == true)
        #expect(report.tornTail)
        #expect(report.events == 3)
        #expect(report.description.contains("2 problems"))
        // Never writes, never quarantines.
        #expect(Fixture.tree(dir.store) == before)
        #expect(!FileManager.default.fileExists(atPath: dir.store + "/quarantine"))
    }

    @Test func aTooNewOrMissingStoreIsAProblem() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        _ = try FileStore.create(at: dir.store, state: Fixture.state())
        let snapshot = dir.store + "/snapshot.json"
        let text = String(decoding: Fixture.bytes(snapshot)!, as: UTF8.self)
        Fixture.write(snapshot, Array(text.replacingOccurrences(of: "\"version\":2", with: "\"version\":7").utf8))
        let report = FileStore.verify(at: dir.store)
        #expect(report.problems.map(\.position) == ["field version"])
        #expect(report.problems.first?.problem.contains("version 7") == true)

        let missing = FileStore.verify(at: dir.path + "/none")
        #expect(missing.problems.first?.problem == "no such directory")
        try FileManager.default.removeItem(atPath: snapshot)
        #expect(FileStore.verify(at: dir.store).problems.first?.problem.contains("there is a journal") == true)
    }
}
