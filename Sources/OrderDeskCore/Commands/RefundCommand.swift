/// `refund ORDER AMOUNT|--rest`: a refund after the fact.
public struct RefundCommand: DeskCommand, Equatable {
    public static let spec = CommandSpec(
        "refund", summary: "refund part or the rest of what was paid",
        usage: "refund ORDER (AMOUNT|--rest) [--credit] [--notify|--no-notify] [--note TEXT] [--yes] [--dry-run]",
        details:
            "AMOUNT is in the order's currency: 12.50, or whole amounts such as 1200 for JPY. A leading point is read as a fraction: .5 is 0.50. The money goes back to the methods that paid, a gift card first; never more to a method than it paid. The customer is told unless --no-notify.",
        examples: ["refund #1001 12.50", "refund #1001 --rest --credit"],
        flags: [
            FlagSpec("--rest", help: "refund everything paid and not yet refunded"),
            FlagSpec("--credit", help: "as store credit instead of to the original payment method"),
            FlagSpec("--notify", help: "tell the customer (default)"),
            FlagSpec("--no-notify", help: "send no notice"),
            FlagSpec("--note", .text, help: "a note kept with the refund"),
            FlagSpec("--yes", help: "do not ask for confirmation"),
            FlagSpec("--dry-run", help: "show what would happen and change nothing"),
        ], arguments: [.order, .amount])

    public var order: String
    /// The amount as typed; nil means the rest.
    public var amount: String?
    public var credit: Bool
    public var notify: Bool
    public var note: String?
    public var yes: Bool
    public var dryRun: Bool

    public init(_ inv: Invocation) throws(OrderDeskError) {
        order = try OrderName.parse(inv.required(0, "an order number such as #1001"))
        amount = inv.argument(1)
        credit = inv.has("--credit")
        notify = try inv.toggle("--notify", "--no-notify") ?? true
        note = inv.values["--note"]
        yes = inv.has("--yes")
        dryRun = inv.has("--dry-run")
        try inv.exclusive("--yes", "--dry-run")
        if amount != nil && inv.has("--rest") { throw .conflictingFlags(command: "refund", "an amount", "--rest") }
        if amount == nil && !inv.has("--rest") {
            throw .missingArgument(command: "refund", what: "an amount such as 12.50, or --rest")
        }
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
            try Desk.refund(self, state, context).offering(
                [
                    PlanChoice(
                        key: "c", name: "store credit", value: credit ? "yes" : "no", kind: .toggle,
                        revise: revision { c, _ in c.credit.toggle() }),
                    PlanChoice(
                        key: "m", name: "notify", value: notify ? "yes" : "no", kind: .toggle,
                        revise: revision { c, _ in c.notify.toggle() }),
                    .note(note, revise: revision { $0.note = $1.isEmpty ? nil : $1 }),
                ], in: context))
    }
}
