/// `return ORDER SKU[=QTY]...`: units sent back (fulfilled) or taken off the order (not yet
/// fulfilled), refunded by line with their share of discounts and tax.
public struct ReturnCommand: DeskCommand, Equatable {
    public static let spec = CommandSpec(
        "return", summary: "take units back: refund them by line, restock them, tell the customer",
        usage:
            "return ORDER SKU[=QTY]... [--refund now|credit|later] [--shipping AMOUNT] [--restock|--no-restock] [--notify|--no-notify] [--note TEXT] [--yes] [--dry-run]",
        details:
            "Units not yet fulfilled are removed from the order first (restock type cancel); then shipped units come back as a return. Each unit is refunded at its price less its share of the discounts, plus its share of the tax when prices exclude it; only what was paid goes back. --shipping refunds that much of the shipping too. Units go back to stock unless --no-restock (gift cards never do); the customer is told unless --no-notify.",
        examples: ["return #1007 MUG-WHT=1", "return #1007 TEE-BLK-M --refund credit --shipping 4.90"],
        flags: [
            FlagSpec("--refund", .choice(CommandTable.refundModes), help: "refund now (default), as store credit, or later"),
            FlagSpec("--shipping", .amount, help: "shipping to refund as well"),
            FlagSpec("--restock", help: "put the units back in stock (default)"),
            FlagSpec("--no-restock", help: "the units do not go back to stock"),
            FlagSpec("--notify", help: "tell the customer (default)"),
            FlagSpec("--no-notify", help: "send no notice"),
            FlagSpec("--note", .text, help: "a note kept with the refund"),
            FlagSpec("--yes", help: "do not ask for confirmation"),
            FlagSpec("--dry-run", help: "show what would happen and change nothing"),
        ], arguments: [.order, .skuQuantity], repeatsLast: true)

    public var order: String
    public var items: [(sku: String, quantity: Int?)]
    public var refund: RefundMode
    public var shipping: String?
    public var restock: Bool
    public var notify: Bool
    public var note: String?
    public var yes: Bool
    public var dryRun: Bool

    public static func == (a: ReturnCommand, b: ReturnCommand) -> Bool {
        a.order == b.order && a.items.map(\.sku) == b.items.map(\.sku) && a.items.map(\.quantity) == b.items.map(\.quantity)
            && a.refund == b.refund && a.shipping == b.shipping && a.restock == b.restock && a.notify == b.notify
            && a.note == b.note && a.yes == b.yes && a.dryRun == b.dryRun
    }

    public init(_ inv: Invocation) throws(OrderDeskError) {
        order = try OrderName.parse(inv.required(0, "an order number such as #1001"))
        items = try SKUItems.parse(inv.arguments.dropFirst(), command: "return", order: order)
        guard !items.isEmpty else { throw .nothingToReturn(order: order) }
        refund = inv.values["--refund"].flatMap(RefundMode.init(rawValue:)) ?? .now
        shipping = inv.values["--shipping"]
        restock = try inv.toggle("--restock", "--no-restock") ?? true
        notify = try inv.toggle("--notify", "--no-notify") ?? true
        note = inv.values["--note"]
        yes = inv.has("--yes")
        dryRun = inv.has("--dry-run")
        try inv.exclusive("--yes", "--dry-run")
        try InputRules.staffNote(note)
    }

    public var isChange: Bool { true }

    public func run(_ state: StoreState, _ context: Context, _ sources: Sources) throws(OrderDeskError) -> Outcome {
        try InputRules.staffNote(note)
        return .change(
            try Desk.returnPlan(self, state, context).offering(
                [
                    PlanChoice(
                        key: "r", name: "refund", value: refund.rawValue,
                        kind: .options(RefundMode.allCases.map { Question.Option($0.rawValue, $0.label) }),
                        revise: revision { c, v in c.refund = RefundMode(rawValue: v) ?? c.refund }),
                    PlanChoice(
                        key: "s", name: "restock", value: restock ? "yes" : "no", kind: .toggle,
                        revise: revision { c, _ in c.restock.toggle() }),
                    PlanChoice(
                        key: "m", name: "notify", value: notify ? "yes" : "no", kind: .toggle,
                        revise: revision { c, _ in c.notify.toggle() }),
                    .note(note, revise: revision { $0.note = $1.isEmpty ? nil : $1 }),
                ], in: context))
    }
}
