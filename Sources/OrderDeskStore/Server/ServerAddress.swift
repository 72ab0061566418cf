import OrderDeskCore

/// A `--store` that names a PostgreSQL server: `postgres://…` or `postgresql://…`.
///
/// The text goes to libpq as it is, so everything libpq reads in a connection URI works
/// (`sslmode`, `host=/run/postgresql` for a socket, `service=`, `connect_timeout`), and what the
/// URI leaves out comes from `PGHOST`, `PGUSER`, `~/.pgpass` and the rest. OrderDesk takes one
/// parameter of its own out before libpq sees it: `schema=NAME`, the schema that holds the store
/// (default `orderdesk`), so several stores can share a database.
public struct ServerAddress: Sendable, Equatable {
    /// The URI without OrderDesk's own parameters, for libpq. It may hold a password: never print it.
    let conninfo: String
    /// The schema that holds the store.
    public let schema: String

    /// The schema when the URI names none.
    public static let defaultSchema = "orderdesk"

    /// Whether a `--store` value names a server rather than a directory.
    public static func isServer(_ store: String) -> Bool {
        store.hasPrefix("postgres://") || store.hasPrefix("postgresql://")
    }

    /// Reads a `postgres://` store, or returns nil when `store` is not one. Throws when the schema
    /// parameter is not a plain lower-case identifier.
    public init?(_ store: String) throws(OrderDeskError) {
        guard Self.isServer(store) else { return nil }
        var schema = Self.defaultSchema
        var uri = store
        if let question = store.firstIndex(of: "?") {
            let base = String(store[..<question])
            var kept: [Substring] = []
            for parameter in store[store.index(after: question)...].split(separator: "&", omittingEmptySubsequences: true) {
                if parameter.hasPrefix("schema=") {
                    schema = String(parameter.dropFirst("schema=".count))
                } else {
                    kept.append(parameter)
                }
            }
            uri = kept.isEmpty ? base : base + "?" + kept.joined(separator: "&")
        }
        guard Self.isIdentifier(schema) else {
            throw .badProgramOption(
                flag: "--store", value: "schema=\(schema)",
                expected: "a schema name of lower-case letters, digits and _, such as schema=orderdesk")
        }
        self.conninfo = uri
        self.schema = schema
    }

    /// A lower-case SQL identifier that needs no quoting: a letter or `_`, then letters, digits, `_`.
    static func isIdentifier(_ name: String) -> Bool {
        guard let first = name.utf8.first, name.utf8.count <= 63 else { return false }
        func letter(_ c: UInt8) -> Bool { (c >= 0x61 && c <= 0x7A) || c == 0x5F }
        return letter(first) && name.utf8.allSatisfy { letter($0) || ($0 >= 0x30 && $0 <= 0x39) }
    }
}
