import Foundation
import OrderDeskCore

/// A store on a PostgreSQL server (`--store postgres://…`), for a team on several machines.
///
/// The same promises as ``FileStore``, kept by the server instead of a lock file: a change runs in
/// one transaction that locks the store's `head` row, catches up, decides against the current
/// state, appends its events (numbered without gaps) with the state they lead to, and commits;
/// only then is it acknowledged. Each change carries a unique id, so when the connection is lost
/// during COMMIT the store finds out, once the server is back, whether it was recorded, and never
/// applies it twice. The tables are described in ``ServerSchema``.
///
/// Opening reads the state from a local cache (the last state this user saw of this store, in
/// `~/.cache/orderdesk/servers/`) and only the events after it, so a start does not read every
/// order; without a usable cache it reads the state tables in one consistent snapshot.
///
/// The agent recorded on every change is the database role that logged in, or the name the
/// admin mapped it to in the `agents` table (``agent``); the server checks it on every insert.
public final class PostgresStore: OrderStore {
    public internal(set) var state: StoreState
    public let isDemo = false
    /// The store's address without its password: `postgres://alice@host:5432/shop`.
    public let location: String
    public var warnings: [String] = []
    /// The name every change is recorded under: the role that logged in, or its mapping.
    public let agent: String
    /// The role that logged in.
    public let role: String

    let address: ServerAddress
    let connection: PGConnection
    let codec = StoreCodec()
    /// The store's identity (`meta.store_id`), which names its local cache.
    let storeID: String
    /// The first privilege a change needs that the role lacks (`INSERT on orderdesk.events`).
    let missingPrivilege: String?
    /// Where the local cache of the state is kept, if anywhere.
    let cacheFile: String?
    /// The sequence number of the state in the local cache.
    var cachedSeq: Int
    /// Other sessions' events caught up during a commit, for the next refresh.
    var unreported: [Event] = []
    /// The group commit in progress, if any.
    var group: Group?
    /// A change whose COMMIT lost its connection, not yet looked up.
    var inDoubt: InDoubt?
    /// A change that did not commit left the state ahead of the server, and it could not be read
    /// again yet: the next call reads it (``rereadIfBehind()``).
    var behind = false

    /// A group commit in progress: what its rows are compared with, its events, its change id,
    /// and the failure that drops it (an event that did not fit, a part the server refused).
    ///
    /// While the group's lines are decided, its events already go to the server in parts
    /// (``PostgresStore/sendPart()``), inside its transaction, so that the server writes one
    /// part while the next is decided; COMMIT comes at the end, and only then is anything
    /// acknowledged. `sent` counts the events gone; `before` is the state the unsent ones are
    /// compared with.
    struct Group {
        var before: ServerRows.Before
        var events: [Event]
        var changeID: String
        var failure: OrderDeskError?
        var sent = 0
    }

    /// The fewest unsent events of a group that go to the server as a part, when it is idle.
    static let partMinimum = 32

    /// How long a lost commit waits for the server to come back before leaving the change in doubt.
    @_spi(StoreTesting) public var reconnectWindow: TimeInterval = PostgresStore.defaultReconnectWindow

    /// Test hook, called just before the change's rows and COMMIT go (in one round trip) and
    /// just after COMMIT succeeded; returning true after it
    /// makes the store act as if the acknowledgement was lost on the way (the connection dropped).
    @_spi(StoreTesting) public var commitHook: ((CommitMoment) -> Bool)?

    /// Where a commit is, for ``commitHook``.
    @_spi(StoreTesting) public enum CommitMoment: Sendable { case beforeCommit, afterCommit }

    /// A change whose outcome is not known yet.
    struct InDoubt {
        var changeID: String
        var events: [Event]
    }

    /// How many events behind the server the local cache may fall before it is written again.
    /// A thousand, or a quarter as many as the store has orders when that is more: writing the
    /// cache costs about as much as replaying a quarter as many events as there are orders (at
    /// 100k orders, ~1 s to encode and write it against ~45 µs to read and apply an event), so a
    /// big store is not written again at the end of every batch of a thousand changes.
    var cacheLag: Int { max(1_000, state.orders.count / 4) }

    init(
        address: ServerAddress, connection: PGConnection, location: String, storeID: String, agent: String,
        missingPrivilege: String?, cacheFile: String?, state: StoreState, cachedSeq: Int
    ) {
        self.address = address
        self.connection = connection
        self.location = location
        self.storeID = storeID
        self.agent = agent
        self.role = connection.user
        self.missingPrivilege = missingPrivilege
        self.cacheFile = cacheFile
        self.state = state
        self.cachedSeq = cachedSeq
    }

    deinit {
        if state.seq - cachedSeq >= cacheLag { writeCache() }
    }

    /// The agent changes are recorded under: not the `--agent` a person typed, but who logged in.
    public var authenticatedAgent: String? { agent }

    /// The database, and the schema when it is not the default: `orderdesk`, `shop/team2`.
    public var shortName: String {
        let database = connection.database
        return address.schema == ServerAddress.defaultSchema ? database : "\(database)/\(address.schema)"
    }

    /// A table of the store's schema, as SQL names it.
    func table(_ name: String) -> String { "\(address.schema).\(name)" }

    // MARK: Reading

    public func refresh() throws(OrderDeskError) -> [Event] {
        if group != nil {
            defer { unreported = [] }
            return unreported
        }
        try resolveInDoubt()
        try rereadIfBehind()
        let new = try withReconnect("read") { () throws(PGFailure) in try self.catchUp() }
        // An event is a big value: a thousand copied cost about a tenth of catching them up.
        let events = unreported.isEmpty ? new : unreported + new
        unreported = []
        return events
    }

    public func auditLog() throws(OrderDeskError) -> [Event] {
        try resolveInDoubt()
        let result = try withReconnect("read the audit log of") { () throws(PGFailure) in
            try self.connection.execute("SELECT line FROM \(self.table("events")) ORDER BY seq")
        }
        var events: [Event] = []
        events.reserveCapacity(result.rowCount)
        for row in 0..<result.rowCount {
            events.append(try decodeEvent(result, row, column: 0))
        }
        return events
    }

    /// The script lines `agent` committed, read from the server without the events themselves
    /// (a start of a batch read the whole log before: seconds, on a team's long history), through
    /// the index `events_batch`.
    public func scriptLinesDone(by agent: String) throws(OrderDeskError) -> [String: Timestamp] {
        try resolveInDoubt()
        let result = try withReconnect("read the audit log of") { () throws(PGFailure) in
            try self.connection.execute(
                """
                SELECT body->>'at', body->'batch'->>'line', body->'batch'->>'hash' FROM \(self.table("events"))
                WHERE agent = $1 AND (body->'batch'->>'hash') IS NOT NULL ORDER BY seq
                """, [agent])
        }
        var done: [String: Timestamp] = [:]
        for row in 0..<result.rowCount {
            guard let at = result.text(row, 0).flatMap(Timestamp.init(iso8601:)), let line = result.text(row, 1).flatMap(Int.init),
                let hash = result.text(row, 2)
            else { continue }
            done[BatchOrigin(script: "", line: line, hash: hash).key] = at
        }
        return done
    }

    /// Reads and applies the events after the state's, returning them.
    func catchUp() throws(PGFailure) -> [Event] {
        try applyEvents(connection.execute(eventsAfterState))
    }

    /// The query for the events after the state's (its only column: each one's line).
    var eventsAfterState: String { "SELECT line FROM \(table("events")) WHERE seq > \(state.seq) ORDER BY seq" }

    /// Applies the events of a result of ``eventsAfterState``, returning them.
    func applyEvents(_ result: PGResult) throws(PGFailure) -> [Event] {
        guard result.rowCount > 0 else { return [] }
        var events: [Event] = []
        events.reserveCapacity(result.rowCount)
        for row in 0..<result.rowCount {
            let event: Event
            do { event = try decodeEvent(result, row, column: 0) } catch {
                throw PGFailure(sqlState: nil, message: error.message, connectionLost: false, server: connection.serverDescription)
            }
            do { try state.apply(event) } catch {
                throw PGFailure(
                    sqlState: nil, message: "event \(error.seq) does not fit the store (\(error.problem))", connectionLost: false,
                    server: connection.serverDescription)
            }
            events.append(event)
        }
        return events
    }

    /// The event in a result's text column.
    func decodeEvent(_ result: PGResult, _ row: Int, column: Int) throws(OrderDeskError) -> Event {
        let bytes = result.withBytes(row, column) { Array($0) }
        do {
            return try codec.decodeEvent(bytes[...])
        } catch {
            throw .storeCorrupt(
                file: "\(location) (table \(table("events")))", position: "row \(row + 1)", problem: error.problem, quarantine: nil)
        }
    }

    // MARK: Connection

    /// Runs `body`; when the connection turns out lost, connects again once and runs it again.
    /// Failures become the store's errors (`operation` says what was being done).
    func withReconnect<T>(_ operation: String, _ body: () throws(PGFailure) -> T) throws(OrderDeskError) -> T {
        do {
            if connection.isBroken { try connection.reconnect() }
            return try body()
        } catch let failure {
            guard failure.connectionLost else { throw storeError(failure, operation: operation) }
        }
        do {
            try connection.reconnect()
            return try body()
        } catch {
            throw storeError(error, operation: operation)
        }
    }

    /// A failure from the server as the store's error.
    func storeError(_ failure: PGFailure, operation: String) -> OrderDeskError {
        if failure.connectionLost {
            return .serverUnreachable(store: location, server: failure.server, reason: failure.message)
        }
        if failure.isPermissionDenied {
            return .serverReadOnly(store: location, role: role, privilege: failure.message)
        }
        return .serverFailed(store: location, operation: operation, reason: failure.message)
    }
}
