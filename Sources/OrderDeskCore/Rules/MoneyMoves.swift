/// New ids for the records of one change: each above every id in the state.
struct IDs {
    private var last: Int64

    init(_ state: StoreState) { last = state.largestID }

    mutating func next() -> Int64 {
        last += 1
        return last
    }
}

/// The transactions that move money out of an order, split by the rules of Shopify's refunds.
enum MoneyMoves {
    /// Refund transactions for `amount`: one store-credit transaction, or one per payment method
    /// that captured it, gift cards first, never more to a method than it captured. The caller
    /// has checked that the amount is at most what is refundable.
    static func refund(
        _ amount: Money, of order: Order, credit: Bool, ids: inout IDs, at now: Timestamp, transfer: String? = nil
    ) -> [Transaction] {
        guard amount.isPositive else { return [] }
        if credit {
            return [
                Transaction(
                    id: ids.next(), kind: .refund, amount: amount, currency: order.currency, gateway: Gateway.storeCredit,
                    createdAt: now)
            ]
        }
        let parts = order.ledger.allocation(of: amount, order: order) ?? []
        return parts.map {
            Transaction(
                id: ids.next(), kind: .refund, amount: $0.amount, currency: order.currency, gateway: $0.gateway,
                parentId: $0.parentId, createdAt: now, transfer: transfer)
        }
    }
}
