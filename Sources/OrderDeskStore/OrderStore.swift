import OrderDeskCore

/// Where the orders live: the seam between the commands and a storage backend.
///
/// ``FileStore`` keeps a store in a directory (snapshot, journal, lock); ``MemoryStore`` keeps
/// one in memory for tests and dry runs. A database backend would be a third conformer.
///
/// Every change goes through ``commit(agent:now:_:)``, which decides against the **current**
/// state under the store's exclusive lock, so two agents changing the same order get one
/// success and one refusal, never a lost update.
public protocol OrderStore: AnyObject {
    /// The state as of the last ``refresh()`` or ``commit(agent:now:_:)``.
    var state: StoreState { get }

    /// Whether this is the demo store (the prompt says so).
    var isDemo: Bool { get }

    /// Where the store is, for the prompt and messages: a directory path, or a label.
    var location: String { get }

    /// The store's name for the prompt: a directory's last component; a server store's database
    /// (and schema, when it is not the default).
    var shortName: String { get }

    /// The agent the store itself records changes under, when it knows who logged in (a server
    /// store: the database role, or the admin's mapping of it); nil when the caller says (`--agent`).
    var authenticatedAgent: String? { get }

    /// Things noticed while reading that did not stop the store from working, in plain words
    /// (for example a torn last journal line left by a crash). The shell shows and clears them.
    var warnings: [String] { get set }

    /// Catches up with changes made by other sessions since this one last looked, under a
    /// shared lock, and returns them oldest first (empty when there were none).
    func refresh() throws(OrderDeskError) -> [Event]

    /// Makes a change atomically against the current state.
    ///
    /// Under the exclusive lock: catches up, calls `decide` with the current state, turns the
    /// changes it returns into events numbered after the last one, writes them durably, applies
    /// them, and returns them. When `decide` throws, nothing is written and its error is rethrown;
    /// when it returns no changes, nothing is written and the result is empty. Events by other
    /// sessions caught up on the way are returned by the next ``refresh()``.
    ///
    /// `batch` is the script line that made the change, kept with its events so that a re-run
    /// of the script can skip it.
    func commit(
        agent: String, now: Timestamp, batch: BatchOrigin?, _ decide: (StoreState) throws(OrderDeskError) -> [Change]
    ) throws(OrderDeskError) -> [Event]

    /// Every event ever recorded, oldest first: the audit log.
    func auditLog() throws(OrderDeskError) -> [Event]

    /// The script lines `agent` committed, for skipping them when a script runs again: each
    /// line's ``BatchOrigin/key`` and when it was last done. From the audit log by
    /// default; a server store asks the server for them alone.
    func scriptLinesDone(by agent: String) throws(OrderDeskError) -> [String: Timestamp]

    /// Starts a group commit: takes the exclusive lock and catches up. Until ``endGroup()``,
    /// each ``commit(agent:now:_:)`` decides against the state as changed by the group's earlier
    /// commits and applies its events in memory, but writes nothing; ``refresh()`` only returns
    /// what was caught up. Nothing of the group may be acknowledged before ``endGroup()`` returns.
    func beginGroup() throws(OrderDeskError)

    /// Ends a group commit: writes all its events in one append with one sync, then releases the
    /// lock. When that fails, nothing of the group is kept (the state is as before the group) and
    /// the error is thrown.
    func endGroup() throws(OrderDeskError)
}

extension OrderStore {
    public func scriptLinesDone(by agent: String) throws(OrderDeskError) -> [String: Timestamp] {
        var done: [String: Timestamp] = [:]
        for event in try auditLog() where event.agent == agent {
            if let batch = event.batch { done[batch.key] = event.at }
        }
        return done
    }

    /// A change made by hand (not from a script).
    public func commit(
        agent: String, now: Timestamp, _ decide: (StoreState) throws(OrderDeskError) -> [Change]
    ) throws(OrderDeskError) -> [Event] {
        try commit(agent: agent, now: now, batch: nil, decide)
    }

    public var shortName: String { location.split(separator: "/").last.map(String.init) ?? location }

    /// A store without logins records the agent the caller gives.
    public var authenticatedAgent: String? { nil }

    /// A store without group commit commits each change on its own.
    public func beginGroup() throws(OrderDeskError) {}

    public func endGroup() throws(OrderDeskError) {}
}
