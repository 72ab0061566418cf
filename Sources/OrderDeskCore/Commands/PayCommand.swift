/// `pay ORDER [AMOUNT] [--method NAME]`: a payment received for a pending or partly paid order
/// (Shopify's "mark as paid").
public struct PayCommand: DeskCommand, Equatable {
    public static let spec = CommandSpec(
        "pay", summary: "record a payment received for an order that is not paid in full",
        usage: "pay ORDER [AMOUNT] [--method NAME] [--yes] [--dry-run]",
        details:
            "Without AMOUNT, records everything outstanding. NAME is the payment method as it should be kept (default manual: cash, bank transfer, a payment taken by phone). Never more than is outstanding.",
        examples: ["pay #1043", "pay #1043 20.00 --method bank_transfer"],
        flags: [
            FlagSpec("--method", .text, help: "the payment method (default manual)"),
            FlagSpec("--yes", help: "do not ask for confirmation"),
            FlagSpec("--dry-run", help: "show what would happen and change nothing"),
        ], arguments: [.order, .amount])

    public var order: String
    /// The amount as typed; nil means everything outstanding.
    public var amount: String?
    public var method: String
    public var yes: Bool
    public var dryRun: Bool

    public init(_ inv: Invocation) throws(OrderDeskError) {
        order = try OrderName.parse(inv.required(0, "an order number such as #1001"))
        amount = inv.argument(1)
        method = inv.values["--method"] ?? Gateway.manual
        yes = inv.has("--yes")
        dryRun = inv.has("--dry-run")
        try inv.exclusive("--yes", "--dry-run")
        try InputRules.line(method, what: "the --method name", limit: 64)
        guard !method.isEmpty, !method.contains(where: \.isWhitespace), method != Gateway.storeCredit else {
            throw .invalidValue(
                command: "pay", flag: "--method", value: method, expected: "one word naming the method, such as manual or bank_transfer")
        }
    }

    public var isChange: Bool { true }

    public func run(_ state: StoreState, _ context: Context, _ sources: Sources) throws(OrderDeskError) -> Outcome {
        .change(try Desk.collect(.pay(method: method), order: order, amount: amount, yes: yes, dryRun: dryRun, state, context))
    }
}

/// `capture ORDER [AMOUNT]`: money authorized at checkout, captured.
public struct CaptureCommand: DeskCommand, Equatable {
    public static let spec = CommandSpec(
        "capture", summary: "capture an authorized payment",
        usage: "capture ORDER [AMOUNT] [--yes] [--dry-run]",
        details: "Without AMOUNT, captures everything authorized and outstanding. Never more than is outstanding or authorized.",
        examples: ["capture #1007", "capture #1007 30.00"],
        flags: [
            FlagSpec("--yes", help: "do not ask for confirmation"),
            FlagSpec("--dry-run", help: "show what would happen and change nothing"),
        ], arguments: [.order, .amount])

    public var order: String
    public var amount: String?
    public var yes: Bool
    public var dryRun: Bool

    public init(_ inv: Invocation) throws(OrderDeskError) {
        order = try OrderName.parse(inv.required(0, "an order number such as #1001"))
        amount = inv.argument(1)
        yes = inv.has("--yes")
        dryRun = inv.has("--dry-run")
        try inv.exclusive("--yes", "--dry-run")
    }

    public var isChange: Bool { true }

    public func run(_ state: StoreState, _ context: Context, _ sources: Sources) throws(OrderDeskError) -> Outcome {
        .change(try Desk.collect(.capture, order: order, amount: amount, yes: yes, dryRun: dryRun, state, context))
    }
}
