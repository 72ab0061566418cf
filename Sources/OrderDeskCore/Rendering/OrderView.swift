/// The whole of one order, for `show`.
enum OrderView {
    /// `Ada Example <ada@example.com>`; the name alone when the order has no email (a COD form, a
    /// draft), the email alone without a name, and `(none given)` without either.
    static func customer(_ o: Order) -> String {
        let name = Sanitizer.clean(o.customer.fullName)
        let email = o.email.isEmpty ? "" : "<\(Sanitizer.clean(o.email))>"
        let both = [name, email].filter { !$0.isEmpty }.joined(separator: " ")
        return both.isEmpty ? "(none given)" : both
    }

    static func render(_ o: Order, feedback: [Feedback], inventory: [String: Int], context: Context) -> String {
        let style = context.style
        func clean(_ s: String) -> String { Sanitizer.clean(s) }
        var out: [String] = []
        var title = style.bold(o.isCancelled ? style.strike(o.name) : o.name)
        if o.isCancelled { title += "  " + style.red(style.bold("CANCELLED")) }
        title += "  " + o.financialStatus.rawValue + " · " + (o.fulfillmentStatus?.rawValue ?? "unfulfilled")
        out.append(title)
        out.append("Placed     \(context.show(o.createdAt))")
        out.append("Customer   \(customer(o))")
        if let a = o.shippingAddress {
            out.append("Ship to    \(clean(a.name)), \(clean(a.address1)), \(clean(a.zip)) \(clean(a.city)), \(clean(a.country))")
        }
        if !o.tags.isEmpty { out.append("Tags       \(clean(o.tags))") }
        if let note = o.note, !note.isEmpty { out.append("Note       \(clean(note))") }

        out.append("")
        var lines = TextTable(
            ["SKU", "Item", "Qty", "Restocked", "Price", "Total"], [.left, .left, .right, .right, .right, .right])
        for l in o.lineItems {
            var item = l.variantTitle.map { "\(l.title) — \($0)" } ?? l.title
            if l.giftCard { item += " (gift card)" }
            let gone = o.removedUnits(of: l)
            if gone > 0 && !o.isCancelled { item += " (\(gone) returned or removed)" }
            var sku = clean(l.sku.isEmpty ? "(none)" : l.sku)
            if let level = inventory[l.sku], level < 0 { sku += style.red(" oversold") }
            lines.add([
                sku, truncated(clean(item), 36), String(l.quantity), String(l.restocked),
                l.price.formatted(decimals: o.decimals), (l.price * l.quantity).formatted(decimals: o.decimals),
            ])
        }
        out.append(lines.render(style))

        out.append("")
        out.append(style.bold("Money") + " (\(o.currency)\(o.taxesIncluded ? ", prices include tax" : ""))")
        out += MoneyView.lines(o, context: context)

        if let at = o.cancelledAt {
            out.append("")
            let reason = (o.cancellation?.reason ?? o.cancelReason).map { "\($0.label) (\($0.rawValue))" } ?? "no reason given"
            let by = o.cancellation.map { " by \(clean($0.agent))" } ?? ""
            out.append(style.red("Cancelled \(context.show(at))\(by): \(reason)"))
            if let c = o.cancellation {
                let refund: String
                switch c.refund {
                case .now: refund = "refunded now to the original payment method"
                case .credit: refund = "refunded as store credit"
                case .later: refund = "refund later"
                case .void: refund = "payment voided"
                }
                out.append("  Refund: \(refund) · customer \(c.notified ? "notified" : "not notified")")
                if let note = c.note, !note.isEmpty { out.append("  Staff note: \(clean(note))") }
            }
        }
        if let from = o.recreatedFrom { out.append("Recreated from \(from) (a cancelled order)") }
        if let to = o.recreatedAs { out.append(style.cyan("Recreated as \(to)")) }

        out.append("")
        out.append(style.bold("Timeline"))
        for t in o.timeline {
            let who = t.agent.map { clean($0).padding(8) } ?? "".padding(8)
            out.append("  \(context.show(t.at))  \(who)  \(clean(t.message))")
        }
        if !feedback.isEmpty {
            out.append("")
            out.append(style.bold("Feedback"))
            for f in feedback {
                out.append(
                    "  \(context.show(f.at))  \(Stars.text(f.rating))  \(clean(f.text.isEmpty ? "(no comment)" : f.text))  (\(clean(f.agent)))"
                )
            }
        }
        return out.joined(separator: "\n")
    }
}

extension String {
    /// The text padded with spaces to `width` terminal columns (wide characters count two).
    public func padding(_ width: Int) -> String {
        self + String(repeating: " ", count: max(0, width - displayWidth(self)))
    }
}
