/// Shopify's payment states.
public enum FinancialStatus: String, Sendable, Codable, CaseIterable {
    case pending, authorized
    case partiallyPaid = "partially_paid"
    case paid
    case partiallyRefunded = "partially_refunded"
    case refunded, voided
}

/// Shopify's fulfilment states; an unfulfilled order has none (`null`).
public enum FulfillmentStatus: String, Sendable, Codable, CaseIterable {
    case partial, fulfilled, restocked
}

/// Why an order was cancelled: Shopify's six reasons plus the seed's shipping problems.
public enum CancelReason: String, Sendable, Codable, CaseIterable {
    case customer, inventory, fraud, declined, shipping, staff, other

    /// The admin's label, as Shopify's cancel dialog shows it.
    public var label: String {
        switch self {
        case .customer: return "Customer changed/canceled order"
        case .inventory: return "Items unavailable"
        case .fraud: return "Fraudulent order"
        case .declined: return "Payment declined"
        case .shipping: return "Shipping problem"
        case .staff: return "Staff error"
        case .other: return "Other"
        }
    }

    /// The value Shopify's `cancel_reason` holds: one of its six (a shipping problem is `other`).
    public var shopify: CancelReason { self == .shipping ? .other : self }

    /// Whether the customer started it (the rest are merchant-initiated).
    public var isCustomerInitiated: Bool { self == .customer }
}

/// Where refunded money goes: back to the methods that paid, or as store credit.
public enum RefundMethod: String, Sendable, Codable {
    case original
    case storeCredit = "store-credit"
}

extension Transaction {
    /// Where a refund's money went.
    public var method: RefundMethod { gateway == Gateway.storeCredit ? .storeCredit : .original }
}

extension Order {
    public var isCancelled: Bool { cancelledAt != nil }

    /// Open: neither cancelled nor closed.
    public var isOpen: Bool { cancelledAt == nil && closedAt == nil }

    /// Some units of the order have been fulfilled.
    public var hasFulfilment: Bool {
        fulfillmentStatus == .fulfilled || fulfillmentStatus == .partial
            || lineItems.contains { $0.fulfilledQuantity > 0 }
    }

    /// Decimals the order's currency uses.
    public var decimals: Int { Currency.exponent(of: currency) }

    /// An amount of this order's money, for display: `12.50 EUR`.
    public func show(_ money: Money) -> String { "\(money.formatted(decimals: decimals)) \(currency)" }

    /// All units ordered.
    public var unitCount: Int { lineItems.reduce(0) { $0 + $1.quantity } }
}
