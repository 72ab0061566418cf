import Foundation
import OrderDeskCore

extension PostgresStore {
    /// Creates a store at `address` holding `state`, with `events` as its audit log (a copy's;
    /// empty for a new store), all in one transaction: a failure leaves nothing behind. Refuses
    /// a schema that already holds a store. The group roles `orderdesk_agent` and
    /// `orderdesk_reader`, where they exist (as `scripts/postgres start` makes them), are granted
    /// access in the same transaction. Returns where the store is (without the password) and the
    /// roles granted to.
    @discardableResult
    public static func create(_ address: ServerAddress, state: StoreState, events: [Event] = []) throws(OrderDeskError)
        -> (location: String, granted: [String])
    {
        let connection = try connect(address)
        let location = describe(connection, address)
        let s = address.schema
        func fail(_ failure: PGFailure) -> OrderDeskError {
            if failure.connectionLost {
                return .serverUnreachable(store: location, server: failure.server, reason: failure.message)
            }
            return .serverFailed(store: location, operation: "create a store in", reason: failure.message)
        }
        do {
            let existing = try connection.execute("SELECT to_regclass('\(s).meta') IS NOT NULL")
            if existing.text(0, 0) == "t" { throw OrderDeskError.storeExists(path: location) }
        } catch let error as OrderDeskError {
            throw error
        } catch let failure as PGFailure {
            throw fail(failure)
        } catch {
            throw .serverFailed(store: location, operation: "create a store in", reason: "\(error)")
        }
        var granted: [String] = []
        do {
            try connection.execute("BEGIN")
            try connection.execute(ServerSchema.create(s))
            try connection.execute(
                """
                INSERT INTO \(s).meta (key, value)
                VALUES ('format', $1), ('version', $2), ('store_id', $3), ('created_at', now()::text), ('tables', $4)
                """,
                [Snapshot.formatName, String(Snapshot.currentVersion), UUID().uuidString.lowercased(), String(ServerSchema.version)])
            try connection.execute("INSERT INTO \(s).head (seq) VALUES ($1::bigint)", [String(state.seq)])
            try connection.execute(
                "INSERT INTO \(s).settings (doc) VALUES ($1::jsonb)",
                [String(decoding: FastStoreEncoder.document { $0.settings(state.settings) }, as: UTF8.self)])
            try insertRows(connection, schema: s, state: state, events: events)
            try connection.execute(ServerSchema.triggers(s))
            for (role, statements) in [
                (ServerSchema.agentRole, ServerSchema.agentGrants(s, to: ServerSchema.agentRole)),
                (ServerSchema.readerRole, ServerSchema.readerGrants(s, to: ServerSchema.readerRole)),
            ] where try connection.execute("SELECT 1 FROM pg_roles WHERE rolname = $1", [role]).rowCount == 1 {
                try connection.execute(statements.joined(separator: ";\n"))
                granted.append(role)
            }
            try connection.execute("COMMIT")
        } catch {
            if connection.inTransaction { _ = try? connection.execute("ROLLBACK") }
            throw fail(error)
        }
        return (location, granted)
    }

    /// The SQL an admin runs to let agent and read-only roles in.
    public static func grants(for address: ServerAddress) -> String { ServerSchema.grants(address.schema) }

    /// Inserts the state's rows and the events, in parts of a few thousand rows per statement.
    private static func insertRows(_ connection: PGConnection, schema s: String, state: StoreState, events: [Event])
        throws(PGFailure)
    {
        let part = 2_000
        func chunks<T>(_ items: [T], _ body: (ArraySlice<T>) throws(PGFailure) -> Void) throws(PGFailure) {
            var start = 0
            while start < items.count {
                try body(items[start..<min(start + part, items.count)])
                start += part
            }
        }
        func array<T>(_ items: ArraySlice<T>, _ encode: (Int, T) -> [UInt8]) -> String {
            var out: [UInt8] = [UInt8(ascii: "[")]
            for (i, item) in zip(items.indices, items) {
                if out.count > 1 { out.append(UInt8(ascii: ",")) }
                out += encode(i, item)
            }
            out.append(UInt8(ascii: "]"))
            return String(decoding: out, as: UTF8.self)
        }
        func row(_ position: Int, _ doc: [UInt8]) -> [UInt8] { Array("{\"pos\":\(position),\"doc\":".utf8) + doc + [UInt8(ascii: "}")] }
        try chunks(state.orders) { (slice) throws(PGFailure) in
            try connection.execute(
                """
                INSERT INTO \(s).orders (name, id, pos, seq, doc)
                SELECT r->'doc'->>'name', (r->'doc'->>'id')::bigint, (r->>'pos')::bigint, $2::bigint, r->'doc'
                FROM jsonb_array_elements($1::jsonb) AS r
                """,
                [array(slice) { i, o in row(i, FastStoreEncoder.document { $0.order(o) }) }, String(state.seq)])
        }
        try chunks(state.feedback) { (slice) throws(PGFailure) in
            try connection.execute(
                "INSERT INTO \(s).feedback (pos, doc) SELECT (r->>'pos')::bigint, r->'doc' FROM jsonb_array_elements($1::jsonb) AS r",
                [array(slice) { i, f in row(i, FastStoreEncoder.document { $0.feedback(f) }) }])
        }
        try chunks(state.outbox) { (slice) throws(PGFailure) in
            try connection.execute(
                "INSERT INTO \(s).outbox (pos, doc) SELECT (r->>'pos')::bigint, r->'doc' FROM jsonb_array_elements($1::jsonb) AS r",
                [array(slice) { i, n in row(i, FastStoreEncoder.document { $0.notice(n) }) }])
        }
        var inventory = FastStoreEncoder(capacity: 64 + state.inventory.count * 24)
        inventory.stringIntMap(state.inventory)
        try connection.execute(
            "INSERT INTO \(s).inventory (sku, available) SELECT key, value::integer FROM jsonb_each_text($1::jsonb)",
            [String(decoding: inventory.out, as: UTF8.self)])
        // Each event as its line; the trigger derives the other columns.
        try chunks(events) { (slice) throws(PGFailure) in
            var lines: [UInt8] = []
            for event in slice {
                if !lines.isEmpty { lines.append(UInt8(ascii: "\n")) }
                lines += FastStoreEncoder.event(event)
            }
            try connection.execute(
                "INSERT INTO \(s).events (line) SELECT unnest(string_to_array($1, E'\\n'))", [String(decoding: lines, as: UTF8.self)])
        }
    }
}

extension PostgresStore {
    /// Runs SQL on the server at `address` (for tests: roles, faults, looking at the tables) and
    /// returns the first column of each row.
    @_spi(StoreTesting) public static func runSQL(_ address: ServerAddress, _ sql: String) throws(OrderDeskError) -> [String?] {
        let connection = try connect(address)
        do {
            let result = try connection.execute(sql)
            return (0..<result.rowCount).map { result.text($0, 0) }
        } catch {
            throw .serverFailed(store: describe(connection, address), operation: "run SQL on", reason: error.message)
        }
    }

    /// Closes the connection as if the network broke (for tests of reconnecting).
    @_spi(StoreTesting) public func dropConnectionForTesting() throws(OrderDeskError) {
        _ = try? connection.execute("SELECT pg_terminate_backend(pg_backend_pid())")
    }
}
