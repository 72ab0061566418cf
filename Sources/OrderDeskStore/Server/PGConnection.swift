import CLibpq
import Foundation

/// One connection to a PostgreSQL server, through libpq: synchronous, like the shell.
///
/// libpq reads the connection string as `psql` does, so a user's `PGHOST`, `PGPORT`, `PGUSER`,
/// `PGDATABASE`, `PGSERVICE`, `~/.pgpass`, `sslmode` and Unix sockets all apply. Nothing here
/// ever prints the password: messages name the host, port, user and database that libpq reports.
final class PGConnection {
    private var handle: OpaquePointer?
    let conninfo: String

    private init(handle: OpaquePointer?, conninfo: String) {
        self.handle = handle
        self.conninfo = conninfo
    }

    deinit { PQfinish(handle) }

    /// Connects, or throws libpq's reason with where it tried.
    static func connect(_ conninfo: String) throws(PGFailure) -> PGConnection {
        let handle = PQconnectdb(conninfo)
        let connection = PGConnection(handle: handle, conninfo: conninfo)
        guard let handle, PQstatus(handle) == CONNECTION_OK else {
            throw PGFailure(
                sqlState: nil, message: connection.lastMessage, connectionLost: true,
                server: connection.serverDescription)
        }
        // Notices (such as "schema already exists, skipping") are not for the agent's terminal.
        PQsetNoticeProcessor(handle, { _, _ in }, nil)
        return connection
    }

    /// Whether the connection is gone (the server restarted, the network broke).
    var isBroken: Bool { handle == nil || PQstatus(handle) != CONNECTION_OK }

    /// Connects again with the same settings (libpq's `PQreset`).
    func reconnect() throws(PGFailure) {
        prepared = [:]
        isSending = false
        PQreset(handle)
        guard !isBroken else {
            throw PGFailure(sqlState: nil, message: lastMessage, connectionLost: true, server: serverDescription)
        }
    }

    /// Whether a transaction is open on the connection.
    var inTransaction: Bool {
        let status = PQtransactionStatus(handle)
        return status == PQTRANS_INTRANS || status == PQTRANS_INERROR
    }

    /// Runs one statement with text parameters (`$1`, `$2`…; nil is NULL) and returns its rows.
    /// Without parameters, `sql` may hold several statements.
    @discardableResult
    func execute(_ sql: String, _ parameters: [String?] = []) throws(PGFailure) -> PGResult {
        awaitQuietly()
        let result: OpaquePointer?
        if parameters.isEmpty {
            result = PQexec(handle, sql)
        } else {
            result = Self.withCStrings(parameters) { values in
                PQexecParams(handle, sql, Int32(values.count), nil, values, nil, nil, 0)
            }
        }
        return try checked(result)
    }

    /// Statements prepared on this connection (``executePrepared(_:_:)``): their names by their text.
    private var prepared: [String: String] = [:]

    /// Runs one statement with text parameters as ``execute(_:_:)`` does, prepared on its first
    /// use on this connection: parsed and planned once, not on every change (about 0.5 ms each
    /// time for the statement that writes a change).
    /// The parameters are text given as bytes, each ending in a NUL byte (``PGText``), so
    /// that megabytes of JSON are neither checked as UTF-8 again nor copied on the way.
    @discardableResult
    func executePrepared(_ sql: String, _ parameters: [PGText?]) throws(PGFailure) -> PGResult {
        let name = try prepare(sql, parameters.count)
        let result = Self.withPointers(parameters) { values in
            PQexecPrepared(handle, name, Int32(values.count), values, nil, nil, 0)
        }
        return try checked(result)
    }

    /// The name of `sql` prepared on this connection, preparing it on its first use.
    private func prepare(_ sql: String, _ count: Int) throws(PGFailure) -> String {
        if let known = prepared[sql] { return known }
        awaitQuietly()
        let name = "orderdesk_\(prepared.count + 1)"
        // Every parameter is text (type 25), so that a statement need not use them all.
        let types = [Oid](repeating: 25, count: count)
        _ = try checked(PQprepare(handle, name, sql, Int32(count), types))
        prepared[sql] = name
        return name
    }

    /// Runs a prepared statement (as ``executePrepared(_:_:)`` does) and then `COMMIT`, in one
    /// round trip (libpq's pipeline mode). Throws the first failure: the statement's (the COMMIT
    /// then does not run, and the transaction is left aborted for the caller's ROLLBACK) or the
    /// COMMIT's. A connection lost on the way throws a failure that says so: the outcome of the
    /// COMMIT is then unknown.
    func executePreparedAndCommit(_ sql: String, _ parameters: [PGText?]) throws(PGFailure) {
        let name = try prepare(sql, parameters.count)
        awaitQuietly()
        guard PQenterPipelineMode(handle) == 1 else {
            try executePrepared(sql, parameters)
            try execute("COMMIT")
            return
        }
        defer { PQexitPipelineMode(handle) }
        let sent = Self.withPointers(parameters) { values in
            PQsendQueryPrepared(handle, name, Int32(values.count), values, nil, nil, 0)
        }
        guard sent == 1, PQsendQueryParams(handle, "COMMIT", 0, nil, nil, nil, nil, 0) == 1, PQpipelineSync(handle) == 1 else {
            throw PGFailure(sqlState: nil, message: lastMessage, connectionLost: true, server: serverDescription)
        }
        // Each query's results and a NULL after them, then the sync's result: two NULLs in a
        // row only when the connection is gone.
        var failure: PGFailure?
        var nulls = 0
        while true {
            guard let result = PQgetResult(handle) else {
                nulls += 1
                if nulls >= 2 || isBroken {
                    if failure == nil || isBroken {
                        failure = PGFailure(sqlState: nil, message: lastMessage, connectionLost: true, server: serverDescription)
                    }
                    break
                }
                continue
            }
            nulls = 0
            let status = PQresultStatus(result)
            if status == PGRES_PIPELINE_SYNC {
                PQclear(result)
                break
            }
            if status == PGRES_PIPELINE_ABORTED {
                PQclear(result)
                continue
            }
            do { _ = try checked(result) } catch {
                if failure == nil { failure = error }
            }
        }
        if let failure { throw failure }
    }

    // MARK: A statement on its way

    /// Whether a statement was sent by ``sendPrepared(_:_:)`` and its result not collected yet.
    private(set) var isSending = false

    /// Sends a prepared statement (as ``executePrepared(_:_:)`` runs it) without waiting for the
    /// server: the caller goes on with its own work while the server runs it, and collects the
    /// outcome with ``awaitSent()``. One at a time.
    func sendPrepared(_ sql: String, _ parameters: [PGText?]) throws(PGFailure) {
        let name = try prepare(sql, parameters.count)
        awaitQuietly()
        let sent = Self.withPointers(parameters) { values in
            PQsendQueryPrepared(handle, name, Int32(values.count), values, nil, nil, 0)
        }
        guard sent == 1 else {
            throw PGFailure(sqlState: nil, message: lastMessage, connectionLost: true, server: serverDescription)
        }
        isSending = true
    }

    /// Whether the statement sent is still running: reads what has arrived, never waits. A
    /// connection in trouble is not busy (``awaitSent()`` then says what happened).
    var isBusy: Bool {
        guard isSending else { return false }
        guard PQconsumeInput(handle) == 1 else { return false }
        return PQisBusy(handle) == 1
    }

    /// Waits for the statement sent by ``sendPrepared(_:_:)`` and throws its failure, if any.
    func awaitSent() throws(PGFailure) {
        guard isSending else { return }
        isSending = false
        var failure: PGFailure?
        while let result = PQgetResult(handle) {
            do { _ = try checked(result) } catch {
                if failure == nil { failure = error }
            }
        }
        if let failure { throw failure }
        if isBroken { throw PGFailure(sqlState: nil, message: lastMessage, connectionLost: true, server: serverDescription) }
    }

    /// Collects a statement still on its way before another is sent; its failure, if any,
    /// shows in the next statement (the transaction is aborted).
    private func awaitQuietly() {
        if isSending { _ = try? awaitSent() }
    }

    /// A statement's result, or its failure as thrown (the result cleared).
    private func checked(_ result: OpaquePointer?) throws(PGFailure) -> PGResult {
        let status = PQresultStatus(result)
        guard status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK else {
            var sqlState: String?
            if let result, let field = PQresultErrorField(result, Int32(UInt8(ascii: "C"))) {
                sqlState = String(cString: field)
            }
            let message: String
            if let result, let text = PQresultErrorMessage(result), text.pointee != 0 {
                message = Self.oneLine(String(cString: text))
            } else {
                message = lastMessage
            }
            PQclear(result)
            throw PGFailure(
                sqlState: sqlState, message: message, connectionLost: isBroken || Self.meansConnectionLost(sqlState),
                server: serverDescription)
        }
        return PGResult(result)
    }

    /// Whether a failed statement's SQLSTATE means the connection is gone, even while libpq still
    /// reports it as open (seen after `pg_ctl stop -m immediate`: "server closed the connection
    /// unexpectedly" with `PQstatus` still `CONNECTION_OK`): no SQLSTATE (libpq's own error, no
    /// answer from the server), a connection exception (08…) or an operator intervention that ends
    /// the session (57P01–57P05). Taking such a failure for a lost connection is the safe side:
    /// a COMMIT is then looked up by its change id instead of being reported as not done.
    static func meansConnectionLost(_ sqlState: String?) -> Bool {
        guard let sqlState else { return true }
        return sqlState.hasPrefix("08") || sqlState.hasPrefix("57P")
    }

    /// libpq's last message on this connection, on one line.
    var lastMessage: String {
        guard let text = PQerrorMessage(handle) else { return "unknown error" }
        let message = Self.oneLine(String(cString: text))
        return message.isEmpty ? "unknown error" : message
    }

    /// Where the connection goes, as libpq resolved it: `host:port` or the socket directory.
    var serverDescription: String {
        let host = text(PQhost(handle)) ?? "localhost"
        let port = text(PQport(handle)) ?? "5432"
        if host.hasPrefix("/") { return "the socket in \(host), port \(port)" }
        return "\(host), port \(port)"
    }

    /// The role that logged in.
    var user: String { text(PQuser(handle)) ?? "" }

    /// The database.
    var database: String { text(PQdb(handle)) ?? "" }

    /// The host, or the socket directory.
    var host: String { text(PQhost(handle)) ?? "" }

    /// The port.
    var port: String { text(PQport(handle)) ?? "" }

    private func text(_ pointer: UnsafeMutablePointer<CChar>?) -> String? {
        guard let pointer, pointer.pointee != 0 else { return nil }
        return String(cString: pointer)
    }

    /// libpq's messages end with a newline and continue on tab-indented lines.
    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }.joined(separator: "; ")
    }

    private static func withPointers<R>(_ texts: [PGText?], _ body: ([UnsafePointer<CChar>?]) -> R) -> R {
        var pointers: [UnsafePointer<CChar>?] = []
        pointers.reserveCapacity(texts.count)
        func next(_ i: Int) -> R {
            guard i < texts.count else { return body(pointers) }
            guard let text = texts[i] else {
                pointers.append(nil)
                return next(i + 1)
            }
            return text.bytes.withUnsafeBufferPointer { buffer in
                pointers.append(UnsafeRawPointer(buffer.baseAddress!).assumingMemoryBound(to: CChar.self))
                return next(i + 1)
            }
        }
        return next(0)
    }

    private static func withCStrings<R>(_ strings: [String?], _ body: ([UnsafePointer<CChar>?]) -> R) -> R {
        var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { $0.map { strdup($0) } ?? nil }
        defer { for p in pointers { free(p) } }
        return pointers.withUnsafeMutableBufferPointer { buffer in
            body(buffer.map { $0.map { UnsafePointer($0) } })
        }
    }
}

/// The rows of one statement's result, read as text.
final class PGResult {
    private let result: OpaquePointer?

    init(_ result: OpaquePointer?) { self.result = result }

    deinit { PQclear(result) }

    var rowCount: Int { Int(PQntuples(result)) }

    /// The value at `row`, `column` as text, or nil for NULL.
    func text(_ row: Int, _ column: Int) -> String? {
        guard row < rowCount, PQgetisnull(result, Int32(row), Int32(column)) == 0 else { return nil }
        return String(cString: PQgetvalue(result, Int32(row), Int32(column)))
    }

    /// The bytes at `row`, `column` (empty for NULL), without copying them into a string.
    func withBytes<R>(_ row: Int, _ column: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        let length = Int(PQgetlength(result, Int32(row), Int32(column)))
        guard let value = PQgetvalue(result, Int32(row), Int32(column)) else { return body(UnsafeBufferPointer(start: nil, count: 0)) }
        return value.withMemoryRebound(to: UInt8.self, capacity: length) { body(UnsafeBufferPointer(start: $0, count: length)) }
    }
}

/// A parameter's text as bytes ending in a NUL byte, as libpq takes it.
struct PGText {
    let bytes: [UInt8]

    /// `bytes` (UTF-8, without a NUL byte of its own), ended.
    init(_ bytes: consuming [UInt8]) {
        bytes.append(0)
        self.bytes = bytes
    }

    init(_ text: String) { self.init(Array(text.utf8)) }
}

/// A failed call to the server: libpq's message and the SQLSTATE when the server sent one.
struct PGFailure: Error {
    var sqlState: String?
    var message: String
    /// Whether the connection is gone afterwards (the outcome of a COMMIT is then unknown).
    var connectionLost: Bool
    /// Where the server is, as libpq resolved it.
    var server: String

    /// `insufficient_privilege`.
    var isPermissionDenied: Bool { sqlState == "42501" }
    /// `undefined_table` or `invalid_schema_name`: no store there.
    var isMissingStore: Bool { sqlState == "42P01" || sqlState == "3F000" }
}
