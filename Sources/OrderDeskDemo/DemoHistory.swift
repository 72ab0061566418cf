import OrderDeskCore

/// What happens to a demo order after it is placed: payment, fulfilment, refunds and returns, a
/// cancel, feedback. Each step changes the order the way the store applies the matching event
/// (transactions on the ledger, then `StoreState.settle`) and adds its timeline entry in the
/// words of the event summaries.
extension DemoBuilder {
    /// How an order was paid when it was placed.
    enum Payment: Sendable, Equatable {
        case pending, authorized, paid
        /// A deposit: part of the total captured, the rest still due (`partially_paid`).
        case deposit
        /// Paid in full, part of it (or all, for a small order) with a gift card.
        case giftCard
    }

    /// Lives an order through to `now`: 6.5 % are cancelled; the rest are paid (a few partly with
    /// a gift card; some still authorized, pending or paid only a deposit when recent), fulfilled
    /// more often the older they are, and now and then refunded in part, or returned in part or
    /// whole.
    mutating func live(_ order: inout Order, currency: Int) {
        if cancelDeck.deal(using: &rng) {
            cancel(&order, currency: currency)
            return
        }
        let age = now.seconds - order.createdAt.seconds
        let payment = openPayment(age: age)
        pay(&order, payment, currency: currency)
        let paidAt = payment == .deposit ? payBalance(&order, age: age) : order.createdAt
        if order.financialStatus == .paid, let paidAt, let fulfilledAt = fulfil(&order, since: paidAt, age: age) {
            if rng.chance(5) {
                refundPart(&order, after: fulfilledAt)
            } else if rng.chance(15, in: 1000) {
                returnAll(&order, after: fulfilledAt)
            }
        }
        maybeFeedback(&order)
    }

    /// The payment of an order that was not cancelled: recent orders may still be authorized,
    /// pending or paid only a deposit; older ones nearly always paid (their deposits mostly
    /// settled since, see `payBalance`). A few pay with a gift card.
    mutating func openPayment(age: Int64) -> Payment {
        let draw = rng.below(100)
        let (authorized, pending, deposit) = age < 14 * 86_400 ? (20, 15, 5) : (1, 1, 3)
        if draw < authorized { return .authorized }
        if draw < authorized + pending { return .pending }
        if draw < authorized + pending + deposit { return .deposit }
        if draw < authorized + pending + deposit + 4 { return .giftCard }
        return .paid
    }

    /// Records the payment an order was placed with, as transactions (`Order.openLedger`): a
    /// deposit is a sale of a fifth, three tenths or half of the total; a gift card pays what its
    /// balance covers and the card the rest, two sales.
    mutating func pay(_ order: inout Order, _ payment: Payment, currency: Int) {
        switch payment {
        case .pending: order.openLedger(.pending, nextID: &transactionID)
        case .authorized: order.openLedger(.authorized, nextID: &transactionID)
        case .paid: order.openLedger(.paid, nextID: &transactionID)
        case .deposit:
            let minor = order.totalPrice.units(atScale: order.decimals) ?? 0
            let raw = minor * Int64(rng.pick(DemoBuilder.depositPercents)) / 100
            let whole = raw / 100 * 100  // whole euros, crowns, pounds, dollars; hundreds of yen
            let deposit = Money(units: whole > 0 ? whole : raw, scale: order.decimals)
            order.openLedger(.partiallyPaid, captured: deposit, nextID: &transactionID)
        case .giftCard:
            let card = Money.min(rng.pick(giftCardBalances[currency]), order.totalPrice)
            order.openLedger(.partiallyPaid, captured: card, gateway: Gateway.giftCard, nextID: &transactionID)
            let rest = order.totalPrice - card
            if rest.isPositive { order.openLedger(.partiallyPaid, captured: rest, nextID: &transactionID) }
        }
    }

    /// The share of the total a deposit takes, in percent.
    static let depositPercents = [20, 30, 50, 50]

    /// Most deposits on orders a week old or more were followed by the balance, recorded by an
    /// agent with `pay` (method manual: a bank transfer) a day to six days later. Returns when the
    /// order was paid in full, or nil while the balance is still due.
    mutating func payBalance(_ order: inout Order, age: Int64) -> Timestamp? {
        guard age >= 7 * 86_400, rng.chance(75), let at = after(order.createdAt, atLeast: 86_400, atMost: 6 * 86_400)
        else { return nil }
        let balance = Transaction(
            id: nextTransactionID(), kind: .sale, amount: order.outstanding, currency: order.currency, gateway: Gateway.manual,
            createdAt: at)
        let change = PaymentChange(order: order.name, transactions: [balance])
        order.transactions.append(balance)
        StoreState.settle(&order)
        order.timeline.append(TimelineEntry(at: at, agent: pickAgent(), seq: nil, message: EventSummary.paid(change, order: order)))
        return at
    }

    /// Fulfils a paid order fully or in part, the more likely the older it is, some time after it
    /// was paid in full (`since`); returns when. Each line's `fulfillable_quantity` follows. Only
    /// called before any refund.
    mutating func fulfil(_ order: inout Order, since: Timestamp, age: Int64) -> Timestamp? {
        let (full, partial): (Int, Int)
        switch age {
        case ..<86_400: (full, partial) = (15, 8)
        case ..<(3 * 86_400): (full, partial) = (50, 12)
        case ..<(7 * 86_400): (full, partial) = (78, 9)
        default: (full, partial) = (92, 5)
        }
        let draw = rng.below(100)
        guard draw < full + partial, let at = after(since, atLeast: 2 * 3_600, atMost: 3 * 86_400)
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
        // What `StoreState.settle` gives an order with no refunds yet, without working out its
        // ledger again (a settle costs more than the rest of a fulfilment).
        for index in order.lineItems.indices {
            order.lineItems[index].fulfillableQuantity = order.lineItems[index].quantity - order.lineItems[index].fulfilledQuantity
        }
        order.timeline.append(TimelineEntry(at: at, agent: nil, seq: nil, message: message))
        return at
    }

    /// "Fulfilled 1 unit" … "Fulfilled 60 units", written once and shared.
    static let fulfilledMessages: [String] = (0...60).map { "Fulfilled \($0) unit\($0 == 1 ? "" : "s")" }

    /// Refunds part of a fulfilled, fully paid order: one unit of a shipped line returned and
    /// restocked (at its share of the discounts and tax, as `return` refunds it), or a goodwill
    /// amount.
    mutating func refundPart(_ order: inout Order, after fulfilledAt: Timestamp) {
        guard let at = after(fulfilledAt, atLeast: 86_400, atMost: 20 * 86_400) else { return }
        // Lines shipped in full (no refund came before this one): `return` takes a SKU's unshipped
        // units first, so these come back as shipped units. Gift cards are not sent back.
        let returnable = order.lineItems.indices.filter {
            order.lineItems[$0].isStocked && order.lineItems[$0].fulfilledQuantity == order.lineItems[$0].quantity
        }
        var amount: Money
        var lines: [RefundLineItem] = []
        var restocked: [RestockLine] = []
        let note: String
        if rng.chance(60), let index = returnable.isEmpty ? nil : rng.pick(returnable) {
            let line = order.lineItems[index]
            let part = LineShares(order).units(1, of: line, after: 0)
            // Nothing is outstanding on a paid order: the units' whole value goes back.
            amount = part.subtotal + (order.taxesIncluded ? .zero : part.tax)
            lines = [
                RefundLineItem(lineItemId: line.id, quantity: 1, restockType: .return, subtotal: part.subtotal, totalTax: part.tax)
            ]
            restocked = [RestockLine(lineItemId: line.id, sku: line.sku, quantity: 1)]
            note = rng.pick(DemoCatalog.returnNotes)
        } else {
            let minor = order.totalPrice.units(atScale: order.decimals) ?? 0
            let raw = minor * Int64(rng.int(in: 10...25)) / 100
            let whole = raw / 100 * 100
            amount = Money(units: whole > 0 ? whole : raw, scale: order.decimals)
            note = rng.pick(DemoCatalog.goodwillNotes)
        }
        // Paid in full and nothing refunded yet: the total is what may be refunded.
        guard amount.isPositive, amount < order.totalPrice else { return }
        let refund = makeRefund(at: at, amount: amount, on: order, credit: false, note: note, lines: lines)
        record(refund, restocked: restocked, on: &order, agent: pickAgent(), returned: !lines.isEmpty)
    }

    /// A fully fulfilled order sent back whole: every unit returned at its share, the shipping
    /// refunded with its tax, everything paid given back; stocked units restocked, gift cards not.
    mutating func returnAll(_ order: inout Order, after fulfilledAt: Timestamp) {
        guard order.fulfillmentStatus == .fulfilled,
            let at = after(fulfilledAt, atLeast: 2 * 86_400, atMost: 30 * 86_400)
        else { return }
        let shares = LineShares(order)
        var lines: [RefundLineItem] = []
        var restocked: [RestockLine] = []
        for line in order.lineItems {
            let units = shares.fulfilledLeft(line)
            guard units > 0 else { continue }
            let part = shares.units(units, of: line, after: 0)
            lines.append(
                RefundLineItem(
                    lineItemId: line.id, quantity: units, restockType: line.isStocked ? .return : .noRestock,
                    subtotal: part.subtotal, totalTax: part.tax))
            if line.isStocked { restocked.append(RestockLine(lineItemId: line.id, sku: line.sku, quantity: units)) }
        }
        var adjustments: [OrderAdjustment] = []
        let shipping = shares.shippingLeft
        if shipping.isPositive {
            adjustments.append(
                OrderAdjustment(kind: "shipping_refund", amount: .zero - shipping, taxAmount: .zero - shares.shippingTax))
        }
        let refund = makeRefund(
            at: at, amount: order.refundable, on: order, credit: false, note: rng.pick(DemoCatalog.fullReturnNotes),
            lines: lines, adjustments: adjustments)
        record(refund, restocked: restocked, on: &order, agent: pickAgent(), returned: true)
    }

    /// Cancels an unfulfilled order the way the cancel command does: reason, staff note, money
    /// (open authorizations voided; what was captured refunded now, as store credit, or owed
    /// for later), restock of the stocked units, notice.
    mutating func cancel(_ order: inout Order, currency: Int) {
        let reason = reasonDeck.deal(using: &rng)
        let payment = paymentBeforeCancel(reason)
        let at = after(order.createdAt, atLeast: 60, atMost: 2 * 86_400) ?? now
        let agent = pickAgent()
        let note = rng.chance(45) ? rng.pick(DemoCatalog.staffNotes(for: reason)) : nil
        let restock = rng.chance(reason == .inventory ? 30 : 85)
        let notify = rng.chance(reason == .fraud ? 20 : 85)
        pay(&order, payment, currency: currency)

        // The money, as `Desk.cancellation` works it out from the ledger.
        let ledger = order.ledger
        let voids = ledger.openAuthorizations.map {
            Transaction(
                id: nextTransactionID(), kind: .void, amount: $0.amount, currency: order.currency, gateway: order.paymentGateway,
                parentId: $0.id, createdAt: at)
        }
        let due = ledger.refundable
        let money = due.isPositive ? cancelMoneyDeck.deal(using: &rng) : nil
        let mode = money?.mode ?? .void
        var refund: Refund?
        if let money, money.mode != .later {
            refund = makeRefund(at: at, amount: due, on: order, credit: money.mode == .credit, note: "Order cancelled", lines: [])
        }
        let owed = mode == .later ? due : Money.zero
        var restocked: [RestockLine] = []
        if restock {
            for line in order.lineItems {
                let units = max(0, line.quantity - line.fulfilledQuantity) - line.restocked
                if line.isStocked && units > 0 { restocked.append(RestockLine(lineItemId: line.id, sku: line.sku, quantity: units)) }
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

        // Applied as the store applies `orderCancelled`.
        order.cancelledAt = at
        order.cancelReason = reason.shopify
        order.transactions += voids
        if let refund { order.refunds.append(refund) }
        order.cancellation = CancellationRecord(agent: agent, reason: reason, note: note, refund: mode, notified: notify)
        DemoBuilder.restock(restocked, on: &order)
        StoreState.settle(&order)
        order.timeline.append(
            TimelineEntry(at: at, agent: agent, seq: nil, message: EventSummary.cancelled(change, order: order)))
        if let notice { outbox.append(notice) }

        // Some "refund later" cancels were refunded by hand within a week; the rest still owe.
        if money == .laterRefunded, let paidAt = after(at, atLeast: 86_400, atMost: 7 * 86_400) {
            let later = makeRefund(at: paidAt, amount: order.refundable, on: order, credit: false, note: nil, lines: [])
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
    /// often caught while only authorized, most other orders were paid (some with a gift card,
    /// some only a deposit).
    mutating func paymentBeforeCancel(_ reason: CancelReason) -> Payment {
        switch reason {
        case .declined: return rng.chance(60) ? .pending : .authorized
        case .fraud: return rng.chance(50) ? .authorized : .paid
        default:
            let draw = rng.below(100)
            if draw < 70 { return .paid }
            if draw < 78 { return .giftCard }
            if draw < 85 { return .deposit }
            return draw < 95 ? .authorized : .pending
        }
    }

    /// The notice telling the customer their order was cancelled, in the cancel command's words.
    func cancelNotice(
        _ order: Order, reason: CancelReason, refund: Refund?, voided: Money, owed: Money, at: Timestamp, agent: String
    ) -> Notice {
        Notice(
            id: 0, at: at, order: order.name, to: order.email, subject: "Your order \(order.name) has been cancelled",
            body: EventSummary.cancelNotice(order: order, reason: reason, refund: refund, voided: voided, owed: owed, offer: nil),
            agent: agent, toName: order.customer.fullName.isEmpty ? nil : order.customer.fullName, language: "en", status: .held,
            reason: "demo store")
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

    /// A refund with the next refund id. Its money goes as store credit, or back to the payment
    /// methods split by the rules' own `Ledger.allocation(of:order:)` (what `refund`, `return` and
    /// `cancel` use): a gift card first, then the others in the order they were used.
    mutating func makeRefund(
        at: Timestamp, amount: Money, on order: Order, credit: Bool, note: String?, lines: [RefundLineItem],
        adjustments: [OrderAdjustment] = []
    ) -> Refund {
        refundCount += 1
        var transactions: [Transaction] = []
        if credit {
            transactions.append(
                Transaction(
                    id: nextTransactionID(), kind: .refund, amount: amount, currency: order.currency, gateway: Gateway.storeCredit,
                    createdAt: at))
        } else {
            for part in order.ledger.allocation(of: amount, order: order) ?? [] {
                transactions.append(
                    Transaction(
                        id: nextTransactionID(), kind: .refund, amount: part.amount, currency: order.currency, gateway: part.gateway,
                        parentId: part.parentId, createdAt: at))
            }
        }
        return Refund(
            id: DemoIDs.refund + refundCount, createdAt: at, note: note, transactions: transactions, refundLineItems: lines,
            orderAdjustments: adjustments)
    }

    /// Adds a refund (or a return, with the units it restocks) made after the fact, as the store
    /// applies `orderRefunded` or `orderReturned`, with its timeline entry.
    mutating func record(
        _ refund: Refund, restocked: [RestockLine] = [], on order: inout Order, agent: String, returned: Bool = false
    ) {
        order.refunds.append(refund)
        DemoBuilder.restock(restocked, on: &order)
        StoreState.settle(&order)
        let change = RefundChange(order: order.name, refund: refund, restocked: restocked)
        order.timeline.append(
            TimelineEntry(
                at: refund.createdAt, agent: agent, seq: nil, message: EventSummary.refunded(change, order: order, returned: returned)))
    }

    /// Counts restocked units on their lines. (The demo's stock levels are drawn on their own, as
    /// they stand now, so they do not move.)
    static func restock(_ lines: [RestockLine], on order: inout Order) {
        for restock in lines {
            if let index = order.lineItems.firstIndex(where: { $0.id == restock.lineItemId }) {
                order.lineItems[index].restocked += restock.quantity
            }
        }
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
