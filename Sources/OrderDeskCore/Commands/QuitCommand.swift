/// `quit`: leave the shell.
public struct QuitCommand: DeskCommand {
    public static let spec = CommandSpec("quit", aliases: ["exit"], summary: "leave the shell (Ctrl-D works too)", usage: "quit")

    public init(_ inv: Invocation) throws(OrderDeskError) {}

    public var isChange: Bool { false }

    public func run(_ state: StoreState, _ context: Context, _ sources: Sources) throws(OrderDeskError) -> Outcome {
        .quit
    }
}
