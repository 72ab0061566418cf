/// `feedback ORDER --rating N [TEXT]` logs what a customer said; `feedback list` shows the log.
public struct FeedbackCommand: DeskCommand, Equatable {
    public static let spec = CommandSpec(
        "feedback", summary: "log what a customer said, or list the log",
        usage: "feedback ORDER --rating N [TEXT]  |  feedback list [--order ORDER] [--since D] [--limit N]",
        examples: ["feedback #1001 --rating 5 'Quick refund, thanks!'", "feedback list --since 7d"],
        flags: [
            FlagSpec("--rating", .choice(["1", "2", "3", "4", "5"]), help: "1 (bad) to 5 (great)"),
            FlagSpec("--order", .order, help: "with list: only this order"),
            FlagSpec("--since", .date, help: "with list: on or after this day"),
            FlagSpec("--limit", .number, help: "with list: at most N entries"),
            FlagSpec("--json", help: "with list: print JSON"),
        ], arguments: [.order, .text])

    /// What the line asks for.
    public enum Action: Sendable, Equatable {
        case log(order: String, rating: Int, text: String)
        case list(FeedbackQuery)
    }

    public var action: Action

    public init(_ inv: Invocation) throws(OrderDeskError) {
        if inv.argument(0) == "list" {
            if inv.values["--rating"] != nil { throw .conflictingFlags(command: "feedback", "list", "--rating") }
            if inv.arguments.count > 1 { throw .unexpectedArgument(command: "feedback", argument: inv.arguments[1]) }
            action = .list(
                FeedbackQuery(
                    order: try inv.values["--order"].map(OrderName.parse), since: try inv.date("--since"),
                    limit: try inv.number("--limit"), json: inv.has("--json")))
            return
        }
        let order = try OrderName.parse(inv.required(0, "an order number such as #1001, or 'list'"))
        guard let ratingText = inv.values["--rating"] else {
            throw .missingArgument(command: "feedback", what: "--rating N, a whole number from 1 to 5")
        }
        guard let rating = Int(ratingText), (1...5).contains(rating) else { throw .badRating(ratingText) }
        for flag in ["--order", "--since", "--limit", "--json"] where inv.values[flag] != nil || inv.has(flag) {
            throw .conflictingFlags(command: "feedback", flag, "a rating (that flag goes with 'feedback list')")
        }
        let text = inv.argument(1) ?? ""
        try InputRules.body(text, what: "the feedback text", limit: InputRules.feedbackLimit)
        action = .log(order: order, rating: rating, text: text)
    }

    public var isChange: Bool {
        if case .log = action { return true }
        return false
    }

    public func run(_ state: StoreState, _ context: Context, _ sources: Sources) throws(OrderDeskError) -> Outcome {
        switch action {
        case .log(let order, let rating, let text):
            return .change(try Desk.feedback(order: order, rating: rating, text: text, state, context))
        case .list(let query):
            return .output(try Desk.feedbackList(query, state, context))
        }
    }
}
