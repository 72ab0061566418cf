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

/// A message sent to a customer, kept in the store's outbox.
public struct Notice: Sendable, Hashable, Codable {
    public var id: Int64
    public var at: Timestamp
    public var order: String
    public var to: String
    public var subject: String
    public var body: String
    public var agent: String

    /// The member names in the store's JSON. Public and `CaseIterable` because the fast codec in
    /// OrderDeskStore is built from them: a key it does not handle is a compile error there.
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case id, at, order, to, subject, body, agent
    }

    public init(id: Int64, at: Timestamp, order: String, to: String, subject: String, body: String, agent: String) {
        self.id = id
        self.at = at
        self.order = order
        self.to = to
        self.subject = subject
        self.body = body
        self.agent = agent
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

    /// The member names in the store's JSON. Public and `CaseIterable` because the fast codec in
    /// OrderDeskStore is built from them: a key it does not handle is a compile error there.
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case autoRestock = "auto_restock"
        case defaultRefund = "default_refund"
    }

    public init(autoRestock: Bool = true, defaultRefund: RefundMode = .now) {
        self.autoRestock = autoRestock
        self.defaultRefund = defaultRefund
    }

    /// The keys as typed in `settings KEY VALUE`.
    public static let keys = ["auto-restock", "default-refund"]

    /// The current value of a key, as text.
    public func value(of key: String) -> String? {
        switch key {
        case "auto-restock": return autoRestock ? "on" : "off"
        case "default-refund": return defaultRefund.rawValue
        default: return nil
        }
    }

    /// The values a key accepts.
    public static func allowedValues(of key: String) -> [String] {
        switch key {
        case "auto-restock": return ["on", "off"]
        case "default-refund": return RefundMode.allCases.map(\.rawValue)
        default: return []
        }
    }
}
