/// `return`: units back by line, with their share of discounts and tax, as Shopify's refunds.
extension Desk {
    static func returnPlan(_ request: ReturnCommand, _ state: StoreState, _ context: Context) throws(OrderDeskError) -> Plan {
        let change = try returnChange(request, state, context)
        let order = try order(request.order, state)
        let inventory = state.inventory  // not `state` in the preview: see Plan.init
        return Plan(
            question: "Take back \(ReturnPreview.units(change.refund)) on \(order.name)?",
            preview: ReturnPreview.render(change, request: request, order: order, inventory: inventory, context: context),
            confirm: context.interactive && !request.yes, dryRun: request.dryRun,
            decide: { current throws(OrderDeskError) in [.orderReturned(try returnChange(request, current, context))] },
            done: { after, events in
                guard case .orderReturned(let r)? = events.first?.change, let now = after.order(named: r.order) else { return "Returned." }
                return "\(r.order): " + EventSummary.refunded(r, order: now, returned: true)
                    + "; it is now \(now.financialStatus.rawValue)."
            })
    }

    static func returnChange(_ request: ReturnCommand, _ state: StoreState, _ context: Context) throws(OrderDeskError) -> RefundChange {
        let order = try order(request.order, state)
        guard !order.isCancelled else {
            throw .orderCancelled(order: order.name, action: "returned; its units are restocked with 'restock'")
        }
        let shares = LineShares(order)
        var refundLines: [RefundLineItem] = []
        var restocked: [RestockLine] = []
        // Units already taken off each line by this return, to share a SKU's units over lines.
        for (sku, quantity) in request.items {
            let lines = order.lineItems.filter { $0.sku.caseInsensitiveEquals(sku) && !$0.sku.isEmpty }
            guard !lines.isEmpty else { throw .skuNotOnOrder(order: order.name, sku: sku) }
            let available = lines.reduce(0) { $0 + shares.unfulfilledLeft($1) + shares.fulfilledLeft($1) }
            var wanted = quantity ?? available
            guard wanted > 0, wanted <= available else {
                throw .returnTooMany(order: order.name, sku: lines[0].sku, requested: quantity ?? 0, available: available)
            }
            for line in lines where wanted > 0 {
                // Units not yet shipped come off the order first; then shipped ones come back.
                for (type, left) in [
                    (RestockType.cancel, shares.unfulfilledLeft(line)),
                    (request.restock && line.isStocked ? RestockType.return : .noRestock, shares.fulfilledLeft(line)),
                ] where wanted > 0 && left > 0 {
                    let n = min(wanted, left)
                    let taken = refundLines.filter { $0.lineItemId == line.id }.reduce(0) { $0 + $1.quantity }
                    let money = shares.units(n, of: line, after: taken)
                    refundLines.append(
                        RefundLineItem(lineItemId: line.id, quantity: n, restockType: type, subtotal: money.subtotal, totalTax: money.tax))
                    if request.restock && line.isStocked { restocked.append(RestockLine(lineItemId: line.id, sku: line.sku, quantity: n)) }
                    wanted -= n
                }
            }
        }
        var adjustments: [OrderAdjustment] = []
        var shipping = Money.zero
        if let text = request.shipping {
            guard let parsed = Money(text), parsed.isPositive, parsed.scale <= order.decimals else {
                throw .badAmount(text, currency: order.currency, decimals: order.decimals)
            }
            let left = shares.shippingLeft
            guard parsed <= left else {
                throw .shippingTooLarge(order: order.name, requested: order.show(parsed), available: order.show(left))
            }
            shipping = parsed.rescaled(to: order.decimals)
            var tax = shares.shippingTax(for: shipping)
            if !order.taxesIncluded {
                // Never more back than the order charges, even where its figures do not add up.
                let lines = refundLines.reduce(shipping) { $0 + $1.subtotal + $1.totalTax }
                let room = order.currentTotal - lines
                if tax > room { tax = room.isPositive ? room : .zero }
            }
            adjustments.append(OrderAdjustment(kind: "shipping_refund", amount: .zero - shipping, taxAmount: .zero - tax))
            if !order.taxesIncluded { shipping = shipping + tax }
        }
        // What the units are worth, and of that what was paid: an unpaid balance shrinks first.
        let value = refundLines.reduce(shipping) { $0 + $1.subtotal + (order.taxesIncluded ? .zero : $1.totalTax) }
        var due = value - order.outstanding
        if due > order.refundable { due = order.refundable }
        var ids = IDs(state)
        let refundID = ids.next()
        let transactions =
            due.isPositive && request.refund != .later
            ? MoneyMoves.refund(due, of: order, credit: request.refund == .credit, ids: &ids, at: context.now) : []
        let refund = Refund(
            id: refundID, createdAt: context.now, note: request.note, transactions: transactions, refundLineItems: refundLines,
            orderAdjustments: adjustments)
        let removed = refundLines.filter { $0.restockType == .cancel }.reduce(0) { $0 + $1.quantity }
        let returned = refundLines.reduce(0) { $0 + $1.quantity } - removed
        let notice =
            request.notify
            ? try NoticeText.refundNotice(
                refund, order: order, id: ids.next(), state, context: context, returned: returned, removed: removed,
                owed: request.refund == .later && due.isPositive ? due : .zero) : nil
        return RefundChange(order: order.name, refund: refund, restocked: restocked, notice: notice)
    }
}

/// Each line's share of an order's discounts and tax, and what is left of it after earlier refunds.
///
/// Shares are exact: the discounts are split over the lines by their price, the tax over the lines
/// and shipping by their amount after discounts, each by largest remainder, so the shares add up
/// to the order's totals to the cent. A unit's part is its line's share divided by the quantity;
/// the last units of a line take what is left, so refunding every unit gives back exactly the
/// line's share.
///
/// Public so that refunds made outside the rules (the demo store's history) carry the same
/// `subtotal` and `total_tax` per refunded line as `return` gives them.
public struct LineShares {
    let order: Order
    /// Each line's price × quantity less its share of the discounts.
    private(set) var net: [Int64: Money] = [:]
    private(set) var tax: [Int64: Money] = [:]
    /// The shipping's share of the tax: what is left of the order's tax after the lines' shares.
    public private(set) var shippingTax = Money.zero
    private var refunded: [Int64: (units: Int, subtotal: Money, tax: Money, unfulfilled: Int, fulfilled: Int)] = [:]
    private var shippingRefunded = Money.zero
    private var shippingTaxRefunded = Money.zero

    /// The shares of an order as it stands, its earlier refunds counted.
    public init(_ order: Order) {
        self.order = order
        let decimals = order.decimals
        let gross = order.lineItems.map { $0.price * $0.quantity }
        // The lines' discounts: their prices less the subtotal the order charges for them. That is
        // the total discounts when the order's figures agree; Shopify's own data does not always
        // (a subtotal below its lines with no discount given), and every unit back must never
        // come to more than the order charged.
        let lineDiscounts = gross.reduce(Money.zero, +) - order.subtotalPrice
        let discounts = Self.split(lineDiscounts.isNegative ? .zero : lineDiscounts, by: gross, decimals: decimals)
        let nets = zip(gross, discounts).map { $0 - $1 }
        let taxes = Self.split(order.totalTax, by: nets + [order.totalShippingPrice], decimals: decimals)
        for (i, line) in order.lineItems.enumerated() {
            net[line.id] = nets[i]
            tax[line.id] = taxes[i]
        }
        shippingTax = taxes.last ?? .zero
        for r in order.refunds {
            for rl in r.refundLineItems {
                var entry = refunded[rl.lineItemId] ?? (0, .zero, .zero, 0, 0)
                entry.units += rl.quantity
                entry.subtotal = entry.subtotal + rl.subtotal
                entry.tax = entry.tax + rl.totalTax
                if rl.restockType == .cancel { entry.unfulfilled += rl.quantity } else { entry.fulfilled += rl.quantity }
                refunded[rl.lineItemId] = entry
            }
            for a in r.orderAdjustments where a.kind == "shipping_refund" {
                shippingRefunded = shippingRefunded - a.amount
                shippingTaxRefunded = shippingTaxRefunded - a.taxAmount
            }
        }
    }

    /// Units of a line not yet shipped and still on the order.
    public func unfulfilledLeft(_ line: LineItem) -> Int {
        let done = refunded[line.id] ?? (0, .zero, .zero, 0, 0)
        // Units refunded as returned beyond those shipped (imported refunds, Shopify's older
        // `legacy_restock`) came off the unshipped ones.
        let overReturned = max(0, done.fulfilled - line.fulfilledQuantity)
        return max(0, line.quantity - line.fulfilledQuantity - done.unfulfilled - overReturned)
    }

    /// Shipped units of a line not yet returned.
    public func fulfilledLeft(_ line: LineItem) -> Int {
        max(0, line.fulfilledQuantity - (refunded[line.id]?.fulfilled ?? 0))
    }

    /// Shipping not yet refunded.
    public var shippingLeft: Money { order.totalShippingPrice - shippingRefunded }

    /// The tax on `amount` of shipping refunded now: its share, and the rest of it with the last of the shipping.
    public func shippingTax(for amount: Money) -> Money {
        if amount >= shippingLeft { return shippingTax - shippingTaxRefunded }
        guard let whole = order.totalShippingPrice.units(atScale: order.decimals), whole > 0,
            let part = amount.units(atScale: order.decimals), let tax = shippingTax.units(atScale: order.decimals)
        else { return .zero }
        let (product, overflow) = tax.multipliedReportingOverflow(by: part)
        return overflow ? .zero : Money(units: product / whole, scale: order.decimals)
    }

    /// The subtotal and tax of `n` more units of a line, `taken` units being already in this refund.
    public func units(_ n: Int, of line: LineItem, after taken: Int) -> (subtotal: Money, tax: Money) {
        let before = refunded[line.id] ?? (0, .zero, .zero, 0, 0)
        let done = before.units + taken
        let lineNet = net[line.id] ?? .zero
        let lineTax = tax[line.id] ?? .zero
        func part(_ total: Money, _ already: Money) -> Money {
            guard line.quantity > 0 else { return .zero }
            if done + n >= line.quantity { return total - already }  // the last units take the rest
            return Self.share(total, n, of: line.quantity, decimals: order.decimals)
        }
        // Amounts already given for this line in this refund are counted as units × share.
        let alreadySub = before.subtotal + Self.share(lineNet, taken, of: max(1, line.quantity), decimals: order.decimals)
        let alreadyTax = before.tax + Self.share(lineTax, taken, of: max(1, line.quantity), decimals: order.decimals)
        return (part(lineNet, alreadySub), part(lineTax, alreadyTax))
    }

    /// `total × n / d`, rounded down to the currency's decimals.
    static func share(_ total: Money, _ n: Int, of d: Int, decimals: Int) -> Money {
        guard let units = total.units(atScale: decimals), d > 0 else { return .zero }
        let (product, overflow) = units.multipliedReportingOverflow(by: Int64(n))
        guard !overflow else { return .zero }
        return Money(units: product / Int64(d), scale: decimals)
    }

    /// `total` split in proportion to `weights`, exactly, by largest remainder.
    static func split(_ total: Money, by weights: [Money], decimals: Int) -> [Money] {
        guard let units = total.units(atScale: decimals), !weights.isEmpty else { return weights.map { _ in .zero } }
        let w = weights.map { max(0, $0.units(atScale: decimals) ?? 0) }
        let sum = w.reduce(0, +)
        guard sum > 0 else {
            var parts = weights.map { _ in Int64(0) }
            parts[0] = units
            return parts.map { Money(units: $0, scale: decimals) }
        }
        var parts: [Int64] = []
        var remainders: [(Int, Int64)] = []
        for (i, weight) in w.enumerated() {
            let (p, o) = units.multipliedReportingOverflow(by: weight)
            guard !o else { return weights.map { _ in .zero } }
            parts.append(p / sum)
            remainders.append((i, p % sum))
        }
        var left = units - parts.reduce(0, +)
        for (i, _) in remainders.sorted(by: { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }) where left > 0 {
            parts[i] += 1
            left -= 1
        }
        return parts.map { Money(units: $0, scale: decimals) }
    }
}

/// The preview of a return.
enum ReturnPreview {
    static func units(_ refund: Refund) -> String {
        let n = refund.refundLineItems.reduce(0) { $0 + $1.quantity }
        return "\(n) unit\(n == 1 ? "" : "s")"
    }

    static func render(_ r: RefundChange, request: ReturnCommand, order: Order, inventory: [String: Int], context: Context) -> String {
        var out = [
            context.style.bold("Return on \(order.name)")
                + " — \(Sanitizer.clean(order.customer.fullName)), \(order.show(order.totalPrice)), \(order.financialStatus.rawValue)"
        ]
        for rl in r.refund.refundLineItems {
            guard let line = order.lineItems.first(where: { $0.id == rl.lineItemId }) else { continue }
            let what = rl.restockType == .cancel ? "removed (not shipped)" : "returned (shipped)"
            var value = order.show(rl.subtotal)
            if !rl.totalTax.isZero {
                value += order.taxesIncluded ? " incl. \(order.show(rl.totalTax)) tax" : " + \(order.show(rl.totalTax)) tax"
            }
            out.append(PreviewView.row("Item", "\(Sanitizer.clean(line.sku)) ×\(rl.quantity) \(what): \(value)"))
        }
        for a in r.refund.orderAdjustments { out.append(PreviewView.row("Shipping", "\(order.show(.zero - a.amount)) refunded")) }
        var money: String
        if r.refund.amount.isPositive {
            money = "refund " + EventSummary.money(r.refund, order: order)
        } else if request.refund == .later && order.refundable.isPositive {
            money = "refund later: the amount will be owed"
        } else {
            money = "nothing to refund (nothing was paid for these units)"
        }
        out.append(PreviewView.row("Money", money))
        out += PreviewView.stock(
            r.restocked.map { ($0.sku, $0.quantity) }, inventory: inventory, style: context.style, none: "not restocked")
        out += PreviewView.notice(r.notice, style: context.style)
        if let note = request.note, !note.isEmpty { out.append(PreviewView.row("Note", Sanitizer.clean(note))) }
        return out.joined(separator: "\n")
    }
}
