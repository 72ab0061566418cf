/// `cancel ORDER`: the Shopify cancel dialog: reason, refund, restock, notify, note.
public struct CancelCommand: DeskCommand, Equatable {
    public static let spec = CommandSpec(
        "cancel", summary: "cancel an order: reason, refund, restock, notify",
        usage:
            "cancel ORDER [--reason R] [--refund now|credit|later] [--restock|--no-restock] [--notify|--no-notify] [--offer TEXT] [--note TEXT] [--yes] [--dry-run]",
        details:
            "R is customer, inventory, fraud, declined, shipping, staff or other. Refund and restock default to the settings default-refund and auto-restock; the customer is notified unless the reason is fraud. The live shell asks for a missing reason, shows a preview and asks to confirm; a batch needs --reason.",
        examples: [
            "cancel #1001 --reason customer", "cancel #1002 --reason inventory --offer '10% off your next order'",
            "cancel #1003 --reason fraud --refund now --dry-run",
        ],
        flags: [
            FlagSpec("--reason", .choice(CommandTable.reasons), help: "why the order is cancelled"),
            FlagSpec("--refund", .choice(CommandTable.refundModes), help: "refund now, as store credit, or later"),
            FlagSpec("--restock", help: "put the items back in stock"),
            FlagSpec("--no-restock", help: "leave stock as it is"),
            FlagSpec("--notify", help: "send the customer a notice"),
            FlagSpec("--no-notify", help: "send no notice"),
            FlagSpec("--offer", .text, help: "an offer to include in the notice"),
            FlagSpec("--note", .text, help: "staff note, at most 255 characters, never shown to the customer"),
            FlagSpec("--yes", help: "do not ask for confirmation"),
            FlagSpec("--dry-run", help: "show what would happen and change nothing"),
        ], arguments: [.cancellableOrder])

    public var order: String
    public var reason: CancelReason?
    public var refund: RefundMode?
    public var restock: Bool?
    public var notify: Bool?
    public var offer: String?
    public var note: String?
    public var yes: Bool
    public var dryRun: Bool

    public init(_ inv: Invocation) throws(OrderDeskError) {
        order = try OrderName.parse(inv.required(0, "an order number such as #1001"))
        reason = inv.values["--reason"].flatMap(CancelReason.init(rawValue:))
        refund = inv.values["--refund"].flatMap(RefundMode.init(rawValue:))
        restock = try inv.toggle("--restock", "--no-restock")
        notify = try inv.toggle("--notify", "--no-notify")
        offer = inv.values["--offer"]
        note = inv.values["--note"]
        yes = inv.has("--yes")
        dryRun = inv.has("--dry-run")
        try inv.exclusive("--yes", "--dry-run")
        try check()
    }

    /// The checks that need no order: the note's length, an offer without a notice.
    func check() throws(OrderDeskError) {
        try InputRules.staffNote(note)
        if offer != nil && notify == false { throw .conflictingFlags(command: "cancel", "--offer", "--no-notify") }
        if let offer, offer.allSatisfy(\.isWhitespace) { throw .emptyText(command: "cancel --offer") }
        if let offer { try InputRules.line(offer, what: "the --offer text", limit: InputRules.offerLimit) }
    }

    public var isChange: Bool { true }

    /// Without a reason, a live session is asked for one (once the order is known to be
    /// cancellable); a batch line is refused.
    public func run(_ state: StoreState, _ context: Context, _ sources: Sources) throws(OrderDeskError) -> Outcome {
        try check()
        guard reason != nil else {
            let order = try Desk.cancellable(self.order, state)
            guard context.interactive else { throw .reasonRequired(order: order.name) }
            return .ask(
                Question(
                    title: "Why is the order being cancelled?", name: "Reason",
                    options: CancelReason.allCases.map { Question.Option($0.rawValue, $0.label) },
                    unanswered: .reasonRequired(order: order.name),
                    answer: { [self] value in
                        var answered = self
                        answered.reason = CancelReason(rawValue: value)
                        return Command(answered)
                    }))
        }
        return .change(try Desk.cancel(self, state, context))
    }

    /// What the agent can change in the preview: refund, restock, notify, offer, note.
    func choices(refund: RefundMode, restock: Bool, notify: Bool) -> [PlanChoice] {
        let with = revision
        return [
            PlanChoice(
                key: "r", name: "refund", value: refund.rawValue,
                kind: .options(RefundMode.allCases.map { Question.Option($0.rawValue, $0.label) }),
                revise: with { $0.refund = RefundMode(rawValue: $1) }),
            PlanChoice(
                key: "s", name: "restock", value: restock ? "yes" : "no", kind: .toggle, revise: with { c, _ in c.restock = !restock }),
            PlanChoice(
                key: "m", name: "notify", value: notify ? "yes" : "no", kind: .toggle,
                revise: with { c, _ in
                    c.notify = !notify
                    if notify { c.offer = nil }
                }),
            PlanChoice(
                key: "o", name: "offer", value: offer ?? "—", kind: .text,
                revise: with { c, text in
                    c.offer = text.isEmpty ? nil : text
                    if !text.isEmpty { c.notify = true }
                }),
            PlanChoice.note(note, revise: with { $0.note = $1.isEmpty ? nil : $1 }),
        ]
    }
}
