/// `outbox`: the messages sent to customers.
public struct OutboxCommand: DeskCommand {
    public static let spec = CommandSpec(
        "outbox", summary: "messages sent to customers",
        usage: "outbox [--order ORDER] [--limit N]", examples: ["outbox", "outbox --order #1001"],
        flags: [
            FlagSpec("--order", .order, help: "only this order's messages"),
            FlagSpec("--limit", .number, help: "at most N messages"),
        ], isRead: true)

    public var order: String?
    public var limit: Int?
    public var json: Bool

    public init(_ inv: Invocation) throws(OrderDeskError) {
        order = try inv.values["--order"].map(OrderName.parse)
        limit = try inv.number("--limit")
        json = inv.has("--json")
    }

    public var isChange: Bool { false }

    public func run(_ state: StoreState, _ context: Context, _ sources: Sources) throws(OrderDeskError) -> Outcome {
        .output(try Desk.outbox(order, limit: limit, json: json, state, context))
    }
}
