import OrderDeskCore

/// Turns the records of a version-1 store into version 2 (the rules are in the README's store
/// section and the DocC article *Store format 2*):
///
/// - an order gets the transactions its version-1 `financial_status` stands for (gateway
///   `unknown`: version 1 never recorded one): a sale of the total when paid or refunded, an
///   authorization when authorized, an authorization and its void when voided, nothing when
///   pending or partially paid (version 1 did not record how much: the order's timeline says so);
/// - a refund's transactions get ids, the order's currency and gateway (store credit stays
///   `store-credit`), the sale as parent and the refund's time; its lines get their restock type
///   and a subtotal and tax of 0 (version 1 did not record them); `order_adjustments` is empty;
/// - `subtotal_price` takes Shopify's meaning: an order OrderDesk made (demo, recreate) held it
///   before discounts, so it is reduced by them when that is what the total says; an order whose
///   total is subtotal + shipping although it has tax had prices with tax included;
/// - a line's `fulfillable_quantity` is what is left to fulfil (none once cancelled); no line is a
///   gift card; the cancel record gets the order's reason, and `cancel_reason` Shopify's value of
///   it (`shipping` → `other`); `refund_owed` goes (it is worked out now);
/// - a recreate that moved the payment becomes a refund on the original whose transactions name
///   the new order (`transfer`) and sales on the new order naming the original, of what the
///   original held then (in a folded snapshot: the new order's total);
/// - a cancel that voided gets `voids` releasing the open authorization.
///
/// Two ways to translate an event:
/// - ``forward(_:state:)`` while upgrading or checking a store: against the state just before
///   the event, with fresh ids (above every id in the store), the result applied right after;
/// - ``folded(_:in:)`` for the audit log kept from before an upgrade: against today's state,
///   reusing the records the upgrade made (refunds by id, the voids and moves of the order), so
///   that `log` shows the same ids and amounts as the orders.
struct V1Translator {
    /// The next id to give a new record.
    private(set) var nextID: Int64
    /// What the upgrade could not carry over, in plain words, for the agent.
    private(set) var notes: [String] = []

    init(nextID: Int64) {
        self.nextID = nextID
    }

    private mutating func newID() -> Int64 {
        defer { nextID += 1 }
        return nextID
    }

    // MARK: Orders

    /// The timeline note on an order whose payment version 1 did not record.
    static let partlyPaidNote =
        "Store upgraded to version 2: version 1 recorded this order as partially paid but not how much was paid, so no payment is recorded on it; record the payment with 'pay' once known"

    /// An order's own fields in version 2, with no transactions and no refunds yet.
    static func fields(_ v: V1.Order) -> Order {
        let decimals = Currency.exponent(of: v.currency)
        var subtotal = v.subtotalPrice
        var taxesIncluded = false
        if v.totalDiscounts.isPositive,
            v.subtotalPrice - v.totalDiscounts + v.totalShippingPrice + v.totalTax == v.totalPrice
        {
            // Made by OrderDesk: the subtotal was before discounts.
            subtotal = (v.subtotalPrice - v.totalDiscounts).rescaled(to: decimals)
        } else if v.totalTax.isPositive, v.subtotalPrice + v.totalShippingPrice == v.totalPrice {
            taxesIncluded = true
        }
        let lines = v.lineItems.map { line in
            var item = LineItem(
                id: line.id, sku: line.sku, title: line.title, variantTitle: line.variantTitle, quantity: line.quantity,
                price: line.price, fulfilledQuantity: line.fulfilledQuantity, restocked: line.restocked, giftCard: false)
            if v.cancelledAt != nil { item.fulfillableQuantity = 0 }
            return item
        }
        let record = v.cancellation.map {
            CancellationRecord(
                agent: $0.agent, reason: v.cancelReason ?? .other, note: $0.note, refund: $0.refund, notified: $0.notified)
        }
        var timeline = v.timeline
        if v.financialStatus == .partiallyPaid {
            timeline.append(TimelineEntry(at: v.createdAt, agent: nil, seq: nil, message: partlyPaidNote))
        }
        return Order(
            id: v.id, name: v.name, orderNumber: v.orderNumber, email: v.email, createdAt: v.createdAt, currency: v.currency,
            subtotalPrice: subtotal, totalShippingPrice: v.totalShippingPrice, totalTax: v.totalTax,
            totalDiscounts: v.totalDiscounts, totalPrice: v.totalPrice, taxesIncluded: taxesIncluded,
            financialStatus: v.financialStatus, fulfillmentStatus: v.fulfillmentStatus, cancelledAt: v.cancelledAt,
            cancelReason: v.cancelReason?.shopify, closedAt: v.closedAt, note: v.note, tags: v.tags, customer: v.customer,
            shippingAddress: v.shippingAddress, lineItems: lines, transactions: [], refunds: [], cancellation: record,
            recreatedFrom: v.recreatedFrom, recreatedAs: v.recreatedAs, timeline: timeline)
    }

    /// How many transactions ``payments(_:for:)`` gives an order of this payment state.
    static func paymentCount(_ status: FinancialStatus) -> Int {
        switch status {
        case .pending, .partiallyPaid: return 0
        case .authorized, .paid, .partiallyRefunded, .refunded: return 1
        case .voided: return 2
        }
    }

    /// The transactions a version-1 payment state stands for.
    private mutating func payments(_ status: FinancialStatus, for order: Order) -> [Transaction] {
        func make(_ kind: TransactionKind, parent: Int64? = nil, at: Timestamp) -> Transaction {
            Transaction(
                id: newID(), kind: kind, amount: order.totalPrice, currency: order.currency, gateway: Gateway.unknown,
                parentId: parent, createdAt: at)
        }
        switch status {
        case .pending: return []
        case .partiallyPaid:
            notes.append(
                "\(order.name) was partially paid, but version 1 did not record how much: no payment is recorded on it now (its timeline says so); record it with 'pay' once known"
            )
            return []
        case .authorized: return [make(.authorization, at: order.createdAt)]
        case .paid, .partiallyRefunded, .refunded: return [make(.sale, at: order.createdAt)]
        case .voided:
            let authorization = make(.authorization, at: order.createdAt)
            return [authorization, make(.void, parent: authorization.id, at: order.cancelledAt ?? order.createdAt)]
        }
    }

    /// The gateway that took an order's payment: version 1 never recorded it.
    static func gateway(of order: Order) -> String {
        order.transactions.first { $0.kind != .void && $0.kind != .refund }?.gateway ?? Gateway.unknown
    }

    /// The restock type of a version-1 refund line (Shopify's names; `legacy_restock` was a
    /// return to stock).
    static func restockType(_ text: String) -> RestockType {
        switch text.lowercased() {
        case "cancel": return .cancel
        case "return", "legacy_restock": return .return
        default: return .noRestock
        }
    }

    /// A version-1 refund with full transactions, on `order` as it is before the refund.
    private mutating func refund(_ r: V1.Refund, on order: Order) -> Refund {
        let gateway = Self.gateway(of: order)
        let sale = order.transactions.last { ($0.kind == .sale || $0.kind == .capture) && $0.succeeded && $0.gateway == gateway }
        let transactions = r.transactions.map { t in
            Transaction(
                id: newID(), kind: .refund, amount: t.amount.rescaled(to: order.decimals), currency: order.currency,
                gateway: t.isStoreCredit ? Gateway.storeCredit : gateway, parentId: t.isStoreCredit ? nil : sale?.id,
                createdAt: r.createdAt)
        }
        let zero = Money(units: 0, scale: order.decimals)
        let lines = r.refundLineItems.map {
            RefundLineItem(
                lineItemId: $0.lineItemId, quantity: $0.quantity, restockType: Self.restockType($0.restockType), subtotal: zero,
                totalTax: zero)
        }
        return Refund(id: r.id, createdAt: r.createdAt, note: r.note, transactions: transactions, refundLineItems: lines)
    }

    /// An order in full: payments by its version-1 state (unless given), then its refunds.
    private mutating func order(_ v: V1.Order, payments given: [Transaction]? = nil) -> Order {
        var o = Self.fields(v)
        o.transactions = given ?? payments(v.financialStatus, for: o)
        for r in v.refunds { o.refunds.append(refund(r, on: o)) }
        StoreState.settle(&o)
        return o
    }

    /// The money of `amount` moving from `original` to the order named `to` when it was recreated
    /// at `at`: the refund on the original, and the matching sales for the new order.
    private mutating func move(_ amount: Money, from original: Order, to: String, at: Timestamp) -> (Refund, [Transaction]) {
        let parts =
            original.ledger.allocation(of: amount, order: original)
            ?? [(Self.gateway(of: original), original.transactions.last { $0.kind == .sale || $0.kind == .capture }?.id, amount)]
        let refundID = newID()
        let out = parts.map {
            Transaction(
                id: newID(), kind: .refund, amount: $0.amount, currency: original.currency, gateway: $0.gateway,
                parentId: $0.parentId, createdAt: at, transfer: to)
        }
        let sales = out.map {
            Transaction(
                id: newID(), kind: .sale, amount: $0.amount, currency: original.currency, gateway: $0.gateway, createdAt: at,
                transfer: original.name)
        }
        return (Refund(id: refundID, createdAt: at, note: "Payment moved to \(to)", transactions: out), sales)
    }

    // MARK: A snapshot

    /// The state a version-1 snapshot holds, in version 2. Orders recreated with their payment
    /// moved (the new order paid) are told by `recreated_from` / `recreated_as`: the moved amount
    /// is the new order's total.
    mutating func state(_ v: V1.Snapshot) -> StoreState {
        var byName: [String: Int] = [:]
        for (i, o) in v.orders.enumerated() { byName[o.name] = i }
        // New orders that received their original's payment, and from whom.
        var movedIn: [Int: Int] = [:]
        for (i, o) in v.orders.enumerated() {
            guard let from = o.recreatedFrom, let j = byName[from], v.orders[j].recreatedAs == o.name,
                [.paid, .partiallyRefunded, .refunded].contains(o.financialStatus)
            else { continue }
            movedIn[i] = j
        }
        // Payments first (the moves take from them), then the moves, then the refunds.
        var orders = v.orders.map(Self.fields)
        for i in orders.indices where movedIn[i] == nil {
            orders[i].transactions = payments(v.orders[i].financialStatus, for: orders[i])
        }
        var moves: [Int: [Refund]] = [:]
        for (i, j) in movedIn.sorted(by: { $0.key < $1.key }) {
            let (moved, sales) = move(v.orders[i].totalPrice, from: orders[j], to: orders[i].name, at: orders[i].createdAt)
            moves[j, default: []].append(moved)
            orders[i].transactions = sales
        }
        for i in orders.indices {
            for r in v.orders[i].refunds { orders[i].refunds.append(refund(r, on: orders[i])) }
            // Version 1 moved a payment only when nothing had been refunded: the move comes first.
            orders[i].refunds.insert(contentsOf: moves[i] ?? [], at: 0)
            StoreState.settle(&orders[i])
        }
        return StoreState(
            seq: v.seq, orders: orders, inventory: v.inventory, feedback: v.feedback, settings: v.settings, outbox: v.outbox)
    }

    // MARK: Events

    /// A version-1 event in version 2, against the state just before it (see the type's notes).
    /// An event naming an order the state lacks is translated all the same: applying it refuses it.
    mutating func forward(_ e: V1.Event, state: StoreState) -> Event {
        Event(seq: e.seq, at: e.at, agent: e.agent, change: forward(e.change, at: e.at, state: state), batch: e.batch)
    }

    private mutating func forward(_ change: V1.Change, at: Timestamp, state: StoreState) -> Change {
        func lookup(_ name: String) -> Order {
            state.order(named: name) ?? Self.placeholder(name)
        }
        switch change {
        case .same(let change): return change
        case .cancelled(let c):
            let o = lookup(c.order)
            let voids =
                c.refundMode == .void
                ? o.ledger.openAuthorizations.map { auth in
                    Transaction(
                        id: newID(), kind: .void, amount: auth.amount, currency: o.currency,
                        gateway: o.transactions.first { $0.id == auth.id }?.gateway ?? Gateway.unknown, parentId: auth.id,
                        createdAt: at)
                } : []
            return .orderCancelled(
                Cancellation(
                    order: c.order, reason: c.reason, note: c.note, refundMode: c.refundMode, refund: c.refund.map { refund($0, on: o) },
                    voids: voids, restocked: c.restocked, notice: c.notice, offer: c.offer))
        case .refunded(let r):
            return .orderRefunded(RefundChange(order: r.order, refund: refund(r.refund, on: lookup(r.order))))
        case .recreated(let r):
            let original = lookup(r.original)
            let held = original.refundable
            var moved: Refund?
            var new: Order
            if r.paymentMoved, held.isPositive {
                let (refund, sales) = move(held, from: original, to: r.order.name, at: at)
                moved = refund
                new = order(r.order, payments: sales)
            } else {
                new = order(r.order)
            }
            StoreState.settle(&new)
            return .orderRecreated(Recreation(original: r.original, order: new, taken: r.taken, moved: moved, notice: r.notice))
        case .imported(let i):
            return .ordersImported(ImportChange(source: i.source, orders: i.orders.map { order($0) }, inventory: i.inventory))
        }
    }

    /// Stands in for an order an event names but the state lacks (the event is then refused).
    private static func placeholder(_ name: String) -> Order {
        var o = Order(
            id: 0, orderNumber: 0, email: "", createdAt: Timestamp(seconds: 0), currency: "",
            customer: Customer(id: 0, email: "", firstName: "", lastName: ""), lineItems: [])
        o.name = name
        return o
    }

    /// A version-1 event of the audit log kept from before an upgrade, in version 2, against
    /// today's state: the refunds, voids, moves and payments the upgrade made are found on the
    /// orders and reused; what cannot be found is translated afresh (with ids that are not
    /// stored anywhere).
    static func folded(_ e: V1.Event, in state: StoreState) -> Event {
        var fresh = V1Translator(nextID: state.largestID + 1)
        func refund(_ r: V1.Refund, _ name: String) -> Refund {
            if let found = state.order(named: name)?.refunds.first(where: { $0.id == r.id }) { return found }
            return fresh.refund(r, on: state.order(named: name) ?? placeholder(name))
        }
        func order(_ v: V1.Order, payments: [Transaction]?) -> Order {
            var o = fields(v)
            o.transactions = payments ?? fresh.payments(v.financialStatus, for: o)
            for r in v.refunds { o.refunds.append(refund(r, v.name)) }
            StoreState.settle(&o)
            return o
        }
        /// The payments an order got when it was made, as today's state holds them.
        func opening(_ v: V1.Order) -> [Transaction]? {
            guard let today = state.order(named: v.name) else { return nil }
            let count = paymentCount(v.financialStatus)
            return today.transactions.count >= count ? Array(today.transactions.prefix(count)) : nil
        }
        let change: Change
        switch e.change {
        case .same(let same): change = same
        case .cancelled(let c):
            let voids = c.refundMode == .void ? (state.order(named: c.order)?.transactions.filter { $0.kind == .void } ?? []) : []
            change = .orderCancelled(
                Cancellation(
                    order: c.order, reason: c.reason, note: c.note, refundMode: c.refundMode,
                    refund: c.refund.map { refund($0, c.order) }, voids: voids, restocked: c.restocked, notice: c.notice,
                    offer: c.offer))
        case .refunded(let r):
            change = .orderRefunded(RefundChange(order: r.order, refund: refund(r.refund, r.order)))
        case .recreated(let r):
            let moved = state.order(named: r.original)?.refunds.first { refund in
                refund.isTransfer && refund.transactions.allSatisfy { $0.transfer == r.order.name }
            }
            let sales = state.order(named: r.order.name)?.transactions.filter { $0.kind == .sale && $0.transfer == r.original } ?? []
            var new = order(r.order, payments: r.paymentMoved && !sales.isEmpty ? sales : opening(r.order))
            StoreState.settle(&new)
            change = .orderRecreated(Recreation(original: r.original, order: new, taken: r.taken, moved: moved, notice: r.notice))
        case .imported(let i):
            change = .ordersImported(
                ImportChange(source: i.source, orders: i.orders.map { order($0, payments: opening($0)) }, inventory: i.inventory))
        }
        return Event(seq: e.seq, at: e.at, agent: e.agent, change: change, batch: e.batch)
    }
}
