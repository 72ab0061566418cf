import OrderDeskCore

/// What happens to a demo order after it is placed: payment, fulfilment, refunds, a cancel,
/// feedback. Each step adds its timeline entry, worded as the event summaries word them.
extension DemoBuilder {
    /// Lives an order through to `now`: 6.5 % are cancelled; the rest are paid (some still
    /// authorized or pending when recent), fulfilled more often the older they are, and now and
    /// then refunded in part or in full.
    mutating func live(_ order: inout Order) {
        if cancelDeck.deal(using: &rng) {
            cancel(&order)
            return
        }
        let age = now.seconds - order.createdAt.seconds
        order.openLedger(openPayment(age: age), nextID: &transactionID)
        if order.financialStatus == .paid, let fulfilledAt = fulfil(&order, age: age) {
            if rng.chance(5) {
                refundPart(&order, after: fulfilledAt)
            } else if rng.chance(15, in: 1000) {
                refundAll(&order, after: fulfilledAt)
            }
        }
        maybeFeedback(&order)
    }

    /// The payment state of an order that was not cancelled: recent orders may still be
    /// authorized or pending; older ones nearly always paid.
    mutating func openPayment(age: Int64) -> FinancialStatus {
        let draw = rng.below(100)
        let (authorized, pending) = age < 14 * 86_400 ? (20, 15) : (1, 1)
        if draw < authorized { return .authorized }
        if draw < authorized + pending { return .pending }
        return .paid
    }

    /// Fulfils a paid order fully or in part, the more likely the older it is; returns when.
    mutating func fulfil(_ order: inout Order, age: Int64) -> Timestamp? {
        let (full, partial): (Int, Int)
        switch age {
        case ..<86_400: (full, partial) = (15, 8)
        case ..<(3 * 86_400): (full, partial) = (50, 12)
        case ..<(7 * 86_400): (full, partial) = (78, 9)
        default: (full, partial) = (92, 5)
        }
        let draw = rng.below(100)
        guard draw < full + partial, let at = after(order.createdAt, atLeast: 2 * 3_600, atMost: 3 * 86_400)
        else { return nil }
        let units = order.unitCount
        let message: String
        if draw < full || units < 2 {
            for index in order.lineItems.indices {
                order.lineItems[index].fulfilledQuantity = order.lineItems[index].quantity
            }
            order.fulfillmentStatus = .fulfilled
            message =
                units < DemoBuilder.fulfilledMessages.count
                ? DemoBuilder.fulfilledMessages[units] : "Fulfilled \(units) units"
        } else {
            let lines = order.lineItems.count
            if lines > 1 {
                for index in 0..<rng.int(in: 1...(lines - 1)) {
                    order.lineItems[index].fulfilledQuantity = order.lineItems[index].quantity
                }
            } else {
                order.lineItems[0].fulfilledQuantity = order.lineItems[0].quantity - 1
            }
            order.fulfillmentStatus = .partial
            let shipped = order.lineItems.reduce(0) { $0 + $1.fulfilledQuantity }
            message = "Fulfilled \(shipped) of \(units) units"
        }
        order.timeline.append(TimelineEntry(at: at, agent: nil, seq: nil, message: message))
        return at
    }

    /// "Fulfilled 1 unit" … "Fulfilled 60 units", written once and shared.
    static let fulfilledMessages: [String] = (0...60).map { "Fulfilled \($0) unit\($0 == 1 ? "" : "s")" }

    /// Refunds part of a fulfilled order: one returned unit, or a goodwill amount.
    mutating func refundPart(_ order: inout Order, after fulfilledAt: Timestamp) {
        guard let at = after(fulfilledAt, atLeast: 86_400, atMost: 20 * 86_400) else { return }
        let total = order.totalPrice
        let shipped = order.lineItems.indices.filter { order.lineItems[$0].fulfilledQuantity > 0 }
        var amount: Money
        var lines: [RefundLineItem] = []
        var note: String
        if rng.chance(60), let index = shipped.isEmpty ? nil : rng.pick(shipped),
            order.lineItems[index].price < total
        {
            amount = order.lineItems[index].price
            lines = [
                RefundLineItem(
                    lineItemId: order.lineItems[index].id, quantity: 1, restockType: .return, subtotal: amount, totalTax: .zero)
            ]
            order.lineItems[index].restocked = 1
            note = rng.pick(DemoCatalog.returnNotes)
        } else {
            let minor = total.units(atScale: order.decimals) ?? 0
            let raw = minor * Int64(rng.int(in: 10...25)) / 100
            let whole = raw / 100 * 100
            amount = Money(units: whole > 0 ? whole : raw, scale: order.decimals)
            note = rng.pick(DemoCatalog.goodwillNotes)
        }
        guard amount.isPositive, amount < total else { return }
        let refund = makeRefund(at: at, amount: amount, on: order, method: .original, note: note, lines: lines)
        record(refund, on: &order, agent: pickAgent())
    }

    /// Refunds a fully fulfilled order that came back whole.
    mutating func refundAll(_ order: inout Order, after fulfilledAt: Timestamp) {
        guard order.fulfillmentStatus == .fulfilled,
            let at = after(fulfilledAt, atLeast: 2 * 86_400, atMost: 30 * 86_400)
        else { return }
        var lines: [RefundLineItem] = []
        for index in order.lineItems.indices {
            let line = order.lineItems[index]
            lines.append(
                RefundLineItem(
                    lineItemId: line.id, quantity: line.quantity, restockType: .return, subtotal: line.price * line.quantity,
                    totalTax: .zero))
            order.lineItems[index].restocked = line.quantity
        }
        let refund = makeRefund(
            at: at, amount: order.totalPrice, on: order, method: .original, note: rng.pick(DemoCatalog.fullReturnNotes),
            lines: lines)
        record(refund, on: &order, agent: pickAgent())
    }

    /// Cancels an unfulfilled order the way the cancel command does: reason, staff note, money
    /// (refund now, as store credit, later, or void an unpaid payment), restock, notice.
    mutating func cancel(_ order: inout Order) {
        let reason = reasonDeck.deal(using: &rng)
        let payment = paymentBeforeCancel(reason)
        let at = after(order.createdAt, atLeast: 60, atMost: 2 * 86_400) ?? now
        let agent = pickAgent()
        let note = rng.chance(45) ? rng.pick(DemoCatalog.staffNotes(for: reason)) : nil
        let restock = rng.chance(reason == .inventory ? 30 : 85)
        let notify = rng.chance(reason == .fraud ? 20 : 85)

        var restocked: [RestockLine] = []
        if restock {
            for index in order.lineItems.indices {
                let line = order.lineItems[index]
                restocked.append(RestockLine(lineItemId: line.id, sku: line.sku, quantity: line.quantity))
                order.lineItems[index].restocked = line.quantity
            }
        }
        let total = order.totalPrice
        order.openLedger(payment, nextID: &transactionID)
        var mode = CancelRefund.void
        var owed = Money.zero
        var refund: Refund?
        let voids = order.ledger.openAuthorizations.map {
            Transaction(
                id: nextTransactionID(), kind: .void, amount: $0.amount, currency: order.currency, gateway: order.paymentGateway,
                parentId: $0.id, createdAt: at)
        }
        let money = payment == .paid ? cancelMoneyDeck.deal(using: &rng) : nil
        if let money {
            mode = money.mode
            if mode == .later {
                owed = total
            } else {
                refund = makeRefund(
                    at: at, amount: total, on: order, method: mode == .credit ? .storeCredit : .original, note: "Order cancelled",
                    lines: [])
            }
        }
        let notice =
            notify
            ? cancelNotice(
                order, reason: reason, refund: refund, voided: voids.reduce(.zero) { $0 + $1.amount }, owed: owed, at: at,
                agent: agent) : nil
        let change = Cancellation(
            order: order.name, reason: reason, note: note, refundMode: mode, refund: refund, voids: voids,
            restocked: restocked, notice: notice, offer: nil)

        order.cancelledAt = at
        order.cancelReason = reason.shopify
        order.transactions += voids
        if let refund { order.refunds.append(refund) }
        order.cancellation = CancellationRecord(agent: agent, reason: reason, note: note, refund: mode, notified: notify)
        StoreState.settle(&order)
        order.timeline.append(
            TimelineEntry(at: at, agent: agent, seq: nil, message: EventSummary.cancelled(change, order: order)))
        if let notice { outbox.append(notice) }

        // Some "refund later" cancels were refunded by hand within a week; the rest still owe.
        if money == .laterRefunded, let paidAt = after(at, atLeast: 86_400, atMost: 7 * 86_400) {
            let later = makeRefund(at: paidAt, amount: total, on: order, method: .original, note: nil, lines: [])
            record(later, on: &order, agent: pickAgent())
        }
        maybeFeedback(&order)
    }

    /// Cancels in 200 orders, for `DemoBuilder.cancelDeck`: 6.5 %.
    static let cancelCards: [(card: Bool, count: Int)] = [(true, 13), (false, 187)]

    /// How the money of a paid order was handled when it was cancelled.
    enum CancelMoney: Sendable {
        case now, credit
        /// Refund later, and it is still owed.
        case laterOwed
        /// Refund later, then refunded by hand (when there was time before `now`).
        case laterRefunded

        /// The cancel dialog's refund mode.
        var mode: CancelRefund {
            switch self {
            case .now: return .now
            case .credit: return .credit
            case .laterOwed, .laterRefunded: return .later
            }
        }

        /// Ten paid cancels: half refunded now, one as store credit, four later (three still owed).
        static let cards: [(card: CancelMoney, count: Int)] = [(.now, 5), (.credit, 1), (.laterOwed, 3), (.laterRefunded, 1)]
    }

    /// How the order stood before its cancel: declined payments never completed, fraud is
    /// often caught while only authorized, most other orders were paid.
    mutating func paymentBeforeCancel(_ reason: CancelReason) -> FinancialStatus {
        switch reason {
        case .declined: return rng.chance(60) ? .pending : .authorized
        case .fraud: return rng.chance(50) ? .authorized : .paid
        default:
            let draw = rng.below(100)
            return draw < 85 ? .paid : draw < 95 ? .authorized : .pending
        }
    }

    /// The notice telling the customer their order was cancelled, in the cancel command's words.
    func cancelNotice(
        _ order: Order, reason: CancelReason, refund: Refund?, voided: Money, owed: Money, at: Timestamp, agent: String
    ) -> Notice {
        Notice(
            id: 0, at: at, order: order.name, to: order.email, subject: "Your order \(order.name) has been cancelled",
            body: EventSummary.cancelNotice(order: order, reason: reason, refund: refund, voided: voided, owed: owed, offer: nil),
            agent: agent)
    }

    /// Now and then the customer rates the order: often after a cancel, sometimes after delivery,
    /// rarely while still waiting. Numbered later, in time order.
    mutating func maybeFeedback(_ order: inout Order) {
        let cancelled = order.isCancelled
        let odds = cancelled ? 150 : order.fulfillmentStatus == nil ? 10 : 28
        guard rng.chance(odds, in: 1000), let last = order.timeline.last,
            let at = after(last.at, atLeast: 3_600, atMost: 10 * 86_400)
        else { return }
        let rating: Int
        let text: String
        if cancelled || order.fulfillmentStatus != nil {
            rating = 1 + rng.pick(DemoCatalog.ratingWeights)
            let texts = cancelled ? DemoCatalog.cancellationFeedbackTexts : DemoCatalog.feedbackTexts
            text = rng.pick(texts[rating - 1])
        } else {
            rating = rng.int(in: 1...3)
            text = rng.pick(DemoCatalog.waitingFeedbackTexts)
        }
        let agent = pickAgent()
        feedback.append(
            Feedback(id: 0, order: order.name, email: order.email, rating: rating, text: text, agent: agent, at: at))
        order.timeline.append(TimelineEntry(at: at, agent: agent, seq: nil, message: "Feedback logged: rating \(rating)"))
    }

    /// The next transaction id.
    mutating func nextTransactionID() -> Int64 {
        transactionID += 1
        return transactionID - 1
    }

    /// A refund with the next refund id, its money back to the order's payment method (or as
    /// store credit).
    mutating func makeRefund(
        at: Timestamp, amount: Money, on order: Order, method: RefundMethod, note: String?, lines: [RefundLineItem]
    ) -> Refund {
        refundCount += 1
        let payment = order.transactions.last { $0.kind == .sale || $0.kind == .capture }
        let transaction = Transaction(
            id: nextTransactionID(), kind: .refund, amount: amount, currency: order.currency,
            gateway: method == .storeCredit ? Gateway.storeCredit : order.paymentGateway,
            parentId: method == .storeCredit ? nil : payment?.id, createdAt: at)
        return Refund(
            id: DemoIDs.refund + refundCount, createdAt: at, note: note, transactions: [transaction], refundLineItems: lines)
    }

    /// Adds a refund made after the fact, with its timeline entry.
    func record(_ refund: Refund, on order: inout Order, agent: String) {
        order.refunds.append(refund)
        StoreState.settle(&order)
        let change = RefundChange(order: order.name, refund: refund)
        order.timeline.append(
            TimelineEntry(at: refund.createdAt, agent: agent, seq: nil, message: EventSummary.refunded(change, order: order)))
    }

    /// An agent, the busier ones more often.
    mutating func pickAgent() -> String {
        DemoCatalog.agents[rng.pick(DemoCatalog.agentWeights)]
    }

    /// A moment `atLeast`…`atMost` seconds after `time` and not after `now`; nil when even
    /// `atLeast` would pass `now`.
    mutating func after(_ time: Timestamp, atLeast: Int64, atMost: Int64) -> Timestamp? {
        let room = now.seconds - time.seconds
        guard room >= atLeast else { return nil }
        return time.adding(seconds: atLeast + rng.below(min(atMost, room) - atLeast + 1))
    }
}
