import Foundation
import OrderDeskCore
import OrderDeskPractice
@_spi(StoreTesting) import OrderDeskStore
import OrderDeskTestSupport
import Testing

/// The program against a server store, as a user runs it: libpq's environment and service
/// files, `init` with its GRANTs, `store copy` and `store verify`, and a batch that reports.
@Suite struct ServerProgramTests {
    static func home() -> String { NSTemporaryDirectory() + "orderdesk-server-program-\(UUID().uuidString.prefix(8))" }

    /// Host, port and database of the test server's address.
    static func parts(_ base: String) -> (host: String, port: String) {
        let url = URL(string: base)!
        return (url.host ?? "127.0.0.1", String(url.port ?? 5432))
    }

    @Test func libpqsEnvironmentAndServiceFilesFillInWhatTheAddressLeavesOut() throws {
        guard let base = TestServer.base() else { return }
        let url = try #require(try TestServer.makeStore(TrainingStore.make()))
        defer { TestServer.drop(url) }
        let schema = String(url.split(separator: "=").last!)
        let (host, port) = Self.parts(base)
        let home = Self.home()
        defer { try? FileManager.default.removeItem(atPath: home) }
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)

        // PGHOST, PGPORT, PGUSER and PGDATABASE: the address names only the schema.
        let byEnvironment = try ProgramRunner.run(
            ["run", "-", "--store", "postgres://?schema=\(schema)"],
            environment: ProgramRunner.environment(
                home: home, extra: ["PGHOST": host, "PGPORT": port, "PGUSER": "test_bob", "PGDATABASE": "orderdesk"]),
            stdin: "settings auto-restock off\n")
        #expect(byEnvironment.exitCode == 0, "\(byEnvironment)")

        // A service in ~/.pg_service.conf.
        try "[team]\nhost=\(host)\nport=\(port)\nuser=test_alice\ndbname=orderdesk\n".write(
            toFile: home + "/.pg_service.conf", atomically: true, encoding: .utf8)
        let byService = try ProgramRunner.run(
            ["run", "-", "--store", "postgres://?service=team&schema=\(schema)"], environment: ProgramRunner.environment(home: home),
            stdin: "settings auto-restock on\nlog\n")
        #expect(byService.exitCode == 0, "\(byService)")
        #expect(byService.stdout.contains("test_bob"), "\(byService)")
        #expect(try TestServer.sql(url, "SELECT agent FROM \(schema).events ORDER BY seq") == ["test_bob", "test_alice"])
    }

    /// A script run again on a server skips the lines its agent already did there.
    @Test func aScriptRunAgainSkipsWhatItDidOnTheServer() throws {
        guard let base = TestServer.base() else { return }
        let url = try #require(try TestServer.makeStore(TrainingStore.make()))
        defer { TestServer.drop(url) }
        let schema = String(url.split(separator: "=").last!)
        let home = Self.home()
        defer { try? FileManager.default.removeItem(atPath: home) }
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        let file = home + "/morning.txt"
        try "settings auto-restock off\nsettings default-refund credit\n".write(toFile: file, atomically: true, encoding: .utf8)
        let alice = TestServer.address(base, schema: schema, role: "test_alice")
        let first = try ProgramRunner.run(["run", file, "--store", alice], environment: ProgramRunner.environment(home: home))
        #expect(first.exitCode == 0, "\(first)")
        let second = try ProgramRunner.run(["run", file, "--store", alice], environment: ProgramRunner.environment(home: home))
        #expect(second.exitCode == 0, "\(second)")
        #expect(second.stderr.contains("morning.txt:1: already done at "), "\(second)")
        #expect(second.stderr.contains("by test_alice, skipped"), "\(second)")
        #expect(second.stderr.contains("morning.txt:2: already done"), "\(second)")
        #expect(try TestServer.sql(url, "SELECT count(*) FROM \(schema).events") == ["2"])
        // Another agent is not skipped.
        let bob = TestServer.address(base, schema: schema, role: "test_bob")
        let third = try ProgramRunner.run(["run", file, "--store", bob], environment: ProgramRunner.environment(home: home))
        #expect(!third.stderr.contains("already done"), "\(third)")
    }

    @Test func initCopyAndVerifyFromTheCommandLine() throws {
        guard let base = TestServer.base() else { return }
        let home = Self.home()
        defer { try? FileManager.default.removeItem(atPath: home) }
        let environment = ProgramRunner.environment(home: home)
        let url = TestServer.address(base, schema: TestServer.freshSchema())
        defer { TestServer.drop(url) }
        let created = try ProgramRunner.run(["init", url, "--demo", "--orders", "30"], environment: environment)
        #expect(created.exitCode == 0, "\(created)")
        #expect(created.stdout.contains("with 30 orders"))
        #expect(created.stdout.contains("Granted access to the existing roles orderdesk_agent and orderdesk_reader"))
        #expect(created.stdout.contains("GRANT INSERT ON "))
        let again = try ProgramRunner.run(["init", url], environment: environment)
        #expect(again.exitCode != 0, "\(again)")
        #expect(again.stderr.contains("already holds a store"), "\(again)")

        let copy = home + "/copy"
        let copied = try ProgramRunner.run(["store", "copy", url, copy], environment: environment)
        #expect(copied.exitCode == 0, "\(copied)")
        #expect(copied.stdout.contains("both give the same"))
        let verified = try ProgramRunner.run(["store", "verify", "--store", url], environment: environment)
        #expect(verified.exitCode == 0, "\(verified)")
        #expect(verified.stdout.contains(": OK"))
        let compact = try ProgramRunner.run(["store", "compact", "--store", url], environment: environment)
        #expect(compact.exitCode == 0 && compact.stdout.contains("needs no compaction"), "\(compact)")
    }

    @Test func aServerThatCannotBeReachedIsExit3WithoutThePassword() throws {
        let home = Self.home()
        defer { try? FileManager.default.removeItem(atPath: home) }
        let result = try ProgramRunner.run(
            ["run", "-", "--store", "postgres://alice:hunter2@127.0.0.1:9/orderdesk"], environment: ProgramRunner.environment(home: home),
            stdin: "show #1001\n")
        #expect(result.exitCode == 3, "\(result)")
        #expect(result.stderr.contains("cannot reach the store's server at 127.0.0.1, port 9"), "\(result)")
        #expect(!result.stderr.contains("hunter2") && !result.stdout.contains("hunter2"))
    }
}
