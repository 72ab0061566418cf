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
            let voided = voids.reduce(Money.zero) { $0 + $1.amount }
            notice = try NoticeWriter(state, context).write(.cancel, order: order, id: ids.next()) { amount in
                var fields = amount.refund(refund)
                fields["reason"] = reason.rawValue
                fields["owed"] = amount(owed)
                fields["voided"] = amount(voided)
                fields["paid"] = amount(order.amountPaid)
                fields["already_refunded"] = amount(order.amountRefunded)
                fields["offer"] = request.offer
                return fields
            }
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

/// The messages sent with refunds and returns.
enum NoticeText {
    /// The notice of a refund or a return: `returned` shipped units came back, `removed` units not
    /// yet shipped were taken off the order, `owed` is left to refund later.
    static func refundNotice(
        _ refund: Refund, order: Order, id: Int64, _ state: StoreState, context: Context, returned: Int = 0, removed: Int = 0,
        owed: Money = .zero
    ) throws(OrderDeskError) -> Notice {
        let kind: NoticeKind = returned > 0 ? .return : removed > 0 ? .change : .refund
        return try NoticeWriter(state, context).write(kind, order: order, id: id) { amount in
            var fields = amount.refund(refund)
            fields["returned"] = returned > 0 ? "\(returned)" : nil
            fields["removed"] = removed > 0 ? "\(removed)" : nil
            fields["owed"] = amount(owed)
            return fields
        }
    }
}
