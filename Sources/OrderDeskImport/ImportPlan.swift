import OrderDeskCore

/// Orders read from a file, fitted into a store's current state: what one import would change.
public struct ImportPlan: Sendable {
    /// Where the orders came from, for the event and the timeline (`orders.csv`).
    public var source: String
    /// The orders to insert, oldest first, with ids unique in the store and their timelines.
    public var orders: [Order]
    /// Stock levels for SKUs the store does not know yet: from the stock file, else 0.
    public var inventory: [String: Int]
    /// Names of the orders skipped because the store has them already, unchanged.
    public var duplicates: [String]
    /// What changed in Shopify for orders the store has (fulfilled, refunded, cancelled there).
    public var updates: [OrderUpdate] = []
    /// Orders the store has whose change in Shopify contradicts what the desk did (cancelled here,
    /// fulfilled there): not updated, listed after the summary for an agent to settle.
    public var conflicts: [ImportProblem] = []
    /// SKUs of the imported orders that are new to the store and not in the stock file: they start at 0.
    public var newSKUsAtZero: [String]
    /// New SKUs whose level comes from the stock file.
    public var stockLevelsSet: Int
    /// SKUs of the stock file that the store knows already: their levels are left as they are.
    public var stockLevelsKept: Int
    /// What the file says that is odd but Shopify wrote, for the orders imported (not the
    /// duplicates): listed after the summary, never a reason to refuse.
    public var warnings: [ImportProblem] = []
    /// Orders that cannot go in next to the store's (same name, another order); when there is
    /// any, nothing may be imported.
    public var problems: [ImportProblem]

    /// The store change, or nil when there is nothing to change (everything was there already).
    public var change: ImportChange? {
        orders.isEmpty && inventory.isEmpty ? nil : ImportChange(source: source, orders: orders, inventory: inventory)
    }

    /// The `orders.updated` change, or nil when no order the store has changed in Shopify.
    public var update: ImportUpdate? {
        updates.isEmpty ? nil : ImportUpdate(source: source, orders: updates)
    }

    /// The store changes: the new orders, then the updates of orders the store has.
    public var changes: [Change] {
        var changes: [Change] = []
        if let change { changes.append(.ordersImported(change)) }
        if let update { changes.append(.ordersUpdated(update)) }
        return changes
    }

    /// `imported 120 orders, skipped 3 duplicates, 4 new SKUs at stock 0 (MUG-WHT, ...)`, or the
    /// same in the conditional for a dry run. The SKUs come from the file: each is printed
    /// through ``Sanitizer/excerpt(_:limit:)``, cleaned and cut short.
    public func summary(dryRun: Bool = false) -> String {
        func plural(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }
        var parts = [
            (dryRun ? "would import " : "imported ") + plural(orders.count, "order"),
            (dryRun ? "skip " : "skipped ") + plural(duplicates.count, "duplicate"),
        ]
        if !updates.isEmpty { parts.append((dryRun ? "would update " : "updated ") + plural(updates.count, "order")) }
        if !conflicts.isEmpty { parts.append(plural(conflicts.count, "conflict") + " (not updated, listed below)") }
        var skus = plural(newSKUsAtZero.count, "new SKU") + " at stock 0"
        if !newSKUsAtZero.isEmpty {
            let shown = newSKUsAtZero.prefix(10).map { Sanitizer.excerpt($0) }.joined(separator: ", ")
            skus += " (\(shown)\(newSKUsAtZero.count > 10 ? ", and \(newSKUsAtZero.count - 10) more" : ""))"
        }
        parts.append(skus)
        if stockLevelsSet > 0 || stockLevelsKept > 0 {
            var stock = plural(stockLevelsSet, "stock level") + " from the stock file"
            if stockLevelsKept > 0 { stock += " (\(stockLevelsKept) SKUs the store knows already kept their levels)" }
            parts.append(stock)
        }
        return parts.joined(separator: ", ")
    }
}

extension ShopifyImport {
    /// Fits orders read from a file into the store's **current** state: run it inside the
    /// store's commit, so that two imports at once cannot insert the same order twice.
    ///
    /// - Duplicates: an order whose `Id` is in the store under the same name, or, when the file
    ///   gives no `Id`, whose name is in the store, is skipped and counted. So importing a file
    ///   again changes nothing.
    /// - Conflicts, reported as problems: the name is in the store as another order (a different
    ///   `Id`), or the `Id` is in the store under another name.
    /// - Ids: Shopify's ids are kept; orders without one, and line items and refunds without one
    ///   or whose id another line item (refund) has, get new ids above every id in the store and
    ///   in the file; refund lines follow their line item's new id. Ids are unique per kind. A
    ///   customer without an id takes Shopify's id of the customer with the same email (in the
    ///   store or earlier in the file), else keeps 0: "none", never an id that passes for Shopify's.
    /// - Money owed: a cancelled order that was paid and not (wholly) refunded owes the rest back,
    ///   as a cancel with "refund later" does.
    /// - Stock: SKUs new to the store get their level from `stock`, else 0; the stock file's
    ///   other new SKUs come in too. Levels the store has already are never changed.
    /// - Timeline: each order gets "Imported from Shopify (source)", numbered as the event
    ///   the commit will write (`state.seq + 1`).
    public static func plan(
        _ imported: [ImportedOrder], stock: [String: Int]? = nil, into state: StoreState, source: String, agent: String,
        now: Timestamp
    ) -> ImportPlan {
        var plan = ImportPlan(
            source: source, orders: [], inventory: [:], duplicates: [], newSKUsAtZero: [], stockLevelsSet: 0,
            stockLevelsKept: 0, problems: [])

        // Ids are unique per kind of record: orders among orders, line items among line items,
        // refunds among refunds. (Shopify numbers each kind on its own, so an order's Id may
        // equal an id OrderDesk gave a line item earlier without the two being confused.)
        var orderIDs: [Int64: String] = [:]
        var lineIDs: Set<Int64> = []
        var refundIDs: Set<Int64> = []
        var customerIDs: [String: Int64] = [:]
        orderIDs.reserveCapacity(state.orders.count)
        for o in state.orders {
            orderIDs[o.id] = o.name
            for l in o.lineItems { lineIDs.insert(l.id) }
            for r in o.refunds { refundIDs.insert(r.id) }
            if o.customer.id != 0, !o.customer.email.isEmpty {
                customerIDs[o.customer.email.lowercased()] = o.customer.id
            }
        }

        var next = state.largestID
        for i in imported {
            let o = i.order
            next = max(next, o.id, o.customer.id)
            for l in o.lineItems { next = max(next, l.id) }
            for r in o.refunds { next = max(next, r.id) }
            for t in o.transactions { next = max(next, t.id) }
        }
        func fresh() -> Int64 {
            next += 1
            return next
        }

        let entry = "Imported from Shopify (\(source))"
        for item in imported {
            var order = item.order
            if item.hasID {
                if let existing = orderIDs[order.id] {
                    if existing == order.name {
                        if let stored = state.order(named: order.name) {
                            Self.compare(item, with: stored, into: &plan, now: now, fresh: fresh)
                        } else {
                            plan.duplicates.append(order.name)
                        }
                    } else {
                        plan.problems.append(
                            ImportProblem(
                                item.location,
                                "order \(order.name) has Id \(order.id), which the store has as order \(existing); is this export from another shop?"
                            ))
                    }
                    continue
                }
                if let existing = state.order(named: order.name) {
                    plan.problems.append(
                        ImportProblem(
                            item.location,
                            "the store already has an order \(order.name) with another Id (\(existing.id), not \(order.id)); OrderDesk cannot hold two orders with one name, so import this shop's orders into a store of their own"
                        ))
                    continue
                }
            } else {
                if let stored = state.order(named: order.name) {
                    Self.compare(item, with: stored, into: &plan, now: now, fresh: fresh)
                    continue
                }
                order.id = fresh()
            }
            orderIDs[order.id] = order.name

            var renamed: [Int64: Int64] = [:]
            for li in order.lineItems.indices {
                let old = order.lineItems[li].id
                if old == 0 || lineIDs.contains(old) {
                    let id = fresh()
                    if old != 0 { renamed[old] = id }
                    order.lineItems[li].id = id
                }
                lineIDs.insert(order.lineItems[li].id)
            }
            for ri in order.refunds.indices {
                if order.refunds[ri].id == 0 || refundIDs.contains(order.refunds[ri].id) { order.refunds[ri].id = fresh() }
                refundIDs.insert(order.refunds[ri].id)
                if !renamed.isEmpty {
                    for k in order.refunds[ri].refundLineItems.indices {
                        if let id = renamed[order.refunds[ri].refundLineItems[k].lineItemId] {
                            order.refunds[ri].refundLineItems[k].lineItemId = id
                        }
                    }
                }
            }
            // A customer without an id keeps 0 ("none"), unless the store knows Shopify's id for
            // that email: an invented id would pass for Shopify's.
            let email = order.customer.email.lowercased()
            if order.customer.id == 0, !email.isEmpty, let id = customerIDs[email] {
                order.customer.id = id
            } else if order.customer.id != 0, !email.isEmpty, customerIDs[email] == nil {
                customerIDs[email] = order.customer.id
            }
            Self.openLedger(&order, item, fresh: fresh)
            order.timeline.append(TimelineEntry(at: now, agent: agent, seq: state.seq + 1, message: entry))
            plan.orders.append(order)
            plan.warnings += item.warnings
        }
        guard plan.problems.isEmpty else {
            plan.orders = []
            plan.updates = []
            plan.conflicts = []
            plan.warnings = []
            return plan
        }
        let orders = plan.orders
        let sorted = orders.indices.sorted {
            (orders[$0].createdAt, orders[$0].orderNumber, $0) < (orders[$1].createdAt, orders[$1].orderNumber, $1)
        }
        if !sorted.elementsEqual(orders.indices) { plan.orders = sorted.map { orders[$0] } }

        var zero: Set<String> = []
        for order in plan.orders {
            for line in order.lineItems where !line.sku.isEmpty && state.inventory[line.sku] == nil {
                if let level = stock?[line.sku] {
                    plan.inventory[line.sku] = level
                } else {
                    plan.inventory[line.sku] = 0
                    zero.insert(line.sku)
                }
            }
        }
        for (sku, level) in stock ?? [:] {
            if state.inventory[sku] != nil {
                plan.stockLevelsKept += 1
            } else {
                plan.inventory[sku] = level
                plan.stockLevelsSet += 1
            }
        }
        plan.newSKUsAtZero = zero.sorted()
        return plan
    }

    /// Compares an order read from a file with the store's order of the same Shopify id (or
    /// name): what Shopify did since becomes an update; nothing new counts it as a duplicate.
    ///
    /// - Fulfilled: units fulfilled there that the store has not. Fewer units fulfilled there (a
    ///   fulfilment cancelled in Shopify) come in when the file shows something else newer on the
    ///   order (a refund or a cancel the store has not, more units fulfilled on another line);
    ///   otherwise the file may just be older, and it is a conflict.
    /// - Refunds: those with ids the store does not have (JSON). The CSV export gives only the
    ///   total refunded: when it is above what the store has refunded (the desk's own refunds
    ///   included), the difference comes in as one refund with an id derived from the order and
    ///   that total (``exportRefundID(order:refunded:)``), so the same export again changes nothing.
    ///   Units the CSV says are `restocked` go back to stock only once the order is cancelled
    ///   (the export does not say which units came back otherwise); the rest is a warning.
    /// - Payments: what the source says was captured (total less outstanding, or the payment
    ///   state) above what the store has: an open authorization captured, else a sale.
    /// - A cancel there that the store does not have.
    ///
    /// What the desk did locally is kept: refunds here that Shopify does not know are no conflict.
    /// A change there that contradicts the desk is a conflict and that order is not updated at all:
    /// units fulfilled there (or fewer fulfilled), or a payment taken there, on an order cancelled
    /// here; an order recreated here that Shopify shows fulfilled, refunded or paid; fewer units
    /// shipped than the desk took back; a refund naming a line the store does not have, or above
    /// what the store holds.
    static func compare(
        _ item: ImportedOrder, with stored: Order, into plan: inout ImportPlan, now: Timestamp, fresh: () -> Int64
    ) {
        let incoming = item.order
        var update = OrderUpdate(order: stored.name)
        var conflicts: [String] = []
        var warnings: [String] = []
        func units(_ n: Int) -> String { "\(n) unit\(n == 1 ? "" : "s")" }

        // Lines by id; the CSV has no line ids, so by SKU and title, each stored line matched once.
        var matched: Set<Int64> = []
        var more = 0
        var fewer: [(line: LineItem, quantity: Int)] = []
        var restocks: [(line: LineItem, units: Int)] = []
        for (index, line) in incoming.lineItems.enumerated() {
            let mine =
                line.id != 0
                ? stored.lineItems.first { $0.id == line.id }
                : stored.lineItems.first { l in
                    !matched.contains(l.id) && l.sku == line.sku
                        && (l.title == line.title || l.variantTitle.map { "\(l.title) - \($0)" } == line.title)
                }
            guard let mine else { continue }
            matched.insert(mine.id)
            var quantity = min(line.fulfilledQuantity, mine.quantity)
            if item.partialLines.contains(index) {
                // "Some but not all": the store's count stands when it is such a count.
                quantity = max(0, min(max(mine.fulfilledQuantity, 1), mine.quantity - 1))
            }
            if quantity > mine.fulfilledQuantity {
                more += quantity - mine.fulfilledQuantity
                update.fulfilled.append(FulfilledLine(lineItemId: mine.id, quantity: quantity))
            } else if quantity < mine.fulfilledQuantity {
                fewer.append((mine, quantity))
            }
            if item.refundsAsTotal, mine.isStocked, line.restocked > mine.restocked {
                restocks.append((mine, line.restocked - mine.restocked))
            }
        }

        // Payments taken there: what the source says was captured, above what the store has
        // (an open authorization is captured first).
        var paid = Money.zero
        if let captured = Self.captured(item), captured > stored.amountPaid, stored.recreatedAs == nil {
            if stored.isCancelled {
                conflicts.append(
                    "cancelled here but Shopify shows \(stored.show(captured)) paid (the store has \(stored.show(stored.amountPaid)))")
            } else {
                paid = captured - stored.amountPaid
                var left = paid
                let last = stored.transactions.last { ($0.kind == .sale || $0.kind == .capture) && $0.succeeded }
                for open in stored.ledger.openAuthorizations where left.isPositive {
                    let take = min(open.amount, left)
                    let gateway = stored.transactions.first { $0.id == open.id }?.gateway ?? Gateway.unknown
                    update.payments.append(
                        Transaction(
                            id: fresh(), kind: .capture, amount: take, currency: stored.currency, gateway: gateway, parentId: open.id,
                            createdAt: now))
                    left = left - take
                }
                if left.isPositive {
                    update.payments.append(
                        Transaction(
                            id: fresh(), kind: .sale, amount: left, currency: stored.currency,
                            gateway: item.gateway ?? last?.gateway ?? Gateway.unknown, createdAt: now))
                }
            }
        }

        // Refunds.
        let taken = stored.transactions + update.payments
        let payment = taken.last { ($0.kind == .sale || $0.kind == .capture) && $0.succeeded }
        var incomingRefunds = incoming.refunds
        if item.refundsAsTotal {
            incomingRefunds = []
            let total = incoming.refunds.reduce(Money.zero) { $0 + $1.amount }
            let difference = total - stored.amountRefunded
            let id = exportRefundID(order: stored, refunded: total)
            if difference.isPositive, !stored.refunds.contains(where: { $0.id == id }) {
                let when = incoming.cancelledAt ?? now
                incomingRefunds = [
                    Refund(
                        id: id, createdAt: when, note: nil,
                        transactions: [
                            Transaction(
                                id: 0, kind: .refund, amount: difference.rescaled(to: stored.decimals), currency: stored.currency,
                                gateway: "", createdAt: when)
                        ])
                ]
            }
        }
        let known = Set(stored.refunds.map(\.id))
        for var refund in incomingRefunds where refund.id != 0 && !known.contains(refund.id) {
            if let line = refund.refundLineItems.first(where: { rl in !stored.lineItems.contains { $0.id == rl.lineItemId } }) {
                conflicts.append("Shopify's refund \(refund.id) names line item \(line.lineItemId), which the store's order does not have")
                continue
            }
            for t in refund.transactions.indices {
                refund.transactions[t].id = fresh()
                let gateway = refund.transactions[t].gateway
                // A refund returns a payment the store has: to a method the store never saw it
                // captured with (a first import that named none, `unknown`), it goes to that payment's.
                let captured = taken.contains { ($0.kind == .sale || $0.kind == .capture) && $0.gateway == gateway }
                if gateway.isEmpty || (gateway != Gateway.storeCredit && !captured) {
                    refund.transactions[t].gateway = payment?.gateway ?? Gateway.unknown
                }
                if refund.transactions[t].gateway != Gateway.storeCredit { refund.transactions[t].parentId = payment?.id }
            }
            for rl in refund.refundLineItems where rl.restockType == .cancel || rl.restockType == .return {
                guard let mine = stored.lineItems.first(where: { $0.id == rl.lineItemId }), mine.isStocked else { continue }
                let room =
                    mine.quantity - mine.restocked - update.restocked.filter { $0.lineItemId == mine.id }.reduce(0) { $0 + $1.quantity }
                let units = min(rl.quantity, room)
                if units > 0 { update.restocked.append(RestockLine(lineItemId: mine.id, sku: mine.sku, quantity: units)) }
            }
            update.refunds.append(refund)
        }
        let refunded = update.refunds.reduce(Money.zero) { $0 + $1.amount }
        if refunded > stored.refundable + paid, stored.recreatedAs == nil {
            conflicts.append(
                "Shopify refunded \(stored.show(refunded)) more, but the store holds only \(stored.show(stored.refundable + paid)) of the payment"
            )
        }
        if let at = incoming.cancelledAt, !stored.isCancelled {
            update.cancelledAt = at
            update.cancelReason = incoming.cancelReason
        }

        // Fewer units fulfilled there: brought in when the file is evidently newer on this order.
        if !fewer.isEmpty {
            let count = fewer.reduce(0) { $0 + $1.line.fulfilledQuantity - $1.quantity }
            let newer = more > 0 || !update.payments.isEmpty || !update.refunds.isEmpty || update.cancelledAt != nil
            if stored.recreatedAs != nil {
                conflicts.append("recreated here as \(stored.recreatedAs!), but Shopify shows \(units(count)) fewer fulfilled")
            } else if stored.isCancelled {
                conflicts.append("cancelled here but Shopify shows \(units(count)) fewer fulfilled")
            } else if !newer {
                conflicts.append(
                    "Shopify shows \(units(count)) fewer fulfilled than the store (a fulfilment cancelled in Shopify, or a file older than the last one imported?)"
                )
            } else {
                for (line, quantity) in fewer {
                    let returned = stored.refundedUnits(of: line).returned
                    if returned > quantity {
                        conflicts.append(
                            "Shopify shows \(units(quantity)) of line \(line.id) fulfilled, but \(units(returned)) came back here")
                    } else {
                        update.fulfilled.append(FulfilledLine(lineItemId: line.id, quantity: quantity))
                    }
                }
            }
        }
        if !update.fulfilled.isEmpty {
            update.fulfilled.sort { a, b in
                (stored.lineItems.firstIndex { $0.id == a.lineItemId } ?? 0) < (stored.lineItems.firstIndex { $0.id == b.lineItemId } ?? 0)
            }
            update.fulfillmentStatus = incoming.fulfillmentStatus
            if stored.isCancelled && stored.recreatedAs == nil && more > 0 {
                conflicts.append("cancelled here but Shopify fulfilled \(more) more unit\(more == 1 ? "" : "s")")
            }
        }

        // Units the CSV says are restocked: back to stock once the order is cancelled (there or
        // here), or as lines of the refund the export brings in (the units that refund covered).
        if !restocks.isEmpty {
            let cancelled = stored.isCancelled || update.cancelledAt != nil
            let refund = item.refundsAsTotal ? update.refunds.indices.last : nil
            for (line, wanted) in restocks {
                let fulfilled = update.fulfilled.first { $0.lineItemId == line.id }?.quantity ?? line.fulfilledQuantity
                let already = update.restocked.filter { $0.lineItemId == line.id }.reduce(0) { $0 + $1.quantity }
                var room = 0
                if cancelled {
                    room = max(0, line.quantity - fulfilled - line.restocked - already)
                } else if let refund {
                    room = max(0, line.quantity - stored.removedUnits(of: line) - already)
                    let units = min(wanted, room)
                    if units > 0 {
                        update.refunds[refund].refundLineItems.append(
                            RefundLineItem(
                                lineItemId: line.id, quantity: units, restockType: fulfilled > 0 ? .return : .cancel, subtotal: .zero,
                                totalTax: .zero))
                    }
                }
                let back = min(wanted, room)
                if back > 0 { update.restocked.append(RestockLine(lineItemId: line.id, sku: line.sku, quantity: back)) }
                if back < wanted, stored.recreatedAs == nil {
                    warnings.append(
                        "Shopify restocked \(units(wanted - back)) of \(line.sku) that the export does not say came back; not restocked here"
                    )
                }
            }
        }

        // An order recreated here: its money and goods went on to the new order.
        if let recreated = stored.recreatedAs {
            var there: [String] = []
            if more > 0 { there.append("fulfilled \(units(more))") }
            if !update.refunds.isEmpty { there.append("refunded \(stored.show(refunded))") }
            if let captured = Self.captured(item), captured > stored.amountPaid {
                there.append("shows \(stored.show(captured)) paid (the store has \(stored.show(stored.amountPaid)))")
            }
            if !there.isEmpty {
                conflicts.append("recreated here as \(recreated), but Shopify " + there.joined(separator: ", "))
            }
        }

        if !conflicts.isEmpty {
            plan.conflicts.append(
                ImportProblem(
                    item.location, "order \(stored.name): " + conflicts.joined(separator: "; ") + "; not updated, settle it by hand"))
        } else if update.isEmpty {
            plan.duplicates.append(stored.name)
        } else {
            plan.updates.append(update)
            plan.warnings += warnings.map { ImportProblem(item.location, "order \(stored.name): " + $0) }
        }
    }

    /// What the source says was captured: the total less the outstanding balance when it gives
    /// one, else what the payment state stands for; nil when it cannot be told (partly paid).
    static func captured(_ item: ImportedOrder) -> Money? {
        let o = item.order
        if let outstanding = item.outstanding { return o.totalPrice - max(outstanding, .zero) }
        switch o.financialStatus {
        case .paid, .partiallyRefunded, .refunded: return o.totalPrice
        case .pending, .authorized, .voided: return .zero
        case .partiallyPaid: return nil
        }
    }

    /// The id of a refund that an export gives only as the total refunded (the CSV's `Refunded
    /// Amount`): derived from the order's name and that total, so that the same export imported
    /// again finds the refund it brought. In 2^52 ..< 2^53, above the ids Shopify gives today.
    public static func exportRefundID(order: Order, refunded: Money) -> Int64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in "refunded|\(order.name)|\(refunded.formatted(decimals: order.decimals))".utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        return Int64(1 << 52) | Int64(hash & ((1 << 52) - 1))
    }

    /// Gives an imported order its ledger. Shopify's order payloads and exports carry the payment
    /// state and the refunds, not the payments themselves: the payments are made from the state
    /// (``Order/openLedger(_:captured:gateway:nextID:)``), what is still outstanding when the
    /// source says it, and the refunds' own gateway; every transaction gets a fresh id, with the
    /// refunds pointing at the payment they return.
    static func openLedger(_ order: inout Order, _ item: ImportedOrder, fresh: () -> Int64) {
        let refundGateway = order.refunds.lazy.flatMap(\.transactions).first { $0.gateway != Gateway.storeCredit && !$0.gateway.isEmpty }?
            .gateway
        let gateway = refundGateway ?? item.gateway ?? Gateway.unknown
        if order.transactions.isEmpty {
            var next = fresh()
            // A balance below zero is a payment converted from another currency coming to a few
            // cents over the total: Shopify counts the order paid and owes nothing back, so the
            // ledger takes the total (the import warns of the difference).
            var captured = item.outstanding.map { order.totalPrice - max($0, .zero) }
            // A refund above what was captured (Shopify refunds in the buyer's currency at the
            // day's rate; the import warns of it): the payment came to that much in the shop's
            // currency, so the ledger never gives back more than it took.
            let refunded = order.refunds.reduce(Money.zero) { $0 + $1.amount }
            if refunded > (captured ?? order.totalPrice) { captured = refunded }
            let status = order.financialStatus
            order.openLedger(status, captured: captured, gateway: gateway, nextID: &next)
            // `openLedger` took ids from `next` on; take them from `fresh` so they stay unique.
            for i in order.transactions.indices where i > 0 { order.transactions[i].id = fresh() }
            if let first = order.transactions.first?.id {
                for i in order.transactions.indices where order.transactions[i].parentId != nil { order.transactions[i].parentId = first }
            }
        }
        // The CSV says a line is `restocked` but not by which refund: on an order not cancelled,
        // its refund covered those units (amounts unknown, so 0), which keeps stock and ledger in step.
        if item.refundsAsTotal, order.cancelledAt == nil, let last = order.refunds.indices.last {
            for line in order.lineItems where line.restocked > 0 {
                order.refunds[last].refundLineItems.append(
                    RefundLineItem(
                        lineItemId: line.id, quantity: line.restocked, restockType: line.fulfilledQuantity > 0 ? .return : .cancel,
                        subtotal: .zero, totalTax: .zero))
            }
        }
        let payment = order.transactions.last { ($0.kind == .sale || $0.kind == .capture) && $0.succeeded }
        for r in order.refunds.indices {
            for t in order.refunds[r].transactions.indices {
                order.refunds[r].transactions[t].id = fresh()
                if order.refunds[r].transactions[t].gateway.isEmpty { order.refunds[r].transactions[t].gateway = gateway }
                if order.refunds[r].transactions[t].gateway != Gateway.storeCredit {
                    order.refunds[r].transactions[t].parentId = payment?.id
                }
            }
        }
        StoreState.settle(&order)
    }
}
