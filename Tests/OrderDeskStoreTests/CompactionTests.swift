import Foundation
import Glibc
import OrderDeskCore
import OrderDeskTestSupport
import Testing

@_spi(StoreTesting) @testable import OrderDeskStore

@Suite("FileStore: compaction and the audit log")
struct CompactionTests {
    static let changes = [Fixture.autoRestockOff(), Fixture.cancelFirst(), Fixture.feedback(1)]

    @Test func compactionKeepsTheStateAndArchivesTheJournal() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let store = try FileStore.create(at: dir.store, state: Fixture.state())
        try Fixture.commit(store, Self.changes)
        let before = Fixture.fingerprint(store.state)
        let journalBefore = try #require(Fixture.bytes(dir.store + "/journal.jsonl"))

        try store.compact()
        #expect(Fixture.fingerprint(store.state) == before)
        #expect(Fixture.bytes(dir.store + "/journal.jsonl") == [])
        #expect(Fixture.files(dir.store + "/archive") == ["journal-1-3.jsonl"])
        #expect(Fixture.bytes(dir.store + "/archive/journal-1-3.jsonl") == journalBefore)
        #expect(Fixture.linkCount(dir.store + "/journal.jsonl") == 1)
        #expect(Fixture.files(dir.store).allSatisfy { !$0.contains(".tmp.") })

        let reopened = try FileStore.open(at: dir.store)
        #expect(Fixture.fingerprint(reopened.state) == before)
        #expect(reopened.snapshotSeq == 3)
        #expect(try reopened.auditLog().map(\.seq) == [1, 2, 3])

        try Fixture.commit(reopened, [Fixture.feedback(2)])
        #expect(try reopened.auditLog().map(\.seq) == [1, 2, 3, 4])
        #expect(try reopened.auditLog()[1].change == Fixture.cancelFirst())
        // Compacting again keeps both archives; compacting an empty journal does nothing.
        try reopened.compact()
        #expect(Fixture.files(dir.store + "/archive") == ["journal-1-3.jsonl", "journal-4-4.jsonl"])
        let tree = Fixture.tree(dir.store)
        try reopened.compact()
        #expect(Fixture.tree(dir.store) == tree)
        #expect(try FileStore.open(at: dir.store).auditLog().map(\.seq) == [1, 2, 3, 4])
    }

    @Test func aCommitPastTheThresholdCompacts() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        var options = FileStoreOptions()
        options.compactionThreshold = 1_000
        let store = try FileStore.create(at: dir.store, state: Fixture.state(), isDemo: false, options: options)
        for id in 1...10 { try Fixture.commit(store, [Fixture.feedback(Int64(id))]) }
        let journal = try #require(Fixture.bytes(dir.store + "/journal.jsonl"))
        #expect(journal.count < 1_000)
        #expect(Fixture.files(dir.store + "/archive").count >= 2)
        let reopened = try FileStore.open(at: dir.store)
        #expect(reopened.state.feedback.map(\.id) == Array(1...10))
        #expect(try reopened.auditLog().map(\.seq) == Array(1...10))
    }

    @Test func anotherInstanceCatchesUpAfterACompaction() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        _ = try FileStore.create(at: dir.store, state: Fixture.state())
        let ana = try FileStore.open(at: dir.store)
        let bob = try FileStore.open(at: dir.store)
        try Fixture.commit(ana, [Fixture.autoRestockOff(), Fixture.cancelFirst()])
        try ana.compact()
        try Fixture.commit(ana, [Fixture.feedback(1)])
        let news = try bob.refresh()
        // Two events folded into the new snapshot (told from the archive), one in the new journal.
        #expect(news.map(\.seq) == [1, 2, 3])
        #expect(Fixture.fingerprint(bob.state) == Fixture.fingerprint(ana.state))
        try Fixture.commit(bob, [Fixture.feedback(2)])
        #expect(try ana.refresh().map(\.seq) == [4])
        #expect(ana.state.feedback.map(\.id) == [1, 2])
    }

    /// A crash after each compaction step, simulated in-process: files are left exactly as the
    /// step left them. Reopening must lose nothing and apply nothing twice, and the next change
    /// must finish the job.
    @Test(arguments: 0...4) func aCrashAfterACompactionStepIsHarmless(step: Int) throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let store = try FileStore.create(at: dir.store, state: Fixture.state())
        try Fixture.commit(store, Self.changes)
        let expected = Fixture.fingerprint(store.state)
        store.options.simulatedCrashAfterStep = step
        try store.compact()
        #expect(throws: OrderDeskError.self) { try store.refresh() }
        try Self.expectRecovery(dir, afterStep: step, expected: expected)
    }

    /// What must hold after compaction stopped right after `step`, in-process or killed.
    static func expectRecovery(
        _ dir: TemporaryDirectory, afterStep step: Int, expected: Data, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let files = Fixture.files(dir.store)
        #expect(files.contains { $0.hasPrefix("snapshot.json.tmp.") } == (step == 1 || step == 2), sourceLocation: sourceLocation)
        #expect(Fixture.files(dir.store + "/archive") == ["journal-1-3.jsonl"], sourceLocation: sourceLocation)
        #expect((Fixture.linkCount(dir.store + "/journal.jsonl") == 2) == (step < 4), sourceLocation: sourceLocation)

        let reopened = try FileStore.open(at: dir.store)
        #expect(Fixture.fingerprint(reopened.state) == expected, sourceLocation: sourceLocation)
        #expect(reopened.state.seq == 3, sourceLocation: sourceLocation)
        #expect(reopened.state.inventory["TEE-BLK-M"] == 6, sourceLocation: sourceLocation)  // restocked once
        #expect(FileStore.verify(at: dir.store).isClean, sourceLocation: sourceLocation)

        let events = try Fixture.commit(reopened, [Fixture.feedback(2)])
        #expect(events.map(\.seq) == [4], sourceLocation: sourceLocation)
        #expect(Fixture.files(dir.store).allSatisfy { !$0.contains(".tmp.") }, sourceLocation: sourceLocation)
        #expect(Fixture.linkCount(dir.store + "/journal.jsonl") == 1, sourceLocation: sourceLocation)
        // The archive holds exactly the events its name says.
        #expect(Fixture.lines(dir.store + "/archive/journal-1-3.jsonl").count == 4, sourceLocation: sourceLocation)

        let final = try FileStore.open(at: dir.store)
        #expect(Fixture.fingerprint(final.state) == Fixture.fingerprint(reopened.state), sourceLocation: sourceLocation)
        #expect(final.state.seq == 4, sourceLocation: sourceLocation)
        #expect(final.state.feedback.map(\.id) == [1, 2], sourceLocation: sourceLocation)
        #expect(try final.auditLog().map(\.seq) == [1, 2, 3, 4], sourceLocation: sourceLocation)
    }

    @Test func aTornTailIsNotArchived() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let store = try FileStore.create(at: dir.store, state: Fixture.state())
        try Fixture.commit(store, Self.changes)
        let good = try #require(Fixture.bytes(dir.store + "/journal.jsonl"))
        Fixture.append(dir.store + "/journal.jsonl", Array(#"{"seq":4"#.utf8))
        let reopened = try FileStore.open(at: dir.store)
        try reopened.compact()
        #expect(Fixture.bytes(dir.store + "/archive/journal-1-3.jsonl") == good)
        #expect(try FileStore.open(at: dir.store).warnings.isEmpty)
    }

    @Test func aDamagedArchiveIsRefusedByTheAuditLogOnly() throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let store = try FileStore.create(at: dir.store, state: Fixture.state())
        try Fixture.commit(store, Self.changes)
        try store.compact()
        // Replace the hard link by a damaged copy.
        let archive = dir.store + "/archive/journal-1-3.jsonl"
        let lines = Fixture.lines(archive)
        try FileManager.default.removeItem(atPath: archive)
        Fixture.write(archive, Array((lines[0] + "\nbroken\n" + lines[2] + "\n").utf8))
        let reopened = try FileStore.open(at: dir.store)
        #expect(reopened.state.seq == 3)
        #expect {
            try reopened.auditLog()
        } throws: { error in
            guard case .storeCorrupt(let file, let position, _, let quarantine)? = error as? OrderDeskError else { return false }
            return file == archive && position.hasPrefix("line 2") && quarantine != nil
        }
        #expect(FileStore.verify(at: dir.store).problems.map(\.file) == [archive])
    }
}

/// The real thing: a child process compacts with the `exitAfterStep` hook of its store options
/// and dies with `_exit(99)` right after step N. The child is this test binary, running
/// ``childCompacts()``, told the store and the step in its environment.
@Suite("FileStore: compaction killed after each step")
struct CompactionKillTests {
    static let childStore = "ORDERDESK_TEST_CHILD_STORE"
    static let childStep = "ORDERDESK_TEST_CHILD_STEP"

    /// Runs only in the child process.
    @Test(.enabled(if: ProcessInfo.processInfo.environment[childStore] != nil))
    func childCompacts() throws {
        let path = try #require(ProcessInfo.processInfo.environment[Self.childStore])
        var options = FileStoreOptions()
        options.exitAfterStep = ProcessInfo.processInfo.environment[Self.childStep].flatMap { Int($0) }
        try FileStore.open(at: path, options: options).compact()
        Issue.record("compaction was not stopped by the hook")
    }

    @Test(.enabled(if: ProcessInfo.processInfo.environment[childStore] == nil), arguments: 0...4)
    func aKilledCompactionIsHarmless(step: Int) throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let store = try FileStore.create(at: dir.store, state: Fixture.state())
        try Fixture.commit(store, CompactionTests.changes)
        let expected = Fixture.fingerprint(store.state)

        let process = Process()
        process.executableURL = URL(
            fileURLWithPath: try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
        process.arguments = ["--testing-library", "swift-testing", "--filter", "childCompacts"]
        var environment = ProcessInfo.processInfo.environment
        environment[Self.childStore] = dir.store
        environment[Self.childStep] = String(step)
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 99)
        try CompactionTests.expectRecovery(dir, afterStep: step, expected: expected)
    }
}
