/// After a cancel: refund, restock, notify, feedback.
extension Desk {
    static func refund(_ request: RefundCommand, _ state: StoreState, _ context: Context) throws(OrderDeskError) -> Plan {
        let change = try refundChange(request, state, context)
        let order = try order(request.order, state)
        var preview = [
            context.style.bold("Refund \(order.name)") + " — \(Sanitizer.clean(order.customer.fullName)), \(order.show(order.totalPrice))",
            PreviewView.row(
                "Money",
                "refund " + EventSummary.money(change.refund, order: order)
                    + " (paid \(order.show(order.amountPaid)), given back so far \(order.show(order.ledger.totalReleased)))"),
        ]
        preview += PreviewView.notice(change.notice, style: context.style)
        if let note = request.note, !note.isEmpty { preview.append(PreviewView.row("Note", Sanitizer.clean(note))) }
        let text = preview.joined(separator: "\n")
        return Plan(
            question: "Refund \(order.show(change.refund.amount)) on \(order.name)?", preview: text,
            confirm: context.interactive && !request.yes, dryRun: request.dryRun,
            decide: { current throws(OrderDeskError) in [.orderRefunded(try refundChange(request, current, context))] },
            done: { after, events in
                guard case .orderRefunded(let r)? = events.first?.change, let now = after.order(named: r.order) else {
                    return "Refunded."
                }
                var text = "Refunded \(EventSummary.money(r.refund, order: now)) on \(r.order); it is now \(now.financialStatus.rawValue)."
                if now.refundOwed.isPositive { text += " Still owed: \(now.show(now.refundOwed))." }
                if r.notice != nil { text += " Customer notified." }
                return text
            })
    }

    static func refundChange(_ request: RefundCommand, _ state: StoreState, _ context: Context) throws(OrderDeskError) -> RefundChange {
        let order = try order(request.order, state)
        let available = order.refundable
        guard available.isPositive else {
            if let moved = order.recreatedAs, order.ledger.movedOut.isPositive { throw .paymentMoved(order: order.name, to: moved) }
            throw .nothingToRefund(order: order.name)
        }
        var amount = available
        if let text = request.amount {
            guard let parsed = Money(text), parsed.isPositive, parsed.scale <= order.decimals else {
                throw .badAmount(text, currency: order.currency, decimals: order.decimals)
            }
            guard parsed <= available else {
                throw .refundTooLarge(order: order.name, requested: order.show(parsed), available: order.show(available))
            }
            amount = parsed.rescaled(to: order.decimals)
        }
        var ids = IDs(state)
        let refund = Refund(
            id: ids.next(), createdAt: context.now, note: request.note,
            transactions: MoneyMoves.refund(amount, of: order, credit: request.credit, ids: &ids, at: context.now))
        let notice = request.notify ? try NoticeText.refundNotice(refund, order: order, id: ids.next(), state, context: context) : nil
        return RefundChange(order: order.name, refund: refund, notice: notice)
    }

    static func restock(_ request: RestockCommand, _ state: StoreState, _ context: Context) throws(OrderDeskError) -> Plan {
        let lines = try restockLines(request, state)
        let name = try order(request.order, state).name
        let text =
            (["Restock \(name)"]
            + PreviewView.stock(lines.map { ($0.sku, $0.quantity) }, inventory: state.inventory, style: context.style, none: "nothing"))
            .joined(separator: "\n")
        return Plan(
            question: "Restock \(name)?", preview: text, confirm: false, dryRun: false,
            decide: { current throws(OrderDeskError) in
                [.orderRestocked(RestockChange(order: try order(request.order, current).name, lines: try restockLines(request, current)))]
            },
            done: { after, events in
                guard case .orderRestocked(let r)? = events.first?.change else { return "Restocked." }
                let parts = r.lines.map { "\(Sanitizer.clean($0.sku)) +\($0.quantity) (now \(after.inventory[$0.sku] ?? 0))" }
                return "Restocked \(name): " + parts.joined(separator: ", ")
            })
    }

    static func restockLines(_ request: RestockCommand, _ state: StoreState) throws(OrderDeskError) -> [RestockLine] {
        let order = try order(request.order, state)
        if let to = order.recreatedAs { throw .unitsMoved(order: order.name, to: to) }
        guard order.isCancelled || order.lineItems.contains(where: { order.removedUnits(of: $0) > 0 }) else {
            throw .notCancelled(order: order.name, action: "restocked by hand")
        }
        var result: [RestockLine] = []
        if request.all {
            result = order.lineItems.filter { order.restockable($0) > 0 }.map {
                RestockLine(lineItemId: $0.id, sku: $0.sku, quantity: order.restockable($0))
            }
            guard !result.isEmpty else { throw .nothingToRestock(order: order.name) }
            return result
        }
        for (sku, quantity) in request.items {
            let lines = order.lineItems.filter { $0.sku.caseInsensitiveEquals(sku) && $0.isStocked }
            guard !lines.isEmpty else { throw .skuNotOnOrder(order: order.name, sku: sku) }
            let already = result.filter { r in lines.contains { $0.id == r.lineItemId } }.reduce(0) { $0 + $1.quantity }
            let available = lines.reduce(0) { $0 + order.restockable($1) } - already
            var wanted = quantity ?? available
            guard wanted > 0, wanted <= available else {
                throw .restockTooMany(order: order.name, sku: lines[0].sku, requested: quantity ?? 0, available: available)
            }
            for line in lines where wanted > 0 {
                let taken = result.filter { $0.lineItemId == line.id }.reduce(0) { $0 + $1.quantity }
                let n = min(wanted, order.restockable(line) - taken)
                if n > 0 {
                    result.append(RestockLine(lineItemId: line.id, sku: line.sku, quantity: n))
                    wanted -= n
                }
            }
        }
        return result
    }

    static func notify(_ name: String, _ text: String, _ state: StoreState, _ context: Context) throws(OrderDeskError) -> Plan {
        @Sendable func notice(_ s: StoreState) throws(OrderDeskError) -> Notice {
            let order = try order(name, s)
            return try NoticeWriter(s, context).write(.message, order: order, id: newID(s)) { _ in
                ["message": text.replacingEscapedNewlines]
            }
        }
        let n = try notice(state)
        return Plan(
            question: "Send this message to \(n.to)?", preview: PreviewView.notice(n, style: context.style).joined(separator: "\n"),
            confirm: false, dryRun: false,
            decide: { current throws(OrderDeskError) in [.customerNotified(try notice(current))] },
            done: { _, events in
                guard case .customerNotified(let sent)? = events.first?.change else { return "Message kept in the outbox." }
                return "Message to \(Sanitizer.clean(sent.to)) " + PreviewView.noticeState(sent)
            })
    }

    static func feedback(order name: String, rating: Int, text: String, _ state: StoreState, _ context: Context) throws(OrderDeskError)
        -> Plan
    {
        @Sendable func entry(_ s: StoreState) throws(OrderDeskError) -> Feedback {
            let order = try order(name, s)
            return Feedback(
                id: newID(s), order: order.name, email: order.email, rating: rating, text: text, agent: context.agent, at: context.now)
        }
        let shown = try entry(state).order
        return Plan(
            question: "Log feedback?", preview: "\(shown) \(Stars.text(rating))", confirm: false, dryRun: false,
            decide: { current throws(OrderDeskError) in [.feedbackLogged(try entry(current))] },
            done: { _, _ in "Feedback \(Stars.text(rating)) logged on \(shown)." })
    }
}

extension String {
    /// `\n` typed in a message becomes a line break.
    var replacingEscapedNewlines: String {
        split(separator: "\\n", omittingEmptySubsequences: false).joined(separator: "\n")
    }
}
