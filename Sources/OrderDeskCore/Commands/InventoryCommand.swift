/// `inventory [SKU]`: stock levels.
public struct InventoryCommand: DeskCommand {
    public static let spec = CommandSpec(
        "inventory", summary: "stock levels",
        usage: "inventory [SKU] [--low N]", examples: ["inventory", "inventory --low 3", "inventory MUG-WHT"],
        flags: [FlagSpec("--low", .number, help: "only SKUs with N or fewer units")],
        arguments: [.sku], isRead: true)

    public var sku: String?
    public var low: Int?
    public var json: Bool

    public init(_ inv: Invocation) throws(OrderDeskError) {
        sku = inv.argument(0)
        low = try inv.number("--low")
        json = inv.has("--json")
    }

    public var isChange: Bool { false }

    public func run(_ state: StoreState, _ context: Context, _ sources: Sources) throws(OrderDeskError) -> Outcome {
        .output(try Desk.inventory(sku, low: low, json: json, state, context))
    }
}
