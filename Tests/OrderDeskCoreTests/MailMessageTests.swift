import Testing

@testable import OrderDeskCore

/// The message a notice goes out as: headers that mail software accepts, whatever the text.
@Suite struct MailMessageTests {
    static let at = Timestamp(iso8601: "2026-12-07T09:56:42Z")!

    static func notice(
        to: String = "zoe@example.com", name: String? = "Zoë Dubois", subject: String = "Your order #1001", body: String = "Hello"
    )
        -> Notice
    {
        Notice(
            id: 42, at: at, order: "#1001", to: to, subject: subject, body: body, agent: "ann", toName: name, language: "en",
            status: .queued)
    }

    static let envelope = MailMessage.Envelope(
        from: "Kauppa Öy <shop@example.com>", replyTo: "help@example.com", bcc: "team@example.com",
        messageId: "<orderdesk.42.x@example.com>")

    static func headers(_ text: String) -> [String] {
        String(text.split(separator: "\n\n", maxSplits: 1)[0]).split(separator: "\n").map(String.init)
    }

    @Test func aMessageHasEveryHeaderMailSoftwareWants() throws {
        let text = try MailMessage.build(Self.notice(), envelope: Self.envelope).text
        let headers = Self.headers(text)
        #expect(headers.contains("From: =?utf-8?B?S2F1cHBhIMOWeQ==?= <shop@example.com>"))
        #expect(headers.contains("To: =?utf-8?B?Wm/DqyBEdWJvaXM=?= <zoe@example.com>"))
        #expect(headers.contains("Reply-To: help@example.com"))
        #expect(headers.contains("Bcc: team@example.com"))
        #expect(headers.contains("Subject: Your order #1001"))
        #expect(headers.contains("Date: Mon, 07 Dec 2026 09:56:42 +0000"))
        #expect(headers.contains("Message-ID: <orderdesk.42.x@example.com>"))
        #expect(headers.contains("MIME-Version: 1.0"))
        #expect(headers.contains("Content-Type: text/plain; charset=utf-8"))
        #expect(headers.contains("Content-Transfer-Encoding: 7bit"))
        #expect(text.hasSuffix("\n\nHello\n"))
    }

    @Test func datesNameTheRightWeekday() {
        #expect(MailDate.text(Timestamp(seconds: 0)) == "Thu, 01 Jan 1970 00:00:00 +0000")
        #expect(MailDate.text(Timestamp(iso8601: "2024-02-29T23:59:59Z")!) == "Thu, 29 Feb 2024 23:59:59 +0000")
        #expect(MailDate.text(Timestamp(iso8601: "2026-12-07T00:00:00Z")!) == "Mon, 07 Dec 2026 00:00:00 +0000")
    }

    @Test(arguments: ["Zoë", "渡辺 さくら", "Ελένη Παπαδοπούλου", "Jöns Ärlig — Kauppa Öy ja Pojat, Helsinki ja Tampere, Suomi 🇫🇮"])
    func nonASCIINamesAndSubjectsAreEncodedWordsThatDecodeBack(text: String) throws {
        let message = try MailMessage.build(Self.notice(name: text, subject: "Tilaus: " + text), envelope: Self.envelope).text
        #expect(message.utf8.allSatisfy { $0 < 128 }, "only ASCII on the wire")
        for line in message.split(separator: "\n") { #expect(line.utf8.count <= 78, "\(line)") }
        let headers = Self.headers(message)
        let subject = Self.unfold(headers, "Subject")
        #expect(Self.decodeWords(subject) == "Tilaus: " + text)
        let to = Self.unfold(headers, "To")
        #expect(to.hasSuffix(" <zoe@example.com>"))
        #expect(Self.decodeWords(String(to.dropLast(" <zoe@example.com>".count))) == text)
    }

    @Test func customerTextNeverAddsAHeader() throws {
        let hostile = Self.notice(
            name: "Mallory\r\nBcc: evil@example.com", subject: "Hi\nX-Injected: yes\r\n\r\nbody?", body: "ok")
        let message = try MailMessage.build(hostile, envelope: Self.envelope).text
        let headers = Self.headers(message)
        #expect(!headers.contains { $0.hasPrefix("X-Injected") || $0.hasPrefix("Bcc: evil") })
        #expect(headers.filter { $0.hasPrefix("Bcc:") } == ["Bcc: team@example.com"])
        #expect(headers.allSatisfy { $0.hasPrefix(" ") || $0.contains(": ") })
        #expect(!message.contains("\r"))
        // An address with a line break, a space or no domain is refused, never sent.
        for address in ["zoe@example.com\r\nBcc: evil@example.com", "zoe @example.com", "zoe", "zoe@localhost", "zöe@example.com", ""] {
            #expect(throws: MailMessage.Problem.self) { try MailMessage.build(Self.notice(to: address), envelope: Self.envelope) }
        }
    }

    @Test func displayNamesWithSpecialsAreQuoted() {
        #expect(HeaderText.mailbox(name: "Kauppa, Oy", address: "a@example.com", used: 6) == "\"Kauppa, Oy\" <a@example.com>")
        #expect(HeaderText.mailbox(name: "Say \"hi\"", address: "a@example.com", used: 6) == "\"Say \\\"hi\\\"\" <a@example.com>")
        #expect(HeaderText.mailbox(name: "Ann Berg", address: "a@example.com", used: 6) == "Ann Berg <a@example.com>")
        #expect(HeaderText.mailbox(name: "", address: "a@example.com", used: 6) == "a@example.com")
    }

    @Test func longPlainSubjectsFoldAtSpaces() throws {
        let subject = Array(repeating: "word", count: 40).joined(separator: " ")
        let message = try MailMessage.build(Self.notice(subject: subject), envelope: Self.envelope).text
        let headers = Self.headers(message)
        for line in headers { #expect(line.utf8.count <= 78) }
        #expect(Self.unfold(headers, "Subject") == subject)
    }

    @Test func bodiesGoAs7BitWhenTheyCanElseQuotedPrintableWithin76() throws {
        #expect(MessageBody.encode("Hello\nthere").encoding == "7bit")
        let long = String(repeating: "ä", count: 100) + " = end "
        let (encoding, body) = MessageBody.encode("Hei Jöns,\n\n" + long)
        #expect(encoding == "quoted-printable")
        for line in body.split(separator: "\n") { #expect(line.utf8.count <= 76, "\(line)") }
        #expect(body.hasPrefix("Hei J=C3=B6ns,\n\n"))
        #expect(body.hasSuffix("=3D end=20"), "= and a space at the end of a line are encoded")
        #expect(Self.decodeQP(body) == "Hei Jöns,\n\n" + long)
        // A line of plain ASCII but longer than 78 is not 7bit.
        #expect(MessageBody.encode(String(repeating: "a", count: 100)).encoding == "quoted-printable")
    }

    @Test func theMessageIDIsTheSameOnEveryAttemptAndDiffersBetweenNotices() {
        let n = Self.notice()
        let a = MailMessage.messageID(for: n, from: "Kauppa <shop@example.com>")
        #expect(a == MailMessage.messageID(for: n, from: "shop@example.com"))
        #expect(a.hasPrefix("<orderdesk.42.") && a.hasSuffix("@example.com>"))
        var other = n
        other.id = 43
        #expect(MailMessage.messageID(for: other, from: "shop@example.com") != a)
        var retried = n
        retried.attempts = 3
        retried.reason = "exit 75"
        #expect(MailMessage.messageID(for: retried, from: "shop@example.com") == a)
    }

    @Test func addressesAndMailboxes() {
        #expect(MailAddress.isValid("zoe.dubois+orders@example.co.uk"))
        #expect(!MailAddress.isValid("zoe..dubois@example.com"))
        #expect(!MailAddress.isValid("zoe@-example.com"))
        #expect(MailAddress.mailbox("Kauppa Öy <shop@example.com>") == .init(name: "Kauppa Öy", address: "shop@example.com"))
        #expect(MailAddress.mailbox("\"Kauppa, Oy\" <shop@example.com>")?.name == "Kauppa, Oy")
        #expect(MailAddress.mailbox("shop@example.com") == .init(name: "", address: "shop@example.com"))
        #expect(MailAddress.problem(mailbox: "Shop <shop@example>") != nil)
        #expect(MailAddress.problem(mailbox: "Shop\n<shop@example.com>") == "it has a control character")
    }

    @Test func commandWordsSplitLikeAShellWithoutOne() throws {
        #expect(try CommandWords.split("/usr/sbin/sendmail -t -oi") == ["/usr/sbin/sendmail", "-t", "-oi"])
        #expect(try CommandWords.split("/usr/bin/msmtp -C '/tmp/my dir/rc' -t") == ["/usr/bin/msmtp", "-C", "/tmp/my dir/rc", "-t"])
        #expect(try CommandWords.split(#"/bin/x "a \"b\"" c\ d $HOME;rm"#) == ["/bin/x", "a \"b\"", "c d", "$HOME;rm"])
        #expect(try CommandWords.split("  ") == [])
        #expect(throws: CommandWords.Problem.self) { try CommandWords.split("/bin/x 'open") }
        #expect(throws: CommandWords.Problem.self) { try CommandWords.split("/bin/x\n/bin/y") }
        #expect(Settings.problem(key: "mail-command", value: "sendmail -t") != nil, "a full path")
    }

    // MARK: Reading back

    /// A header's value with its folds undone.
    static func unfold(_ headers: [String], _ name: String) -> String {
        var value: String?
        for line in headers {
            if line.hasPrefix(name + ": ") {
                value = String(line.dropFirst(name.count + 2))
            } else if value != nil, line.hasPrefix(" ") {
                value! += line
            } else if value != nil {
                break
            }
        }
        return value ?? ""
    }

    /// Decodes `=?utf-8?B?…?=` words (folding whitespace between words dropped, as RFC 2047 says).
    static func decodeWords(_ text: String) -> String {
        var bytes: [UInt8] = []
        var rest = Substring(text)
        while let start = rest.range(of: "=?utf-8?B?") {
            let before = rest[..<start.lowerBound]
            if !before.allSatisfy({ $0 == " " }) || bytes.isEmpty { bytes += Array(before.utf8) }
            rest = rest[start.upperBound...]
            guard let end = rest.range(of: "?=") else { break }
            bytes += base64(String(rest[..<end.lowerBound]))
            rest = rest[end.upperBound...]
        }
        bytes += Array(rest.utf8)
        return String(decoding: bytes, as: UTF8.self)
    }

    static func base64(_ text: String) -> [UInt8] {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var bits: UInt32 = 0
        var count = 0
        var out: [UInt8] = []
        for c in text.utf8 where c != UInt8(ascii: "=") {
            guard let v = alphabet.firstIndex(of: c) else { continue }
            bits = bits << 6 | UInt32(v)
            count += 6
            if count >= 8 {
                count -= 8
                out.append(UInt8((bits >> UInt32(count)) & 0xFF))
            }
        }
        return out
    }

    static func decodeQP(_ text: String) -> String {
        var out: [UInt8] = []
        let b = Array(text.utf8)
        var i = 0
        while i < b.count {
            if b[i] == UInt8(ascii: "="), i + 1 < b.count, b[i + 1] == UInt8(ascii: "\n") {
                i += 2
            } else if b[i] == UInt8(ascii: "="), i + 2 < b.count,
                let v = UInt8(String(decoding: b[(i + 1)...(i + 2)], as: UTF8.self), radix: 16)
            {
                out.append(v)
                i += 3
            } else {
                out.append(b[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
