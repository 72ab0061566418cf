import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Several `orderdesk` processes on one store at once: no lost updates, no gaps, one winner.
///
/// Each process is started with its stdin held open and released only once every process has
/// the store open (it holds `store.lock` open from then on, visible in `/proc/PID/fd`). So every
/// process loaded the same state before any of them changes anything, and each change must be
/// checked against the state on disk at commit time, not the one loaded.
@Suite(.serialized) struct ConcurrencyTests {
    /// Starts one `orderdesk` per (arguments, agent), waits until all have the store open,
    /// releases each its script, and waits for all to end.
    static func runTogether(
        _ dir: ProgramScratch, store: String, _ runs: [(arguments: [String], agent: String, script: String)]
    ) throws -> [ProgramRunner.Result] {
        let launched = try runs.map { run in
            try ProgramRunner.Launched(
                arguments: run.arguments, environment: ProgramRunner.environment(home: dir.home, agent: run.agent),
                input: .held, directory: dir.path)
        }
        let lock = store + "/store.lock"
        for process in launched {
            #expect(process.waitUntilOpen(lock, timeout: 10), "process \(process.pid) did not open the store")
        }
        for (process, run) in zip(launched, runs) { process.send(run.script) }
        return launched.map { $0.wait(timeout: 30) }
    }

    // MARK: (a) Different changes from two processes

    @Test func twoBatchesWritingAtOnceBothLand() throws {
        guard ProgramRunner.binary() != nil else { return }
        for round in 1...3 {
            let dir = try ProgramScratch("two-writers-\(round)")
            defer { dir.remove() }
            try dir.makeSampleStore()
            // Twenty changes each, on different orders: feedback, a cancel, a message.
            func script(_ tag: String, feedbackOn: String, cancel: String, notify: String) -> String {
                var lines = (1...18).map { #"feedback \#(feedbackOn) --rating \#($0 % 5 + 1) "\#(tag)-\#($0)""# }
                lines.append(cancel)
                lines.append(#"notify \#(notify) "\#(tag) done""#)
                return lines.joined(separator: "\n") + "\n"
            }
            let amy = script("A", feedbackOn: "#1004", cancel: "cancel #1001 --reason customer --refund later", notify: "#1004")
            let ben = script("B", feedbackOn: "#1008", cancel: "cancel #1002 --reason fraud", notify: "#1008")

            let results = try Self.runTogether(
                dir, store: dir.store,
                [
                    (["run", "-", "--store", dir.store], "amy", amy),
                    (["run", "-", "--store", dir.store], "ben", ben),
                ])

            for result in results {
                #expect(result.exitCode == 0, "round \(round): \(result)")
                #expect(result.stderr.contains("20 lines succeeded, 0 failed"), "round \(round): \(result)")
            }
            let events = dir.journalEvents()
            let seqs = dir.journalSeqs()
            #expect(seqs == Array(1...max(1, events.count)), "round \(round): seqs are consecutive from 1 with no gap: \(seqs)")
            #expect(events.count == 40, "round \(round): twenty events from each process")
            for (agent, tag) in [("amy", "A"), ("ben", "B")] {
                let own = events.filter { $0["agent"] as? String == agent }
                #expect(own.count == 20, "round \(round): \(agent) has \(own.count) events")
                // Each process's own changes land in the order it made them.
                let texts = own.compactMap { ($0["feedback"] as? [String: Any])?["text"] as? String }
                #expect(texts == (1...18).map { "\(tag)-\($0)" }, "round \(round): \(agent)'s feedback")
                #expect(own.compactMap { $0["type"] as? String }.suffix(2) == ["order.cancelled", "customer.notified"])
            }
            // And the state says so too.
            let feedback = try dir.query("feedback list --limit 1000 --json") as? [[String: Any]] ?? []
            let texts = Set(feedback.compactMap { $0["text"] as? String })
            #expect(texts.isSuperset(of: (1...18).flatMap { ["A-\($0)", "B-\($0)"] }), "round \(round): all 36 feedback entries")
            #expect(try dir.order("#1001").isCancelled)
            #expect(try dir.order("#1002").isCancelled)
            let verify = try dir.orderdesk(["store", "verify", "--store", dir.store])
            #expect(verify.exitCode == 0, "round \(round): \(verify)")
        }
    }

    // MARK: (b) The same order cancelled by four agents at once

    @Test func sameOrderCancelledAtOnceHasOneWinner() throws {
        guard ProgramRunner.binary() != nil else { return }
        let contenders = 4
        for round in 1...10 {
            let dir = try ProgramScratch("race-\(round)")
            defer { dir.remove() }
            try dir.makeSampleStore()
            let agents = (1...contenders).map { "agent-\(round)-\($0)" }
            // Half as `run -`, half as the stdin shell: both are batches.
            let runs = agents.enumerated().map { index, agent in
                (
                    arguments: index % 2 == 0 ? ["run", "-", "--store", dir.store] : ["--store", dir.store],
                    agent: agent, script: "cancel #1001 --reason customer --refund later\n"
                )
            }

            let results = try Self.runTogether(dir, store: dir.store, runs)

            let winners = results.indices.filter { results[$0].exitCode == 0 }
            #expect(winners.count == 1, "round \(round): exactly one cancel succeeds: \(results)")
            guard winners.count == 1, let winner = winners.first else { continue }
            let winnerAgent = agents[winner]
            for (index, result) in results.enumerated() where index != winner {
                #expect(result.exitCode == 1, "round \(round), \(agents[index]): \(result)")
                #expect(result.stderr.contains("#1001 is already cancelled"), "round \(round), \(agents[index]): \(result)")
                #expect(result.stderr.contains("by \(winnerAgent) "), "round \(round): names the winner \(winnerAgent): \(result)")
                #expect(result.stderr.contains("stdin:1: error: "), "\(result)")
            }
            let events = dir.journalEvents()
            let cancels = events.filter { $0["type"] as? String == "order.cancelled" }
            #expect(cancels.count == 1, "round \(round): one cancel event: \(events)")
            #expect(cancels.first?["agent"] as? String == winnerAgent)
            #expect(cancels.first?["order"] as? String == "#1001")
            #expect(dir.journalSeqs() == Array(1...max(1, events.count)))
            #expect(events.allSatisfy { $0["agent"] as? String == winnerAgent }, "the losers wrote nothing")
        }
    }
}
