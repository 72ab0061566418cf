import Foundation
import OrderDeskCore
import OrderDeskPractice
import OrderDeskTestSupport
import Testing

@testable import OrderDeskShell

/// The course as a whole: the cases, the coverage of every command, goals that say
/// different things, harm goals where money or stock moves; and practice runs in a sandbox,
/// with golden transcripts of two lessons.
@Suite struct PracticeCourseTests {
    static var builtIn: [Lesson] { PracticeTests.builtIn }

    static func lesson(_ id: String) throws -> Lesson { try #require(builtIn.first { $0.id == id }) }

    static func check(_ id: String, _ lines: [String]) throws -> (grade: LessonGrade, text: String) {
        let lesson = try lesson(id)
        let grade = try PracticeTests.graded(lesson, lines).grade
        return (grade, LessonText.grade(grade, lesson, hintsUsed: 0, style: .plain))
    }

    // MARK: - The cases, before → after

    /// Was: refund --rest (as `show` suggests) then recreate passed "All 5 goals met", leaving
    /// the customer to pay again. Now it fails, saying the harm and the way out.
    @Test func aHarmfulUndoFails() throws {
        let (grade, text) = try Self.check("mistaken-cancel", ["show #1001", "refund #1001 --rest --yes", "recreate #1001 --yes"])
        #expect(!grade.passed)
        #expect(text.contains("✗ wrong  the customer had paid for #1001 and never asked to cancel"))
        #expect(text.contains("#1001-R1 asks them to pay 67.40 EUR again"))
        #expect(text.contains("type 'reset'"))
    }

    /// Was: 20.00 as credit, 40.00 and 7.40 to the card were "not the one this case calls for",
    /// with nothing left and no word of reset. Now it passes.
    @Test func refundsInOtherPartsThatGiveTheCustomerWhatTheyAskedPass() throws {
        let (grade, text) = try Self.check(
            "refund-later-in-parts",
            [
                "cancel #1001 --reason customer --refund later --yes", "refund #1001 20.00 --credit --yes", "refund #1001 40.00 --yes",
                "refund #1001 7.40 --yes",
            ])
        #expect(grade.passed, "\(text)")
    }

    /// Was: a paraphrase without "return" was refused, and a false "cancelled" stayed unmarked.
    @Test func messagesAreGradedOnWhatTheySay() throws {
        let paraphrase = try Self.check(
            "send-it-back", ["notify #1006 'Please send it back and we will give you your money back'", "outbox"])
        #expect(paraphrase.grade.passed, "\(paraphrase.text)")
        let untrue = try Self.check("send-it-back", ["notify #1006 'Your order has been cancelled.'", "outbox"])
        #expect(!untrue.grade.passed)
        #expect(untrue.text.contains("says that the order was cancelled, which is not true: #1006 is not cancelled"))
        // Was: a greeting passed as an answer to Sakura's question.
        let greeting = try Self.check(
            "restock-by-hand",
            [
                "restock #1004 MUG-WHT=1", "settings auto-restock on",
                "notify #1004 'Hello Sakura, thanks for getting in touch. Have a nice day!'",
            ])
        #expect(!greeting.grade.passed)
        #expect(greeting.text.contains("does not say that they are not charged anything yet"))
    }

    /// Was: `--offer 'sorry'` passed when the task names a code; a rating alone passed "rating
    /// and words"; a second feedback entry went unnoticed.
    @Test func theDetailsTheTaskAsksForAreChecked() throws {
        let sorry = try Self.check(
            "out-of-stock-offer", ["inventory", "cancel #1002 --reason inventory --no-restock --offer 'sorry' --yes"])
        #expect(!sorry.grade.passed)
        #expect(sorry.text.contains("does not say the code SORRY15 yet"))
        let rating = try Self.check("log-feedback", ["feedback list", "feedback #1007 --rating 5", "refund #1007 --rest --yes"])
        #expect(!rating.grade.passed)
        #expect(rating.text.contains("does not have the customer's words"))
        let twice = try Self.check(
            "log-feedback", ["feedback list", "feedback #1007 --rating 5 'friendly'", "feedback #1007 --rating 5 'friendly'"])
        #expect(twice.text.contains("2 feedback entries were logged on #1007"))
    }

    /// Was: "43%" refused when the report shows 42.9%, with no word on the form.
    @Test func numbersInTheFormsPeopleType() throws {
        for answer in ["43", "42.9", "42.9 %", "42,9", "43%"] {
            let (grade, text) = try Self.check("read-the-report", ["report --by reason", "orders --csv", "answer \(answer)"])
            #expect(grade.passed, "\(answer): \(text)")
        }
        let (_, text) = try Self.check("read-the-report", ["report --by reason", "orders --csv", "answer 25%"])
        #expect(text.contains("(a share in %, as the figures show it"))
    }

    // MARK: - The course

    /// Each goal says something of its own, and the counts `check` gives do not move.
    @Test(arguments: PracticeTests.builtInIDs)
    func goalsHaveTextsOfTheirOwn(id: String) throws {
        let lesson = try Self.lesson(id)
        let start = try PracticeTests.graded(lesson, []).grade
        let labels = start.items.map(\.label)
        #expect(Set(labels).count == labels.count, "\(id): \(labels)")
        let end = try PracticeTests.graded(lesson, lesson.solution).grade
        #expect(end.tasks.total == start.tasks.total)
    }

    /// What the course must teach, and the lesson that needs it: without the solution's lines that
    /// use it, the lesson does not pass.
    static let coverage: [(item: String, lesson: String)] = [
        ("find", "find-the-order"), ("show", "find-the-order"), ("cancel", "changed-mind"), ("--dry-run", "suspected-fraud"),
        ("--note", "suspected-fraud"), ("inventory", "out-of-stock-offer"), ("refund", "refund-later-in-parts"),
        ("restock", "restock-by-hand"), ("restock SKU=QTY", "restock-by-hand"), ("settings", "restock-by-hand"),
        ("notify", "restock-by-hand"),
        ("pay", "bank-transfer"), ("capture", "capture-before-shipping"), ("return", "fulfilled-order"),
        ("outbox", "send-it-back"), ("recreate", "mistaken-cancel"), ("feedback", "log-feedback"),
        ("feedback list", "log-feedback"), ("report", "read-the-report"), ("report --by", "read-the-report"),
        ("--json/--csv", "read-the-report"), ("orders", "read-the-report"), ("source", "run-a-script"), ("log", "who-did-what"),
        ("history", "who-did-what"),
    ]

    /// Whether a line uses a coverage item.
    static func uses(_ line: String, _ item: String) -> Bool {
        let words = (try? Tokenizer.words(line)) ?? []
        switch item {
        case "--json/--csv": return words.contains("--json") || words.contains("--csv")
        case "restock SKU=QTY": return words.first == "restock" && words.dropFirst(2).contains { $0.contains("=") }
        default:
            if item.hasPrefix("--") { return words.contains(item) }
            let wanted = item.split(separator: " ").map(String.init)
            return words.count >= wanted.count && Array(words.prefix(wanted.count)) == wanted
        }
    }

    @Test func theCourseCoversEveryCommandAndTheFlagsNamed() throws {
        let commands = Set(CommandTable.all.map(\.name)).subtracting(["help", "quit"])
        #expect(commands.subtracting(Self.coverage.map(\.item)).isEmpty, "\(commands.subtracting(Self.coverage.map(\.item)))")
        for (item, id) in Self.coverage {
            let lesson = try Self.lesson(id)
            #expect(lesson.solution.contains { Self.uses($0, item) }, "\(id)'s solution does not use \(item)")
            let without = lesson.solution.filter { !Self.uses($0, item) }
            #expect(!(try PracticeTests.graded(lesson, without).grade.passed), "\(id) passes without \(item)")
        }
    }

    /// What each lesson says it teaches (`practice --list` shows it) its solution uses.
    @Test func eachLessonTeachesWhatItSays() throws {
        for lesson in Self.builtIn {
            #expect(!lesson.teaches.isEmpty, "\(lesson.id) says nothing of what it teaches")
            for item in lesson.teaches {
                let used = lesson.solution.contains { line in
                    let words = (try? Tokenizer.words(line)) ?? []
                    return item.split(separator: " ").allSatisfy { piece in
                        words.contains(String(piece)) || (piece == "SKU=QTY" && words.contains { $0.contains("=") })
                    }
                }
                #expect(used, "\(lesson.id) teaches \(item), which its solution does not use")
            }
        }
    }

    /// Every lesson that moves money or stock has a goal that nothing harmful happened.
    @Test func lessonsThatMoveMoneyOrStockCheckForHarm() throws {
        let moves: Set<String> = ["cancel", "refund", "return", "restock", "pay", "capture", "recreate", "source", "notify"]
        for lesson in Self.builtIn {
            let moving = lesson.solution.contains { moves.contains(((try? Tokenizer.words($0)) ?? []).first ?? "") }
            let guarded = lesson.goals.contains { if case .noHarm = $0.check { return true } else { return false } }
            if moving { #expect(guarded, "\(lesson.id) has no no_harm goal") }
        }
    }

    // MARK: - Practice runs

    /// A practice run over lines, as `orderdesk practice N < lines` runs them, in a sandbox.
    static func run(
        _ id: String, _ lines: [String], progress: PracticeProgress? = nil
    ) throws -> (transcript: String, code: Int32, run: PracticeRun) {
        let library = try LessonLibrary.load(directories: [])
        let index = try #require(library.index(of: id))
        let console = RecordingConsole()
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let run = PracticeRun(library: library, console: console, style: .plain, agent: "alice", progress: progress, sandbox: sandbox)
        try run.start(index)
        console.out(run.task)
        run.batch(TextLines(name: "stdin", lines: lines))
        let code = run.finish()
        return (console.transcript, code, run)
    }

    static let transcripts = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Transcripts")

    /// Golden transcripts of whole lessons: `Transcripts/practice-ID.lines` in,
    /// `practice-ID.expected` out (`ORDERDESK_UPDATE_GOLDEN=1` rewrites them).
    @Test(arguments: ["mistaken-cancel", "refund-later-in-parts", "run-a-script"])
    func goldenTranscript(id: String) throws {
        let input = Self.transcripts.appendingPathComponent("practice-\(id).lines")
        let lines = try String(contentsOf: input, encoding: .utf8).split(separator: "\n").map(String.init)
        let got = try Self.run(id, lines).transcript
        let expected = Self.transcripts.appendingPathComponent("practice-\(id).expected")
        if ProcessInfo.processInfo.environment["ORDERDESK_UPDATE_GOLDEN"] == "1" {
            try got.write(to: expected, atomically: true, encoding: .utf8)
        }
        let want = (try? String(contentsOf: expected, encoding: .utf8)) ?? ""
        #expect(got == want, "practice-\(id) differs; ORDERDESK_UPDATE_GOLDEN=1 rewrites it, then review the diff")
    }

    /// Was: reopening a passed lesson and quitting said "not passed yet" (and exited 1).
    @Test func aLessonPassedBeforeStaysPassedWhenReopened() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "practice-progress-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        defer { try? FileManager.default.removeItem(at: folder) }
        let progress = PracticeProgress(path: folder.appendingPathComponent("practice.json").path, agent: "alice")
        let first = try Self.run("changed-mind", ["cancel #1001 --reason customer --yes", "check"], progress: progress)
        #expect(first.code == 0)
        let again = try Self.run("changed-mind", ["show #1001", "quit"], progress: progress)
        #expect(!again.transcript.contains("not passed"), "\(again.transcript)")
        #expect(again.code == 0)
        // A lesson never passed still says so.
        let other = try Self.run("suspected-fraud", ["quit"], progress: progress)
        #expect(other.transcript.contains("is not passed yet"))
        #expect(other.code == 1)
    }

    /// Practice's `find` is the shell's: as people type, in a sandbox too.
    @Test func findAsPeopleTypeInPractice() throws {
        let result = try Self.run("find-the-order", ["find 'zoe dubois'", "find dubois zoe", "find 'Zoë Dubois'", "find ZOE"])
        let found = result.transcript.components(separatedBy: "\n").filter { $0.hasPrefix("#1002 ") }
        #expect(found.count == 4, "\(result.transcript)")
        #expect(!result.transcript.contains("Nothing matches"))
    }

    @Test func theListShowsWhatEachLessonTeaches() throws {
        let library = try LessonLibrary.load(directories: [])
        let console = RecordingConsole()
        var progress = PracticeProgress(path: "/nonexistent-\(getpid())/practice.json", agent: "alice")
        _ = Program.list(library, progress: &progress, agent: "alice", console: console, style: .plain)
        #expect(console.output.contains("teaches: cancel --reason fraud, --dry-run, --note, log"))
        #expect(console.output.contains("teaches: source"))
    }
}
