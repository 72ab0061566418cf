/// `find TEXT`: orders by number, email, name, SKU or tag.
public struct FindCommand: DeskCommand {
    public static let spec = CommandSpec(
        "find", summary: "search orders by number, email, name, SKU or tag",
        usage: "find TEXT [--limit N]", examples: ["find 1001", "find zoe@example.com", "find MUG-WHT"],
        flags: [FlagSpec("--limit", .number, help: "at most N orders")], arguments: [.text], isRead: true)

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
        limit = try inv.number("--limit") ?? 20
        json = inv.has("--json")
    }

    public var isChange: Bool { false }

    public func run(_ state: StoreState, _ context: Context, _ sources: Sources) throws(OrderDeskError) -> Outcome {
        .output(try Desk.find(text, limit: limit, json: json, state, context))
    }
}
