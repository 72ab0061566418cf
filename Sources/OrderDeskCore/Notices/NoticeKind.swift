/// The kinds of message sent to customers, one template per kind and language.
public enum NoticeKind: String, Sendable, CaseIterable {
    /// An order cancelled (`cancel`).
    case cancel
    /// Money given back (`refund`, or a `return` of units that takes none back).
    case refund
    /// Shipped units received back (`return`).
    case `return`
    /// Units not yet shipped taken off the order (`return` of unshipped units).
    case change
    /// A mistaken cancel reversed (`recreate`).
    case recreate
    /// An agent's own words (`notify`).
    case message

    /// The fields its template may use (in `{…}` and in conditions).
    public var fields: [String] {
        let common = ["order", "first_name", "last_name", "name", "email"]
        let money = ["refund", "refund_gift_card", "refund_original", "refund_credit", "owed"]
        switch self {
        case .cancel: return common + money + ["reason", "voided", "paid", "already_refunded", "offer"]
        case .refund, .return, .change: return common + money + ["returned", "removed"]
        case .recreate: return common + ["new_order", "moved", "due", "total"]
        case .message: return common + ["message"]
        }
    }
}
