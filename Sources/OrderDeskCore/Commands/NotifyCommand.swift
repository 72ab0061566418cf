/// `notify ORDER TEXT`: a message to the customer, kept in the outbox.
public struct NotifyCommand: DeskCommand {
    public static let spec = CommandSpec(
        "notify", summary: "send the customer a message",
        usage: "notify ORDER TEXT",
        details: "TEXT is at most 10,000 characters, in quotes; control characters are refused.",
        examples: ["notify #1001 'Your refund is on its way.'"],
        arguments: [.order, .text])

    public var order: String
    public var text: String

    public init(_ inv: Invocation) throws(OrderDeskError) {
        order = try OrderName.parse(inv.required(0, "an order number such as #1001"))
        text = try inv.required(1, "the message text, in quotes")
        guard !text.allSatisfy(\.isWhitespace) else { throw .emptyText(command: "notify") }
        try InputRules.body(text, what: "the notice text", limit: InputRules.noticeLimit)
    }

    public var isChange: Bool { true }

    public func run(_ state: StoreState, _ context: Context, _ sources: Sources) throws(OrderDeskError) -> Outcome {
        .change(try Desk.notify(order, text, state, context))
    }
}
