/// An order, with Shopify's REST field names plus OrderDesk's own fields.
public struct Order: Sendable, Hashable, Codable {
    public var id: Int64
    /// The display name, `#1001`.
    public var name: String
    public var orderNumber: Int
    public var email: String
    public var createdAt: Timestamp
    public var currency: String
    public var subtotalPrice: Money
    public var totalShippingPrice: Money
    public var totalTax: Money
    public var totalDiscounts: Money
    public var totalPrice: Money
    /// Whether the prices include tax (Shopify's `taxes_included`, the rule in the EU): the total
    /// is then subtotal + shipping, with the tax inside.
    public var taxesIncluded: Bool
    /// Shopify's payment state. It follows from the ledger (``Ledger/financialStatus``): the store
    /// sets it whenever the transactions change, and `store verify` checks it.
    public var financialStatus: FinancialStatus
    /// nil while nothing is fulfilled (Shopify's `null`).
    public var fulfillmentStatus: FulfillmentStatus?
    public var cancelledAt: Timestamp?
    public var cancelReason: CancelReason?
    public var closedAt: Timestamp?
    public var note: String?
    /// Comma-separated, as Shopify writes them.
    public var tags: String
    public var customer: Customer
    public var shippingAddress: Address?
    public var lineItems: [LineItem]
    /// The payments: authorizations, captures, sales and voids (refund transactions are in ``refunds``).
    public var transactions: [Transaction]
    public var refunds: [Refund]
    /// The customer's language as Shopify records it (`customer_locale`: `fi`, `en-GB`), if known:
    /// notices are written in it when there are templates in it.
    public var customerLocale: String?

    // OrderDesk's own fields.
    /// Who cancelled the order, OrderDesk's finer reason and the staff note given then.
    public var cancellation: CancellationRecord?
    public var recreatedFrom: String?
    public var recreatedAs: String?
    public var timeline: [TimelineEntry]

    /// The member names in the store's JSON. Public and `CaseIterable` because the fast codec in
    /// OrderDeskStore is built from them: a key it does not handle is a compile error there.
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case id, name, email, currency, note, tags, customer, refunds, timeline, cancellation, transactions
        case orderNumber = "order_number"
        case createdAt = "created_at"
        case subtotalPrice = "subtotal_price"
        case totalShippingPrice = "total_shipping_price"
        case totalTax = "total_tax"
        case totalDiscounts = "total_discounts"
        case totalPrice = "total_price"
        case taxesIncluded = "taxes_included"
        case financialStatus = "financial_status"
        case fulfillmentStatus = "fulfillment_status"
        case cancelledAt = "cancelled_at"
        case cancelReason = "cancel_reason"
        case closedAt = "closed_at"
        case shippingAddress = "shipping_address"
        case lineItems = "line_items"
        case recreatedFrom = "recreated_from"
        case recreatedAs = "recreated_as"
        case customerLocale = "customer_locale"
    }

    public init(
        id: Int64, orderNumber: Int, email: String, createdAt: Timestamp, currency: String,
        customer: Customer, lineItems: [LineItem], shipping: Money = .zero, tax: Money = .zero,
        discounts: Money = .zero, taxesIncluded: Bool = false, fulfillmentStatus: FulfillmentStatus? = nil,
        tags: String = "", note: String? = nil, shippingAddress: Address? = nil
    ) {
        self.id = id
        self.name = "#\(orderNumber)"
        self.orderNumber = orderNumber
        self.email = email
        self.createdAt = createdAt
        self.currency = currency
        // Shopify's meaning: the line items after discounts, before shipping (and before tax
        // unless prices include it).
        let decimals = Currency.exponent(of: currency)
        let subtotal = lineItems.reduce(Money.zero) { $0 + $1.price * $1.quantity } - discounts
        self.subtotalPrice = subtotal.rescaled(to: decimals)
        self.totalShippingPrice = shipping.rescaled(to: decimals)
        self.totalTax = tax.rescaled(to: decimals)
        self.totalDiscounts = discounts.rescaled(to: decimals)
        self.taxesIncluded = taxesIncluded
        self.totalPrice = (subtotal + shipping + (taxesIncluded ? .zero : tax)).rescaled(to: decimals)
        self.financialStatus = .pending
        self.transactions = []
        self.fulfillmentStatus = fulfillmentStatus
        self.tags = tags
        self.note = note
        self.customer = customer
        self.shippingAddress = shippingAddress
        self.lineItems = lineItems
        self.refunds = []
        self.timeline = []
    }
}

/// The customer on an order.
public struct Customer: Sendable, Hashable, Codable {
    public var id: Int64
    public var email: String
    public var firstName: String
    public var lastName: String

    /// The member names in the store's JSON. Public and `CaseIterable` because the fast codec in
    /// OrderDeskStore is built from them: a key it does not handle is a compile error there.
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case id, email
        case firstName = "first_name"
        case lastName = "last_name"
    }

    public init(id: Int64, email: String, firstName: String, lastName: String) {
        self.id = id
        self.email = email
        self.firstName = firstName
        self.lastName = lastName
    }

    /// Whether the source gave the customer's id: 0 means none (a CSV export, a draft order
    /// without a customer), written as `null`.
    public var hasID: Bool { id != 0 }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        // The member is always written (`null` for none), so it must be there.
        id = try c.decode(Int64?.self, forKey: .id) ?? 0
        email = try c.decode(String.self, forKey: .email)
        firstName = try c.decode(String.self, forKey: .firstName)
        lastName = try c.decode(String.self, forKey: .lastName)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        if id == 0 { try c.encodeNil(forKey: .id) } else { try c.encode(id, forKey: .id) }
        try c.encode(email, forKey: .email)
        try c.encode(firstName, forKey: .firstName)
        try c.encode(lastName, forKey: .lastName)
    }

    /// First and last name together.
    public var fullName: String {
        [firstName, lastName].filter { !$0.isEmpty }.joined(separator: " ")
    }
}

/// A shipping address, as much as a support agent needs.
public struct Address: Sendable, Hashable, Codable {
    public var name: String
    public var address1: String
    public var city: String
    public var zip: String
    public var country: String

    /// The member names in the store's JSON. Public and `CaseIterable` because the fast codec in
    /// OrderDeskStore is built from them: a key it does not handle is a compile error there.
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case name, address1, city, zip, country
    }

    public init(name: String, address1: String, city: String, zip: String, country: String) {
        self.name = name
        self.address1 = address1
        self.city = city
        self.zip = zip
        self.country = country
    }
}

/// One line of an order.
public struct LineItem: Sendable, Hashable, Codable {
    public var id: Int64
    /// Empty when the product has no SKU.
    public var sku: String
    public var title: String
    public var variantTitle: String?
    public var quantity: Int
    public var price: Money
    /// Units of this line already fulfilled.
    public var fulfilledQuantity: Int
    /// Units still to fulfil (Shopify's field): none once cancelled, fewer once removed.
    public var fulfillableQuantity: Int
    /// A gift card sold: never restocked.
    public var giftCard: Bool
    /// Units of this line already put back in stock (OrderDesk's own field).
    public var restocked: Int

    /// The member names in the store's JSON. Public and `CaseIterable` because the fast codec in
    /// OrderDeskStore is built from them: a key it does not handle is a compile error there.
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case id, sku, title, quantity, price, restocked
        case variantTitle = "variant_title"
        case fulfilledQuantity = "fulfilled_quantity"
        case fulfillableQuantity = "fulfillable_quantity"
        case giftCard = "gift_card"
    }

    public init(
        id: Int64, sku: String, title: String, variantTitle: String? = nil, quantity: Int,
        price: Money, fulfilledQuantity: Int = 0, restocked: Int = 0, giftCard: Bool = false
    ) {
        self.id = id
        self.sku = sku
        self.title = title
        self.variantTitle = variantTitle
        self.quantity = quantity
        self.price = price
        self.fulfilledQuantity = fulfilledQuantity
        self.fulfillableQuantity = max(0, quantity - fulfilledQuantity)
        self.giftCard = giftCard
        self.restocked = restocked
    }

    /// Whether units of this line can go to and from stock: a SKU, and not a gift card.
    public var isStocked: Bool { !sku.isEmpty && !giftCard }
}

/// A refund: money returned, to the original payment method or as store credit.
public struct Refund: Sendable, Hashable, Codable {
    public var id: Int64
    public var createdAt: Timestamp
    public var note: String?
    /// The refund transactions: money back to a payment method, as store credit, or moved to a
    /// recreated order.
    public var transactions: [Transaction]
    /// The units this refund covers, with their share of the price and tax.
    public var refundLineItems: [RefundLineItem]
    /// Shipping (and any difference) refunded beside the lines.
    public var orderAdjustments: [OrderAdjustment]

    /// The member names in the store's JSON. Public and `CaseIterable` because the fast codec in
    /// OrderDeskStore is built from them: a key it does not handle is a compile error there.
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case id, note, transactions
        case createdAt = "created_at"
        case refundLineItems = "refund_line_items"
        case orderAdjustments = "order_adjustments"
    }

    public init(
        id: Int64, createdAt: Timestamp, note: String?, transactions: [Transaction],
        refundLineItems: [RefundLineItem] = [], orderAdjustments: [OrderAdjustment] = []
    ) {
        self.id = id
        self.createdAt = createdAt
        self.note = note
        self.transactions = transactions
        self.refundLineItems = refundLineItems
        self.orderAdjustments = orderAdjustments
    }

    /// The money this refund returned (its successful transactions).
    public var amount: Money { transactions.reduce(.zero) { $1.succeeded ? $0 + $1.amount : $0 } }

    /// Whether this refund only moved the payment to a recreated order.
    public var isTransfer: Bool { !transactions.isEmpty && transactions.allSatisfy { $0.transfer != nil } }
}

/// Units of a line item covered by a refund.
public struct RefundLineItem: Sendable, Hashable, Codable {
    public var lineItemId: Int64
    public var quantity: Int
    public var restockType: RestockType
    /// The units' price after their share of the discounts (tax inside when prices include it).
    public var subtotal: Money
    /// The units' share of the tax.
    public var totalTax: Money

    /// The member names in the store's JSON. Public and `CaseIterable` because the fast codec in
    /// OrderDeskStore is built from them: a key it does not handle is a compile error there.
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case quantity, subtotal
        case lineItemId = "line_item_id"
        case restockType = "restock_type"
        case totalTax = "total_tax"
    }

    public init(lineItemId: Int64, quantity: Int, restockType: RestockType, subtotal: Money, totalTax: Money) {
        self.lineItemId = lineItemId
        self.quantity = quantity
        self.restockType = restockType
        self.subtotal = subtotal
        self.totalTax = totalTax
    }
}

/// Who cancelled an order, OrderDesk's reason, and the staff note.
public struct CancellationRecord: Sendable, Hashable, Codable {
    public var agent: String
    /// The reason as the agent chose it; finer than Shopify's `cancel_reason` (`shipping` is
    /// `other` there).
    public var reason: CancelReason
    public var note: String?
    /// How the money was handled.
    public var refund: CancelRefund
    public var notified: Bool

    /// The member names in the store's JSON. Public and `CaseIterable` because the fast codec in
    /// OrderDeskStore is built from them: a key it does not handle is a compile error there.
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case agent, reason, note, refund, notified
    }

    public init(agent: String, reason: CancelReason, note: String?, refund: CancelRefund, notified: Bool) {
        self.agent = agent
        self.reason = reason
        self.note = note
        self.refund = refund
        self.notified = notified
    }
}

/// One entry of an order's timeline.
public struct TimelineEntry: Sendable, Hashable, Codable {
    public var at: Timestamp
    public var agent: String?
    /// The journal sequence number of the event, when it came from one.
    public var seq: Int?
    public var message: String

    /// The member names in the store's JSON. Public and `CaseIterable` because the fast codec in
    /// OrderDeskStore is built from them: a key it does not handle is a compile error there.
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case at, agent, seq, message
    }

    public init(at: Timestamp, agent: String?, seq: Int?, message: String) {
        self.at = at
        self.agent = agent
        self.seq = seq
        self.message = message
    }
}
