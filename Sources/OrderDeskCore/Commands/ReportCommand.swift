/// `report`: cancellation rates, reasons, money and feedback for a period.
public struct ReportCommand: DeskCommand {
    public static let spec = CommandSpec(
        "report", summary: "cancellation rates, reasons and trends",
        usage: "report [--since D] [--until D] [--by reason|day|week|agent] [--csv]",
        examples: ["report", "report --since 7d --by day"],
        flags: [
            FlagSpec("--since", .date, help: "from this day (default: 30 days back)"),
            FlagSpec("--until", .date, help: "to this day (default: today)"),
            FlagSpec("--by", .choice(["reason", "day", "week", "agent"]), help: "a row per group"),
            FlagSpec("--csv", help: "print CSV"),
        ], isRead: true)

    public var query: ReportQuery

    public init(_ query: ReportQuery) { self.query = query }

    public init(_ inv: Invocation) throws(OrderDeskError) {
        try inv.exclusive("--json", "--csv")
        query = ReportQuery(
            since: try inv.date("--since"), until: try inv.date("--until"),
            by: inv.values["--by"].flatMap(ReportQuery.Grouping.init(rawValue:)),
            format: inv.has("--json") ? .json : inv.has("--csv") ? .csv : .text)
    }

    public var isChange: Bool { false }

    public func run(_ state: StoreState, _ context: Context, _ sources: Sources) throws(OrderDeskError) -> Outcome {
        .output(try Desk.report(query, state, context))
    }
}
