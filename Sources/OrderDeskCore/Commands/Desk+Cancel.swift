/// `cancel`: the Shopify cancel dialog, as rules over the current state.
extension Desk {
    static func cancel(_ request: CancelCommand, _ state: StoreState, _ context: Context) throws(OrderDeskError) -> Plan {
        let effects = try cancellation(request, state, context)
        let order = try order(request.order, state)
        let inventory = state.inventory  // not `state` in the preview: see Plan.init
        return Plan(
            question: "Cancel \(request.order)?",
            preview: CancelPreview.render(effects, order: order, inventory: inventory, context: context),
            confirm: context.interactive && !request.yes, dryRun: request.dryRun,
            decide: { current throws(OrderDeskError) in [.orderCancelled(try cancellation(request, current, context))] },
            done: { _, events in
                guard case .orderCancelled(let c)? = events.first?.change else { return "\(request.order) cancelled." }
                return "\(c.order) cancelled " + Sanitizer.clean(EventSummary.cancellation(c, order: order))
            }
        ).offering(
            request.choices(
                refund: request.refund ?? state.settings.defaultRefund, restock: request.restock ?? state.settings.autoRestock,
                notify: effects.notice != nil), in: context)
    }

    /// The checks that come before any choice: the order exists, is not cancelled, is not fulfilled.
    static func cancellable(_ name: String, _ state: StoreState) throws(OrderDeskError) -> Order {
        let order = try order(name, state)
        if let at = order.cancelledAt {
            throw .alreadyCancelled(
                order: order.name, at: at, by: order.cancellation?.agent ?? "an earlier import", reason: order.cancelReason)
        }
        if order.hasFulfilment {
            throw .fulfilled(order: order.name, status: order.fulfillmentStatus == .fulfilled ? "fulfilled" : "partly fulfilled")
        }
        return order
    }

    /// The effects of a cancel against a state, or the refusal.
    static func cancellation(_ request: CancelCommand, _ state: StoreState, _ context: Context) throws(OrderDeskError) -> Cancellation {
        let order = try cancellable(request.order, state)
        guard let reason = request.reason else { throw .reasonRequired(order: order.name) }
        let mode = request.refund ?? state.settings.defaultRefund
        let restock = request.restock ?? state.settings.autoRestock
        let notify = request.notify ?? (reason != .fraud)

        var refundMode = CancelRefund(rawValue: mode.rawValue) ?? .now
        var refund: Refund?
        var status = order.financialStatus
        var owed = Money.zero
        switch order.financialStatus {
        case .authorized, .pending, .partiallyPaid:
            refundMode = .void
            status = .voided
        case .paid, .partiallyRefunded:
            let due = order.refundable
            guard due.isPositive else { break }
            switch mode {
            case .now, .credit:
                refund = Refund(
                    id: newID(state, 1), createdAt: context.now, note: "Order cancelled",
                    transactions: [RefundTransaction(amount: due, method: mode == .credit ? .storeCredit : .original)])
                status = .refunded
            case .later:
                owed = due
            }
        case .refunded, .voided:
            break
        }
        let restocked =
            restock
            ? order.lineItems.filter { $0.restockable > 0 && !$0.sku.isEmpty }.map {
                RestockLine(lineItemId: $0.id, sku: $0.sku, quantity: $0.restockable)
            } : []
        var notice: Notice?
        if notify {
            notice = Notice(
                id: newID(state, 2), at: context.now, order: order.name, to: order.email,
                subject: "Your order \(order.name) has been cancelled",
                body: NoticeText.cancelled(
                    order: order, reason: reason, refundMode: refundMode, refund: refund, owed: owed, offer: request.offer),
                agent: context.agent)
        }
        return Cancellation(
            order: order.name, reason: reason, note: request.note, refundMode: refundMode, refund: refund,
            financialStatus: status, refundOwed: owed, restocked: restocked, notice: notice, offer: request.offer)
    }
}

/// The preview shown before a cancel is confirmed, and by `--dry-run`.
enum CancelPreview {
    static func render(_ c: Cancellation, order: Order, inventory: [String: Int], context: Context) -> String {
        let style = context.style
        var out = [
            style.bold("Cancel \(order.name)")
                + " — \(Sanitizer.clean(order.customer.fullName)) <\(Sanitizer.clean(order.email))>, placed \(context.show(order.createdAt)), \(order.show(order.totalPrice))",
            PreviewView.row("Reason", "\(c.reason.label) (\(c.reason.rawValue))"),
        ]
        let money: String
        switch c.refundMode {
        case .void: money = "authorization voided; nothing was captured, nothing to refund"
        case .later: money = c.refundOwed.isPositive ? "refund later: \(order.show(c.refundOwed)) will be owed" : "nothing to refund"
        default:
            if let r = c.refund {
                money =
                    "refund \(order.show(r.amount)) now "
                    + (c.refundMode == .credit ? "as store credit" : "to the original payment method")
            } else {
                money = "nothing to refund (\(order.financialStatus.rawValue))"
            }
        }
        out.append(PreviewView.row("Money", money))
        out += PreviewView.stock(
            c.restocked.map { ($0.sku, $0.quantity) }, inventory: inventory, style: style, none: "not restocked")
        out += PreviewView.notice(c.notice, style: style)
        if let note = c.note, !note.isEmpty { out.append(PreviewView.row("Note", "\(Sanitizer.clean(note)) (staff only)")) }
        return out.joined(separator: "\n")
    }
}

/// The words of the messages sent to customers.
enum NoticeText {
    /// The reason as a customer reads it: plain, and never the word "fraud".
    static func reason(_ reason: CancelReason) -> String {
        switch reason {
        case .customer: return "as you asked us to"
        case .inventory: return "because one or more of its items are no longer available"
        case .fraud: return "because we could not verify the payment details"
        case .declined: return "because the payment was declined"
        case .shipping: return "because of a problem with delivering it to you"
        case .staff: return "because of an error on our side, for which we apologise"
        case .other: return "because we are unable to fulfil it"
        }
    }

    static func cancelled(order: Order, reason: CancelReason, refundMode: CancelRefund, refund: Refund?, owed: Money, offer: String?)
        -> String
    {
        let name = order.customer.firstName.isEmpty ? "" : " \(order.customer.firstName)"
        var lines = ["Hello\(name),", "", "We have cancelled your order \(order.name) \(self.reason(reason))."]
        switch refundMode {
        case .void: lines.append("You have not been charged: the payment authorization has been released.")
        case .credit:
            if let r = refund { lines.append("We have issued \(order.show(r.amount)) as store credit, ready for your next order.") }
        case .now:
            if let r = refund {
                lines.append(
                    "We have refunded \(order.show(r.amount)) to your original payment method. Depending on your bank it can take a few days to appear."
                )
            }
        case .later:
            if owed.isPositive {
                lines.append("A refund of \(order.show(owed)) will follow shortly; we will let you know when it is on its way.")
            }
        }
        if refund == nil && !owed.isPositive && refundMode != .void {
            lines.append(order.amountRefunded.isPositive ? "Your payment has already been refunded." : "You have not been charged.")
        }
        if let offer, !offer.isEmpty { lines += ["", "As a small apology: \(offer)"] }
        lines += ["", "If you have any questions, just reply to this message."]
        return lines.joined(separator: "\n")
    }
}
