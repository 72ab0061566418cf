/// `pay` and `capture`: money collected on an order.
extension Desk {
    /// How the money comes in.
    enum Collection: Sendable {
        case pay(method: String)
        case capture
    }

    static func collect(
        _ how: Collection, order name: String, amount: String?, yes: Bool, dryRun: Bool, _ state: StoreState, _ context: Context
    ) throws(OrderDeskError) -> Plan {
        let change = try payment(how, order: name, amount: amount, state, context)
        let order = try order(name, state)
        let verb: String
        if case .capture = how { verb = "Capture" } else { verb = "Record payment of" }
        let after = order.outstanding - change.amount
        let preview = [
            context.style.bold("\(verb) \(order.show(change.amount)) on \(order.name)")
                + " — \(Sanitizer.clean(order.customer.fullName)), \(order.show(order.totalPrice))",
            PreviewView.row(
                "Money",
                change.transactions.map { "\($0.kind.rawValue) \(order.show($0.amount)) via \(Sanitizer.clean($0.gateway))" }
                    .joined(separator: "; ")
                    + " (paid so far \(order.show(order.amountPaid)); "
                    + (after.isPositive ? "\(order.show(after)) still outstanding after)" : "paid in full after)")),
        ].joined(separator: "\n")
        return Plan(
            question: "\(verb) \(order.show(change.amount)) on \(order.name)?", preview: preview,
            confirm: context.interactive && !yes, dryRun: dryRun,
            decide: { current throws(OrderDeskError) in [.paymentRecorded(try payment(how, order: name, amount: amount, current, context))]
            },
            done: { after, events in
                guard case .paymentRecorded(let p)? = events.first?.change, let now = after.order(named: p.order) else {
                    return "Recorded."
                }
                return "\(p.order): " + EventSummary.paid(p, order: now) + "; it is now \(now.financialStatus.rawValue)."
            })
    }

    static func payment(
        _ how: Collection, order name: String, amount text: String?, _ state: StoreState, _ context: Context
    ) throws(OrderDeskError) -> PaymentChange {
        let order = try order(name, state)
        let action: String
        if case .capture = how { action = "captured" } else { action = "paid" }
        guard !order.isCancelled else { throw .orderCancelled(order: order.name, action: action) }
        let outstanding = order.outstanding
        let ledger = order.ledger
        var limit = outstanding
        if case .pay = how, ledger.authorizedOpen.isPositive {
            // Shopify captures an authorization; marking it paid would leave it open beside the sale.
            throw .authorizationOpen(order: order.name, amount: order.show(ledger.authorizedOpen))
        }
        if case .capture = how {
            guard ledger.authorizedOpen.isPositive else { throw .nothingToCapture(order: order.name, status: order.financialStatus) }
            limit = min(outstanding, ledger.authorizedOpen)
        }
        guard limit.isPositive else { throw .nothingOutstanding(order: order.name) }
        var amount = limit
        if let text {
            guard let parsed = Money(text), parsed.isPositive, parsed.scale <= order.decimals else {
                throw .badAmount(text, currency: order.currency, decimals: order.decimals)
            }
            guard parsed <= limit else {
                throw .paymentTooLarge(order: order.name, requested: order.show(parsed), outstanding: order.show(limit))
            }
            amount = parsed.rescaled(to: order.decimals)
        }
        var ids = IDs(state)
        switch how {
        case .pay(let method):
            return PaymentChange(
                order: order.name,
                transactions: [
                    Transaction(
                        id: ids.next(), kind: .sale, amount: amount, currency: order.currency, gateway: method, createdAt: context.now)
                ])
        case .capture:
            // Capture against the open authorizations, oldest first.
            var left = amount
            var captures: [Transaction] = []
            for auth in ledger.openAuthorizations where left.isPositive {
                let take = min(auth.amount, left)
                let gateway = order.transactions.first { $0.id == auth.id }?.gateway ?? order.paymentGateway
                captures.append(
                    Transaction(
                        id: ids.next(), kind: .capture, amount: take, currency: order.currency, gateway: gateway, parentId: auth.id,
                        createdAt: context.now))
                left = left - take
            }
            return PaymentChange(order: order.name, transactions: captures)
        }
    }
}
