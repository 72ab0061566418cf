/// What a command accepts: its flags, its arguments, and its help text.
public struct CommandSpec: Sendable {
    public let name: String
    public let aliases: [String]
    public let summary: String
    public let usage: String
    public let details: String
    public let examples: [String]
    public let flags: [FlagSpec]
    /// The kinds of the positional arguments, in order; the last may repeat when `repeatsLast`.
    public let arguments: [ArgumentKind]
    public let repeatsLast: Bool
    /// Read commands take `--json`.
    public let isRead: Bool

    init(
        _ name: String, aliases: [String] = [], summary: String, usage: String, details: String = "",
        examples: [String] = [], flags: [FlagSpec] = [], arguments: [ArgumentKind] = [], repeatsLast: Bool = false,
        isRead: Bool = false
    ) {
        self.name = name
        self.aliases = aliases
        self.summary = summary
        self.usage = usage
        self.details = details
        self.examples = examples
        self.flags = isRead ? flags + [FlagSpec("--json", help: "print JSON instead of text")] : flags
        self.arguments = arguments
        self.repeatsLast = repeatsLast
        self.isRead = isRead
    }

    /// The flag spec for a name, if the command has it.
    public func flag(_ name: String) -> FlagSpec? { flags.first { $0.name == name } }
}

/// One `--flag`, with or without a value.
public struct FlagSpec: Sendable {
    public let name: String
    /// nil for a switch; otherwise what kind of value follows.
    public let value: ArgumentKind?
    public let help: String

    init(_ name: String, _ value: ArgumentKind? = nil, help: String) {
        self.name = name
        self.value = value
        self.help = help
    }
}

/// What kind of word goes in a place, for validation and completion.
public enum ArgumentKind: Sendable, Equatable {
    case order, cancellableOrder, cancelledOrder, sku, skuQuantity, text, number, date, amount
    case command, settingKey, settingValue, file, agent
    case choice([String])
}
