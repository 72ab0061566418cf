/// `recreate ORDER`: a mistaken cancel reversed with a new, linked order.
public struct RecreateCommand: DeskCommand, Equatable {
    public static let spec = CommandSpec(
        "recreate", summary: "reverse a mistaken cancel with a new, linked order",
        usage: "recreate ORDER [--notify|--no-notify] [--note TEXT] [--allow-oversell] [--force] [--yes] [--dry-run]",
        details:
            "An order cancelled for fraud or a declined payment is recreated only with --force: the new order would go to the same payment details.",
        examples: ["recreate #1001", "recreate #1001 --no-notify --dry-run"],
        flags: [
            FlagSpec("--notify", help: "tell the customer the new number (default)"),
            FlagSpec("--no-notify", help: "send no notice"),
            FlagSpec("--note", .text, help: "a note on the new order"),
            FlagSpec("--allow-oversell", help: "go ahead even when stock is short"),
            FlagSpec("--force", help: "recreate an order cancelled for fraud or a declined payment"),
            FlagSpec("--yes", help: "do not ask for confirmation"),
            FlagSpec("--dry-run", help: "show what would happen and change nothing"),
        ], arguments: [.cancelledOrder])

    public var order: String
    public var notify: Bool
    public var note: String?
    public var allowOversell: Bool
    /// Recreate even an order cancelled for fraud or a declined payment.
    public var force: Bool
    public var yes: Bool
    public var dryRun: Bool

    public init(_ inv: Invocation) throws(OrderDeskError) {
        order = try OrderName.parse(inv.required(0, "an order number such as #1001"))
        notify = try inv.toggle("--notify", "--no-notify") ?? true
        note = inv.values["--note"]
        allowOversell = inv.has("--allow-oversell")
        force = inv.has("--force")
        yes = inv.has("--yes")
        dryRun = inv.has("--dry-run")
        try inv.exclusive("--yes", "--dry-run")
        try check()
    }

    /// The checks that need no order.
    func check() throws(OrderDeskError) {
        try InputRules.staffNote(note)
    }

    public var isChange: Bool { true }

    public func run(_ state: StoreState, _ context: Context, _ sources: Sources) throws(OrderDeskError) -> Outcome {
        try check()
        return .change(
            try Desk.recreate(self, state, context).offering(
                [
                    PlanChoice(
                        key: "m", name: "notify", value: notify ? "yes" : "no", kind: .toggle,
                        revise: revision { c, _ in c.notify.toggle() }),
                    .note(note, revise: revision { $0.note = $1.isEmpty ? nil : $1 }),
                ], in: context))
    }
}
