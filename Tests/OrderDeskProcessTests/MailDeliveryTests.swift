import Foundation
import OrderDeskCore
import OrderDeskPractice
import OrderDeskStore
import OrderDeskTestSupport
import Testing

/// Notices delivered through a real mail transfer agent: the built `orderdesk` pipes each message
/// to `msmtp` (from Debian), which relays it over SMTP to an aiosmtpd server on loopback
/// (``MailSink``); the messages received are read back with Python's `email` package.
@Suite(.serialized) struct MailDeliveryTests {
    /// The sample store with customers whose names and languages test the encodings: Jöns writes
    /// Finnish (`fi-FI`), Ελένη Greek (no templates: English), さくら 渡辺 Japanese (English), and
    /// Mallory's name tries to add a header.
    static func makeStore(_ dir: ProgramScratch) throws {
        _ = try FileStore.create(at: dir.store, state: state())
    }

    /// The sample store's state with those customers.
    static func state() -> StoreState {
        let sample = TrainingStore.make()
        var orders = sample.orders
        for i in orders.indices {
            switch orders[i].name {
            case "#1001": orders[i].customerLocale = "fi-FI"
            case "#1004": orders[i].customerLocale = "ja"
            case "#1005":
                orders[i].customer.firstName = "Ελένη"
                orders[i].customer.lastName = "Παπαδοπούλου"
                orders[i].customerLocale = "el"
            case "#1008": orders[i].customer.firstName = "Mallory\r\nBcc: evil@example.com\r\nX-Evil: 1"
            default: break
            }
        }
        return StoreState(
            seq: 0, orders: orders, inventory: sample.inventory, feedback: sample.feedback, settings: sample.settings, outbox: [])
    }

    static func settings(_ sink: MailSink) -> [String] {
        [
            "settings mail-from 'Kauppa Öy <shop@example.com>'", "settings reply-to 'Asiakaspalvelu <help@example.com>'",
            "settings mail-bcc team@example.com", "settings mail-command '\(sink.mailCommand)'",
        ]
    }

    static func outbox(_ dir: ProgramScratch) throws -> [[String: Any]] {
        (try dir.query("outbox --json") as? [[String: Any]]) ?? []
    }

    static func notice(_ dir: ProgramScratch, order: String) throws -> [String: Any] {
        try outbox(dir).last { $0["order"] as? String == order } ?? [:]
    }

    @Test func deliversEachNoticeThroughTheMTAWithItsHeadersEncoded() throws {
        guard ProgramRunner.binary() != nil else { return }
        let dir = try ProgramScratch("mail")
        defer { dir.remove() }
        guard let sink = MailSink.start(in: dir.path) else { return }
        defer { sink.stop() }
        try Self.makeStore(dir)
        // The shop's own template for messages, with a non-ASCII subject.
        try FileManager.default.createDirectory(atPath: dir.store + "/templates", withIntermediateDirectories: true)
        try Data("Subject: Viesti tilauksesta {order} — {first_name} ✓\n\n{message}\n\nKauppa Öy\n".utf8).write(
            to: URL(fileURLWithPath: dir.store + "/templates/message.en.txt"))
        let script = try dir.script(
            "mail.txt",
            Self.settings(sink) + [
                "cancel #1001 --reason customer --yes", "cancel #1002 --reason inventory --offer '10% off: SORRY10' --yes",
                "cancel #1004 --reason customer --yes", "cancel #1005 --reason customer --yes",
                "cancel #1008 --reason customer --yes", "notify #1002 'Your refund is on its way.'",
            ])
        let result = try dir.orderdesk(["run", script, "--store", dir.store], timeout: 60)
        #expect(result.exitCode == 0, "\(result)")
        #expect(result.stdout.components(separatedBy: " sent to ").count - 1 == 6, "\(result)")

        let messages = sink.messages()
        #expect(messages.count == 6)
        func message(to address: String, subject: String? = nil) -> [String: Any] {
            messages.first { m in
                ((m["to"] as? [[String: Any]])?.first?["address"] as? String) == address
                    && (subject.map { (m["subject"] as? String)?.contains($0) ?? false } ?? true)
            } ?? [:]
        }
        for m in messages {
            let headers = m["headers"] as? [String: String] ?? [:]
            #expect((m["defects"] as? [Any])?.isEmpty ?? false, "\(m)")
            #expect(m["ascii"] as? Bool == true, "every byte of the message is ASCII: \(m)")
            #expect((m["longest_line"] as? Int ?? 999) <= 78 + 1, "\(m)")  // + the CR on the wire
            #expect((m["from"] as? [[String: Any]])?.first?["name"] as? String == "Kauppa Öy")
            #expect((m["reply_to"] as? [[String: Any]])?.first?["name"] as? String == "Asiakaspalvelu")
            #expect(headers["Bcc"] == nil, "msmtp takes Bcc out of the headers")
            #expect(headers["X-Evil"] == nil)
            #expect(headers["MIME-Version"] == "1.0")
            #expect(m["content_type"] as? String == "text/plain")
            #expect(m["charset"] as? String == "utf-8")
            #expect((m["rcpt"] as? [String])?.contains("team@example.com") ?? false, "the team's Bcc copy: \(m)")
            #expect(!((m["rcpt"] as? [String])?.contains("evil@example.com") ?? true))
            #expect((m["raw_headers"] as? String)?.contains("=?utf-8?B?") ?? false)
        }

        // Finnish for the customer whose order says fi-FI, quoted-printable for its ä and ö.
        let jons = message(to: "jons.arlig@example.com")
        #expect(jons["subject"] as? String == "Tilauksesi #1001 on peruttu")
        #expect((jons["to"] as? [[String: Any]])?.first?["name"] as? String == "Jöns Ärlig")
        #expect((jons["body"] as? String)?.contains("Olemme perineet tilauksesi #1001 pyyntösi mukaisesti.") ?? false, "\(jons)")
        #expect((jons["body"] as? String)?.contains("Hei Jöns,") ?? false)
        #expect(jons["transfer_encoding"] as? String == "quoted-printable")
        #expect((jons["headers"] as? [String: String])?["Content-Language"] == "fi")

        let zoe = message(to: "zoe.dubois@example.org", subject: "cancelled")
        #expect((zoe["to"] as? [[String: Any]])?.first?["name"] as? String == "Zoë Dubois")
        #expect((zoe["body"] as? String)?.contains("As a small apology: 10% off: SORRY10") ?? false, "\(zoe)")
        let word = message(to: "zoe.dubois@example.org", subject: "Viesti")
        #expect(word["subject"] as? String == "Viesti tilauksesta #1002 — Zoë ✓", "\(word)")
        #expect((word["raw_headers"] as? String)?.contains("Subject: =?utf-8?B?") ?? false)
        #expect((word["body"] as? String)?.contains("Your refund is on its way.") ?? false)

        let sakura = message(to: "sakura.watanabe@example.com")
        #expect((sakura["to"] as? [[String: Any]])?.first?["name"] as? String == "さくら 渡辺")
        #expect(sakura["subject"] as? String == "Your order #1004 has been cancelled", "no Japanese templates: English")
        let elena = message(to: "soren.hojgaard@example.com")
        #expect((elena["to"] as? [[String: Any]])?.first?["name"] as? String == "Ελένη Παπαδοπούλου")
        #expect((elena["body"] as? String)?.contains("Hello Ελένη,") ?? false)

        // The header a name tried to add is text inside the encoded name, not a header.
        let mallory = message(to: "mallory@example.com")
        let name = (mallory["to"] as? [[String: Any]])?.first?["name"] as? String ?? ""
        #expect(name.contains("Mallory") && name.contains("Bcc: evil@example.com"), "\(mallory)")

        // The outbox says sent, with the Message-ID each message carried.
        let outbox = try Self.outbox(dir)
        #expect(outbox.count == 6)
        for n in outbox {
            #expect(n["status"] as? String == "sent", "\(n)")
            let id = n["message_id"] as? String
            #expect(messages.contains { $0["message_id"] as? String == id }, "\(n)")
        }
        // `outbox show` prints the message as sent: the same headers.
        let first = try #require(outbox.first?["id"] as? Int)
        let shown = try dir.orderdesk(["run", "-", "--store", dir.store], stdin: "outbox show \(first)\n")
        #expect(shown.stdout.contains("As sent:") && shown.stdout.contains("Message-ID: \(outbox[0]["message_id"] as? String ?? "?")"))
        #expect(shown.stdout.contains("Bcc: team@example.com"))
    }

    /// The same delivery from a store on the PostgreSQL server: the outcome is an event there too,
    /// and the outbox rows say sent.
    @Test func deliversFromAStoreOnAServerAndRecordsTheOutcomeThere() throws {
        guard ProgramRunner.binary() != nil, let base = TestServer.base() else { return }
        let dir = try ProgramScratch("mail-server")
        defer { dir.remove() }
        guard let sink = MailSink.start(in: dir.path) else { return }
        defer { sink.stop() }
        let url = try #require(try TestServer.makeStore(Self.state()))
        defer { TestServer.drop(url) }
        let schema = String(url.split(separator: "=").last!)
        let store = TestServer.address(base, schema: schema, role: "test_alice")
        let script = try dir.script(
            "mail.txt", Self.settings(sink) + ["cancel #1001 --reason customer --yes", "cancel #1004 --reason customer --yes"])
        let result = try dir.orderdesk(["run", script, "--store", store], timeout: 60)
        #expect(result.exitCode == 0, "\(result)")
        let messages = sink.messages()
        #expect(messages.count == 2)
        #expect(messages.contains { $0["subject"] as? String == "Tilauksesi #1001 on peruttu" })
        #expect(try TestServer.sql(url, "SELECT doc->>'status' FROM \(schema).outbox ORDER BY pos") == ["sent", "sent"])
        #expect(try TestServer.sql(url, "SELECT count(*) FROM \(schema).events WHERE type = 'notice.sent'") == ["2"])
        let ids = try TestServer.sql(url, "SELECT doc->>'message_id' FROM \(schema).outbox ORDER BY pos")
        #expect(Set(ids.compactMap { $0 }) == Set(messages.compactMap { $0["message_id"] as? String }))
        #expect(try TestServer.sql(url, "SELECT DISTINCT agent FROM \(schema).events") == ["test_alice"])
    }

    @Test func faultsLeaveTheNoticeWaitingWithItsReasonAndTheChangeCommitted() throws {
        guard ProgramRunner.binary() != nil else { return }
        let dir = try ProgramScratch("mail-faults")
        defer { dir.remove() }
        guard let sink = MailSink.start(in: dir.path) else { return }
        defer { sink.stop() }
        try Self.makeStore(dir)
        func run(_ lines: [String]) throws -> ProgramRunner.Result {
            let result = try dir.orderdesk(["run", "-", "--store", dir.store], stdin: lines.joined(separator: "\n") + "\n", timeout: 60)
            #expect(result.exitCode == 0, "\(lines)\n\(result)")
            return result
        }
        _ = try run(Self.settings(sink).dropLast())

        // The mail command missing.
        var result = try run(["settings mail-command '/nonexistent/sendmail -t -oi'", "cancel #1001 --reason customer --yes"])
        #expect(result.stdout.contains("not sent: the mail command could not be run"), "\(result)")
        #expect(try dir.order("#1001").isCancelled)
        var n = try Self.notice(dir, order: "#1001")
        #expect(n["status"] as? String == "failed")
        #expect((n["reason"] as? String)?.contains("No such file or directory") ?? false, "\(n)")

        // Exit 75, EX_TEMPFAIL: a temporary failure, still queued.
        result = try run(["settings mail-command \"/bin/sh -c 'cat >/dev/null; exit 75'\"", "cancel #1002 --reason customer --yes"])
        #expect(try dir.order("#1002").isCancelled)
        n = try Self.notice(dir, order: "#1002")
        #expect(n["status"] as? String == "queued", "\(n)")
        #expect((n["reason"] as? String)?.contains("temporary failure (exit 75)") ?? false, "\(n)")

        // Exit 1, with what the command said.
        result = try run([
            "settings mail-command \"/bin/sh -c 'cat >/dev/null; echo relay says no >&2; exit 1'\"", "cancel #1004 --reason customer --yes",
        ])
        n = try Self.notice(dir, order: "#1004")
        #expect(n["status"] as? String == "failed", "\(n)")
        #expect((n["reason"] as? String)?.contains("(exit 1): relay says no") ?? false, "\(n)")

        // The SMTP server refusing (550): msmtp gives up on it.
        sink.refuse(true)
        result = try run(["settings mail-command '\(sink.mailCommand)'", "cancel #1005 --reason customer --yes"])
        n = try Self.notice(dir, order: "#1005")
        #expect(n["status"] as? String == "failed", "\(n)")
        #expect((n["reason"] as? String)?.contains("550") ?? false, "\(n)")
        sink.refuse(false)

        // The SMTP server stopped (nothing listens): msmtp says EX_TEMPFAIL, still queued.
        try sink.write(port: 1)
        result = try run(["notify #1006 'Your parcel left today.'"])
        n = try Self.notice(dir, order: "#1006")
        #expect(n["status"] as? String == "queued", "\(n)")
        #expect((n["reason"] as? String)?.contains("Connection refused") ?? false, "\(n)")
        try sink.write(port: sink.port)

        #expect(sink.messages().isEmpty)
        let waiting = try Self.outbox(dir)
        #expect(waiting.count == 5)
        // The Message-ID each was first tried with.
        var firstIDs: [Int: String] = [:]
        for w in waiting { firstIDs[w["id"] as? Int ?? 0] = w["message_id"] as? String }
        #expect(firstIDs.values.allSatisfy { $0.hasPrefix("<orderdesk.") })

        // `outbox send ID` sends each now (their backoff not yet over), once.
        result = try run(waiting.map { "outbox send \($0["id"] as? Int ?? 0)" })
        #expect(result.stdout.components(separatedBy: "1 of 1 notice sent.").count - 1 == 5, "\(result)")
        let messages = sink.messages()
        #expect(messages.count == 5)
        for w in try Self.outbox(dir) {
            #expect(w["status"] as? String == "sent", "\(w)")
            let id = w["id"] as? Int ?? 0
            #expect(w["message_id"] as? String == firstIDs[id], "the same Message-ID on every attempt")
            #expect(messages.filter { $0["message_id"] as? String == firstIDs[id] }.count == 1)
        }
        result = try run(["outbox send"])
        #expect(result.stdout.contains("Nothing to send"), "\(result)")
        let again = try dir.orderdesk(["run", "-", "--store", dir.store], stdin: "outbox send \(waiting[0]["id"] as? Int ?? 0)\n")
        #expect(
            again.exitCode == 1 && again.stderr.contains("is sent")
                && again.stderr.contains("only queued or failed notices are sent again"), "\(again)")
        #expect(sink.messages().count == 5)
        // Every attempt is in the audit log.
        let types = dir.journalEvents().compactMap { $0["type"] as? String }
        #expect(types.filter { $0 == "notice.sent" }.count == 5)
        #expect(types.filter { $0 == "notice.failed" }.count == 3)
        #expect(types.filter { $0 == "notice.deferred" }.count == 2)
    }

    /// A crash after the MTA took the message and before `notice.sent` is saved: the next
    /// `outbox send` sends it once more, with the same Message-ID, and never again.
    @Test func aCrashAfterTheMTATookItSendsItAtMostOnceMore() throws {
        guard ProgramRunner.binary() != nil else { return }
        let dir = try ProgramScratch("mail-crash")
        defer { dir.remove() }
        guard let sink = MailSink.start(in: dir.path) else { return }
        defer { sink.stop() }
        try Self.makeStore(dir)
        // The MTA delivers, then the desk is killed before it records anything.
        let crashing = "/bin/sh -c '\(sink.mailCommand); kill -9 $PPID'"
        let setup = Self.settings(sink).dropLast() + ["settings mail-command \"\(crashing)\""]
        _ = try dir.orderdesk(["run", "-", "--store", dir.store], stdin: setup.joined(separator: "\n") + "\n")
        let crashed = try dir.orderdesk(["run", "-", "--store", dir.store], stdin: "cancel #1001 --reason customer --yes\n")
        #expect(crashed.exitCode == 128 + 9, "\(crashed)")
        #expect(try dir.order("#1001").isCancelled, "the cancel was committed before delivery")
        #expect(try Self.notice(dir, order: "#1001")["status"] as? String == "queued")
        #expect(sink.messages().count == 1)

        let fixed = try dir.orderdesk(
            ["run", "-", "--store", dir.store], stdin: "settings mail-command '\(sink.mailCommand)'\noutbox send\noutbox send\n")
        #expect(fixed.exitCode == 0 && fixed.stdout.contains("1 of 1 notice sent.") && fixed.stdout.contains("Nothing to send"), "\(fixed)")
        let messages = sink.messages()
        #expect(messages.count == 2)
        #expect(Set(messages.map { $0["message_id"] as? String ?? "" }).count == 1, "the same Message-ID: mail systems drop the copy")
    }

    @Test func nothingIsSentWithoutMailFromNorFromADryRunOrTheDemoStore() throws {
        guard ProgramRunner.binary() != nil else { return }
        let dir = try ProgramScratch("mail-never")
        defer { dir.remove() }
        guard let sink = MailSink.start(in: dir.path) else { return }
        defer { sink.stop() }
        try Self.makeStore(dir)
        // mail-from unset: the cancel commits, its notice stays queued and says why.
        var result = try dir.orderdesk(
            ["run", "-", "--store", dir.store],
            stdin: "settings mail-command '\(sink.mailCommand)'\ncancel #1001 --reason customer --yes\noutbox\n")
        #expect(result.exitCode == 0, "\(result)")
        #expect(result.stdout.contains("queued, not sent: mail-from is not set (settings mail-from shop@example.com)"), "\(result)")
        #expect(result.stdout.contains("Nothing is sent from here: mail-from is not set"), "\(result)")
        #expect(try dir.order("#1001").isCancelled)

        // A dry run: the script sets mail-from and cancels, against a scratch copy; nothing goes.
        let script = try dir.script(
            "dry.txt", ["settings mail-from shop@example.com", "cancel #1002 --reason customer --yes", "outbox send"])
        result = try dir.orderdesk(["run", script, "--dry-run", "--store", dir.store])
        #expect(result.exitCode == 0, "\(result)")
        #expect(result.stdout.contains("not sent: dry run"), "\(result)")

        // The demo store (no --store): its notices are held, never sent.
        let demo = "settings mail-from shop@example.com\nsettings mail-command '\(sink.mailCommand)'\norders --status open --limit 1\n"
        result = try dir.orderdesk(["run", "-"], stdin: demo)
        #expect(result.exitCode == 0, "\(result)")
        let row = result.stdout.split(separator: "\n").first { $0.hasPrefix("#") }
        let name = try #require(row?.split(separator: " ").first.map(String.init), "\(result)")
        result = try dir.orderdesk(["run", "-"], stdin: "cancel \(name) --reason customer --yes\noutbox send\n")
        #expect(result.exitCode == 0, "\(result)")
        #expect(result.stdout.contains("not sent: demo store"), "\(result)")
        #expect(sink.messages().isEmpty)
    }

    @Test func aBrokenTemplateIsNamedWithItsLineAndOnlyCommandsThatNotifyAreRefused() throws {
        guard ProgramRunner.binary() != nil else { return }
        let dir = try ProgramScratch("mail-template")
        defer { dir.remove() }
        try Self.makeStore(dir)
        try FileManager.default.createDirectory(atPath: dir.store + "/templates", withIntermediateDirectories: true)
        try Data("Subject: Tilauksesi {order} on peruttu\n\nHei {first_name},\n\nTilaus {ordr} on peruttu.\n".utf8).write(
            to: URL(fileURLWithPath: dir.store + "/templates/cancel.fi.txt"))
        let result = try dir.orderdesk(
            ["run", "-", "--store", dir.store, "--keep-going"],
            stdin: "cancel #1001 --reason customer --yes\ncancel #1002 --reason customer --no-notify --yes\nshow #1002\n")
        #expect(result.exitCode == 1, "\(result)")
        #expect(result.stderr.contains("templates/cancel.fi.txt:5: unknown field {ordr}; a cancel notice has: order,"), "\(result)")
        #expect(try !dir.order("#1001").isCancelled)
        #expect(try dir.order("#1002").isCancelled)
    }
}
