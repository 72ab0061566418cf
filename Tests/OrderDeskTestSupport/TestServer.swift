import Foundation
import OrderDeskCore
@_spi(StoreTesting) import OrderDeskStore
import Testing

/// The throwaway PostgreSQL server that `scripts/test` starts for the server store's tests.
///
/// Its address is in `ORDERDESK_TEST_POSTGRES` (the superuser's, trusted on loopback). Without
/// it the server tests fail with a pointer to `scripts/test`: they never skip silently.
public enum TestServer {
    /// The superuser's address, or nil (with a recorded failure) when no server was started.
    public static func base(sourceLocation: SourceLocation = #_sourceLocation) -> String? {
        guard let url = ProcessInfo.processInfo.environment["ORDERDESK_TEST_POSTGRES"], !url.isEmpty else {
            Issue.record(
                "no test server: run the tests with scripts/test (it starts a PostgreSQL), or set ORDERDESK_TEST_POSTGRES to a superuser's postgres:// address",
                sourceLocation: sourceLocation)
            return nil
        }
        return url
    }

    /// The cluster directory (for stopping and starting the server in fault tests), if known.
    public static var directory: String? { ProcessInfo.processInfo.environment["ORDERDESK_TEST_POSTGRES_DIR"] }

    /// A schema name no other test uses.
    public static func freshSchema() -> String {
        "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(16)
    }

    /// The address of `schema` for `role` (default: the superuser).
    public static func address(_ base: String, schema: String, role: String? = nil) -> String {
        var url = base
        if let role, let scheme = url.range(of: "://"), let at = url[scheme.upperBound...].firstIndex(of: "@") {
            url.replaceSubrange(scheme.upperBound..<at, with: role)
        }
        return url + (url.contains("?") ? "&" : "?") + "schema=\(schema)"
    }

    /// A new store in a schema of its own holding `state`, granted to the test roles; its superuser address.
    public static func makeStore(_ state: StoreState, sourceLocation: SourceLocation = #_sourceLocation) throws -> String? {
        guard let base = base(sourceLocation: sourceLocation) else { return nil }
        let url = address(base, schema: freshSchema())
        guard let address = try ServerAddress(url) else { return nil }
        try PostgresStore.create(address, state: state)
        _ = PostgresStore.grantToGroupRoles(address)
        return url
    }

    /// Runs SQL as the superuser and returns the first column of each row.
    @discardableResult
    public static func sql(_ url: String, _ statement: String) throws -> [String?] {
        guard let address = try ServerAddress(url) else { return [] }
        return try PostgresStore.runSQL(address, statement)
    }

    /// Drops a test's schema.
    public static func drop(_ url: String) {
        guard let address = try? ServerAddress(url) else { return }
        _ = try? PostgresStore.runSQL(address, "DROP SCHEMA IF EXISTS \(address.schema) CASCADE")
    }

    /// Runs `scripts/postgres ACTION DIR [flags]` on the test cluster (stop --immediate, start).
    public static func control(_ arguments: [String]) throws {
        guard let directory else { throw CocoaError(.featureUnsupported) }
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("scripts/postgres").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [script, arguments[0], directory] + arguments.dropFirst()
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
    }
}
