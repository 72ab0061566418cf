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

extension Plan {
    /// The plan with the choices an agent can change in the live preview; a batch, where nobody
    /// is asked, gets none (and they are not even built).
    func offering(_ choices: @autoclosure () -> [PlanChoice], in context: Context) -> Plan {
        guard context.interactive else { return self }
        var plan = self
        plan.choices = choices()
        return plan
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
