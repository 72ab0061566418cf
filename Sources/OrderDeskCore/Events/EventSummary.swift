/// One-line, plain-words summaries of events, for timelines and the audit log.
public enum EventSummary {
    /// A cancel, for the timeline: "Cancelled (customer: …); refunded 12.00 …" (the demo
    /// generator writes its history with it too).
    public static func cancelled(_ c: Cancellation, order: Order) -> String {
        "Cancelled " + cancellation(c, order: order)
    }

    /// What a cancel did, after the word "cancelled": "(customer: …); refunded 12.00 …; customer notified".
    /// `order` is the order as the cancel left it.
    static func cancellation(_ c: Cancellation, order: Order) -> String {
        var parts = ["(\(c.reason.rawValue): \(c.reason.label))"]
        let voided = c.voids.reduce(Money.zero) { $0 + $1.amount }
        if voided.isPositive { parts.append("authorization of \(order.show(voided)) voided") }
        if let refund = c.refund, refund.amount.isPositive { parts.append("refunded " + money(refund, order: order)) }
        if order.refundOwed.isPositive { parts.append("refund of \(order.show(order.refundOwed)) owed") }
        if parts.count == 1 { parts.append(order.amountPaid.isPositive ? "nothing left to refund" : "nothing was paid") }
        let units = c.restocked.reduce(0) { $0 + $1.quantity }
        parts.append(units > 0 ? "\(units) unit\(units == 1 ? "" : "s") restocked" : "not restocked")
        parts.append(c.notice != nil ? "customer notified" : "customer not notified")
        return parts.joined(separator: "; ")
    }

    /// Where a refund's money went: "12.00 EUR to shopify_payments", "5.00 EUR as store credit",
    /// "20.00 EUR to gift_card and 7.00 EUR to shopify_payments".
    public static func money(_ refund: Refund, order: Order) -> String {
        let parts = refund.transactions.filter(\.succeeded).map { t in
            if let to = t.transfer { return "\(order.show(t.amount)) moved to \(to)" }
            if t.gateway == Gateway.storeCredit { return "\(order.show(t.amount)) as store credit" }
            if t.gateway == Gateway.unknown { return "\(order.show(t.amount)) to the original payment method" }
            return "\(order.show(t.amount)) to \(t.gateway)"
        }
        return parts.isEmpty ? "nothing" : parts.joined(separator: " and ")
    }

    /// The timeline entry of a refund or a return; `order` is the order after it.
    public static func refunded(_ r: RefundChange, order: Order, returned: Bool = false) -> String {
        var text: String
        if returned {
            let removed = r.refund.refundLineItems.filter { $0.restockType == .cancel }.reduce(0) { $0 + $1.quantity }
            let units = r.refund.refundLineItems.reduce(0) { $0 + $1.quantity } - removed
            var taken: [String] = []
            if units > 0 { taken.append("returned \(units) unit\(units == 1 ? "" : "s")") }
            if removed > 0 { taken.append("removed \(removed) unshipped unit\(removed == 1 ? "" : "s")") }
            let said = taken.isEmpty ? "returned 0 units" : taken.joined(separator: " and ")
            text = said.prefix(1).uppercased() + said.dropFirst() + "; refunded " + money(r.refund, order: order)
            let back = r.restocked.reduce(0) { $0 + $1.quantity }
            text += back > 0 ? "; \(back) restocked" : "; not restocked"
        } else {
            text = "Refunded " + money(r.refund, order: order)
        }
        if order.refundOwed.isPositive { text += "; \(order.show(order.refundOwed)) still owed" }
        if r.notice != nil { text += "; customer notified" }
        return text
    }

    /// The timeline entry of a payment collected.
    public static func paid(_ p: PaymentChange, order: Order) -> String {
        let what = p.transactions.map { t in
            (t.kind == .capture ? "Captured \(order.show(t.amount)) via " : "Payment of \(order.show(t.amount)) recorded via ") + t.gateway
        }.joined(separator: "; ")
        let due = order.outstanding
        return what + (due.isPositive ? "; \(order.show(due)) still outstanding" : "; paid in full")
    }

    static func restocked(_ lines: [RestockLine]) -> String {
        let units = lines.reduce(0) { $0 + $1.quantity }
        let detail = lines.map { "\($0.sku.isEmpty ? "(no SKU)" : $0.sku) ×\($0.quantity)" }.joined(separator: ", ")
        return "Restocked \(units) unit\(units == 1 ? "" : "s"): \(detail)"
    }

    /// A one-line description of any event, for `log`.
    public static func describe(_ event: Event, in state: StoreState) -> String {
        // The order's own timeline entry says it as it was then (what was owed at the time).
        if let name = event.change.orderNames.first, let order = state.order(named: name),
            let entry = order.timeline.last(where: { $0.seq == event.seq })
        {
            switch event.change {
            case .orderCancelled, .orderRefunded, .orderReturned, .paymentRecorded, .orderRestocked:
                return "\(name) " + entry.message
            default: break
            }
        }
        switch event.change {
        case .settingChanged(let s): return "Setting \(s.key) changed from \(s.previous) to \(s.value)"
        case .orderCancelled(let c):
            guard let order = state.order(named: c.order) else { return "Cancelled \(c.order)" }
            return "\(c.order) " + cancelled(c, order: order)
        case .orderRefunded(let r):
            guard let order = state.order(named: r.order) else { return "Refund on \(r.order)" }
            return "\(r.order) " + refunded(r, order: order)
        case .orderReturned(let r):
            guard let order = state.order(named: r.order) else { return "Return on \(r.order)" }
            return "\(r.order) " + refunded(r, order: order, returned: true)
        case .paymentRecorded(let p):
            guard let order = state.order(named: p.order) else { return "Payment on \(p.order)" }
            return "\(p.order) " + paid(p, order: order)
        case .orderRestocked(let r): return "\(r.order) " + restocked(r.lines)
        case .customerNotified(let n): return "\(n.order) Customer notified: \(n.subject)"
        case .feedbackLogged(let f): return "\(f.order) Feedback logged: rating \(f.rating)"
        case .orderRecreated(let r): return "\(r.original) Recreated as \(r.order.name)"
        case .ordersImported(let i): return "Imported \(i.orders.count) orders from \(i.source)"
        case .ordersUpdated(let u):
            return "Updated \(u.orders.count) order\(u.orders.count == 1 ? "" : "s") from Shopify (\(u.source)): "
                + u.orders.map(\.order).joined(separator: ", ")
        case .noticeDelivery(let d):
            switch d.outcome {
            case .sent: return "\(d.order) Notice \(d.noticeId) sent (attempt \(d.attempts))"
            case .deferred: return "\(d.order) Notice \(d.noticeId) not sent, will try again: \(d.reason ?? "")"
            case .failed: return "\(d.order) Notice \(d.noticeId) failed (attempt \(d.attempts)): \(d.reason ?? "")"
            }
        case .snapshotEditAccepted(let e):
            guard e.listed else { return "Snapshot edit accepted (the orders it changed could not be listed)" }
            let what = e.orders + e.parts
            return "Snapshot edit accepted: " + (what.isEmpty ? "no content changed" : what.joined(separator: ", "))
        }
    }
}

extension EventSummary {
    /// The body of the notice telling a customer their order was cancelled, in the `cancel` command's
    /// words (the demo generator's history sends the same notices).
    public static func cancelNotice(
        order: Order, reason: CancelReason, refund: Refund?, voided: Money, owed: Money, offer: String?
    ) -> String {
        let writer = NoticeWriter(settings: Settings(), context: Context(now: Timestamp(seconds: 0), agent: ""))
        let notice = try? writer.write(.cancel, order: order, id: 0) { amount in
            var fields = amount.refund(refund)
            fields["reason"] = reason.rawValue
            fields["owed"] = amount(owed)
            fields["voided"] = amount(voided)
            fields["paid"] = amount(order.amountPaid)
            fields["already_refunded"] = amount(order.amountRefunded)
            fields["offer"] = offer
            return fields
        }
        return notice?.body ?? ""
    }

    /// The timeline entry of an order updated from Shopify: "Updated from Shopify (orders.json):
    /// fulfilled 2 units; refunded 12.00 EUR to shopify_payments; 1 restocked; cancelled there (customer)".
    /// `before` is the order as it was, to tell fulfilments cancelled in Shopify ("fulfilment
    /// cancelled for 1 unit") from new ones.
    public static func updated(_ u: OrderUpdate, source: String, order: Order, before: Order? = nil) -> String {
        var parts: [String] = []
        func was(_ f: FulfilledLine) -> Int { before?.lineItems.first { $0.id == f.lineItemId }?.fulfilledQuantity ?? 0 }
        let up = u.fulfilled.filter { $0.quantity >= was($0) }
        let down = u.fulfilled.filter { $0.quantity < was($0) }
        if !up.isEmpty {
            // The new quantities are absolute: say how many lines, and the total now shipped.
            let units = up.reduce(0) { $0 + $1.quantity }
            parts.append("fulfilled \(units) unit\(units == 1 ? "" : "s") on \(up.count) line\(up.count == 1 ? "" : "s")")
        }
        if !down.isEmpty {
            let units = down.reduce(0) { $0 + was($1) - $1.quantity }
            parts.append("fulfilment cancelled for \(units) unit\(units == 1 ? "" : "s")")
        }
        for t in u.payments { parts.append("paid \(order.show(t.amount)) via \(t.gateway)") }
        for r in u.refunds { parts.append("refunded " + money(r, order: order)) }
        let back = u.restocked.reduce(0) { $0 + $1.quantity }
        if back > 0 { parts.append("\(back) restocked") }
        if u.cancelledAt != nil { parts.append("cancelled there" + (u.cancelReason.map { " (\($0.rawValue))" } ?? "")) }
        return "Updated from Shopify (\(source)): " + parts.joined(separator: "; ")
    }
}
