import Foundation
import OrderDeskCore
import OrderDeskDemo
import OrderDeskTestSupport
import Testing

@_spi(StoreTesting) @testable import OrderDeskStore

/// What only a store on a server has to get right: who is recorded, what a read-only role may do,
/// connections lost between commands and during COMMIT, the local cache, copies, verify.
@Suite struct ServerStoreTests {
    static func open(_ url: String, as role: String, cache: String? = nil) throws -> PostgresStore {
        let schema = String(url.split(separator: "=").last!)
        let base = String(url[..<url.range(of: "?schema=")!.lowerBound])
        return try PostgresStore.open(ServerAddress(TestServer.address(base, schema: schema, role: role))!, cacheDirectory: cache)
    }

    static func schema(_ url: String) -> String { String(url.split(separator: "=").last!) }

    // MARK: Who did it

    @Test func theAgentRecordedIsTheRoleThatLoggedInOrItsMapping() throws {
        guard let url = try TestServer.makeStore(Fixture.state()) else { return }
        defer { TestServer.drop(url) }
        let bob = try Self.open(url, as: "test_bob")
        #expect(bob.authenticatedAgent == "test_bob")
        let events = try Fixture.commit(bob, [Fixture.autoRestockOff()], agent: "mallory")
        #expect(events.map(\.agent) == ["test_bob"])
        try TestServer.sql(url, "INSERT INTO \(Self.schema(url)).agents VALUES ('test_bob', 'Bob B.')")
        let mapped = try Self.open(url, as: "test_bob")
        #expect(mapped.authenticatedAgent == "Bob B.")
        #expect(try Fixture.commit(mapped, [Fixture.autoRestockOn()]).map(\.agent) == ["Bob B."])
    }

    @Test func theServerRefusesAnEventRecordedUnderAnotherNameAndAnyEditOfTheLog() throws {
        guard let url = try TestServer.makeStore(Fixture.state()) else { return }
        defer { TestServer.drop(url) }
        _ = try Fixture.commit(try Self.open(url, as: "test_alice"), [Fixture.autoRestockOff()])
        let asAlice = TestServer.address(
            String(url[..<url.range(of: "?schema=")!.lowerBound]), schema: Self.schema(url), role: "test_alice")
        let s = Self.schema(url)
        #expect(throws: OrderDeskError.self) {
            try TestServer.sql(
                asAlice,
                """
                INSERT INTO \(s).events (line)
                VALUES ('{"seq":2,"at":"2026-11-20T10:00:00Z","agent":"test_bob","type":"feedback.logged"}')
                """)
        }
        // The columns are the line's: a row that claims otherwise beside it gets them anyway.
        #expect(throws: OrderDeskError.self) {
            try TestServer.sql(
                asAlice,
                """
                INSERT INTO \(s).events (seq, at, agent, type, body, line)
                VALUES (2, now(), 'test_alice', 'x', '{}',
                        '{"seq":2,"at":"2026-11-20T10:00:00Z","agent":"test_bob","type":"feedback.logged"}')
                """)
        }
        // A client older than the tables (it writes no line) is told so.
        #expect {
            try TestServer.sql(
                asAlice, "INSERT INTO \(s).events (seq, at, agent, type, body) VALUES (2, now(), 'test_alice', 'x', '{}')")
        } throws: { error in
            (error as? OrderDeskError)?.message.contains("this OrderDesk is too old") == true
        }
        // Append-only, even for the owner.
        #expect(throws: OrderDeskError.self) { try TestServer.sql(url, "UPDATE \(s).events SET agent = 'someone'") }
        #expect(throws: OrderDeskError.self) { try TestServer.sql(url, "DELETE FROM \(s).events") }
        #expect(throws: OrderDeskError.self) { try TestServer.sql(url, "TRUNCATE \(s).events") }
        #expect(try TestServer.sql(url, "SELECT agent FROM \(s).events") == ["test_alice"])
    }

    @Test func aReadOnlyRoleReadsAndEveryChangeIsRefusedWithExit3NamingThePrivilege() throws {
        guard let url = try TestServer.makeStore(Fixture.state()) else { return }
        defer { TestServer.drop(url) }
        let lead = try Self.open(url, as: "test_lead")
        #expect(lead.state.orders.count == Fixture.state().orders.count)
        do {
            _ = try Fixture.commit(lead, [Fixture.autoRestockOff()])
            Issue.record("a read-only role made a change")
        } catch let error as OrderDeskError {
            #expect(error.exitCode == 3)
            #expect(error.message.contains("test_lead"))
            #expect(error.message.contains("INSERT on \(Self.schema(url)).events"), "\(error.message)")
        }
        #expect(throws: OrderDeskError.self) { try lead.beginGroup() }
        #expect(try TestServer.sql(url, "SELECT count(*) FROM \(Self.schema(url)).events") == ["0"])
    }

    // MARK: Faults

    @Test func aConnectionLostBetweenCommandsReconnectsAndCatchesUp() throws {
        guard let url = try TestServer.makeStore(Fixture.state()) else { return }
        defer { TestServer.drop(url) }
        let alice = try Self.open(url, as: "test_alice")
        let bob = try Self.open(url, as: "test_bob")
        try alice.dropConnectionForTesting()
        _ = try Fixture.commit(bob, [Fixture.autoRestockOff()])
        #expect(try alice.refresh().map(\.seq) == [1])
        try alice.dropConnectionForTesting()
        #expect(try Fixture.commit(alice, [Fixture.feedback(3)]).map(\.seq) == [2])
        #expect(try bob.refresh().map(\.seq) == [2])
    }

    @Test func aCommitWhoseAcknowledgementIsLostIsLookedUpAndReportedDoneOnce() throws {
        guard let url = try TestServer.makeStore(Fixture.state()) else { return }
        defer { TestServer.drop(url) }
        let alice = try Self.open(url, as: "test_alice")
        alice.commitHook = { moment in
            guard moment == .afterCommit else { return false }
            try? alice.dropConnectionForTesting()
            return true
        }
        #expect(try Fixture.commit(alice, [Fixture.autoRestockOff()]).map(\.seq) == [1])
        alice.commitHook = nil
        #expect(alice.state.seq == 1)
        #expect(try Fixture.commit(alice, [Fixture.feedback(3)]).map(\.seq) == [2])
        #expect(try Self.open(url, as: "test_bob").auditLog().map(\.seq) == [1, 2])
    }

    @Test func aConnectionLostBeforeCommitChangesNothingAndSaysSo() throws {
        guard let url = try TestServer.makeStore(Fixture.state()) else { return }
        defer { TestServer.drop(url) }
        let alice = try Self.open(url, as: "test_alice")
        alice.commitHook = { moment in
            if moment == .beforeCommit { try? alice.dropConnectionForTesting() }
            return false
        }
        do {
            _ = try Fixture.commit(alice, [Fixture.autoRestockOff()])
            Issue.record("a commit whose connection died before COMMIT was reported done")
        } catch let error as OrderDeskError {
            #expect(error.message.contains("before the server committed it"), "\(error.message)")
        }
        alice.commitHook = nil
        #expect(alice.state.seq == 0)
        #expect(try Self.open(url, as: "test_bob").auditLog().isEmpty)
        #expect(try Fixture.commit(alice, [Fixture.autoRestockOff()]).map(\.seq) == [1])
    }

    @Test func aServerAwayDuringCommitLeavesTheChangeInDoubtUntilItIsBack() throws {
        guard TestServer.base() != nil else { return }
        let cluster = try PrivateCluster()
        defer { cluster.remove() }
        let url = try cluster.makeStore(Fixture.state())
        for (moment, committed) in [(PostgresStore.CommitMoment.afterCommit, true), (.beforeCommit, false)] {
            let alice = try Self.open(url, as: "test_alice")
            let seq = alice.state.seq
            alice.reconnectWindow = 0.5
            alice.commitHook = { now in
                guard now == moment else { return false }
                try? cluster.stop(immediate: true)
                return true
            }
            do {
                _ = try Fixture.commit(alice, [Fixture.feedback(Int64(10 + seq))])
                Issue.record("a commit with the server away was reported done")
            } catch let error as OrderDeskError {
                guard case .commitInDoubt = error else {
                    Issue.record("expected the change in doubt, got: \(error.message)")
                    continue
                }
                #expect(error.exitCode == 3)
            }
            alice.commitHook = nil
            // Still away: still in doubt, and no other change goes through before it is settled.
            #expect(throws: OrderDeskError.self) { try alice.refresh() }
            try cluster.start()
            let news = try alice.refresh()
            #expect(alice.warnings.last?.contains(committed ? "was committed after all" : "was not committed") == true, "\(alice.warnings)")
            // The state is read again after a change that did not complete: it holds the change or not.
            _ = news
            #expect(alice.state.seq == seq + (committed ? 1 : 0))
            #expect(try alice.auditLog().count == alice.state.seq)
        }
    }

    @Test func aServerDownAtStartIsExit3NamingHostPortAndTheReason() throws {
        do {
            _ = try PostgresStore.open(ServerAddress("postgres://test_alice:s3cret@127.0.0.1:9/orderdesk")!, cacheDirectory: nil)
            Issue.record("opened a store on a closed port")
        } catch {
            #expect(error.exitCode == 3)
            #expect(error.message.contains("127.0.0.1, port 9"), "\(error.message)")
            #expect(error.message.contains("refused"), "\(error.message)")
            #expect(!error.message.contains("s3cret"))
        }
    }

    @Test func thePasswordNeverAppearsInTheLocation() throws {
        guard let base = TestServer.base() else { return }
        let url = try TestServer.makeStore(Fixture.state())!
        defer { TestServer.drop(url) }
        let withPassword = base.replacingOccurrences(of: "postgres@", with: "test_alice:s3cret@") + "?schema=\(Self.schema(url))"
        let store = try PostgresStore.open(ServerAddress(withPassword)!, cacheDirectory: nil)
        #expect(!store.location.contains("s3cret"))
        #expect(store.location.contains("test_alice@"))
        #expect(!PostgresStore.redacted(try ServerAddress(withPassword)!).contains("s3cret"))
    }

    // MARK: Cache, copy, verify

    @Test func theLocalCacheGivesTheSameStateAndIsDroppedWhenItDoesNotFit() throws {
        guard let url = try TestServer.makeStore(DemoData.makeState(orders: 60, seed: 3, now: Fixture.now)) else { return }
        defer { TestServer.drop(url) }
        let cache = TemporaryDirectory()
        defer { cache.remove() }
        let first = try Self.open(url, as: "test_alice", cache: cache.path)
        let files = try FileManager.default.contentsOfDirectory(atPath: cache.path).filter { $0.hasSuffix(".json") }
        #expect(files.count == 1)
        _ = try Fixture.commit(try Self.open(url, as: "test_bob"), [Fixture.autoRestockOff()])
        let cached = try Self.open(url, as: "test_alice", cache: cache.path)
        let fresh = try Self.open(url, as: "test_alice")
        #expect(cached.state.seq == 1)
        #expect(Fixture.fingerprint(cached.state) == Fixture.fingerprint(fresh.state))
        #expect(first.state.seq == 0)
        // A damaged cache is not trusted.
        Fixture.write(cache.path + "/" + files[0], Array("{\"format\":".utf8))
        #expect(Fixture.fingerprint(try Self.open(url, as: "test_alice", cache: cache.path).state) == Fixture.fingerprint(fresh.state))
    }

    /// What the server gives back (JSONB reorders members and adds spaces) reads on the fast
    /// path, not through Foundation's decoder: catching up and a start without cache stay fast.
    @Test func theServersJSONBReadsOnTheFastPath() throws {
        guard let url = try TestServer.makeStore(DemoData.makeState(orders: 40, seed: 9, now: Fixture.now)) else { return }
        defer { TestServer.drop(url) }
        let alice = try Self.open(url, as: "test_alice")
        let committed = try Fixture.commit(alice, [Fixture.autoRestockOff(), Fixture.feedback(3)])
        let bodies = try TestServer.sql(url, "SELECT body::text FROM \(Self.schema(url)).events ORDER BY seq")
        for (body, event) in zip(bodies, committed) {
            let decoded = try FastStoreDecoder.event(Array((body ?? "").utf8)[...])
            #expect(decoded == event)
        }
        // What clients read back is each event's line as OrderDesk wrote it.
        let lines = try TestServer.sql(url, "SELECT line FROM \(Self.schema(url)).events ORDER BY seq")
        #expect(lines == committed.map { String(decoding: FastStoreEncoder.event($0), as: UTF8.self) })
        var bytes: [UInt8] = []
        let store = try Self.open(url, as: "test_bob")
        let head = store.state.seq
        #expect(throws: Never.self) { bytes = try Self.tablesDocument(store, head: head) }
        #expect(try FastStoreDecoder.snapshot(bytes).state.orders == store.state.orders)
    }

    /// The snapshot document the state tables make (as `readTables` builds it).
    static func tablesDocument(_ store: PostgresStore, head: Int) throws -> [UInt8] {
        let orders = try TestServer.sql(
            TestServer.address(TestServer.base()!, schema: store.address.schema),
            "SELECT doc::text FROM \(store.table("orders")) ORDER BY pos")
        let text =
            "{\"format\":\"orderdesk-store\",\"version\":2,\"seq\":\(head),\"orders\":[" + orders.map { $0 ?? "" }.joined(separator: ",")
            + "],\"feedback\":[],\"outbox\":[],\"inventory\":{},\"settings\":{\"auto_restock\":true,\"default_refund\":\"now\"}}"
        return Array(text.utf8)
    }

    @Test func aCacheFromAnotherHistoryIsNotTrusted() throws {
        guard let url = try TestServer.makeStore(Fixture.state()) else { return }
        defer { TestServer.drop(url) }
        let cache = TemporaryDirectory()
        defer { cache.remove() }
        let alice = try Self.open(url, as: "test_alice", cache: cache.path)
        _ = try Fixture.commit(alice, [Fixture.autoRestockOff()])
        alice.writeCache()
        #expect(try Self.open(url, as: "test_alice", cache: cache.path).state.settings.autoRestock == false)
        // The server is restored to another history: event 1 is another change, the tables follow it.
        let s = Self.schema(url)
        try TestServer.sql(
            url,
            """
            ALTER TABLE \(s).events DISABLE TRIGGER events_checked;
            UPDATE \(s).events SET line = replace(line, '"value":"off"', '"value":"on"');
            UPDATE \(s).events SET body = line::jsonb;
            ALTER TABLE \(s).events ENABLE TRIGGER events_checked;
            UPDATE \(s).settings SET doc = jsonb_set(doc, '{auto_restock}', 'true');
            """)
        let reopened = try Self.open(url, as: "test_alice", cache: cache.path)
        #expect(reopened.state.settings.autoRestock == true)
        #expect(Fixture.fingerprint(reopened.state) == Fixture.fingerprint(try Self.open(url, as: "test_bob").state))
    }

    @Test func aStoreCopiesToAServerAndBackWithTheSameStateAndAuditLog() throws {
        guard let base = TestServer.base() else { return }
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        let file = try FileStore.create(at: dir.store, state: DemoData.makeState(orders: 40, seed: 5, now: Fixture.now))
        _ = try Fixture.commit(file, [Fixture.autoRestockOff()], agent: "ana")
        _ = try Fixture.commit(file, [Fixture.feedback(9)], agent: "bo")
        let url = TestServer.address(base, schema: TestServer.freshSchema())
        defer { TestServer.drop(url) }
        let there = try StoreCopy.copy(from: dir.store, to: url)
        #expect(there.orders == 40 && there.events == 2 && there.seq == 2)
        // Into a store that exists: refused.
        #expect(throws: OrderDeskError.self) { try StoreCopy.copy(from: dir.store, to: url) }
        let back = dir.path + "/back"
        let summary = try StoreCopy.copy(from: url, to: back)
        #expect(summary.events == 2)
        let again = try FileStore.open(at: back)
        #expect(Fixture.fingerprint(again.state) == Fixture.fingerprint(file.state))
        #expect(try again.auditLog() == (try file.auditLog()))
        #expect(try again.auditLog().map(\.agent) == ["ana", "bo"])
        // The copied server store keeps working, and verifies.
        _ = try Fixture.commit(try Self.open(url, as: "test_alice"), [Fixture.autoRestockOn()])
        let report = PostgresStore.verify(try ServerAddress(url)!)
        #expect(report.isClean, "\(report)")
        #expect(report.events == 3)
    }

    @Test func verifyFindsATableThatDisagreesWithItsDocument() throws {
        guard let url = try TestServer.makeStore(Fixture.state()) else { return }
        defer { TestServer.drop(url) }
        _ = try Fixture.commit(try Self.open(url, as: "test_alice"), [Fixture.cancelFirst()])
        #expect(PostgresStore.verify(try ServerAddress(url)!).isClean)
        try TestServer.sql(url, "UPDATE \(Self.schema(url)).orders SET name = '#9999' WHERE name = '#1002'")
        let report = PostgresStore.verify(try ServerAddress(url)!)
        #expect(!report.isClean)
        #expect(report.description.contains("#9999"))
    }

    /// A group's events go to the server in parts while its lines are decided; all of them are
    /// there after COMMIT, and nothing before it. A part the server refuses drops the whole
    /// group: nothing is written, and the state is the server's again.
    @Test func aGroupGoesToTheServerInPartsAndAPartRefusedDropsItAll() throws {
        guard let url = try TestServer.makeStore(Fixture.state()) else { return }
        defer { TestServer.drop(url) }
        let s = Self.schema(url)
        let alice = try Self.open(url, as: "test_alice")
        try alice.beginGroup()
        for id in 1...100 { _ = try Fixture.commit(alice, [Fixture.feedback(Int64(id))]) }
        #expect((alice.group?.sent ?? 0) >= PostgresStore.partMinimum)
        #expect(try TestServer.sql(url, "SELECT count(*) FROM \(s).events") == ["0"])
        try alice.endGroup()
        #expect(try TestServer.sql(url, "SELECT count(*) FROM \(s).events WHERE seq BETWEEN 1 AND 100") == ["100"])
        #expect(try TestServer.sql(url, "SELECT count(*) FROM \(s).feedback") == ["100"])
        let reopened = try Self.open(url, as: "test_bob")
        #expect(Fixture.fingerprint(reopened.state) == Fixture.fingerprint(alice.state))
        #expect(PostgresStore.verify(try ServerAddress(url)!).isClean)

        // The server refuses the 140th feedback entry, in a part sent while the group runs.
        try TestServer.sql(
            url,
            """
            CREATE FUNCTION \(s).refuse_140() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF NEW.pos = 139 THEN RAISE EXCEPTION 'refused for the test'; END IF;
                RETURN NEW;
            END $$;
            CREATE TRIGGER refuse_140 BEFORE INSERT ON \(s).feedback FOR EACH ROW EXECUTE FUNCTION \(s).refuse_140();
            """)
        try alice.beginGroup()
        // Once the refusal is back, the group's next changes are refused too.
        for id in 101...200 { _ = try? Fixture.commit(alice, [Fixture.feedback(Int64(id))]) }
        #expect(throws: OrderDeskError.self) { try alice.endGroup() }
        #expect(try TestServer.sql(url, "SELECT count(*) FROM \(s).events") == ["100"])
        #expect(alice.state.seq == 100 && alice.state.feedback.count == 100)
        #expect(Fixture.fingerprint(alice.state) == Fixture.fingerprint(reopened.state))
        // And the store goes on.
        #expect(try Fixture.commit(alice, [Fixture.autoRestockOff()]).map(\.seq) == [101])
    }

    /// A change's rows and its COMMIT go in one round trip: when the server refuses the rows,
    /// the COMMIT does not run, nothing is written, and the next change goes through.
    @Test func rowsRefusedByTheServerCommitNothing() throws {
        guard let url = try TestServer.makeStore(Fixture.state()) else { return }
        defer { TestServer.drop(url) }
        let s = Self.schema(url)
        try TestServer.sql(
            url,
            """
            CREATE FUNCTION \(s).refuse_all() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION 'no feedback today'; END $$;
            CREATE TRIGGER refuse_all BEFORE INSERT ON \(s).feedback FOR EACH ROW EXECUTE FUNCTION \(s).refuse_all();
            """)
        let alice = try Self.open(url, as: "test_alice")
        #expect {
            _ = try Fixture.commit(alice, [Fixture.feedback(1)])
        } throws: { error in
            (error as? OrderDeskError)?.message.contains("no feedback today") == true
        }
        #expect(alice.state.seq == 0 && alice.state.feedback.isEmpty)
        #expect(try TestServer.sql(url, "SELECT count(*) FROM \(s).events") == ["0"])
        #expect(try Fixture.commit(alice, [Fixture.autoRestockOff()]).map(\.seq) == [1])
        #expect(try Self.open(url, as: "test_bob").state.settings.autoRestock == false)
    }

    /// A script run again asks the server only for the lines its agent committed, and gets what
    /// the audit log gives.
    @Test func theScriptLinesAnAgentDidComeFromTheServerAlone() throws {
        guard let url = try TestServer.makeStore(Fixture.state()) else { return }
        defer { TestServer.drop(url) }
        let alice = try Self.open(url, as: "test_alice")
        let bob = try Self.open(url, as: "test_bob")
        for (store, line) in [(alice, 1), (alice, 2), (bob, 1), (alice, 3)] {
            _ = try store.commit(agent: "", now: Fixture.now, batch: BatchOrigin(script: "a.txt", line: line, hash: "h\(line)")) {
                _ in [Fixture.feedback(Int64(line))]
            }
        }
        _ = try Fixture.commit(alice, [Fixture.autoRestockOff()])
        let fromTheLog = Dictionary(
            try alice.auditLog().filter { $0.agent == "test_alice" }.compactMap { e in e.batch.map { ($0.key, e.at) } },
            uniquingKeysWith: { _, last in last })
        #expect(try alice.scriptLinesDone(by: "test_alice") == fromTheLog)
        #expect(try alice.scriptLinesDone(by: "test_alice").keys.sorted() == ["1:h1", "2:h2", "3:h3"])
        #expect(try alice.scriptLinesDone(by: "test_bob").keys.sorted() == ["1:h1"])
        #expect(
            try TestServer.sql(
                url, "SELECT count(*) FROM pg_indexes WHERE schemaname = '\(Self.schema(url))' AND indexname = 'events_batch'") == ["1"])
    }

    /// Tables made before `events.line` (tables version 1) are upgraded when their owner opens
    /// the store, and refused, naming the owner, to anyone else.
    @Test func olderTablesAreUpgradedByTheirOwner() throws {
        guard let url = try TestServer.makeStore(Fixture.state()) else { return }
        defer { TestServer.drop(url) }
        let s = Self.schema(url)
        let first = try Fixture.commit(try Self.open(url, as: "test_alice"), [Fixture.autoRestockOff()])
        // As the tables were made by the first server store.
        try TestServer.sql(
            url,
            """
            DROP INDEX \(s).events_batch;
            DROP TRIGGER events_0_derived ON \(s).events;
            DROP FUNCTION \(s).derive_event();
            ALTER TABLE \(s).events DROP COLUMN line;
            DELETE FROM \(s).meta WHERE key = 'tables';
            """)
        #expect {
            _ = try Self.open(url, as: "test_bob")
        } throws: { error in
            let message = (error as? OrderDeskError)?.message ?? ""
            return message.contains("tables version 1") && message.contains("open it once as their owner, postgres")
        }
        let owner = try PostgresStore.open(ServerAddress(url)!, cacheDirectory: nil)
        #expect(try owner.auditLog() == first)
        #expect(try TestServer.sql(url, "SELECT value FROM \(s).meta WHERE key = 'tables'") == ["2"])
        #expect(
            try TestServer.sql(url, "SELECT count(*) FROM pg_indexes WHERE schemaname = '\(s)' AND indexname = 'events_batch'") == ["1"])
        let bob = try Self.open(url, as: "test_bob")
        let second = try Fixture.commit(bob, [Fixture.autoRestockOn()])
        #expect(try owner.refresh() == second)
        #expect(try bob.auditLog() == first + second)
        let report = PostgresStore.verify(try ServerAddress(url)!)
        #expect(report.isClean, "\(report)")
    }

    @Test func aMissingStoreAndAnExistingOneAreRefusedClearly() throws {
        guard let base = TestServer.base() else { return }
        let url = TestServer.address(base, schema: TestServer.freshSchema())
        #expect(
            throws: OrderDeskError.storeMissing(
                path: "postgres://postgres@127.0.0.1:\(URL(string: base)!.port!)/orderdesk?schema=\(Self.schema(url))")
        ) {
            _ = try PostgresStore.open(ServerAddress(url)!, cacheDirectory: nil)
        }
        try PostgresStore.create(ServerAddress(url)!, state: Fixture.state())
        defer { TestServer.drop(url) }
        #expect(throws: OrderDeskError.self) { try PostgresStore.create(ServerAddress(url)!, state: Fixture.state()) }
        #expect(throws: OrderDeskError.self) { _ = try ServerAddress(base + "?schema=Bad-Name") }
    }
}
