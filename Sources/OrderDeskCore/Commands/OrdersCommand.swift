/// `orders`: orders by status, customer, SKU and date, newest first.
public struct OrdersCommand: DeskCommand {
    public static let spec = CommandSpec(
        "orders", summary: "list orders, newest first",
        usage: "orders [--status S] [--customer TEXT] [--sku SKU] [--since D] [--until D] [--limit N]",
        details:
            "S is open, unfulfilled, fulfilled, cancelled, refund-owed (oldest first, with amounts), recreated or all. D is YYYY-MM-DD, today, yesterday, or days back such as 7d. 20 orders unless --limit says otherwise.",
        examples: ["orders --status open", "orders --status refund-owed", "orders --customer zoe --since 30d"],
        flags: [
            FlagSpec("--status", .choice(CommandTable.statuses), help: "only orders in this state"),
            FlagSpec("--customer", .text, help: "customer name or email contains TEXT"),
            FlagSpec("--sku", .sku, help: "has a line with this SKU"),
            FlagSpec("--since", .date, help: "placed on or after this day"),
            FlagSpec("--until", .date, help: "placed on or before this day"),
            FlagSpec("--limit", .number, help: "at most N orders"),
            FlagSpec("--csv", help: "print Shopify's orders export CSV (every match unless --limit)"),
        ], isRead: true)

    public var query: OrderQuery

    public init(_ query: OrderQuery) { self.query = query }

    public init(_ inv: Invocation) throws(OrderDeskError) {
        try inv.exclusive("--json", "--csv")
        query = OrderQuery(
            status: inv.values["--status"].flatMap(OrderQuery.Status.init(rawValue:)) ?? .all,
            customer: inv.values["--customer"], sku: inv.values["--sku"],
            since: try inv.date("--since"), until: try inv.date("--until"),
            limit: try inv.number("--limit") ?? (inv.has("--csv") ? Int.max : 20), json: inv.has("--json"),
            csv: inv.has("--csv"))
    }

    public var isChange: Bool { false }

    public func run(_ state: StoreState, _ context: Context, _ sources: Sources) throws(OrderDeskError) -> Outcome {
        .output(try Desk.orders(query, state, context))
    }
}
