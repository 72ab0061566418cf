extension DeskCommand {
    /// A revision of this command for a ``PlanChoice``: a copy with one thing changed.
    func revision(_ change: @escaping @Sendable (inout Self, String) -> Void) -> @Sendable (String) -> Command {
        { [self] text in
            var revised = self
            change(&revised, text)
            return Command(revised)
        }
    }
}

extension InputRules {
    /// A staff note: at most 255 characters (Shopify's limit), one line, no control characters.
    static func staffNote(_ note: String?) throws(OrderDeskError) {
        guard let note else { return }
        if note.count > noteLimit { throw .noteTooLong(length: note.count, limit: noteLimit) }
        try line(note, what: "the staff note", limit: noteLimit)
    }
}

extension PlanChoice {
    /// The staff note, changed with `t`.
    static func note(_ note: String?, revise: @escaping @Sendable (String) -> Command) -> PlanChoice {
        PlanChoice(key: "t", name: "note", value: note ?? "—", kind: .text, revise: revise)
    }
}
