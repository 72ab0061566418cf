/// The words new staff type for a command that has another name here, each with a pointer to
/// the right command: `undo` → `recreate`, `search` → `find`, and so on.
///
/// Only words that are not commands (nor close typos of one) are listed; an unknown word that is
/// a typo still gets "did you mean". The error message layer writes it as
/// `unknown command 'undo' — to reverse a cancel, use 'recreate' (…); see 'help recreate'`.
public enum NaturalWords {
    /// Word, the command it means, and what to say.
    static let table: [(words: [String], command: String, hint: String)] = [
        (
            ["undo", "uncancel", "revert", "reinstate", "restore", "reopen"], "recreate",
            "to reverse a cancel, use 'recreate' (it makes a new order, linked to the cancelled one)"
        ),
        (
            ["refund-all", "refundall", "refund_all", "repay", "reimburse", "credit"], "refund",
            "to give money back, use 'refund' (all that is still owed: refund ORDER --rest; as store credit: --credit)"
        ),
        (
            ["charge", "collect", "mark-paid", "markpaid", "paid"], "pay",
            "to record a payment received, use 'pay' (money a card holds for the order is taken with 'capture')"
        ),
        (["unrestock", "putback", "put-back"], "restock", "to put cancelled or returned units back on the shelf, use 'restock'"),
        (["exchange", "send-back", "sendback", "rma"], "return", "to take back shipped units, use 'return'"),
        (["bye", "logout", "logoff", "leave", "close"], "quit", "to leave, use 'quit' or 'exit' (or Ctrl-D)"),
        (["script", "batch", "load", "include"], "source", "to run a file of commands, use 'source' (source FILE)"),
        (["search", "lookup", "look"], "find", "to look an order up, use 'find' (by number, email, name, SKU or tag)"),
        (["view", "open", "details"], "show", "to see one order in full, use 'show'"),
        (["list", "ls"], "orders", "to list orders, use 'orders'"),
        (["delete", "remove", "void", "drop"], "cancel", "to cancel an order, use 'cancel' (orders are never deleted)"),
        (["email", "mail", "message", "send", "tell"], "notify", "to write to the customer, use 'notify'"),
        (["stock"], "inventory", "to see stock levels, use 'inventory'"),
        (["audit", "activity", "journal"], "log", "to see who did what, use 'log'"),
        (["stats", "statistics", "summary"], "report", "for cancellation figures, use 'report'"),
        (["review", "rating", "comment"], "feedback", "to log what a customer said, use 'feedback'"),
    ]

    /// What to say about a word that is no command, when it is one of the words people try.
    public static func hint(for word: String) -> String? {
        let lowered = word.lowercased()
        return table.first { $0.words.contains(lowered) }.map { "\($0.hint); see 'help \($0.command)'" }
    }
}
