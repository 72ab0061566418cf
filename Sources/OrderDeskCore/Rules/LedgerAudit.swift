/// The money and stock invariants every order must keep, checked against a whole state.
///
/// `store verify` reports what this finds; the property tests run it after every step. An order
/// breaking one is reported with the amounts, never hidden or repaired.
public enum LedgerAudit {
    /// One broken invariant on one order.
    public struct Finding: Sendable, Equatable, CustomStringConvertible {
        public var order: String
        public var problem: String

        public var description: String { "\(order): \(problem)" }
    }

    /// Every broken invariant in the state, order by order.
    public static func findings(in state: StoreState) -> [Finding] {
        var out: [Finding] = []
        var movedOut: [String: [String: Money]] = [:]  // from → to → amount
        var movedIn: [String: [String: Money]] = [:]  // to → from → amount
        for order in state.orders {
            out += findings(in: order)
            for r in order.refunds {
                for t in r.transactions where t.succeeded && t.kind == .refund {
                    if let to = t.transfer { movedOut[order.name, default: [:]][to, default: .zero] += t.amount }
                }
            }
            for t in order.transactions where t.succeeded && t.kind == .sale {
                if let from = t.transfer { movedIn[order.name, default: [:]][from, default: .zero] += t.amount }
            }
        }
        // Money across a recreate is conserved: what one order releases, the other receives.
        for (from, targets) in movedOut.sorted(by: { $0.key < $1.key }) {
            for (to, amount) in targets.sorted(by: { $0.key < $1.key }) {
                let received = movedIn[to]?[from] ?? .zero
                if received != amount {
                    let show = state.order(named: from)?.show ?? { $0.description }
                    out.append(Finding(order: from, problem: "moved \(show(amount)) to \(to), which received \(show(received))"))
                }
            }
        }
        for (to, sources) in movedIn.sorted(by: { $0.key < $1.key }) {
            for (from, amount) in sources.sorted(by: { $0.key < $1.key }) where movedOut[from]?[to] == nil {
                out.append(Finding(order: to, problem: "received \(amount) from \(from), which released nothing to it"))
            }
        }
        return out
    }

    /// The invariants of one order on its own.
    public static func findings(in o: Order) -> [Finding] {
        var out: [Finding] = []
        func add(_ text: String) { out.append(Finding(order: o.name, problem: text)) }
        let l = o.ledger
        let captured = l.totalCaptured
        let released = l.totalReleased
        if released > captured {
            add("refunded \(o.show(released)) in all (moves included), more than the \(o.show(captured)) captured")
        }
        for gateway in Set(l.released.keys).sorted() {
            let paid = l.captured.first { $0.gateway == gateway }?.amount ?? .zero
            let back = l.released[gateway] ?? .zero
            if back > paid { add("refunded \(o.show(back)) to \(gateway), which captured only \(o.show(paid))") }
        }
        for t in o.transactions + o.refunds.flatMap(\.transactions) {
            if t.currency != o.currency { add("transaction \(t.id) is in \(t.currency), the order in \(o.currency)") }
            if t.amount.isNegative { add("transaction \(t.id) has a negative amount \(t.amount)") }
        }
        if o.currentTotal.isNegative { add("refunded lines and shipping come to more than the total \(o.show(o.totalPrice))") }
        if o.financialStatus != o.ledgerStatus {
            add("financial_status is \(o.financialStatus.rawValue), but its transactions make it \(o.ledgerStatus.rawValue)")
        }
        let expectedTotal = o.subtotalPrice + o.totalShippingPrice + (o.taxesIncluded ? .zero : o.totalTax)
        if expectedTotal != o.totalPrice {
            add(
                "total_price \(o.show(o.totalPrice)) is not subtotal + shipping\(o.taxesIncluded ? "" : " + tax") (\(o.show(expectedTotal)))"
            )
        }
        for line in o.lineItems {
            if line.restocked > line.quantity { add("line \(line.id) has \(line.restocked) units restocked of \(line.quantity)") }
            if line.giftCard && line.restocked > 0 { add("gift card line \(line.id) was restocked") }
            let removed = o.removedUnits(of: line)
            if line.restocked > removed && o.recreatedAs == nil {
                add("line \(line.id) has \(line.restocked) units restocked, but only \(removed) were cancelled or returned")
            }
        }
        for r in o.refunds {
            for rl in r.refundLineItems where !o.lineItems.contains(where: { $0.id == rl.lineItemId }) {
                add("refund \(r.id) names line item \(rl.lineItemId), which the order does not have")
            }
        }
        return out
    }
}
