/// `history [N]`: this user's command history.
public struct HistoryCommand: DeskCommand {
    public static let spec = CommandSpec(
        "history", summary: "this user's command history",
        usage: "history [N]", examples: ["history", "history 5"], arguments: [.number])

    public var count: Int?

    public init(_ inv: Invocation) throws(OrderDeskError) {
        count = nil
        if let text = inv.argument(0) {
            guard let n = Int(text), n > 0 else {
                throw .invalidValue(command: "history", flag: "N", value: text, expected: "a whole number such as 20")
            }
            count = n
        }
    }

    public var isChange: Bool { false }

    public func run(_ state: StoreState, _ context: Context, _ sources: Sources) throws(OrderDeskError) -> Outcome {
        .output(Desk.history(count, sources))
    }
}
