import Foundation
import OrderDeskCore
import OrderDeskTestSupport
import Testing

@_spi(StoreTesting) @testable import OrderDeskStore

#if canImport(Glibc)
    import Glibc
#endif

/// Issue 15's proofs for a store on a PostgreSQL server, against the real `orderdesk` binary:
/// clients killed with SIGKILL, the server itself crashed and restarted, processes racing on the
/// same orders, and one script giving the same result on a file store and on a server.
///
/// These are the short versions, run by the normal suite against the server `scripts/test`
/// starts (they fail, never skip, without one); `scripts/torture` runs them with
/// `ORDERDESK_TORTURE=long` for the issue's figures (step 10). The proof that crashes the server
/// does so on a cluster of its own, so that the other suites' server tests are not hit by it.
@Suite("Torture: a store on a PostgreSQL server", .serialized)
struct ServerTortureTests {
    // MARK: Helpers

    /// The schema a store address names.
    static func schema(of url: String) -> String {
        guard let range = url.range(of: "schema=") else { return ServerAddress.defaultSchema }
        return String(url[range.upperBound...].prefix { $0 != "&" })
    }

    /// The role a `postgres://ROLE@…` address logs in as.
    static func role(of url: String) -> String {
        guard let scheme = url.range(of: "://"), let at = url[scheme.upperBound...].firstIndex(of: "@") else { return "" }
        return String(url[scheme.upperBound..<at])
    }

    /// Runs lines as one `--json --keep-going` batch against a store (directory or address).
    static func batch(_ dir: ProgramScratch, _ lines: [String], store: String, agent: String = "alice") throws -> ProgramRunner.Result {
        try CrashTests.batch(dir, lines, agent: agent, store: store)
    }

    /// Whether the state tables hold what the events lead to: the store opened without a cache
    /// (so read from the tables) against `initial` with every event on the server applied.
    static func tablesAgreeWithEvents(_ superuser: String, initial: StoreState) throws -> Bool {
        guard let address = try ServerAddress(superuser) else { return false }
        let store = try PostgresStore.open(address, cacheDirectory: nil)
        var replayed = initial
        for event in try store.auditLog() { try replayed.apply(event) }
        let codec = StoreCodec()
        return try codec.encodeSnapshot(store.state) == codec.encodeSnapshot(replayed)
    }

    // MARK: 1. Clients killed with SIGKILL

    /// 4 writers (the crash proof's ``CrashWriter``: cancels, refunds, restocks, feedback and
    /// messages, each carrying a token, fed one line at a time to `orderdesk run - --json`) against
    /// one server store, as two agent roles; the harness `kill -9`s a random writer now and then
    /// (often while its change is on the way to the server) and it starts again.
    ///
    /// Pass: every acknowledged change is on the server exactly once, nothing appears that was never
    /// sent, the events are numbered without gaps, `store verify` is clean, and the state tables
    /// agree with the events.
    @Test func killedClientsLoseNoAcknowledgedChange() throws {
        guard let binary = ProgramRunner.binary(), let base = TestServer.base() else { return }
        let writerCount = Torture.scale("server_writers", short: 4, long: 4)
        let changes = Torture.scale("server_changes", short: 50, long: 1_000)
        let kills = Torture.scale("server_kills", short: 10, long: 200)
        let perWriter = changes / 5 + kills + 10
        let seed = Torture.seed()
        let dir = try ProgramScratch("server-kills")
        defer { dir.remove() }
        let initial = TortureStore.make(orders: writerCount * perWriter)
        let superuser = try #require(try TestServer.makeStore(initial))
        defer { TestServer.drop(superuser) }
        let schema = Self.schema(of: superuser)
        let roles = ["test_alice", "test_bob"]

        let counter = AckCounter()
        let crew = (0..<writerCount).map { w in
            CrashWriter(
                index: w, orders: Array((1001 + w * perWriter)..<(1001 + (w + 1) * perWriter)), target: changes,
                binary: binary, store: TestServer.address(base, schema: schema, role: roles[w % 2]),
                environment: ProgramRunner.environment(home: dir.home, agent: "writer-\(w)"), scratch: dir.path,
                seed: seed &+ UInt64(w) &* 7919, counter: counter)
        }
        let run = KilledRun(
            crew, counter: counter, kills: kills, every: max(1, writerCount * changes / (kills + 1)), seed: seed, pause: 3_000)
        let (killed, midCommand, seconds, acknowledged, inDoubt) = (run.killed, run.midCommand, run.seconds, run.acknowledged, run.inDoubt)
        let agentURL = TestServer.address(base, schema: schema, role: "test_alice")
        let after = try Self.batch(dir, ["feedback #1001 --rating 5 final-check"], store: agentURL)
        #expect(after.exitCode == 0, "the store must take a change after the kills: \(after)")

        let events = try ServerEvents(superuser)
        let counts = events.tokenCounts
        let ackSet = Set(acknowledged)
        let lost = acknowledged.filter { counts[$0, default: 0] == 0 }
        let twice = counts.filter { $0.value > 1 }.map(\.key)
        let phantom = counts.keys.filter { !ackSet.contains($0) && !inDoubt.contains($0) && $0 != "final-check" }
        let landed = inDoubt.filter { counts[$0, default: 0] == 1 }.count
        #expect(acknowledged.count == ackSet.count, "a token was acknowledged twice")
        #expect(lost.isEmpty, "acknowledged but missing: \(lost.prefix(20))")
        #expect(twice.isEmpty, "applied twice: \(twice.prefix(20))")
        #expect(phantom.isEmpty, "present but never sent: \(phantom.prefix(20))")
        #expect(events.gapless, "sequence numbers with gaps: \(events.seqs.count) events, last \(events.seqs.last ?? 0)")
        #expect(events.agents.isSubset(of: Set(roles)), "agents recorded: \(events.agents)")

        let verify = try CrashTests.verify(dir, store: agentURL)
        #expect(verify.exitCode == 0, "store verify: \(verify)")
        let restocks = events.count(of: "order.restocked")
        let feedback = (try CrashTests.query(dir, "feedback list --limit 1000000 --json", store: agentURL) as? [Any])?.count
        let outbox = (try CrashTests.query(dir, "outbox --limit 1000000 --json", store: agentURL) as? [Any])?.count
        let cancelled = (try CrashTests.query(dir, "orders --status cancelled --limit 1000000 --json", store: agentURL) as? [Any])?.count
        let stock = try CrashTests.query(dir, "inventory --json", store: agentURL) as? [String: Any]
        #expect(feedback == events.count(of: "feedback.logged"))
        #expect(outbox == events.count(of: "customer.notified"))
        #expect(cancelled == events.count(of: "order.cancelled"))
        #expect(
            stock?["SKU-A"] as? Int == 2 * restocks && stock?["SKU-B"] as? Int == restocks,
            "stock \(String(describing: stock)), \(restocks) restocks")
        let tablesAgree = try Self.tablesAgreeWithEvents(superuser, initial: initial)
        #expect(tablesAgree, "the state tables differ from the events replayed")
        Torture.figure(
            "10a server, clients killed",
            "writers: \(writerCount) × \(changes) changes, kills: \(killed) (\(midCommand) mid-command), "
                + "restarts: \(crew.map(\.starts).reduce(0, +) - writerCount), acknowledged: \(acknowledged.count), "
                + "lost: \(lost.count), applied twice: \(twice.count), never sent: \(phantom.count), "
                + "in doubt: \(inDoubt.count) (\(landed) landed), refused: \(crew.map(\.refused).reduce(0, +)), "
                + "events: \(events.seqs.count) (\(events.gapless ? "no gaps" : "GAPS")), verify: \(verify.exitCode == 0 ? "clean" : "NOT clean"), "
                + "state tables = events replayed: \(tablesAgree ? "yes" : "NO"), \(String(format: "%.1f", seconds)) s, seed \(seed)")
    }

    // MARK: 2. The server crashed and restarted

    /// 4 writers (one of them sending its changes five at a time, so that they go as one group
    /// commit) against a server that is stopped with `pg_ctl stop -m immediate` (no shutdown
    /// checkpoint: a crash) and started again, over and over, while they write. A writer whose
    /// `orderdesk` stops because the server is away (exit 3) starts it again. Every COMMIT waits
    /// 10 ms before its WAL flush (``PrivateCluster/slowCommits(_:)``), so that many crashes cut a
    /// COMMIT off and the lookup by change id is exercised, not only a lost idle connection.
    ///
    /// Pass: every acknowledged change is there exactly once, nothing appears that was never sent,
    /// no gaps, `store verify` clean; every change whose COMMIT lost its connection was looked up
    /// by its id and the program said which way it went.
    @Test func serverCrashesLoseNoAcknowledgedChange() throws {
        guard let binary = ProgramRunner.binary(), TestServer.base() != nil else { return }
        let writerCount = Torture.scale("restart_writers", short: 4, long: 4)
        let changes = Torture.scale("restart_changes", short: 40, long: 1_000)
        let restarts = Torture.scale("restarts", short: 2, long: 20)
        let perWriter = changes / 5 + 10
        let seed = Torture.seed()
        let dir = try ProgramScratch("server-restarts")
        defer { dir.remove() }
        let server = try PrivateCluster()
        defer { server.remove() }
        let initial = TortureStore.make(orders: writerCount * perWriter)
        let superuser = try server.makeStore(initial)
        try server.slowCommits(Torture.scale("commit_delay_us", short: 10_000, long: 10_000))
        let schema = Self.schema(of: superuser)
        let roles = ["test_alice", "test_bob"]

        let counter = AckCounter()
        let crew = (0..<writerCount).map { w in
            RestartWriter(
                index: w, orders: Array((1001 + w * perWriter)..<(1001 + (w + 1) * perWriter)), target: changes,
                perSend: w == 0 ? 5 : 1, binary: binary, store: server.address(schema: schema, role: roles[w % 2]),
                environment: ProgramRunner.environment(home: dir.home, agent: "writer-\(w)"), scratch: dir.path, counter: counter)
        }
        let started = Date()
        let group = DispatchGroup()
        for writer in crew {
            group.enter()
            Thread {
                writer.run()
                group.leave()
            }.start()
        }
        var random = TortureRandom(seed: seed ^ 0xC0FFEE)
        let every = max(1, writerCount * changes / (restarts + 1))
        var next = every
        var crashed = 0
        var downtime: [Double] = []
        while crashed < restarts, group.wait(timeout: .now()) == .timedOut {
            if counter.value < next {
                usleep(500)
                continue
            }
            usleep(UInt32.random(in: 0..<5_000, using: &random))
            let down = Date()
            try server.stop(immediate: true)
            usleep(UInt32.random(in: 0..<400_000, using: &random))
            try server.start()
            downtime.append(Date().timeIntervalSince(down))
            crashed += 1
            next = counter.value + every
        }
        let finished = group.wait(timeout: .now() + (Torture.long ? 900 : 240)) == .success
        #expect(finished, "the writers did not finish")
        for writer in crew { writer.stop() }
        let seconds = Date().timeIntervalSince(started)
        for writer in crew {
            #expect(writer.failures.isEmpty, "writer \(writer.index): \(writer.failures)")
        }
        let acknowledged = crew.flatMap(\.acknowledged)
        let inDoubt = Set(crew.flatMap(\.inDoubt))
        let agentURL = server.address(schema: schema, role: "test_alice")
        let after = try Self.batch(dir, ["feedback #1001 --rating 5 final-check"], store: agentURL)
        #expect(after.exitCode == 0, "the store must take a change after the restarts: \(after)")

        let events = try ServerEvents(superuser)
        let counts = events.tokenCounts
        let ackSet = Set(acknowledged)
        let lost = acknowledged.filter { counts[$0, default: 0] == 0 }
        let twice = counts.filter { $0.value > 1 }.map(\.key)
        let phantom = counts.keys.filter { !ackSet.contains($0) && !inDoubt.contains($0) && $0 != "final-check" }
        let landed = inDoubt.filter { counts[$0, default: 0] == 1 }.count
        #expect(acknowledged.count == ackSet.count, "a token was acknowledged twice")
        #expect(lost.isEmpty, "acknowledged but missing: \(lost.prefix(20))")
        #expect(twice.isEmpty, "applied twice: \(twice.prefix(20))")
        #expect(phantom.isEmpty, "present but never sent: \(phantom.prefix(20))")
        #expect(events.gapless, "sequence numbers with gaps: \(events.seqs.count) events, last \(events.seqs.last ?? 0)")
        let verify = try CrashTests.verify(dir, store: agentURL)
        #expect(verify.exitCode == 0, "store verify: \(verify)")
        let feedback = (try CrashTests.query(dir, "feedback list --limit 1000000 --json", store: agentURL) as? [Any])?.count
        let cancelled = (try CrashTests.query(dir, "orders --status cancelled --limit 1000000 --json", store: agentURL) as? [Any])?.count
        #expect(feedback == events.count(of: "feedback.logged"))
        #expect(cancelled == events.count(of: "order.cancelled"))
        let tablesAgree = try Self.tablesAgreeWithEvents(superuser, initial: initial)
        #expect(tablesAgree, "the state tables differ from the events replayed")

        // What the program said about commits whose connection was lost.
        // (Notes go to stderr; a failed line's error is in its reply.)
        var said = (committed: 0, notCommitted: 0, laterCommitted: 0, laterNot: 0, stillInDoubt: 0)
        for writer in crew {
            let text = FileManager.default.contents(atPath: writer.stderrFile).map { String(decoding: $0, as: UTF8.self) } ?? ""
            said.committed += text.components(separatedBy: "looked it up by its id once the server was back: it was committed").count - 1
            said.laterCommitted += text.components(separatedBy: "was committed after all").count - 1
            said.laterNot += text.components(separatedBy: "was not committed; nothing was changed").count - 1
            said.notCommitted += writer.storeErrors["not committed", default: 0]
            said.notCommitted += text.components(separatedBy: "it was not committed, so its lines run again").count - 1
            said.stillInDoubt += writer.storeErrors["in doubt", default: 0]
            if !writer.otherErrors.isEmpty { print("[torture] 10b writer \(writer.index), other failures (sample): \(writer.otherErrors)") }
        }
        let resolved = said.committed + said.notCommitted + said.laterCommitted + said.laterNot
        let stops = crew.map(\.storeStops).reduce(0, +)
        let downs = downtime.sorted()
        Torture.figure(
            "10b server crashed and restarted",
            "\(crashed) × pg_ctl stop -m immediate + start (down \(String(format: "%.2f", downs.first ?? 0))–\(String(format: "%.2f", downs.last ?? 0)) s), "
                + "writers: \(writerCount) × \(changes) changes (one in groups of 5), acknowledged: \(acknowledged.count), "
                + "lost: \(lost.count), applied twice: \(twice.count), never sent: \(phantom.count), "
                + "lost COMMITs resolved by change id: \(resolved) (committed \(said.committed + said.laterCommitted), "
                + "not committed \(said.notCommitted + said.laterNot)), left in doubt at exit: \(said.stillInDoubt); "
                + "batches stopped by the server (exit 3) and run again: \(stops), unanswered lines: \(inDoubt.count) (\(landed) landed), "
                + "events: \(events.seqs.count) (\(events.gapless ? "no gaps" : "GAPS")), verify: \(verify.exitCode == 0 ? "clean" : "NOT clean"), "
                + "state tables = events replayed: \(tablesAgree ? "yes" : "NO"), \(String(format: "%.1f", seconds)) s, seed \(seed)")
    }

    // MARK: 3. Racing processes

    /// 8 processes (short: 4), as two agent roles, each cancelling the same 50 orders (short: 10)
    /// in its own random order, all released at once. Pass: every order cancelled exactly once,
    /// every other attempt refused naming the winner, one cancel event per order, no gaps.
    @Test func racingProcessesCancelEachOrderOnce() throws {
        guard ProgramRunner.binary() != nil, let base = TestServer.base() else { return }
        let processes = Torture.scale("server_racers", short: 4, long: 8)
        let orderCount = Torture.scale("server_race_orders", short: 10, long: 50)
        let seed = Torture.seed()
        var random = TortureRandom(seed: seed)
        let dir = try ProgramScratch("server-race")
        defer { dir.remove() }
        let superuser = try #require(try TestServer.makeStore(TortureStore.make(orders: orderCount)))
        defer { TestServer.drop(superuser) }
        let schema = Self.schema(of: superuser)
        let roles = ["test_alice", "test_bob"]
        let started = Date()
        let launched = try (0..<processes).map { p in
            try ProgramRunner.Launched(
                arguments: [
                    "run", "-", "--json", "--keep-going", "--store", TestServer.address(base, schema: schema, role: roles[p % 2]),
                ],
                environment: ProgramRunner.environment(home: dir.home + "-\(p)", agent: "racer-\(p)"), input: .held,
                directory: dir.path)
        }
        usleep(300_000)  // each has connected and read the store
        for (p, process) in launched.enumerated() {
            let lines = (1001..<(1001 + orderCount)).shuffled(using: &random).map {
                "cancel #\($0) --reason customer --refund later --no-restock --no-notify --note p\(p)"
            }
            process.send(lines.joined(separator: "\n") + "\n")
        }
        let results = launched.map { $0.wait(timeout: Torture.long ? 300 : 120) }
        let events = try ServerEvents(superuser)
        var winners: [String: String] = [:]
        for event in events.bySeq.values where event["type"] as? String == "order.cancelled" {
            let order = event["order"] as? String ?? "?"
            #expect(winners[order] == nil, "\(order) cancelled twice")
            winners[order] = event["agent"] as? String
        }
        var won: [String: Int] = [:]
        var refused = 0
        var namedWinner = 0
        for (p, result) in results.enumerated() {
            #expect(!result.timedOut && (result.exitCode == 0 || result.exitCode == 1), "racer \(p): \(result)")
            let replies = CrashTests.replies(result)
            #expect(replies.count == orderCount, "racer \(p) answered \(replies.count) of \(orderCount)")
            for reply in replies {
                let order = String(reply.input.split(separator: " ")[1])
                if reply.ok {
                    won[order, default: 0] += 1
                } else {
                    refused += 1
                    let error = reply.error ?? ""
                    #expect(error.contains("\(order) is already cancelled"), "racer \(p): \(error)")
                    if let winner = winners[order], error.contains("by \(winner) ") { namedWinner += 1 }
                }
            }
        }
        for n in 1001..<(1001 + orderCount) {
            #expect(won["#\(n)"] == 1, "#\(n): \(won["#\(n)"] ?? 0) cancels succeeded")
            #expect(winners["#\(n)"] != nil, "#\(n): no cancel event")
        }
        #expect(namedWinner == refused, "every refusal names the winner: \(namedWinner) of \(refused)")
        #expect(events.count(of: "order.cancelled") == orderCount)
        #expect(events.gapless)
        Torture.figure(
            "10c server, racing processes",
            "\(processes) processes × \(orderCount) orders: cancels won \(won.values.reduce(0, +)) (one per order: "
                + "\(won.values.allSatisfy { $0 == 1 } && won.count == orderCount ? "yes" : "NO")), refused \(refused) "
                + "(naming the winner: \(namedWinner)), cancel events \(events.count(of: "order.cancelled")), "
                + "\(events.gapless ? "no gaps" : "GAPS"), \(String(format: "%.1f", Date().timeIntervalSince(started))) s, seed \(seed)")
    }

    // MARK: 4. The same script on both stores

    /// A demo store made on disk and copied to a server (`orderdesk store copy`), then the same
    /// 1,000-line script (short: 100; cancels, refunds, returns, restocks, payments, feedback,
    /// messages, many of them refused) run on both as the same agent. Pass: the same replies line
    /// for line, the same `orders --json` and `report --json`, and the same money on every order
    /// the script touched (`show --json`). Times of the run itself differ and are compared as "now".
    @Test func theSameScriptGivesTheSameStoreOnAFileAndOnAServer() throws {
        guard ProgramRunner.binary() != nil, let base = TestServer.base() else { return }
        let lineCount = Torture.scale("same_lines", short: 100, long: 1_000)
        let orderCount = Torture.scale("same_orders", short: 200, long: 1_000)
        let seed = Torture.seed()
        var random = TortureRandom(seed: seed)
        let dir = try ProgramScratch("server-same")
        defer { dir.remove() }
        let startedAt = Date()
        let fileStore = dir.path + "/file"
        let made = try dir.orderdesk(["init", fileStore, "--demo", "--orders", String(orderCount), "--seed", "7"], timeout: 120)
        try #require(made.exitCode == 0, "\(made)")
        let server = TestServer.address(base, schema: TestServer.freshSchema())
        defer { TestServer.drop(server) }
        let copied = try dir.orderdesk(["store", "copy", fileStore, server], timeout: 120)
        try #require(copied.exitCode == 0, "\(copied)")
        let agent = Self.role(of: server)

        let script = try Self.script(lines: lineCount, store: fileStore, random: &random)
        let onFile = try Self.batch(dir, script.lines, store: fileStore, agent: agent)
        let onServer = try Self.batch(dir, script.lines, store: server, agent: agent)
        #expect(!onFile.timedOut && !onServer.timedOut)
        let now = startedAt.addingTimeInterval(-2)
        let fileReplies = onFile.stdoutLines.map { Self.normalized(Self.json($0), since: now) }
        let serverReplies = onServer.stdoutLines.map { Self.normalized(Self.json($0), since: now) }
        #expect(fileReplies.count == script.lines.count && serverReplies.count == script.lines.count)
        var differing: [String] = []
        for (i, (a, b)) in zip(fileReplies, serverReplies).enumerated() where !Self.same(a, b) {
            differing.append("line \(i + 1) \(script.lines[i]): file \(onFile.stdoutLines[i]) / server \(onServer.stdoutLines[i])")
        }
        #expect(differing.isEmpty, "replies differ: \(differing.prefix(5))")
        let succeeded = fileReplies.filter { ($0 as? [String: Any])?["ok"] as? Bool == true }.count
        var done: [String: Int] = [:]
        for reply in fileReplies {
            guard let reply = reply as? [String: Any], reply["ok"] as? Bool == true, let input = reply["input"] as? String else { continue }
            done[String(input.prefix { $0 != " " }), default: 0] += 1
        }
        if succeeded < lineCount / 4 {
            print("refusals (sample): \(onFile.stdoutLines.filter { $0.contains("\"ok\":false") }.prefix(10))")
        }

        var compared: [String: Bool] = [:]
        for query in [
            "orders --status all --limit 1000000 --json", "report --json", "inventory --json", "feedback list --limit 1000000 --json",
        ] {
            var a = Self.normalized(try CrashTests.query(dir, query, store: fileStore) ?? NSNull(), since: now)
            var b = Self.normalized(try CrashTests.query(dir, query, store: server) ?? NSNull(), since: now)
            if query.hasPrefix("feedback") {
                // Newest first: entries logged in the same second on one store and not on the
                // other (the two runs go at their own pace) come in another order; compared by id.
                (a, b) = (Self.sortedByID(a), Self.sortedByID(b))
            }
            compared[query] = Self.same(a, b)
            #expect(Self.same(a, b), "\(query) differs between the file store and the server: \(Self.firstDifference(a, b))")
        }
        // Money per order the script touched: each order's full `show --json`, and its ledger totals.
        let touched = script.orders.sorted()
        let shows = touched.map { "show \($0) --json" }
        func orders(_ store: String) throws -> [Any] {
            try Self.batch(dir, shows, store: store, agent: agent).stdoutLines.map {
                (Self.json($0) as? [String: Any])?["output"] ?? NSNull()
            }
        }
        let fileShows = try orders(fileStore)
        let serverShows = try orders(server)
        #expect(fileShows.count == touched.count && serverShows.count == touched.count)
        var moneyDiffers: [String] = []
        var withRefunds = 0
        for (i, (a, b)) in zip(fileShows, serverShows).enumerated() {
            let x = Self.money(a)
            let y = Self.money(b)
            if x != y || x.isEmpty { moneyDiffers.append("\(touched[i]): file \(x) / server \(y)") }
            if let refunded = x["refunded"].flatMap({ Money($0) }), refunded > .zero { withRefunds += 1 }
            if !Self.same(Self.normalized(a, since: now), Self.normalized(b, since: now)) {
                moneyDiffers.append("\(touched[i]): show --json differs")
            }
        }
        #expect(moneyDiffers.isEmpty, "\(moneyDiffers.prefix(5))")
        let allSame = differing.isEmpty && compared.values.allSatisfy { $0 } && moneyDiffers.isEmpty
        Torture.figure(
            "10d file store vs server",
            "\(lineCount) lines (\(succeeded) done: \(done.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")); \(lineCount - succeeded) refused) on a \(orderCount)-order demo store: replies "
                + "\(differing.isEmpty ? "identical" : "DIFFER (\(differing.count))"), orders --json / report --json / inventory / feedback "
                + "\(compared.values.allSatisfy { $0 } ? "identical" : "DIFFER: \(compared.filter { !$0.value }.keys.sorted())"), "
                + "money on \(touched.count) touched orders (\(withRefunds) with refunds) \(moneyDiffers.isEmpty ? "identical" : "DIFFERS"); "
                + "\(allSame ? "same" : "NOT the same"), seed \(seed)")
    }

    /// A script of `lines` commands over the orders of the store at `store` (its snapshot read
    /// for order names and SKUs), and the orders it names.
    static func script(lines count: Int, store: String, random: inout TortureRandom) throws -> (lines: [String], orders: Set<String>) {
        let data = try Data(contentsOf: URL(fileURLWithPath: store + "/snapshot.json"))
        let snapshot = try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
        let orders = (snapshot["orders"] as? [[String: Any]] ?? []).compactMap { order -> (String, [String])? in
            guard let name = order["name"] as? String else { return nil }
            let skus = (order["line_items"] as? [[String: Any]] ?? []).compactMap { $0["sku"] as? String }
            return (name, skus)
        }
        // A few dozen orders take most of the lines, so that commands meet orders already changed.
        let pool = Array(orders.shuffled(using: &random).prefix(max(10, count / 4)))
        var lines: [String] = []
        var named = Set<String>()
        for i in 0..<count {
            let (name, skus) = pool[Int.random(in: 0..<pool.count, using: &random)]
            named.insert(name)
            let sku = skus.isEmpty ? "NONE" : skus[Int.random(in: 0..<skus.count, using: &random)]
            let line: String
            switch Int.random(in: 0..<12, using: &random) {
            case 0: line = "cancel \(name) --reason customer --yes"
            case 1: line = "cancel \(name) --reason inventory --refund later --no-notify --yes"
            case 2: line = "refund \(name) 5.00 --no-notify --note r\(i) --yes"
            case 3: line = "refund \(name) --rest --note rest\(i) --yes"
            case 4: line = "refund \(name) 3.50 --credit --no-notify --yes"
            case 5: line = "return \(name) \(sku)=1 --refund now --no-notify --yes"
            case 6: line = "return \(name) \(sku) --refund credit --shipping 1.00 --yes"
            case 7: line = "restock \(name) --all"
            case 8: line = "pay \(name) --yes"
            case 9: line = "capture \(name) --yes"
            case 10: line = "notify \(name) message-\(i)"
            default: line = "feedback \(name) --rating \(1 + i % 5) feedback-\(i)"
            }
            lines.append(line)
        }
        return (lines, named)
    }

    /// A line of JSON output parsed (or the text itself when it is not JSON).
    static func json(_ line: String) -> Any {
        (try? JSONSerialization.jsonObject(with: Data(line.utf8), options: [.fragmentsAllowed])) ?? line
    }

    /// `value` with every time at or after `since` (the run's own "now") replaced by `<now>`.
    static func normalized(_ value: Any, since: Date) -> Any {
        switch value {
        case let object as [String: Any]: return object.mapValues { normalized($0, since: since) }
        case let array as [Any]: return array.map { normalized($0, since: since) }
        case let text as String:
            // A time alone, or times in a message ("cancelled: by bob at 2026-12-07T10:33:15Z").
            var result = text
            let range = NSRange(text.startIndex..., in: text)
            for match in Self.timePattern.matches(in: text, range: range).reversed() {
                guard let found = Range(match.range, in: text), let date = Self.parseTime(String(text[found])), date >= since,
                    let target = Range(match.range, in: result)
                else { continue }
                result.replaceSubrange(target, with: "<now>")
            }
            return result
        default: return value
        }
    }

    static let timePattern = try! NSRegularExpression(
        pattern: #"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})"#)

    static func parseTime(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }

    /// A list of objects in the order of their `id`.
    static func sortedByID(_ value: Any) -> Any {
        guard let list = value as? [[String: Any]] else { return value }
        return list.sorted { (($0["id"] as? NSNumber)?.int64Value ?? 0) < (($1["id"] as? NSNumber)?.int64Value ?? 0) }
    }

    /// Where two parsed JSON values first differ (for the failure message).
    static func firstDifference(_ a: Any, _ b: Any) -> String {
        if let x = a as? [Any], let y = b as? [Any] {
            if x.count != y.count { return "\(x.count) elements against \(y.count)" }
            for (i, (p, q)) in zip(x, y).enumerated() where !same(p, q) { return "element \(i): \(p) against \(q)" }
        }
        return same(a, b) ? "nothing" : "\(a) against \(b)".prefix(2_000).description
    }

    /// Whether two parsed JSON values are equal.
    static func same(_ a: Any, _ b: Any) -> Bool {
        guard let x = try? JSONSerialization.data(withJSONObject: ["v": a], options: [.sortedKeys]),
            let y = try? JSONSerialization.data(withJSONObject: ["v": b], options: [.sortedKeys])
        else { return false }
        return x == y
    }

    /// The money of an order from its `show --json`: total, and what its transactions (the order's
    /// and its refunds') captured, refunded and left outstanding (amounts as text).
    static func money(_ order: Any) -> [String: String] {
        guard let order = order as? [String: Any] else { return [:] }
        var totals: [String: Money] = ["captured": .zero, "refunded": .zero]
        let refunds = (order["refunds"] as? [[String: Any]] ?? []).flatMap { $0["transactions"] as? [[String: Any]] ?? [] }
        for transaction in (order["transactions"] as? [[String: Any]] ?? []) + refunds {
            guard transaction["status"] as? String ?? "success" == "success", let amount = Money(transaction["amount"] as? String ?? "")
            else { continue }
            switch transaction["kind"] as? String {
            case "sale", "capture": totals["captured", default: .zero] += amount
            case "refund": totals["refunded", default: .zero] += amount
            default: break
            }
        }
        var out = totals.mapValues { "\($0)" }
        out["total"] = order["total_price"] as? String ?? "?"
        out["financial_status"] = order["financial_status"] as? String ?? "?"
        if let total = Money(order["total_price"] as? String ?? ""), let captured = totals["captured"], let refunded = totals["refunded"] {
            out["outstanding"] = "\(total - captured)"
            out["net"] = "\(captured - refunded)"
        }
        return out
    }
}

// MARK: - Support

/// The events of a server store, read as the superuser: each event's JSON body by sequence number.
struct ServerEvents {
    var bySeq: [Int: [String: Any]] = [:]

    init(_ superuser: String) throws {
        let schema = ServerTortureTests.schema(of: superuser)
        for body in try TestServer.sql(superuser, "SELECT body::text FROM \(schema).events ORDER BY seq") {
            guard let body, let object = (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any],
                let seq = object["seq"] as? Int
            else { continue }
            bySeq[seq] = object
        }
    }

    var seqs: [Int] { bySeq.keys.sorted() }
    var gapless: Bool { seqs.isEmpty || seqs == Array(1...seqs.count) }
    var agents: Set<String> { Set(bySeq.values.compactMap { $0["agent"] as? String }) }

    /// How many events carry each torture token (``StoreEvents/token(of:)``).
    var tokenCounts: [String: Int] {
        var counts: [String: Int] = [:]
        for event in bySeq.values {
            if let token = StoreEvents.token(of: event) { counts[token, default: 0] += 1 }
        }
        return counts
    }

    func count(of type: String) -> Int { bySeq.values.filter { $0["type"] as? String == type }.count }
}

/// One writer of the server-crash proof: `orderdesk run - --json --keep-going` fed `perSend`
/// changes at a time (feedback, messages and cancels of its own orders, each with a token), started
/// again whenever it stops because the server is away.
final class RestartWriter: @unchecked Sendable {
    struct Change {
        var line: String
        var token: String
    }

    let index: Int
    let orders: [Int]
    let target: Int
    let perSend: Int
    let binary: String
    let store: String
    let environment: [String: String]
    let stderrFile: String
    let counter: AckCounter

    private let lock = NSLock()
    private var child: PipedChild?
    private var finished = false
    private var attempt = 0
    private var nextFresh = 0

    private(set) var acknowledged: [String] = []
    /// Sent, but no reply says whether it was done: it may be there once, or not at all.
    private(set) var inDoubt: [String] = []
    private(set) var refused = 0
    private(set) var failures: [String] = []
    private(set) var starts = 0
    /// Runs that stopped because the server was away (exit 3).
    private(set) var storeStops = 0
    /// The store's failures by kind: "in doubt" (the commit's outcome not known yet), "not
    /// committed" (looked up by its id: not there), "other" (not reached, …).
    private(set) var storeErrors: [String: Int] = [:]
    /// A sample of the other failures, but "cannot reach the server".
    private(set) var otherErrors: [String] = []

    init(
        index: Int, orders: [Int], target: Int, perSend: Int, binary: String, store: String, environment: [String: String],
        scratch: String, counter: AckCounter
    ) {
        self.index = index
        self.orders = orders
        self.target = target
        self.perSend = perSend
        self.binary = binary
        self.store = store
        self.environment = environment
        self.stderrFile = scratch + "/restart-writer-\(index).stderr"
        self.counter = counter
    }

    func stop() {
        lock.withLock {
            finished = true
            child?.signal(SIGKILL)
        }
    }

    func run() {
        let deadline = Date().addingTimeInterval(Torture.long ? 1_200 : 240)
        while acknowledged.count < target && failures.isEmpty {
            if Date() > deadline {
                failures.append("not done by the deadline: \(acknowledged.count) of \(target) acknowledged")
                break
            }
            let current: PipedChild
            if let running = lock.withLock({ child }) {
                current = running
            } else {
                do {
                    let started = try PipedChild(
                        binary, ["run", "-", "--json", "--keep-going", "--store", store], environment: environment, stderr: stderrFile)
                    lock.withLock { child = started }
                    starts += 1
                    current = started
                } catch {
                    failures.append("cannot start: \(error)")
                    return
                }
            }
            let changes = (0..<perSend).map { _ in next() }
            var sent = true
            for change in changes where sent { sent = current.send(change.line) }
            var answered = 0
            var storeFailed = false
            while answered < changes.count, sent, let reply = current.readLine(timeout: 120) {
                guard let object = (try? JSONSerialization.jsonObject(with: Data(reply.utf8))) as? [String: Any],
                    let ok = object["ok"] as? Bool
                else {
                    failures.append("not a reply: \(reply)")
                    return
                }
                let change = changes[answered]
                answered += 1
                if ok {
                    acknowledged.append(change.token)
                    counter.add()
                    continue
                }
                let error = object["error"] as? String ?? ""
                if error.contains("postgres://") {
                    // The server was away: the batch stops here (exit 3).
                    storeFailed = true
                    let kind =
                        error.contains("whether it was recorded is not known yet")
                        ? "in doubt" : error.contains("before the server committed it") ? "not committed" : "other"
                    storeErrors[kind, default: 0] += 1
                    if kind == "in doubt" { inDoubt.append(change.token) }
                    if kind == "other" && !error.contains("cannot reach the store's server") && otherErrors.count < 5 {
                        otherErrors.append(error)
                    }
                } else {
                    refused += 1
                }
            }
            if answered < changes.count || storeFailed {
                inDoubt += changes[answered...].map(\.token)
                current.closeInput()
                while current.readLine(timeout: 60) != nil {}
                let code = current.wait(timeout: 60)
                lock.withLock { child = nil }
                if lock.withLock({ finished }) { break }
                if code == 3 {
                    storeStops += 1
                } else if code != 0 && code != 1 {
                    let errors = FileManager.default.contents(atPath: stderrFile).map { String(decoding: $0, as: UTF8.self) } ?? ""
                    failures.append("writer \(index) ended with exit \(code); stderr: \(errors.suffix(800))")
                }
                usleep(100_000)
            }
        }
        let last = lock.withLock { () -> PipedChild? in
            finished = true
            return child
        }
        if let last {
            last.closeInput()
            while last.readLine(timeout: 60) != nil {}
            last.wait(timeout: 60)
        }
    }

    /// The next change: a cancel of an order of its own not cancelled yet (one in five), a message
    /// or feedback, each carrying a unique token.
    private func next() -> Change {
        attempt += 1
        let token = "r\(index)-\(attempt)"
        let any = orders[attempt % orders.count]
        if attempt % 5 == 0 && nextFresh < orders.count {
            let order = orders[nextFresh]
            nextFresh += 1
            return Change(line: "cancel #\(order) --reason customer --refund later --no-restock --no-notify --note \(token)", token: token)
        }
        if attempt % 5 == 2 { return Change(line: "notify #\(any) \(token)", token: token) }
        return Change(line: "feedback #\(any) --rating \(1 + attempt % 5) \(token)", token: token)
    }
}
