/// One change to the store, as written to the journal: who, when, and its effects.
///
/// Events carry facts, not commands: replay applies them and never re-runs rules.
public struct Event: Sendable, Hashable {
    /// The journal sequence number, one more than the event before.
    public var seq: Int
    public var at: Timestamp
    public var agent: String
    public var change: Change
    /// The script line that made it, for changes made by a batch run.
    public var batch: BatchOrigin?

    public init(seq: Int, at: Timestamp, agent: String, change: Change, batch: BatchOrigin? = nil) {
        self.seq = seq
        self.at = at
        self.agent = agent
        self.change = change
        self.batch = batch
    }

    /// The event's `type` in the journal.
    public var type: String { change.type }
}

/// The effects of an event.
public enum Change: Sendable, Hashable {
    case settingChanged(SettingChange)
    case orderCancelled(Cancellation)
    case orderRefunded(RefundChange)
    case orderReturned(RefundChange)
    case paymentRecorded(PaymentChange)
    case orderRestocked(RestockChange)
    case customerNotified(Notice)
    case feedbackLogged(Feedback)
    case orderRecreated(Recreation)
    case ordersImported(ImportChange)
    case ordersUpdated(ImportUpdate)
    case snapshotEditAccepted(SnapshotEditAccepted)
    /// An attempt to deliver a notice: `notice.sent`, `notice.deferred` or `notice.failed`.
    case noticeDelivery(NoticeDelivery)

    /// The journal's name for this kind of change.
    public var type: String {
        switch self {
        case .settingChanged: return "setting.changed"
        case .orderCancelled: return "order.cancelled"
        case .orderRefunded: return "order.refunded"
        case .orderReturned: return "order.returned"
        case .paymentRecorded: return "payment.recorded"
        case .orderRestocked: return "order.restocked"
        case .customerNotified: return "customer.notified"
        case .feedbackLogged: return "feedback.logged"
        case .orderRecreated: return "order.recreated"
        case .ordersImported: return "orders.imported"
        case .ordersUpdated: return "orders.updated"
        case .snapshotEditAccepted: return "store.edit_accepted"
        case .noticeDelivery(let d): return d.outcome.type
        }
    }

    /// The orders this change touches, by name.
    public var orderNames: [String] {
        switch self {
        case .settingChanged, .ordersImported: return []
        case .orderCancelled(let c): return [c.order]
        case .orderRefunded(let r), .orderReturned(let r): return [r.order]
        case .paymentRecorded(let p): return [p.order]
        case .orderRestocked(let r): return [r.order]
        case .customerNotified(let n): return [n.order]
        case .feedbackLogged(let f): return [f.order]
        case .orderRecreated(let r): return [r.original, r.order.name]
        case .snapshotEditAccepted(let e): return e.orders
        case .ordersUpdated(let u): return u.orders.map(\.order)
        case .noticeDelivery(let d): return [d.order]
        }
    }
}

/// A setting set to a new value.
public struct SettingChange: Sendable, Hashable, Codable {
    public var key: String
    public var value: String
    public var previous: String

    /// The member names in the store's JSON. Public and `CaseIterable` because the fast codec in
    /// OrderDeskStore is built from them: a key it does not handle is a compile error there.
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case key, value, previous
    }

    public init(key: String, value: String, previous: String) {
        self.key = key
        self.value = value
        self.previous = previous
    }
}

/// Units of one line put back in stock.
public struct RestockLine: Sendable, Hashable, Codable {
    public var lineItemId: Int64
    public var sku: String
    public var quantity: Int

    /// The member names in the store's JSON. Public and `CaseIterable` because the fast codec in
    /// OrderDeskStore is built from them: a key it does not handle is a compile error there.
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case sku, quantity
        case lineItemId = "line_item_id"
    }

    public init(lineItemId: Int64, sku: String, quantity: Int) {
        self.lineItemId = lineItemId
        self.sku = sku
        self.quantity = quantity
    }
}

/// The effects of a cancel: the record, the money, the stock and the notice.
public struct Cancellation: Sendable, Hashable, Codable {
    public var order: String
    /// OrderDesk's reason (the order's `cancel_reason` gets Shopify's value of it).
    public var reason: CancelReason
    public var note: String?
    /// `now`, `credit` or `later` as chosen, or `void` when nothing was captured.
    public var refundMode: CancelRefund
    /// The refund made now, if any, with its transactions.
    public var refund: Refund?
    /// Authorizations released (`void` transactions).
    public var voids: [Transaction]
    public var restocked: [RestockLine]
    public var notice: Notice?
    public var offer: String?

    /// The member names in the store's JSON. Public and `CaseIterable` because the fast codec in
    /// OrderDeskStore is built from them: a key it does not handle is a compile error there.
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case order, reason, note, refund, voids, restocked, notice, offer
        case refundMode = "refund_mode"
    }

    public init(
        order: String, reason: CancelReason, note: String?, refundMode: CancelRefund, refund: Refund?,
        voids: [Transaction], restocked: [RestockLine], notice: Notice?, offer: String?
    ) {
        self.order = order
        self.reason = reason
        self.note = note
        self.refundMode = refundMode
        self.refund = refund
        self.voids = voids
        self.restocked = restocked
        self.notice = notice
        self.offer = offer
    }
}

/// A refund made after the fact (`order.refunded`), or a return of units with its refund
/// (`order.returned`).
public struct RefundChange: Sendable, Hashable, Codable {
    public var order: String
    /// The refund: its transactions, and for a return its lines and shipping.
    public var refund: Refund
    /// Units put back in stock by a return.
    public var restocked: [RestockLine]
    public var notice: Notice?

    /// The member names in the store's JSON. Public and `CaseIterable` because the fast codec in
    /// OrderDeskStore is built from them: a key it does not handle is a compile error there.
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case order, refund, restocked, notice
    }

    public init(order: String, refund: Refund, restocked: [RestockLine] = [], notice: Notice? = nil) {
        self.order = order
        self.refund = refund
        self.restocked = restocked
        self.notice = notice
    }
}

/// Money collected on an order: a payment recorded by hand (`pay`) or an authorization captured
/// (`capture`).
public struct PaymentChange: Sendable, Hashable, Codable {
    public var order: String
    public var transactions: [Transaction]

    /// The member names in the store's JSON. Public and `CaseIterable` because the fast codec in
    /// OrderDeskStore is built from them: a key it does not handle is a compile error there.
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case order, transactions
    }

    public init(order: String, transactions: [Transaction]) {
        self.order = order
        self.transactions = transactions
    }

    /// The money collected.
    public var amount: Money { transactions.reduce(.zero) { $0 + $1.amount } }
}

/// Units of a cancelled order put back in stock by hand.
public struct RestockChange: Sendable, Hashable, Codable {
    public var order: String
    public var lines: [RestockLine]

    /// The member names in the store's JSON. Public and `CaseIterable` because the fast codec in
    /// OrderDeskStore is built from them: a key it does not handle is a compile error there.
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case order, lines
    }

    public init(order: String, lines: [RestockLine]) {
        self.order = order
        self.lines = lines
    }
}

/// A cancelled order brought back as a new, linked order.
public struct Recreation: Sendable, Hashable, Codable {
    public var original: String
    /// The new order, in full; the money moved to it is among its transactions (`transfer` set).
    public var order: Order
    /// Stock taken again, per SKU.
    public var taken: [RestockLine]
    /// The original's money moved to the new order: a refund whose transactions name it.
    public var moved: Refund?
    public var notice: Notice?

    /// The member names in the store's JSON. Public and `CaseIterable` because the fast codec in
    /// OrderDeskStore is built from them: a key it does not handle is a compile error there.
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case original, order, taken, moved, notice
    }

    public init(original: String, order: Order, taken: [RestockLine], moved: Refund?, notice: Notice?) {
        self.original = original
        self.order = order
        self.taken = taken
        self.moved = moved
        self.notice = notice
    }

    /// Whether money moved to the new order.
    public var paymentMoved: Bool { moved?.amount.isPositive ?? false }
}

/// Orders brought in from outside, with stock levels for SKUs new to the store.
public struct ImportChange: Sendable, Hashable, Codable {
    public var source: String
    public var orders: [Order]
    public var inventory: [String: Int]

    /// The member names in the store's JSON. Public and `CaseIterable` because the fast codec in
    /// OrderDeskStore is built from them: a key it does not handle is a compile error there.
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case source, orders, inventory
    }

    public init(source: String, orders: [Order], inventory: [String: Int]) {
        self.source = source
        self.orders = orders
        self.inventory = inventory
    }
}

/// An edit of the snapshot made outside OrderDesk (with `jq`, `sed`, an editor), checked and
/// accepted by an agent with `orderdesk store accept-edit`. It records the edit in the audit log;
/// the edited values themselves are in the snapshot written right after it.
public struct SnapshotEditAccepted: Sendable, Hashable, Codable {
    /// The orders the edit changed, added or removed, by name.
    public var orders: [String]
    /// The other parts of the snapshot it changed: `seq`, `inventory`, `settings`, `feedback`, `outbox`.
    public var parts: [String]
    /// Whether the changes could be listed (false when there was no copy of the snapshot as
    /// OrderDesk wrote it to compare with).
    public var listed: Bool

    /// The member names in the store's JSON. Public and `CaseIterable` because the fast codec in
    /// OrderDeskStore is built from them: a key it does not handle is a compile error there.
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case orders, parts, listed
    }

    public init(orders: [String], parts: [String], listed: Bool) {
        self.orders = orders
        self.parts = parts
        self.listed = listed
    }
}

/// One attempt to hand a notice to the mail transfer agent, and what came of it: recorded after
/// the change that queued the notice was committed, never with it.
public struct NoticeDelivery: Sendable, Hashable, Codable {
    /// The notice's id in the outbox.
    public var noticeId: Int64
    /// The notice's order, for the order's timeline and `log`.
    public var order: String
    public var outcome: Outcome
    /// The attempts made so far, this one included.
    public var attempts: Int
    /// Why it was not sent: the command's exit status and the start of what it wrote to stderr.
    public var reason: String?
    /// What the mail transfer agent said when it accepted the message.
    public var mta: String?
    /// When `outbox send` is to try again (temporary and ordinary failures).
    public var nextAttempt: Timestamp?
    /// The headers the message went with, so that the outbox can show it exactly as sent and a
    /// retry sends the same `Message-ID`.
    public var messageId: String
    public var from: String
    public var replyTo: String?
    public var bcc: String?

    /// What came of an attempt.
    public enum Outcome: String, Sendable, Codable, CaseIterable {
        /// The mail transfer agent accepted it (exit 0).
        case sent
        /// A temporary failure (exit 75, `EX_TEMPFAIL`, or no answer in time): it stays queued.
        case deferred
        /// Refused: failed, tried again by `outbox send` until the cap on attempts.
        case failed

        /// The event's `type` in the journal.
        public var type: String { "notice." + rawValue }
    }

    /// The member names in the store's JSON. Public and `CaseIterable` because the fast codec in
    /// OrderDeskStore is built from them: a key it does not handle is a compile error there.
    /// The outcome is the event's type, not a member of its own.
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case order, attempts, reason, mta, from, bcc
        case noticeId = "notice_id"
        case nextAttempt = "next_attempt"
        case messageId = "message_id"
        case replyTo = "reply_to"
    }

    public init(
        noticeId: Int64, order: String, outcome: Outcome, attempts: Int, reason: String? = nil, mta: String? = nil,
        nextAttempt: Timestamp? = nil, messageId: String, from: String, replyTo: String? = nil, bcc: String? = nil
    ) {
        self.noticeId = noticeId
        self.order = order
        self.outcome = outcome
        self.attempts = attempts
        self.reason = reason
        self.mta = mta
        self.nextAttempt = nextAttempt
        self.messageId = messageId
        self.from = from
        self.replyTo = replyTo
        self.bcc = bcc
    }

    /// Reads the members of a journal line whose type gave the outcome.
    public init(from decoder: any Decoder, outcome: Outcome) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            noticeId: try c.decode(Int64.self, forKey: .noticeId), order: try c.decode(String.self, forKey: .order),
            outcome: outcome, attempts: try c.decode(Int.self, forKey: .attempts),
            reason: try c.decodeIfPresent(String.self, forKey: .reason), mta: try c.decodeIfPresent(String.self, forKey: .mta),
            nextAttempt: try c.decodeIfPresent(Timestamp.self, forKey: .nextAttempt),
            messageId: try c.decode(String.self, forKey: .messageId), from: try c.decode(String.self, forKey: .from),
            replyTo: try c.decodeIfPresent(String.self, forKey: .replyTo), bcc: try c.decodeIfPresent(String.self, forKey: .bcc))
    }

    public init(from decoder: any Decoder) throws {
        throw DecodingError.dataCorrupted(
            DecodingError.Context(codingPath: decoder.codingPath, debugDescription: "a notice delivery is read with its outcome"))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(noticeId, forKey: .noticeId)
        try c.encode(order, forKey: .order)
        try c.encode(attempts, forKey: .attempts)
        try c.encodeIfPresent(reason, forKey: .reason)
        try c.encodeIfPresent(mta, forKey: .mta)
        try c.encodeIfPresent(nextAttempt, forKey: .nextAttempt)
        try c.encode(messageId, forKey: .messageId)
        try c.encode(from, forKey: .from)
        try c.encodeIfPresent(replyTo, forKey: .replyTo)
        try c.encodeIfPresent(bcc, forKey: .bcc)
    }
}
