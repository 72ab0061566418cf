/// `restock ORDER SKU[=QTY]...|--all`: units of a cancelled order, or returned without restock, back in stock.
public struct RestockCommand: DeskCommand, Equatable {
    public static let spec = CommandSpec(
        "restock", summary: "put cancelled or returned items back in stock",
        usage: "restock ORDER [SKU[=QTY]...|--all]",
        examples: ["restock #1001 --all", "restock #1001 MUG-WHT=1"],
        flags: [FlagSpec("--all", help: "every unit not yet restocked")],
        arguments: [.cancelledOrder, .skuQuantity], repeatsLast: true)

    public var order: String
    /// SKU and quantity; a nil quantity means all that can go back.
    public var items: [(sku: String, quantity: Int?)]
    public var all: Bool

    public static func == (a: RestockCommand, b: RestockCommand) -> Bool {
        a.order == b.order && a.all == b.all && a.items.map(\.sku) == b.items.map(\.sku)
            && a.items.map(\.quantity) == b.items.map(\.quantity)
    }

    public init(_ inv: Invocation) throws(OrderDeskError) {
        order = try OrderName.parse(inv.required(0, "an order number such as #1001"))
        all = inv.has("--all")
        items = try SKUItems.parse(inv.arguments.dropFirst(), command: "restock", order: order)
        if all && !items.isEmpty { throw .conflictingFlags(command: "restock", "--all", "a list of SKUs") }
        if !all && items.isEmpty { throw .missingArgument(command: "restock", what: "SKU[=QTY] items or --all") }
    }

    public var isChange: Bool { true }

    public func run(_ state: StoreState, _ context: Context, _ sources: Sources) throws(OrderDeskError) -> Outcome {
        .change(try Desk.restock(self, state, context))
    }
}
