import Foundation
import OrderDeskCore
import OrderDeskStore
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The store's promises under crashes, concurrency and hostile files, proved against the real
/// `orderdesk` binary (issue 5). Each test prints its figure (`[torture] ...`).
///
/// These are the short versions, run by the normal suite; `scripts/torture` runs the same tests
/// with `ORDERDESK_TORTURE=long` for the full figures (see ``Torture``).
@Suite("Torture: crashes, compaction kills, races, damage, full disks, read-only stores", .serialized)
struct CrashTests {
    /// Journal size past which writers compact (a test hook), so kills also land in compactions.
    static let compactionHook = "ORDERDESK_COMPACT_BYTES"

    // MARK: Helpers

    /// One reply of `orderdesk run --json`.
    struct Reply {
        var input: String
        var ok: Bool
        var error: String?
    }

    static func replies(_ result: ProgramRunner.Result) -> [Reply] {
        result.stdoutLines.compactMap { line in
            guard let object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any],
                let ok = object["ok"] as? Bool
            else { return nil }
            return Reply(input: object["input"] as? String ?? "", ok: ok, error: object["error"] as? String)
        }
    }

    /// Runs lines as one `--json --keep-going` batch.
    static func batch(
        _ dir: ProgramScratch, _ lines: [String], agent: String = "alice", environment: [String: String] = [:],
        store: String? = nil
    ) throws -> ProgramRunner.Result {
        try dir.orderdesk(
            ["run", "-", "--json", "--keep-going", "--store", store ?? dir.store], stdin: lines.joined(separator: "\n") + "\n",
            agent: agent, environment: environment, timeout: 300)
    }

    /// Everything a reader sees, as JSON text: orders, stock, feedback, outbox, settings.
    static func stateDump(_ dir: ProgramScratch, store: String? = nil) throws -> String {
        let result = try dir.orderdesk(
            ["run", "-", "--store", store ?? dir.store],
            stdin: """
                orders --status all --limit 1000000 --json
                inventory --json
                feedback list --limit 1000000 --json
                outbox --limit 1000000 --json
                settings --json

                """, timeout: 120)
        #expect(result.exitCode == 0, "reading the store: \(result)")
        return result.stdout
    }

    /// Parses the JSON a read command prints.
    static func query(_ dir: ProgramScratch, _ line: String, store: String? = nil) throws -> Any? {
        let result = try dir.orderdesk(["run", "-", "--store", store ?? dir.store], stdin: line + "\n", timeout: 120)
        #expect(result.exitCode == 0, "\(line): \(result)")
        return try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
    }

    static func verify(_ dir: ProgramScratch, store: String? = nil) throws -> ProgramRunner.Result {
        try dir.orderdesk(["store", "verify", "--store", store ?? dir.store], timeout: 120)
    }

    /// Runs a program to the end with `lines` on stdin: exit code, stdout, stderr.
    static func runPiped(
        _ executable: String, _ arguments: [String], environment: [String: String], lines: [String], scratch: String,
        timeout: Double = 120
    ) throws -> (code: Int32, stdout: [String], stderr: String) {
        let errors = scratch + "/piped-\(UUID().uuidString).stderr"
        let child = try PipedChild(executable, arguments, environment: environment, stderr: errors)
        for line in lines { child.send(line) }
        child.closeInput()
        var out: [String] = []
        while let line = child.readLine(timeout: timeout) { out.append(line) }
        let code = child.wait(timeout: timeout)
        let text = (FileManager.default.contents(atPath: errors)).map { String(decoding: $0, as: UTF8.self) } ?? ""
        try? FileManager.default.removeItem(atPath: errors)
        return (code, out, text)
    }

    // MARK: 1. Crashes: writers killed with SIGKILL and restarted

    /// 4 writers make changes (cancels, refunds, restocks, feedback, messages) through
    /// `orderdesk run - --json`, fed one line at a time; a change is acknowledged in a side file
    /// only after its reply said `"ok":true`. Meanwhile the harness `kill -9`s a random writer
    /// (often in the middle of a command, sometimes in a compaction) and the writer starts again.
    ///
    /// Pass: the store loads, `store verify` is clean, every acknowledged change is present
    /// exactly once, nothing appears that was never sent, sequence numbers have no gaps, and the
    /// state agrees with the events.
    @Test func killedWritersLoseNoAcknowledgedChange() throws {
        guard let binary = ProgramRunner.binary() else { return }
        let writerCount = Torture.scale("writers", short: 4, long: 4)
        let changes = Torture.scale("changes", short: 100, long: 1_000)
        let kills = Torture.scale("kills", short: 20, long: 200)
        let threshold = Torture.scale("compact_bytes", short: 16_384, long: 49_152)
        let perWriter = changes / 5 + kills + 10
        let seed = Torture.seed()
        let dir = try ProgramScratch("crash-writers")
        defer { dir.remove() }
        try TortureStore.create(at: dir.store, orders: writerCount * perWriter)

        let counter = AckCounter()
        let crew = (0..<writerCount).map { w in
            CrashWriter(
                index: w, orders: Array((1001 + w * perWriter)..<(1001 + (w + 1) * perWriter)), target: changes,
                binary: binary, store: dir.store,
                environment: ProgramRunner.environment(
                    home: dir.home, agent: "writer-\(w)", extra: [Self.compactionHook: String(threshold)]),
                scratch: dir.path, seed: seed &+ UInt64(w) &* 7919, counter: counter)
        }
        let run = KilledRun(
            crew, counter: counter, kills: kills, every: max(1, writerCount * changes / (kills + 1)), seed: seed, pause: 4_000)
        let (killed, midCommand, seconds, acknowledged, inDoubt) = (run.killed, run.midCommand, run.seconds, run.acknowledged, run.inDoubt)

        // The next start: one more change by a fresh process, which also clears leftovers.
        let after = try Self.batch(dir, ["feedback #1001 --rating 5 final-check"], agent: "checker")
        #expect(after.exitCode == 0, "the store must take a change after the crashes: \(after)")
        #expect(StoreTree.temporaries(dir.store).isEmpty, "temp files after the next start: \(StoreTree.temporaries(dir.store))")

        let events = StoreEvents(store: dir.store)
        let counts = events.tokenCounts
        let ackSet = Set(acknowledged)
        let lost = acknowledged.filter { counts[$0, default: 0] == 0 }
        let duplicated = counts.filter { $0.value > 1 }.map(\.key)
        let phantom = counts.keys.filter { !ackSet.contains($0) && !inDoubt.contains($0) && $0 != "final-check" }
        let landed = inDoubt.filter { counts[$0, default: 0] == 1 }.count
        #expect(acknowledged.count == ackSet.count, "a token was acknowledged twice")
        #expect(lost.isEmpty, "acknowledged but missing: \(lost.prefix(20))")
        #expect(duplicated.isEmpty, "present more than once: \(duplicated.prefix(20))")
        #expect(phantom.isEmpty, "present but never sent: \(phantom.prefix(20))")
        #expect(events.problems.isEmpty, "\(events.problems.prefix(10))")
        #expect(events.gapless, "sequence numbers with gaps: \(events.seqs.count) events, last \(events.seqs.last ?? 0)")

        let verify = try Self.verify(dir)
        #expect(verify.exitCode == 0, "store verify: \(verify)")

        // The state agrees with the events (replayed once each, nothing twice).
        let restocks = events.count(of: "order.restocked")
        let feedback = (try Self.query(dir, "feedback list --limit 1000000 --json") as? [Any])?.count
        let outbox = (try Self.query(dir, "outbox --limit 1000000 --json") as? [Any])?.count
        let cancelled = (try Self.query(dir, "orders --status cancelled --limit 1000000 --json") as? [Any])?.count
        let stock = try Self.query(dir, "inventory --json") as? [String: Any]
        #expect(feedback == events.count(of: "feedback.logged"))
        #expect(outbox == events.count(of: "customer.notified"))
        #expect(cancelled == events.count(of: "order.cancelled"))
        #expect(
            stock?["SKU-A"] as? Int == 2 * restocks && stock?["SKU-B"] as? Int == restocks,
            "stock \(String(describing: stock)), \(restocks) restocks")
        let refused = crew.map(\.refused).reduce(0, +)
        let archives = ((try? FileManager.default.contentsOfDirectory(atPath: dir.store + "/archive")) ?? []).count

        Torture.figure(
            "1 crashes",
            "writers: \(writerCount), kills: \(killed) (\(midCommand) mid-command), restarts: \(crew.map(\.starts).reduce(0, +) - writerCount), "
                + "acknowledged: \(acknowledged.count), recovered: \(acknowledged.count - lost.count), lost: \(lost.count), "
                + "duplicated: \(duplicated.count), in doubt: \(inDoubt.count) (\(landed) landed), refused: \(refused), "
                + "events: \(events.seqs.count) (seq 1…\(events.seqs.last ?? 0)\(events.gapless ? ", no gaps" : ", GAPS")), "
                + "compactions: \(archives), verify: \(verify.exitCode == 0 ? "clean" : "NOT clean"), \(String(format: "%.1f", seconds)) s, seed \(seed)"
        )
        for writer in crew where !writer.refusals.isEmpty {
            print("[torture] 1 crashes: writer \(writer.index) refusals (sample): \(writer.refusals)")
        }
    }

    // MARK: 2. Crashes during compaction

    /// Rounds of: a few changes, then a compaction stopped dead after step N (the `StoreHarness`
    /// test program compacts with the `exitAfterStep` hook, which `_exit(99)`s there: 0 = journal archived, 1 = temp
    /// snapshot written, 2 = synced and closed, 3 = renamed, 4 = fresh journal) or killed with
    /// SIGKILL at a random moment. After each crash, before anything repairs it: the state is
    /// exactly what it was (nothing lost, nothing applied twice: stock counts each restock once),
    /// `store verify` is clean, every change is present once. The next change finishes the job.
    @Test func killedCompactionsLoseNothingAndApplyNothingTwice() throws {
        guard let binary = ProgramRunner.binary(), let harness = ProgramRunner.harness() else { return }
        let rounds = Torture.scale("compaction_rounds", short: 12, long: 150)
        let seed = Torture.seed()
        var random = TortureRandom(seed: seed)
        let dir = try ProgramScratch("compaction-kills")
        defer { dir.remove() }
        try TortureStore.create(at: dir.store, orders: rounds + 5)

        var tokens: [String] = []
        var restocks = 0
        var stops = [Int](repeating: 0, count: 5)
        var randomKills = 0
        var completed = 0
        var checks = 0
        var missing = 0
        var twice = 0
        for round in 0..<rounds {
            let order = "#\(1001 + round)"
            let lines = [
                "cancel \(order) --reason customer --refund later --no-restock --no-notify --note r\(round)-cancel",
                "restock \(order) --all",
                "refund \(order) 2.50 --note r\(round)-refund",
                "feedback \(order) --rating 4 r\(round)-feedback",
                "notify \(order) r\(round)-notify",
            ]
            let result = try Self.batch(dir, lines)
            let replies = Self.replies(result)
            let allOK = replies.count == lines.count && replies.allSatisfy { $0.ok }
            #expect(allOK, "round \(round): \(result)")
            tokens += ["r\(round)-cancel", "restock \(order)", "r\(round)-refund", "r\(round)-feedback", "r\(round)-notify"]
            restocks += 1
            let before = try Self.stateDump(dir)

            // The first rounds visit every step in order, then steps and random kills at random.
            let choice = round < 5 ? round : Int.random(in: 0...6, using: &random)
            if choice <= 4 {
                let stopped = try ProgramRunner.run(
                    ["compact", dir.store, "--exit-after-step", String(choice)],
                    environment: ProgramRunner.environment(home: dir.home), directory: dir.path, timeout: 120,
                    executable: harness)
                #expect(stopped.exitCode == 99, "round \(round): the hook should stop compaction after step \(choice): \(stopped)")
                stops[choice] += 1
            } else if choice == 5 {
                let child = try PipedChild(
                    binary, ["store", "compact", "--store", dir.store],
                    environment: ProgramRunner.environment(home: dir.home), stderr: dir.path + "/compact.stderr")
                usleep(UInt32.random(in: 0..<15_000, using: &random))
                child.signal(SIGKILL)
                let code = child.wait()
                #expect(code == 137 || code == 0, "round \(round): compact ended with \(code)")
                if code == 137 { randomKills += 1 } else { completed += 1 }
            } else {
                let done = try dir.orderdesk(["store", "compact", "--store", dir.store], timeout: 120)
                #expect(done.exitCode == 0, "round \(round): \(done)")
                completed += 1
            }

            // Right after the crash, before any writer repairs anything.
            let after = try Self.stateDump(dir)
            #expect(after == before, "round \(round) (choice \(choice)): the state changed across the crashed compaction")
            let verify = try Self.verify(dir)
            #expect(verify.exitCode == 0, "round \(round) (choice \(choice)): \(verify)")
            let events = StoreEvents(store: dir.store)
            let counts = events.tokenCounts
            #expect(events.gapless && events.problems.isEmpty, "round \(round): \(events.problems)")
            missing += tokens.filter { counts[$0, default: 0] == 0 }.count
            twice += tokens.filter { counts[$0, default: 0] > 1 }.count
            #expect(tokens.allSatisfy { counts[$0] == 1 }, "round \(round): \(tokens.filter { counts[$0] != 1 })")
            let stock = try Self.query(dir, "inventory --json") as? [String: Any]
            #expect(stock?["SKU-A"] as? Int == 2 * restocks, "round \(round): restocked twice? \(String(describing: stock))")
            let log = (try Self.query(dir, "log --limit 1000000 --json") as? [[String: Any]])?.compactMap { $0["seq"] as? Int }
            #expect(log == Array(1...(5 * (round + 1))), "round \(round): the audit log must list every event once")
            checks += 1
        }
        // The next start clears what the crashes left.
        let last = try Self.batch(dir, ["feedback #1001 --rating 5 last"])
        #expect(Self.replies(last).first?.ok == true, "\(last)")
        #expect(StoreTree.temporaries(dir.store).isEmpty, "\(StoreTree.temporaries(dir.store))")
        let final = try dir.orderdesk(["store", "compact", "--store", dir.store], timeout: 120)
        #expect(final.exitCode == 0, "\(final)")
        #expect(try Self.verify(dir).exitCode == 0)
        let archived = StoreEvents(store: dir.store)
        #expect(archived.gapless && archived.seqs.count == tokens.count + 1)

        Torture.figure(
            "2 compaction crashes",
            "rounds: \(rounds), stopped after step 0/1/2/3/4: \(stops.map(String.init).joined(separator: "/")), "
                + "random SIGKILLs mid-compaction: \(randomKills), completed: \(completed), changes: \(tokens.count), "
                + "checked after each crash \(checks) times: lost \(missing), applied twice \(twice), seed \(seed)")
    }

    // MARK: 3. Lost updates: agents racing on the same orders

    /// 8 processes, released together once all have the store open, each run the same commands on
    /// the same 50 orders in its own random order: cancel (refund later, no restock), refund 10.00,
    /// restock SKU-A=1, restock SKU-B=1, refund the rest. Each order paid 25.00 for 2 × SKU-A and
    /// 1 × SKU-B.
    ///
    /// Pass: exactly one cancel per order succeeds; refunds never exceed what was paid (and the
    /// rests bring each order to exactly 25.00); exactly 2 SKU-A and 1 SKU-B restocks per order,
    /// so total stock is 3 × 50; every reply agrees with the journal; no gaps.
    @Test func racingAgentsCancelOnceAndNeverRefundTooMuch() throws {
        guard ProgramRunner.binary() != nil else { return }
        let processes = Torture.scale("racers", short: 8, long: 8)
        let orderCount = Torture.scale("race_orders", short: 50, long: 50)
        let rounds = Torture.scale("race_rounds", short: 1, long: 5)
        let seed = Torture.seed()
        var random = TortureRandom(seed: seed)
        var totals = (commands: 0, cancelsWon: 0, cancelsRefused: 0, refunds: 0, maxRefunded: Money.zero, stock: 0, events: 0)
        let started = Date()
        for round in 0..<rounds {
            let dir = try ProgramScratch("race-\(round)")
            defer { dir.remove() }
            try TortureStore.create(at: dir.store, orders: orderCount)
            var scripts: [String] = []
            for p in 0..<processes {
                var lines: [String] = []
                for n in (1001..<(1001 + orderCount)).shuffled(using: &random) {
                    lines += [
                        "cancel #\(n) --reason customer --refund later --no-restock --no-notify --note p\(p)",
                        "refund #\(n) 10.00 --note p\(p)-ten",
                        "restock #\(n) SKU-A=1",
                        "restock #\(n) SKU-B=1",
                        "refund #\(n) --rest --note p\(p)-rest",
                    ]
                }
                scripts.append(lines.joined(separator: "\n") + "\n")
            }
            let launched = try (0..<processes).map { p in
                try ProgramRunner.Launched(
                    arguments: ["run", "-", "--json", "--keep-going", "--store", dir.store],
                    environment: ProgramRunner.environment(home: dir.home, agent: "racer-\(p)"), input: .held,
                    directory: dir.path)
            }
            for process in launched {
                #expect(process.waitUntilOpen(dir.lockFile, timeout: 30), "process \(process.pid) did not open the store")
            }
            for (process, script) in zip(launched, scripts) { process.send(script) }
            let results = launched.map { $0.wait(timeout: Torture.long ? 600 : 240) }

            // Successes per order and kind, from the replies.
            var won: [String: [String: Int]] = [:]
            for (p, result) in results.enumerated() {
                #expect(
                    !result.timedOut && (result.exitCode == 0 || result.exitCode == 1),
                    "racer \(p): \(result.exitCode) \(result.stderr.suffix(500))")
                let replies = Self.replies(result)
                #expect(replies.count == 5 * orderCount, "racer \(p) answered \(replies.count) of \(5 * orderCount)")
                totals.commands += replies.count
                for reply in replies where reply.ok {
                    let words = reply.input.split(separator: " ").map(String.init)
                    let kind =
                        words[0] == "restock" ? "restock " + words[2] : words[0] + (words.count > 2 && words[2] == "--rest" ? " rest" : "")
                    won[words[1], default: [:]][kind, default: 0] += 1
                }
            }
            let events = StoreEvents(store: dir.store)
            #expect(events.gapless && events.problems.isEmpty)
            var refundedByOrder: [String: Money] = [:]
            var refundEvents: [String: Int] = [:]
            for event in events.bySeq.values where event["type"] as? String == "order.refunded" {
                let order = event["order"] as? String ?? "?"
                let transactions = (event["refund"] as? [String: Any])?["transactions"] as? [[String: Any]] ?? []
                for t in transactions {
                    refundedByOrder[order, default: .zero] += Money(t["amount"] as? String ?? "") ?? Money("999999")!
                }
                refundEvents[order, default: 0] += 1
            }
            for n in 1001..<(1001 + orderCount) {
                let name = "#\(n)"
                let kinds = won[name] ?? [:]
                #expect(kinds["cancel"] == 1, "\(name): \(kinds["cancel"] ?? 0) cancels succeeded")
                #expect(kinds["restock SKU-A=1"] == 2 && kinds["restock SKU-B=1"] == 1, "\(name): restocks \(kinds)")
                let refunded = refundedByOrder[name] ?? .zero
                #expect(refunded <= TortureStore.paid, "\(name): refunded \(refunded) of \(TortureStore.paid) paid")
                #expect(
                    refunded == TortureStore.paid,
                    "\(name): the rests should bring the refunds to exactly \(TortureStore.paid): \(refunded)")
                #expect(
                    (kinds["refund"] ?? 0) + (kinds["refund rest"] ?? 0) == refundEvents[name] ?? 0, "\(name): replies and journal disagree"
                )
                totals.maxRefunded = max(totals.maxRefunded, refunded)
            }
            #expect(events.count(of: "order.cancelled") == orderCount)
            #expect(events.count(of: "order.restocked") == 3 * orderCount)
            let stock = try Self.query(dir, "inventory --json") as? [String: Any]
            let total = (stock?["SKU-A"] as? Int ?? 0) + (stock?["SKU-B"] as? Int ?? 0)
            #expect(stock?["SKU-A"] as? Int == 2 * orderCount && stock?["SKU-B"] as? Int == orderCount, "\(String(describing: stock))")
            #expect(try Self.verify(dir).exitCode == 0)
            totals.cancelsWon += won.values.map { $0["cancel"] ?? 0 }.reduce(0, +)
            totals.cancelsRefused += processes * orderCount - won.values.map { $0["cancel"] ?? 0 }.reduce(0, +)
            totals.refunds += events.count(of: "order.refunded")
            totals.stock += total
            totals.events += events.seqs.count
        }
        Torture.figure(
            "3 lost updates",
            "rounds: \(rounds), \(processes) processes × \(orderCount) orders × 5 commands = \(totals.commands) commands; "
                + "cancels won \(totals.cancelsWon) (one per order), refused \(totals.cancelsRefused); refunds \(totals.refunds), "
                + "most refunded on one order \(totals.maxRefunded) of \(TortureStore.paid) paid; total stock \(totals.stock) "
                + "(expected \(3 * orderCount * rounds)); events \(totals.events), no gaps; "
                + "\(String(format: "%.1f", Date().timeIntervalSince(started))) s, seed \(seed)")
    }

    // MARK: 4. Corruption matrix

    /// What must happen with a damaged store.
    enum Expectation: CustomStringConvertible {
        /// Exit 3 for both commands, naming `file` and a position containing `position`; the files
        /// are untouched; a byte-identical copy in `quarantine/` unless it is merely too new.
        case refused(file: String, position: String?, quarantined: Bool)
        /// A torn last line: reads see the first `events` events; the next change cuts the tail
        /// (after copying the journal into quarantine when the tail was a complete line).
        case tolerated(events: Int, quarantined: Bool)
        /// Not damage at all: the store holds `events` events.
        case accepted(events: Int)
        /// A change that leaves the content intact (a checksum digit a–f turned upper-case):
        /// refused as damage, or read as the same line; either is fine.
        case harmless(events: Int, line: Int)

        var description: String {
            switch self {
            case .refused(let file, let position, let quarantined):
                return "refused (\(file), \(position ?? "any position"), \(quarantined ? "quarantined" : "not quarantined"))"
            case .tolerated(let events, let quarantined): return "tolerated (\(events) events\(quarantined ? ", tail quarantined" : ""))"
            case .accepted(let events): return "accepted (\(events) events)"
            case .harmless(let events, let line): return "harmless (\(events) events, or refused at line \(line))"
            }
        }
    }

    struct Variant {
        var name: String
        var file: String
        var mutate: (_ store: String) -> Void
        var expect: Expectation
    }

    /// Variants of a fixed store (5 orders, a journal of 6 events): bit flips at N positions of the
    /// snapshot and of the journal, the journal cut at every byte of its last line (a sample in the
    /// short run), zero-filled and empty files, a snapshot one version newer (edited, and as a
    /// newer OrderDesk would write it), sequence gaps, a duplicated line, a journal without its
    /// snapshot. On each, a read command and a write command.
    @Test func damagedStoresAreRefusedAndTornTailsTolerated() throws {
        guard ProgramRunner.binary() != nil else { return }
        let flips = Torture.scale("flips", short: 16, long: 250)
        let everyCut = Torture.long
        let seed = Torture.seed()
        var random = TortureRandom(seed: seed)
        let dir = try ProgramScratch("matrix")
        defer { dir.remove() }
        try TortureStore.create(at: dir.store, orders: 5)
        let setup = try Self.batch(
            dir,
            [
                "settings auto-restock off",
                "cancel #1001 --reason customer --refund later --no-notify --note m1",
                "refund #1001 5.00 --note m2",
                "restock #1001 --all",
                "feedback #1002 --rating 4 m3",
                "notify #1002 m4",
            ])
        let setupReplies = Self.replies(setup)
        #expect(setupReplies.allSatisfy { $0.ok } && setupReplies.count == 6, "\(setup)")
        let snapshot = dir.bytes(dir.snapshot)
        let journal = dir.bytes(dir.journal)
        var lines: [Range<Int>] = []  // each line with its newline
        var start = 0
        for (i, byte) in journal.enumerated() where byte == 0x0A {
            lines.append(start..<(i + 1))
            start = i + 1
        }
        #expect(lines.count == 6 && start == journal.count)
        let k = lines.count

        func overwrite(_ path: String, _ bytes: [UInt8]) {
            _ = FileManager.default.createFile(atPath: path, contents: Data(bytes), attributes: [.posixPermissions: 0o600])
        }
        var variants: [Variant] = []

        // Bit flips in the snapshot: all refused (the snapshot carries a checksum), except a
        // version digit turned into a higher one, which reads as a newer store.
        let versionDigit = Self.find(Array(#""version":2"#.utf8), in: snapshot).map { $0 + #""version":"#.utf8.count }
        var snapshotPositions = (0..<flips).map { $0 * snapshot.count / flips }
        if let versionDigit { snapshotPositions.append(versionDigit) }
        snapshotPositions.append(snapshot.count - 1)
        for position in snapshotPositions {
            let bit = UInt8(1) << UInt8.random(in: 0..<8, using: &random)
            var bytes = snapshot
            bytes[position] ^= bit
            let flipped = bytes[position]
            let newer = position == versionDigit && flipped > UInt8(ascii: "2") && flipped <= UInt8(ascii: "9")
            variants.append(
                Variant(
                    name: "snapshot bit \(bit) at byte \(position)", file: dir.snapshot,
                    mutate: { overwrite($0 + "/snapshot.json", bytes) },
                    expect: .refused(file: "snapshot.json", position: nil, quarantined: !newer)))
        }

        // Bit flips in the journal, spread over every line, plus each newline and the last line.
        var journalPositions = (0..<flips).map { $0 * journal.count / flips }
        journalPositions += lines.map { $0.upperBound - 1 }
        journalPositions += [lines[k - 1].lowerBound + 5, lines[k - 1].upperBound - 4]
        for position in journalPositions {
            let bit = UInt8(1) << UInt8.random(in: 0..<8, using: &random)
            var bytes = journal
            bytes[position] ^= bit
            let line = lines.firstIndex { $0.contains(position) }! + 1
            let lineEnd = lines[line - 1].upperBound
            let inChecksum = (lineEnd - 11)..<(lineEnd - 3)
            let expect: Expectation
            if inChecksum.contains(position), bit == 0x20, (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(journal[position]) {
                expect = .harmless(events: k, line: line)
            } else {
                // Every line here is complete (it ends with its newline), so a flip anywhere is
                // damage, the last line included: a crash leaves only a last line without its
                // newline. (Before issue 13 a flip inside the last line was tolerated as torn.)
                expect = .refused(file: "journal.jsonl", position: "line \(line)", quarantined: true)
            }
            variants.append(
                Variant(
                    name: "journal bit \(bit) at byte \(position) (line \(line))", file: dir.journal,
                    mutate: { overwrite($0 + "/journal.jsonl", bytes) }, expect: expect))
        }

        // The journal cut at every byte of its last line (a sample in the short run), as a crash
        // mid-append leaves it: that line was never acknowledged, so `journal.seq` still says k - 1.
        // The torn tail is tolerated and, since issue 13, copied into quarantine before it is cut.
        let last = lines[k - 1]
        var cuts = Array(0..<last.count)
        if !everyCut {
            cuts = Array(
                Set(
                    [0, 1, 2, last.count / 3, last.count / 2, last.count - 3, last.count - 2, last.count - 1]
                        + (0..<4).map { _ in Int.random(in: 0..<last.count, using: &random) })
            ).sorted()
        }
        for cut in cuts {
            let bytes = Array(journal.prefix(last.lowerBound + cut))
            variants.append(
                Variant(
                    name: "journal cut at byte \(last.lowerBound + cut) (\(cut) of \(last.count) bytes of the last line)",
                    file: dir.journal,
                    mutate: {
                        overwrite($0 + "/journal.jsonl", bytes)
                        overwrite($0 + "/journal.seq", Array("\(k - 1)\n".utf8))
                    },
                    expect: cut == 0 ? .accepted(events: k - 1) : .tolerated(events: k - 1, quarantined: true)))
        }
        // The same cut at a line boundary after event k was acknowledged (`journal.seq` says k):
        // an acknowledged change lost, refused (issue 13; before, it read as a shorter store).
        variants.append(
            Variant(
                name: "journal cut at a line boundary after the last event was acknowledged", file: dir.journal,
                mutate: { overwrite($0 + "/journal.jsonl", Array(journal.prefix(last.lowerBound))) },
                expect: .refused(file: "journal.jsonl", position: "byte \(last.lowerBound)", quarantined: true)))

        // Whole-file damage.
        variants.append(
            Variant(
                name: "snapshot zero-filled", file: dir.snapshot,
                mutate: { overwrite($0 + "/snapshot.json", [UInt8](repeating: 0, count: snapshot.count)) },
                expect: .refused(file: "snapshot.json", position: "byte 0", quarantined: true)))
        variants.append(
            Variant(
                name: "journal zero-filled", file: dir.journal,
                mutate: { overwrite($0 + "/journal.jsonl", [UInt8](repeating: 0, count: journal.count)) },
                expect: .refused(file: "journal.jsonl", position: "line 1", quarantined: true)))
        variants.append(
            Variant(
                name: "snapshot empty", file: dir.snapshot, mutate: { overwrite($0 + "/snapshot.json", []) },
                expect: .refused(file: "snapshot.json", position: "byte 0", quarantined: true)))
        // An empty journal is what compaction leaves, but with a snapshot that holds its events;
        // here the snapshot is at 0 and `journal.seq` says 6 were acknowledged: refused (issue 13;
        // before, it read as a store with no events).
        variants.append(
            Variant(
                name: "journal empty", file: dir.journal, mutate: { overwrite($0 + "/journal.jsonl", []) },
                expect: .refused(file: "journal.jsonl", position: "byte 0", quarantined: true)))
        let text = String(decoding: snapshot, as: UTF8.self)
        let edited = Array(text.replacingOccurrences(of: #""version":2"#, with: #""version":3"#).utf8)
        variants.append(
            Variant(
                name: "snapshot version 3 (edited by hand)", file: dir.snapshot,
                mutate: { overwrite($0 + "/snapshot.json", edited) },
                expect: .refused(file: "snapshot.json", position: nil, quarantined: false)))
        let resealed = Self.reseal(edited)
        variants.append(
            Variant(
                name: "snapshot version 3 (as a newer OrderDesk writes it)", file: dir.snapshot,
                mutate: { overwrite($0 + "/snapshot.json", resealed) },
                expect: .refused(file: "snapshot.json", position: nil, quarantined: false)))
        let withoutThird = Array(journal[lines[0]]) + Array(journal[lines[1]]) + lines[3...].flatMap { Array(journal[$0]) }
        variants.append(
            Variant(
                name: "journal with a sequence gap (event 3 missing)", file: dir.journal,
                mutate: { overwrite($0 + "/journal.jsonl", withoutThird) },
                expect: .refused(file: "journal.jsonl", position: "line 3", quarantined: true)))
        let withoutFirst = lines[1...].flatMap { Array(journal[$0]) }
        variants.append(
            Variant(
                name: "journal starting after the snapshot (event 1 missing)", file: dir.journal,
                mutate: { overwrite($0 + "/journal.jsonl", withoutFirst) },
                expect: .refused(file: "journal.jsonl", position: "line 1", quarantined: true)))
        let doubled = lines[0...2].flatMap { Array(journal[$0]) } + lines[2...].flatMap { Array(journal[$0]) }
        variants.append(
            Variant(
                name: "journal with event 3 written twice", file: dir.journal,
                mutate: { overwrite($0 + "/journal.jsonl", doubled) },
                expect: .refused(file: "journal.jsonl", position: "line 4", quarantined: true)))
        variants.append(
            Variant(
                name: "journal without its snapshot", file: dir.journal,
                mutate: { try? FileManager.default.removeItem(atPath: $0 + "/snapshot.json") },
                expect: .refused(file: "journal.jsonl", position: "byte 0", quarantined: true)))
        variants.append(
            Variant(
                name: "snapshot cut in half", file: dir.snapshot,
                mutate: { overwrite($0 + "/snapshot.json", Array(snapshot.prefix(snapshot.count / 2))) },
                expect: .refused(file: "snapshot.json", position: "byte", quarantined: true)))

        var refused = 0
        var quarantined = 0
        var tooNew = 0
        var tolerated = 0
        var accepted = 0
        var failures: [String] = []
        for (index, variant) in variants.enumerated() {
            let store = dir.path + "/v\(index)"
            try StoreTree.copy(dir.store, to: store)
            variant.mutate(store)
            let file = store + "/" + (variant.file as NSString).lastPathComponent
            let damaged = FileManager.default.contents(atPath: file).map { [UInt8]($0) }
            let before = StoreTree.digests(store)
            let read = try dir.orderdesk(["run", "-", "--store", store], stdin: "log --limit 1000 --json\n", timeout: 60)
            let afterRead = StoreTree.digests(store)
            let write = try dir.orderdesk(["run", "-", "--store", store], stdin: "feedback #1003 --rating 5 matrix-write\n", timeout: 60)
            let afterWrite = StoreTree.digests(store)
            let copies = ((try? FileManager.default.contentsOfDirectory(atPath: store + "/quarantine")) ?? [])
                .filter { !$0.contains(".tmp.") }.map { store + "/quarantine/" + $0 }
            var problems: [String] = []
            func check(_ condition: Bool, _ what: String) { if !condition { problems.append(what) } }
            var expectation = variant.expect
            if case .harmless(let events, let line) = expectation {
                expectation =
                    read.exitCode == 3
                    ? .refused(file: "journal.jsonl", position: "line \(line)", quarantined: true) : .accepted(events: events)
            }
            switch expectation {
            case .harmless:
                break
            case .refused(let name, let position, let quarantine):
                refused += 1
                check(read.exitCode == 3 && write.exitCode == 3, "exit codes \(read.exitCode)/\(write.exitCode), want 3/3")
                check(read.stderr.contains(name) && write.stderr.contains(name), "the message does not name \(name): \(write.stderr)")
                if let position {
                    check(write.stderr.contains(position), "the message does not say \(position): \(write.stderr)")
                } else if quarantine {
                    check(
                        write.stderr.range(of: #"(byte \d+|line \d+|field [a-z_\[\]0-9.]+)"#, options: .regularExpression) != nil,
                        "no position in: \(write.stderr)")
                } else {
                    check(write.stderr.contains("version"), "a newer store should say which version: \(write.stderr)")
                }
                check(afterRead == before && afterWrite == before, "files changed")
                if quarantine {
                    quarantined += 1
                    check(copies.count == 1, "\(copies.count) quarantine copies")
                    check(
                        copies.first.flatMap { FileManager.default.contents(atPath: $0) }.map { [UInt8]($0) } == damaged,
                        "the quarantine copy differs")
                } else {
                    tooNew += 1
                    check(copies.isEmpty, "a newer store was quarantined")
                }
            case .tolerated, .accepted:
                let (events, isTorn, quarantine): (Int, Bool, Bool)
                switch expectation {
                case .tolerated(let n, let q): (events, isTorn, quarantine) = (n, true, q)
                case .accepted(let n): (events, isTorn, quarantine) = (n, false, false)
                case .refused, .harmless: (events, isTorn, quarantine) = (0, false, false)
                }
                if isTorn { tolerated += 1 } else { accepted += 1 }
                let seqs = ((try? JSONSerialization.jsonObject(with: Data(read.stdout.utf8))) as? [[String: Any]])?.compactMap {
                    $0["seq"] as? Int
                }
                check(read.exitCode == 0, "read exit \(read.exitCode): \(read.stderr)")
                check(seqs.map(Set.init) == Set(1..<(events + 1)), "read sees events \(String(describing: seqs)), want 1…\(events)")
                check(afterRead == before, "the read changed files")
                check(write.exitCode == 0, "write exit \(write.exitCode): \(write.stderr)")
                let after = FileManager.default.contents(atPath: store + "/journal.jsonl").map { [UInt8]($0) } ?? []
                // The lines as the variant left them: a harmless case-only change stays in place.
                let source = variant.file == dir.journal ? (damaged ?? journal) : journal
                let kept = lines.prefix(events).flatMap { Array(source[$0]) }
                check(Array(after.prefix(kept.count)) == kept, "earlier events not intact")
                let rest = after.dropFirst(kept.count)
                check(
                    rest.last == 0x0A && rest.filter { $0 == 0x0A }.count == 1
                        && String(decoding: rest, as: UTF8.self).contains("\"seq\":\(events + 1),"),
                    "the new event is not the only line after them")
                if isTorn && quarantine {
                    check(
                        copies.count == 1
                            && copies.first.flatMap { FileManager.default.contents(atPath: $0) }.map { [UInt8]($0) } == damaged,
                        "a complete torn line must be kept in quarantine before it is cut")
                } else {
                    check(copies.isEmpty, "quarantined \(copies)")
                }
                check(try Self.verify(dir, store: store).exitCode == 0, "verify after the write")
            }
            if !problems.isEmpty {
                failures.append("\(variant.name) [\(variant.expect)]: " + problems.joined(separator: "; "))
            }
            try? FileManager.default.removeItem(atPath: store)
        }
        #expect(failures.isEmpty, "\(failures.count) of \(variants.count) variants failed:\n\(failures.joined(separator: "\n"))")
        Torture.figure(
            "4 corruption matrix",
            "variants: \(variants.count) (snapshot flips \(snapshotPositions.count), journal flips \(journalPositions.count), "
                + "cuts of the last line \(cuts.count), whole-file and sequence damage \(variants.count - snapshotPositions.count - journalPositions.count - cuts.count)); "
                + "refused \(refused) (quarantined \(quarantined), too new \(tooNew)), tolerated as torn tails \(tolerated), "
                + "accepted \(accepted); each with a read and a write: \(2 * variants.count) runs; failed \(failures.count), seed \(seed)")
    }

    /// The offset of `needle` in `bytes`.
    static func find(_ needle: [UInt8], in bytes: [UInt8]) -> Int? {
        guard needle.count <= bytes.count else { return nil }
        for i in 0...(bytes.count - needle.count) where bytes[i] == needle[0] && Array(bytes[i..<(i + needle.count)]) == needle {
            return i
        }
        return nil
    }

    /// Recomputes the snapshot checksum after an edit, as a newer OrderDesk would write the file:
    /// the document, then 32 spaces and tabs for its CRC-32, then a newline.
    static func reseal(_ bytes: [UInt8]) -> [UInt8] {
        var document = bytes
        let n = document.count
        if n > 34, document[n - 1] == 0x0A, document[n - 34] == 0x0A,
            document[(n - 33)..<(n - 1)].allSatisfy({ $0 == 0x20 || $0 == 0x09 })
        {
            document.removeLast(33)
        }
        let crc = crc32(document)
        for bit in (0..<32).reversed() { document.append((crc >> UInt32(bit)) & 1 == 1 ? 0x09 : 0x20) }
        document.append(0x0A)
        return document
    }

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = (crc & 1) != 0 ? (0xEDB8_8320 ^ (crc >> 1)) : (crc >> 1) }
        }
        return ~crc
    }

    // MARK: 5. Disk full, file too large

    /// Feeds changes one at a time to a writer whose writes start failing; returns the tokens
    /// acknowledged, the tokens refused, the first error and the writer's exit code.
    static func fillUntilFailure(
        _ executable: String, _ arguments: [String], environment: [String: String], scratch: String, text: Int,
        limit: Int = 400
    ) throws -> (acknowledged: [String], refused: [String], error: String?, code: Int32, stderr: String) {
        let errors = scratch + "/fill-\(UUID().uuidString).stderr"
        let child = try PipedChild(executable, arguments, environment: environment, stderr: errors)
        var acknowledged: [String] = []
        var refused: [String] = []
        var firstError: String?
        var failuresAfter = 0
        let padding = String(repeating: "x", count: text)
        for n in 0..<limit {
            let token = "fill-\(n)-\(padding)"
            guard child.send("feedback #100\(1 + n % 5) --rating 3 \(token)"), let reply = child.readLine(timeout: 60),
                let object = (try? JSONSerialization.jsonObject(with: Data(reply.utf8))) as? [String: Any]
            else { break }
            if object["ok"] as? Bool == true {
                acknowledged.append(token)
            } else {
                refused.append(token)
                firstError = firstError ?? (object["error"] as? String)
                failuresAfter += 1
                if failuresAfter >= 3 { break }
            }
        }
        child.closeInput()
        while child.readLine(timeout: 30) != nil {}
        let code = child.wait()
        let stderr = FileManager.default.contents(atPath: errors).map { String(decoding: $0, as: UTF8.self) } ?? ""
        return (acknowledged, refused, firstError, code, stderr)
    }

    /// After writes failed: the store loads with every acknowledged change once and none of the
    /// refused ones, `verify` is clean, and the next start leaves no temp files.
    @discardableResult
    static func expectIntactAfterFailedWrites(
        _ dir: ProgramScratch, store: String, acknowledged: [String], refused: [String], label: String
    ) throws -> Int {
        let events = StoreEvents(store: store)
        let counts = events.tokenCounts
        #expect(acknowledged.allSatisfy { counts[$0] == 1 }, "\(label): acknowledged changes missing or doubled")
        #expect(refused.allSatisfy { counts[$0] == nil }, "\(label): a refused change is in the store")
        #expect(events.gapless && events.problems.isEmpty, "\(label): \(events.problems)")
        let feedback = (try Self.query(dir, "feedback list --limit 1000000 --json", store: store) as? [Any])?.count
        #expect(feedback == acknowledged.count, "\(label): the store loads with every acknowledged change")
        #expect(try Self.verify(dir, store: store).exitCode == 0, "\(label): verify")
        return acknowledged.filter { counts[$0] != 1 }.count
    }

    /// Writes fail with EFBIG (`prlimit --fsize`, the program must not die of SIGXFSZ) and, as
    /// root, with ENOSPC on a small tmpfs. Compaction is made to run (and fail) on the way.
    @Test func fullDisksAndFileSizeLimitsRefuseChangesAndLoseNothing() throws {
        guard let binary = ProgramRunner.binary() else { return }
        var figures: [String] = []

        // EFBIG: every file the writer touches is limited to 48 KiB; the snapshot is bigger, so
        // the compaction the threshold asks for fails too.
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/prlimit") {
            let dir = try ProgramScratch("efbig")
            defer { dir.remove() }
            try TortureStore.create(at: dir.store, orders: 120)
            let limit = 48 * 1024
            let snapshotBefore = dir.bytes(dir.snapshot)
            let snapshotSize = snapshotBefore.count
            #expect(snapshotSize > limit, "the snapshot (\(snapshotSize) bytes) should not fit under the limit")
            let fill = try Self.fillUntilFailure(
                "/usr/bin/prlimit", ["--fsize=\(limit)", "--", binary, "run", "-", "--json", "--keep-going", "--store", dir.store],
                environment: ProgramRunner.environment(home: dir.home, extra: [Self.compactionHook: "20000"]), scratch: dir.path,
                text: 300)
            #expect(fill.code != 128 + SIGXFSZ, "the program died of SIGXFSZ instead of reporting EFBIG: \(fill.stderr)")
            // A store that cannot be written is unusable for the rest of the batch: exit 3, stop.
            #expect(fill.code == 3, "exit \(fill.code): \(fill.stderr)")
            #expect(
                !fill.acknowledged.isEmpty && !fill.refused.isEmpty,
                "acknowledged \(fill.acknowledged.count), refused \(fill.refused.count)")
            #expect(fill.error?.contains("File too large") == true, "\(String(describing: fill.error))")
            // The compaction the threshold asked for got as far as archiving the journal (a link,
            // no data written) and failed on the snapshot; the snapshot is the one from before.
            #expect(FileManager.default.fileExists(atPath: dir.store + "/archive"), "no compaction was attempted")
            #expect(dir.bytes(dir.snapshot) == snapshotBefore, "the snapshot changed under the limit")
            #expect(dir.bytes(dir.journal).count <= limit)
            let lost = try Self.expectIntactAfterFailedWrites(
                dir, store: dir.store, acknowledged: fill.acknowledged, refused: fill.refused, label: "EFBIG")
            let next = try Self.batch(dir, ["feedback #1001 --rating 5 after-efbig"])
            #expect(Self.replies(next).first?.ok == true, "\(next)")
            #expect(StoreTree.temporaries(dir.store).isEmpty, "temp files after the next start: \(StoreTree.temporaries(dir.store))")
            figures.append(
                "EFBIG (fsize \(limit)): acknowledged \(fill.acknowledged.count), refused \(fill.refused.count) (\(fill.error ?? "-")), exit \(fill.code), lost \(lost)"
            )
        } else {
            figures.append("EFBIG skipped: /usr/bin/prlimit is not installed")
        }

        // ENOSPC: a 192 KiB tmpfs (root only).
        let dir = try ProgramScratch("enospc")
        defer { dir.remove() }
        let mountPoint = dir.path + "/small"
        try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
        var mounted = false
        var reason = "not root"
        if getuid() == 0 {
            let mount = try Self.runPiped(
                "/bin/mount", ["-t", "tmpfs", "-o", "size=196608,mode=0755", "tmpfs", mountPoint],
                environment: ["PATH": "/usr/sbin:/usr/bin:/sbin:/bin"], lines: [], scratch: dir.path)
            mounted = mount.code == 0
            reason = "mount -t tmpfs failed: \(mount.stderr.trimmingCharacters(in: .whitespacesAndNewlines))"
        }
        if mounted {
            defer { _ = try? Self.runPiped("/bin/umount", [mountPoint], environment: [:], lines: [], scratch: dir.path) }
            let store = mountPoint + "/store"
            try TortureStore.create(at: store, orders: 40)
            let fill = try Self.fillUntilFailure(
                binary, ["run", "-", "--json", "--keep-going", "--store", store],
                environment: ProgramRunner.environment(home: dir.home, extra: [Self.compactionHook: "40000"]), scratch: dir.path,
                text: 900)
            #expect(fill.code == 3, "exit \(fill.code): \(fill.stderr)")
            #expect(
                !fill.acknowledged.isEmpty && !fill.refused.isEmpty,
                "acknowledged \(fill.acknowledged.count), refused \(fill.refused.count)")
            #expect(fill.error?.contains("No space left on device") == true, "\(String(describing: fill.error))")
            let lost = try Self.expectIntactAfterFailedWrites(
                dir, store: store, acknowledged: fill.acknowledged, refused: fill.refused, label: "ENOSPC")
            // Room again (the archive of compacted journals goes): the next start cleans up and writes.
            try? FileManager.default.removeItem(atPath: store + "/archive")
            let next = try Self.batch(dir, ["feedback #1001 --rating 5 after-enospc"], store: store)
            #expect(Self.replies(next).first?.ok == true, "\(next)")
            #expect(StoreTree.temporaries(store).isEmpty, "temp files after the next start: \(StoreTree.temporaries(store))")
            figures.append(
                "ENOSPC (tmpfs 192 KiB): acknowledged \(fill.acknowledged.count), refused \(fill.refused.count) (\(fill.error ?? "-")), exit \(fill.code), lost \(lost)"
            )
        } else {
            figures.append("ENOSPC skipped: \(reason)")
        }
        Torture.figure("5 disk full", figures.joined(separator: "; "))
    }

    // MARK: 6. A read-only store

    /// The store belongs to another user, or cannot be written: reads work, writes fail with a
    /// clear error naming the file, and nothing changes. As root the commands run as `nobody`
    /// (setpriv); a read-only bind mount (EROFS) is tried too.
    @Test func aReadOnlyStoreServesReadsAndRefusesWrites() throws {
        guard let binary = ProgramRunner.binary() else { return }
        let dir = try ProgramScratch("read-only")
        defer { dir.remove() }
        try TortureStore.create(at: dir.store, orders: 5)
        let setup = try Self.batch(dir, ["feedback #1001 --rating 4 before", "notify #1002 hello"])
        let setupOK = Self.replies(setup).allSatisfy { $0.ok }
        #expect(setupOK)
        var figures: [String] = []

        var prefix: [String] = []
        var skipped: String?
        if getuid() == 0 {
            if FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") {
                prefix = ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"]
                _ = chown(dir.store, 65534, 65534)
                for name in (try? FileManager.default.contentsOfDirectory(atPath: dir.store)) ?? [] {
                    _ = chown(dir.store + "/" + name, 65534, 65534)
                    _ = chmod(dir.store + "/" + name, 0o400)
                }
                _ = chmod(dir.path, 0o755)
                _ = chmod(dir.home, 0o755)
            } else {
                skipped = "running as root and /usr/bin/setpriv is missing, so there is no other user to be"
            }
        } else {
            for name in (try? FileManager.default.contentsOfDirectory(atPath: dir.store)) ?? [] {
                _ = chmod(dir.store + "/" + name, 0o400)
            }
        }
        _ = chmod(dir.store, 0o500)
        defer { _ = chmod(dir.store, 0o700) }

        if let skipped {
            figures.append("as another user: skipped (\(skipped))")
        } else {
            let environment = ProgramRunner.environment(home: dir.home)
            let executable = prefix.first ?? binary
            let arguments = Array(prefix.dropFirst()) + (prefix.isEmpty ? [] : [binary])
            let before = StoreTree.digests(dir.store)
            let read = try Self.runPiped(
                executable, arguments + ["run", "-", "--store", dir.store], environment: environment,
                lines: ["orders --limit 100 --json", "feedback list --json"], scratch: dir.path)
            let orders = read.stdout.first.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) } as? [Any]
            #expect(read.code == 0 && orders?.count == 5, "reads must work: \(read)")
            let write = try Self.runPiped(
                executable, arguments + ["run", "-", "--store", dir.store], environment: environment,
                lines: ["feedback #1001 --rating 5 denied"], scratch: dir.path)
            #expect(write.code == 3, "a store that cannot be written is unusable for changes: exit 3: \(write)")
            #expect(
                write.stderr.contains("Permission denied") && write.stderr.contains(dir.journal),
                "a clear error naming the journal: \(write.stderr)")
            #expect(write.stderr.contains("nothing was changed"), "\(write.stderr)")
            let verify = try Self.runPiped(
                executable, arguments + ["store", "verify", "--store", dir.store], environment: environment, lines: [],
                scratch: dir.path)
            #expect(verify.code == 0, "verify reads a read-only store: \(verify)")
            #expect(StoreTree.digests(dir.store) == before, "nothing changed")
            figures.append(
                "as \(prefix.isEmpty ? "uid \(getuid())" : "nobody") on a 0500/0400 store: read exit \(read.code) (\(orders?.count ?? 0) orders), "
                    + "write exit \(write.code) (\(write.stderr.split(separator: "\n").first ?? "")), verify exit \(verify.code)")
        }

        // EROFS: a read-only bind mount (root only).
        if getuid() == 0 {
            _ = chmod(dir.store, 0o700)
            let view = dir.path + "/ro-view"
            try FileManager.default.createDirectory(atPath: view, withIntermediateDirectories: true)
            let bind = try Self.runPiped(
                "/bin/mount", ["--bind", "-o", "ro", dir.store, view], environment: [:], lines: [], scratch: dir.path)
            var usable = bind.code == 0
            if usable {
                // Older mounts ignore ro on the first bind: make sure.
                _ = try Self.runPiped("/bin/mount", ["-o", "remount,bind,ro", view], environment: [:], lines: [], scratch: dir.path)
                usable = access(view, W_OK) != 0 || errno == EROFS
            }
            if usable {
                defer { _ = try? Self.runPiped("/bin/umount", [view], environment: [:], lines: [], scratch: dir.path) }
                let read = try Self.batch(dir, ["orders --limit 100"], store: view)
                let write = try dir.orderdesk(["run", "-", "--store", view], stdin: "feedback #1001 --rating 5 erofs\n")
                #expect(read.exitCode == 0, "\(read)")
                #expect(write.exitCode == 3 && write.stderr.contains("Read-only file system"), "\(write)")
                figures.append(
                    "read-only bind mount (EROFS): read exit \(read.exitCode), write exit \(write.exitCode) (\(write.stderr.split(separator: "\n").first ?? ""))"
                )
            } else {
                figures.append("EROFS skipped: mount --bind -o ro failed: \(bind.stderr.trimmingCharacters(in: .whitespacesAndNewlines))")
            }
        }
        Torture.figure("6 read-only store", figures.joined(separator: "; "))
    }
}

// MARK: - The crash writer

/// How many changes all writers have had acknowledged.
final class AckCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    var value: Int { lock.withLock { count } }
    func add() { lock.withLock { count += 1 } }
}

/// One writer of the crash proof: an `orderdesk run - --json --keep-going` fed one change at a
/// time, restarted whenever the harness kills it.
final class CrashWriter: @unchecked Sendable {
    struct Change {
        var line: String
        var token: String
        var kind: String
    }

    let index: Int
    let orders: [Int]
    let target: Int
    let binary: String
    let store: String
    let environment: [String: String]
    let ackFile: String
    let stderrFile: String
    let counter: AckCounter
    private var random: TortureRandom

    private let lock = NSLock()
    private var child: PipedChild?
    private var pending: String?
    private var killRequested = false
    private var finished = false

    private(set) var acknowledged = 0
    private(set) var refused = 0
    private(set) var refusals: [String] = []
    private(set) var inDoubt: [String] = []
    private(set) var failures: [String] = []
    private(set) var starts = 0

    private var attempt = 0
    private var nextFresh = 0
    private var cancelled: [Int] = []
    private var refunds: [Int: Int] = [:]
    private var restocked: Set<Int> = []

    init(
        index: Int, orders: [Int], target: Int, binary: String, store: String, environment: [String: String],
        scratch: String, seed: UInt64, counter: AckCounter
    ) {
        self.index = index
        self.orders = orders
        self.target = target
        self.binary = binary
        self.store = store
        self.environment = environment
        self.ackFile = scratch + "/acknowledged-\(index).txt"
        self.stderrFile = scratch + "/writer-\(index).stderr"
        self.counter = counter
        self.random = TortureRandom(seed: seed)
    }

    /// Kills the running child; nil when there is none, else whether a command was in flight.
    func kill() -> Bool? {
        lock.withLock {
            guard let child, !finished, !killRequested else { return nil }
            killRequested = true
            child.signal(SIGKILL)
            return pending != nil
        }
    }

    /// After the run: no child is left behind.
    func stop() {
        lock.withLock {
            finished = true
            child?.signal(SIGKILL)
        }
    }

    func run() {
        while acknowledged < target && failures.isEmpty {
            let current: PipedChild
            if let running = lock.withLock({ child }) {
                current = running
            } else {
                do {
                    let started = try PipedChild(
                        binary, ["run", "-", "--json", "--keep-going", "--store", store], environment: environment,
                        stderr: stderrFile)
                    lock.withLock { child = started }
                    starts += 1
                    current = started
                } catch {
                    failures.append("cannot start: \(error)")
                    return
                }
            }
            let change = next()
            lock.withLock { pending = change.token }
            let reply = current.send(change.line) ? current.readLine(timeout: 120) : nil
            guard let reply else {
                ended(current, inFlight: change)
                continue
            }
            lock.withLock { pending = nil }
            guard let object = (try? JSONSerialization.jsonObject(with: Data(reply.utf8))) as? [String: Any],
                let ok = object["ok"] as? Bool
            else {
                failures.append("not a reply to \(change.line): \(reply)")
                return
            }
            if ok {
                acknowledge(change)
            } else {
                refused += 1
                if refusals.count < 4 { refusals.append("\(change.line) -> \(object["error"] as? String ?? "?")") }
            }
        }
        // The killer may have struck after the last reply and before this: that kill is the
        // harness's, not a failure of the program (seen once in a short run).
        let (last, killedAtEnd) = lock.withLock { () -> (PipedChild?, Bool) in
            finished = true
            return (child, killRequested)
        }
        if let last {
            last.closeInput()
            while last.readLine(timeout: 60) != nil {}
            let code = last.wait(timeout: 60)
            if code != 0 && code != 1 && !(killedAtEnd && code == 128 + SIGKILL) {
                failures.append("the last run ended with exit \(code)")
            }
        }
    }

    /// The child is gone: killed by the harness (the change in flight is in doubt) or not.
    private func ended(_ gone: PipedChild, inFlight change: Change) {
        let code = gone.wait(timeout: 60)
        let killed = lock.withLock { () -> Bool in
            let killed = killRequested
            killRequested = false
            pending = nil
            child = nil
            return killed
        }
        if killed && code == 128 + SIGKILL {
            inDoubt.append(change.token)
        } else {
            let errors = FileManager.default.contents(atPath: stderrFile).map { String(decoding: $0, as: UTF8.self) } ?? ""
            failures.append("writer \(index) ended by itself with exit \(code) during \(change.line); stderr: \(errors.suffix(800))")
        }
    }

    /// Records an acknowledged change in the side file, only now that its reply said ok.
    private func acknowledge(_ change: Change) {
        let fd = open(ackFile, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        if fd >= 0 {
            let bytes = Array("\(change.token)\t\(change.kind)\n".utf8)
            _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            close(fd)
        }
        acknowledged += 1
        counter.add()
    }

    /// The next change: a cancel, a refund, a restock, feedback or a message, each carrying a
    /// token that appears in its event (a restock's token is its order: one per order).
    private func next() -> Change {
        attempt += 1
        let token = "w\(index)-\(attempt)"
        let any = orders[Int.random(in: 0..<orders.count, using: &random)]
        switch attempt % 5 {
        case 0 where nextFresh < orders.count:
            let order = orders[nextFresh]
            nextFresh += 1
            cancelled.append(order)
            return Change(
                line: "cancel #\(order) --reason customer --refund later --no-restock --no-notify --note \(token)", token: token,
                kind: "cancel")
        case 1:
            let candidates = cancelled.filter { refunds[$0, default: 0] < 20 }
            if let order = candidates.randomElement(using: &random) {
                refunds[order, default: 0] += 1
                return Change(line: "refund #\(order) 1.00 --no-notify --note \(token)", token: token, kind: "refund")
            }
        case 2:
            if let order = cancelled.filter({ !restocked.contains($0) }).randomElement(using: &random) {
                restocked.insert(order)
                return Change(line: "restock #\(order) --all", token: "restock #\(order)", kind: "restock")
            }
        case 4:
            return Change(line: "notify #\(any) \(token)", token: token, kind: "notify")
        default:
            break
        }
        return Change(line: "feedback #\(any) --rating \(1 + attempt % 5) \(token)", token: token, kind: "feedback")
    }
}

// MARK: - Support

/// Scale and reporting for the torture proofs (`CrashTests`).
///
/// The normal suite runs a short version of each proof. `scripts/torture` runs the same code with
/// `ORDERDESK_TORTURE=long` (and usually `ORDERDESK_BINARY` pointing at a release build), which
/// switches to the figures the issue asks for: 4 writers × 1,000 changes with 200 kills, and so on.
enum Torture {
    /// Whether this is the long run (`ORDERDESK_TORTURE=long`).
    static let long = ProcessInfo.processInfo.environment["ORDERDESK_TORTURE"] == "long"

    /// The short or the long figure; `ORDERDESK_TORTURE_<NAME>` overrides either.
    static func scale(_ name: String, short: Int, long: Int) -> Int {
        if let text = ProcessInfo.processInfo.environment["ORDERDESK_TORTURE_" + name.uppercased()], let n = Int(text) {
            return n
        }
        return Self.long ? long : short
    }

    /// Prints a proof's figure (every torture test prints one), on stdout and into
    /// `$ORDERDESK_TORTURE_FIGURES` when it is set (scripts/torture collects them there).
    static func figure(_ proof: String, _ text: String) {
        let line = "[torture] \(proof): \(text)"
        print(line)
        if let path = ProcessInfo.processInfo.environment["ORDERDESK_TORTURE_FIGURES"] {
            let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
            if fd >= 0 {
                let bytes = Array((line + "\n").utf8)
                _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
                close(fd)
            }
        }
    }

    /// A seeded generator, so that a failing run can be repeated (`ORDERDESK_TORTURE_SEED`).
    static func seed() -> UInt64 {
        if let text = ProcessInfo.processInfo.environment["ORDERDESK_TORTURE_SEED"], let n = UInt64(text) { return n }
        return UInt64(time(nil))
    }
}

/// Crash writers run under the killer (the file store's and the server's torture): each writer
/// on its own thread, and one `SIGKILL` per `every` acknowledged changes, at a random moment up
/// to `pause` µs later, `kills` times; then the writers are waited for (they must finish, with
/// no failure) and what their side files say was acknowledged is read.
struct KilledRun {
    var killed = 0
    /// Kills that hit a command being answered.
    var midCommand = 0
    var seconds = 0.0
    /// The changes acknowledged, by their marks.
    var acknowledged: [String] = []
    /// The changes sent whose answer never came.
    var inDoubt: Set<String> = []

    init(_ crew: [CrashWriter], counter: AckCounter, kills: Int, every: Int, seed: UInt64, pause: UInt32) {
        let started = Date()
        let group = DispatchGroup()
        for writer in crew {
            group.enter()
            Thread {
                writer.run()
                group.leave()
            }.start()
        }
        var random = TortureRandom(seed: seed ^ 0x5EED)
        var next = every
        while killed < kills, group.wait(timeout: .now()) == .timedOut {
            if counter.value < next {
                usleep(200)
                continue
            }
            usleep(UInt32.random(in: 0..<pause, using: &random))
            if let inFlight = crew[Int.random(in: 0..<crew.count, using: &random)].kill() {
                killed += 1
                if inFlight { midCommand += 1 }
                next += every
            }
        }
        let finished = group.wait(timeout: .now() + (Torture.long ? 900 : 240)) == .success
        #expect(finished, "the writers did not finish")
        for writer in crew { writer.stop() }
        seconds = Date().timeIntervalSince(started)
        for writer in crew {
            #expect(writer.failures.isEmpty, "writer \(writer.index): \(writer.failures)")
            let text = (FileManager.default.contents(atPath: writer.ackFile)).map { String(decoding: $0, as: UTF8.self) } ?? ""
            acknowledged += text.split(separator: "\n").map { String($0.split(separator: "\t")[0]) }
        }
        inDoubt = Set(crew.flatMap(\.inDoubt))
    }
}

/// SplitMix64: small, fast, reproducible.
struct TortureRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A store made for the proofs: `count` open, paid, unfulfilled EUR orders `#1001...`, each with
/// 2 × SKU-A at 10.00 and 1 × SKU-B at 5.00 (25.00 paid), and no stock of either.
enum TortureStore {
    static let paid = Money("25.00")!

    static func make(orders count: Int) -> StoreState {
        let placed = Timestamp(iso8601: "2026-11-01T09:00:00Z")!
        var orders: [Order] = []
        var nextID: Int64 = 900_000
        for i in 0..<count {
            let number = 1001 + i
            let id = Int64(i)
            var order = Order(
                id: 100_000 + id, orderNumber: number, email: "buyer\(number)@example.com",
                createdAt: placed.adding(seconds: Int64(i) * 60), currency: "EUR",
                customer: Customer(id: 200_000 + id, email: "buyer\(number)@example.com", firstName: "Buyer", lastName: "\(number)"),
                lineItems: [
                    LineItem(id: 300_000 + 2 * id, sku: "SKU-A", title: "Thing A", quantity: 2, price: Money("10.00")!),
                    LineItem(id: 300_001 + 2 * id, sku: "SKU-B", title: "Thing B", quantity: 1, price: Money("5.00")!),
                ])
            order.openLedger(.paid, nextID: &nextID)
            order.timeline = [TimelineEntry(at: order.createdAt, agent: nil, seq: nil, message: "Order placed")]
            orders.append(order)
        }
        return StoreState(seq: 0, orders: orders, inventory: ["SKU-A": 0, "SKU-B": 0], settings: Settings())
    }

    static func create(at path: String, orders count: Int) throws {
        _ = try FileStore.create(at: path, state: make(orders: count))
    }
}

/// A child process with its stdin and stdout on pipes: fed a line, read a line.
///
/// Spawned with `posix_spawn`, every descriptor of ours close-on-exec (so sibling children never
/// hold each other's pipes), SIGPIPE and SIGXFSZ reset to their defaults in the child (the test
/// process ignores SIGPIPE; the program must arrange for SIGXFSZ itself), stderr to a file.
final class PipedChild: @unchecked Sendable {
    let pid: pid_t
    private var input: Int32
    private let output: Int32
    private var buffer: [UInt8] = []
    private let lock = NSLock()
    private var reaped = false
    private var status: Int32 = 0

    private static let ignoreBrokenPipes: Void = { _ = Glibc.signal(SIGPIPE, SIG_IGN) }()

    struct SpawnError: Error, CustomStringConvertible { var description: String }

    /// Starts `executable` with `arguments` (argv[0] is added) and exactly `environment`.
    init(_ executable: String, _ arguments: [String], environment: [String: String], stderr path: String) throws {
        Self.ignoreBrokenPipes
        var toChild: [Int32] = [-1, -1]
        var fromChild: [Int32] = [-1, -1]
        guard orderdeskPipe2(&toChild, O_CLOEXEC) == 0, orderdeskPipe2(&fromChild, O_CLOEXEC) == 0 else {
            throw SpawnError(description: "pipe2: \(String(cString: strerror(errno)))")
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, toChild[0], 0)
        posix_spawn_file_actions_adddup2(&actions, fromChild[1], 1)
        posix_spawn_file_actions_addopen(&actions, 2, path, O_WRONLY | O_CREAT | O_APPEND, 0o600)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGPIPE)
        sigaddset(&defaults, SIGXFSZ)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigmask(&attributes, &mask)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv + envp { free(pointer) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        close(toChild[0])
        close(fromChild[1])
        guard result == 0 else {
            close(toChild[1])
            close(fromChild[0])
            throw SpawnError(description: "posix_spawn \(executable): \(String(cString: strerror(result)))")
        }
        self.pid = pid
        self.input = toChild[1]
        self.output = fromChild[0]
    }

    deinit {
        if input >= 0 { close(input) }
        close(output)
        if !reaped {
            Glibc.kill(pid, SIGKILL)
            var status: Int32 = 0
            _ = waitpid(pid, &status, 0)
        }
    }

    /// Writes a line (a newline is added); false when the child is gone.
    @discardableResult
    func send(_ line: String) -> Bool {
        let bytes = Array((line + "\n").utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { write(input, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += n
        }
        return true
    }

    /// Closes the child's stdin (end of input).
    func closeInput() {
        if input >= 0 {
            close(input)
            input = -1
        }
    }

    /// The next line of stdout without its newline; nil at end of output or after `timeout` seconds.
    func readLine(timeout: Double) -> String? {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if let newline = buffer.firstIndex(of: 0x0A) {
                let line = String(decoding: buffer[..<newline], as: UTF8.self)
                buffer.removeSubrange(...newline)
                return line
            }
            let left = deadline.timeIntervalSinceNow
            if left <= 0 { return nil }
            var poller = pollfd(fd: output, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, Int32(min(left, 1) * 1000) + 1)
            if ready < 0 && errno != EINTR { return nil }
            if ready <= 0 { continue }
            var chunk = [UInt8](repeating: 0, count: 65_536)
            let n = chunk.withUnsafeMutableBytes { read(output, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                return nil
            }
            if n == 0 { return nil }
            buffer += chunk[0..<n]
        }
    }

    /// Sends a signal unless the child has been reaped (so a reused pid is never hit).
    func signal(_ number: Int32) {
        lock.lock()
        defer { lock.unlock() }
        if !reaped { Glibc.kill(pid, number) }
    }

    /// Waits for the child (SIGKILL after `timeout`); the exit code, or 128 + the signal.
    @discardableResult
    func wait(timeout: Double = 30) -> Int32 {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            lock.lock()
            if reaped {
                lock.unlock()
                return Self.code(status)
            }
            var raw: Int32 = 0
            let result = waitpid(pid, &raw, WNOHANG)
            if result == pid {
                reaped = true
                status = raw
                lock.unlock()
                return Self.code(raw)
            }
            lock.unlock()
            if Date() > deadline { Glibc.kill(pid, SIGKILL) }
            usleep(1_000)
        }
    }

    private static func code(_ raw: Int32) -> Int32 {
        let signal = raw & 0x7F
        return signal == 0 ? (raw >> 8) & 0xFF : 128 + signal
    }
}

@_silgen_name("pipe2")
private func orderdeskPipe2(_ fds: UnsafeMutablePointer<Int32>, _ flags: Int32) -> Int32

/// The events a store holds, read straight from its files: `archive/*.jsonl`, then the journal.
struct StoreEvents {
    /// Each event's JSON object by sequence number.
    var bySeq: [Int: [String: Any]] = [:]
    /// Problems: an event in two files with different bytes, an unparsable complete line.
    var problems: [String] = []
    /// The snapshot's `seq`.
    var snapshotSeq = 0

    init(store: String) {
        let archive = store + "/archive"
        var files = ((try? FileManager.default.contentsOfDirectory(atPath: archive)) ?? [])
            .filter { $0.hasSuffix(".jsonl") && !$0.contains(".tmp.") }.sorted().map { archive + "/" + $0 }
        files.append(store + "/journal.jsonl")
        var lines: [Int: Data] = [:]
        for file in files {
            guard let data = FileManager.default.contents(atPath: file) else { continue }
            let bytes = [UInt8](data)
            var start = 0
            while let end = bytes[start...].firstIndex(of: 0x0A) {
                let line = Data(bytes[start..<end])
                start = end + 1
                guard let object = (try? JSONSerialization.jsonObject(with: line)) as? [String: Any],
                    let seq = object["seq"] as? Int
                else {
                    problems.append("\(file): a complete line that is not an event at byte \(start)")
                    continue
                }
                if let earlier = lines[seq], earlier != line {
                    problems.append("event \(seq) differs between files (\(file))")
                }
                lines[seq] = line
                bySeq[seq] = object
            }
        }
        if let data = FileManager.default.contents(atPath: store + "/snapshot.json"),
            let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
        {
            snapshotSeq = object["seq"] as? Int ?? 0
        }
    }

    var seqs: [Int] { bySeq.keys.sorted() }

    /// Whether the sequence numbers are exactly 1...last.
    var gapless: Bool { seqs.isEmpty || seqs == Array(1...seqs.count) }

    /// The token a torture change carries: the cancel's note, the refund's note, the feedback text,
    /// the message body, or `restock #ORDER` for a restock.
    static func token(of event: [String: Any]) -> String? {
        switch event["type"] as? String {
        case "order.cancelled": return event["note"] as? String
        case "order.refunded": return (event["refund"] as? [String: Any])?["note"] as? String
        case "order.restocked": return (event["order"] as? String).map { "restock " + $0 }
        case "feedback.logged": return (event["feedback"] as? [String: Any])?["text"] as? String
        case "customer.notified": return (event["notice"] as? [String: Any])?["body"] as? String
        default: return nil
        }
    }

    /// How many events carry each token.
    var tokenCounts: [String: Int] {
        var counts: [String: Int] = [:]
        for event in bySeq.values {
            if let token = Self.token(of: event) { counts[token, default: 0] += 1 }
        }
        return counts
    }

    func count(of type: String) -> Int { bySeq.values.filter { $0["type"] as? String == type }.count }
}

/// Files of a store and their digests, to show what changed.
enum StoreTree {
    /// Every regular file under `path` (relative name → size:CRC), skipping `quarantine/`.
    static func digests(_ path: String, includeQuarantine: Bool = false) -> [String: String] {
        var result: [String: String] = [:]
        for name in FileManager.default.subpaths(atPath: path) ?? [] {
            if !includeQuarantine && name.hasPrefix("quarantine") { continue }
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: path + "/" + name, isDirectory: &isDirectory)
            if isDirectory.boolValue { continue }
            if let data = FileManager.default.contents(atPath: path + "/" + name) {
                result[name] = "\(data.count):\(digest([UInt8](data)))"
            }
        }
        return result
    }

    static func digest(_ bytes: [UInt8]) -> String {
        // FNV-1a 64: a content fingerprint is all that is needed here.
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return String(hash, radix: 16)
    }

    /// Names of temporary files (`*.tmp.*`) anywhere in the store.
    static func temporaries(_ path: String) -> [String] {
        (FileManager.default.subpaths(atPath: path) ?? []).filter { $0.contains(".tmp.") }
    }

    /// Copies a store directory (files only, flat plus one level), keeping modes.
    static func copy(_ from: String, to: String) throws {
        try FileManager.default.copyItem(atPath: from, toPath: to)
    }
}
