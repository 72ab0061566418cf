import OrderDeskCore

/// The store every lesson starts from, and its clock: eight orders, #1001–#1008, covering every
/// state an agent meets (paid, authorized, pending, fulfilled, partly fulfilled, partly refunded,
/// cancelled with a refund owed), six SKUs and one feedback. It never changes, so lessons, their
/// answers and their tests stay true; tests and golden transcripts use it as their sample store too.
///
/// Practice runs on the training store's own clock: "now" is 2026-11-20 12:00 UTC when the lesson
/// starts, and each command the learner runs moves it on a minute. A lesson's setup happens earlier
/// that morning, a minute per line from 09:00. Nothing depends on the wall clock, so `report`'s
/// "last 30 days" always covers the same orders.
public enum TrainingStore {
    /// When a lesson starts: 2026-11-20 12:00 UTC.
    public static let now = Timestamp(iso8601: "2026-11-20T12:00:00Z")!

    /// When a lesson's setup begins: three hours before ``now``.
    public static let setupStart = now.adding(seconds: -3 * 3600)

    /// Seconds east of UTC that practice shows times and counts days in.
    public static let utcOffset = 0

    /// The store's state, at sequence 0; the same every time.
    public static func make() -> StoreState {
        func t(_ text: String) -> Timestamp { Timestamp(iso8601: text)! }
        func m(_ text: String) -> Money { Money(text)! }
        func customer(_ id: Int64, _ first: String, _ last: String, _ email: String) -> Customer {
            Customer(id: id, email: email, firstName: first, lastName: last)
        }
        var nextID: Int64 = 8001
        func placed(_ o: inout Order, _ status: FinancialStatus = .paid) {
            o.openLedger(status, nextID: &nextID)
            o.timeline = [TimelineEntry(at: o.createdAt, agent: nil, seq: nil, message: "Order placed")]
        }
        let address = Address(name: "Jöns Ärlig", address1: "Storgatan 1", city: "Stockholm", zip: "111 22", country: "SE")
        var orders: [Order] = []

        var o1 = Order(
            id: 9001, orderNumber: 1001, email: "jons.arlig@example.com", createdAt: t("2026-10-20T08:15:00Z"), currency: "EUR",
            customer: customer(501, "Jöns", "Ärlig", "jons.arlig@example.com"),
            lineItems: [
                LineItem(id: 101, sku: "TEE-BLK-M", title: "Organic Tee", variantTitle: "Black / M", quantity: 2, price: m("25.00")),
                LineItem(id: 102, sku: "MUG-WHT", title: "Enamel Mug", variantTitle: "White", quantity: 1, price: m("12.50")),
            ], shipping: m("4.90"), tags: "vip", note: "Please leave at the door", shippingAddress: address)
        placed(&o1)
        orders.append(o1)

        var o2 = Order(
            id: 9002, orderNumber: 1002, email: "zoe.dubois@example.org", createdAt: t("2026-11-01T09:00:00Z"), currency: "EUR",
            customer: customer(502, "Zoë", "Dubois", "zoe.dubois@example.org"),
            lineItems: [LineItem(id: 103, sku: "HOOD-GRY-L", title: "Hoodie", variantTitle: "Grey / L", quantity: 1, price: m("59.00"))],
        )
        placed(&o2, .authorized)
        orders.append(o2)

        var o3 = Order(
            id: 9003, orderNumber: 1003, email: "sam.lee@example.net", createdAt: t("2026-11-03T14:30:00Z"), currency: "USD",
            customer: customer(503, "Sam", "Lee", "sam.lee@example.net"),
            lineItems: [LineItem(id: 104, sku: "POSTER-A2", title: "Poster A2", quantity: 1, price: m("18.00"), fulfilledQuantity: 1)],
            shipping: m("5.00"), fulfillmentStatus: .fulfilled)
        placed(&o3)
        o3.timeline.append(TimelineEntry(at: t("2026-11-04T10:00:00Z"), agent: nil, seq: nil, message: "Fulfilled"))
        orders.append(o3)

        var o4 = Order(
            id: 9004, orderNumber: 1004, email: "sakura.watanabe@example.com", createdAt: t("2026-11-05T02:00:00Z"), currency: "JPY",
            customer: customer(504, "さくら", "渡辺", "sakura.watanabe@example.com"),
            lineItems: [LineItem(id: 105, sku: "MUG-WHT", title: "Enamel Mug", variantTitle: "White", quantity: 2, price: m("1800"))],
        )
        placed(&o4, .pending)
        orders.append(o4)

        var o5 = Order(
            id: 9005, orderNumber: 1005, email: "soren.hojgaard@example.com", createdAt: t("2026-11-10T16:45:00Z"), currency: "EUR",
            customer: customer(505, "Søren", "Højgaard", "soren.hojgaard@example.com"),
            lineItems: [
                LineItem(id: 106, sku: "SOCK-3PK", title: "Wool Socks 3-pack", quantity: 3, price: m("9.00")),
                LineItem(id: 107, sku: "TEE-BLK-M", title: "Organic Tee", variantTitle: "Black / M", quantity: 1, price: m("25.00")),
            ])
        placed(&o5)
        o5.refunds = [
            Refund(
                id: 201, createdAt: t("2026-11-11T09:00:00Z"), note: "Goodwill: late dispatch",
                transactions: [
                    Transaction(
                        id: 202, kind: .refund, amount: m("10.00"), currency: "EUR", gateway: "shopify_payments",
                        parentId: o5.transactions.first?.id, createdAt: t("2026-11-11T09:00:00Z"))
                ])
        ]
        StoreState.settle(&o5)
        orders.append(o5)

        var o6 = Order(
            id: 9006, orderNumber: 1006, email: "ayse.yilmaz@example.com", createdAt: t("2026-11-12T11:20:00Z"), currency: "EUR",
            customer: customer(506, "Ayşe", "Yılmaz", "ayse.yilmaz@example.com"),
            lineItems: [
                LineItem(
                    id: 108, sku: "TEE-BLK-M", title: "Organic Tee", variantTitle: "Black / M", quantity: 1, price: m("25.00"),
                    fulfilledQuantity: 1),
                LineItem(id: 109, sku: "MUG-WHT", title: "Enamel Mug", variantTitle: "White", quantity: 1, price: m("12.50")),
            ], fulfillmentStatus: .partial)
        placed(&o6)
        orders.append(o6)

        var o7 = Order(
            id: 9007, orderNumber: 1007, email: "chen.wei@example.com", createdAt: t("2026-11-14T13:00:00Z"), currency: "GBP",
            customer: customer(507, "Wei", "Chen", "chen.wei@example.com"),
            lineItems: [LineItem(id: 110, sku: "NOTE-A5", title: "Notebook A5", quantity: 2, price: m("15.00"), restocked: 2)])
        placed(&o7)
        o7.cancelledAt = t("2026-11-15T10:00:00Z")
        o7.cancelReason = .customer
        o7.cancellation = CancellationRecord(
            agent: "alice", reason: .customer, note: "Ordered twice by mistake", refund: .later, notified: true)
        StoreState.settle(&o7)
        o7.timeline.append(
            TimelineEntry(
                at: t("2026-11-15T10:00:00Z"), agent: "alice", seq: nil,
                message:
                    "Cancelled (customer: Customer changed/canceled order); refund of 30.00 GBP owed; 2 units restocked; customer notified")
        )
        orders.append(o7)

        var o8 = Order(
            id: 9008, orderNumber: 1008, email: "mallory@example.com", createdAt: t("2026-11-18T19:05:00Z"), currency: "EUR",
            customer: customer(508, "Mallory\u{1B}[2J\u{1B}]0;pwned\u{07}", "Evil\u{1B}[31m", "mallory@example.com"),
            lineItems: [LineItem(id: 111, sku: "SOCK-3PK", title: "Wool Socks 3-pack", quantity: 1, price: m("9.00"))],
            note: "Ring twice\u{1B}[5m please\r\nthanks")
        placed(&o8)
        orders.append(o8)

        let inventory = ["TEE-BLK-M": 12, "MUG-WHT": 3, "HOOD-GRY-L": 0, "POSTER-A2": 7, "SOCK-3PK": 20, "NOTE-A5": 5]
        let feedback = [
            Feedback(
                id: 301, order: "#1003", email: "sam.lee@example.net", rating: 5, text: "Fast delivery!", agent: "bob",
                at: t("2026-11-06T09:00:00Z"))
        ]
        return StoreState(seq: 0, orders: orders, inventory: inventory, feedback: feedback, settings: Settings(), outbox: [])
    }
}
