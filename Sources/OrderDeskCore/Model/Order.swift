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
    public var refunds: [Refund]

    // OrderDesk's own fields.
    /// Who cancelled the order, and the staff note given then.
    public var cancellation: CancellationRecord?
    /// Money still owed back to the customer.
    public var refundOwed: Money
    public var recreatedFrom: String?
    public var recreatedAs: String?
    public var timeline: [TimelineEntry]

    /// The member names in the store's JSON. Public and `CaseIterable` because the fast codec in
    /// OrderDeskStore is built from them: a key it does not handle is a compile error there.
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case id, name, email, currency, note, tags, customer, refunds, timeline, cancellation
        case orderNumber = "order_number"
        case createdAt = "created_at"
        case subtotalPrice = "subtotal_price"
        case totalShippingPrice = "total_shipping_price"
        case totalTax = "total_tax"
        case totalDiscounts = "total_discounts"
        case totalPrice = "total_price"
        case financialStatus = "financial_status"
        case fulfillmentStatus = "fulfillment_status"
        case cancelledAt = "cancelled_at"
        case cancelReason = "cancel_reason"
        case closedAt = "closed_at"
        case shippingAddress = "shipping_address"
        case lineItems = "line_items"
        case refundOwed = "refund_owed"
        case recreatedFrom = "recreated_from"
        case recreatedAs = "recreated_as"
    }

    public init(
        id: Int64, orderNumber: Int, email: String, createdAt: Timestamp, currency: String,
        customer: Customer, lineItems: [LineItem], shipping: Money = .zero, tax: Money = .zero,
        discounts: Money = .zero, financialStatus: FinancialStatus = .paid,
        fulfillmentStatus: FulfillmentStatus? = nil, tags: String = "", note: String? = nil,
        shippingAddress: Address? = nil
    ) {
        self.id = id
        self.name = "#\(orderNumber)"
        self.orderNumber = orderNumber
        self.email = email
        self.createdAt = createdAt
        self.currency = currency
        let subtotal = lineItems.reduce(Money.zero) { $0 + $1.price * $1.quantity }
        self.subtotalPrice = subtotal.rescaled(to: Currency.exponent(of: currency))
        self.totalShippingPrice = shipping.rescaled(to: Currency.exponent(of: currency))
        self.totalTax = tax.rescaled(to: Currency.exponent(of: currency))
        self.totalDiscounts = discounts.rescaled(to: Currency.exponent(of: currency))
        self.totalPrice = (subtotal + shipping + tax - discounts).rescaled(to: Currency.exponent(of: currency))
        self.financialStatus = financialStatus
        self.fulfillmentStatus = fulfillmentStatus
        self.tags = tags
        self.note = note
        self.customer = customer
        self.shippingAddress = shippingAddress
        self.lineItems = lineItems
        self.refunds = []
        self.refundOwed = .zero
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
    /// Units of this line already put back in stock (OrderDesk's own field).
    public var restocked: Int

    /// The member names in the store's JSON. Public and `CaseIterable` because the fast codec in
    /// OrderDeskStore is built from them: a key it does not handle is a compile error there.
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case id, sku, title, quantity, price, restocked
        case variantTitle = "variant_title"
        case fulfilledQuantity = "fulfilled_quantity"
    }

    public init(
        id: Int64, sku: String, title: String, variantTitle: String? = nil, quantity: Int,
        price: Money, fulfilledQuantity: Int = 0, restocked: Int = 0
    ) {
        self.id = id
        self.sku = sku
        self.title = title
        self.variantTitle = variantTitle
        self.quantity = quantity
        self.price = price
        self.fulfilledQuantity = fulfilledQuantity
        self.restocked = restocked
    }

    /// Units that could still go back to stock.
    public var restockable: Int { max(0, quantity - restocked) }
}

/// A refund: money returned, to the original payment method or as store credit.
public struct Refund: Sendable, Hashable, Codable {
    public var id: Int64
    public var createdAt: Timestamp
    public var note: String?
    public var transactions: [RefundTransaction]
    public var refundLineItems: [RefundLineItem]

    /// The member names in the store's JSON. Public and `CaseIterable` because the fast codec in
    /// OrderDeskStore is built from them: a key it does not handle is a compile error there.
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case id, note, transactions
        case createdAt = "created_at"
        case refundLineItems = "refund_line_items"
    }

    public init(
        id: Int64, createdAt: Timestamp, note: String?, transactions: [RefundTransaction],
        refundLineItems: [RefundLineItem] = []
    ) {
        self.id = id
        self.createdAt = createdAt
        self.note = note
        self.transactions = transactions
        self.refundLineItems = refundLineItems
    }

    /// The money this refund returned.
    public var amount: Money { transactions.reduce(.zero) { $0 + $1.amount } }
}

/// A money movement of a refund.
public struct RefundTransaction: Sendable, Hashable, Codable {
    public var amount: Money
    /// `refund`, as Shopify writes it.
    public var kind: String
    /// `original` or `store-credit`.
    public var gateway: String

    /// The member names in the store's JSON. Public and `CaseIterable` because the fast codec in
    /// OrderDeskStore is built from them: a key it does not handle is a compile error there.
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case amount, kind, gateway
    }

    public init(amount: Money, method: RefundMethod) {
        self.amount = amount
        self.kind = "refund"
        self.gateway = method.gateway
    }

    /// Where the money went.
    public var method: RefundMethod { gateway == RefundMethod.storeCredit.gateway ? .storeCredit : .original }
}

/// Units of a line item covered by a refund.
public struct RefundLineItem: Sendable, Hashable, Codable {
    public var lineItemId: Int64
    public var quantity: Int
    /// `cancel`, `return` or `no_restock`.
    public var restockType: String

    /// The member names in the store's JSON. Public and `CaseIterable` because the fast codec in
    /// OrderDeskStore is built from them: a key it does not handle is a compile error there.
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case quantity
        case lineItemId = "line_item_id"
        case restockType = "restock_type"
    }

    public init(lineItemId: Int64, quantity: Int, restockType: String) {
        self.lineItemId = lineItemId
        self.quantity = quantity
        self.restockType = restockType
    }
}

/// Who cancelled an order, and the staff note.
public struct CancellationRecord: Sendable, Hashable, Codable {
    public var agent: String
    public var note: String?
    /// How the money was handled.
    public var refund: CancelRefund
    public var notified: Bool

    /// The member names in the store's JSON. Public and `CaseIterable` because the fast codec in
    /// OrderDeskStore is built from them: a key it does not handle is a compile error there.
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case agent, note, refund, notified
    }

    public init(agent: String, note: String?, refund: CancelRefund, notified: Bool) {
        self.agent = agent
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
