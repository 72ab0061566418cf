/// One movement of money on an order, in Shopify's shape: an authorization, a capture, a sale,
/// a void or a refund.
///
/// An order's own ``Order/transactions`` hold the payments (authorization, capture, sale, void);
/// the refund transactions live in their ``Refund``, as in Shopify's order payloads. Every sum
/// (captured, refunded, outstanding, refundable) is worked out from them: see ``Ledger``.
public struct Transaction: Sendable, Hashable, Codable {
    public var id: Int64
    public var kind: TransactionKind
    public var status: TransactionStatus
    public var amount: Money
    public var currency: String
    /// `shopify_payments`, `gift_card`, `manual`, `store-credit` (a refund as store credit), …
    public var gateway: String
    /// The transaction this one acts on: the authorization a capture or void settles, the
    /// capture or sale a refund returns.
    public var parentId: Int64?
    public var createdAt: Timestamp
    /// OrderDesk's own: the order this money moved to (on a refund) or came from (on a sale)
    /// when a cancelled order was recreated.
    public var transfer: String?

    /// The member names in the store's JSON. Public and `CaseIterable` because the fast codec in
    /// OrderDeskStore is built from them: a key it does not handle is a compile error there.
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case id, kind, status, amount, currency, gateway, transfer
        case parentId = "parent_id"
        case createdAt = "created_at"
    }

    public init(
        id: Int64, kind: TransactionKind, status: TransactionStatus = .success, amount: Money, currency: String,
        gateway: String, parentId: Int64? = nil, createdAt: Timestamp, transfer: String? = nil
    ) {
        self.id = id
        self.kind = kind
        self.status = status
        self.amount = amount
        self.currency = currency
        self.gateway = gateway
        self.parentId = parentId
        self.createdAt = createdAt
        self.transfer = transfer
    }

    /// Whether the money moved (Shopify keeps failed and pending attempts too).
    public var succeeded: Bool { status == .success }
}

/// Shopify's transaction kinds.
public enum TransactionKind: String, Sendable, Codable, CaseIterable {
    case authorization, capture, sale, void, refund
}

/// Shopify's transaction states.
public enum TransactionStatus: String, Sendable, Codable, CaseIterable {
    case pending, failure, success, error
}

/// Gateway names OrderDesk writes itself.
public enum Gateway {
    /// A refund given as store credit rather than to a payment method.
    public static let storeCredit = "store-credit"
    /// A gift card bought from the shop and used to pay.
    public static let giftCard = "gift_card"
    /// Money recorded by hand (Shopify's "mark as paid").
    public static let manual = "manual"
    /// The payment method of an order whose gateway was never recorded (stores of version 1).
    public static let unknown = "unknown"
}

/// Why stock of a refunded line moves, as Shopify writes it.
public enum RestockType: String, Sendable, Codable, CaseIterable {
    /// Unfulfilled units removed from the order.
    case cancel
    /// Fulfilled units sent back by the customer.
    case `return`
    /// Units refunded without coming back to stock.
    case noRestock = "no_restock"
}

/// Money refunded outside the line items: shipping, or a difference, as Shopify writes it.
public struct OrderAdjustment: Sendable, Hashable, Codable {
    /// `shipping_refund` or `refund_discrepancy`.
    public var kind: String
    /// Negative for money given back, as Shopify writes it (`-4.90`).
    public var amount: Money
    public var taxAmount: Money

    /// The member names in the store's JSON. Public and `CaseIterable` because the fast codec in
    /// OrderDeskStore is built from them: a key it does not handle is a compile error there.
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case kind, amount
        case taxAmount = "tax_amount"
    }

    public init(kind: String, amount: Money, taxAmount: Money) {
        self.kind = kind
        self.amount = amount
        self.taxAmount = taxAmount
    }
}
