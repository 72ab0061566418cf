import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The `orderdesk` program end to end: batch runs, exit codes, and what it does to a store on disk.
///
/// Every test runs the built executable (see ``ProgramRunner``) against its own store in a
/// temporary directory, made from the sample orders #1001…#1008, and checks the real effects:
/// the journal's lines, later `show --json` output, the bytes of damaged files.
@Suite struct BatchProgramTests {
    /// Four lines where line 3 fails (#1003 is fulfilled) and line 4 would cancel #1001.
    static let stopScript = [
        "settings auto-restock off",
        #"feedback #1002 --rating 4 "Quick reply""#,
        "cancel #1003 --reason customer",
        "cancel #1001 --reason customer --refund later",
    ]

    // MARK: Stopping, keep-going, success

    @Test func stopsAtTheFirstFailingLine() throws {
        guard ProgramRunner.binary() != nil else { return }
        let dir = try ProgramScratch("stop")
        defer { dir.remove() }
        try dir.makeSampleStore()
        let file = try dir.script("batch.txt", Self.stopScript)

        let result = try dir.orderdesk(["run", file, "--store", dir.store])

        #expect(result.exitCode == 1, "\(result)")
        #expect(result.stderr.contains("batch.txt:3: error: "), "\(result)")
        #expect(result.stderr.contains("#1003 is fulfilled"), "\(result)")
        #expect(result.stderr.contains("2 lines succeeded, 1 failed; stopped at batch.txt:3"), "\(result)")
        #expect(!result.stderr.contains("batch.txt:4"), "\(result)")
        // Lines 1 and 2 were committed; line 4 never ran.
        #expect(dir.journalSeqs() == [1, 2])
        #expect(dir.journalEvents().map { $0["type"] as? String } == ["setting.changed", "feedback.logged"])
        #expect(try dir.order("#1001").isCancelled == false)
    }

    @Test func keepGoingRunsTheRestAndStillExitsOne() throws {
        guard ProgramRunner.binary() != nil else { return }
        let dir = try ProgramScratch("keep-going")
        defer { dir.remove() }
        try dir.makeSampleStore()
        let file = try dir.script("batch.txt", Self.stopScript)

        let result = try dir.orderdesk(["run", file, "--keep-going", "--store", dir.store])

        #expect(result.exitCode == 1, "\(result)")
        #expect(result.stderr.contains("batch.txt:3: error: "), "\(result)")
        #expect(result.stderr.contains("3 lines succeeded, 1 failed"), "\(result)")
        #expect(!result.stderr.contains("stopped at"), "\(result)")
        let types = dir.journalEvents().compactMap { $0["type"] as? String }
        #expect(types.first == "setting.changed")
        #expect(types.contains("feedback.logged"))
        #expect(types.contains("order.cancelled"), "line 4 ran after the failure: \(types)")
        #expect(dir.journalSeqs() == Array(1...types.count))
        let order = try dir.order("#1001")
        #expect(order.isCancelled)
        #expect(try dir.order("#1003").isCancelled == false)
    }

    /// Three good lines: exit 0, and each line is a journal line of its own, in order, by the agent.
    @Test func goodBatchExitsZeroAndEachLineIsItsOwnJournalLine() throws {
        guard ProgramRunner.binary() != nil else { return }
        let dir = try ProgramScratch("good")
        defer { dir.remove() }
        try dir.makeSampleStore()
        let file = try dir.script(
            "good.txt",
            [
                "# three changes, one commit each",
                #"feedback #1001 --rating 5 "Lovely mug""#,
                "",
                "settings default-refund credit",
                "cancel #1002 --reason customer",
            ])

        let result = try dir.orderdesk(["run", file, "--store", dir.store], agent: "carol")

        #expect(result.exitCode == 0, "\(result)")
        #expect(result.stderr.contains("3 lines succeeded, 0 failed"), "\(result)")
        let events = dir.journalEvents()
        #expect(events.count == 3)
        #expect(dir.journalSeqs() == [1, 2, 3])
        #expect(events.map { $0["type"] as? String } == ["feedback.logged", "setting.changed", "order.cancelled"])
        #expect(events.allSatisfy { $0["agent"] as? String == "carol" })
        #expect(try dir.order("#1002").isCancelled)
    }

    /// A crash mid-run leaves exactly the lines before it applied.
    ///
    /// Line 3 sources a FIFO, so the run blocks there deterministically: the two lines before it
    /// must already be in the journal (committed before the next line starts); then `kill -9`.
    @Test func crashMidRunLeavesExactlyTheEarlierLines() throws {
        guard ProgramRunner.binary() != nil else { return }
        let dir = try ProgramScratch("crash")
        defer { dir.remove() }
        try dir.makeSampleStore()
        let fifo = dir.path + "/pause.fifo"
        #expect(mkfifo(fifo, 0o600) == 0)
        let file = try dir.script(
            "crash.txt",
            [
                #"feedback #1001 --rating 5 "first""#,
                "settings default-refund credit",
                "source pause.fifo",
                "cancel #1001 --reason customer",
            ])
        let run = try ProgramRunner.Launched(
            arguments: ["run", file, "--store", dir.store], environment: ProgramRunner.environment(home: dir.home),
            input: .none, directory: dir.path)

        let deadline = Date().addingTimeInterval(10)
        while dir.journalLines().count < 2 && Date() < deadline && run.process.isRunning { usleep(2_000) }
        #expect(dir.journalSeqs() == [1, 2], "the first two lines are durable before line 3 starts")
        #expect(run.process.isRunning, "the run should be blocked on line 3 (source of a FIFO)")
        run.crash()
        let result = run.wait(timeout: 10)
        #expect(result.exitCode == 128 + SIGKILL, "\(result)")

        #expect(dir.journalSeqs() == [1, 2])
        #expect(dir.bytes(dir.journal).last == UInt8(ascii: "\n"), "no torn tail after a kill between lines")
        #expect(try dir.order("#1001").isCancelled == false, "line 4 never ran")
        let verify = try dir.orderdesk(["store", "verify", "--store", dir.store])
        #expect(verify.exitCode == 0, "\(verify)")
        let after = try dir.orderdesk(["run", "-", "--store", dir.store], stdin: "settings auto-restock off\n")
        #expect(after.exitCode == 0, "\(after)")
        #expect(dir.journalSeqs() == [1, 2, 3])
    }

    // MARK: --echo, --json, --dry-run

    @Test func echoPrintsEachLineBeforeItsResult() throws {
        guard ProgramRunner.binary() != nil else { return }
        let dir = try ProgramScratch("echo")
        defer { dir.remove() }
        try dir.makeSampleStore()
        let file = try dir.script("echo.txt", ["# morning checks", "", "settings auto-restock off", "show #1002"])

        let result = try dir.orderdesk(["run", file, "--echo", "--store", dir.store])

        #expect(result.exitCode == 0, "\(result)")
        let lines = result.stdoutLines
        let first = try #require(lines.firstIndex(of: "> settings auto-restock off"), "\(result)")
        let second = try #require(lines.firstIndex(of: "> show #1002"), "\(result)")
        #expect(first < second)
        #expect(lines[first + 1].contains("auto-restock"), "the first line's result follows its echo: \(result)")
        #expect(lines[(second + 1)...].contains { $0.contains("#1002") }, "\(result)")
        #expect(!result.stdout.contains("> # morning"), "comments do nothing, and are not echoed")
        #expect(lines.filter { $0.hasPrefix("> ") }.count == 2)
    }

    @Test func jsonPrintsOneParseableObjectPerCommand() throws {
        guard ProgramRunner.binary() != nil else { return }
        let dir = try ProgramScratch("json")
        defer { dir.remove() }
        try dir.makeSampleStore()
        let file = try dir.script(
            "json.txt",
            [
                "settings auto-restock off",
                "# not a command",
                "show #1001 --json",
                "cancel #1003 --reason customer",
                #"feedback #1002 --rating 5 "Great""#,
            ])

        let result = try dir.orderdesk(["run", file, "--json", "--keep-going", "--store", dir.store])

        #expect(result.exitCode == 1, "\(result)")
        let lines = result.stdoutLines
        #expect(lines.count == 4, "one object per command line, none for the comment: \(result)")
        let objects = lines.map { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any] }
        #expect(objects.allSatisfy { $0 != nil }, "every stdout line is a JSON object: \(result)")
        let parsed = objects.compactMap { $0 }
        try #require(parsed.count == 4)
        #expect(parsed.map { $0["line"] as? Int } == [1, 3, 4, 5])
        #expect(parsed.map { $0["ok"] as? Bool } == [true, true, false, true])
        #expect(
            parsed.map { $0["input"] as? String } == [
                "settings auto-restock off", "show #1001 --json", "cancel #1003 --reason customer",
                #"feedback #1002 --rating 5 "Great""#,
            ])
        #expect((parsed[2]["error"] as? String)?.contains("#1003 is fulfilled") == true, "\(parsed[2])")
        #expect(parsed.enumerated().allSatisfy { $0.offset == 2 || $0.element["error"] == nil })
        let events = parsed[0]["events"] as? [[String: Any]]
        #expect(events?.map { $0["type"] as? String } == ["setting.changed"])
        #expect((parsed[1]["output"] as? [String: Any])?["name"] as? String == "#1001", "show --json nests the order")
        #expect(result.stderr.contains("3 lines succeeded, 1 failed"), "the summary stays on stderr: \(result)")
        #expect(dir.journalSeqs() == [1, 2])

        // Without --keep-going the objects stop at the failing line.
        let stopDir = try ProgramScratch("json-stop")
        defer { stopDir.remove() }
        try stopDir.makeSampleStore()
        let stopFile = try stopDir.script(
            "json.txt", ["settings auto-restock off", "cancel #1003 --reason customer", "settings auto-restock on"])
        let stopped = try stopDir.orderdesk(["run", stopFile, "--json", "--store", stopDir.store])
        #expect(stopped.exitCode == 1, "\(stopped)")
        let stoppedObjects = stopped.stdoutLines.compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any]
        }
        #expect(stoppedObjects.count == 2, "\(stopped)")
        #expect(stoppedObjects.map { $0["ok"] as? Bool } == [true, false])
        #expect(stopDir.journalSeqs() == [1])
    }

    @Test func dryRunReportsChangesAndLeavesTheStoreUntouched() throws {
        guard ProgramRunner.binary() != nil else { return }
        let dir = try ProgramScratch("dry-run")
        defer { dir.remove() }
        try dir.makeSampleStore()
        // Something in the journal already, so that "untouched" covers appends too.
        _ = try dir.orderdesk(["run", "-", "--store", dir.store], stdin: "settings auto-restock off\n")
        let journal = dir.bytes(dir.journal)
        let snapshot = dir.bytes(dir.snapshot)
        let listing = try FileManager.default.contentsOfDirectory(atPath: dir.store).sorted()
        let file = try dir.script(
            "dry.txt",
            [
                "cancel #1001 --reason customer --refund now",
                #"feedback #1002 --rating 5 "x""#,
                "settings auto-restock on",
                "show #1001",
            ])

        let result = try dir.orderdesk(["run", file, "--dry-run", "--store", dir.store])

        #expect(result.exitCode == 0, "\(result)")
        #expect(result.stderr.contains("3 changes would be made"), "\(result)")
        #expect(result.stdout.contains("#1001"), "\(result)")
        #expect(result.stdout.uppercased().contains("CANCELLED"), "later lines see earlier ones in the scratch copy: \(result)")
        #expect(dir.bytes(dir.journal) == journal)
        #expect(dir.bytes(dir.snapshot) == snapshot)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.store).sorted() == listing)
        #expect(try dir.order("#1001").isCancelled == false)

        // A failing dry run: exit 1, still untouched.
        let bad = try dir.script("dry-bad.txt", ["settings auto-restock on", "cancel #1003 --reason customer"])
        let failed = try dir.orderdesk(["run", bad, "--dry-run", "--store", dir.store])
        #expect(failed.exitCode == 1, "\(failed)")
        #expect(failed.stderr.contains("dry-bad.txt:2: error: "), "\(failed)")
        #expect(dir.bytes(dir.journal) == journal)
        #expect(dir.bytes(dir.snapshot) == snapshot)
    }

    // MARK: stdin

    @Test func stdinIsABatchWhenItIsNotATerminal() throws {
        guard ProgramRunner.binary() != nil else { return }
        let dir = try ProgramScratch("stdin")
        defer { dir.remove() }
        try dir.makeSampleStore()

        // `orderdesk --store S < script`
        let shell = try dir.orderdesk(
            ["--store", dir.store], stdin: #"feedback #1004 --rating 3 "slow""# + "\nsettings default-refund later\n")
        #expect(shell.exitCode == 0, "\(shell)")
        #expect(dir.journalSeqs() == [1, 2])

        // `orderdesk run - --store S < script`, failing on line 2: stops there.
        let run = try dir.orderdesk(
            ["run", "-", "--store", dir.store],
            stdin: "settings auto-restock off\nbogus-command\nsettings auto-restock on\n")
        #expect(run.exitCode == 1, "\(run)")
        #expect(run.stderr.contains("stdin:2: error: unknown command 'bogus-command'"), "\(run)")
        #expect(run.stderr.contains("stopped at stdin:2"), "\(run)")
        #expect(dir.journalSeqs() == [1, 2, 3])

        // $ORDERDESK_STORE instead of --store.
        let viaEnvironment = try dir.orderdesk([], stdin: "show #1004 --json\n", environment: ["ORDERDESK_STORE": dir.store])
        #expect(viaEnvironment.exitCode == 0, "\(viaEnvironment)")
        let order = (try? JSONSerialization.jsonObject(with: Data(viaEnvironment.stdout.utf8))) as? [String: Any]
        #expect(order?["name"] as? String == "#1004", "\(viaEnvironment)")
        #expect(!FileManager.default.fileExists(atPath: dir.home + "/data/orderdesk/demo"), "no demo store was made")

        // A script that is a pipe, not a regular file: `orderdesk run /dev/stdin` (as `run <(…)`).
        let piped = try ProgramRunner.Launched(
            arguments: ["run", "/dev/stdin", "--store", dir.store], environment: ProgramRunner.environment(home: dir.home),
            input: .held, directory: dir.path)
        piped.send("settings auto-restock on\n")
        let pipedResult = piped.wait()
        #expect(pipedResult.exitCode == 0, "\(pipedResult)")
        #expect(dir.journalSeqs() == [1, 2, 3, 4])
    }

    // MARK: Exit codes 2 and 3

    @Test(arguments: [
        ["run"],
        ["--bogus"],
        ["run", "x.txt", "--keep-goin"],
        ["init"],
        ["init", "fresh", "--orders", "5"],
        ["store", "frobnicate"],
    ])
    func badProgramArgumentsExitTwo(_ arguments: [String]) throws {
        guard ProgramRunner.binary() != nil else { return }
        let dir = try ProgramScratch("args")
        defer { dir.remove() }

        let result = try dir.orderdesk(arguments, stdin: "settings\n")

        #expect(result.exitCode == 2, "\(arguments): \(result)")
        #expect(!result.stderr.isEmpty, "\(arguments): \(result)")
        #expect(result.stdout.isEmpty, "\(arguments): \(result)")
        #expect(!FileManager.default.fileExists(atPath: dir.path + "/fresh"), "nothing was created")
        #expect(!FileManager.default.fileExists(atPath: dir.home + "/data"), "no demo store was made")
    }

    @Test func aMissingStoreExitsThreeNamingThePath() throws {
        guard ProgramRunner.binary() != nil else { return }
        let dir = try ProgramScratch("missing")
        defer { dir.remove() }
        let nowhere = dir.path + "/nowhere"
        let empty = dir.path + "/empty"
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: false)

        for store in [nowhere, empty] {
            for arguments in [["run", "-", "--store", store], ["--store", store], ["store", "compact", "--store", store]] {
                let result = try dir.orderdesk(arguments, stdin: "orders\n")
                #expect(result.exitCode == 3, "\(arguments): \(result)")
                #expect(result.stderr.contains("no store at \(store)"), "\(arguments): \(result)")
            }
            let verify = try dir.orderdesk(["store", "verify", "--store", store])
            #expect(verify.exitCode == 3, "\(verify)")
            #expect((verify.stdout + verify.stderr).contains(store), "\(verify)")
        }
        #expect(!FileManager.default.fileExists(atPath: nowhere), "a missing store is not created")
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: empty).isEmpty, "no lock file is left in a directory that holds no store")
    }

    // MARK: Damage

    /// Three changes, then a byte changed in the middle of line 2 of the journal.
    static func damagedStore(_ dir: ProgramScratch) throws -> [UInt8] {
        try dir.makeSampleStore()
        let setup = try dir.orderdesk(
            ["run", "-", "--store", dir.store],
            stdin: "settings auto-restock off\n" + #"feedback #1002 --rating 4 "Thanks""# + "\nsettings auto-restock on\n")
        #expect(setup.exitCode == 0, "\(setup)")
        var bytes = dir.bytes(dir.journal)
        let lineTwo = try #require(bytes.firstIndex(of: 0x0A)) + 1
        let text = Array(#""Thanks""#.utf8)
        let at = try #require((lineTwo..<(bytes.count - text.count)).first { Array(bytes[$0..<($0 + text.count)]) == text })
        bytes[at + 1] = UInt8(ascii: "W")  // "Whanks": still JSON, but the checksum no longer matches
        try Data(bytes).write(to: URL(fileURLWithPath: dir.journal))
        return bytes
    }

    @Test func aCorruptMiddleLineIsRefusedQuarantinedAndLeftAlone() throws {
        guard ProgramRunner.binary() != nil else { return }
        let dir = try ProgramScratch("corrupt")
        defer { dir.remove() }
        let damaged = try Self.damagedStore(dir)
        let snapshot = dir.bytes(dir.snapshot)

        let attempts: [(arguments: [String], stdin: String)] = [
            (["run", "-", "--store", dir.store], "show #1001\n"),
            (["run", "-", "--store", dir.store], #"feedback #1001 --rating 1 "x""# + "\n"),
            (["--store", dir.store], "orders\n"),
            (["store", "compact", "--store", dir.store], ""),
        ]
        for attempt in attempts {
            let result = try dir.orderdesk(attempt.arguments, stdin: attempt.stdin)
            #expect(result.exitCode == 3, "\(attempt.arguments) \(attempt.stdin): \(result)")
            #expect(result.stderr.contains("journal.jsonl"), "\(result)")
            #expect(result.stderr.contains("line 2"), "\(result)")
            #expect(result.stderr.contains("quarantine/"), "\(result)")
            #expect(dir.bytes(dir.journal) == damaged, "the damaged journal is left byte for byte")
            #expect(dir.bytes(dir.snapshot) == snapshot)
        }
        let copies = try FileManager.default.contentsOfDirectory(atPath: dir.quarantine)
        #expect(copies.count == 1, "one copy of the same damaged file: \(copies)")
        for copy in copies {
            #expect(copy.hasSuffix("journal.jsonl"))
            #expect(dir.bytes(dir.quarantine + "/" + copy) == damaged, "the quarantine copy is byte-identical")
        }
    }

    /// What a crash mid-append leaves: ignored, earlier events intact, removed by the next change
    /// after a copy into quarantine/.
    @Test func aTornLastLineIsToleratedAndCutByTheNextChange() throws {
        guard ProgramRunner.binary() != nil else { return }
        let dir = try ProgramScratch("torn")
        defer { dir.remove() }
        try dir.makeSampleStore()
        let setup = try dir.orderdesk(
            ["run", "-", "--store", dir.store],
            stdin: "settings auto-restock off\n" + #"feedback #1002 --rating 4 "Thanks""#
                + "\ncancel #1001 --reason customer --refund later\n")
        #expect(setup.exitCode == 0, "\(setup)")
        let good = dir.bytes(dir.journal)
        let handle = try #require(FileHandle(forWritingAtPath: dir.journal))
        handle.seekToEndOfFile()
        handle.write(Data(#"{"agent":"zed","at":"2026-11-26T18:00:00Z","key":"auto-restock","previous":"off","seq":4,"ty"#.utf8))
        try handle.close()
        let torn = dir.bytes(dir.journal)

        let log = try #require(try dir.query("log --limit 100 --json") as? [[String: Any]])
        #expect(log.compactMap { $0["seq"] as? Int } == [1, 2, 3])
        #expect(log.allSatisfy { $0["agent"] as? String == "alice" })
        #expect(try dir.order("#1001").isCancelled)
        let verify = try dir.orderdesk(["store", "verify", "--store", dir.store])
        #expect(verify.exitCode == 0, "a torn tail is what a crash leaves, not damage: \(verify)")
        #expect(dir.bytes(dir.journal) == torn, "reads do not cut the torn tail")

        let change = try dir.orderdesk(["run", "-", "--store", dir.store], stdin: #"feedback #1004 --rating 2 "late""# + "\n")
        #expect(change.exitCode == 0, "\(change)")
        #expect(change.stderr.contains("note: ") && change.stderr.contains("torn"), "a batch reports the torn tail: \(change)")
        let after = dir.bytes(dir.journal)
        #expect(Array(after.prefix(good.count)) == good, "earlier lines are intact")
        #expect(after.last == UInt8(ascii: "\n"))
        #expect(!String(decoding: after, as: UTF8.self).contains("zed"))
        #expect(dir.journalSeqs() == [1, 2, 3, 4])
        // Since issue 13 the torn tail is copied into quarantine/ before it is cut (it was not).
        let copies = (try? FileManager.default.contentsOfDirectory(atPath: dir.quarantine)) ?? []
        #expect(copies.count == 1 && copies.allSatisfy { dir.bytes(dir.quarantine + "/" + $0) == torn }, "\(copies)")
    }

    // MARK: init, verify, compact

    @Test func initCreatesAStoreAndRefusesAnExistingOne() throws {
        guard ProgramRunner.binary() != nil else { return }
        let dir = try ProgramScratch("init")
        defer { dir.remove() }

        let created = try dir.orderdesk(["init", "demo-store", "--demo", "--orders", "5", "--seed", "7"])
        #expect(created.exitCode == 0, "\(created)")
        let listed = try dir.orderdesk(
            ["run", "-", "--store", dir.path + "/demo-store"], stdin: "orders --status all --limit 100 --json\n")
        #expect(listed.exitCode == 0, "\(listed)")
        let array = (try? JSONSerialization.jsonObject(with: Data(listed.stdout.utf8))) as? [Any]
        #expect(array?.count == 5, "\(listed)")

        let snapshot = dir.bytes(dir.path + "/demo-store/snapshot.json")
        let journal = dir.bytes(dir.path + "/demo-store/journal.jsonl")
        for arguments in [["init", "demo-store"], ["init", "demo-store", "--demo", "--orders", "3"]] {
            let again = try dir.orderdesk(arguments)
            #expect(again.exitCode == 1, "\(arguments): \(again)")
            #expect(again.stderr.contains("already holds a store"), "\(again)")
            #expect(dir.bytes(dir.path + "/demo-store/snapshot.json") == snapshot)
            #expect(dir.bytes(dir.path + "/demo-store/journal.jsonl") == journal)
        }
    }

    @Test func verifyExitsZeroWhenCleanAndThreeWhenDamaged() throws {
        guard ProgramRunner.binary() != nil else { return }
        let clean = try ProgramScratch("verify-clean")
        defer { clean.remove() }
        try clean.makeSampleStore()
        _ = try clean.orderdesk(["run", "-", "--store", clean.store], stdin: "cancel #1001 --reason customer\n")
        let ok = try clean.orderdesk(["store", "verify", "--store", clean.store])
        #expect(ok.exitCode == 0, "\(ok)")
        #expect(ok.stdout.contains("OK"), "\(ok)")

        // A damaged journal line: verify reports it (file and line), and changes nothing, not even quarantine/.
        let journalDamage = try ProgramScratch("verify-journal")
        defer { journalDamage.remove() }
        let damaged = try Self.damagedStore(journalDamage)
        let bad = try journalDamage.orderdesk(["store", "verify", "--store", journalDamage.store])
        #expect(bad.exitCode == 3, "\(bad)")
        #expect(bad.stdout.contains("journal.jsonl"), "\(bad)")
        #expect(bad.stdout.contains("line 2"), "\(bad)")
        #expect(journalDamage.bytes(journalDamage.journal) == damaged)
        #expect(!FileManager.default.fileExists(atPath: journalDamage.quarantine), "verify never quarantines")

        // A truncated snapshot: verify says so; opening refuses and quarantines it.
        let snapshotDamage = try ProgramScratch("verify-snapshot")
        defer { snapshotDamage.remove() }
        try snapshotDamage.makeSampleStore()
        let half = Array(snapshotDamage.bytes(snapshotDamage.snapshot).prefix(500))
        try Data(half).write(to: URL(fileURLWithPath: snapshotDamage.snapshot))
        let report = try snapshotDamage.orderdesk(["store", "verify", "--store", snapshotDamage.store])
        #expect(report.exitCode == 3, "\(report)")
        #expect(report.stdout.contains("snapshot.json"), "\(report)")
        let open = try snapshotDamage.orderdesk(["run", "-", "--store", snapshotDamage.store], stdin: "orders\n")
        #expect(open.exitCode == 3, "\(open)")
        #expect(open.stderr.contains("snapshot.json"), "\(open)")
        #expect(snapshotDamage.bytes(snapshotDamage.snapshot) == half)
        let copies = (try? FileManager.default.contentsOfDirectory(atPath: snapshotDamage.quarantine)) ?? []
        #expect(copies.count == 1 && copies.allSatisfy { snapshotDamage.bytes(snapshotDamage.quarantine + "/" + $0) == half }, "\(copies)")
    }

    @Test func compactKeepsEveryOrderAndEvent() throws {
        guard ProgramRunner.binary() != nil else { return }
        let dir = try ProgramScratch("compact")
        defer { dir.remove() }
        try dir.makeSampleStore()
        let file = try dir.script(
            "day.txt",
            [
                "cancel #1001 --reason customer --refund later",
                "cancel #1002 --reason fraud",
                "refund #1005 5.00",
                #"feedback #1004 --rating 2 "Slow""#,
                #"notify #1008 "We are on it""#,
                "settings auto-restock off",
                "recreate #1007 --no-notify",
            ])
        let day = try dir.orderdesk(["run", file, "--store", dir.store])
        #expect(day.exitCode == 0, "\(day)")
        let seqs = dir.journalSeqs()
        #expect(seqs.count >= 7)
        let reads = [
            "orders --status all --limit 1000 --json", "log --limit 1000 --json", "feedback list --limit 1000 --json",
            "outbox --limit 1000 --json", "inventory --json",
        ]
        let before = try reads.map { try dir.query($0) }
        #expect((before[0] as? [Any])?.count == 9, "eight orders and the recreated one")
        #expect((before[1] as? [Any])?.count == seqs.count)

        let compact = try dir.orderdesk(["store", "compact", "--store", dir.store])
        #expect(compact.exitCode == 0, "\(compact)")
        #expect(dir.bytes(dir.journal).isEmpty, "the journal was folded into the snapshot")
        let snapshot = (try? JSONSerialization.jsonObject(with: Data(dir.bytes(dir.snapshot)))) as? [String: Any]
        #expect(snapshot?["seq"] as? Int == seqs.last)

        let after = try reads.map { try dir.query($0) }
        for (read, (old, new)) in zip(reads, zip(before, after)) {
            #expect((old as? NSObject)?.isEqual(new) == true, "\(read) differs after compaction")
        }
        // The next change carries on from the folded sequence.
        let next = try dir.orderdesk(["run", "-", "--store", dir.store], stdin: "settings auto-restock on\n")
        #expect(next.exitCode == 0, "\(next)")
        #expect(dir.journalSeqs() == [(seqs.last ?? 0) + 1])
        let log = try dir.query("log --limit 1000 --json") as? [[String: Any]]
        #expect(log?.compactMap { $0["seq"] as? Int } == Array(1...((seqs.last ?? 0) + 1)))
        let verify = try dir.orderdesk(["store", "verify", "--store", dir.store])
        #expect(verify.exitCode == 0, "\(verify)")
    }
}
