/// Where and when a command runs: the injected clock, the agent, and how output looks.
public struct Context: Sendable {
    public var now: Timestamp
    public var agent: String
    /// Seconds east of UTC, for local display and day boundaries.
    public var utcOffset: Int
    public var style: Style
    /// A live session asks questions; a batch does not.
    public var interactive: Bool
    /// Pretty-printed JSON for people, one line for `run --json`.
    public var prettyJSON: Bool
    /// Writes orders as Shopify's orders export CSV for `orders --csv`. The shell provides it
    /// (the core does not depend on a CSV library); nil means `--csv` is not available.
    public var ordersCSV: (@Sendable ([Order]) -> String)?

    public init(
        now: Timestamp, agent: String, utcOffset: Int = 0, style: Style = .plain, interactive: Bool = false,
        prettyJSON: Bool = false
    ) {
        self.now = now
        self.agent = agent
        self.utcOffset = utcOffset
        self.style = style
        self.interactive = interactive
        self.prettyJSON = prettyJSON
    }

    /// A time for display, in local time.
    func show(_ t: Timestamp) -> String { t.display(offset: utcOffset) }
}

/// What the shell provides to read commands beyond the state: the audit log and the history.
public struct Sources {
    public var auditLog: () throws(OrderDeskError) -> [Event]
    public var history: () -> [String]

    public init(
        auditLog: @escaping () throws(OrderDeskError) -> [Event] = { [] },
        history: @escaping () -> [String] = { [] }
    ) {
        self.auditLog = auditLog
        self.history = history
    }
}

/// A change ready to be confirmed and committed.
public struct Plan: Sendable {
    /// The question asked in the live shell: `Cancel #1001?`.
    public var question: String
    /// What would happen, for the preview and `--dry-run`. Written when asked for: the `--yes`
    /// lines of a batch never show it, and it is the dearest part of a cancel.
    public var preview: String {
        get { makePreview() }
        set { makePreview = { newValue } }
    }
    private var makePreview: @Sendable () -> String
    /// Ask before committing (live shell, no `--yes`).
    public var confirm: Bool
    /// Show the preview only and change nothing.
    public var dryRun: Bool
    /// Decides the changes against the current state at commit time; refusals throw.
    public var decide: @Sendable (StoreState) throws(OrderDeskError) -> [Change]
    /// The message after success.
    public var done: @Sendable (_ after: StoreState, _ events: [Event]) -> String

    /// `preview` is kept as a closure until asked for. It must not capture the state (take the
    /// parts it needs first): a plan that holds the state's orders makes the commit that follows
    /// copy every order of the store, since the state is then no longer the only owner.
    init(
        question: String, preview: @autoclosure @escaping @Sendable () -> String, confirm: Bool, dryRun: Bool,
        decide: @escaping @Sendable (StoreState) throws(OrderDeskError) -> [Change],
        done: @escaping @Sendable (_ after: StoreState, _ events: [Event]) -> String
    ) {
        self.question = question
        self.makePreview = preview
        self.confirm = confirm
        self.dryRun = dryRun
        self.decide = decide
        self.done = done
    }
}

/// What running a command produced.
public enum Outcome: Sendable {
    /// Text to print.
    case output(String)
    /// A change to preview, confirm and commit.
    case change(Plan)
    /// Shell business: leave, run a file, show history.
    case quit
    case source(String)
}

/// The rules engine: runs commands against a state, purely.
public enum Desk {
    /// Runs a command: output for reads, a plan for changes.
    public static func run(
        _ command: Command, state: StoreState, context: Context, sources: Sources = Sources()
    ) throws(OrderDeskError) -> Outcome {
        try InputRules.check(command)
        switch command {
        case .help(let name): return .output(Help.text(for: name, style: context.style))
        case .orders(let q): return .output(try orders(q, state, context))
        case .find(let text, let limit, let json): return .output(try find(text, limit: limit, json: json, state, context))
        case .show(let name, let json): return .output(try show(name, json: json, state, context))
        case .inventory(let sku, let low, let json): return .output(try inventory(sku, low: low, json: json, state, context))
        case .outbox(let order, let limit, let json): return .output(try outbox(order, limit: limit, json: json, state, context))
        case .log(let order, let agent, let limit, let json):
            return .output(try log(order, agent: agent, limit: limit, json: json, state, context, sources))
        case .settings(let key, let value, let json):
            if let key, let value { return .change(settingsChange(key, value, context)) }
            return .output(try settings(key, json: json, state, context))
        case .history(let n): return .output(history(n, sources))
        case .feedbackList(let q): return .output(try feedbackList(q, state, context))
        case .cancel(let request): return .change(try cancel(request, state, context))
        case .refund(let request): return .change(try refund(request, state, context))
        case .restock(let request): return .change(try restock(request, state, context))
        case .notify(let order, let text): return .change(try notify(order, text, state, context))
        case .feedback(let request): return .change(try feedback(request, state, context))
        case .recreate(let request): return .change(try recreate(request, state, context))
        case .report(let q): return .output(try report(q, state, context))
        case .source(let path): return .source(path)
        case .quit: return .quit
        }
    }

    /// The order with a name, or `.unknownOrder`.
    static func order(_ name: String, _ state: StoreState) throws(OrderDeskError) -> Order {
        guard let order = state.order(named: name) else { throw .unknownOrder(name) }
        return order
    }

    /// A new id for a record, above every id in the state, unique within one change.
    static func newID(_ state: StoreState, _ k: Int64 = 1) -> Int64 {
        state.largestID + k
    }
}
