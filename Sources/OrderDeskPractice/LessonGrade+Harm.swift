import OrderDeskCore

extension LessonGrade {
    /// The harm a trainer would look for, in words: what happened to whom, and how to put it right.
    ///
    /// - **Damaged units back in stock** (the lesson's `no_harm.damaged`): the next customer would get one.
    /// - **A customer asked to pay twice for our mistake**: an order recreated in the lesson whose
    ///   original had been paid, and whose money went back in the lesson before the recreate, so the
    ///   new order asks the customer to pay (or a payment was collected on it) again.
    /// - **An untrue message**: a message written in the lesson (`notify`) that says the order was
    ///   cancelled, or that money went back, or that nothing was charged, when that is not so.
    static func harms(_ lesson: Lesson, _ work: LessonWork) -> [String] {
        var out: [String] = []
        let state = work.state
        // Damaged units back in stock.
        for goal in lesson.goals {
            guard case .noHarm(let damaged) = goal.check else { continue }
            for d in damaged {
                guard let now = state.order(named: d.order), let then = work.baseline.order(named: d.order) else { continue }
                func restocked(_ o: Order) -> Int { o.lineItems.filter { $0.sku == d.sku }.reduce(0) { $0 + $1.restocked } }
                let units = now.lineItems.filter { $0.sku == d.sku }.reduce(0) { $0 + $1.quantity }
                let sellable = units - d.units
                let back = restocked(now)
                guard back > sellable, back > restocked(then) else { continue }
                let extra = back - max(sellable, restocked(then))
                out.append(
                    "\(extra) damaged \(d.sku) unit\(extra == 1 ? "" : "s") of \(d.order) went back in stock: \(extra == 1 ? "it" : "they") cannot be sold, and the next customer would get \(extra == 1 ? "it" : "one"). Stock cannot be taken off the shelf here: type 'reset' to start over"
                )
            }
        }
        // A customer asked to pay again for an order we cancelled by mistake.
        for event in work.events {
            guard case .orderRecreated(let r) = event.change, let before = work.baseline.order(named: r.original),
                let made = state.order(named: r.order.name)
            else { continue }
            let refunded = work.refunds(on: r.original).reduce(Money.zero) { $0 + $1.amount }
            guard before.refundable.isPositive, refunded.isPositive else { continue }
            let collected = work.payments(on: made.name).reduce(Money.zero) { $0 + $1.amount }
            let again = made.outstanding + collected
            guard again.isPositive else { continue }
            out.append(
                "the customer had paid for \(r.original) and never asked to cancel, but \(before.show(refunded)) went back to them before it was brought back, so \(made.name) asks them to pay \(before.show(again)) again: a customer never pays twice for our mistake. A refund cannot be taken back here: type 'reset', and bring the order back while its money is still held"
            )
        }
        // Untrue messages.
        for event in work.events {
            guard case .customerNotified(let n) = event.change else { continue }
            let text = MessageText(n.subject + "\n" + n.body)
            let chain = work.chain(of: n.order)
            for claim in MessageFact.claims(of: text) {
                let isTrue: Bool
                switch claim {
                case .cancelled: isTrue = chain.contains { $0.isCancelled }
                case .refunded: isTrue = chain.contains { $0.amountRefunded.isPositive }
                case .notCharged: isTrue = !chain.contains { $0.amountPaid.isPositive }
                }
                guard !isTrue else { continue }
                let fact: String
                switch claim {
                case .cancelled: fact = "\(n.order) is not cancelled"
                case .refunded: fact = "no money has gone back on \(n.order)"
                case .notCharged: fact = "the customer of \(n.order) has paid"
                }
                let harm =
                    "the message to the customer of \(n.order) says \(claim.wording), which is not true: \(fact). A message cannot be taken back: type 'reset' and write it again"
                if !out.contains(harm) { out.append(harm) }
            }
        }
        return out
    }

    /// A money goal's status: met, still to do (what is missing), or wrong (money went back that
    /// cannot be taken back: what the case calls for, and `reset`).
    static func moneyStatus(_ m: LessonGoal.MoneyCheck, _ work: LessonWork) -> Status {
        guard let o = work.state.order(named: m.order) else { return .missing("\(m.order) is not in the store") }
        let ledger = o.ledger
        let keep = work.chain(of: m.order).last ?? o
        let now = (
            refunded: o.amountRefunded, original: ledger.refunded, credit: ledger.credited, owed: o.refundOwed, due: keep.outstanding
        )
        // What the case calls for, and where it stands, in words.
        var wanted: [String] = []
        var stands: [String] = []
        func money(_ x: Money) -> String { x.isZero ? "nothing" : o.show(x) }
        if let x = m.storeCredit {
            wanted.append("\(money(x)) as store credit")
            stands.append("\(money(now.credit)) as store credit")
        } else if now.credit.isPositive {
            stands.append("\(money(now.credit)) as store credit")
        }
        if let x = m.original {
            wanted.append("\(money(x)) back to how they paid")
            stands.append("\(money(now.original)) back to how they paid")
        }
        if let x = m.refunded {
            wanted.append("\(money(x)) back in all")
            stands.append("\(money(now.refunded)) back in all")
        }
        if let x = m.owed {
            wanted.append("\(money(x)) still owed to them")
            stands.append("\(money(now.owed)) still owed")
        }
        if let x = m.due {
            wanted.append("\(money(x)) for them to pay")
            stands.append("\(money(now.due)) for them to pay\(keep.name == o.name ? "" : " on \(keep.name)")")
        }
        let over =
            (m.storeCredit.map { now.credit > $0 } ?? false) || (m.original.map { now.original > $0 } ?? false)
            || (m.refunded.map { now.refunded > $0 } ?? false) || (m.owed.map { now.owed < $0 } ?? false)
        let right =
            (m.storeCredit.map { now.credit == $0 } ?? true) && (m.original.map { now.original == $0 } ?? true)
            && (m.refunded.map { now.refunded == $0 } ?? true) && (m.owed.map { now.owed == $0 } ?? true)
            && (m.due.map { now.due == $0 } ?? true)
        if right { return .met }
        let text = "\(m.order) has \(list(stands)); this case calls for \(list(wanted))"
        if over { return .wrong(text + ". Money that went back cannot be taken back: type 'reset' to start over") }
        // What is still to go back, against what is left to refund: a dead end when it cannot be.
        func short(_ want: Money?, _ have: Money) -> Money {
            guard let want, want > have else { return .zero }
            return want - have
        }
        let needed = max(short(m.original, now.original) + short(m.storeCredit, now.credit), short(m.refunded, now.refunded))
        if needed > o.refundable {
            return .wrong(
                text + ". Not enough is left to refund on \(m.order) to get there, a dead end: type 'reset' to start over")
        }
        return .missing(text)
    }

    /// How a cancel handled the money, in words.
    static func refundWords(_ mode: String) -> String {
        switch mode {
        case "now": return "refunded at once, to how they paid"
        case "credit": return "given back at once as store credit"
        case "later": return "left owed, to refund afterwards"
        case "void": return "voided (nothing had been captured)"
        default: return "handled as '\(mode)'"
        }
    }
}

extension LessonWork {
    /// An order with those that recreated it and those it recreated, oldest first.
    func chain(of name: String) -> [Order] {
        guard var o = state.order(named: name) else { return [] }
        var seen: Set<String> = [o.name]
        while let from = o.recreatedFrom, let earlier = state.order(named: from), seen.insert(earlier.name).inserted { o = earlier }
        var out = [o]
        var forward: Set<String> = [o.name]
        while let to = o.recreatedAs, let later = state.order(named: to), forward.insert(later.name).inserted {
            out.append(later)
            o = later
        }
        return out
    }
}
