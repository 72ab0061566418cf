/// `find TEXT…`: orders by number, email, name, SKU or tag, as people type (case and accents
/// aside; several words in any order).
public struct FindCommand: DeskCommand {
    public static let spec = CommandSpec(
        "find", summary: "search orders by number, email, name, SKU or tag",
        usage: "find TEXT… [--limit N]",
        details:
            "Case and accents do not matter (zoe finds Zoë); several words find the orders that have each of them, in any order (find moreau zoe).",
        examples: ["find 1001", "find zoe@example.com", "find MUG-WHT", "find zoe moreau"],
        flags: [FlagSpec("--limit", .number, help: "at most N orders")], arguments: [.text], repeatsLast: true, isRead: true)

    public var text: String
    public var limit: Int
    public var json: Bool

    public init(text: String, limit: Int = 20, json: Bool = false) {
        self.text = text
        self.limit = limit
        self.json = json
    }

    public init(_ inv: Invocation) throws(OrderDeskError) {
        text = try inv.required(0, "the text to search for")
        if inv.arguments.count > 1 { text = inv.arguments.joined(separator: " ") }
        limit = try inv.number("--limit") ?? 20
        json = inv.has("--json")
    }

    public var isChange: Bool { false }

    public func run(_ state: StoreState, _ context: Context, _ sources: Sources) throws(OrderDeskError) -> Outcome {
        .output(try Desk.find(text, limit: limit, json: json, state, context))
    }
}
