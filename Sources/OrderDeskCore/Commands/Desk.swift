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
    /// The templates notices are written from, and whether notices made here may be sent.
    public var notices = NoticeSetup()

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
    /// What the agent can still change in the live preview before confirming.
    public var choices: [PlanChoice] = []
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
    /// A choice only the agent can make before the command goes on (a batch line fails instead).
    case ask(Question)
    /// Shell business: leave, run a file, show history.
    case quit
    case source(String)
    /// `outbox send`: hand these notices (by id) to the mail transfer agent and record what came
    /// of it. The shell does the sending; the core only chose them.
    case send([Int64])
}

/// The rules engine: runs commands against a state, purely.
public enum Desk {
    /// Runs a command: output for reads, a question, or a plan for changes.
    public static func run(
        _ command: Command, state: StoreState, context: Context, sources: Sources = Sources()
    ) throws(OrderDeskError) -> Outcome {
        try command.body.run(state, context, sources)
    }

    /// The order an agent typed (a name or a number), through ``StoreState/resolveOrder(_:)``;
    /// `.unknownOrder` or `.ambiguousOrder` when there is none or more than one.
    static func order(_ typed: String, _ state: StoreState) throws(OrderDeskError) -> Order {
        try state.resolveOrder(typed)
    }

    /// A new id for a record, above every id in the state, unique within one change.
    static func newID(_ state: StoreState, _ k: Int64 = 1) -> Int64 {
        state.largestID + k
    }
}
