extension Order {
    /// An order exactly as stored, every field given: nothing is computed (the store's fast reader
    /// uses it; ``init(id:orderNumber:email:createdAt:currency:customer:lineItems:shipping:tax:discounts:financialStatus:fulfillmentStatus:tags:note:shippingAddress:)``
    /// computes the totals of a new order instead).
    @inlinable
    public init(
        id: Int64, name: String, orderNumber: Int, email: String, createdAt: Timestamp, currency: String,
        subtotalPrice: Money, totalShippingPrice: Money, totalTax: Money, totalDiscounts: Money, totalPrice: Money,
        taxesIncluded: Bool, financialStatus: FinancialStatus, fulfillmentStatus: FulfillmentStatus?, cancelledAt: Timestamp?,
        cancelReason: CancelReason?, closedAt: Timestamp?, note: String?, tags: String, customer: Customer,
        shippingAddress: Address?, lineItems: [LineItem], transactions: [Transaction], refunds: [Refund],
        cancellation: CancellationRecord?, recreatedFrom: String?, recreatedAs: String?, timeline: [TimelineEntry],
        customerLocale: String? = nil
    ) {
        self.id = id
        self.name = name
        self.orderNumber = orderNumber
        self.email = email
        self.createdAt = createdAt
        self.currency = currency
        self.subtotalPrice = subtotalPrice
        self.totalShippingPrice = totalShippingPrice
        self.totalTax = totalTax
        self.totalDiscounts = totalDiscounts
        self.totalPrice = totalPrice
        self.taxesIncluded = taxesIncluded
        self.financialStatus = financialStatus
        self.fulfillmentStatus = fulfillmentStatus
        self.cancelledAt = cancelledAt
        self.cancelReason = cancelReason
        self.closedAt = closedAt
        self.note = note
        self.tags = tags
        self.customer = customer
        self.shippingAddress = shippingAddress
        self.lineItems = lineItems
        self.transactions = transactions
        self.refunds = refunds
        self.cancellation = cancellation
        self.recreatedFrom = recreatedFrom
        self.recreatedAs = recreatedAs
        self.timeline = timeline
        self.customerLocale = customerLocale
    }
}
