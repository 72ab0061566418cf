import OrderDeskTestSupport
import Testing

@testable import OrderDeskCore
@testable import OrderDeskPractice

/// The fact rules messages are graded by: phrasings, negation, amounts as people type them,
/// order numbers, codes and the claims that can be untrue; and numeric answers.
@Suite struct MessageFactTests {
    static func says(_ fact: String, _ text: String, order: Order? = nil) -> Bool {
        MessageFact.named(fact)!.isSaid(in: MessageText(text), about: order)
    }

    @Test func paraphrasesCarryTheFact() {
        let paraphrase = "Please send it back and we will give you your money back"
        #expect(Self.says("return_instructions", paraphrase))
        #expect(Self.says("refund", paraphrase))
        for text in [
            "A prepaid return label is on its way.", "You can post the tee back to us.", "Just return it with the form.",
            "Please ship the parcel back to our warehouse.",
        ] {
            #expect(Self.says("return_instructions", text), "\(text)")
        }
        for text in ["You will be refunded.", "We have reimbursed you.", "The money goes back to your card.", "We pay you back today."] {
            #expect(Self.says("refund", text), "\(text)")
        }
        #expect(Self.says("not_charged", "Nothing was taken from your card: you won’t be charged."))
        #expect(Self.says("payment_received", "Your 3,600 yen came in this morning."))
        #expect(Self.says("on_its_way", "We dispatched it this afternoon."))
    }

    @Test func aGreetingCarriesNoFact() {
        let greeting = "Hello Sakura, thanks for getting in touch. Have a nice day!"
        for fact in MessageFact.builtIn.keys where fact != "order_number" {
            #expect(!Self.says(fact, greeting), "\(fact)")
        }
    }

    @Test func aNegationDoesNotCount() {
        #expect(!Self.says("refund", "We will not refund this order."))
        #expect(!Self.says("refund", "We can't give you your money back."))
        #expect(!Self.says("payment_received", "We have not received your payment yet."))
        #expect(!Self.says("refund", "No refund is possible."))
        // "No" only negates what follows it at once.
        #expect(Self.says("refund", "No worries, your refund is on its way."))
    }

    @Test func amountsInEveryTypedForm() {
        let eur = Money("47.40")!
        for text in ["47.40", "47,40 EUR", "€47.4", "a refund of 47.40€.", "EUR 47.40, thanks"] {
            #expect(MessageText(text).mentions(amount: eur), "\(text)")
        }
        for text in ["47", "4740", "47.41", "147.40"] { #expect(!MessageText(text).mentions(amount: eur), "\(text)") }
        let yen = Money("3600")!
        for text in ["3600 yen", "¥3,600", "3.600 JPY", "JPY 3,600."] { #expect(MessageText(text).mentions(amount: yen), "\(text)") }
        #expect(!MessageText("36 yen").mentions(amount: yen))
    }

    @Test func orderNumbersAndCodes() throws {
        let training = TrainingStore.make()
        let o = try #require(training.order(named: "#1003"))
        for text in ["Your order #1003 is on its way.", "order 1003.", "(#1003)"] {
            #expect(Self.says("order_number", text, order: o), "\(text)")
        }
        #expect(!Self.says("order_number", "order 10035", order: o))
        var her = o
        her.name = "Her2065"
        her.orderNumber = 2065
        #expect(Self.says("order_number", "About Her2065:", order: her))
        #expect(Self.says("order_number", "About your order 2065", order: her))
        let code = MessageFact(name: "code", description: "the code SORRY15", kind: .code("SORRY15"))
        #expect(code.isSaid(in: MessageText("Use sorry15 at checkout."), about: nil))
        #expect(!code.isSaid(in: MessageText("We are so sorry."), about: nil))
        #expect(!code.isSaid(in: MessageText("SORRY150"), about: nil))
    }

    @Test func claimsThatCanBeUntrue() {
        #expect(MessageFact.claims(of: MessageText("Your order has been cancelled.")) == [.cancelled])
        #expect(MessageFact.claims(of: MessageText("Your order has not been cancelled.")).isEmpty)
        #expect(MessageFact.claims(of: MessageText("We have refunded 12.50 EUR.")) == [.refunded])
        #expect(MessageFact.claims(of: MessageText("We will refund you once it is back.")).isEmpty)
        #expect(MessageFact.claims(of: MessageText("You will not be charged anything.")) == [.notCharged])
        #expect(MessageFact.claims(of: MessageText("Please send it back and we will give you your money back")).isEmpty)
        // Promises and asides state nothing untrue yet.
        for text in [
            "You will be refunded once it is back.", "Your order will be cancelled if the hoodie does not come in.",
            "You won't be charged for the return label.", "We can cancel it for you.",
        ] {
            #expect(MessageFact.claims(of: MessageText(text)).isEmpty, "\(text)")
        }
        #expect(MessageFact.claims(of: MessageText("Your order is cancelled and you have been refunded.")) == [.cancelled, .refunded])
        #expect(MessageFact.claims(of: MessageText("We cancelled it; you were never charged.")) == [.cancelled, .notCharged])
    }

    @Test func numericAnswersWithinRounding() throws {
        let wanted = try #require(AnswerNumber("42.9%"))
        #expect(wanted.percent)
        for answer in ["43", "42.9", "42,9", "42.9 %", "It is 42.86%.", "about 43 %"] {
            #expect(AnswerNumber.all(in: answer).contains { $0.matches(wanted) }, "\(answer)")
        }
        for answer in ["42", "42.5", "44%", "4.29", "429"] {
            #expect(!AnswerNumber.all(in: answer).contains { $0.matches(wanted) }, "\(answer)")
        }
        #expect(AnswerNumber("#1002") == nil)
        #expect(AnswerNumber("three in seven") == nil)
        #expect(LessonWork.answer("43", holds: "42.9%"))
        #expect(!LessonWork.answer("order 1002", holds: "#1003"))
    }

    @Test func lessonFilesNameFactsAndAddPhrasings() throws {
        let lesson = try LessonGoalTests.lesson(
            goals: ##"""
                [{"notice": {"order": "#1006", "says": ["return_instructions", {"amount": "25.00"}, {"code": "TEE10"},
                  {"fact": "that the tee is too small", "any": ["too small", "does not fit"]}],
                  "phrasings": {"return_instructions": ["drop it at any parcel shop"]}}}]
                """##)
        guard case .notice(_, _, _, _, _, let says) = lesson.goals[0].check else {
            Issue.record("not a notice goal")
            return
        }
        #expect(says.map(\.name) == ["return_instructions", "amount", "code", "that the tee is too small"])
        var trial = try LessonGoalTests.Trial(lesson)
        try trial.run("notify #1006 'Sorry it does not fit! Drop it at any parcel shop: 25.00 EUR comes back, and TEE10 is yours.'")
        #expect(trial.statuses == [.met])
        let label = trial.grade.items[0].label
        #expect(label.contains("that a return label or instructions follow, the amount (25.00 EUR), the code TEE10 and that the tee"))

        let unknown = LessonGoalTests.refusal(
            LessonGoalTests.lessonText(goals: ##"[{"notice": {"order": "#1006", "says": ["refnd"]}}]"##))
        #expect(unknown?.field == "goals[0].notice.says[0]")
        #expect(unknown?.problem.contains(##"did you mean "refund"?"##) == true)
        let badPhrasing = LessonGoalTests.refusal(
            LessonGoalTests.lessonText(goals: ##"[{"notice": {"order": "#1006", "phrasings": {"refunds": ["x"]}}}]"##))
        #expect(badPhrasing?.field == "goals[0].notice.phrasings.refunds")
    }
}
