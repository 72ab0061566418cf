import OrderDeskTestSupport
import Testing

@testable import OrderDeskCore
@testable import OrderDeskPractice

/// The goals a trainer would set: money judged on outcomes, harm, staff notes, orders by any
/// name; and feedback that teaches (stable counts, plurals, the hint ladder).
@Suite struct TrainerGradingTests {
    typealias Trial = LessonGoalTests.Trial

    static let split = ##"{"money": {"order": "#1001", "store_credit": "20.00", "original": "47.40", "owed": "0"}}"##

    @Test func moneyIsJudgedOnWhereItEndsUpHoweverItGotThere() throws {
        let lesson = try LessonGoalTests.lesson(
            goals: "[\(Self.split)]", setup: ##"["cancel #1001 --reason customer --refund later --no-notify --yes"]"##)
        // Several right paths, in any order and any number of steps.
        for lines in [
            ["refund #1001 20.00 --credit --yes", "refund #1001 --rest --yes"],
            ["refund #1001 40.00 --yes", "refund #1001 20.00 --credit --yes", "refund #1001 7.40 --yes"],
            ["refund #1001 47.40 --yes", "refund #1001 --rest --credit --yes"],
        ] {
            var trial = try Trial(lesson)
            for line in lines { try trial.run(line) }
            #expect(trial.grade.passed, "\(lines): \(trial.statuses)")
        }
        // On the way: still to do, with where it stands and what the case calls for.
        var partway = try Trial(lesson)
        try partway.run("refund #1001 20.00 --credit --yes")
        #expect(
            partway.statuses == [
                .missing(
                    "#1001 has 20.00 EUR as store credit, nothing back to how they paid and 47.40 EUR still owed; this case calls for 20.00 EUR as store credit, 47.40 EUR back to how they paid and nothing still owed to them"
                )
            ])
        // Too much to the card: wrong, and it says how to put it right.
        var over = try Trial(lesson)
        try over.run("refund #1001 --rest --yes")
        guard case .wrong(let detail) = over.statuses[0] else {
            Issue.record("not wrong: \(over.statuses)")
            return
        }
        #expect(detail.hasSuffix("Money that went back cannot be taken back: type 'reset' to start over"))
        // A dead end: what is left cannot make up what the case calls for.
        var stuck = try Trial(lesson)
        try stuck.run("refund #1001 60.00 --credit --yes")
        #expect(stuck.grade.hasWrong)
    }

    @Test func aCustomerAskedToPayAgainForOurMistakeIsHarm() throws {
        let lesson = try LessonGoalTests.lesson(
            goals: ##"[{"recreated": "#1001"}, {"no_harm": true}]"##,
            setup: ##"["cancel #1001 --reason customer --refund later --no-notify --yes"]"##)
        var right = try Trial(lesson)
        try right.run("recreate #1001 --yes")
        #expect(right.grade.passed)
        var harmful = try Trial(lesson)
        try harmful.run("refund #1001 --rest --yes", "recreate #1001 --yes")
        #expect(!harmful.grade.passed)
        #expect(harmful.grade.items[1].isShown)
        guard case .wrong(let harm) = harmful.statuses[1] else {
            Issue.record("no harm: \(harmful.statuses)")
            return
        }
        #expect(harm.contains("#1001-R1 asks them to pay 67.40 EUR again"))
        #expect(harm.contains("type 'reset'"))
        // Without a no_harm goal the harm is still reported.
        let bare = try LessonGoalTests.lesson(
            goals: ##"[{"recreated": "#1001"}]"##, setup: ##"["cancel #1001 --reason customer --refund later --no-notify --yes"]"##)
        var alsoHarmful = try Trial(bare)
        try alsoHarmful.run("refund #1001 --rest --yes", "recreate #1001 --yes")
        #expect(alsoHarmful.grade.unexpected.contains { $0.contains("asks them to pay 67.40 EUR again") })
    }

    @Test func damagedUnitsBackInStockAndUntrueMessagesAreHarm() throws {
        let lesson = try LessonGoalTests.lesson(
            goals: ##"""
                [{"returned": {"order": "#1003", "sku": "POSTER-A2", "units": 1}},
                 {"no_harm": {"damaged": [{"order": "#1003", "sku": "POSTER-A2", "units": 1}]}}]
                """##)
        var restocked = try Trial(lesson)
        try restocked.run("return #1003 POSTER-A2 --yes")
        #expect(
            restocked.statuses[1]
                == .wrong(
                    "1 damaged POSTER-A2 unit of #1003 went back in stock: it cannot be sold, and the next customer would get it. Stock cannot be taken off the shelf here: type 'reset' to start over"
                ))
        var untrue = try Trial(lesson)
        try untrue.run("notify #1003 'Your order has been cancelled.'", "return #1003 POSTER-A2 --no-restock --yes")
        #expect(
            untrue.statuses[1]
                == .wrong(
                    "the message to the customer of #1003 says that the order was cancelled, which is not true: #1003 is not cancelled. A message cannot be taken back: type 'reset' and write it again"
                ))
        // True claims are fine: a refund did go back, and was said to.
        var fine = try Trial(lesson)
        try fine.run("return #1003 POSTER-A2 --no-restock --no-notify --yes", "notify #1003 'We have refunded the poster.'")
        #expect(fine.grade.passed, "\(fine.statuses)")
        // The guard is hidden while it holds, and never counted.
        #expect(!fine.grade.items[1].isShown)
        #expect(fine.grade.tasks == (1, 1))
    }

    @Test func aStaffNoteSaysWhy() throws {
        let lesson = try LessonGoalTests.lesson(goals: ##"[{"order": "#1008", "cancelled": true, "note": ["stolen", "fraud"]}]"##)
        var none = try Trial(lesson)
        try none.run("cancel #1008 --reason fraud --yes")
        guard case .wrong(let detail) = none.statuses[0] else {
            Issue.record("not wrong: \(none.statuses)")
            return
        }
        #expect(detail.hasPrefix("#1008 was cancelled without a staff note"))
        var noted = try Trial(lesson)
        try noted.run("cancel #1008 --reason fraud --note 'Card was stolen' --yes")
        #expect(noted.grade.passed)
        #expect(noted.grade.items[0].label == "#1008 is cancelled, with a staff note for the team")
    }

    /// A shop whose orders have prefixed names (Her2065): practice compares them by order, not by spelling.
    @Test func ordersGoByAnyOfTheirNames() throws {
        let training = TrainingStore.make()
        var orders = training.orders
        orders[1].name = "Her2065"
        orders[1].orderNumber = 2065
        let shop = StoreState(
            seq: 0, orders: orders, inventory: training.inventory, feedback: training.feedback, settings: training.settings, outbox: [])
        let text = LessonGoalTests.lessonText(
            goals: ##"[{"ran": "show Her2065"}, {"answer": {"question": "Which order?", "accept": ["Her2065"]}}]"##)
        let lesson = try Lesson.decode(text, file: "her.json", training: shop)
        #expect(lesson.goals[0].check == .ran([["show", "her2065"]]))
        for (typed, answer) in [(["show", "2065"], "2065"), (["show", "HER2065"], "It is her2065."), (["show", "#2065"], "#2065")] {
            let work = LessonWork(baseline: shop, commands: [typed], answers: [answer])
            #expect(LessonGrade(lesson, work).passed, "\(typed) \(answer)")
        }
        let other = LessonWork(baseline: shop, commands: [["show", "1003"]], answers: ["1003"])
        #expect(!LessonGrade(lesson, other).passed)
        // Goals may name it by number too.
        let byNumber = try Lesson.decode(
            LessonGoalTests.lessonText(goals: ##"[{"order": "2065", "cancelled": true}]"##), file: "her.json", training: shop)
        #expect(byNumber.goalOrders == ["Her2065"])
    }

    @Test func countsArePluralAndStable() throws {
        let one = try LessonGoalTests.lesson(goals: ##"[{"order": "#1001", "cancelled": true}, {"not_cancelled": "#1003"}]"##)
        var trial = try Trial(one)
        #expect(trial.grade.tasks == (0, 1))
        #expect(
            LessonText.grade(trial.grade, one, hintsUsed: 0, style: .plain).hasSuffix(
                "Not passed yet: 0 of 1 goal met. Keep going, or type 'hint'."))
        try trial.run("cancel #1001 --reason customer --yes")
        let passed = LessonText.grade(trial.grade, one, hintsUsed: 1, style: .plain)
        #expect(passed.contains("Passed! The goal is met, with 1 hint."))
        #expect(!passed.contains("All 1 goal"))

        let three = try LessonGoalTests.lesson(
            goals:
                ##"[{"order": "#1001", "cancelled": true}, {"stock": {"sku": "TEE-BLK-M", "equals": 14}}, {"stock": {"sku": "MUG-WHT", "equals": 4}}, {"stock": {"sku": "POSTER-A2", "equals": 7}}]"##
        )
        var again = try Trial(three)
        let before = again.grade.tasks
        try again.run("cancel #1001 --reason customer --yes")
        #expect(LessonText.grade(again.grade, three, hintsUsed: 0, style: .plain).contains("Passed! All 3 goals met, with no hints."))
        // A broken guard shows as wrong and leaves the count as it was.
        try again.run("return #1003 POSTER-A2 --yes")
        #expect(again.grade.tasks == (3, before.total))
        #expect(
            LessonText.grade(again.grade, three, hintsUsed: 0, style: .plain).contains(
                "Not passed: 3 of 3 goals met, and something went wrong"))
    }

    @Test func theHintLadderEndsWithTheWorkedAnswer() throws {
        let lesson = try LessonGoalTests.lesson(
            goals: ##"[{"order": "#1001", "cancelled": true}]"##,
            extra: ##""hints": ["Look at it.", "Cancel it."], "solution": ["show #1001", "cancel #1001 --reason customer --yes", "check"]"##
        )
        #expect(LessonText.rungs(lesson) == 3)
        #expect(LessonText.hint(lesson, index: 0, style: .plain) == "Hint 1 of 3: Look at it.")
        let last = LessonText.hint(lesson, index: 2, style: .plain)
        #expect(last.hasPrefix("Hint 3 of 3: the worked answer."))
        #expect(last.contains("\n    show #1001\n    cancel #1001 --reason customer --yes\n"))
        #expect(!last.contains("    check"))
        #expect(LessonText.hint(lesson, index: 3, style: .plain).hasPrefix("No more hints: you have seen all 3, the worked answer last."))
    }

    @Test func noHarmAndMoneyGoalsAreCheckedWhenRead() throws {
        func field(_ goals: String) -> String? { LessonGoalTests.refusal(LessonGoalTests.lessonText(goals: goals))?.field }
        #expect(field(##"[{"money": {"order": "#1001"}}]"##) == "goals[0].money")
        #expect(field(##"[{"money": {"order": "#1001", "credit": "1"}}]"##) == "goals[0].money.credit")
        #expect(field(##"[{"money": {"order": "#1001", "owed": "1,00"}}]"##) == "goals[0].money.owed")
        #expect(
            field(##"[{"no_harm": {"damaged": [{"order": "#1003", "sku": "POSTER-A2", "units": 2}]}}, {"recreated": "#1007"}]"##)
                == "goals[0].no_harm.damaged[0].units")
        #expect(
            field(##"[{"no_harm": {"damaged": [{"order": "#1003", "sku": "MUG-WHT"}]}}, {"recreated": "#1007"}]"##)
                == "goals[0].no_harm.damaged[0].units")
        #expect(field(##"[{"order": "#1001", "cancelled": false, "note": "x"}]"##) == "goals[0].note")
        let teaches = LessonGoalTests.refusal(
            LessonGoalTests.lessonText(
                goals: ##"[{"order": "#1001", "cancelled": true}]"##,
                extra: ##""teaches": ["cancel", "--dry-run"], "solution": ["cancel #1001 --reason customer --yes", "check"]"##))
        #expect(teaches?.field == "teaches[1]")
        #expect(teaches?.problem.contains("is not used by the solution") == true)
        #expect(
            LessonGoalTests.refusal(LessonGoalTests.lessonText(goals: ##"[{"recreated": "#1007"}]"##, extra: ##""teaches": ["undo"]"##))?
                .field == "teaches[0]")
    }
}
