/// The whole state of a store at one journal sequence number.
public struct StoreState: Sendable {
    /// The sequence number of the last event applied.
    public private(set) var seq: Int
    /// Every order, in the order they were placed (oldest first).
    public private(set) var orders: [Order]
    /// Units available per SKU.
    public private(set) var inventory: [String: Int]
    public private(set) var feedback: [Feedback]
    public private(set) var settings: Settings
    public private(set) var outbox: [Notice]
    /// Position of each order in `orders`, by name.
    private var positions: [String: Int]
    /// The largest id used by any record, so that new ids never collide.
    public private(set) var largestID: Int64
    /// The order an agent means by `text`, the one way every command finds its order:
    ///
    /// 1. the name exactly as written (`Her2065`, `#1001`);
    /// 2. the name ignoring case of letters (`her2065`);
    /// 3. for a number (`2065` or `#2065`), the order named `#2065`, else the one order whose
    ///    `order_number` it is. Two orders sharing it (`Her2065` and its recreation `Her2065-R1`)
    ///    are `.ambiguousOrder`, with their names.
    public func resolveOrder(_ text: String) throws(OrderDeskError) -> Order {
        if let order = order(named: text) { return order }
        let folded = orders.filter { $0.name.caseInsensitiveEquals(text) }
        if folded.count == 1 { return folded[0] }
        if folded.count > 1 { throw .ambiguousOrder(text, names: folded.map(\.name)) }
        guard let number = OrderName.number(text) else { throw .unknownOrder(text) }
        if let order = order(named: "#\(number)") { return order }
        let numbered = orders.filter { $0.orderNumber == number }
        guard let first = numbered.first else { throw .unknownOrder(text) }
        guard numbered.count == 1 else { throw .ambiguousOrder(text, names: numbered.map(\.name)) }
        return first
    }

    /// Where the order with this name is in ``orders``, if there is one.
    public func position(of name: String) -> Int? { positions[name] }

    /// The text `find` searches, made on first use; replaced by an empty one when orders change.
    private var findCache = FindIndexCache()

    public init(
        seq: Int = 0, orders: [Order] = [], inventory: [String: Int] = [:], feedback: [Feedback] = [],
        settings: Settings = Settings(), outbox: [Notice] = []
    ) {
        self.seq = seq
        self.orders = orders
        self.inventory = inventory
        self.feedback = feedback
        self.settings = settings
        self.outbox = outbox
        // By index: `for order in orders` would copy every order (a retain per field) to read two.
        var positions = [String: Int](minimumCapacity: orders.count)
        var m: Int64 = 0
        for i in orders.indices {
            positions[orders[i].name] = i
            m = max(m, StoreState.largestID(in: orders[i]))
        }
        self.positions = positions
        for f in feedback { m = max(m, f.id) }
        for n in outbox { m = max(m, n.id) }
        self.largestID = m
    }

    static func largestID(in o: Order) -> Int64 {
        var m = max(o.id, o.customer.id)
        for l in o.lineItems { m = max(m, l.id) }
        for t in o.transactions { m = max(m, t.id) }
        for r in o.refunds {
            m = max(m, r.id)
            for t in r.transactions { m = max(m, t.id) }
        }
        return m
    }

    /// The order with this name (`#1001`), if any.
    public func order(named name: String) -> Order? {
        positions[name].map { orders[$0] }
    }

    /// The text `find` searches (see ``FindIndex``), made on the first search of this state.
    var findIndex: FindIndex { findCache.index(for: orders) }

    /// The number the next new order gets.
    public var nextOrderNumber: Int { (orders.map(\.orderNumber).max() ?? 1000) + 1 }

    /// The name of an order that recreates `name`, in Shopify's draft style so that it never
    /// takes a name from the shop's own sequence: the name without any `-R` suffix of an earlier
    /// recreation, then `-R` and the first count not yet taken (`#1042` → `#1042-R1`, a
    /// recreation of `#1042-R1` → `#1042-R2`, `Her2065` → `Her2065-R1`). The order keeps the
    /// original's `order_number`.
    public func recreationName(of name: String) -> String {
        var base = Substring(name)
        if let dash = name.lastIndex(of: "-"), dash > name.startIndex {
            let suffix = name[name.index(after: dash)...]
            let count = suffix.dropFirst()
            if suffix.first == "R", !count.isEmpty, count.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) { base = name[..<dash] }
        }
        var k = 1
        while true {
            let candidate = "\(base)-R\(k)"
            if order(named: candidate) == nil, !orders.contains(where: { $0.name.caseInsensitiveEquals(candidate) }) {
                return candidate
            }
            k += 1
        }
    }

}

/// What can go wrong applying a journal event: the event does not fit the state.
public struct ReplayError: Error, Sendable, Equatable, CustomStringConvertible {
    public var seq: Int
    public var problem: String
    public var description: String { "event \(seq): \(problem)" }
}

extension StoreState {
    /// Applies one event's facts. Refuses an event whose sequence number or order does not fit.
    /// A cancel, applied to its order.
    private static func cancel(_ order: inout Order, _ inventory: inout [String: Int], _ c: Cancellation, _ event: Event)
        throws(ReplayError)
    {
        // Everything checked before anything changes (restock changes nothing when it throws):
        // a refused event leaves the order as it was.
        try check(c.voids, kinds: [.void], for: order, seq: event.seq)
        if let refund = c.refund { try check(refund, for: order, seq: event.seq) }
        try restock(&order, &inventory, c.restocked, seq: event.seq)
        order.transactions += c.voids
        if let refund = c.refund { order.refunds.append(refund) }
        order.cancelledAt = event.at
        order.cancelReason = c.reason.shopify
        order.cancellation = CancellationRecord(
            agent: event.agent, reason: c.reason, note: c.note, refund: c.refundMode, notified: c.notice != nil)
        settle(&order)
        let message = EventSummary.cancelled(c, order: order)
        order.timeline.append(TimelineEntry(at: event.at, agent: event.agent, seq: event.seq, message: message))
    }

    /// A refund or a return, applied to its order.
    private static func refund(
        _ order: inout Order, _ inventory: inout [String: Int], _ r: RefundChange, returned: Bool, _ event: Event
    ) throws(ReplayError) {
        try check(r.refund, for: order, seq: event.seq)
        try restock(&order, &inventory, r.restocked, seq: event.seq)
        order.refunds.append(r.refund)
        settle(&order)
        let message = EventSummary.refunded(r, order: order, returned: returned)
        order.timeline.append(TimelineEntry(at: event.at, agent: event.agent, seq: event.seq, message: message))
    }

    public mutating func apply(_ event: Event) throws(ReplayError) {
        guard seq < Int.max, event.seq == seq + 1 else {
            throw ReplayError(seq: event.seq, problem: "expected sequence number \(seq + 1)")
        }
        findCache = FindIndexCache()
        func index(_ name: String) throws(ReplayError) -> Int {
            guard let i = positions[name] else {
                throw ReplayError(seq: event.seq, problem: "order \(name) does not exist")
            }
            return i
        }
        func entry(_ message: String) -> TimelineEntry {
            TimelineEntry(at: event.at, agent: event.agent, seq: event.seq, message: message)
        }
        switch event.change {
        case .settingChanged(let change):
            guard Settings.keys.contains(change.key) else {
                throw ReplayError(seq: event.seq, problem: "unknown setting \(change.key)")
            }
            guard settings.set(change.key, to: change.value) else {
                throw ReplayError(seq: event.seq, problem: "bad \(change.key) \(change.value)")
            }
        // The order is changed where it is (`&orders[i]`): a copy changed and put back made
        // its timeline, refunds and transactions be copied too, on every change.
        case .orderCancelled(let c):
            let i = try index(c.order)
            try Self.cancel(&orders[i], &inventory, c, event)
            if let notice = c.notice { outbox.append(notice) }
        case .orderRefunded(let r), .orderReturned(let r):
            let i = try index(r.order)
            var returned = false
            if case .orderReturned = event.change { returned = true }
            try Self.refund(&orders[i], &inventory, r, returned: returned, event)
            if let notice = r.notice { outbox.append(notice) }
        case .paymentRecorded(let p):
            let i = try index(p.order)
            try Self.add(p.transactions, kinds: [.capture, .sale], to: &orders[i], seq: event.seq)
            Self.settle(&orders[i])
            orders[i].timeline.append(entry(EventSummary.paid(p, order: orders[i])))
        case .orderRestocked(let r):
            let i = try index(r.order)
            try Self.restock(&orders[i], &inventory, r.lines, seq: event.seq)
            Self.settle(&orders[i])
            orders[i].timeline.append(entry(EventSummary.restocked(r.lines)))
        case .customerNotified(let notice):
            let i = try index(notice.order)
            orders[i].timeline.append(entry("Customer notified: \(notice.subject)"))
            outbox.append(notice)
        case .feedbackLogged(let f):
            let i = try index(f.order)
            orders[i].timeline.append(entry("Feedback logged: rating \(f.rating)"))
            feedback.append(f)
        case .orderRecreated(let r):
            let i = try index(r.original)
            guard positions[r.order.name] == nil else {
                throw ReplayError(seq: event.seq, problem: "order \(r.order.name) already exists")
            }
            var levels: [String: Int] = [:]
            for line in r.taken where !line.sku.isEmpty {
                let (level, overflow) = (levels[line.sku] ?? inventory[line.sku] ?? 0).subtractingReportingOverflow(line.quantity)
                guard !overflow, line.quantity >= 0 else {
                    throw ReplayError(seq: event.seq, problem: "taking \(line.quantity) units of \(line.sku) overflows")
                }
                levels[line.sku] = level
            }
            var original = orders[i]
            original.recreatedAs = r.order.name
            if let moved = r.moved { try Self.add(moved, to: &original, seq: event.seq) }
            Self.settle(&original)
            var recreated = "Recreated as \(r.order.name)"
            if let moved = r.moved { recreated += "; " + EventSummary.money(moved, order: original) }
            original.timeline.append(entry(recreated))
            orders[i] = original
            for (sku, level) in levels { inventory[sku] = level }
            var order = r.order
            Self.settle(&order)
            order.timeline.append(entry("Created from cancelled order \(r.original)"))
            insert(order)
            if let notice = r.notice { outbox.append(notice) }
        case .ordersImported(let imp):
            var names = Set<String>()
            for order in imp.orders {
                guard positions[order.name] == nil, names.insert(order.name).inserted else {
                    throw ReplayError(seq: event.seq, problem: "order \(order.name) already exists")
                }
            }
            let newest = orders.last?.createdAt
            for order in imp.orders { insert(order) }
            // Orders stay in the order they were placed, so lists read newest first by position.
            if let newest, imp.orders.contains(where: { $0.createdAt < newest }) { sortByCreation() }
            for (sku, level) in imp.inventory where inventory[sku] == nil { inventory[sku] = level }
        case .ordersUpdated(let update):
            // Check every order first, so that a refused event changes nothing.
            var changed: [(Int, Order)] = []
            var levels = inventory
            for u in update.orders {
                let i = try index(u.order)
                var order = changed.last(where: { $0.0 == i })?.1 ?? orders[i]
                let before = order
                for f in u.fulfilled {
                    guard let li = order.lineItems.firstIndex(where: { $0.id == f.lineItemId }), f.quantity >= 0,
                        f.quantity <= order.lineItems[li].quantity
                    else {
                        throw ReplayError(seq: event.seq, problem: "fulfilled line \(f.lineItemId) does not fit \(order.name)")
                    }
                    order.lineItems[li].fulfilledQuantity = f.quantity
                }
                try Self.add(u.payments, kinds: [.sale, .capture], to: &order, seq: event.seq)
                if let status = u.fulfillmentStatus {
                    order.fulfillmentStatus = status
                } else if !u.fulfilled.isEmpty, order.lineItems.allSatisfy({ $0.fulfilledQuantity == 0 }) {
                    // Every fulfilment cancelled in Shopify: unfulfilled again (Shopify's null).
                    order.fulfillmentStatus = nil
                }
                for refund in u.refunds { try Self.add(refund, to: &order, seq: event.seq) }
                try Self.restock(&order, &levels, u.restocked, seq: event.seq)
                if let at = u.cancelledAt, order.cancelledAt == nil {
                    order.cancelledAt = at
                    order.cancelReason = u.cancelReason
                }
                Self.settle(&order)
                order.timeline.append(entry(EventSummary.updated(u, source: update.source, order: order, before: before)))
                changed.append((i, order))
            }
            for (i, order) in changed { orders[i] = order }
            inventory = levels
        case .noticeDelivery(let d):
            guard let n = outbox.lastIndex(where: { $0.id == d.noticeId }) else {
                throw ReplayError(seq: event.seq, problem: "notice \(d.noticeId) is not in the outbox")
            }
            var notice = outbox[n]
            notice.attempts = d.attempts
            notice.messageId = d.messageId
            notice.from = d.from
            notice.replyTo = d.replyTo
            notice.bcc = d.bcc
            switch d.outcome {
            case .sent:
                notice.status = .sent
                notice.sentAt = event.at
                notice.mta = d.mta
                notice.reason = nil
                notice.nextAttempt = nil
            case .deferred, .failed:
                // A notice sent already stays sent: a late report of an earlier attempt changes nothing.
                if notice.status != .sent {
                    notice.status = d.outcome == .deferred ? .queued : d.nextAttempt == nil ? .abandoned : .failed
                    notice.reason = d.reason
                    notice.nextAttempt = d.nextAttempt
                }
            }
            outbox[n] = notice
            if d.outcome == .sent, let i = positions[notice.order] {
                orders[i].timeline.append(entry("Notice \(notice.id) sent to \(notice.to)"))
            }
        case .snapshotEditAccepted(let edit):
            // The edited values are in the snapshot already: the event only tells the orders so.
            for name in edit.orders {
                if let i = positions[name] { orders[i].timeline.append(entry("Edited outside OrderDesk; edit accepted")) }
            }
        }
        seq = event.seq
        noteIDs(event.change)
    }

    private mutating func noteIDs(_ change: Change) {
        switch change {
        case .settingChanged, .orderRestocked, .snapshotEditAccepted, .noticeDelivery: break
        case .orderCancelled(let c):
            largestID = max(largestID, c.refund.map(Self.largestID(in:)) ?? 0, c.notice?.id ?? 0)
            for t in c.voids { largestID = max(largestID, t.id) }
        case .orderRefunded(let r), .orderReturned(let r):
            largestID = max(largestID, Self.largestID(in: r.refund), r.notice?.id ?? 0)
        case .paymentRecorded(let p):
            for t in p.transactions { largestID = max(largestID, t.id) }
        case .customerNotified(let n): largestID = max(largestID, n.id)
        case .feedbackLogged(let f): largestID = max(largestID, f.id)
        case .orderRecreated(let r):
            largestID = max(
                largestID, StoreState.largestID(in: r.order), r.notice?.id ?? 0, r.moved.map(Self.largestID(in:)) ?? 0)
        case .ordersImported(let i):
            for o in i.orders { largestID = max(largestID, StoreState.largestID(in: o)) }
        case .ordersUpdated(let u):
            for o in u.orders {
                for t in o.payments { largestID = max(largestID, t.id) }
                for r in o.refunds { largestID = max(largestID, Self.largestID(in: r)) }
            }
        }
    }

    static func largestID(in r: Refund) -> Int64 {
        r.transactions.reduce(r.id) { max($0, $1.id) }
    }

    /// Appends payment transactions of the given kinds to an order, refusing any other kind or a
    /// currency that is not the order's.
    private static func add(
        _ transactions: [Transaction], kinds: Set<TransactionKind>, to order: inout Order, seq: Int
    ) throws(ReplayError) {
        try check(transactions, kinds: kinds, for: order, seq: seq)
        order.transactions += transactions
    }

    /// Refuses transactions not of `kinds`, not in the order's currency, or negative.
    private static func check(
        _ transactions: [Transaction], kinds: Set<TransactionKind>, for order: Order, seq: Int
    ) throws(ReplayError) {
        for t in transactions {
            guard kinds.contains(t.kind), t.currency == order.currency, !t.amount.isNegative else {
                throw ReplayError(seq: seq, problem: "transaction \(t.id) (\(t.kind.rawValue)) does not fit \(order.name)")
            }
        }
    }

    /// Appends a refund to an order, refusing transactions that are not refunds in its currency or
    /// lines it does not have.
    private static func add(_ refund: Refund, to order: inout Order, seq: Int) throws(ReplayError) {
        try check(refund, for: order, seq: seq)
        order.refunds.append(refund)
    }

    /// Refuses a refund whose transactions are not refunds in the order's currency, or whose
    /// lines the order does not have.
    private static func check(_ refund: Refund, for order: Order, seq: Int) throws(ReplayError) {
        for t in refund.transactions {
            guard t.kind == .refund, t.currency == order.currency, !t.amount.isNegative else {
                throw ReplayError(seq: seq, problem: "refund transaction \(t.id) does not fit \(order.name)")
            }
        }
        for line in refund.refundLineItems {
            guard line.quantity > 0, order.lineItems.contains(where: { $0.id == line.lineItemId }) else {
                throw ReplayError(seq: seq, problem: "refund line for item \(line.lineItemId) does not fit \(order.name)")
            }
        }
    }

    /// Brings the fields Shopify derives up to date after a change: `financial_status` from the
    /// ledger, each line's `fulfillable_quantity`, and `fulfillment_status` `restocked` once every
    /// unit is back in stock.
    public static func settle(_ order: inout Order) {
        order.financialStatus = order.ledgerStatus
        for i in order.lineItems.indices {
            let line = order.lineItems[i]
            var (removed, returned) = order.refundedUnits(of: line)
            // Units refunded as returned beyond those shipped (imported legacy refunds) came off unshipped ones.
            removed += max(0, returned - line.fulfilledQuantity)
            order.lineItems[i].fulfillableQuantity =
                order.isCancelled ? 0 : max(0, line.quantity - line.fulfilledQuantity - removed)
        }
        let stocked = order.lineItems.filter(\.isStocked)
        if !stocked.isEmpty, stocked.allSatisfy({ $0.restocked >= $0.quantity }) { order.fulfillmentStatus = .restocked }
    }

    private mutating func insert(_ order: Order) {
        positions[order.name] = orders.count
        orders.append(order)
    }

    /// Puts the orders in creation order (stable: equal times keep their order) and re-indexes them.
    private mutating func sortByCreation() {
        let order = orders.indices.sorted { a, b in
            orders[a].createdAt != orders[b].createdAt ? orders[a].createdAt < orders[b].createdAt : a < b
        }
        orders = order.map { orders[$0] }
        for i in orders.indices { positions[orders[i].name] = i }
    }

    private static func restock(
        _ order: inout Order, _ inventory: inout [String: Int], _ lines: [RestockLine], seq: Int
    ) throws(ReplayError) {
        // Check every line first, so that a refused event changes nothing.
        var indices: [Int] = []
        for line in lines {
            guard let li = order.lineItems.firstIndex(where: { $0.id == line.lineItemId }), !line.sku.isEmpty,
                line.quantity > 0
            else {
                throw ReplayError(seq: seq, problem: "line item \(line.lineItemId) cannot be restocked on \(order.name)")
            }
            indices.append(li)
        }
        // Checked arithmetic: a hostile journal line with absurd quantities is refused, never a trap.
        var restocked = order.lineItems.map(\.restocked)
        var levels: [String: Int] = [:]
        for (line, li) in zip(lines, indices) {
            let (units, o1) = restocked[li].addingReportingOverflow(line.quantity)
            let (level, o2) = (levels[line.sku] ?? inventory[line.sku] ?? 0).addingReportingOverflow(line.quantity)
            guard !o1, !o2 else { throw ReplayError(seq: seq, problem: "restocking \(line.quantity) units overflows") }
            restocked[li] = units
            levels[line.sku] = level
        }
        for li in order.lineItems.indices { order.lineItems[li].restocked = restocked[li] }
        for (sku, level) in levels { inventory[sku] = level }
    }
}
