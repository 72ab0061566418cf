import OrderDeskPractice
import OrderDeskTestSupport
import Testing

@testable import OrderDeskCore

/// Notice templates: the shop's words, checked when read, in the customer's language.
@Suite struct NoticeTemplateTests {
    @Test func anUnknownFieldIsRefusedWithItsFileAndLine() {
        let text = "Subject: Order {order}\n\nHello {first_name},\nYour {ordr} is cancelled.\n"
        #expect {
            try NoticeTemplates.loading([("cancel.fi.txt", text)], folder: "store/templates")
        } throws: { error in
            guard let p = error as? TemplateProblem else { return false }
            return p.file == "store/templates/cancel.fi.txt" && p.line == 4 && p.text.hasPrefix("unknown field {ordr}")
                && p.message.hasPrefix("store/templates/cancel.fi.txt:4: unknown field {ordr}; a cancel notice has: order, ")
        }
        #expect {
            try NoticeTemplates.loading([("refund.en.txt", "Subject: x\n\n[ownd] A refund of {owed}.\n")], folder: "t")
        } throws: { ($0 as? TemplateProblem)?.message.hasPrefix("t/refund.en.txt:3: unknown field 'ownd' in a condition") ?? false }
    }

    @Test func aMissingSubjectABadNameOrAMissingKindIsRefused() {
        func problem(_ files: [(String, String)]) -> String? {
            do {
                _ = try NoticeTemplates.loading(files.map { (name: $0.0, text: $0.1) }, folder: "t")
                return nil
            } catch {
                return error.message
            }
        }
        #expect(problem([("cancel.en.txt", "Hello {order}\n")]) == "t/cancel.en.txt:1: the first line must be the subject: Subject: …")
        #expect(problem([("cancel.en.txt", "Subject: x\nHello\n")]) == "t/cancel.en.txt:2: the line after the subject must be empty")
        #expect(problem([("cancle.en.txt", "Subject: x\n\n")])?.hasPrefix("t/cancle.en.txt: unknown kind of notice 'cancle'") ?? false)
        #expect(problem([("cancel.txt", "Subject: x\n\n")])?.hasPrefix("t/cancel.txt: a template is named KIND.LANG.txt") ?? false)
        #expect(problem([("cancel.en.txt", "Subject: {order\n\n")]) == "t/cancel.en.txt:1: a { is not closed (write {{ for a brace)")
        // German for one kind only: every other kind is missing, named.
        #expect(
            problem([("cancel.de.txt", "Subject: Bestellung {order} storniert\n\nHallo\n")])?.hasPrefix("t/refund.de.txt: missing") ?? false
        )
        // An English override of one kind is fine: the built-in ones fill in.
        #expect(problem([("cancel.en.txt", "Subject: Cancelled: {order}\n\nHi {first_name}.\n")]) == nil)
    }

    @Test func linesWithoutTheirValuesOrConditionsAreLeftOutAndBlankLinesMerge() throws {
        let t = try NoticeTemplate(
            file: "t", kind: .cancel, language: "en",
            text: """
                Subject: {order} {{braces}}

                Hello {first_name},
                [!first_name] Hello,

                [reason=fraud] Fraud line.
                [!reason=fraud] Not fraud: {reason}.
                Owed {owed}.

                Offer: {offer}

                Bye.
                """)
        let a = t.render(["order": "#1", "reason": "customer"])
        #expect(a.subject == "#1 {braces}")
        #expect(a.body == "Hello,\n\nNot fraud: customer.\n\nBye.")
        let b = t.render(["order": "#1", "reason": "fraud", "first_name": "Zoë", "owed": "5.00 EUR", "offer": "10%"])
        #expect(b.body == "Hello Zoë,\n\nFraud line.\nOwed 5.00 EUR.\n\nOffer: 10%\n\nBye.")
    }

    @Test func theLanguageIsTheCustomersWhenThereAreTemplatesElseTheShops() {
        let t = NoticeTemplates.builtIn
        #expect(t.languages == ["en", "fi"])
        #expect(t.language(locale: "fi", shopDefault: "en") == "fi")
        #expect(t.language(locale: "fi-FI", shopDefault: "en") == "fi")
        #expect(t.language(locale: "FI_fi", shopDefault: "en") == "fi")
        #expect(t.language(locale: "de-DE", shopDefault: "fi") == "fi")
        #expect(t.language(locale: nil, shopDefault: "fi") == "fi")
        #expect(t.language(locale: "zh-TW", shopDefault: "en") == "en")
        #expect(t.language(locale: nil, shopDefault: "xx") == "en")
    }

    @Test func theBuiltInEnglishReadsAsBeforeAndTheFinnishIsComplete() throws {
        var desk = Desktop()
        _ = try desk.run("cancel #1001 --reason inventory --offer '15% off' --yes")
        let en = try #require(desk.state.outbox.last)
        #expect(en.language == "en")
        #expect(
            en.body == """
                Hello Jöns,

                We have cancelled your order #1001 because one or more of its items are no longer available.
                We have refunded 67.40 EUR to your original payment method. Depending on your bank it can take a few days to appear.

                As a small apology: 15% off

                If you have any questions, just reply to this message.
                """)
        _ = try desk.run("settings notice-language fi")
        _ = try desk.run("cancel #1005 --reason customer --refund later --yes")
        let fi = try #require(desk.state.outbox.last)
        #expect(fi.language == "fi")
        #expect(fi.subject == "Tilauksesi #1005 on peruttu")
        #expect(
            fi.body == """
                Hei Søren,

                Olemme perineet tilauksesi #1005 pyyntösi mukaisesti.
                Palautamme sinulle 42,00 EUR lähiaikoina ja ilmoitamme, kun rahat ovat matkalla.

                Jos sinulla on kysyttävää, vastaa tähän viestiin.
                """)
        _ = try desk.run("refund #1005 20")
        #expect(desk.state.outbox.last?.subject == "Hyvitys tilaukseesi #1005")
        #expect(desk.state.outbox.last?.body.contains("Olemme palauttaneet alkuperäiselle maksutavallesi 20,00 EUR.") ?? false)
        // Every kind exists in both languages and renders a subject.
        for kind in NoticeKind.allCases {
            for language in ["en", "fi"] {
                let t = try #require(NoticeTemplates.builtIn.template(kind, language))
                #expect(!t.render(["order": "#1", "new_order": "#1-R1"]).subject.isEmpty)
            }
        }
        #expect(throws: OrderDeskError.noTemplatesInLanguage("de", available: ["en", "fi"])) {
            _ = try desk.run("settings notice-language de")
        }
    }

    @Test func thePreviewShowsTheNoticeAsItWillBeSent() throws {
        let desk = Desktop()
        let plan = try desk.plan("cancel #1001 --reason customer")
        let notice = try #require(
            try plan.decide(desk.state).compactMap { change -> Notice? in
                if case .orderCancelled(let c) = change { return c.notice } else { return nil }
            }.first)
        for line in notice.body.split(separator: "\n") { #expect(plan.preview.contains(String(line))) }
        #expect(plan.preview.contains("\"\(notice.subject)\" (en)"))
    }

    @Test func aBrokenTemplateRefusesTheCommandThatWouldNotifyNotTheOthers() throws {
        let problem = TemplateProblem(file: "t/cancel.en.txt", line: 3, text: "unknown field {x}")
        var context = Desktop().context
        context.notices = NoticeSetup(templates: .failure(problem))
        let state = TrainingStore.make()
        let cancel = try #require(try Command.parse("cancel #1001 --reason customer --yes"))
        #expect(throws: OrderDeskError.noticeTemplate(problem)) { _ = try Desk.run(cancel, state: state, context: context) }
        let quiet = try #require(try Command.parse("cancel #1001 --reason customer --no-notify --yes"))
        guard case .change = try Desk.run(quiet, state: state, context: context) else {
            Issue.record("a cancel without a notice runs")
            return
        }
    }
}
