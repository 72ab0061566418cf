/// A command line, parsed and typed, ready to run against a store's state.
public struct Command: Sendable {
    /// The command itself.
    public let body: any DeskCommand

    public init(_ body: any DeskCommand) { self.body = body }

    /// Parses one line; nil for a blank line or a comment.
    public static func parse(_ line: String) throws(OrderDeskError) -> Command? {
        let tokens = try Tokenizer.tokens(line)
        guard !tokens.isEmpty else { return nil }
        return try parse(tokens)
    }

    /// Builds the command from a line's tokens (not empty).
    public static func parse(_ tokens: [Tokenizer.Token]) throws(OrderDeskError) -> Command {
        let invocation = try Invocation.parse(tokens)
        return Command(try invocation.type.init(invocation))
    }

    /// The command's name, as `help` lists it.
    public var name: String { type(of: body).spec.name }

    /// Whether the command changes the store.
    public var isChange: Bool { body.isChange }

    /// The command as a specific type, for tests and callers that look inside.
    public func `as`<T: DeskCommand>(_ type: T.Type) -> T? { body as? T }
}
