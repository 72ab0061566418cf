import OrderDeskCore

/// A store held in memory, with the same semantics as ``FileStore``: for tests and dry runs.
///
/// Several sessions on one store are modelled with ``openSession()``: each session keeps its own
/// view, sees the others' changes on ``refresh()``, and decides against the current state on
/// ``commit(agent:now:_:)``. Nothing is ever written to disk.
public final class MemoryStore: OrderStore {
    /// The shared part: the store itself, as every session sees it after catching up.
    private final class Backing {
        var state: StoreState
        var events: [Event] = []

        init(state: StoreState) { self.state = state }
    }

    public private(set) var state: StoreState
    public let isDemo: Bool
    public let location: String
    public var warnings: [String] = []

    /// Test hook: when set, the next commits fail with this error after `decide` accepted the
    /// change, and nothing is recorded: a stand-in for a full disk. Clear it to let commits through
    /// again. Only tests see it (`@_spi(StoreTesting) import OrderDeskStore`).
    @_spi(StoreTesting) public var injectedFailure: OrderDeskError?

    private let backing: Backing
    /// How many of the backing's events this session has seen.
    private var seen: Int
    /// Other sessions' events caught up during a commit, for the next refresh.
    private var unreported: [Event] = []
    /// The group commit in progress: the state before it, and its events not yet recorded.
    private var group: (before: StoreState, events: [Event])?

    /// A new store holding `state`, with one session (this instance).
    public init(state: StoreState = StoreState(), isDemo: Bool = false, location: String = "memory") {
        self.backing = Backing(state: state)
        self.state = state
        self.isDemo = isDemo
        self.location = location
        self.seen = 0
    }

    private init(backing: Backing, isDemo: Bool, location: String) {
        self.backing = backing
        self.state = backing.state
        self.isDemo = isDemo
        self.location = location
        self.seen = backing.events.count
    }

    /// Another session on the same store, as a second agent's process would have.
    public func openSession() -> MemoryStore {
        MemoryStore(backing: backing, isDemo: isDemo, location: location)
    }

    public func refresh() throws(OrderDeskError) -> [Event] {
        if group != nil {
            defer { unreported = [] }
            return unreported
        }
        let new = unreported + catchUp()
        unreported = []
        return new
    }

    public func commit(
        agent: String, now: Timestamp, batch: BatchOrigin?, _ decide: (StoreState) throws(OrderDeskError) -> [Change]
    ) throws(OrderDeskError) -> [Event] {
        if group == nil { unreported += catchUp() }
        let changes = try decide(state)
        guard !changes.isEmpty else { return [] }
        let events = state.events(recording: changes, agent: agent, at: now, batch: batch)
        var next = state
        for event in events {
            do {
                try next.apply(event)
            } catch {
                throw OrderDeskError.storeIO(
                    path: location, operation: "record the change in",
                    reason: "event \(error.seq) does not fit the store (\(error.problem))")
            }
        }
        if group != nil {
            // Recorded (or dropped, on an injected failure) when the group ends.
            group?.events += events
            state = next
            return events
        }
        if let injectedFailure { throw injectedFailure }
        backing.events += events
        backing.state = next
        state = next
        seen = backing.events.count
        return events
    }

    public func beginGroup() throws(OrderDeskError) {
        guard group == nil else { return }
        unreported += catchUp()
        group = (state, [])
    }

    public func endGroup() throws(OrderDeskError) {
        guard let pending = group else { return }
        group = nil
        guard !pending.events.isEmpty else { return }
        if let injectedFailure {
            state = pending.before
            throw injectedFailure
        }
        backing.events += pending.events
        backing.state = state
        seen = backing.events.count
    }

    public func auditLog() throws(OrderDeskError) -> [Event] {
        backing.events
    }

    /// Applies the backing's events this session has not seen yet.
    private func catchUp() -> [Event] {
        guard seen < backing.events.count else { return [] }
        let new = Array(backing.events[seen...])
        state = backing.state
        seen = backing.events.count
        return new
    }
}
