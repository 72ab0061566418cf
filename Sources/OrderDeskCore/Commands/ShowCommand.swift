/// `show ORDER`: everything about one order, with its timeline.
public struct ShowCommand: DeskCommand {
    public static let spec = CommandSpec(
        "show", summary: "everything about one order, with its timeline",
        usage: "show ORDER", examples: ["show #1001", "show 1001 --json"], arguments: [.order], isRead: true)

    public var order: String
    public var json: Bool

    public init(order: String, json: Bool = false) {
        self.order = order
        self.json = json
    }

    public init(_ inv: Invocation) throws(OrderDeskError) {
        order = try OrderName.parse(inv.required(0, "an order number such as #1001"))
        json = inv.has("--json")
    }

    public var isChange: Bool { false }

    public func run(_ state: StoreState, _ context: Context, _ sources: Sources) throws(OrderDeskError) -> Outcome {
        .output(try Desk.show(order, json: json, state, context))
    }
}
