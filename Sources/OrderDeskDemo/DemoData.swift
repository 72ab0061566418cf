import OrderDeskCore

/// A realistic, reproducible demo store for trying OrderDesk without a real shop.
public enum DemoData {
    /// A store of `count` orders, #1001 onwards, placed over the 90 days before `now`.
    ///
    /// The same `count`, `seed` and `now` always give the same state. Orders come from
    /// returning customers in many countries, in EUR, SEK and GBP with the VAT inside the prices
    /// (`taxes_included`) and in USD and JPY with tax on top. Their money is a ledger of
    /// Shopify-shaped transactions: paid (a few partly with a gift card), authorized, pending,
    /// partly paid (a deposit; most older deposits had their balance paid later), partly or fully
    /// refunded; refunds of returned units carry each line's share of the discounts and tax, and
    /// money goes back to a gift card before the card. Orders are unfulfilled to fulfilled, some
    /// partly, with each line's `fulfillable_quantity`; a few are already cancelled (voided,
    /// refunded now, as store credit, or still owing a refund), most restocked, never their gift
    /// cards (a printed gift card is in the catalogue, but not in stock). Every order passes
    /// `LedgerAudit`, and timelines and notices are worded by the rules' own functions. Every
    /// stocked SKU has a stock level, a few customers left feedback, and notified cancellations
    /// have their notice in the outbox. Linear in `count`: a million orders take seconds.
    public static func makeState(orders count: Int = 200, seed: UInt64 = 1, now: Timestamp) -> StoreState {
        var builder = DemoBuilder(seed: seed, now: now, orderCount: max(0, count))
        return builder.makeState()
    }
}

/// Where each kind of id starts. The ranges are 10^12 apart or more, so they never collide.
enum DemoIDs {
    /// Plus the order number.
    static let order: Int64 = 5_000_000_000_000
    /// Plus the customer's index in the pool.
    static let customer: Int64 = 6_200_000_000_000
    /// Plus a running count of refunds.
    static let refund: Int64 = 9_100_000_000_000
    /// Plus a running count of feedback, in time order.
    static let feedback: Int64 = 10_300_000_000_000
    /// Plus a running count of notices, in time order.
    static let notice: Int64 = 11_400_000_000_000
    /// Plus a running count of payment and refund transactions.
    static let transaction: Int64 = 12_700_000_000_000
    /// Plus a running count of line items; the highest range, so the store's next id lands above all.
    static let lineItem: Int64 = 14_000_000_000_000
}

/// Builds a demo store, order by order, from one seeded random stream.
struct DemoBuilder {
    /// The main random stream.
    var rng: SeededGenerator
    let seed: UInt64
    /// No event happens after this moment.
    let now: Timestamp
    let orderCount: Int
    var customers: CustomerPool
    /// Each product's price in each currency, `prices[currency][product]`.
    let prices: [[Money]]
    /// The gift-card balances customers pay with, in each currency (`DemoCatalog.giftCardBalances`).
    let giftCardBalances: [[Money]]
    /// Which orders are cancelled: exactly 13 in every 200.
    var cancelDeck = Deck(DemoBuilder.cancelCards)
    /// Why orders were cancelled, in fixed proportions.
    var reasonDeck = Deck(DemoCatalog.reasonCards)
    /// How paid cancels handled the money, in fixed proportions.
    var cancelMoneyDeck = Deck(CancelMoney.cards)
    var lineItemCount: Int64 = 0
    var refundCount: Int64 = 0
    /// The next transaction id.
    var transactionID: Int64 = DemoIDs.transaction + 1
    var feedback: [Feedback] = []
    var outbox: [Notice] = []

    /// The span orders are placed over, ending five minutes before `now`.
    static let window: Int64 = 90 * 86_400 - 300

    init(seed: UInt64, now: Timestamp, orderCount: Int) {
        rng = SeededGenerator(seed: seed)
        self.seed = seed
        self.now = now
        self.orderCount = orderCount
        customers = CustomerPool(seed: seed, orderCount: orderCount)
        prices = DemoCatalog.currencies.map { currency in
            DemoCatalog.products.map {
                let units =
                    $0.giftCard ? currency.faceValue(fromEuroCents: $0.euroCents) : currency.minorUnits(fromEuroCents: $0.euroCents)
                return Money(units: units, scale: currency.exponent)
            }
        }
        giftCardBalances = DemoCatalog.currencies.map { currency in
            DemoCatalog.giftCardBalances.map { Money(units: currency.faceValue(fromEuroCents: $0), scale: currency.exponent) }
        }
    }

    /// The whole store.
    mutating func makeState() -> StoreState {
        var orders: [Order] = []
        orders.reserveCapacity(orderCount)
        let start = now.seconds - 90 * 86_400
        for index in 0..<orderCount {
            let slot = start + DemoBuilder.window * Int64(index) / Int64(orderCount)
            let nextSlot = start + DemoBuilder.window * Int64(index + 1) / Int64(orderCount)
            let createdAt = Timestamp(seconds: slot + rng.below(max(1, nextSlot - slot)))
            orders.append(makeOrder(number: 1001 + index, createdAt: createdAt))
        }
        return StoreState(
            seq: 0, orders: orders, inventory: makeInventory(), feedback: numberedFeedback(),
            settings: Settings(), outbox: numberedOutbox())
    }

    /// One order as placed, then lived through to `now`.
    mutating func makeOrder(number: Int, createdAt: Timestamp) -> Order {
        let (buyer, isNew) = customers.next(using: &rng)
        let currency = DemoCatalog.currencies[buyer.currency]
        let lines = makeLines(currency: buyer.currency, wholesale: buyer.isWholesale)
        let subtotal = lines.reduce(Int64(0)) { $0 + $1.price.units * Int64($1.quantity) }

        var discount: Int64 = 0
        if rng.chance(isNew ? 25 : 4) { discount = subtotal / 10 }
        var shipping: Int64 = 0
        if subtotal - discount < currency.freeShippingFrom || buyer.isWholesale {
            shipping = rng.chance(12) ? currency.expressShipping : currency.standardShipping
        }
        // VAT is inside the prices (and shipping) where the currency has it so: the tax is the
        // part of the amount that is VAT, taxable × rate / (1 + rate); elsewhere it is added on top.
        let taxable = subtotal - discount + shipping
        let rate = Int64(buyer.taxBasisPoints)
        let tax =
            currency.taxesIncluded
            ? (taxable * rate * 2 + 10_000 + rate) / (2 * (10_000 + rate))
            : (taxable * rate + 5_000) / 10_000
        let gift = rng.chance(4)
        var note: String?
        if rng.chance(6) {
            note = !buyer.localNotes.isEmpty && rng.chance(40) ? rng.pick(buyer.localNotes) : rng.pick(DemoCatalog.customerNotes)
        }

        let decimals = currency.exponent
        func money(_ units: Int64) -> Money { Money(units: units, scale: decimals) }
        var order = Order(
            id: DemoIDs.order + Int64(number), orderNumber: number, email: buyer.customer.email,
            createdAt: createdAt, currency: currency.code, customer: buyer.customer, lineItems: lines,
            shipping: money(shipping), tax: money(tax), discounts: money(discount), taxesIncluded: currency.taxesIncluded,
            tags: DemoBuilder.tags(vip: buyer.isVIP, wholesale: buyer.isWholesale, gift: gift, firstOrder: isNew),
            note: note, shippingAddress: buyer.address)
        order.timeline = [TimelineEntry(at: createdAt, agent: nil, seq: nil, message: "Order placed")]
        live(&order, currency: buyer.currency)
        return order
    }

    /// One to five lines of distinct products, mostly one unit each; wholesale buyers take more,
    /// and no gift cards.
    mutating func makeLines(currency: Int, wholesale: Bool) -> [LineItem] {
        let count = 1 + rng.pick(DemoBuilder.lineCountWeights)
        var chosen: UInt64 = 0  // one bit per product: the catalogue has fewer than 64
        var lines: [LineItem] = []
        lines.reserveCapacity(count)
        while lines.count < count {
            let product = rng.pick(DemoCatalog.productWeights)
            if chosen & (1 << product) != 0 { continue }
            chosen |= 1 << product
            let item = DemoCatalog.products[product]
            if item.giftCard && wholesale { continue }
            let quantity = wholesale ? rng.int(in: 4...12) : 1 + rng.pick(DemoBuilder.quantityWeights)
            lineItemCount += 1
            lines.append(
                LineItem(
                    id: DemoIDs.lineItem + lineItemCount, sku: item.sku, title: item.title,
                    variantTitle: item.variant, quantity: quantity, price: prices[currency][product], giftCard: item.giftCard))
        }
        return lines
    }

    /// How many orders have 1, 2, 3, 4 or 5 lines.
    static let lineCountWeights = WeightTable([45, 28, 15, 8, 4])
    /// How many lines have a quantity of 1, 2 or 3.
    static let quantityWeights = WeightTable([78, 16, 6])

    /// Tags for every combination of vip, wholesale, gift and first-order (bit 0 to 3),
    /// written once so that a million orders share them.
    static let tagCombinations: [String] = (0..<16).map { mask in
        ["vip", "wholesale", "gift", "first-order"].enumerated()
            .filter { mask & (1 << $0.offset) != 0 }.map(\.element).joined(separator: ", ")
    }

    /// The tags of an order, as Shopify writes them (`vip, first-order`).
    static func tags(vip: Bool, wholesale: Bool, gift: Bool, firstOrder: Bool) -> String {
        let mask = (vip ? 1 : 0) | (wholesale ? 2 : 0) | (gift ? 4 : 0) | (firstOrder ? 8 : 0)
        return tagCombinations[mask]
    }

    /// A stock level for every stocked SKU (gift cards are not), from its own stream so it does
    /// not depend on the order count: mostly 4–120, three nearly sold out (1–3) and two sold out.
    func makeInventory() -> [String: Int] {
        var stream = SeededGenerator(seed: seed, stream: 0x1_0000_0000)
        let products = DemoCatalog.stockedProducts
        var levels = products.map { _ in stream.int(in: 4...120) }
        var special: [Int] = []
        while special.count < 5 {
            let index = stream.below(products.count)
            if !special.contains(index) { special.append(index) }
        }
        for (rank, index) in special.enumerated() { levels[index] = rank < 2 ? 0 : stream.int(in: 1...3) }
        var inventory: [String: Int] = [:]
        for (product, level) in zip(products, levels) { inventory[product.sku] = level }
        return inventory
    }

    /// The feedback in time order, numbered in that order.
    func numberedFeedback() -> [Feedback] {
        var sorted = feedback.enumerated().sorted { ($0.element.at, $0.offset) < ($1.element.at, $1.offset) }
            .map(\.element)
        for index in sorted.indices { sorted[index].id = DemoIDs.feedback + Int64(index + 1) }
        return sorted
    }

    /// The outbox in time order, numbered in that order.
    func numberedOutbox() -> [Notice] {
        var sorted = outbox.enumerated().sorted { ($0.element.at, $0.offset) < ($1.element.at, $1.offset) }
            .map(\.element)
        for index in sorted.indices { sorted[index].id = DemoIDs.notice + Int64(index + 1) }
        return sorted
    }
}
