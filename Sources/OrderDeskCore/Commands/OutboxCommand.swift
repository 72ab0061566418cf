/// `outbox`: the messages to customers and where their delivery stands; `outbox send` tries
/// again what is waiting; `outbox show ID` prints one message exactly as it goes out.
public struct OutboxCommand: DeskCommand {
    public static let spec = CommandSpec(
        "outbox", summary: "messages to customers: list, send, show",
        usage: "outbox [--order ORDER] [--status STATUS] [--limit N] | outbox send [ID] | outbox show ID",
        details:
            "Every notice is queued with the change it belongs to and handed to the mail command (settings mail-command) right after the change is saved; nothing is sent while settings mail-from is unset, nor from the demo store, a practice sandbox or a dry run. STATUS is queued, sent, failed, undeliverable, held or recorded (notices kept before OrderDesk sent mail). 'outbox send' tries the queued and failed notices that are due (after a failure: 1 minute, 5 minutes, 30 minutes, 2 hours; 5 attempts at most); 'outbox send ID' tries one now.",
        examples: ["outbox", "outbox --status failed", "outbox send", "outbox show 1042", "outbox --order #1001"],
        flags: [
            FlagSpec("--order", .order, help: "only this order's messages"),
            FlagSpec("--status", .choice(OutboxCommand.statuses), help: "only messages in this state"),
            FlagSpec("--limit", .number, help: "at most N messages"),
        ],
        arguments: [.choice(["send", "show"]), .number], isRead: true)

    static let statuses = ["queued", "sent", "failed", "undeliverable", "held", "recorded"]

    public enum Action: Sendable, Equatable {
        case list
        case send(Int64?)
        case show(Int64)
    }

    public var action: Action
    public var order: String?
    public var status: String?
    public var limit: Int?
    public var json: Bool

    public init(_ inv: Invocation) throws(OrderDeskError) {
        order = try inv.values["--order"].map(OrderName.parse)
        limit = try inv.number("--limit")
        json = inv.has("--json")
        status = inv.values["--status"]
        if let status, !Self.statuses.contains(status) {
            throw .invalidValue(command: "outbox", flag: "--status", value: status, expected: Self.statuses.joined(separator: ", "))
        }
        func id(_ text: String?) throws(OrderDeskError) -> Int64? {
            guard let text else { return nil }
            guard let n = Int64(text.hasPrefix("#") ? String(text.dropFirst()) : text), n > 0 else { throw .unknownNotice(text) }
            return n
        }
        switch inv.argument(0) {
        case nil:
            action = .list
        case "send":
            action = .send(try id(inv.argument(1)))
        case "show":
            guard let n = try id(inv.argument(1)) else { throw .missingArgument(command: "outbox show", what: "a notice id") }
            action = .show(n)
        case let other?:
            throw .unexpectedArgument(command: "outbox", argument: other)
        }
        if action != .list, order != nil || status != nil || limit != nil {
            throw .conflictingFlags(command: "outbox", "send or show", "--order, --status or --limit")
        }
        if case .list = action, inv.argument(1) != nil { throw .unexpectedArgument(command: "outbox", argument: inv.argument(1)!) }
    }

    public var isChange: Bool { false }

    public func run(_ state: StoreState, _ context: Context, _ sources: Sources) throws(OrderDeskError) -> Outcome {
        switch action {
        case .list: return .output(try Desk.outbox(order, status: status, limit: limit, json: json, state, context))
        case .show(let id): return .output(try Desk.outboxShow(id, json: json, state, context))
        case .send(let id):
            if let id {
                guard let notice = state.outbox.last(where: { $0.id == id }) else { throw .unknownNotice("\(id)") }
                guard notice.isPending else { throw .noticeNotPending(id: id, status: Outbox.state(of: notice, context)) }
                return .send([id])
            }
            return .send(Outbox.due(state, now: context.now).map(\.id))
        }
    }
}
