/// What changed in Shopify since orders the store has were imported (`orders.updated`): only
/// the differences, per order. What the desk did locally stays as it is.
public struct ImportUpdate: Sendable, Hashable, Codable {
    /// The file the newer orders came from (`orders.json`).
    public var source: String
    public var orders: [OrderUpdate]

    /// The member names in the store's JSON. Public and `CaseIterable` because the fast codec in
    /// OrderDeskStore is built from them: a key it does not handle is a compile error there.
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case source, orders
    }

    public init(source: String, orders: [OrderUpdate]) {
        self.source = source
        self.orders = orders
    }
}

/// One order's differences from Shopify.
public struct OrderUpdate: Sendable, Hashable, Codable {
    /// The order's name in the store.
    public var order: String
    /// Lines whose fulfilled quantity changed in Shopify, with the new quantity (fewer when a
    /// fulfilment was cancelled there).
    public var fulfilled: [FulfilledLine]
    /// The order's fulfillment status in Shopify, when lines were fulfilled there.
    public var fulfillmentStatus: FulfillmentStatus?
    /// Payments taken in Shopify that the store does not have (a cash-on-delivery order paid, an
    /// authorization captured): sales and captures, applied before ``refunds``. Left out of the
    /// store's JSON when empty, so events written before it read as they were.
    public var payments: [Transaction]
    /// Refunds made in Shopify that the store does not have, with their transactions.
    public var refunds: [Refund]
    /// Units those refunds put back in stock.
    public var restocked: [RestockLine]
    /// When Shopify cancelled the order, if it did and the store had not.
    public var cancelledAt: Timestamp?
    /// Shopify's reason for that cancel.
    public var cancelReason: CancelReason?

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case order, fulfilled, payments, refunds, restocked
        case fulfillmentStatus = "fulfillment_status"
        case cancelledAt = "cancelled_at"
        case cancelReason = "cancel_reason"
    }

    public init(
        order: String, fulfilled: [FulfilledLine] = [], fulfillmentStatus: FulfillmentStatus? = nil,
        payments: [Transaction] = [], refunds: [Refund] = [], restocked: [RestockLine] = [], cancelledAt: Timestamp? = nil,
        cancelReason: CancelReason? = nil
    ) {
        self.order = order
        self.fulfilled = fulfilled
        self.fulfillmentStatus = fulfillmentStatus
        self.payments = payments
        self.refunds = refunds
        self.restocked = restocked
        self.cancelledAt = cancelledAt
        self.cancelReason = cancelReason
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        order = try c.decode(String.self, forKey: .order)
        fulfilled = try c.decode([FulfilledLine].self, forKey: .fulfilled)
        fulfillmentStatus = try c.decodeIfPresent(FulfillmentStatus.self, forKey: .fulfillmentStatus)
        // Events written before payments came in have none.
        payments = try c.decodeIfPresent([Transaction].self, forKey: .payments) ?? []
        refunds = try c.decode([Refund].self, forKey: .refunds)
        restocked = try c.decode([RestockLine].self, forKey: .restocked)
        cancelledAt = try c.decodeIfPresent(Timestamp.self, forKey: .cancelledAt)
        cancelReason = try c.decodeIfPresent(CancelReason.self, forKey: .cancelReason)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(order, forKey: .order)
        try c.encode(fulfilled, forKey: .fulfilled)
        try c.encodeIfPresent(fulfillmentStatus, forKey: .fulfillmentStatus)
        if !payments.isEmpty { try c.encode(payments, forKey: .payments) }
        try c.encode(refunds, forKey: .refunds)
        try c.encode(restocked, forKey: .restocked)
        try c.encodeIfPresent(cancelledAt, forKey: .cancelledAt)
        try c.encodeIfPresent(cancelReason, forKey: .cancelReason)
    }

    /// Whether it changes nothing.
    public var isEmpty: Bool {
        fulfilled.isEmpty && payments.isEmpty && refunds.isEmpty && restocked.isEmpty && cancelledAt == nil
    }
}

/// A line's fulfilled quantity in Shopify.
public struct FulfilledLine: Sendable, Hashable, Codable {
    public var lineItemId: Int64
    /// The new fulfilled quantity (not the difference).
    public var quantity: Int

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case quantity
        case lineItemId = "line_item_id"
    }

    public init(lineItemId: Int64, quantity: Int) {
        self.lineItemId = lineItemId
        self.quantity = quantity
    }
}
