/// `recreate`: a mistaken cancel reversed by a new, linked order (Shopify cannot un-cancel).
extension Desk {
    static func recreate(_ request: RecreateCommand, _ state: StoreState, _ context: Context) throws(OrderDeskError) -> Plan {
        let r = try recreation(request, state, context)
        let original = try order(request.order, state)
        let inventory = state.inventory  // not `state` in the preview: see Plan.init
        let name = original.name
        return Plan(
            question: "Recreate \(original.name) as \(r.order.name)?",
            preview: RecreatePreview.render(r, original: original, inventory: inventory, context: context),
            confirm: context.interactive && !request.yes, dryRun: request.dryRun,
            decide: { current throws(OrderDeskError) in [.orderRecreated(try recreation(request, current, context))] },
            done: { _, events in
                guard case .orderRecreated(let done)? = events.first?.change else { return "Recreated." }
                var text = "\(name) recreated as \(done.order.name)"
                let moved = done.moved?.amount ?? .zero
                let due = done.order.totalPrice - moved
                if moved.isPositive { text += "; \(done.order.show(moved)) of the payment moved to it" }
                text += due.isPositive ? "; \(done.order.show(due)) is due." : "; it is paid."
                return text
            })
    }

    static func recreation(_ request: RecreateCommand, _ state: StoreState, _ context: Context) throws(OrderDeskError) -> Recreation {
        let original = try order(request.order, state)
        guard original.isCancelled else { throw .notCancelled(order: original.name, action: "recreated") }
        if let reason = original.cancelReason, reason == .fraud || reason == .declined, !request.force {
            throw .recreateNeedsForce(order: original.name, reason: reason)
        }
        if let newer = original.recreatedAs { throw .alreadyRecreated(order: original.name, as: newer) }
        // The order as it stood when it was cancelled: units that refunds removed or took back
        // before stay off it, with their share of the price, discounts and tax, and shipping
        // refunded stays refunded.
        var kept: [Int64: Int] = [:]
        for line in original.lineItems { kept[line.id, default: 0] += line.quantity }
        var refundedSubtotal = Money.zero
        var refundedTax = Money.zero
        var refundedDiscounts = Money.zero
        var shippingAdjustment = Money.zero
        var shippingTaxAdjustment = Money.zero
        for r in original.refunds {
            for rl in r.refundLineItems {
                kept[rl.lineItemId, default: 0] -= rl.quantity
                refundedSubtotal += rl.subtotal
                refundedTax += rl.totalTax
                if let line = original.lineItems.first(where: { $0.id == rl.lineItemId }) {
                    refundedDiscounts += line.price * rl.quantity - rl.subtotal
                }
            }
            for a in r.orderAdjustments where a.kind == "shipping_refund" {
                shippingAdjustment += a.amount
                shippingTaxAdjustment += a.taxAmount
            }
        }
        // The units restocked at the cancel (or after) go to the new order again.
        let taken = original.lineItems.compactMap { line -> RestockLine? in
            let units = min(line.restocked, kept[line.id] ?? 0)
            return line.isStocked && units > 0 ? RestockLine(lineItemId: line.id, sku: line.sku, quantity: units) : nil
        }
        var needed: [String: Int] = [:]
        var skus: [String] = []
        for line in taken {
            if needed[line.sku] == nil { skus.append(line.sku) }
            needed[line.sku, default: 0] += line.quantity
        }
        let shortfalls = skus.compactMap { sku -> StockShortfall? in
            let have = state.inventory[sku] ?? 0
            return have < needed[sku]! ? StockShortfall(sku: sku, needed: needed[sku]!, available: have) : nil
        }
        if !shortfalls.isEmpty && !request.allowOversell { throw .shortStock(order: original.name, shortfalls: shortfalls) }

        var ids = IDs(state)
        func next() -> Int64 { ids.next() }
        let lines = original.lineItems.compactMap { line -> LineItem? in
            guard let quantity = kept[line.id], quantity > 0 else { return nil }
            return LineItem(
                id: next(), sku: line.sku, title: line.title, variantTitle: line.variantTitle, quantity: quantity, price: line.price,
                giftCard: line.giftCard)
        }
        var tags = original.tags.split(separator: ",").map { $0.trimmingSpaces }.filter { !$0.isEmpty }
        if !tags.contains("recreated") { tags.append("recreated") }
        // The original's prices, tax mode, discounts and shipping, taken as they are, less what
        // refunds removed: the new total is the original's current total.
        let discounts = original.totalDiscounts - refundedDiscounts
        var order = Order(
            id: next(), orderNumber: original.orderNumber, email: original.email, createdAt: context.now, currency: original.currency,
            customer: original.customer, lineItems: lines, shipping: original.totalShippingPrice + shippingAdjustment,
            tax: original.totalTax - refundedTax + shippingTaxAdjustment, discounts: discounts.isNegative ? .zero : discounts,
            taxesIncluded: original.taxesIncluded, tags: tags.joined(separator: ", "), note: request.note ?? original.note,
            shippingAddress: original.shippingAddress)
        order.name = state.recreationName(of: original.name)
        order.subtotalPrice = (original.subtotalPrice - refundedSubtotal).rescaled(to: original.decimals)
        order.totalPrice = original.currentTotal.rescaled(to: original.decimals)
        order.recreatedFrom = original.name
        order.customerLocale = original.customerLocale
        // Money still held (refund later) moves: a refund on the original naming the new order,
        // and a sale on the new one naming the original, per payment method.
        let held = min(original.refundable, order.totalPrice)
        var moved: Refund?
        if held.isPositive {
            let out = MoneyMoves.refund(held, of: original, credit: false, ids: &ids, at: context.now, transfer: order.name)
            moved = Refund(id: next(), createdAt: context.now, note: "Payment moved to \(order.name)", transactions: out)
            order.transactions = out.map {
                Transaction(
                    id: next(), kind: .sale, amount: $0.amount, currency: order.currency, gateway: $0.gateway, createdAt: context.now,
                    transfer: original.name)
            }
        }
        StoreState.settle(&order)
        let paymentMoved = held.isPositive
        let due = order.totalPrice - held
        var notice: Notice?
        if request.notify {
            let id = next()
            let total = order.totalPrice
            notice = try NoticeWriter(state, context).write(.recreate, order: original, id: id) { amount in
                [
                    "new_order": order.name, "moved": paymentMoved ? amount(held) : nil, "due": paymentMoved ? amount(due) : nil,
                    "total": amount(total),
                ]
            }
            notice?.order = order.name
        }
        return Recreation(original: original.name, order: order, taken: taken, moved: moved, notice: notice)
    }
}

/// The preview of a recreate.
enum RecreatePreview {
    static func render(_ r: Recreation, original: Order, inventory: [String: Int], context: Context) -> String {
        var out = [
            context.style.bold("Recreate \(original.name) as \(r.order.name)")
                + " — \(Sanitizer.clean(original.customer.fullName)), \(r.order.lineItems.count) line(s), \(r.order.show(r.order.totalPrice))"
        ]
        let moved = r.moved?.amount ?? .zero
        let due = r.order.totalPrice - moved
        var money: String
        if moved.isPositive {
            money = "\(r.order.show(moved)) held on \(original.name) moves to \(r.order.name)"
            money += due.isPositive ? " (partly paid: \(r.order.show(due)) due)" : " (paid)"
            money += "; \(original.name) then has nothing left to refund"
        } else {
            money = "\(r.order.name) is pending: \(r.order.show(r.order.totalPrice)) due"
            if original.amountRefunded.isPositive { money += " (\(original.name)'s payment was refunded)" }
        }
        out.append(PreviewView.row("Money", money))
        out += PreviewView.stock(
            r.taken.map { ($0.sku, -$0.quantity) }, inventory: inventory, style: context.style,
            none: "nothing was restocked, so nothing is taken")
        out += PreviewView.notice(r.notice, style: context.style)
        return out.joined(separator: "\n")
    }
}
