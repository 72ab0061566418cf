/// One-line, plain-words summaries of events, for timelines and the audit log.
public enum EventSummary {
    /// A cancel, for the timeline: "Cancelled (customer: …); refunded 12.00 …" (the demo
    /// generator writes its history with it too).
    public static func cancelled(_ c: Cancellation, order: Order) -> String {
        "Cancelled " + cancellation(c, order: order)
    }

    /// What a cancel did, after the word "cancelled": "(customer: …); refunded 12.00 …; customer notified".
    static func cancellation(_ c: Cancellation, order: Order) -> String {
        var parts = ["(\(c.reason.rawValue): \(c.reason.label))"]
        switch c.refundMode {
        case .void: parts.append("payment voided")
        case .later: parts.append("refund of \(order.show(c.refundOwed)) owed")
        default:
            if let refund = c.refund {
                let method = c.refundMode == .credit ? "as store credit" : "to the original payment method"
                parts.append("refunded \(order.show(refund.amount)) \(method)")
            }
            if c.refundOwed.isPositive { parts.append("\(order.show(c.refundOwed)) owed") }
        }
        let units = c.restocked.reduce(0) { $0 + $1.quantity }
        parts.append(units > 0 ? "\(units) unit\(units == 1 ? "" : "s") restocked" : "not restocked")
        parts.append(c.notice != nil ? "customer notified" : "customer not notified")
        return parts.joined(separator: "; ")
    }

    /// The timeline entry of a refund.
    public static func refunded(_ r: RefundChange, order: Order) -> String {
        let method = r.refund.transactions.first?.method == .storeCredit ? "as store credit" : "to the original payment method"
        var text = "Refunded \(order.show(r.refund.amount)) \(method)"
        if r.refundOwed.isPositive { text += "; \(order.show(r.refundOwed)) still owed" }
        return text
    }

    static func restocked(_ lines: [RestockLine]) -> String {
        let units = lines.reduce(0) { $0 + $1.quantity }
        let detail = lines.map { "\($0.sku.isEmpty ? "(no SKU)" : $0.sku) ×\($0.quantity)" }.joined(separator: ", ")
        return "Restocked \(units) unit\(units == 1 ? "" : "s"): \(detail)"
    }

    /// A one-line description of any event, for `log`.
    public static func describe(_ event: Event, in state: StoreState) -> String {
        switch event.change {
        case .settingChanged(let s): return "Setting \(s.key) changed from \(s.previous) to \(s.value)"
        case .orderCancelled(let c):
            guard let order = state.order(named: c.order) else { return "Cancelled \(c.order)" }
            return "\(c.order) " + cancelled(c, order: order)
        case .orderRefunded(let r):
            guard let order = state.order(named: r.order) else { return "Refund on \(r.order)" }
            return "\(r.order) " + refunded(r, order: order)
        case .orderRestocked(let r): return "\(r.order) " + restocked(r.lines)
        case .customerNotified(let n): return "\(n.order) Customer notified: \(n.subject)"
        case .feedbackLogged(let f): return "\(f.order) Feedback logged: rating \(f.rating)"
        case .orderRecreated(let r): return "\(r.original) Recreated as \(r.order.name)"
        case .ordersImported(let i): return "Imported \(i.orders.count) orders from \(i.source)"
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
        order: Order, reason: CancelReason, refundMode: CancelRefund, refund: Refund?, owed: Money, offer: String?
    ) -> String {
        NoticeText.cancelled(order: order, reason: reason, refundMode: refundMode, refund: refund, owed: owed, offer: offer)
    }
}
