/// The money block of `show`: the totals, then the ledger (payments, refunds, moves) and what
/// is outstanding, refundable or owed.
enum MoneyView {
    static func lines(_ o: Order, context: Context) -> [String] {
        let style = context.style
        var rows: [(String, String)] = []
        func add(_ label: String, _ amount: Money, _ note: String = "") {
            rows.append((label, amount.formatted(decimals: o.decimals) + (note.isEmpty ? "" : "  " + note)))
        }
        // The lines add up to the total in both tax modes.
        if !o.totalDiscounts.isZero {
            add("Items", o.lineItems.reduce(Money.zero) { $0 + $1.price * $1.quantity })
            add("Discounts", .zero - o.totalDiscounts)
        }
        add("Subtotal", o.subtotalPrice)
        if !o.totalShippingPrice.isZero { add("Shipping", o.totalShippingPrice) }
        if o.taxesIncluded {
            rows.append(("Total", o.totalPrice.formatted(decimals: o.decimals) + "  incl. \(o.show(o.totalTax)) tax"))
        } else {
            if !o.totalTax.isZero { add("Tax", o.totalTax) }
            add("Total", o.totalPrice)
        }
        let l = o.ledger
        add("Paid", l.totalCaptured)
        if l.authorizedOpen.isPositive { add("Authorized", l.authorizedOpen, "(not captured yet: capture \(o.name))") }
        if (l.refunded + l.credited).isPositive { add("Refunded", l.refunded + l.credited) }
        if l.movedOut.isPositive { add("Moved", l.movedOut, "(to \(o.recreatedAs ?? "the recreated order"))") }
        // What an open authorization covers is captured, not paid again.
        if o.outstanding.isPositive {
            add("Outstanding", o.outstanding, l.authorizedOpen >= o.outstanding ? "" : "(collect it: pay \(o.name))")
        }
        let width = rows.map { $0.1.prefix { $0 != " " }.count }.max() ?? 0
        var out = rows.map { label, text in
            let amount = text.prefix { $0 != " " }
            return "  " + label.padding(12) + String(repeating: " ", count: max(0, width - amount.count)) + text
        }
        if o.refundOwed.isPositive {
            let text = o.refundOwed.formatted(decimals: o.decimals)
            // `--rest` gives back everything not yet given back: right only when that is what is owed
            // (a cancelled order); on an open order (units returned, refund left for later) it would
            // refund the units the customer keeps too, so the hint names the amount.
            let how = o.refundOwed >= o.refundable ? "--rest" : text
            out.append(
                style.yellow(
                    "  " + "Owed".padding(12) + String(repeating: " ", count: max(0, width - text.count)) + text
                        + "  (refund it: refund \(o.name) \(how))"))
        }
        for t in o.transactions {
            var line = "  \(t.kind.rawValue) \(context.show(t.createdAt))  \(o.show(t.amount)) via \(Sanitizer.clean(t.gateway))"
            if t.status != .success { line += " (\(t.status.rawValue))" }
            if let from = t.transfer { line += " (moved from \(from))" }
            out.append(style.dim(line))
        }
        for r in o.refunds {
            // A refund of units alone (nothing was paid for them, or refund later) moves no money.
            let money = r.amount.isPositive ? EventSummary.money(r, order: o) : "no money back"
            var line = "  refund \(context.show(r.createdAt))  " + money
            let units = r.refundLineItems.reduce(0) { $0 + $1.quantity }
            if units > 0 { line += " for \(units) unit\(units == 1 ? "" : "s")" }
            if let note = r.note, !note.isEmpty { line += "  \"\(Sanitizer.clean(note))\"" }
            out.append(style.dim(line))
        }
        return out
    }
}
