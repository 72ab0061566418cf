import OrderDeskCore
import OrderDeskPractice
import OrderDeskTestSupport
import Testing

@testable import OrderDeskShell

/// The built-in practice course, read in-process as the program reads it. The course run end to end
/// by the real binary is in `PracticeProgramTests` (OrderDeskProcessTests).
@Suite struct PracticeTests {
    /// The built-in course, as the program loads it.
    static let builtIn: [Lesson] = (try? LessonLibrary.load(directories: []).lessons) ?? []

    // MARK: - The built-in course

    @Test func theBuiltInCourseLoads() throws {
        let lessons = Self.builtIn
        #expect(lessons.count >= 8)
        #expect(Set(lessons.map(\.id)).count == lessons.count)
        for lesson in lessons {
            #expect(!lesson.hints.isEmpty, "\(lesson.id) has no hints")
            #expect(!lesson.solution.isEmpty, "\(lesson.id) has no solution")
            #expect(lesson.solution.last == "check", "\(lesson.id)'s solution does not end with check")
            #expect(lesson.file.hasPrefix("built-in lesson "), "\(lesson.file)")
        }
    }

    /// Between them the solutions use every command of the language, except `source` (it needs a
    /// script file, which a lesson cannot ship) and `quit` (practice's own).
    @Test func theSolutionsUseEveryCommand() throws {
        var used = Set<String>()
        for lesson in Self.builtIn {
            for line in lesson.solution {
                guard let first = try Tokenizer.words(line).first, let spec = CommandTable.spec(first) else { continue }
                used.insert(spec.name)
                if spec.name == "feedback", line.contains("feedback list") { used.insert("feedback list") }
            }
        }
        let all = Set(CommandTable.all.map(\.name)).subtracting(["source", "quit"]).union(["feedback list"])
        #expect(all.subtracting(used).isEmpty, "commands no solution uses: \(all.subtracting(used).sorted())")
    }

    // MARK: - Solutions and wrong approaches, graded in-process

    /// Lines of a lesson run as practice runs them, in memory: changes committed (`--dry-run`
    /// previews skipped), answers kept, practice's own commands left out; then graded.
    static func graded(_ lesson: Lesson, _ lines: [String]) throws -> (grade: LessonGrade, desk: Desktop) {
        let baseline = try LessonSetup.apply(lesson.setup, to: TrainingStore.make(), agent: lesson.setupAgent).state
        var desk = Desktop(baseline, now: TrainingStore.now)
        desk.agent = "alice"
        var commands: [[String]] = []
        var answers: [String] = []
        for line in lines {
            let words = try Tokenizer.words(line)
            guard let first = words.first?.lowercased() else { continue }
            if first == "answer" { answers.append(PracticeRun.rest(of: line)) }
            if PracticeCommand.names.contains(first) { continue }
            if let command = try Command.parse(line), command.isChange, !(try desk.plan(line).dryRun) { try desk.run(line) }
            commands.append(words)
        }
        let work = LessonWork(baseline: baseline, state: desk.state, events: desk.events, commands: commands, answers: answers)
        return (LessonGrade(lesson, work), desk)
    }

    static var builtInIDs: [String] { builtIn.map(\.id) }

    @Test(arguments: PracticeTests.builtInIDs)
    func eachSolutionPassesItsOwnCheck(id: String) throws {
        let lesson = try #require(Self.builtIn.first { $0.id == id })
        #expect(!(try Self.graded(lesson, []).grade.passed), "\(id) passes before anything is done")
        let (grade, _) = try Self.graded(lesson, lesson.solution)
        #expect(grade.passed, "\(id): \(grade.items.filter { !$0.status.isMet }) \(grade.unexpected)")
    }

    /// A likely mistake in a built-in lesson, and what `check` says about it: `wrong` is part of a
    /// "✗ wrong" line it must show; nil when the lesson is merely not passed yet.
    struct WrongApproach: Sendable, CustomTestStringConvertible {
        var lesson: String
        var lines: [String]
        var wrong: String?
        var testDescription: String { "\(lesson): \(lines.joined(separator: "; "))" }
    }

    static let wrongApproaches: [WrongApproach] = [
        WrongApproach(lesson: "find-the-order", lines: ["find zoe", "show #1001", "answer #1001"], wrong: nil),
        WrongApproach(lesson: "changed-mind", lines: ["cancel #1001 --reason other --yes"], wrong: "with the reason 'other'"),
        WrongApproach(
            lesson: "suspected-fraud", lines: ["cancel #1008 --reason fraud --notify --yes"],
            wrong: "the cancel sent the customer of #1008 a notice"),
        WrongApproach(
            lesson: "out-of-stock-offer", lines: ["cancel #1002 --reason inventory --restock --offer '15% off with SORRY15' --yes"],
            wrong: "HOOD-GRY-L had the right number of units in stock at the start"),
        WrongApproach(lesson: "refund-later-in-parts", lines: ["cancel #1001 --reason customer --yes"], wrong: "handled as 'now'"),
        WrongApproach(lesson: "restock-by-hand", lines: ["restock #1004 --all", "notify #1004 'You will not be charged.'"], wrong: nil),
        // A poster that cannot be sold put back on the shelf; a refund that records no return.
        WrongApproach(
            lesson: "fulfilled-order", lines: ["return #1003 POSTER-A2 --shipping 5.00 --yes"],
            wrong: "1 unit of #1003 is back in stock: more than should be"),
        WrongApproach(lesson: "fulfilled-order", lines: ["refund #1003 --rest --yes"], wrong: nil),
        WrongApproach(
            lesson: "fulfilled-order", lines: ["return #1003 POSTER-A2 --shipping 5.00 --no-restock --refund credit --yes"],
            wrong: "23.00 USD as store credit"),
        // The money back but the mug still on the order; the tee taken back too.
        WrongApproach(lesson: "unshipped-item", lines: ["refund #1006 12.50 --yes"], wrong: nil),
        WrongApproach(
            lesson: "unshipped-item", lines: ["return #1006 MUG-WHT TEE-BLK-M --yes"],
            wrong: "TEE-BLK-M had the right number of units in stock at the start"),
        // Recorded without saying how it came; the customer's word taken for a payment of the wrong amount.
        WrongApproach(
            lesson: "bank-transfer", lines: ["pay #1004 --yes", "notify #1004 'Your payment has arrived.'"],
            wrong: "(3600 JPY recorded via manual) is not the one this case calls for"),
        WrongApproach(
            lesson: "bank-transfer", lines: ["pay #1004 360 --method bank_transfer --yes"], wrong: "not enough is left to collect"),
        // The customer told it ships while the money is still only authorized.
        WrongApproach(
            lesson: "capture-before-shipping", lines: ["notify #1002 'Your hoodie is on its way today.'"], wrong: nil),
        WrongApproach(lesson: "capture-before-shipping", lines: ["capture #1002 --yes"], wrong: nil),
        WrongApproach(lesson: "mistaken-cancel", lines: ["notify #1001 'Sorry: your order will be sent after all.'"], wrong: nil),
        WrongApproach(
            lesson: "log-feedback", lines: ["feedback #1007 --rating 5 'friendly'", "refund #1007 --rest --credit --yes"],
            wrong: "30.00 GBP as store credit"),
        WrongApproach(lesson: "read-the-report", lines: ["report", "answer 25%"], wrong: nil),
    ]

    @Test(arguments: PracticeTests.wrongApproaches)
    func aWrongApproachFails(_ approach: WrongApproach) throws {
        let lesson = try #require(Self.builtIn.first { $0.id == approach.lesson })
        let (grade, _) = try Self.graded(lesson, approach.lines)
        #expect(!grade.passed)
        let text = LessonText.grade(grade, lesson, hintsUsed: 0, style: .plain)
        if let wrong = approach.wrong {
            #expect(grade.hasWrong, "\(text)")
            let lines = text.split(separator: "\n").filter { $0.contains("✗ wrong") }
            #expect(lines.contains { $0.contains(wrong) }, "\(text)")
        } else {
            #expect(!grade.hasWrong, "\(text)")
        }
    }

    @Test func everyBuiltInLessonHasAWrongApproach() {
        let covered = Set(Self.wrongApproaches.map(\.lesson))
        #expect(Set(Self.builtInIDs).subtracting(covered).isEmpty)
        #expect(covered.subtracting(Self.builtInIDs).isEmpty)
    }

    /// The course in the order the files give it; ids are stable, so progress kept by id carries over.
    @Test func theCourseOrder() {
        #expect(
            Self.builtInIDs == [
                "find-the-order", "changed-mind", "suspected-fraud", "out-of-stock-offer", "refund-later-in-parts", "restock-by-hand",
                "fulfilled-order", "unshipped-item", "bank-transfer", "capture-before-shipping", "mistaken-cancel", "log-feedback",
                "read-the-report",
            ])
    }
}
