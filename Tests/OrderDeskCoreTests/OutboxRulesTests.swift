import OrderDeskPractice
import OrderDeskTestSupport
import Testing

@testable import OrderDeskCore

/// The outbox's rules: what is queued, what an attempt's exit status means, backoff and the cap,
/// and the state the delivery events leave.
@Suite struct OutboxRulesTests {
    static let envelope = MailMessage.Envelope(from: "shop@example.com", messageId: "<m@example.com>")

    static func queued(_ desk: inout Desktop) throws -> Notice {
        _ = try desk.run("cancel #1001 --reason customer --yes")
        return try #require(desk.state.outbox.last)
    }

    @Test func aNoticeIsQueuedWithItsChangeUnlessHeldOrUndeliverable() throws {
        var desk = Desktop()
        let n = try Self.queued(&desk)
        #expect(n.status == .queued && n.reason == nil && n.toName == "Jöns Ärlig")

        let held = Desktop()
        var context = held.context
        context.notices.hold = "demo store"
        let plan = try #require(try Command.parse("cancel #1002 --reason customer --yes"))
        guard case .change(let p) = try Desk.run(plan, state: held.state, context: context) else { return }
        let changes = try p.decide(held.state)
        guard case .orderCancelled(let c) = changes.first else { return }
        #expect(c.notice?.status == .held && c.notice?.reason == "demo store")

        // An order without a valid email: the cancel commits, its notice is not deliverable.
        var orders = TrainingStore.make().orders
        orders[0].email = "not an address"
        var bad = Desktop(StoreState(orders: orders, inventory: TrainingStore.make().inventory))
        _ = try bad.run("cancel #1001 --reason customer --yes")
        #expect(bad.order("#1001").isCancelled)
        let u = try #require(bad.state.outbox.last)
        #expect(u.status == .undeliverable)
        #expect(u.reason?.contains("(not an address)") ?? false)
        #expect(!u.isPending)
    }

    @Test func exitStatusesBecomeOutcomes() throws {
        var desk = Desktop()
        let n = try Self.queued(&desk)
        let now = desk.now
        let sent = Outbox.outcome(n, envelope: Self.envelope, exit: 0, detail: "", now: now)
        #expect(sent.outcome == .sent && sent.attempts == 1 && sent.mta == "accepted (exit 0)")
        let temporary = Outbox.outcome(n, envelope: Self.envelope, exit: 75, detail: "try later", now: now)
        #expect(temporary.outcome == .deferred && temporary.reason == "temporary failure (exit 75): try later")
        #expect(temporary.nextAttempt == now.adding(seconds: 60))
        let failed = Outbox.outcome(n, envelope: Self.envelope, exit: 1, detail: "no\nrelay", now: now)
        #expect(failed.outcome == .failed && failed.reason == "the mail command failed (exit 1): no relay")
        let missing = Outbox.outcome(
            n, envelope: Self.envelope, exit: nil, detail: "the mail command could not be run: /x: No such file or directory", now: now)
        #expect(missing.outcome == .failed && missing.reason?.hasSuffix("No such file or directory") ?? false)
    }

    @Test func failuresBackOffAndGiveUpAfterTheCap() throws {
        var desk = Desktop()
        var n = try Self.queued(&desk)
        var waits: [Int64] = []
        for attempt in 1...Outbox.maxAttempts {
            let d = Outbox.outcome(n, envelope: Self.envelope, exit: 1, detail: "no", now: desk.now)
            #expect(d.attempts == attempt)
            _ = try desk.apply(.noticeDelivery(d))
            n = try #require(desk.state.outbox.last)
            if let next = d.nextAttempt { waits.append(next.seconds - desk.now.seconds) }
        }
        #expect(waits == [60, 300, 1800, 7200])
        #expect(n.status == .abandoned && n.reason?.hasPrefix("gave up after 5 attempts; last: ") ?? false)
        #expect(!n.isPending)
        #expect(Outbox.due(desk.state, now: desk.now.adding(seconds: 100_000)).isEmpty)
        #expect(Outbox.state(of: n, desk.context).hasPrefix("failed for good: gave up after 5 attempts"))
    }

    @Test func dueNoticesWaitForTheirBackoffAndASentOneStaysSent() throws {
        var desk = Desktop()
        let n = try Self.queued(&desk)
        #expect(Outbox.due(desk.state, now: desk.now).map(\.id) == [n.id])
        _ = try desk.apply(.noticeDelivery(Outbox.outcome(n, envelope: Self.envelope, exit: 75, detail: "", now: desk.now)))
        #expect(Outbox.due(desk.state, now: desk.now).isEmpty)
        #expect(Outbox.due(desk.state, now: desk.now.adding(seconds: 60)).count == 1)
        let sent = Outbox.outcome(desk.state.outbox.last!, envelope: Self.envelope, exit: 0, detail: "", now: desk.now)
        _ = try desk.apply(.noticeDelivery(sent))
        // A late failure report of an earlier attempt does not undo it.
        _ = try desk.apply(.noticeDelivery(Outbox.outcome(n, envelope: Self.envelope, exit: 1, detail: "", now: desk.now)))
        let after = try #require(desk.state.outbox.last)
        #expect(after.status == .sent && after.sentAt == desk.now && after.messageId == "<m@example.com>")
        #expect(desk.order("#1001").timeline.last?.message == "Notice \(n.id) sent to jons.arlig@example.com")
    }

    @Test func outboxListsStatesFiltersAndShowsTheMessage() throws {
        var desk = Desktop()
        let n = try Self.queued(&desk)
        #expect(try desk.read("outbox").contains("Nothing is sent from here: mail-from is not set"))
        #expect(try desk.read("outbox").contains("\(n.id)  "))
        #expect(try desk.read("outbox --status sent").contains("No messages."))
        #expect(try desk.read("outbox show \(n.id)").contains("Not a message yet: mail-from is not set"))
        _ = try desk.run("settings mail-from 'Kauppa Öy <shop@example.com>'")
        let shown = try desk.read("outbox show \(n.id)")
        #expect(shown.contains("As it will be sent:"))
        #expect(shown.contains("From: =?utf-8?B?S2F1cHBhIMOWeQ==?= <shop@example.com>"))
        #expect(shown.contains("Message-ID: " + MailMessage.messageID(for: n, from: "shop@example.com")))
        #expect(throws: OrderDeskError.unknownNotice("999999")) { _ = try desk.read("outbox show 999999") }
        #expect(throws: (any Error).self) { _ = try desk.read("outbox send --limit 3") }
        guard case .send(let ids) = try Desk.run(try #require(try Command.parse("outbox send")), state: desk.state, context: desk.context)
        else {
            Issue.record("outbox send hands the due notices to the shell")
            return
        }
        #expect(ids == [n.id])
    }

    @Test func mailSettingsAreCheckedAndReplayed() throws {
        var desk = Desktop()
        #expect(throws: (any Error).self) { _ = try desk.run("settings mail-from 'not an address'") }
        #expect(throws: (any Error).self) { _ = try desk.run("settings mail-command 'sendmail -t'") }
        #expect(throws: (any Error).self) { _ = try desk.run("settings mail-command \"/usr/sbin/sendmail 'open\"") }
        _ = try desk.run("settings mail-from 'Kauppa Öy <shop@example.com>'")
        _ = try desk.run("settings mail-command '/usr/bin/msmtp -C /etc/msmtprc -t'")
        _ = try desk.run("settings mail-bcc team@example.com")
        #expect(desk.state.settings.mailFrom == "Kauppa Öy <shop@example.com>")
        #expect(desk.state.settings.effectiveMailCommand == "/usr/bin/msmtp -C /etc/msmtprc -t")
        _ = try desk.run("settings mail-command ''")
        _ = try desk.run("settings mail-bcc ''")
        #expect(desk.state.settings.mailCommand == nil && desk.state.settings.mailBcc == nil)
        #expect(desk.state.settings.effectiveMailCommand == "/usr/sbin/sendmail -t -oi")
        // Replaying the journal's events gives the same settings.
        var replayed = TrainingStore.make()
        for event in desk.events { try replayed.apply(event) }
        #expect(replayed.settings == desk.state.settings)
    }
}
