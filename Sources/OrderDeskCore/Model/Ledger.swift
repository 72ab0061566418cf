/// The sums of an order's money, worked out from its transactions and never stored.
///
/// Captured money comes from successful captures and sales; it leaves by refunds to a payment
/// method, refunds as store credit, or a move to a recreated order. Everything an agent sees
/// ("paid", "refundable", "owed", `financial_status`) is one of these sums.
public struct Ledger: Sendable {
    /// Captured per gateway, in the order the gateways were first used.
    public private(set) var captured: [(gateway: String, amount: Money)] = []
    /// Refunded to each payment method (moves to a recreated order included).
    public private(set) var released: [String: Money] = [:]
    /// Given back to payment methods (moves excluded).
    public private(set) var refunded = Money.zero
    /// Given back as store credit.
    public private(set) var credited = Money.zero
    /// Moved to a recreated order.
    public private(set) var movedOut = Money.zero
    /// Authorized and neither captured nor voided.
    public private(set) var authorizedOpen = Money.zero
    /// Whether an authorization was voided.
    public private(set) var voided = false
    /// Authorizations still open, with what is left of each.
    public private(set) var openAuthorizations: [(id: Int64, amount: Money)] = []

    /// The sums of these transactions (an order's own and its refunds').
    public init(payments: [Transaction], refunds: [Refund]) {
        var authorizations: [(id: Int64, amount: Money)] = []
        func settle(_ parent: Int64?, _ amount: Money) {
            guard let parent, let i = authorizations.firstIndex(where: { $0.id == parent }) else { return }
            authorizations[i].amount = authorizations[i].amount - amount
        }
        for t in payments where t.succeeded {
            switch t.kind {
            case .authorization: authorizations.append((t.id, t.amount))
            case .capture:
                addCaptured(t.gateway, t.amount)
                settle(t.parentId, t.amount)
            case .sale: addCaptured(t.gateway, t.amount)
            case .void:
                voided = true
                if let i = authorizations.firstIndex(where: { $0.id == t.parentId }) {
                    authorizations[i].amount = .zero
                }
            case .refund: release(t)
            }
        }
        for r in refunds {
            for t in r.transactions where t.succeeded && t.kind == .refund { release(t) }
        }
        openAuthorizations = authorizations.filter { $0.amount.isPositive }
        authorizedOpen = openAuthorizations.reduce(.zero) { $0 + $1.amount }
    }

    private mutating func addCaptured(_ gateway: String, _ amount: Money) {
        if let i = captured.firstIndex(where: { $0.gateway == gateway }) {
            captured[i].amount = captured[i].amount + amount
        } else {
            captured.append((gateway, amount))
        }
    }

    private mutating func release(_ t: Transaction) {
        if t.transfer != nil {
            movedOut = movedOut + t.amount
            released[t.gateway, default: .zero] = released[t.gateway, default: .zero] + t.amount
        } else if t.gateway == Gateway.storeCredit {
            credited = credited + t.amount
        } else {
            refunded = refunded + t.amount
            released[t.gateway, default: .zero] = released[t.gateway, default: .zero] + t.amount
        }
    }

    /// All money captured.
    public var totalCaptured: Money { captured.reduce(.zero) { $0 + $1.amount } }

    /// Everything that left the order: refunds, store credit and moves.
    public var totalReleased: Money { refunded + credited + movedOut }

    /// Captured and not yet given back: the most any refund may return.
    public var refundable: Money { totalCaptured - totalReleased }

    /// What a refund to this gateway may still return.
    public func refundable(to gateway: String) -> Money {
        let captured = captured.first { $0.gateway == gateway }?.amount ?? .zero
        return captured - (released[gateway] ?? .zero)
    }

    /// Splits an amount over the payment methods that captured it: gift cards first (Shopify
    /// refunds a gift card before the card), then in the order they were used. Store credit is
    /// not split: it is one line. Nil when the methods hold less than the amount.
    public func allocation(of amount: Money, order: Order) -> [(gateway: String, parentId: Int64?, amount: Money)]? {
        var left = amount
        var parts: [(gateway: String, parentId: Int64?, amount: Money)] = []
        let gateways = captured.map(\.gateway).sorted { a, b in
            (a == Gateway.giftCard ? 0 : 1) < (b == Gateway.giftCard ? 0 : 1)
        }
        for gateway in gateways where left.isPositive {
            let room = min(refundable(to: gateway), refundable)
            guard room.isPositive else { continue }
            let take = min(room, left)
            let parent = order.transactions.last { ($0.kind == .capture || $0.kind == .sale) && $0.gateway == gateway && $0.succeeded }
            parts.append((gateway, parent?.id, take))
            left = left - take
        }
        return left.isZero ? parts : nil
    }
}

extension Order {
    /// The order's money sums, from its transactions.
    public var ledger: Ledger { Ledger(payments: transactions, refunds: refunds) }

    /// Money captured from the customer.
    public var amountPaid: Money { ledger.totalCaptured }

    /// Money given back: to payment methods and as store credit (moves to a recreated order are not).
    public var amountRefunded: Money {
        let l = ledger
        return l.refunded + l.credited
    }

    /// Captured and not yet given back or moved: the most a refund may return.
    public var refundable: Money { ledger.refundable }

    /// The total after refunded lines and shipping: what the customer is buying now.
    public var currentTotal: Money {
        var total = totalPrice
        for r in refunds {
            for line in r.refundLineItems { total = total - line.subtotal - (taxesIncluded ? .zero : line.totalTax) }
            for a in r.orderAdjustments where a.kind == "shipping_refund" {
                total = total + a.amount + (taxesIncluded ? .zero : a.taxAmount)
            }
        }
        return total
    }

    /// What the customer still owes: nothing once cancelled.
    public var outstanding: Money {
        guard !isCancelled else { return .zero }
        let due = currentTotal - amountPaid
        return due.isPositive ? due : .zero
    }

    /// Money held that should go back to the customer: everything refundable once cancelled,
    /// otherwise what was paid beyond the current total (units returned, refund later).
    public var refundOwed: Money {
        let l = ledger
        if isCancelled { return l.refundable.isPositive ? l.refundable : .zero }
        let over = l.totalCaptured - l.totalReleased - currentTotal
        return over.isPositive ? over : .zero
    }

    /// The payment state the ledger gives (Shopify's `financial_status`).
    public var ledgerStatus: FinancialStatus {
        let l = ledger
        let captured = l.totalCaptured
        if l.totalReleased.isPositive { return l.totalReleased >= captured ? .refunded : .partiallyRefunded }
        if captured.isPositive { return captured >= currentTotal ? .paid : .partiallyPaid }
        if l.authorizedOpen.isPositive { return .authorized }
        if l.voided || isCancelled { return .voided }
        return currentTotal.isPositive ? .pending : .paid
    }

    /// Units of a line no longer part of the order: all unfulfilled ones once cancelled, those
    /// removed or sent back by refunds otherwise.
    public func removedUnits(of line: LineItem) -> Int {
        var (removed, returned) = refundedUnits(of: line)
        if isCancelled { removed = max(removed, line.quantity - line.fulfilledQuantity) }
        // Imported refunds do not always say which units were shipped (Shopify's older
        // `legacy_restock`): a line never gives back more units than it has.
        return min(line.quantity, removed + returned)
    }

    /// Units of a line its refunds cover, as the refund lines say: taken off before shipping
    /// (restock type `cancel`) and sent back (any other restock type).
    public func refundedUnits(of line: LineItem) -> (cancelled: Int, returned: Int) {
        var cancelled = 0
        var returned = 0
        for r in refunds {
            for rl in r.refundLineItems where rl.lineItemId == line.id {
                if rl.restockType == .cancel { cancelled += rl.quantity } else { returned += rl.quantity }
            }
        }
        return (cancelled, returned)
    }

    /// Units of a line that could still go back to stock: removed or returned, not yet restocked,
    /// and not handed on to a recreated order. Gift cards never are.
    public func restockable(_ line: LineItem) -> Int {
        guard line.isStocked, recreatedAs == nil else { return 0 }
        return max(0, removedUnits(of: line) - line.restocked)
    }

    /// The payment gateway the customer used (the first that captured or authorized).
    public var paymentGateway: String {
        transactions.first { $0.kind != .void && $0.kind != .refund }?.gateway ?? Gateway.manual
    }
}

extension Order {
    /// Gives a new order the payments that a Shopify payment state stands for, when only the
    /// state is known (demo and practice orders, imports without transactions, stores of
    /// version 1): `authorized` an authorization of the total, `partially_paid` a sale of
    /// `captured`, `paid` and the refunded states a sale of `captured` when given, else of the
    /// total (their refunds are recorded on their own), `voided` an authorization and its void,
    /// `pending` nothing.
    /// Ids are taken from `nextID`, which is left at the next free one.
    public mutating func openLedger(
        _ status: FinancialStatus, captured: Money? = nil, gateway: String = "shopify_payments", nextID: inout Int64
    ) {
        func add(_ kind: TransactionKind, _ amount: Money, parent: Int64? = nil) -> Int64 {
            let id = nextID
            nextID += 1
            transactions.append(
                Transaction(
                    id: id, kind: kind, amount: amount.rescaled(to: decimals), currency: currency, gateway: gateway, parentId: parent,
                    createdAt: createdAt))
            return id
        }
        switch status {
        case .pending: break
        case .authorized: _ = add(.authorization, totalPrice)
        case .partiallyPaid:
            if let captured, captured.isPositive { _ = add(.sale, min(captured, totalPrice)) }
        case .paid, .partiallyRefunded, .refunded:
            // A source that says what is still outstanding is believed (a negative balance is a
            // payment a little above the total, in another currency); otherwise all was paid.
            let paid = captured.map { max($0, .zero) } ?? totalPrice
            if paid.isPositive { _ = add(.sale, paid) }
        case .voided:
            let auth = add(.authorization, totalPrice)
            _ = add(.void, totalPrice, parent: auth)
        }
        StoreState.settle(&self)
    }
}
