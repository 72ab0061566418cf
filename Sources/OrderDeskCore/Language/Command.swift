/// A command, parsed and typed, ready to run against a store's state.
public enum Command: Sendable {
    case help(String?)
    case orders(OrderQuery)
    case find(text: String, limit: Int, json: Bool)
    case show(order: String, json: Bool)
    case cancel(CancelRequest)
    case refund(RefundRequest)
    case restock(RestockRequest)
    case recreate(RecreateRequest)
    case feedback(FeedbackRequest)
    case feedbackList(FeedbackQuery)
    case notify(order: String, text: String)
    case outbox(order: String?, limit: Int?, json: Bool)
    case inventory(sku: String?, low: Int?, json: Bool)
    case report(ReportQuery)
    case log(order: String?, agent: String?, limit: Int, json: Bool)
    case settings(key: String?, value: String?, json: Bool)
    case history(Int?)
    case source(String)
    case quit

    /// Parses one line; nil for a blank line or a comment.
    public static func parse(_ line: String) throws(OrderDeskError) -> Command? {
        let words = try Tokenizer.words(line)
        guard !words.isEmpty else { return nil }
        return try Command(Invocation.parse(words))
    }

    /// Whether the command changes the store.
    public var isChange: Bool {
        switch self {
        case .cancel, .refund, .restock, .recreate, .feedback, .notify: return true
        case .settings(_, let value, _): return value != nil
        default: return false
        }
    }

    /// Builds the typed command from a checked invocation.
    init(_ inv: Invocation) throws(OrderDeskError) {
        let json = inv.has("--json")
        switch inv.spec.name {
        case "help":
            if let name = inv.argument(0), CommandTable.spec(name) == nil {
                throw .unknownCommand(name, suggestion: Suggestion.closest(to: name, in: CommandTable.names))
            }
            self = .help(inv.argument(0))
        case "orders":
            self = .orders(
                OrderQuery(
                    status: inv.values["--status"].flatMap(OrderQuery.Status.init(rawValue:)) ?? .all,
                    customer: inv.values["--customer"], sku: inv.values["--sku"],
                    since: try inv.date("--since"), until: try inv.date("--until"),
                    limit: try inv.number("--limit") ?? (inv.has("--csv") ? Int.max : 20), json: json,
                    csv: inv.has("--csv")))
            try inv.exclusive("--json", "--csv")
        case "find":
            let text = try inv.required(0, "the text to search for")
            self = .find(text: text, limit: try inv.number("--limit") ?? 20, json: json)
        case "show":
            self = .show(order: try OrderName.parse(inv.required(0, "an order number such as #1001")), json: json)
        case "cancel":
            self = .cancel(try CancelRequest(inv))
        case "refund":
            self = .refund(try RefundRequest(inv))
        case "restock":
            self = .restock(try RestockRequest(inv))
        case "recreate":
            self = .recreate(try RecreateRequest(inv))
        case "feedback":
            if inv.argument(0) == "list" {
                if inv.values["--rating"] != nil {
                    throw .conflictingFlags(command: "feedback", "list", "--rating")
                }
                if inv.arguments.count > 1 { throw .unexpectedArgument(command: "feedback", argument: inv.arguments[1]) }
                self = .feedbackList(
                    FeedbackQuery(
                        order: try inv.values["--order"].map(OrderName.parse), since: try inv.date("--since"),
                        limit: try inv.number("--limit"), json: json))
            } else {
                self = .feedback(try FeedbackRequest(inv))
            }
        case "notify":
            let order = try OrderName.parse(inv.required(0, "an order number such as #1001"))
            let text = try inv.required(1, "the message text, in quotes")
            guard !text.allSatisfy(\.isWhitespace) else { throw .emptyText(command: "notify") }
            self = .notify(order: order, text: text)
        case "outbox":
            self = .outbox(
                order: try inv.values["--order"].map(OrderName.parse), limit: try inv.number("--limit"), json: json)
        case "inventory":
            self = .inventory(sku: inv.argument(0), low: try inv.number("--low"), json: json)
        case "report":
            self = .report(
                ReportQuery(
                    since: try inv.date("--since"), until: try inv.date("--until"),
                    by: inv.values["--by"].flatMap(ReportQuery.Grouping.init(rawValue:)),
                    format: json ? .json : inv.has("--csv") ? .csv : .text))
            try inv.exclusive("--json", "--csv")
        case "log":
            self = .log(
                order: try inv.argument(0).map(OrderName.parse), agent: inv.values["--agent"],
                limit: try inv.number("--limit") ?? 20, json: json)
        case "settings":
            if let key = inv.argument(0), !Settings.keys.contains(key) {
                throw .unknownSetting(key, suggestion: Suggestion.closest(to: key, in: Settings.keys))
            }
            if let key = inv.argument(0), let value = inv.argument(1), !Settings.allowedValues(of: key).contains(value) {
                throw .badSettingValue(key: key, value: value, allowed: Settings.allowedValues(of: key))
            }
            if json && inv.argument(1) != nil { throw .conflictingFlags(command: "settings", "a new value", "--json") }
            self = .settings(key: inv.argument(0), value: inv.argument(1), json: json)
        case "history":
            if let text = inv.argument(0) {
                guard let n = Int(text), n > 0 else {
                    throw .invalidValue(command: "history", flag: "N", value: text, expected: "a whole number such as 20")
                }
                self = .history(n)
            } else {
                self = .history(nil)
            }
        case "source":
            self = .source(try inv.required(0, "a script file to run"))
        default:
            self = .quit
        }
    }
}

/// The filters of `orders`.
public struct OrderQuery: Sendable, Equatable {
    public enum Status: String, Sendable, CaseIterable {
        case open, unfulfilled, fulfilled, cancelled
        case refundOwed = "refund-owed"
        case recreated, all
    }
    public var status: Status
    public var customer: String?
    public var sku: String?
    public var since: DateSpec?
    public var until: DateSpec?
    public var limit: Int
    public var json: Bool
    /// Shopify's orders export CSV, every matching order unless `--limit` says otherwise.
    public var csv: Bool = false
}

/// The choices of the cancel dialog.
public struct CancelRequest: Sendable, Equatable {
    public var order: String
    public var reason: CancelReason?
    public var refund: RefundMode?
    public var restock: Bool?
    public var notify: Bool?
    public var offer: String?
    public var note: String?
    public var yes: Bool
    public var dryRun: Bool

    /// The longest staff note Shopify accepts.
    public static let noteLimit = 255

    init(_ inv: Invocation) throws(OrderDeskError) {
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
        if let note, note.count > CancelRequest.noteLimit {
            throw .noteTooLong(length: note.count, limit: CancelRequest.noteLimit)
        }
        if offer != nil && notify == false { throw .conflictingFlags(command: "cancel", "--offer", "--no-notify") }
        if let offer, offer.allSatisfy(\.isWhitespace) { throw .emptyText(command: "cancel --offer") }
    }
}

/// A refund after the fact: an amount, or the rest.
public struct RefundRequest: Sendable, Equatable {
    public var order: String
    /// The amount as typed; nil means the rest.
    public var amount: String?
    public var credit: Bool
    public var note: String?
    public var yes: Bool

    init(_ inv: Invocation) throws(OrderDeskError) {
        order = try OrderName.parse(inv.required(0, "an order number such as #1001"))
        amount = inv.argument(1)
        credit = inv.has("--credit")
        note = inv.values["--note"]
        yes = inv.has("--yes")
        if amount != nil && inv.has("--rest") { throw .conflictingFlags(command: "refund", "an amount", "--rest") }
        if amount == nil && !inv.has("--rest") {
            throw .missingArgument(command: "refund", what: "an amount such as 12.50, or --rest")
        }
        if let note, note.count > CancelRequest.noteLimit {
            throw .noteTooLong(length: note.count, limit: CancelRequest.noteLimit)
        }
    }
}

/// Units to put back: per SKU, or everything.
public struct RestockRequest: Sendable, Equatable {
    public var order: String
    /// SKU and quantity; a nil quantity means all that can go back.
    public var items: [(sku: String, quantity: Int?)]
    public var all: Bool

    public static func == (a: RestockRequest, b: RestockRequest) -> Bool {
        a.order == b.order && a.all == b.all && a.items.map(\.sku) == b.items.map(\.sku)
            && a.items.map(\.quantity) == b.items.map(\.quantity)
    }

    init(_ inv: Invocation) throws(OrderDeskError) {
        order = try OrderName.parse(inv.required(0, "an order number such as #1001"))
        all = inv.has("--all")
        items = []
        for word in inv.arguments.dropFirst() {
            let parts = word.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let sku = parts.first, !sku.isEmpty else {
                throw .invalidValue(command: "restock", flag: "SKU", value: word, expected: "SKU or SKU=QTY, such as MUG-WHT=1")
            }
            var quantity: Int?
            if parts.count == 2 {
                guard let q = Int(parts[1]), q > 0 else {
                    throw .invalidValue(
                        command: "restock", flag: String(sku), value: String(parts[1]), expected: "a whole number of units, at least 1")
                }
                quantity = q
            }
            items.append((String(sku), quantity))
        }
        if all && !items.isEmpty { throw .conflictingFlags(command: "restock", "--all", "a list of SKUs") }
        if !all && items.isEmpty { throw .missingArgument(command: "restock", what: "SKU[=QTY] items or --all") }
    }
}

/// Bringing back a mistakenly cancelled order.
public struct RecreateRequest: Sendable, Equatable {
    public var order: String
    public var notify: Bool
    public var note: String?
    public var allowOversell: Bool
    public var yes: Bool
    public var dryRun: Bool

    init(_ inv: Invocation) throws(OrderDeskError) {
        order = try OrderName.parse(inv.required(0, "an order number such as #1001"))
        notify = try inv.toggle("--notify", "--no-notify") ?? true
        note = inv.values["--note"]
        allowOversell = inv.has("--allow-oversell")
        yes = inv.has("--yes")
        dryRun = inv.has("--dry-run")
        try inv.exclusive("--yes", "--dry-run")
        if let note, note.count > CancelRequest.noteLimit {
            throw .noteTooLong(length: note.count, limit: CancelRequest.noteLimit)
        }
    }
}

/// What a customer said.
public struct FeedbackRequest: Sendable, Equatable {
    public var order: String
    public var rating: Int
    public var text: String

    init(_ inv: Invocation) throws(OrderDeskError) {
        order = try OrderName.parse(inv.required(0, "an order number such as #1001, or 'list'"))
        guard let ratingText = inv.values["--rating"] else {
            throw .missingArgument(command: "feedback", what: "--rating N, a whole number from 1 to 5")
        }
        guard let rating = Int(ratingText), (1...5).contains(rating) else { throw .badRating(ratingText) }
        self.rating = rating
        text = inv.argument(1) ?? ""
        for flag in ["--order", "--since", "--limit", "--json"] where inv.values[flag] != nil || inv.has(flag) {
            throw .conflictingFlags(command: "feedback", flag, "a rating (that flag goes with 'feedback list')")
        }
    }
}

/// The filters of `feedback list`.
public struct FeedbackQuery: Sendable, Equatable {
    public var order: String?
    public var since: DateSpec?
    public var limit: Int?
    public var json: Bool
}

/// The period and grouping of `report`.
public struct ReportQuery: Sendable, Equatable {
    public enum Grouping: String, Sendable { case reason, day, week, agent }
    public enum Format: Sendable { case text, json, csv }
    public var since: DateSpec?
    public var until: DateSpec?
    public var by: Grouping?
    public var format: Format
}
