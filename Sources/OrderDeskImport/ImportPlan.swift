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
    ///   customer without an id takes the id of the store's customer with the same email, else
    ///   a new one shared by the file's orders with that email.
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
                            Self.compare(item, with: stored, into: &plan, fresh: fresh)
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
                    Self.compare(item, with: stored, into: &plan, fresh: fresh)
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
            if order.customer.id == 0 {
                let email = order.customer.email.lowercased()
                if !email.isEmpty, let id = customerIDs[email] {
                    order.customer.id = id
                } else {
                    order.customer.id = fresh()
                    if !email.isEmpty { customerIDs[email] = order.customer.id }
                }
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
    /// name): what Shopify did since (more units fulfilled, refunds the store does not have, a
    /// cancel) becomes an update; nothing new counts it as a duplicate. What the desk did locally
    /// is kept: refunds here that Shopify does not know are no conflict. A change there that
    /// contradicts the desk (units fulfilled there on an order cancelled here, a refund naming a
    /// line the store does not have) is a conflict: that order is not updated at all.
    static func compare(_ item: ImportedOrder, with stored: Order, into plan: inout ImportPlan, fresh: () -> Int64) {
        let incoming = item.order
        var update = OrderUpdate(order: stored.name)
        var conflicts: [String] = []
        for line in incoming.lineItems {
            guard
                let mine = stored.lineItems.first(where: { $0.id == line.id })
                    ?? (item.hasID ? nil : stored.lineItems.first(where: { $0.sku == line.sku && $0.title == line.title }))
            else { continue }
            if line.fulfilledQuantity > mine.fulfilledQuantity {
                update.fulfilled.append(FulfilledLine(lineItemId: mine.id, quantity: min(line.fulfilledQuantity, mine.quantity)))
            }
        }
        if !update.fulfilled.isEmpty {
            update.fulfillmentStatus = incoming.fulfillmentStatus
            if stored.isCancelled {
                let units = update.fulfilled.reduce(0) { total, f in
                    total + f.quantity - (stored.lineItems.first { $0.id == f.lineItemId }?.fulfilledQuantity ?? 0)
                }
                conflicts.append("cancelled here but Shopify fulfilled \(units) more unit\(units == 1 ? "" : "s")")
            }
        }
        let known = Set(stored.refunds.map(\.id))
        let payment = stored.transactions.last { ($0.kind == .sale || $0.kind == .capture) && $0.succeeded }
        for var refund in incoming.refunds where refund.id != 0 && !known.contains(refund.id) {
            if let line = refund.refundLineItems.first(where: { rl in !stored.lineItems.contains { $0.id == rl.lineItemId } }) {
                conflicts.append("Shopify's refund \(refund.id) names line item \(line.lineItemId), which the store's order does not have")
                continue
            }
            for t in refund.transactions.indices {
                refund.transactions[t].id = fresh()
                let gateway = refund.transactions[t].gateway
                // A refund returns a payment the store has: to a method the store never saw it
                // captured with (a first import that named none, `unknown`), it goes to that payment's.
                let captured = stored.transactions.contains { ($0.kind == .sale || $0.kind == .capture) && $0.gateway == gateway }
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
        if let at = incoming.cancelledAt, !stored.isCancelled {
            update.cancelledAt = at
            update.cancelReason = incoming.cancelReason
        }
        if !conflicts.isEmpty {
            plan.conflicts.append(
                ImportProblem(
                    item.location, "order \(stored.name): " + conflicts.joined(separator: "; ") + "; not updated, settle it by hand"))
        } else if update.isEmpty {
            plan.duplicates.append(stored.name)
        } else {
            plan.updates.append(update)
        }
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
            var captured = item.outstanding.map { order.totalPrice - $0 }
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
