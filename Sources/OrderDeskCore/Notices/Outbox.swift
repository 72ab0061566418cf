/// The rules of delivery, pure: which notices are due, what an attempt's exit status means, how
/// long to wait before the next one, and the message a notice goes out as.
public enum Outbox {
    /// Attempts before a notice is given up on (failed for good, still listed).
    public static let maxAttempts = 5

    /// Seconds to wait after the n-th failed attempt (1 minute, 5, 30, 2 hours).
    static let backoff: [Int64] = [60, 300, 1800, 7200]

    /// The queued and failed notices `outbox send` tries now: those never tried, and those whose
    /// wait after a failure is over. Oldest first.
    public static func due(_ state: StoreState, now: Timestamp) -> [Notice] {
        state.outbox.filter { n in n.isPending && (n.nextAttempt.map { $0 <= now } ?? true) }
    }

    /// The headers a notice goes with: those it was first tried with (the same `Message-ID`
    /// on every attempt), the sender from the settings as they are now; nil while `mail-from`
    /// is unset.
    public static func envelope(for notice: Notice, _ settings: Settings) -> MailMessage.Envelope? {
        guard let from = settings.mailFrom else { return nil }
        return MailMessage.Envelope(
            from: from, replyTo: settings.replyTo, bcc: settings.mailBcc,
            messageId: notice.messageId ?? MailMessage.messageID(for: notice, from: from))
    }

    /// The envelope a notice went with, when it was sent (or tried); else what it would go with now.
    public static func recordedEnvelope(for notice: Notice, _ settings: Settings) -> MailMessage.Envelope? {
        if let from = notice.from, let id = notice.messageId {
            return MailMessage.Envelope(from: from, replyTo: notice.replyTo, bcc: notice.bcc, messageId: id)
        }
        return envelope(for: notice, settings)
    }

    /// Why nothing can be sent at all right now, if so: "mail-from is not set (settings mail-from
    /// shop@example.com)".
    public static func blocked(_ settings: Settings, hold: String?) -> String? {
        if let hold { return hold }
        if settings.mailFrom == nil { return "mail-from is not set (settings mail-from shop@example.com)" }
        return nil
    }

    /// What an attempt came to, as the event that records it. `exit` is the mail command's exit
    /// status (nil when it could not be run or did not finish), `detail` what it said (stderr).
    public static func outcome(
        _ notice: Notice, envelope: MailMessage.Envelope, exit: Int32?, detail: String, now: Timestamp
    ) -> NoticeDelivery {
        let attempts = (notice.attempts ?? 0) + 1
        let said = Sanitizer.excerpt(detail.split(whereSeparator: \.isNewline).joined(separator: " "), limit: 200)
        var delivery = NoticeDelivery(
            noticeId: notice.id, order: notice.order, outcome: .failed, attempts: attempts, messageId: envelope.messageId,
            from: envelope.from, replyTo: envelope.replyTo, bcc: envelope.bcc)
        switch exit {
        case 0?:
            delivery.outcome = .sent
            delivery.mta = said.isEmpty ? "accepted (exit 0)" : "accepted (exit 0): \(said)"
            return delivery
        case 75?:
            delivery.outcome = .deferred
            delivery.reason = "temporary failure (exit 75)" + (said.isEmpty ? "" : ": \(said)")
        case let code?:
            delivery.reason = "the mail command failed (exit \(code))" + (said.isEmpty ? "" : ": \(said)")
        case nil:
            delivery.reason = said.isEmpty ? "the mail command could not be run" : said
        }
        if attempts >= maxAttempts {
            delivery.outcome = .failed
            delivery.reason = "gave up after \(attempts) attempts; last: " + (delivery.reason ?? "")
        } else {
            delivery.nextAttempt = now.adding(seconds: backoff[min(attempts - 1, backoff.count - 1)])
        }
        return delivery
    }

    /// A notice's state in words, for `outbox`.
    public static func state(of n: Notice, _ context: Context) -> String {
        switch n.status {
        case nil: return "recorded (kept before OrderDesk sent mail; never sent)"
        case .queued?:
            if let reason = n.reason { return "queued, attempt \((n.attempts ?? 0) + 1) \(next(n, context)): \(reason)" }
            return "queued"
        case .sent?: return "sent" + (n.sentAt.map { " \(context.show($0))" } ?? "")
        case .failed?:
            return "failed (attempt \(n.attempts ?? 0) of \(maxAttempts), next \(next(n, context))): \(n.reason ?? "")"
        case .abandoned?: return "failed for good: \(n.reason ?? "")"
        case .undeliverable?: return "not deliverable: \(n.reason ?? "")"
        case .held?: return "not sent (\(n.reason ?? "held"))"
        }
    }

    private static func next(_ n: Notice, _ context: Context) -> String {
        n.nextAttempt.map { "at \(context.show($0))" } ?? "now"
    }

    /// Whether a notice is in the state `--status` names.
    static func matches(_ n: Notice, status: String) -> Bool {
        switch status {
        case "recorded": return n.status == nil
        case "failed": return n.status == .failed || n.status == .abandoned
        default: return n.status?.rawValue == status
        }
    }
}
