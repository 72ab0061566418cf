import Foundation
import OrderDeskCore
import OrderDeskPractice
import OrderDeskStore
import Testing

@testable import OrderDeskShell

#if canImport(Glibc)
    import Glibc
#endif

/// `orderdesk practice` end to end: the real binary, its built-in lessons (read from the resource
/// bundle next to it), trainers' lesson files, the progress file, and the promise never to touch a
/// real store. Each test has its own HOME, XDG folders and TMPDIR (see ``ProgramScratch``).
@Suite struct PracticeProgramTests {
    /// The built-in course, as the program loads it.
    static let builtIn: [Lesson] = (try? LessonLibrary.load(directories: []).lessons) ?? []
    static var builtInIDs: [String] { builtIn.map(\.id) }

    static func number(of id: String) -> Int { (builtIn.firstIndex { $0.id == id } ?? -1) + 1 }

    /// Runs `orderdesk practice ARGUMENTS` in the scratch directory, with its own TMPDIR.
    static func practice(
        _ dir: ProgramScratch, _ arguments: [String], stdin: String? = nil, agent: String = "alice", environment: [String: String] = [:]
    ) throws -> ProgramRunner.Result {
        var extra = ["TMPDIR": dir.path + "/tmp"]
        try FileManager.default.createDirectory(atPath: dir.path + "/tmp", withIntermediateDirectories: true)
        extra.merge(environment) { _, new in new }
        return try dir.orderdesk(["practice"] + arguments, stdin: stdin, agent: agent, environment: extra)
    }

    /// The progress file's records of one agent, by lesson id.
    static func progress(_ dir: ProgramScratch, agent: String = "alice") -> [String: [String: Any]] {
        guard let data = FileManager.default.contents(atPath: dir.home + "/state/orderdesk/practice.json"),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let agents = object["agents"] as? [String: Any]
        else { return [:] }
        return agents[agent] as? [String: [String: Any]] ?? [:]
    }

    /// Where `needle` first appears in `text`, or nil.
    static func offset(of needle: String, in text: String) -> Int? {
        text.range(of: needle).map { text.distance(from: text.startIndex, to: $0.lowerBound) }
    }

    @Test(arguments: PracticeProgramTests.builtInIDs)
    func eachLessonFailsCheckFirstAndPassesWithItsSolution(id: String) throws {
        guard ProgramRunner.binary() != nil else { return }
        let dir = try ProgramScratch("practice-\(id)")
        defer { dir.remove() }
        let lesson = try #require(Self.builtIn.first { $0.id == id })
        let number = String(Self.number(of: id))

        // Before anything is done, check fails, and leaving unpassed exits 1.
        let early = try Self.practice(dir, [number], stdin: "check\n")
        #expect(early.exitCode == 1, "\(early)")
        #expect(early.stdout.contains("Lesson \(number) of \(Self.builtIn.count): \(lesson.title)"), "\(early)")
        #expect(early.stdout.contains("Not passed yet: 0 of"), "\(early)")
        #expect(!early.stdout.contains("Passed!"), "\(early)")
        #expect(early.stderr.contains("Lesson \(number) (\(id)) is not passed yet"), "\(early)")
        #expect(Self.progress(dir)[id]?["status"] as? String == "started")

        // The scripted solution, piped in, passes it (by id this time).
        let script = (["check"] + lesson.solution).joined(separator: "\n") + "\n"
        let solved = try Self.practice(dir, [id], stdin: script)
        #expect(solved.exitCode == 0, "\(solved)")
        let notYet = try #require(Self.offset(of: "Not passed yet", in: solved.stdout), "\(solved)")
        let passed = try #require(Self.offset(of: "Passed! All ", in: solved.stdout), "\(solved)")
        #expect(notYet < passed)
        #expect(!solved.stdout.contains("✗ wrong"), "\(solved)")
        #expect(Self.progress(dir)[id]?["status"] as? String == "passed")
        #expect(Self.progress(dir)[id]?["attempts"] as? Int == 2)
    }

    // MARK: - Grading

    @Test func cancellingTheWrongOrderMakesCheckSayWhatIsWrong() throws {
        guard ProgramRunner.binary() != nil else { return }
        let dir = try ProgramScratch("practice-wrong")
        defer { dir.remove() }
        let number = String(Self.number(of: "changed-mind"))
        let result = try Self.practice(
            dir, [number],
            stdin: """
                cancel #1005 --reason customer --yes
                check
                cancel #1001 --reason other --yes
                check

                """)
        #expect(result.exitCode == 1, "\(result)")
        #expect(result.stdout.contains("✗ wrong  #1005 was cancelled, but this case is not about #1005"), "\(result)")
        #expect(result.stdout.contains("✗ wrong  #1001 was cancelled with the reason 'other', which does not fit the story"), "\(result)")
        #expect(result.stdout.contains("and something went wrong. Type 'reset' to start over"), "\(result)")
        #expect(!result.stdout.contains("Passed!"), "\(result)")
    }

    @Test func resetStartsOverAndNextMovesOn() throws {
        guard ProgramRunner.binary() != nil else { return }
        let dir = try ProgramScratch("practice-reset")
        defer { dir.remove() }
        let number = Self.number(of: "changed-mind")
        let result = try Self.practice(
            dir, [String(number)],
            stdin: """
                cancel #1005 --reason customer --yes
                reset
                show #1005
                check
                cancel #1001 --reason customer --yes
                check
                next
                task
                quit
                show #1001

                """)
        // #1005 is open again after the reset; the lesson passes; next starts the following lesson.
        #expect(result.stdout.contains("Started over with a fresh sandbox."), "\(result)")
        let fresh = try #require(result.stdout.range(of: "Started over")?.upperBound)
        #expect(result.stdout[fresh...].contains("#1005  partially_refunded · unfulfilled"), "\(result)")
        #expect(!result.stdout.contains("✗ wrong"), "\(result)")
        #expect(result.stdout.contains("Passed! All 4 goals met, with no hints."), "\(result)")
        #expect(result.stdout.contains("Lesson \(number + 1) of"), "\(result)")
        // `quit` left before the last line ran; the next lesson was started and not passed: exit 1.
        #expect(!result.stdout.contains("Customer   Jöns"), "\(result)")
        #expect(result.exitCode == 1, "\(result)")
        #expect(Self.progress(dir)["changed-mind"]?["attempts"] as? Int == 2)
        #expect(Self.progress(dir)["changed-mind"]?["status"] as? String == "passed")
    }

    @Test func hintsAreCountedAndProgressIsKeptPerUser() throws {
        guard ProgramRunner.binary() != nil else { return }
        let dir = try ProgramScratch("practice-progress")
        defer { dir.remove() }
        let lesson = try #require(Self.builtIn.first)
        let script = (["hint", "hint"] + lesson.solution).joined(separator: "\n") + "\n"
        let solved = try Self.practice(dir, [], stdin: script, agent: "alice")
        #expect(solved.exitCode == 0, "\(solved)")
        // The ladder: the lesson's hints, then the worked answer.
        #expect(solved.stdout.contains("Hint 2 of \(lesson.hints.count + 1): "), "\(solved)")
        #expect(solved.stdout.contains("Passed! All "), "\(solved)")
        #expect(solved.stdout.contains("with 2 hints."), "\(solved)")

        let alice = try Self.practice(dir, ["--list"], agent: "alice")
        #expect(alice.exitCode == 0, "\(alice)")
        #expect(alice.stdout.contains("Practice lessons for alice:"), "\(alice)")
        #expect(alice.stdout.contains("passed, 2 hints"), "\(alice)")
        #expect(alice.stdout.contains("1 of \(Self.builtIn.count) passed. Next: orderdesk practice 2"), "\(alice)")

        // Another agent name in the same home has progress of its own.
        let bob = try Self.practice(dir, ["--list"], agent: "bob")
        #expect(!bob.stdout.contains("passed,"), "\(bob)")
        #expect(bob.stdout.contains("0 of \(Self.builtIn.count) passed. Next: orderdesk practice 1"), "\(bob)")

        // Without a LESSON, practice starts the first lesson this user has not passed.
        let again = try Self.practice(dir, [], stdin: "quit\n", agent: "alice")
        #expect(again.stdout.contains("Lesson 2 of"), "\(again)")

        let record = try #require(Self.progress(dir)[lesson.id])
        #expect(record["status"] as? String == "passed")
        #expect(record["best_hints"] as? Int == 2)
        #expect(record["passed_at"] is String)
        #expect(Self.progress(dir, agent: "bob").isEmpty)
        // The file is the user's alone.
        var info = stat()
        #expect(stat(dir.home + "/state/orderdesk/practice.json", &info) == 0 && info.st_mode & 0o777 == 0o600)
    }

    // MARK: - Trainers' lessons

    /// A trainer's lesson: a fraud cancel on #1005 with the money left for later.
    static let trainerLesson = """
        {
          "id": "late-fraud",
          "title": "A trainer's lesson",
          "story": "We think #1005 is fraud.",
          "goals": [
            {"order": "#1005", "cancelled": true, "reason": "fraud", "refund": "later"},
            {"notice": {"order": "#1005", "sent": false}}
          ],
          "hints": ["--refund later"],
          "solution": ["cancel #1005 --reason fraud --refund later --yes", "check"]
        }
        """

    @Test func aTrainersLessonLoadsFromLessonsDir() throws {
        guard ProgramRunner.binary() != nil else { return }
        let dir = try ProgramScratch("practice-trainer")
        defer { dir.remove() }
        try FileManager.default.createDirectory(atPath: dir.path + "/course", withIntermediateDirectories: true)
        try Data(Self.trainerLesson.utf8).write(to: URL(fileURLWithPath: dir.path + "/course/late-fraud.json"))
        try Data("not a lesson".utf8).write(to: URL(fileURLWithPath: dir.path + "/course/README.md"))

        // Alongside the built-in lessons, after them.
        let list = try Self.practice(dir, ["--list", "--lessons", "course"])
        #expect(list.exitCode == 0, "\(list)")
        let n = Self.builtIn.count + 1
        #expect(list.stdout.contains("  \(n)  late-fraud"), "\(list)")

        let solved = try Self.practice(
            dir, ["late-fraud", "--lessons", "course"], stdin: "check\ncancel #1005 --reason fraud --refund later --yes\ncheck\n")
        #expect(solved.exitCode == 0, "\(solved)")
        #expect(solved.stdout.contains("Lesson \(n) of \(n): A trainer's lesson"), "\(solved)")
        #expect(solved.stdout.contains("Passed! The goal is met"), "\(solved)")

        // Instead of them: --no-builtin.
        let only = try Self.practice(dir, ["--list", "--lessons", "course", "--no-builtin"])
        #expect(only.stdout.contains("   1  late-fraud"), "\(only)")
        #expect(!only.stdout.contains("changed-mind"), "\(only)")

        // Trainers check their solutions with --verify.
        let verify = try Self.practice(dir, ["--verify", "--lessons", "course"])
        #expect(verify.exitCode == 0, "\(verify)")
        #expect(verify.stdout.contains("ok    \(n) late-fraud"), "\(verify)")
        #expect(verify.stdout.contains("ok    1 find-the-order"), "\(verify)")
    }

    @Test func aBrokenLessonFileIsRefusedWithItsFileAndField() throws {
        guard ProgramRunner.binary() != nil else { return }
        let dir = try ProgramScratch("practice-broken")
        defer { dir.remove() }
        try FileManager.default.createDirectory(atPath: dir.path + "/lessons", withIntermediateDirectories: true)
        let file = dir.path + "/lessons/x.json"
        let cases: [(String, String)] = [
            (
                Self.trainerLesson.replacingOccurrences(
                    of: ##"{"notice": {"order": "#1005", "sent": false}}"##,
                    with: ##"{"stock": {"sku": "MUG-WHT", "equals": 7}}, {"refund": {"order": "#1003", "amount": "12,50"}}"##),
                ##"error: lessons/x.json: goals[2].refund.amount: "12,50" is not a decimal amount; write it like "12.50""##
            ),
            (
                Self.trainerLesson.replacingOccurrences(of: ##""reason": "fraud""##, with: ##""raeson": "fraud""##),
                ##"error: lessons/x.json: goals[0].raeson: unknown field; did you mean "reason"?"##
            ),
            (
                Self.trainerLesson.replacingOccurrences(
                    of: ##""title": "A trainer's lesson","##, with: ##""title": "A trainer's lesson""##),
                "error: lessons/x.json:4:3: not valid JSON: expected ',' or '}' after the value of \"title\""
            ),
            (
                Self.trainerLesson.replacingOccurrences(of: ##""id": "late-fraud""##, with: ##""id": "changed-mind""##),
                ##"error: lessons/x.json: id: "changed-mind" is already the id of built-in lesson 02-changed-mind.json"##
            ),
        ]
        for (text, message) in cases {
            try Data(text.utf8).write(to: URL(fileURLWithPath: file))
            for arguments in [["--list"], ["1"]] {
                let result = try Self.practice(dir, arguments + ["--lessons", "lessons"], stdin: "check\n")
                #expect(result.exitCode == 1, "\(result)")
                #expect(result.stderr.hasPrefix(message), "\(result)")
                #expect(result.stdout.isEmpty, "\(result)")
            }
        }
        let missing = try Self.practice(dir, ["--list", "--lessons", "nowhere"])
        #expect(missing.exitCode == 1 && missing.stderr == "error: nowhere: no such directory\n", "\(missing)")
    }

    // MARK: - Only the sandbox

    /// Every file under a directory, with its bytes.
    static func snapshot(_ root: String) -> [String: [UInt8]] {
        var files: [String: [UInt8]] = [:]
        let enumerator = FileManager.default.enumerator(atPath: root)
        while let name = enumerator?.nextObject() as? String {
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: root + "/" + name, isDirectory: &isDirectory)
            files[name] = isDirectory.boolValue ? [] : FileManager.default.contents(atPath: root + "/" + name).map { [UInt8]($0) } ?? []
        }
        return files
    }

    @Test func theLiveStoreIsNeverOpenedLockedOrWritten() throws {
        guard ProgramRunner.binary() != nil else { return }
        let dir = try ProgramScratch("practice-live-store")
        defer { dir.remove() }
        try dir.makeSampleStore()
        // The live store has some history of its own.
        let setup = try dir.orderdesk(["run", "-", "--store", dir.store], stdin: "feedback #1001 --rating 4 'ok'\n")
        #expect(setup.exitCode == 0, "\(setup)")
        let before = Self.snapshot(dir.store)
        #expect(before["journal.jsonl"]?.isEmpty == false)

        // Someone holds the live store's lock the whole time: practice would wait for it and fail if it tried to open it.
        let lock = open(dir.lockFile, O_RDWR)
        #expect(lock >= 0)
        #expect(flock(lock, LOCK_EX | LOCK_NB) == 0)
        defer { close(lock) }

        let lesson = try #require(Self.builtIn.first { $0.id == "changed-mind" })
        let started = Date()
        let solved = try Self.practice(
            dir, ["changed-mind", "--store", dir.store], stdin: lesson.solution.joined(separator: "\n") + "\n",
            environment: ["ORDERDESK_STORE": dir.store])
        #expect(solved.exitCode == 0, "\(solved)")
        #expect(solved.stdout.contains("Passed! All "), "\(solved)")
        #expect(solved.stderr.contains("note: practice works in a sandbox of its own; \(dir.store) (--store) is not opened"), "\(solved)")
        #expect(Date().timeIntervalSince(started) < 8, "practice waited for the live store's lock")
        for arguments in [["--list"], ["--verify", "changed-mind"]] {
            let result = try Self.practice(dir, arguments, environment: ["ORDERDESK_STORE": dir.store])
            #expect(result.exitCode == 0, "\(result)")
        }

        let after = Self.snapshot(dir.store)
        #expect(after.keys.sorted() == before.keys.sorted())
        for (name, bytes) in before { #expect(after[name] == bytes, "\(name) changed") }
        // Nor was the per-user demo store created.
        #expect(!FileManager.default.fileExists(atPath: dir.home + "/data/orderdesk/demo"))
    }

    @Test func theSandboxIsRemovedUnlessKept() throws {
        guard ProgramRunner.binary() != nil else { return }
        let dir = try ProgramScratch("practice-keep")
        defer { dir.remove() }
        let gone = try Self.practice(dir, ["1"], stdin: "find zoe\n")
        #expect(gone.exitCode == 1, "\(gone)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path + "/tmp").isEmpty)

        let kept = try Self.practice(dir, ["2", "--keep"], stdin: "cancel #1001 --reason customer --yes\n")
        let line = try #require(kept.stderr.split(separator: "\n").first { $0.hasPrefix("The sandbox is kept in ") }, "\(kept)")
        let root = String(line.dropFirst("The sandbox is kept in ".count).prefix { $0 != " " })
        #expect(root.hasPrefix(dir.path + "/tmp/orderdesk-practice-"), "\(root)")
        // A store in its own right, with the learner's cancel in its journal.
        let store = try FileStore.open(at: root + "/changed-mind")
        #expect(store.state.order(named: "#1001")?.isCancelled == true)
        #expect(store.state.order(named: "#1001")?.cancellation?.agent == "alice")
    }

    @Test func argumentsThatMakeNoSense() throws {
        guard ProgramRunner.binary() != nil else { return }
        let dir = try ProgramScratch("practice-args")
        defer { dir.remove() }
        let unknown = try Self.practice(dir, ["changed-mnd"])
        #expect(unknown.exitCode == 2, "\(unknown)")
        #expect(unknown.stderr.contains("there is no lesson 'changed-mnd'; did you mean 'changed-mind'?"), "\(unknown)")
        let tooFar = try Self.practice(dir, ["99"])
        #expect(tooFar.exitCode == 2, "\(tooFar)")
        let both = try Self.practice(dir, ["--list", "2"])
        #expect(both.exitCode == 2, "\(both)")
        let nothing = try Self.practice(dir, ["--no-builtin"])
        #expect(nothing.exitCode == 2, "\(nothing)")
    }

    // MARK: - In a terminal

    /// One lesson end to end in a pseudo-terminal: the task, a hint, the commands (with the live
    /// shell's reason menu and confirmation), a passing check, and the record of it.
    @Test(.timeLimit(.minutes(1))) func aLessonEndToEndInATerminal() throws {
        guard let binary = ProgramRunner.binary() else { return }
        let dir = try ProgramScratch("practice-pty")
        defer { dir.remove() }
        try FileManager.default.createDirectory(atPath: dir.path + "/tmp", withIntermediateDirectories: true)
        let number = Self.number(of: "changed-mind")
        let pty = try PseudoTerminal(
            executable: binary, arguments: ["practice", String(number)],
            environment: [
                "HOME": dir.home, "XDG_STATE_HOME": dir.home + "/state", "XDG_DATA_HOME": dir.home + "/data",
                "ORDERDESK_AGENT": "alice", "NO_COLOR": "1", "TMPDIR": dir.path + "/tmp",
            ])
        let prompt = "practice \(number) alice> "
        func expect(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
            #expect(
                pty.waitFor(text, timeout: 10, sinceMark: true), "no \(text) in:\n\(pty.outputSinceMark)", sourceLocation: sourceLocation)
        }
        func type(_ line: String, at prompt: String = prompt, sourceLocation: SourceLocation = #_sourceLocation) throws {
            try #require(
                pty.waitForPrompt(prompt, timeout: 10), "no prompt \(prompt) in:\n\(pty.outputSinceMark)", sourceLocation: sourceLocation)
            pty.send(line + PseudoTerminal.Key.enter)
        }

        expect("Lesson \(number) of \(Self.builtIn.count): A customer changed their mind")
        expect("From: Jöns Ärlig <jons.arlig@example.com>")
        try type("hint")
        expect("Hint 1 of 4: Look at the order first: show #1001")
        try type("check")
        expect("Not passed yet: 0 of 4 goals met")
        // No reason given: the live shell asks for it, previews, and asks to confirm.
        try type("cancel #1001")
        try type("1", at: "Reason [1-7]: ")
        expect("Notice   to jons.arlig@example.com")
        try type("y", at: "Cancel #1001? [y/N] ")
        expect("#1001 cancelled (customer")
        try type("task")
        expect("I ordered two black tees and a mug")
        try type("check")
        expect("Passed! All 4 goals met, with 1 hint.")
        try type("quit")
        #expect(pty.waitForExit(timeout: 10) == 0)

        let record = try #require(Self.progress(dir)["changed-mind"])
        #expect(record["status"] as? String == "passed")
        #expect(record["best_hints"] as? Int == 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path + "/tmp").isEmpty)
        // Practice keeps a line history of its own, apart from the shell's.
        let history = (try? String(contentsOfFile: dir.home + "/state/orderdesk/practice-history", encoding: .utf8)) ?? ""
        #expect(history.contains("check"))
        #expect(!FileManager.default.fileExists(atPath: dir.home + "/state/orderdesk/history"))
    }

    /// A lesson walked as a new hire would: a wrong step, `undo` (pointed to `recreate`), the
    /// whole hint ladder down to the worked answer, `reset`, and a pass; then the lesson opened
    /// again and left without "not passed".
    @Test(.timeLimit(.minutes(1))) func aWrongStepTheHintLadderResetAndAPassInATerminal() throws {
        guard let binary = ProgramRunner.binary() else { return }
        let dir = try ProgramScratch("practice-pty-ladder")
        defer { dir.remove() }
        try FileManager.default.createDirectory(atPath: dir.path + "/tmp", withIntermediateDirectories: true)
        let number = Self.number(of: "changed-mind")
        let environment = [
            "HOME": dir.home, "XDG_STATE_HOME": dir.home + "/state", "XDG_DATA_HOME": dir.home + "/data",
            "ORDERDESK_AGENT": "alice", "NO_COLOR": "1", "TMPDIR": dir.path + "/tmp",
        ]
        let pty = try PseudoTerminal(executable: binary, arguments: ["practice", String(number)], environment: environment)
        let prompt = "practice \(number) alice> "
        func expect(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
            #expect(
                pty.waitFor(text, timeout: 10, sinceMark: true), "no \(text) in:\n\(pty.outputSinceMark)", sourceLocation: sourceLocation)
        }
        func type(_ line: String, at prompt: String = prompt, sourceLocation: SourceLocation = #_sourceLocation) throws {
            try #require(
                pty.waitForPrompt(prompt, timeout: 10), "no prompt \(prompt) in:\n\(pty.outputSinceMark)", sourceLocation: sourceLocation)
            pty.send(line + PseudoTerminal.Key.enter)
        }

        expect("Lesson \(number) of \(Self.builtIn.count): A customer changed their mind")
        // The wrong step: a cancel as store credit, which the customer did not ask for.
        try type("cancel #1001 --reason customer --refund credit --yes")
        expect("#1001 cancelled (customer")
        try type("check")
        expect("✗ wrong  #1001 has 67.40 EUR as store credit")
        expect("Money that went back cannot be taken back: type 'reset' to start over")
        expect("Not passed: 3 of 4 goals met, and something went wrong.")
        try type("undo")
        expect("unknown command 'undo' — to reverse a cancel, use 'recreate'")
        // The ladder, to its last rung: the worked answer.
        for rung in 1...4 {
            try type("hint")
            expect("Hint \(rung) of 4: ")
        }
        expect("the worked answer")
        expect("cancel #1001 --reason customer --refund now --restock --notify --yes")
        try type("hint")
        expect("No more hints: you have seen all 4, the worked answer last.")
        try type("reset")
        expect("Started over with a fresh sandbox.")
        try type("check")
        expect("Not passed yet: 0 of 4 goals met.")
        try type("cancel #1001 --reason customer --yes")
        expect("#1001 cancelled (customer")
        try type("check")
        expect("Passed! All 4 goals met, with 4 hints.")
        try type("quit")
        #expect(pty.waitForExit(timeout: 10) == 0)
        #expect(Self.progress(dir)["changed-mind"]?["status"] as? String == "passed")

        // Opened again and left: it was passed, and it says nothing else.
        let again = try PseudoTerminal(executable: binary, arguments: ["practice", String(number)], environment: environment)
        #expect(again.waitForPrompt(prompt, timeout: 10), "\(again.outputSinceMark)")
        again.send("quit" + PseudoTerminal.Key.enter)
        #expect(again.waitForExit(timeout: 10) == 0)
        #expect(!again.output.contains("not passed"), "\(again.output)")
    }
}
