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

    /// Between them the solutions use every command of the language (`source` runs a lesson's own
    /// file), except `quit` (practice's own).
    @Test func theSolutionsUseEveryCommand() throws {
        var used = Set<String>()
        for lesson in Self.builtIn {
            for line in lesson.solution {
                guard let first = try Tokenizer.words(line).first, let spec = CommandTable.spec(first) else { continue }
                used.insert(spec.name)
                if spec.name == "feedback", line.contains("feedback list") { used.insert("feedback list") }
            }
        }
        let all = Set(CommandTable.all.map(\.name)).subtracting(["quit"]).union(["feedback list"])
        #expect(all.subtracting(used).isEmpty, "commands no solution uses: \(all.subtracting(used).sorted())")
    }

    // MARK: - Solutions, right variants and wrong paths, graded in-process

    /// Lines of a lesson run as practice runs them, in memory: changes committed (`--dry-run`
    /// previews skipped), answers kept, practice's own commands left out, `source NAME` running
    /// the lesson's file of that name until a line fails; then graded.
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
            if first == "source" {
                let file = try #require(lesson.files.first { $0.name == words.last }, "no file \(line)")
                var failed = false
                for scriptLine in file.lines where !failed {
                    do {
                        if let command = try Command.parse(scriptLine), command.isChange { try desk.run(scriptLine) }
                    } catch { failed = true }
                }
                if !failed { commands.append(words) }
                continue
            }
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

    /// A way through a built-in lesson, and what `check` must say: `passes` for a right variant;
    /// else not passed, and `wrong` is part of a "✗ wrong" line it must show (nil when the lesson is
    /// merely not passed yet).
    struct Path: Sendable, CustomTestStringConvertible {
        var lesson: String
        var lines: [String]
        var passes = false
        var wrong: String?
        var testDescription: String { "\(lesson) \(passes ? "right" : "wrong"): \(lines.joined(separator: "; "))" }

        static func right(_ lesson: String, _ lines: [String]) -> Path { Path(lesson: lesson, lines: lines, passes: true) }
        static func wrong(_ lesson: String, _ lines: [String], _ wrong: String?) -> Path {
            Path(lesson: lesson, lines: lines, wrong: wrong)
        }
    }

    /// Per lesson, at least two right variants that must pass and two wrong paths that must fail.
    static let paths: [Path] = [
        .right("find-the-order", ["find zoe.dubois@example.org", "show #1002", "answer It is #1002"]),
        .right("find-the-order", ["find 'zoe dubois'", "show 1002", "answer 1002."]),
        .right("find-the-order", ["orders --customer zoe", "show #1002", "answer #1002"]),
        .wrong("find-the-order", ["find zoe", "show #1001", "answer #1001"], nil),
        .wrong("find-the-order", ["show #1002", "answer #1002"], nil),

        .right("changed-mind", ["cancel #1001 --reason customer --yes"]),
        .right("changed-mind", ["cancel #1001 --reason customer --refund later --yes", "refund #1001 --rest --yes"]),
        .right(
            "changed-mind",
            ["cancel #1001 --reason customer --refund later --yes", "refund #1001 60.00 --yes", "refund #1001 7.40 --yes"]),
        .wrong("changed-mind", ["cancel #1001 --reason other --yes"], "with the reason 'other'"),
        .wrong("changed-mind", ["cancel #1001 --reason customer --refund credit --yes"], "67.40 EUR as store credit"),
        .wrong("changed-mind", ["cancel #1001 --reason customer --no-notify --yes"], "without a notice to the customer"),

        .right(
            "suspected-fraud",
            ["cancel #1008 --reason fraud --dry-run", "cancel #1008 --reason fraud --note 'Card reported stolen' --yes"]),
        .right(
            "suspected-fraud",
            [
                "cancel #1008 --reason fraud --refund later --note 'fraud: stolen card' --dry-run",
                "cancel #1008 --reason fraud --refund later --note 'fraud: stolen card' --yes", "refund #1008 --rest --no-notify --yes",
            ]),
        .wrong(
            "suspected-fraud", ["cancel #1008 --reason fraud --dry-run", "cancel #1008 --reason fraud --notify --note stolen --yes"],
            "the cancel sent the customer of #1008 a notice"),
        .wrong("suspected-fraud", ["cancel #1008 --reason fraud --dry-run", "cancel #1008 --reason fraud --yes"], "without a staff note"),
        .wrong(
            "suspected-fraud",
            ["cancel #1008 --reason fraud --dry-run", "cancel #1008 --reason fraud --refund credit --note stolen --yes"],
            "9.00 EUR as store credit"),

        .right(
            "out-of-stock-offer",
            ["inventory HOOD-GRY-L", "cancel #1002 --reason inventory --no-restock --offer '15% off with SORRY15' --yes"]),
        .right(
            "out-of-stock-offer",
            [
                "inventory", "cancel #1002 --reason inventory --no-restock --offer 'Sorry!' --yes",
                "notify #1002 'Here is 15% off your next order: use the code sorry15.'",
            ]),
        .wrong(
            "out-of-stock-offer", ["inventory", "cancel #1002 --reason inventory --restock --offer '15% off with SORRY15' --yes"],
            "damaged HOOD-GRY-L unit of #1002 went back in stock"),
        .wrong("out-of-stock-offer", ["inventory", "cancel #1002 --reason inventory --no-restock --offer 'sorry' --yes"], nil),

        .right(
            "refund-later-in-parts",
            ["cancel #1001 --reason customer --refund later --yes", "refund #1001 20.00 --credit --yes", "refund #1001 --rest --yes"]),
        .right(
            "refund-later-in-parts",
            [
                "cancel #1001 --reason customer --refund later --yes", "refund #1001 20.00 --credit --yes", "refund #1001 40.00 --yes",
                "refund #1001 7.40 --yes",
            ]),
        .right(
            "refund-later-in-parts",
            ["cancel #1001 --reason customer --refund later --yes", "refund #1001 47.40 --yes", "refund #1001 --rest --credit --yes"]),
        .wrong("refund-later-in-parts", ["cancel #1001 --reason customer --yes"], "Money that went back cannot be taken back"),
        .wrong(
            "refund-later-in-parts", ["cancel #1001 --reason customer --refund later --yes", "refund #1001 --rest --yes"],
            "67.40 EUR back to how they paid"),
        .wrong(
            "refund-later-in-parts", ["cancel #1001 --reason customer --refund later --yes", "refund #1001 25.00 --credit --yes"],
            "25.00 EUR as store credit"),

        .right(
            "restock-by-hand",
            ["settings", "restock #1004 MUG-WHT=1", "settings auto-restock on", "notify #1004 'You will not be charged.'"]),
        .right(
            "restock-by-hand",
            [
                "settings auto-restock on", "restock #1004 MUG-WHT=1",
                "notify #1004 'Nothing was ever taken from your card, so there is nothing to pay.'",
            ]),
        .wrong(
            "restock-by-hand", ["restock #1004 --all", "settings auto-restock on", "notify #1004 'You will not be charged.'"],
            "damaged MUG-WHT unit of #1004 went back in stock"),
        .wrong(
            "restock-by-hand",
            [
                "restock #1004 MUG-WHT=1", "settings auto-restock on",
                "notify #1004 'Hello Sakura, thanks for getting in touch. Have a nice day!'",
            ], nil),

        .right("bank-transfer", ["pay #1004 3600 --method bank_transfer --yes", "notify #1004 'Your transfer has arrived.'"]),
        .right("bank-transfer", ["pay #1004 --method bank-transfer --yes", "notify #1004 'We received your 3,600 yen, thank you.'"]),
        .wrong(
            "bank-transfer", ["pay #1004 --yes", "notify #1004 'Your payment has arrived.'"],
            "(3600 JPY recorded via manual) is not the one this case calls for"),
        .wrong("bank-transfer", ["pay #1004 360 --method bank_transfer --yes"], "not enough is left to collect"),
        .wrong(
            "bank-transfer", ["pay #1004 --method bank_transfer --yes", "notify #1004 'We have not received your payment yet.'"], nil),

        .right("capture-before-shipping", ["capture #1002 --yes", "notify #1002 'Your hoodie is on its way today.'"]),
        .right("capture-before-shipping", ["capture #1002 59.00 --yes", "notify #1002 'Good news: we dispatched your hoodie.'"]),
        .wrong("capture-before-shipping", ["notify #1002 'Your hoodie is on its way today.'"], nil),
        .wrong("capture-before-shipping", ["capture #1002 20.00 --yes"], "not enough is left to collect"),

        .right("fulfilled-order", ["return #1003 POSTER-A2 --shipping 5.00 --no-restock --yes"]),
        .right("fulfilled-order", ["return #1003 POSTER-A2 --no-restock --yes", "refund #1003 5.00 --yes"]),
        .wrong(
            "fulfilled-order", ["return #1003 POSTER-A2 --shipping 5.00 --yes"], "damaged POSTER-A2 unit of #1003 went back in stock"),
        .wrong(
            "fulfilled-order", ["return #1003 POSTER-A2 --shipping 5.00 --no-restock --refund credit --yes"],
            "23.00 USD as store credit"),

        .right("unshipped-item", ["return #1006 MUG-WHT --yes"]),
        .right("unshipped-item", ["return #1006 MUG-WHT=1 --refund later --yes", "refund #1006 12.50 --yes"]),
        // --rest gives back everything not yet given back: the tee she keeps too.
        .wrong(
            "unshipped-item", ["return #1006 MUG-WHT=1 --refund later --yes", "refund #1006 --rest --yes"],
            "37.50 EUR back to how they paid"),
        .wrong("unshipped-item", ["refund #1006 12.50 --yes"], nil),
        .wrong(
            "unshipped-item", ["return #1006 MUG-WHT TEE-BLK-M --yes"], "TEE-BLK-M had the right number of units in stock at the start"),

        .right("send-it-back", ["notify #1006 'Please send it back and we will give you your money back'", "outbox"]),
        .right(
            "send-it-back",
            [
                "notify #1006 'A return label is on its way by email; once the tee is back, we refund you 25.00 EUR.'",
                "outbox --order #1006",
            ]),
        .wrong("send-it-back", ["notify #1006 'Your order has been cancelled.'", "outbox"], "says that the order was cancelled"),
        .wrong("send-it-back", ["return #1006 TEE-BLK-M --yes", "outbox"], "Money that went back cannot be taken back"),
        .wrong("send-it-back", ["notify #1006 'Hello Ayşe, thanks for writing!'", "outbox"], nil),

        .right("mistaken-cancel", ["recreate #1001 --yes"]),
        .right("mistaken-cancel", ["log #1001", "recreate #1001 --dry-run", "recreate #1001 --yes", "outbox --limit 2"]),
        .wrong(
            "mistaken-cancel", ["refund #1001 --rest --yes", "recreate #1001 --yes"], "asks them to pay 67.40 EUR again"),
        .wrong("mistaken-cancel", ["notify #1001 'Sorry: your order will be sent after all.'"], nil),

        .right(
            "log-feedback",
            ["feedback list", "feedback #1007 --rating 5 'really friendly service, five stars'", "refund #1007 --rest --yes"]),
        .right(
            "log-feedback",
            ["feedback list --order #1007", "refund #1007 30.00 --yes", "feedback #1007 --rating 5 'Thanks, quick and friendly'"]),
        .wrong(
            "log-feedback", ["feedback list", "feedback #1007 --rating 5", "refund #1007 --rest --yes"],
            "does not have the customer's words"),
        .wrong(
            "log-feedback",
            [
                "feedback list", "feedback #1007 --rating 5 'friendly'", "feedback #1007 --rating 5 'friendly'",
                "refund #1007 --rest --yes",
            ], "2 feedback entries were logged on #1007"),
        .wrong(
            "log-feedback", ["feedback list", "feedback #1007 --rating 5 'friendly'", "refund #1007 --rest --credit --yes"],
            "30.00 GBP as store credit"),
        .wrong("log-feedback", ["feedback list", "feedback #1007 --rating 4 'friendly'"], "rating 4"),

        .right("read-the-report", ["report", "report --by reason", "orders --status cancelled --csv", "answer 42.9%"]),
        .right("read-the-report", ["report --by reason", "orders --json", "answer about 43 %"]),
        .right("read-the-report", ["report --by reason", "orders --csv", "answer 42,9"]),
        .wrong("read-the-report", ["report", "report --by reason", "orders --csv", "answer 25%"], nil),
        .wrong("read-the-report", ["report", "orders --csv", "answer 42.9%"], nil),

        .right("run-a-script", ["source afternoon.txt"]),
        .right("run-a-script", ["source afternoon.txt", "log --limit 5", "source afternoon.txt"]),
        .wrong("run-a-script", ["source afternoon.txt", "refund #1005 5.00 --credit --yes"], "10.00 EUR as store credit"),
        .wrong("run-a-script", ["refund #1007 --rest --yes"], nil),

        .right("who-did-what", ["log #1005", "history", "answer It was bob"]),
        .right("who-did-what", ["history", "log", "answer Bob did it"]),
        .wrong("who-did-what", ["log", "history", "answer alice"], nil),
        .wrong(
            "who-did-what", ["log #1005", "history", "refund #1005 12.00 --yes", "answer bob"],
            "money went back on #1005, but this case is not about #1005: type 'reset'"),
    ]

    @Test(arguments: PracticeTests.paths)
    func eachPathIsGradedAsATrainerWould(_ path: Path) throws {
        let lesson = try #require(Self.builtIn.first { $0.id == path.lesson })
        let (grade, _) = try Self.graded(lesson, path.lines)
        let text = LessonText.grade(grade, lesson, hintsUsed: 0, style: .plain)
        if path.passes {
            #expect(grade.passed, "\(text)")
            return
        }
        #expect(!grade.passed, "\(text)")
        if let wrong = path.wrong {
            #expect(grade.hasWrong, "\(text)")
            let lines = text.split(separator: "\n").filter { $0.contains("✗ wrong") }
            #expect(lines.contains { $0.contains(wrong) }, "\(text)")
            // Every wrong says how to put it right.
            #expect(lines.allSatisfy { $0.contains("type 'reset'") }, "\(text)")
        } else {
            #expect(!grade.hasWrong, "\(text)")
        }
    }

    @Test func everyLessonHasTwoRightVariantsAndTwoWrongPaths() {
        for id in Self.builtInIDs {
            let mine = Self.paths.filter { $0.lesson == id }
            #expect(mine.filter(\.passes).count >= 2, "\(id): right variants")
            #expect(mine.filter { !$0.passes }.count >= 2, "\(id): wrong paths")
        }
        #expect(Set(Self.paths.map(\.lesson)).subtracting(Self.builtInIDs).isEmpty)
    }

    /// The course in the order the files give it; ids are stable, so progress kept by id carries over.
    @Test func theCourseOrder() {
        #expect(
            Self.builtInIDs == [
                "find-the-order", "changed-mind", "suspected-fraud", "out-of-stock-offer", "refund-later-in-parts", "restock-by-hand",
                "bank-transfer", "capture-before-shipping", "fulfilled-order", "unshipped-item", "send-it-back", "mistaken-cancel",
                "log-feedback", "read-the-report", "run-a-script", "who-did-what",
            ])
        #expect((12...16).contains(Self.builtIn.count))
    }
}
