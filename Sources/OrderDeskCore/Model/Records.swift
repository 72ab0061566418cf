/// What a customer said about an order.
public struct Feedback: Sendable, Hashable, Codable {
    public var id: Int64
    public var order: String
    public var email: String
    public var rating: Int
    public var text: String
    public var agent: String
    public var at: Timestamp

    /// The member names in the store's JSON. Public and `CaseIterable` because the fast codec in
    /// OrderDeskStore is built from them: a key it does not handle is a compile error there.
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case id, order, email, rating, text, agent, at
    }

    public init(id: Int64, order: String, email: String, rating: Int, text: String, agent: String, at: Timestamp) {
        self.id = id
        self.order = order
        self.email = email
        self.rating = rating
        self.text = text
        self.agent = agent
        self.at = at
    }
}

/// A message to a customer, kept in the store's outbox with where its delivery stands.
///
/// It is recorded in the same event as the change it tells of (``status`` `queued`), and each
/// attempt to deliver it afterwards is an event of its own (``NoticeDelivery``). Every field
/// added since notices were only recorded is optional, so that older stores read as they were:
/// a notice without a status was recorded before OrderDesk delivered mail and is never sent.
public struct Notice: Sendable, Hashable, Codable {
    public var id: Int64
    public var at: Timestamp
    public var order: String
    public var to: String
    public var subject: String
    public var body: String
    public var agent: String
    /// The customer's name for the `To` header.
    public var toName: String?
    /// The language of the template it was written from (`en`, `fi`).
    public var language: String?
    /// Where delivery stands; nil for a notice recorded before OrderDesk delivered mail.
    public var status: NoticeStatus?
    /// Why it is not sent (yet): the last failure, or why it is held or not deliverable.
    public var reason: String?
    /// Attempts made to hand it to the mail transfer agent.
    public var attempts: Int?
    /// When `outbox send` tries again, after a failure.
    public var nextAttempt: Timestamp?
    /// When the mail transfer agent accepted it.
    public var sentAt: Timestamp?
    /// What the mail transfer agent said when it accepted it.
    public var mta: String?
    /// The headers it went with (or goes with, once tried): kept so that `outbox show` prints the
    /// message exactly as sent and every retry sends the same `Message-ID`.
    public var messageId: String?
    public var from: String?
    public var replyTo: String?
    public var bcc: String?

    /// The member names in the store's JSON. Public and `CaseIterable` because the fast codec in
    /// OrderDeskStore is built from them: a key it does not handle is a compile error there.
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case id, at, order, to, subject, body, agent, language, status, reason, attempts, mta, from, bcc
        case toName = "to_name"
        case nextAttempt = "next_attempt"
        case sentAt = "sent_at"
        case messageId = "message_id"
        case replyTo = "reply_to"
    }

    public init(
        id: Int64, at: Timestamp, order: String, to: String, subject: String, body: String, agent: String,
        toName: String? = nil, language: String? = nil, status: NoticeStatus? = nil, reason: String? = nil
    ) {
        self.id = id
        self.at = at
        self.order = order
        self.to = to
        self.subject = subject
        self.body = body
        self.agent = agent
        self.toName = toName
        self.language = language
        self.status = status
        self.reason = reason
    }

    /// Whether `outbox send` may try it: queued or failed, and not given up on.
    public var isPending: Bool { status == .queued || status == .failed }
}

/// Where a notice's delivery stands.
public enum NoticeStatus: String, Sendable, Codable, CaseIterable {
    /// Waiting to be handed to the mail transfer agent (also after a temporary failure).
    case queued
    /// Accepted by the mail transfer agent.
    case sent
    /// Refused by the mail transfer agent; `outbox send` tries again until the cap on attempts.
    case failed
    /// Given up on: refused as many times as the cap allows. Listed, never tried again.
    case abandoned
    /// Never sendable: the order has no valid email address.
    case undeliverable
    /// Made where nothing is ever sent: the demo store, a practice sandbox, a dry run.
    case held

    /// How `outbox` shows it.
    public var label: String {
        switch self {
        case .queued: return "queued"
        case .sent: return "sent"
        case .failed: return "failed"
        case .abandoned: return "failed for good"
        case .undeliverable: return "not deliverable"
        case .held: return "not sent"
        }
    }
}

/// The refund mode chosen in the cancel dialog.
public enum RefundMode: String, Sendable, Codable, CaseIterable {
    case now, credit, later

    /// The words of the cancel dialog's refund choice.
    public var label: String {
        switch self {
        case .now: return "Refund now, to the original payment method"
        case .credit: return "Refund now, as store credit"
        case .later: return "Refund later (the amount stays owed)"
        }
    }
}

/// How a cancel handled the money: refunded now, as store credit, owed for later, or the
/// authorization voided (nothing was captured).
public enum CancelRefund: String, Sendable, Codable, CaseIterable {
    case now, credit, later, void
}

/// Store-wide settings.
public struct Settings: Sendable, Hashable, Codable {
    public var autoRestock: Bool
    public var defaultRefund: RefundMode
    /// The sendmail-style command notices are piped to; nil for ``defaultMailCommand``.
    public var mailCommand: String?
    /// The `From` of notices (`Shop <shop@example.com>`); nothing is sent while it is unset.
    public var mailFrom: String?
    /// The `Reply-To` of notices, if any.
    public var replyTo: String?
    /// A copy of every notice to the team (`Bcc`), if any.
    public var mailBcc: String?
    /// The language of notices to customers whose order names none; nil for English.
    public var noticeLanguage: String?

    /// The member names in the store's JSON. Public and `CaseIterable` because the fast codec in
    /// OrderDeskStore is built from them: a key it does not handle is a compile error there.
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case autoRestock = "auto_restock"
        case defaultRefund = "default_refund"
        case mailCommand = "mail_command"
        case mailFrom = "mail_from"
        case replyTo = "reply_to"
        case mailBcc = "mail_bcc"
        case noticeLanguage = "notice_language"
    }

    public init(autoRestock: Bool = true, defaultRefund: RefundMode = .now) {
        self.autoRestock = autoRestock
        self.defaultRefund = defaultRefund
    }

    /// The mail command when none is set: the sendmail interface every mail transfer agent
    /// provides, recipients read from the headers (`-t`), a lone `.` not ending the message (`-oi`).
    public static let defaultMailCommand = "/usr/sbin/sendmail -t -oi"

    /// The command notices are piped to.
    public var effectiveMailCommand: String { mailCommand ?? Self.defaultMailCommand }

    /// The language of notices when the customer's is not known.
    public var effectiveNoticeLanguage: String { noticeLanguage ?? "en" }

    /// The keys as typed in `settings KEY VALUE`.
    public static let keys = [
        "auto-restock", "default-refund", "mail-from", "reply-to", "mail-bcc", "mail-command", "notice-language",
    ]

    /// The keys whose value is free text (checked by ``problem(key:value:)``) rather than a choice.
    public static let textKeys: Set<String> = ["mail-from", "reply-to", "mail-bcc", "mail-command", "notice-language"]

    /// The current value of a key, as text (empty for an optional one that is not set).
    public func value(of key: String) -> String? {
        switch key {
        case "auto-restock": return autoRestock ? "on" : "off"
        case "default-refund": return defaultRefund.rawValue
        case "mail-command": return effectiveMailCommand
        case "mail-from": return mailFrom ?? ""
        case "reply-to": return replyTo ?? ""
        case "mail-bcc": return mailBcc ?? ""
        case "notice-language": return effectiveNoticeLanguage
        default: return nil
        }
    }

    /// The values a key accepts (empty for a free-text key).
    public static func allowedValues(of key: String) -> [String] {
        switch key {
        case "auto-restock": return ["on", "off"]
        case "default-refund": return RefundMode.allCases.map(\.rawValue)
        default: return []
        }
    }

    /// What a free-text key takes, for `settings`.
    public static func hint(of key: String) -> String {
        switch key {
        case "mail-from": return "Name <address>; required before notices are sent; '' unsets"
        case "reply-to": return "Name <address> for replies; '' unsets"
        case "mail-bcc": return "an address that gets a copy of every notice; '' unsets"
        case "mail-command": return "the sendmail-style command notices are piped to; '' for the default"
        case "notice-language": return "the language of notices when the order has none: en, fi, or any with templates"
        default: return ""
        }
    }

    /// What is wrong with a value for a free-text key, in plain words; nil when it is fine. An
    /// empty value unsets `mail-from`, `reply-to` and `mail-bcc`, and restores the default
    /// `mail-command` and `notice-language`.
    public static func problem(key: String, value: String) -> String? {
        if value.isEmpty { return nil }
        switch key {
        case "mail-from", "reply-to", "mail-bcc":
            if let problem = MailAddress.problem(mailbox: value) { return problem }
            return nil
        case "mail-command":
            do throws(CommandWords.Problem) {
                let words = try CommandWords.split(value)
                if words.isEmpty { return "the command is empty" }
                if !words[0].hasPrefix("/") { return "write the program's full path (\(words[0]) is not one)" }
                return nil
            } catch {
                return error.text
            }
        case "notice-language":
            guard (2...8).contains(value.utf8.count), value.utf8.allSatisfy({ $0 >= 97 && $0 <= 122 }) else {
                return "a language is a code of 2 to 8 lowercase letters (en, fi)"
            }
            return nil
        default: return nil
        }
    }

    /// Sets a key from its text; false when the value is not one the key takes.
    public mutating func set(_ key: String, to value: String) -> Bool {
        switch key {
        case "auto-restock":
            guard value == "on" || value == "off" else { return false }
            autoRestock = value == "on"
        case "default-refund":
            guard let mode = RefundMode(rawValue: value) else { return false }
            defaultRefund = mode
        case "mail-command", "mail-from", "reply-to", "mail-bcc", "notice-language":
            guard Self.problem(key: key, value: value) == nil else { return false }
            let v: String? = value.isEmpty ? nil : value
            switch key {
            case "mail-command": mailCommand = v == Self.defaultMailCommand ? nil : v
            case "mail-from": mailFrom = v
            case "reply-to": replyTo = v
            case "mail-bcc": mailBcc = v
            default: noticeLanguage = v == "en" ? nil : v
            }
        default: return false
        }
        return true
    }
}
