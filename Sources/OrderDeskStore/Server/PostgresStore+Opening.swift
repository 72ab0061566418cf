import Foundation
import Glibc
import OrderDeskCore

extension PostgresStore {
    /// Opens the store at `address`: connects, checks the store's format and who logged in, and
    /// reads the state (from the cache in `cacheDirectory` and the events after it, when there is
    /// a usable one; else from the state tables).
    ///
    /// Throws ``OrderDeskError/serverUnreachable(store:server:reason:)`` when the server cannot
    /// be reached, ``OrderDeskError/storeMissing(path:)`` when the schema holds no store, and
    /// ``OrderDeskError/storeTooNew(file:version:supported:)`` for a newer format.
    public static func open(_ address: ServerAddress, cacheDirectory: String?) throws(OrderDeskError) -> PostgresStore {
        let connection = try connect(address)
        let location = describe(connection, address)
        let s = address.schema
        let meta: [String: String]
        do {
            meta = try readMeta(connection, schema: s)
        } catch {
            if error.isMissingStore { throw .storeMissing(path: location) }
            if error.isPermissionDenied {
                throw .serverFailed(
                    store: location, operation: "open",
                    reason: error.message + " (the role needs USAGE on schema \(s) and SELECT on its tables)")
            }
            throw .serverFailed(store: location, operation: "open", reason: error.message)
        }
        guard meta["format"] == Snapshot.formatName, let version = meta["version"].flatMap(Int.init), let storeID = meta["store_id"] else {
            throw .storeCorrupt(
                file: "\(location) (table \(s).meta)", position: "", problem: "it does not describe an OrderDesk store", quarantine: nil)
        }
        guard version <= Snapshot.currentVersion else {
            throw .storeTooNew(file: location, version: version, supported: Snapshot.currentVersion)
        }
        let tables = meta["tables"].flatMap(Int.init) ?? 1
        guard tables <= ServerSchema.version else {
            throw .storeTooNew(file: location, version: tables, supported: ServerSchema.version)
        }
        if tables < ServerSchema.version { try upgrade(connection, schema: s, from: tables, location: location) }
        let agent: String
        let missing: String?
        do {
            (agent, missing) = try whoIsThis(connection, schema: s)
        } catch {
            throw .serverFailed(store: location, operation: "open", reason: error.message)
        }
        let cacheFile = cacheDirectory.map { "\($0)/\(storeID).json" }
        let store = PostgresStore(
            address: address, connection: connection, location: location, storeID: storeID, agent: agent,
            missingPrivilege: missing, cacheFile: cacheFile, state: StoreState(), cachedSeq: 0)
        try store.load()
        return store
    }

    /// Connects, or explains why not (never with the password).
    static func connect(_ address: ServerAddress) throws(OrderDeskError) -> PGConnection {
        do {
            return try PGConnection.connect(address.conninfo)
        } catch {
            throw .serverUnreachable(store: redacted(address), server: error.server, reason: error.message)
        }
    }

    /// The address as given, with any password in it replaced by `***`.
    static func redacted(_ address: ServerAddress) -> String {
        var text = address.conninfo
        if let scheme = text.range(of: "://"), let at = text[scheme.upperBound...].firstIndex(of: "@") {
            let userInfo = text[scheme.upperBound..<at]
            if let colon = userInfo.firstIndex(of: ":") {
                text.replaceSubrange(colon..<at, with: ":***")
            }
        }
        if let range = text.range(of: "password=") {
            let end = text[range.upperBound...].firstIndex(of: "&") ?? text.endIndex
            text.replaceSubrange(range.upperBound..<end, with: "***")
        }
        return text
    }

    /// Where the store is, as libpq resolved it, without the password: `postgres://alice@db.example:5432/shop`.
    static func describe(_ connection: PGConnection, _ address: ServerAddress) -> String {
        let user = connection.user.isEmpty ? "" : connection.user + "@"
        var query: [String] = []
        var text: String
        if connection.host.hasPrefix("/") || connection.host.isEmpty {
            text = "postgres://\(user)/\(connection.database)"
            if !connection.host.isEmpty { query.append("host=\(connection.host)") }
            if !connection.port.isEmpty && connection.port != "5432" { query.append("port=\(connection.port)") }
        } else {
            text = "postgres://\(user)\(connection.host):\(connection.port.isEmpty ? "5432" : connection.port)/\(connection.database)"
        }
        if address.schema != ServerAddress.defaultSchema { query.append("schema=\(address.schema)") }
        if !query.isEmpty { text += "?" + query.joined(separator: "&") }
        return text
    }

    /// Brings tables made by an earlier OrderDesk up to this version, in one transaction; only
    /// their owner may (a store opened by another role is refused, naming the owner).
    static func upgrade(_ connection: PGConnection, schema s: String, from version: Int, location: String) throws(OrderDeskError) {
        guard let sql = ServerSchema.upgrade(s, from: version) else { return }
        do {
            let owner = try connection.execute(
                "SELECT tableowner, pg_has_role(tableowner, 'USAGE') FROM pg_tables WHERE schemaname = $1 AND tablename = 'events'", [s])
            guard owner.text(0, 1) == "t" else {
                throw OrderDeskError.serverFailed(
                    store: location, operation: "open",
                    reason:
                        "its tables were made by an earlier OrderDesk (tables version \(version), this one needs \(ServerSchema.version)); "
                        + "open it once as their owner, \(owner.text(0, 0) ?? "the role that made them"), to upgrade them")
            }
            try connection.execute("BEGIN")
            // The head row locked: no change runs while the tables change.
            try connection.execute("SELECT seq FROM \(s).head FOR UPDATE")
            if try readMeta(connection, schema: s)["tables"] == nil {
                try connection.execute(sql)
            }
            try connection.execute("COMMIT")
        } catch let error as OrderDeskError {
            throw error
        } catch {
            if connection.inTransaction { _ = try? connection.execute("ROLLBACK") }
            let reason = (error as? PGFailure)?.message ?? "\(error)"
            throw .serverFailed(store: location, operation: "upgrade the tables of", reason: reason)
        }
    }

    static func readMeta(_ connection: PGConnection, schema: String) throws(PGFailure) -> [String: String] {
        let result = try connection.execute("SELECT key, value FROM \(schema).meta")
        var meta: [String: String] = [:]
        for row in 0..<result.rowCount {
            if let key = result.text(row, 0) { meta[key] = result.text(row, 1) }
        }
        return meta
    }

    /// The agent the server records for this login, and the first privilege a change needs that it lacks.
    static func whoIsThis(_ connection: PGConnection, schema: String) throws(PGFailure) -> (String, String?) {
        let checks = ServerSchema.changePrivileges.map { "has_table_privilege('\(schema).\($0.table)', '\($0.privilege)')" }
        let result = try connection.execute("SELECT \(schema).agent_name(), " + checks.joined(separator: ", "))
        let agent = result.text(0, 0) ?? connection.user
        for (i, check) in ServerSchema.changePrivileges.enumerated() where result.text(0, i + 1) != "t" {
            return (agent, "\(check.privilege) on \(schema).\(check.table)")
        }
        return (agent, nil)
    }

    // MARK: Loading

    /// Reads the state in one consistent snapshot of the server: the cached state and the events
    /// after it, or (without a usable cache) the state tables.
    func load() throws(OrderDeskError) {
        do {
            try connection.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            defer { rollback() }
            let head = try connection.execute("SELECT seq FROM \(table("head"))").text(0, 0).flatMap(Int.init) ?? 0
            if let cached = readCache(), cached.seq <= head, try lastEventMark(cached.seq) == readCacheMark() {
                state = cached
                cachedSeq = cached.seq
                do {
                    _ = try catchUp()
                    if head - cachedSeq >= cacheLag { writeCache() }
                    return
                } catch {
                    // A cache that does not fit the events is dropped; the tables are the truth.
                }
            }
            state = try readTables(head: head)
            cachedSeq = state.seq
            writeCache()
        } catch {
            throw storeError(error, operation: "read")
        }
    }

    /// The state from the state tables, as the snapshot document they make together.
    func readTables(head: Int) throws(PGFailure) -> StoreState {
        var bytes: [UInt8] = []
        bytes += Array("{\"format\":\"\(Snapshot.formatName)\",\"version\":\(Snapshot.currentVersion),\"seq\":\(head)".utf8)
        func list(_ key: String, _ sql: String) throws(PGFailure) {
            let result = try connection.execute(sql)
            bytes += Array(",\"\(key)\":[".utf8)
            for row in 0..<result.rowCount {
                if row > 0 { bytes.append(UInt8(ascii: ",")) }
                result.withBytes(row, 0) { bytes.append(contentsOf: $0) }
            }
            bytes.append(UInt8(ascii: "]"))
        }
        try list("orders", "SELECT doc::text FROM \(table("orders")) ORDER BY pos")
        try list("feedback", "SELECT doc::text FROM \(table("feedback")) ORDER BY pos")
        try list("outbox", "SELECT doc::text FROM \(table("outbox")) ORDER BY pos")
        let inventory = try connection.execute(
            "SELECT coalesce(jsonb_object_agg(sku, available), '{}'::jsonb)::text FROM \(table("inventory"))")
        bytes += Array(",\"inventory\":".utf8)
        inventory.withBytes(0, 0) { bytes.append(contentsOf: $0) }
        let settings = try connection.execute("SELECT doc::text FROM \(table("settings"))")
        bytes += Array(",\"settings\":".utf8)
        settings.withBytes(0, 0) { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "}"))
        do {
            return try codec.decodeSnapshot(bytes).state
        } catch {
            throw PGFailure(
                sqlState: nil, message: "the state tables do not make a store (\(error.field ?? "") \(error.problem))",
                connectionLost: false, server: connection.serverDescription)
        }
    }

    // MARK: The local cache

    /// The cached state, when there is a cache that decodes.
    func readCache() -> StoreState? {
        guard let cacheFile, let bytes = try? POSIX.readFile(cacheFile), let snapshot = try? codec.decodeSnapshot(bytes),
            snapshot.format == Snapshot.formatName, snapshot.version == Snapshot.currentVersion
        else { return nil }
        return snapshot.state
    }

    /// Writes the state to the cache (a new file renamed into place); a failure only costs speed.
    /// What identifies the event at `seq` (the digest of its line), so that a cache made
    /// before the server was restored to another history is not trusted: `"SEQ DIGEST"`.
    func lastEventMark(_ seq: Int) throws(PGFailure) -> String {
        guard seq > 0 else { return "0" }
        let result = try connection.execute("SELECT md5(line) FROM \(table("events")) WHERE seq = \(seq)")
        return "\(seq) \(result.text(0, 0) ?? "none")"
    }

    /// The mark written beside the cache, if any.
    func readCacheMark() -> String? {
        guard let cacheFile, let bytes = try? POSIX.readFile(cacheFile + ".mark") else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    func writeCache() {
        guard let cacheFile, let bytes = try? codec.encodeSnapshot(state), let mark = try? lastEventMark(state.seq) else { return }
        let directory = String(cacheFile[..<(cacheFile.lastIndex(of: "/") ?? cacheFile.endIndex)])
        // Every missing folder on the way (a new user may have no ~/.cache yet), private.
        try? FileManager.default.createDirectory(
            atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let temporary = "\(cacheFile).\(getpid()).tmp"
        do {
            let fd = try POSIX.open(temporary, O_WRONLY | O_CREAT | O_TRUNC, mode: 0o600)
            defer { POSIX.closeQuietly(fd) }
            try POSIX.writeAll(fd, bytes, path: temporary)
            // The mark first: a crash between the two leaves a mark that fits no cache, which is dropped.
            try POSIX.replaceDurably(
                cacheFile + ".mark", with: Array(mark.utf8), temporary: "\(cacheFile).mark.\(getpid()).tmp", directory: directory)
            try POSIX.rename(temporary, to: cacheFile)
            cachedSeq = state.seq
        } catch {
            _ = try? POSIX.unlink(temporary)
        }
    }
}
