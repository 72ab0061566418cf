import Foundation
import OrderDeskTestSupport
import Testing

@testable import OrderDeskCore
@testable import OrderDeskPractice

/// Lesson files and goal checks, purely: lessons decoded from JSON text, work done with ``Desktop``
/// on the training store, graded by ``LessonGrade``.
@Suite struct LessonGoalTests {
    /// A lesson file around some goals (and optionally a setup).
    static func lessonText(goals: String, setup: String = "[]", extra: String = "") -> String {
        """
        {
          "id": "trial",
          "title": "A trial lesson",
          "story": ["Hello,", "please help."],
          "setup": \(setup),
          "goals": \(goals)\(extra.isEmpty ? "" : ",\n  " + extra)
        }
        """
    }

    static func lesson(goals: String, setup: String = "[]", extra: String = "") throws -> Lesson {
        try Lesson.decode(lessonText(goals: goals, setup: setup, extra: extra), file: "lessons/trial.json")
    }

    /// The refusal a lesson text gets.
    static func refusal(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> LessonFileError? {
        do {
            _ = try Lesson.decode(text, file: "lessons/x.json")
            Issue.record("the lesson was accepted", sourceLocation: sourceLocation)
            return nil
        } catch {
            return error
        }
    }

    /// Work on the training store (after the lesson's setup): the lines run as agent alice.
    struct Trial {
        let lesson: Lesson
        var desk: Desktop
        let baseline: StoreState
        var commands: [[String]] = []
        var answers: [String] = []

        init(_ lesson: Lesson) throws {
            self.lesson = lesson
            let start = try LessonSetup.apply(lesson.setup, to: TrainingStore.make(), agent: lesson.setupAgent).state
            baseline = start
            desk = Desktop(start, now: TrainingStore.now)
            desk.agent = "alice"
        }

        mutating func run(_ lines: String...) throws {
            for line in lines {
                if let command = try Command.parse(line), command.isChange { try desk.run(line) } else { _ = try desk.read(line) }
                commands.append(try Tokenizer.words(line))
            }
        }

        var grade: LessonGrade {
            LessonGrade(
                lesson, LessonWork(baseline: baseline, state: desk.state, events: desk.events, commands: commands, answers: answers))
        }

        /// Each goal's status, in order.
        var statuses: [LessonGrade.Status] { grade.items.map(\.status) }
    }

    // MARK: - The file format

    @Test func aFullLessonDecodes() throws {
        let lesson = try Self.lesson(
            goals: """
                [
                  {"order": "#1004", "cancelled": true, "reason": "inventory"},
                  {"refund": {"order": "#1001", "amount": "12.50", "method": "store-credit"}},
                  {"stock": {"sku": "MUG-WHT", "equals": 7}},
                  {"notice": {"order": "#1004", "sent": false}},
                  {"feedback": {"order": "#1001", "rating": 5}},
                  {"not_cancelled": "#1003"},
                  {"recreated": "#1007"},
                  {"ran": "report --by reason", "label": "you read the figures"},
                  {"answer": {"question": "Which order?", "accept": ["#1002", "1002"]}}
                ]
                """, extra: ##""hints": ["one", "two"], "may_touch": ["1005"], "from": "Zoë <z@example.org>", "debrief": "Well done.""##)
        #expect(lesson.id == "trial")
        #expect(lesson.story == ["Hello,", "please help."])
        #expect(lesson.goals.count == 9)
        #expect(lesson.goals[0].check == .order(.init(order: "#1004", cancelled: true, reason: .inventory)))
        #expect(lesson.goals[1].check == .refund(order: "#1001", amount: Money("12.50"), method: .storeCredit))
        #expect(lesson.goals[2].check == .stock(sku: "MUG-WHT", .equals(7)))
        #expect(lesson.goals[3].check == .notice(order: "#1004", sent: false, kind: nil, contains: [], containsAny: []))
        #expect(lesson.goals[5].check == .order(.init(order: "#1003", cancelled: false)))
        #expect(lesson.goals[7].check == .ran([["report", "--by", "reason"]]))
        #expect(lesson.goals[7].label == "you read the figures")
        #expect(lesson.question == "Which order?")
        #expect(lesson.mayTouch == ["#1005"])
        #expect(lesson.hints == ["one", "two"])
        #expect(lesson.setupAgent == "trainer")
    }

    @Test func aBadAmountIsRefusedWithTheFileAndTheField() throws {
        let error = Self.refusal(
            Self.lessonText(
                goals:
                    ##"[{"order": "#1004", "cancelled": true}, {"stock": {"sku": "MUG-WHT", "equals": 7}}, {"refund": {"order": "#1003", "amount": "12,50"}}]"##
            ))
        #expect(error?.file == "lessons/x.json")
        #expect(error?.field == "goals[2].refund.amount")
        #expect(error?.description == ##"lessons/x.json: goals[2].refund.amount: "12,50" is not a decimal amount; write it like "12.50""##)
    }

    @Test func refusalsNameTheField() throws {
        func field(_ goals: String, setup: String = "[]", extra: String = "") -> String? {
            Self.refusal(Self.lessonText(goals: goals, setup: setup, extra: extra))?.field
        }
        // A misspelt field is refused, with the likely one suggested.
        let typo = Self.refusal(Self.lessonText(goals: ##"[{"order": "#1004", "canceled": true}]"##))
        #expect(typo?.field == "goals[0].canceled")
        #expect(typo?.problem.contains(##"did you mean "cancelled"?"##) == true)
        #expect(field(##"[{"order": "#1010", "cancelled": true}]"##) == "goals[0].order")
        #expect(field(##"[{"stock": {"sku": "MUG-WHITE", "equals": 1}}]"##) == "goals[0].stock.sku")
        #expect(field(##"[{"stock": {"sku": "MUG-WHT"}}]"##) == "goals[0].stock")
        #expect(field(##"[{"order": "#1004", "reason": "stock"}]"##) == "goals[0].reason")
        #expect(field(##"[{"refund": {"order": "#1001", "amount": "1.005"}}]"##) == "goals[0].refund.amount")
        #expect(field(##"[{"refund": {"order": "#1001", "method": "card"}}]"##) == "goals[0].refund.method")
        #expect(field(##"[{"feedback": {"order": "#1001", "rating": 6}}]"##) == "goals[0].feedback.rating")
        #expect(field(##"[{"ran": "raport"}]"##) == "goals[0].ran")
        #expect(field(##"[{"refund": {"order": "#1001"}, "stock": {"sku": "MUG-WHT", "equals": 1}}]"##) == "goals[0]")
        #expect(field(##"[{"label": "nothing"}]"##) == "goals[0]")
        #expect(field("[]") == "goals")
        #expect(field(##"[{"notice": {"order": "#1001", "sent": false, "contains": ["x"]}}]"##) == "goals[0].notice.contains")
        #expect(field(##"[{"order": "#1001", "cancelled": false, "reason": "customer"}]"##) == "goals[0].reason")
        #expect(field(##"[{"not_cancelled": "#1007"}]"##) == "goals[0].not_cancelled")
        #expect(
            field(##"[{"answer": {"question": "a?", "accept": ["1"]}}, {"answer": {"question": "b?", "accept": ["2"]}}]"##)
                == "goals[1].answer")
        #expect(field(##"[{"recreated": "#1007"}]"##, setup: ##"["cancle #1001"]"##) == "setup[0]")
        #expect(field(##"[{"recreated": "#1007"}]"##, setup: ##"["show #1001"]"##) == "setup[0]")
        #expect(field(##"[{"recreated": "#1007"}]"##, setup: ##"["cancel #1003 --reason customer --yes"]"##) == "setup[0]")
        #expect(field(##"[{"recreated": "#1007"}]"##, extra: ##""hint": ["x"]"##) == "hint")
        #expect(field(##"[{"recreated": "#1007"}]"##, extra: ##""solution": ["cancel #1001 --raeson customer"]"##) == "solution[0]")
        #expect(field(##"[{"recreated": "#1007"}]"##, extra: ##""version": 2"##) == "version")
    }

    @Test func refusalsOfTheWholeFile() throws {
        let syntax = Self.refusal("{\n  \"id\": \"x\",\n  \"title\": 'x'\n}")
        #expect(syntax?.description == "lessons/x.json:3:12: not valid JSON: strings are written in double quotes \"…\", not single quotes")
        #expect(Self.refusal("")?.description.contains("the file is empty") == true)
        #expect(Self.refusal("[1, 2]")?.description.contains("must be a lesson") == true)
        let missing = Self.refusal(##"{"id": "x", "title": "X", "goals": [{"recreated": "#1007"}]}"##)
        #expect(missing?.field == "story")
        #expect(missing?.problem == "is missing; it is required")
        let id = Self.refusal(##"{"id": "Bad Id", "title": "X", "story": "s", "goals": [{"recreated": "#1007"}]}"##)
        #expect(id?.field == "id")
        let digits = Self.refusal(##"{"id": "12", "title": "X", "story": "s", "goals": [{"recreated": "#1007"}]}"##)
        #expect(digits?.field == "id")
        let twice = Self.refusal(##"{"id": "x", "id": "y", "title": "X", "story": "s", "goals": [{"recreated": "#1007"}]}"##)
        #expect(twice?.field == "id")
        #expect(twice?.problem == "appears twice; give it once")
    }

    @Test func aLessonThatPassesAtOnceIsRefused() throws {
        // Every goal holds before the learner does anything: nothing to learn.
        let error = Self.refusal(Self.lessonText(goals: ##"[{"not_cancelled": "#1003"}, {"stock": {"sku": "MUG-WHT", "equals": 3}}]"##))
        #expect(error?.field == "goals")
        #expect(error?.problem.contains("already met") == true)
        // A goal the setup has already made impossible is refused too.
        let broken = Self.refusal(
            Self.lessonText(
                goals: ##"[{"order": "#1004", "cancelled": true, "reason": "inventory"}]"##,
                setup: ##"["cancel #1004 --reason customer --yes"]"##))
        #expect(broken?.field == "goals[0]")
        #expect(broken?.problem.contains("can never be met") == true)
    }

    @Test func theJSONReaderKeepsNumbersAsWrittenAndPlacesErrors() throws {
        let value = try LessonJSON.parse(##"{"a": 12.50, "b": [true, 1, null], "c": "\u00e9\ud83d\ude00\n"}"##)
        guard case .object(let members) = value else {
            Issue.record("not an object")
            return
        }
        #expect(members.map(\.key) == ["a", "b", "c"])
        #expect(members[0].value == .number("12.50"))
        #expect(members[1].value == .array([.bool(true), .number("1"), .null]))
        #expect(members[2].value == .string("é😀\n"))
        func error(_ text: String) -> String? {
            do { _ = try LessonJSON.parse(text) } catch { return error.description }
            return nil
        }
        #expect(error("{\"a\": 1,}") == "1:9: a comma before '}' leaves an empty member; remove the last comma")
        #expect(error("{\"a\": 1\n \"b\": 2}") == "2:2: expected ',' or '}' after the value of \"a\"")
        #expect(error("{\"a\": tru}") == "1:7: expected a value; did you mean true? (strings need double quotes)")
        #expect(error("{\"a\": 01}")?.hasPrefix("1:7: a number cannot start with 0") == true)
        #expect(error("{\"a\": \"x}") == "1:7: the string is not closed; end it with \"")
        #expect(error("{} {}") == "1:4: unexpected text after the end of the JSON value")
        #expect(error(String(repeating: "[", count: 100)) != nil)
    }

    // MARK: - Goal checks

    @Test func anOrderGoalGoesFromToDoToDoneOrWrong() throws {
        let lesson = try Self.lesson(
            goals: ##"[{"order": "#1001", "cancelled": true, "reason": "customer", "refund": "now", "notified": true}]"##)
        var done = try Trial(lesson)
        #expect(done.statuses == [.missing("#1001 is not cancelled yet")])
        #expect(!done.grade.passed)
        try done.run("cancel #1001 --reason customer --yes")
        #expect(done.statuses == [.met])
        #expect(done.grade.passed)

        var wrongReason = try Trial(lesson)
        try wrongReason.run("cancel #1001 --reason other --yes")
        #expect(wrongReason.statuses == [.wrong("#1001 was cancelled with the reason 'other', which does not fit the story")])
        #expect(wrongReason.grade.hasWrong)

        var wrongMoney = try Trial(lesson)
        try wrongMoney.run("cancel #1001 --reason customer --refund later --yes")
        guard case .wrong(let detail) = wrongMoney.statuses[0] else {
            Issue.record("not wrong: \(wrongMoney.statuses)")
            return
        }
        #expect(detail.contains("'later'"))

        var silent = try Trial(lesson)
        try silent.run("cancel #1001 --reason customer --no-notify --yes")
        #expect(silent.statuses == [.wrong("#1001 was cancelled without a notice to the customer, and this case calls for one")])
    }

    @Test func moneyGoals() throws {
        let lesson = try Self.lesson(
            goals: """
                [{"refund": {"order": "#1001", "amount": "20.00", "method": "store-credit"}},
                 {"refund": {"order": "#1001", "amount": "47.4", "method": "original"}},
                 {"order": "#1001", "owed": "0"},
                 {"order": "#1001", "refunded": "67.40", "financial_status": "refunded"}]
                """)
        var trial = try Trial(lesson)
        // Owed nothing at the start: a guard, not shown while it holds.
        #expect(trial.grade.items.map(\.isGuard) == [false, false, true, false])
        try trial.run("cancel #1001 --reason customer --refund later --yes")
        #expect(trial.statuses[2] == .missing("67.40 EUR is still owed on #1001"))
        try trial.run("refund #1001 25.00 --credit --yes")
        guard case .missing(let detail?) = trial.statuses[0] else {
            Issue.record("\(trial.statuses)")
            return
        }
        #expect(detail.contains("25.00 EUR as store credit"))
        #expect(trial.statuses[3] == .missing("#1001 has 25.00 EUR refunded so far; not all of it yet; #1001 is partially refunded"))

        var right = try Trial(lesson)
        try right.run("cancel #1001 --reason customer --refund later --yes", "refund #1001 20 --credit --yes", "refund #1001 --rest --yes")
        #expect(right.statuses == [.met, .met, .met, .met])
        #expect(right.grade.passed)
    }

    @Test func stockRestockAndSettingGoals() throws {
        let lesson = try Self.lesson(
            goals: """
                [{"restocked": {"order": "#1004", "sku": "MUG-WHT", "units": 2}},
                 {"stock": {"sku": "MUG-WHT", "at_least": 5}},
                 {"setting": {"key": "auto-restock", "value": "on"}}]
                """, setup: ##"["settings auto-restock off", "cancel #1004 --reason customer --yes"]"##)
        var trial = try Trial(lesson)
        #expect(trial.baseline.inventory["MUG-WHT"] == 3)
        #expect(
            trial.statuses == [
                .missing("nothing of #1004 is back in stock yet"), .missing("it has 3 now"), .missing("auto-restock is off"),
            ])
        try trial.run("restock #1004 MUG-WHT=1")
        #expect(trial.statuses[0] == .missing("1 of them so far"))
        try trial.run("restock #1004 --all", "settings auto-restock on")
        #expect(trial.statuses == [.met, .met, .met])
    }

    @Test func aNoticeThatMustNotBeSentIsHiddenUntilItIsSent() throws {
        let lesson = try Self.lesson(
            goals: ##"[{"order": "#1008", "cancelled": true, "reason": "fraud"}, {"notice": {"order": "#1008", "sent": false}}]"##)
        var trial = try Trial(lesson)
        #expect(trial.grade.items[1].isGuard)
        #expect(!trial.grade.items[1].isShown)
        let before = LessonText.grade(trial.grade, lesson, hintsUsed: 0, style: .plain)
        #expect(!before.contains("message"))
        try trial.run("cancel #1008 --reason fraud --notify --yes")
        #expect(trial.grade.items[1].isShown)
        guard case .wrong(let detail) = trial.statuses[1] else {
            Issue.record("\(trial.statuses)")
            return
        }
        #expect(detail.contains("the cancel sent the customer of #1008 a notice"))
        #expect(!trial.grade.passed)

        var quiet = try Trial(lesson)
        try quiet.run("cancel #1008 --reason fraud --yes")
        #expect(quiet.grade.passed)
    }

    @Test func aStockLevelRightAtTheStartAndBrokenIsWrongAndCounted() throws {
        let lesson = try Self.lesson(
            goals: ##"[{"order": "#1002", "cancelled": true, "reason": "inventory"}, {"stock": {"sku": "HOOD-GRY-L", "equals": 0}}]"##)
        var trial = try Trial(lesson)
        #expect(trial.grade.tasks == (0, 1))
        // Restocking a hoodie that does not exist: stock cannot be taken down by hand, so it is wrong.
        try trial.run("cancel #1002 --reason inventory --restock --yes")
        #expect(trial.statuses == [.met, .wrong("HOOD-GRY-L had the right number of units in stock at the start, and now has 1")])
        #expect(trial.grade.tasks == (1, 2))
        #expect(
            LessonText.grade(trial.grade, lesson, hintsUsed: 0, style: .plain).contains(
                "Not passed: 1 of 2 goals met, and something went wrong"))
    }

    @Test func noticeKindsAndWords() throws {
        let lesson = try Self.lesson(
            goals: ##"[{"notice": {"order": "#1003", "kind": "message", "contains": ["return"], "contains_any": ["label", "parcel"]}}]"##)
        var trial = try Trial(lesson)
        #expect(trial.statuses == [.missing("no message to the customer of #1003 yet")])
        try trial.run("notify #1003 'Sorry, it has shipped.'")
        #expect(trial.statuses == [.missing("the message to the customer of #1003 does not tell them everything they need to know yet")])
        try trial.run("notify #1003 'You can RETURN it: we will send a label.'")
        #expect(trial.statuses == [.met])

        // A recreate's notice is about the new order, and counts for the original.
        let recreate = try Self.lesson(
            goals: ##"[{"recreated": "#1001"}, {"notice": {"order": "#1001", "kind": "recreate"}}]"##,
            setup: ##"["cancel #1001 --reason customer --refund later --no-notify --yes"]"##)
        var back = try Trial(recreate)
        #expect(back.statuses == [.missing("#1001 has not been brought back yet"), .missing("no message to the customer of #1001 yet")])
        try back.run("recreate #1001 --yes")
        #expect(back.statuses == [.met, .met])
        // The new order (#1009) may be changed: it came from an order the lesson is about.
        try back.run("notify #1009 'Here is your new order number.'")
        #expect(back.grade.unexpected.isEmpty)
    }

    @Test func feedbackGoal() throws {
        let lesson = try Self.lesson(goals: ##"[{"feedback": {"order": "#1007", "rating": 5, "contains": "friendly"}}]"##)
        var trial = try Trial(lesson)
        #expect(trial.statuses == [.missing("no feedback logged on #1007 yet")])
        try trial.run("feedback #1007 --rating 4 'friendly'")
        #expect(trial.statuses == [.missing("the feedback on #1007 was logged with rating 4; that is not the rating the customer gave")])
        try trial.run("feedback #1007 --rating 5 'Really FRIENDLY service'")
        #expect(trial.statuses == [.met])
    }

    @Test func ranGoalsMatchTheCommandAndItsWords() throws {
        let lesson = try Self.lesson(goals: ##"[{"ran": ["find", "orders --customer"]}, {"ran": "show #1002"}, {"ran": "exit"}]"##)
        var trial = try Trial(lesson)
        trial.commands = [["orders", "--status", "open"], ["show", "1002"], ["quit"]]
        #expect(trial.statuses == [.missing(nil), .met, .met])
        trial.commands.append(["orders", "--customer", "zoe"])
        #expect(trial.statuses == [.met, .met, .met])
        #expect(trial.grade.items[0].label == "you ran 'find' or 'orders --customer'")
    }

    @Test func theLatestAnswerCounts() throws {
        let lesson = try Self.lesson(goals: ##"[{"answer": {"question": "What is the rate?", "accept": ["42.9%", "three in seven"]}}]"##)
        var trial = try Trial(lesson)
        #expect(trial.statuses == [.missing("no answer yet; type: answer TEXT")])
        trial.answers = ["43%"]
        #expect(trial.statuses == [.missing("your answer \"43%\" is not right; look again, then answer again")])
        trial.answers = ["43%", "It is 42.9 %."]
        #expect(trial.statuses == [.met])
        trial.answers = ["Three in seven!"]
        #expect(trial.statuses == [.met])
        trial.answers = ["42.9%", "12"]
        #expect(trial.statuses != [.met])
        #expect(LessonWork.answer("#1002", holds: "1002"))
        #expect(LessonWork.answer("it's order 1002.", holds: "#1002"))
        #expect(!LessonWork.answer("#10021", holds: "#1002"))
    }

    @Test func changesToOtherOrdersAreWrong() throws {
        let lesson = try Self.lesson(goals: ##"[{"order": "#1001", "cancelled": true}]"##, extra: ##""may_touch": ["#1002"]"##)
        var trial = try Trial(lesson)
        try trial.run(
            "cancel #1005 --reason customer --yes", "notify #1005 'Sorry'", "notify #1002 'We are on it'", "feedback #1006 --rating 2",
            "cancel #1001 --reason customer --yes")
        #expect(trial.statuses == [.met])
        #expect(
            trial.grade.unexpected == [
                "#1005 was cancelled, but this case is not about #1005",
                "a message went to the customer of #1005, but this case is not about #1005",
                "feedback was logged on #1006, but this case is not about #1006",
            ])
        #expect(!trial.grade.passed)
        let text = LessonText.grade(trial.grade, lesson, hintsUsed: 0, style: .plain)
        #expect(text.contains("  ✗ wrong  #1005 was cancelled, but this case is not about #1005"))
        #expect(text.contains("Type 'reset' to start over"))
    }

    @Test func checkDoesNotGiveTheAnswerAway() throws {
        let lesson = try Self.lesson(
            goals: """
                [{"order": "#1001", "cancelled": true, "reason": "customer", "refund": "credit"},
                 {"refund": {"order": "#1001", "amount": "67.40", "method": "store-credit"}},
                 {"stock": {"sku": "TEE-BLK-M", "equals": 14}},
                 {"answer": {"question": "Which SKU?", "accept": ["POSTER-A2"]}}]
                """)
        let text = LessonText.grade(try Trial(lesson).grade, lesson, hintsUsed: 0, style: .plain)
        #expect(text.contains("Not passed yet: 0 of 4 goals met"))
        for secret in ["customer", "credit", "67.40", "14", "POSTER"] { #expect(!text.contains(secret), "check shows \(secret)") }
    }
}
