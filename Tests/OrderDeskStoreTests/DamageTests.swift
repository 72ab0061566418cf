import Foundation
import OrderDeskCore
import OrderDeskTestSupport
import Testing

@_spi(StoreTesting) @testable import OrderDeskStore

@Suite("FileStore: torn tails and damaged stores")
struct DamageTests {
    /// A store with three events: a setting, a cancel, a feedback.
    static func store(in dir: TemporaryDirectory) throws -> FileStore {
        let store = try FileStore.create(at: dir.store, state: Fixture.state())
        try Fixture.commit(store, [Fixture.autoRestockOff(), Fixture.cancelFirst(), Fixture.feedback(1)])
        return store
    }

    /// Opens the store expecting a refusal for a damaged file, and checks the promises: the file
    /// is named, the original is untouched, the quarantine copy is byte-identical, nothing else
    /// was written.
    static func expectRefusal(
        _ dir: TemporaryDirectory, file: String, position: String, problem: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let path = dir.store + "/" + file
        let original = Fixture.bytes(path)
        let before = Fixture.tree(dir.store)
        do {
            _ = try FileStore.open(at: dir.store)
            Issue.record("the damaged store was opened", sourceLocation: sourceLocation)
        } catch {
            guard case .storeCorrupt(let named, let at, let what, let quarantine) = error else {
                Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
                return
            }
            #expect(named == path, sourceLocation: sourceLocation)
            #expect(at.contains(position), "position \(at)", sourceLocation: sourceLocation)
            #expect(what.contains(problem), "problem \(what)", sourceLocation: sourceLocation)
            #expect(error.exitCode == 3, sourceLocation: sourceLocation)
            #expect(Fixture.bytes(path) == original, sourceLocation: sourceLocation)
            #expect(quarantine != nil, "no quarantine copy", sourceLocation: sourceLocation)
            if let copy = quarantine {
                #expect(copy.hasPrefix(dir.store + "/quarantine/"), sourceLocation: sourceLocation)
                #expect(copy.hasSuffix("-" + file), sourceLocation: sourceLocation)
                #expect(Fixture.bytes(copy) == original, sourceLocation: sourceLocation)
                let name = String(copy.split(separator: "/").last!)
                // 20261126T175812Z-3fa2c1d0-journal.jsonl
                #expect(name.count == 16 + 1 + 8 + 1 + file.count, "\(name)", sourceLocation: sourceLocation)
            }
            // Only the quarantine copy was written.
            #expect(Fixture.tree(dir.store, excluding: ["quarantine"]) == before, sourceLocation: sourceLocation)
        }
    }

    // MARK: Torn tails

    @Test func aHalfWrittenLastLineIsIgnoredThenCutByTheNextChange() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        _ = try Self.store(in: dir)
        let journal = dir.store + "/journal.jsonl"
        let good = try #require(Fixture.bytes(journal))
        let next = Fixture.line(Event(seq: 4, at: Fixture.now, agent: "ana", change: Fixture.feedback(2)))
        Fixture.append(journal, Array(next.prefix(next.count / 2)))

        let store = try FileStore.open(at: dir.store)
        #expect(store.state.seq == 3)
        #expect(store.warnings.count == 1)
        #expect(store.warnings.first?.hasPrefix("journal.jsonl: ignored a torn last line at byte \(good.count)") == true)
        // Reading does not repair.
        _ = try store.refresh()
        #expect(Fixture.bytes(journal)?.count == good.count + next.count / 2)
        #expect(store.warnings.count == 1)

        let events = try Fixture.commit(store, [Fixture.feedback(3)])
        #expect(events.map(\.seq) == [4])
        #expect(store.warnings.isEmpty)
        let after = try #require(Fixture.bytes(journal))
        #expect(Array(after.prefix(good.count)) == good)
        #expect(after.last == 0x0A)
        #expect(Fixture.lines(journal).count == 5)
        let reopened = try FileStore.open(at: dir.store)
        #expect(reopened.state.seq == 4)
        #expect(reopened.state.feedback.map(\.id) == [1, 3])
        #expect(reopened.warnings.isEmpty)
    }

    /// A complete last line (with its newline) whose checksum fails is no crash's doing (a line and
    /// its newline go out in one write): it is damage, refused like a bad line in the middle, and
    /// nothing is cut. (Before issue 13 it was taken for a torn tail and cut by the next change.)
    @Test func aCompleteLastLineWithABadChecksumIsDamage() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        _ = try Self.store(in: dir)
        let journal = dir.store + "/journal.jsonl"
        let good = try #require(Fixture.bytes(journal))
        var line = Fixture.line(Event(seq: 4, at: Fixture.now, agent: "ana", change: Fixture.feedback(2)))
        let digit = line.count - 4  // a hex digit of the checksum
        line[digit] = line[digit] == UInt8(ascii: "0") ? UInt8(ascii: "1") : UInt8(ascii: "0")
        Fixture.append(journal, line)
        let report = FileStore.verify(at: dir.store)
        #expect(!report.isClean)
        #expect(!report.tornTail)
        #expect(report.problems.first?.position == "line 4 (byte \(good.count))")
        Self.expectRefusal(dir, file: "journal.jsonl", position: "line 4 (byte \(good.count))", problem: "bad checksum")
        #expect(Fixture.bytes(journal) == good + line)
    }

    /// The same on an instance that was open before the line went bad: it stops, nothing is cut.
    @Test func aCompleteBadLastLineFoundWhileCatchingUpIsNotCut() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let store = try Self.store(in: dir)
        let journal = dir.store + "/journal.jsonl"
        var line = Fixture.line(Event(seq: 4, at: Fixture.now, agent: "bob", change: Fixture.feedback(2)))
        line[line.count - 4] = line[line.count - 4] == UInt8(ascii: "0") ? UInt8(ascii: "1") : UInt8(ascii: "0")
        Fixture.append(journal, line)
        let damaged = Fixture.bytes(journal)
        #expect {
            try Fixture.commit(store, [Fixture.feedback(5)])
        } throws: { error in
            guard case .storeCorrupt(_, let position, _, let quarantine)? = error as? OrderDeskError else { return false }
            return position.hasPrefix("line 4 ") && quarantine != nil
        }
        #expect(Fixture.bytes(journal) == damaged)
    }

    /// A torn tail (no newline) is cut by the next change, but only after a copy of the journal
    /// went into `quarantine/`.
    @Test func aTornTailIsQuarantinedBeforeItIsCut() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        _ = try Self.store(in: dir)
        let journal = dir.store + "/journal.jsonl"
        Fixture.append(journal, Array(#"{"seq":4,"at":"2026-11-26T1"#.utf8))
        let torn = try #require(Fixture.bytes(journal))
        let store = try FileStore.open(at: dir.store)
        #expect(store.warnings.first?.contains("after a copy into quarantine/") == true)
        try Fixture.commit(store, [Fixture.feedback(5)])
        let copies = Fixture.files(dir.store + "/quarantine")
        #expect(copies.count == 1)
        #expect(copies.first.flatMap { Fixture.bytes(dir.store + "/quarantine/" + $0) } == torn)
        #expect(FileStore.verify(at: dir.store).isClean)
    }

    @Test func anotherInstanceCatchesUpPastATornTailCutByAWriter() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        _ = try Self.store(in: dir)
        Fixture.append(dir.store + "/journal.jsonl", Array(#"{"seq":4,"ag"#.utf8))
        let reader = try FileStore.open(at: dir.store)
        let writer = try FileStore.open(at: dir.store)
        #expect(reader.warnings.count == 1)
        try Fixture.commit(writer, [Fixture.feedback(9)], agent: "bob")
        let news = try reader.refresh()
        #expect(news.map(\.seq) == [4])
        #expect(reader.state.feedback.map(\.id) == [1, 9])
    }

    // MARK: Refusals

    @Test func aBadLineInTheMiddleIsRefused() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        _ = try Self.store(in: dir)
        let journal = dir.store + "/journal.jsonl"
        var bytes = try #require(Fixture.bytes(journal))
        // Change "off" to "ofF" in line 1: same length, wrong checksum.
        let text = String(decoding: bytes, as: UTF8.self)
        let range = try #require(text.range(of: "\"off\""))
        let at = text.utf8.distance(from: text.startIndex, to: range.lowerBound) + 3
        bytes[at] = UInt8(ascii: "F")
        Fixture.write(journal, bytes)
        Self.expectRefusal(dir, file: "journal.jsonl", position: "line 1 (byte 0)", problem: "bad checksum")
    }

    @Test func aGarbledLineInTheMiddleIsRefusedWithItsLineAndByte() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        _ = try Self.store(in: dir)
        let journal = dir.store + "/journal.jsonl"
        let lines = Fixture.lines(journal)
        let secondStart = lines[0].utf8.count + 1
        let damaged = lines[0] + "\n" + "this is not json\n" + lines[2] + "\n"
        Fixture.write(journal, Array(damaged.utf8))
        Self.expectRefusal(dir, file: "journal.jsonl", position: "line 2 (byte \(secondStart))", problem: "no checksum")
    }

    @Test func aRefusedStoreIsQuarantinedOnceOnly() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        _ = try Self.store(in: dir)
        let journal = dir.store + "/journal.jsonl"
        let lines = Fixture.lines(journal)
        Fixture.write(journal, Array((lines[0] + "\nxx\n" + lines[1] + "\n").utf8))
        var copies: [String?] = []
        for _ in 0..<2 {
            do {
                _ = try FileStore.open(at: dir.store)
            } catch {
                if case .storeCorrupt(_, _, _, let quarantine) = error { copies.append(quarantine) }
            }
        }
        #expect(copies.count == 2)
        #expect(copies[0] != nil && copies[0] == copies[1])
        #expect(Fixture.files(dir.store + "/quarantine").count == 1)
    }

    @Test func aDamagedSnapshotIsRefused() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        _ = try Self.store(in: dir)
        let snapshot = dir.store + "/snapshot.json"
        let bytes = try #require(Fixture.bytes(snapshot))
        Fixture.write(snapshot, Array(bytes.prefix(100)))
        Self.expectRefusal(dir, file: "snapshot.json", position: "byte 100", problem: "not valid JSON")
    }

    @Test func aSnapshotWithABadFieldIsRefusedNamingTheField() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        _ = try Self.store(in: dir)
        let snapshot = dir.store + "/snapshot.json"
        let text = String(decoding: try #require(Fixture.bytes(snapshot)), as: UTF8.self)
        Fixture.write(snapshot, Array(text.replacingOccurrences(of: "\"total_price\":\"67.40\"", with: "\"total_price\":\"sixty\"").utf8))
        Self.expectRefusal(dir, file: "snapshot.json", position: "orders[0].total_price", problem: "not a decimal")
    }

    @Test func aSnapshotOfAnotherFormatIsRefused() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        _ = try Self.store(in: dir)
        let snapshot = dir.store + "/snapshot.json"
        let text = String(decoding: try #require(Fixture.bytes(snapshot)), as: UTF8.self)
        Fixture.write(snapshot, Array(text.replacingOccurrences(of: "orderdesk-store", with: "other-store").utf8))
        Self.expectRefusal(dir, file: "snapshot.json", position: "field format", problem: "not an OrderDesk store")
    }

    @Test func aNewerVersionIsRefusedAsTooNewAndLeftAlone() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        _ = try Self.store(in: dir)
        let snapshot = dir.store + "/snapshot.json"
        let text = String(decoding: try #require(Fixture.bytes(snapshot)), as: UTF8.self)
        // A version 3 store, with a field this version does not know and one it lacks.
        let newer = text.replacingOccurrences(of: "\"version\":2", with: "\"version\":3")
            .replacingOccurrences(of: "\"outbox\":[],", with: "\"warehouses\":{},")
        #expect(newer != text)
        Fixture.write(snapshot, Array(newer.utf8))
        let before = Fixture.tree(dir.store)
        #expect(throws: OrderDeskError.storeTooNew(file: snapshot, version: 3, supported: 2)) {
            try FileStore.open(at: dir.store)
        }
        #expect(Fixture.tree(dir.store) == before)
        // Decodable body, newer version: the same.
        Fixture.write(snapshot, Array(text.replacingOccurrences(of: "\"version\":2", with: "\"version\":3").utf8))
        #expect(throws: OrderDeskError.storeTooNew(file: snapshot, version: 3, supported: 2)) {
            try FileStore.open(at: dir.store)
        }
    }

    @Test func aSequenceGapIsRefused() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        _ = try FileStore.create(at: dir.store, state: Fixture.state())
        let journal = dir.store + "/journal.jsonl"
        let one = Fixture.line(Event(seq: 1, at: Fixture.now, agent: "ana", change: Fixture.autoRestockOff()))
        let three = Fixture.line(Event(seq: 3, at: Fixture.now, agent: "ana", change: Fixture.feedback(1)))
        let four = Fixture.line(Event(seq: 4, at: Fixture.now, agent: "ana", change: Fixture.feedback(2)))
        Fixture.write(journal, one + three + four)
        Self.expectRefusal(dir, file: "journal.jsonl", position: "line 2 (byte \(one.count))", problem: "sequence gap")
    }

    @Test func aJournalThatStartsAfterTheSnapshotIsRefused() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        _ = try FileStore.create(at: dir.store, state: Fixture.state(seq: 10))
        let journal = dir.store + "/journal.jsonl"
        Fixture.write(journal, Fixture.line(Event(seq: 12, at: Fixture.now, agent: "ana", change: Fixture.feedback(1))))
        Self.expectRefusal(dir, file: "journal.jsonl", position: "line 1", problem: "events 11 to 11 are missing")
    }

    @Test func eventsTheSnapshotAlreadyHoldsAreSkipped() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        _ = try FileStore.create(at: dir.store, state: Fixture.state(seq: 1))
        let journal = dir.store + "/journal.jsonl"
        // Event 1 is in the snapshot already (a crash after compaction step 3); 2 is new.
        Fixture.write(
            journal,
            Fixture.line(Event(seq: 1, at: Fixture.now, agent: "ana", change: Fixture.feedback(1)))
                + Fixture.line(Event(seq: 2, at: Fixture.now, agent: "ana", change: Fixture.feedback(2))))
        let store = try FileStore.open(at: dir.store)
        #expect(store.state.seq == 2)
        #expect(store.state.feedback.map(\.id) == [2])
    }

    @Test func anEventThatDoesNotFitIsRefused() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        _ = try FileStore.create(at: dir.store, state: Fixture.state())
        let journal = dir.store + "/journal.jsonl"
        Fixture.write(
            journal,
            Fixture.line(Event(seq: 1, at: Fixture.now, agent: "ana", change: Fixture.autoRestockOff()))
                + Fixture.line(Event(seq: 2, at: Fixture.now, agent: "ana", change: Fixture.cancelMissing()))
                + Fixture.line(Event(seq: 3, at: Fixture.now, agent: "ana", change: Fixture.feedback(2))))
        Self.expectRefusal(dir, file: "journal.jsonl", position: "line 2", problem: "order #9999 does not exist")
    }

    @Test func aJournalWithoutASnapshotIsRefused() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        _ = try Self.store(in: dir)
        try FileManager.default.removeItem(atPath: dir.store + "/snapshot.json")
        Self.expectRefusal(dir, file: "journal.jsonl", position: "byte 0", problem: "no snapshot.json")
    }

    @Test func damageFoundWhileCatchingUpStopsTheInstance() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let store = try Self.store(in: dir)
        let journal = dir.store + "/journal.jsonl"
        Fixture.append(
            journal, Array("garbage\n".utf8) + Fixture.line(Event(seq: 4, at: Fixture.now, agent: "x", change: Fixture.feedback(4))))
        #expect {
            try store.refresh()
        } throws: { error in
            guard case .storeCorrupt(let file, let position, _, let quarantine)? = error as? OrderDeskError else { return false }
            return file == journal && position.hasPrefix("line 4 ") && quarantine != nil
        }
        #expect(throws: OrderDeskError.self) { try Fixture.commit(store, [Fixture.feedback(5)]) }
        #expect(Fixture.lines(journal).count == 6)
    }
}
