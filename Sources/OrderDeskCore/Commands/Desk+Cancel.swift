/// `cancel`: the Shopify cancel dialog, as rules over the current state.
extension Desk {
    static func cancel(_ request: CancelCommand, _ state: StoreState, _ context: Context) throws(OrderDeskError) -> Plan {
        let effects = try cancellation(request, state, context)
        let order = try order(request.order, state)
        let inventory = state.inventory  // not `state` in the preview: see Plan.init
        let name = order.name
        return Plan(
            question: "Cancel \(order.name)?",
            preview: CancelPreview.render(effects, order: order, inventory: inventory, context: context),
            confirm: context.interactive && !request.yes, dryRun: request.dryRun,
            decide: { current throws(OrderDeskError) in [.orderCancelled(try cancellation(request, current, context))] },
            done: { after, events in
                guard case .orderCancelled(let c)? = events.first?.change, let now = after.order(named: c.order) else {
                    return "\(name) cancelled."
                }
                return "\(c.order) cancelled " + Sanitizer.clean(EventSummary.cancellation(c, order: now))
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

        var ids = IDs(state)
        // Money: what was captured is refunded (now, as credit) or owed (later); what is only
        // authorized is voided. A partly paid order gets both.
        let ledger = order.ledger
        let voids = ledger.openAuthorizations.map {
            Transaction(
                id: ids.next(), kind: .void, amount: $0.amount, currency: order.currency, gateway: order.paymentGateway,
                parentId: $0.id, createdAt: context.now)
        }
        var refund: Refund?
        let due = ledger.refundable
        var refundMode = CancelRefund(rawValue: mode.rawValue) ?? .now
        if due.isPositive && mode != .later {
            refund = Refund(
                id: ids.next(), createdAt: context.now, note: "Order cancelled",
                transactions: MoneyMoves.refund(due, of: order, credit: mode == .credit, ids: &ids, at: context.now))
        } else if !order.amountPaid.isPositive {
            refundMode = .void
        }
        let owed = mode == .later ? due : Money.zero
        let restocked =
            restock
            ? order.lineItems.compactMap { line -> RestockLine? in
                // The units still on the order: neither fulfilled nor removed by a return (which
                // restocked them or, told not to, left them out of stock), and not in stock already.
                let units = line.quantity - line.fulfilledQuantity - max(order.removedUnits(of: line), line.restocked)
                return line.isStocked && units > 0 ? RestockLine(lineItemId: line.id, sku: line.sku, quantity: units) : nil
            } : []
        var notice: Notice?
        if notify {
            notice = Notice(
                id: ids.next(), at: context.now, order: order.name, to: order.email,
                subject: "Your order \(order.name) has been cancelled",
                body: NoticeText.cancelled(
                    order: order, reason: reason, refund: refund, voided: voids.reduce(.zero) { $0 + $1.amount }, owed: owed,
                    offer: request.offer),
                agent: context.agent)
        }
        return Cancellation(
            order: order.name, reason: reason, note: request.note, refundMode: refundMode, refund: refund, voids: voids,
            restocked: restocked, notice: notice, offer: request.offer)
    }
}

/// The preview shown before a cancel is confirmed, and by `--dry-run`.
enum CancelPreview {
    static func render(_ c: Cancellation, order: Order, inventory: [String: Int], context: Context) -> String {
        let style = context.style
        var out = [
            style.bold("Cancel \(order.name)")
                + " — \(OrderView.customer(order)), placed \(context.show(order.createdAt)), \(order.show(order.totalPrice))",
            PreviewView.row("Reason", "\(c.reason.label) (\(c.reason.rawValue))"),
        ]
        var money: [String] = []
        let voided = c.voids.reduce(Money.zero) { $0 + $1.amount }
        if voided.isPositive { money.append("void the authorization of \(order.show(voided)) (not captured)") }
        if let r = c.refund { money.append("refund " + EventSummary.money(r, order: order) + " now") }
        if c.refundMode == .later && order.refundable.isPositive {
            money.append("refund later: \(order.show(order.refundable)) will be owed")
        }
        if money.isEmpty {
            money.append(
                order.amountPaid.isPositive
                    ? "nothing left to refund (\(order.financialStatus.rawValue))" : "nothing was paid, nothing to refund")
        }
        let outstanding = order.outstanding
        if outstanding.isPositive { money.append("the \(order.show(outstanding)) still unpaid is no longer due") }
        out.append(PreviewView.row("Money", money.joined(separator: "; ")))
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

    /// The cancel notice: exactly what happened to the money (refunded where, voided, owed).
    static func cancelled(order: Order, reason: CancelReason, refund: Refund?, voided: Money, owed: Money, offer: String?)
        -> String
    {
        let name = order.customer.firstName.isEmpty ? "" : " \(order.customer.firstName)"
        var lines = ["Hello\(name),", "", "We have cancelled your order \(order.name) \(self.reason(reason))."]
        if let refund, refund.amount.isPositive { lines.append(refunded(refund, order: order)) }
        if owed.isPositive {
            lines.append("A refund of \(order.show(owed)) will follow shortly; we will let you know when it is on its way.")
        }
        if voided.isPositive {
            lines.append(
                order.amountPaid.isPositive
                    ? "The rest of the payment, \(order.show(voided)), was never charged: that authorization has been released."
                    : "You have not been charged: the payment authorization of \(order.show(voided)) has been released.")
        }
        if (refund?.amount.isPositive ?? false) == false && !owed.isPositive && !voided.isPositive {
            lines.append(order.amountRefunded.isPositive ? "Your payment has already been refunded." : "You have not been charged.")
        }
        if let offer, !offer.isEmpty { lines += ["", "As a small apology: \(offer)"] }
        lines += ["", "If you have any questions, just reply to this message."]
        return lines.joined(separator: "\n")
    }

    /// The message sent with a refund or a return: `returned` shipped units came back, `removed`
    /// units not yet shipped were taken off the order, `owed` is left to refund later.
    static func refundNotice(
        _ refund: Refund, order: Order, id: Int64, context: Context, returned: Int = 0, removed: Int = 0, owed: Money = .zero
    ) -> Notice {
        let hello = order.customer.firstName.isEmpty ? "Hello," : "Hello \(order.customer.firstName),"
        var lines = [hello, ""]
        if returned > 0 {
            lines.append("We have received the \(returned == 1 ? "item" : "\(returned) items") you sent back from order \(order.name).")
        }
        if removed > 0 {
            lines.append(
                "We have taken the \(removed == 1 ? "item" : "\(removed) items") that had not been sent yet off order \(order.name).")
        }
        let money = refunded(refund, order: order)
        if !money.isEmpty {
            lines.append(money)
        } else if owed.isPositive {
            lines.append("A refund of \(order.show(owed)) will follow shortly; we will let you know when it is on its way.")
        } else {
            lines.append("There is no payment to refund on order \(order.name).")
        }
        lines += ["", "If you have any questions, just reply to this message."]
        return Notice(
            id: id, at: context.now, order: order.name, to: order.email,
            subject: returned > 0
                ? "Your return for order \(order.name)"
                : removed > 0 ? "A change to your order \(order.name)" : "A refund on your order \(order.name)",
            body: lines.joined(separator: "\n"), agent: context.agent)
    }

    /// "We have refunded 20.00 EUR to your gift card and 7.00 EUR to your original payment method."
    static func refunded(_ refund: Refund, order: Order) -> String {
        var credit = Money.zero
        var card = Money.zero
        var original = Money.zero
        for t in refund.transactions where t.succeeded && t.transfer == nil {
            if t.gateway == Gateway.storeCredit {
                credit = credit + t.amount
            } else if t.gateway == Gateway.giftCard {
                card = card + t.amount
            } else {
                original = original + t.amount
            }
        }
        var parts: [String] = []
        if card.isPositive { parts.append("\(order.show(card)) to your gift card") }
        if original.isPositive { parts.append("\(order.show(original)) to your original payment method") }
        var text = parts.isEmpty ? "" : "We have refunded " + parts.joined(separator: " and ") + "."
        if original.isPositive { text += " Depending on your bank it can take a few days to appear." }
        if credit.isPositive {
            text += (text.isEmpty ? "" : " ") + "We have issued \(order.show(credit)) as store credit, ready for your next order."
        }
        return text
    }
}
