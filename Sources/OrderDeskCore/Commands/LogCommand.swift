/// `log [ORDER]`: the audit trail.
public struct LogCommand: DeskCommand {
    public static let spec = CommandSpec(
        "log", summary: "the audit trail: who did what, when",
        usage: "log [ORDER] [--agent NAME] [--limit N]", examples: ["log", "log #1001", "log --agent alice"],
        flags: [
            FlagSpec("--agent", .agent, help: "only this agent's changes"),
            FlagSpec("--limit", .number, help: "the last N events (default 20)"),
        ], arguments: [.order], isRead: true)

    public var order: String?
    public var agent: String?
    public var limit: Int
    public var json: Bool

    public init(_ inv: Invocation) throws(OrderDeskError) {
        order = try inv.argument(0).map(OrderName.parse)
        agent = inv.values["--agent"]
        limit = try inv.number("--limit") ?? 20
        json = inv.has("--json")
    }

    public var isChange: Bool { false }

    public func run(_ state: StoreState, _ context: Context, _ sources: Sources) throws(OrderDeskError) -> Outcome {
        .output(try Desk.log(order, agent: agent, limit: limit, json: json, state, context, sources))
    }
}
