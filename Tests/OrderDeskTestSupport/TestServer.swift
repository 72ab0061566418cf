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

    /// Runs `scripts/postgres ARGUMENTS` and waits for it; its standard output. Spawned and
    /// waited for by its pid (Foundation's `Process` can miss the exit of a script whose server
    /// lives on), its output through a file. Throws when the script fails.
    @discardableResult
    public static func script(_ arguments: [String]) throws -> String {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("scripts/postgres").path
        let output = NSTemporaryDirectory() + "orderdesk-pg-control-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: output) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv = (["/bin/bash", path] + arguments).map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        var pid: pid_t = 0
        guard posix_spawn(&pid, "/bin/bash", &actions, nil, argv, environ) == 0 else { throw CocoaError(.executableLoad) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        guard status == 0 else { throw CocoaError(.executableLoad) }
        return FileManager.default.contents(atPath: output).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }

    /// A TCP port on 127.0.0.1 that nothing listens on right now.
    static func freePort() -> Int? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        return bound ? Int(UInt16(bigEndian: address.sin_port)) : nil
    }
}

/// A PostgreSQL cluster of a test's own, for the tests that stop or crash the server: the shared
/// one `scripts/test` started stays up for the other suites' server tests, which run meanwhile.
public final class PrivateCluster {
    public let directory: String
    /// The superuser's address (no schema).
    public let base: String

    /// Starts a new cluster (initdb, about a second) on a free port, with the test roles.
    public init() throws {
        directory = NSTemporaryDirectory() + "orderdesk-private-pg-\(UUID().uuidString.prefix(8))"
        var address = ""
        for _ in 0..<3 {
            let port = TestServer.freePort() ?? Int.random(in: 20_000..<40_000)
            address =
                ((try? TestServer.script([
                    "start", directory, "--port", String(port), "--agents", "test_alice,test_bob", "--readers", "test_lead",
                ])) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            if address.hasPrefix("postgres://") { break }
            _ = try? TestServer.script(["stop", directory])
            try? FileManager.default.removeItem(atPath: directory)
        }
        guard address.hasPrefix("postgres://") else { throw CocoaError(.executableLoad) }
        base = address
    }

    /// The address of `schema` for `role` (default: the superuser).
    public func address(schema: String, role: String? = nil) -> String { TestServer.address(base, schema: schema, role: role) }

    /// A store in this cluster holding `state`, in a schema of its own; its superuser address.
    public func makeStore(_ state: StoreState) throws -> String {
        let url = address(schema: TestServer.freshSchema())
        try PostgresStore.create(ServerAddress(url)!, state: state)
        return url
    }

    /// Makes every COMMIT wait `microseconds` before its WAL flush (`commit_delay`, with
    /// `commit_siblings` 0 so that it always applies), so that a crash at a random moment often
    /// finds a COMMIT on its way.
    public func slowCommits(_ microseconds: Int) throws {
        let url = address(schema: "public")
        try TestServer.sql(url, "ALTER SYSTEM SET commit_delay = \(microseconds)")
        try TestServer.sql(url, "ALTER SYSTEM SET commit_siblings = 0")
        try TestServer.sql(url, "SELECT pg_reload_conf()")
    }

    /// Stops the server: `immediate` as in a crash (no shutdown checkpoint, clients cut off).
    public func stop(immediate: Bool = true) throws { try TestServer.script(["stop", directory] + (immediate ? ["--immediate"] : [])) }

    /// Starts it again (after crash recovery), waiting until it takes connections.
    public func start() throws { try TestServer.script(["start", directory]) }

    /// Stops it and removes its directory.
    public func remove() {
        try? stop(immediate: true)
        try? FileManager.default.removeItem(atPath: directory)
    }
}
