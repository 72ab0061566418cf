import Foundation
import OrderDeskCore
import OrderDeskPractice
@_spi(StoreTesting) import OrderDeskStore
import OrderDeskTestSupport
import Testing

/// Two agents in live shells on two "machines" (two processes, two HOMEs) sharing one store on
/// the test PostgreSQL server, driven through real pseudo-terminals.
@Suite(.serialized, .timeLimit(.minutes(1)))
struct ServerLiveShellTests {
    typealias Key = PseudoTerminal.Key

    /// A shell logged in as `role` on `url`'s schema, with a HOME of its own.
    static func shell(_ binary: String, _ base: String, schema: String, role: String, home: String) throws -> PseudoTerminal {
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        let environment = [
            "HOME": home, "XDG_STATE_HOME": home + "/state", "XDG_DATA_HOME": home + "/data", "XDG_CACHE_HOME": home + "/cache",
            "LANG": "C.UTF-8", "TERM": "xterm-256color", "NO_COLOR": "1", "ORDERDESK_AGENT": "someone-else",
        ]
        return try PseudoTerminal(
            executable: binary, arguments: ["--store", TestServer.address(base, schema: schema, role: role)], environment: environment)
    }

    @Test func twoAgentsShareAStoreSeeEachOthersChangesAndOneCancelWins() throws {
        guard let binary = LiveShellTests.binary, let base = TestServer.base() else {
            Issue.record("needs the built binary and the test server")
            return
        }
        let url = try #require(try TestServer.makeStore(TrainingStore.make()))
        defer { TestServer.drop(url) }
        let schema = String(url.split(separator: "=").last!)
        let root = NSTemporaryDirectory() + "orderdesk-team-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: root) }
        let alice = try Self.shell(binary, base, schema: schema, role: "test_alice", home: root + "/alice")
        let bob = try Self.shell(binary, base, schema: schema, role: "test_bob", home: root + "/bob")
        let alicePrompt = "orderdesk/\(schema) test_alice> "
        let bobPrompt = "orderdesk/\(schema) test_bob> "
        try #require(alice.expectPrompt(alicePrompt))
        try #require(bob.expectPrompt(bobPrompt))

        // Alice cancels through the dialog; the server records her role, whatever ORDERDESK_AGENT says.
        alice.sendKeys("cancel #1001", Key.enter)
        try #require(alice.expectPrompt("Reason [1-7]: "))
        alice.sendKeys("1", Key.enter)
        try #require(alice.expectPrompt("Cancel #1001? [y/N] "))
        alice.sendKeys("y", Key.enter)
        #expect(alice.expectOutput("#1001 cancelled (customer: Customer changed/canceled order)"))
        try #require(alice.expectPrompt(alicePrompt))

        // Bob's next command starts with the news, then his own cancel of the same order is refused, naming Alice.
        bob.setMark()
        bob.sendKeys("cancel #1001 --reason customer --yes", Key.enter)
        #expect(bob.expectOutput("1 change by test_alice since your last command"))
        #expect(bob.expectOutput("#1001 is already cancelled: by test_alice"))
        try #require(bob.expectPrompt(bobPrompt))

        // Bob's refund on another order; Alice sees it on her next command.
        bob.sendKeys("settings auto-restock off", Key.enter)
        try #require(bob.expectPrompt(bobPrompt))
        alice.setMark()
        alice.sendKeys("show #1002", Key.enter)
        #expect(alice.expectOutput("1 change by test_bob since your last command"))
        try #require(alice.expectPrompt(alicePrompt))

        for terminal in [alice, bob] {
            terminal.send(Key.ctrlD)
            #expect(terminal.waitForExit(timeout: 10) == 0)
        }
        let agents = try TestServer.sql(url, "SELECT agent FROM \(schema).events ORDER BY seq")
        #expect(agents == ["test_alice", "test_bob"])
    }

    @Test func aReadOnlyRoleBrowsesAndIsRefusedAChangeWithoutLeavingTheShell() throws {
        guard let binary = LiveShellTests.binary, let base = TestServer.base() else {
            Issue.record("needs the built binary and the test server")
            return
        }
        let url = try #require(try TestServer.makeStore(TrainingStore.make()))
        defer { TestServer.drop(url) }
        let schema = String(url.split(separator: "=").last!)
        let root = NSTemporaryDirectory() + "orderdesk-lead-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: root) }
        let lead = try Self.shell(binary, base, schema: schema, role: "test_lead", home: root)
        let prompt = "orderdesk/\(schema) test_lead> "
        try #require(lead.expectPrompt(prompt))
        lead.sendKeys("cancel #1001 --reason customer --yes", Key.enter)
        #expect(lead.expectOutput("may read"))
        #expect(lead.expectOutput("lacks INSERT on \(schema).events"))
        try #require(lead.expectPrompt(prompt))
        lead.sendKeys("show #1001", Key.enter)
        #expect(lead.expectOutput("Customer   Jöns Ärlig"))
        try #require(lead.expectPrompt(prompt))
        lead.send(Key.ctrlD)
        #expect(lead.waitForExit(timeout: 10) == 3)
        #expect(try TestServer.sql(url, "SELECT count(*) FROM \(schema).events") == ["0"])
    }
}
