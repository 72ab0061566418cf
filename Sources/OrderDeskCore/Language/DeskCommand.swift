/// One command of the language: what it accepts, how it is read from a line, and what it does.
///
/// Adding a command is adding one type that conforms (in `Commands/`), plus its line in
/// ``CommandTable/commands``. The spec drives parsing, completion and help; ``run(_:_:_:)``
/// is pure: it reads the state and returns text, a question or a plan, and never writes.
public protocol DeskCommand: Sendable {
    /// Name, flags, arguments and help text.
    static var spec: CommandSpec { get }

    /// Reads the command from a line already checked against ``spec``.
    init(_ invocation: Invocation) throws(OrderDeskError)

    /// Whether running it changes the store (a batch commits such lines in groups).
    var isChange: Bool { get }

    /// Runs it against a state: text for a read, a question to ask, or a plan for a change.
    func run(_ state: StoreState, _ context: Context, _ sources: Sources) throws(OrderDeskError) -> Outcome
}
