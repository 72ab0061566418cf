/// The message a notice goes out as: RFC 5322 headers and a MIME text body, with `\n` line ends
/// (the sendmail interface's convention; the mail transfer agent writes CRLF on the wire).
///
/// Pure and deterministic: the same notice and envelope give the same bytes, on the first attempt
/// and every retry (the `Date` is when the notice was queued, the `Message-ID` is the notice's).
public struct MailMessage: Sendable, Hashable {
    /// Who it comes from and who else gets it: the store's mail settings at the first attempt.
    public struct Envelope: Sendable, Hashable {
        public var from: String
        public var replyTo: String?
        public var bcc: String?
        public var messageId: String

        public init(from: String, replyTo: String? = nil, bcc: String? = nil, messageId: String) {
            self.from = from
            self.replyTo = replyTo
            self.bcc = bcc
            self.messageId = messageId
        }
    }

    /// Why a notice cannot go out as a message.
    public struct Problem: Error, Sendable, Equatable {
        public var text: String
    }

    /// The whole message: headers, a blank line, the body.
    public var text: String

    /// The message of a notice. Refuses an address that is not one mail software accepts (the
    /// recipient's, or a setting's); names and the subject are encoded, never refused.
    public static func build(_ notice: Notice, envelope: Envelope) throws(Problem) -> MailMessage {
        if let problem = MailAddress.problem(address: notice.to) { throw Problem(text: "\(problem) (\(notice.to))") }
        guard let from = MailAddress.mailbox(envelope.from) else { throw Problem(text: "mail-from is not a valid address") }
        var headers: [String] = []
        func add(_ name: String, _ value: String) { headers.append("\(name): \(value)") }
        add("From", HeaderText.mailbox(name: from.name, address: from.address, used: 6))
        add("To", HeaderText.mailbox(name: notice.toName ?? "", address: notice.to, used: 4))
        if let replyTo = envelope.replyTo, !replyTo.isEmpty {
            guard let box = MailAddress.mailbox(replyTo) else { throw Problem(text: "reply-to is not a valid address") }
            add("Reply-To", HeaderText.mailbox(name: box.name, address: box.address, used: 10))
        }
        if let bcc = envelope.bcc, !bcc.isEmpty {
            guard let box = MailAddress.mailbox(bcc) else { throw Problem(text: "mail-bcc is not a valid address") }
            add("Bcc", HeaderText.mailbox(name: box.name, address: box.address, used: 5))
        }
        add("Subject", HeaderText.unstructured(notice.subject, used: 9))
        add("Date", MailDate.text(notice.at))
        guard envelope.messageId.utf8.allSatisfy({ $0 > 32 && $0 < 127 }) else {
            throw Problem(text: "the Message-ID has a space or a character outside ASCII")
        }
        add("Message-ID", envelope.messageId)
        add("MIME-Version", "1.0")
        add("Content-Type", "text/plain; charset=utf-8")
        let (encoding, body) = MessageBody.encode(notice.body)
        add("Content-Transfer-Encoding", encoding)
        if let language = notice.language, HeaderText.isAtoms(language) { add("Content-Language", language) }
        add("Auto-Submitted", "auto-generated")
        add("X-OrderDesk-Notice", "\(notice.id) \(HeaderText.isPlain(notice.order) ? notice.order : "-")")
        return MailMessage(text: headers.joined(separator: "\n") + "\n\n" + body + (body.hasSuffix("\n") ? "" : "\n"))
    }

    /// The notice's `Message-ID`: its id and a digest of what never changes about it (its order,
    /// when it was queued, its recipient), at the sender's domain. The same on every attempt and
    /// in every copy of the store, so that mail systems drop a second copy sent after a crash.
    public static func messageID(for notice: Notice, from: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in "\(notice.order)|\(notice.id)|\(notice.at.seconds)|\(notice.to)".utf8 {
            hash = (hash ^ UInt64(b)) &* 0x0000_0100_0000_01B3
        }
        let hex = String(hash, radix: 16)
        let domain = MailAddress.mailbox(from).map { String($0.address.split(separator: "@").last ?? "orderdesk.invalid") }
        return "<orderdesk.\(notice.id).\(String(repeating: "0", count: 16 - hex.count) + hex)@\(domain ?? "orderdesk.invalid")>"
    }
}
