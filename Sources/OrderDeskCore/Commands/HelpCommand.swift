/// `help [COMMAND]`: the list of commands, or one command's usage.
public struct HelpCommand: DeskCommand {
    public static let spec = CommandSpec(
        "help", summary: "list the commands, or show one command's usage",
        usage: "help [COMMAND]", examples: ["help", "help cancel"], arguments: [.command])

    public var topic: String?

    public init(topic: String?) { self.topic = topic }

    public init(_ inv: Invocation) throws(OrderDeskError) {
        if let name = inv.argument(0), CommandTable.type(named: name) == nil {
            throw OrderDeskError.unknown(command: name)
        }
        topic = inv.argument(0)
    }

    public var isChange: Bool { false }

    public func run(_ state: StoreState, _ context: Context, _ sources: Sources) throws(OrderDeskError) -> Outcome {
        .output(Help.text(for: topic, style: context.style))
    }
}
