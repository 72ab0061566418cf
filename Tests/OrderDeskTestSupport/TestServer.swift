import Foundation
import OrderDeskCore
@_spi(StoreTesting) import OrderDeskStore
import Testing

#if canImport(Glibc)
    import Glibc
#endif

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
        try script([arguments[0], directory] + arguments.dropFirst())
    }

    /// Runs `scripts/postgres` with `arguments` and waits for it (posix_spawn and waitpid:
    /// Foundation's Process can miss the exit of a script whose server keeps running).
    static func script(_ arguments: [String]) throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("scripts/postgres").path
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv = (["/bin/bash", path] + arguments).map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        var pid: pid_t = 0
        guard posix_spawn(&pid, "/bin/bash", &actions, nil, argv, environ) == 0 else { throw CocoaError(.executableLoad) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        guard status == 0 else { throw CocoaError(.executableLoad) }
    }
}

/// A PostgreSQL cluster of a test's own (for stopping and restarting the server without
/// disturbing the other tests, which share the one `scripts/test` started).
public final class PrivateCluster {
    public let directory: String
    public let port: Int
    /// The superuser's address.
    public var base: String { "postgres://postgres@127.0.0.1:\(port)/orderdesk" }

    /// Starts a new cluster (initdb, about a second) with the test roles.
    public init() throws {
        directory = NSTemporaryDirectory() + "orderdesk-private-pg-\(UUID().uuidString.prefix(8))"
        port = Int.random(in: 20_000...40_000)
        try run(["start", directory, "--port", String(port), "--agents", "test_alice,test_bob", "--readers", "test_lead"])
    }

    /// A store in this cluster holding `state`; its superuser address.
    public func makeStore(_ state: StoreState) throws -> String {
        let url = TestServer.address(base, schema: TestServer.freshSchema())
        try PostgresStore.create(ServerAddress(url)!, state: state)
        return url
    }

    /// Stops the server: `immediate` as a crash (no shutdown checkpoint, clients cut off).
    public func stop(immediate: Bool = true) throws { try run(["stop", directory] + (immediate ? ["--immediate"] : [])) }

    /// Starts it again.
    public func start() throws { try run(["start", directory, "--port", String(port)]) }

    /// Stops it and removes its directory.
    public func remove() {
        try? stop(immediate: false)
        try? FileManager.default.removeItem(atPath: directory)
    }

    private func run(_ arguments: [String]) throws { try TestServer.script(arguments) }
}
