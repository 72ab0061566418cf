/// A choice the agent must make before a command can go on, such as the reason for a cancel.
///
/// The core asks; the live shell shows the choices and answers with the agent's pick, and a
/// batch line, where nobody can answer, fails with ``unanswered``.
public struct Question: Sendable {
    /// What is asked: "Why is the order being cancelled?".
    public var title: String
    /// The word of the prompt: "Reason" (the shell asks "Reason [1-7]: ").
    public var name: String
    public var options: [Option]
    /// The refusal for a batch line, where nobody can answer.
    public var unanswered: OrderDeskError
    /// The command again, with the answer filled in.
    public var answer: @Sendable (String) -> Command

    /// One answer: the value the command takes, and the words the agent reads.
    public struct Option: Sendable, Equatable {
        public var value: String
        public var label: String

        public init(_ value: String, _ label: String) {
            self.value = value
            self.label = label
        }
    }

    public init(
        title: String, name: String, options: [Option], unanswered: OrderDeskError,
        answer: @escaping @Sendable (String) -> Command
    ) {
        self.title = title
        self.name = name
        self.options = options
        self.unanswered = unanswered
        self.answer = answer
    }

    /// The option an answer picks: its number in the list, or its value (any letter case).
    public func option(for answer: String) -> Option? {
        if let n = Int(answer), options.indices.contains(n - 1) { return options[n - 1] }
        return options.first { $0.value.lowercased() == answer.lowercased() }
    }
}

/// A choice of a plan that the agent can still change in the live preview, before confirming.
///
/// Changing it gives the command again with the new value; the shell runs that, so the preview,
/// the rules and the question are always those of the command as it now stands.
public struct PlanChoice: Sendable {
    /// How a choice is changed.
    public enum Kind: Sendable {
        /// On or off: choosing it flips it.
        case toggle
        /// One of these values.
        case options([Question.Option])
        /// Free text; an empty answer clears it.
        case text
    }

    /// The key that changes it in the preview: `r`, `s`, `m`, `o`, `t`.
    public var key: Character
    /// What it is: "refund".
    public var name: String
    /// Its value now, as shown: "now", "yes", "—".
    public var value: String
    public var kind: Kind
    /// The command with the choice changed (a toggle ignores the text).
    public var revise: @Sendable (String) -> Command

    public init(key: Character, name: String, value: String, kind: Kind, revise: @escaping @Sendable (String) -> Command) {
        self.key = key
        self.name = name
        self.value = value
        self.kind = kind
        self.revise = revise
    }
}
