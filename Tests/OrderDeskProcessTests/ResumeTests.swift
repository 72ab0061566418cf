import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A stopped batch resumes without doing anything twice (issue 13): each change records its
/// script line, a re-run skips what is done, and SIGTERM finishes the group being written.
@Suite struct ResumeTests {
    @Test func aSecondRunSkipsWhatTheFirstDidAndAgainRunsItAnyway() throws {
        guard ProgramRunner.binary() != nil else { return }
        let dir = try ProgramScratch("rerun")
        defer { dir.remove() }
        try dir.makeSampleStore()
        let file = try dir.script(
            "morning.txt", ["feedback #1002 --rating 4 one", "show #1002", "refund #1001 1.00", "cancel #1003 --reason customer"])

        let first = try dir.orderdesk(["run", file, "--keep-going", "--store", dir.store])
        #expect(first.exitCode == 1, "\(first)")  // #1003 is fulfilled
        #expect(dir.journalEvents().count == 2)

        let second = try dir.orderdesk(["run", file, "--keep-going", "--store", dir.store])
        #expect(second.exitCode == 1, "\(second)")  // the refused line is tried again
        #expect(second.stderr.contains("morning.txt:1: already done at "), "\(second)")
        #expect(second.stderr.contains("by alice, skipped"), "\(second)")
        #expect(second.stderr.contains("morning.txt:3: already done"), "\(second)")
        #expect(second.stderr.contains("1 line succeeded, 1 failed, 2 skipped (done before)"), "\(second)")
        #expect(dir.journalEvents().count == 2, "nothing was done twice")

        // Another agent running the same script is not skipped: the rules decide as usual.
        let bob = try dir.orderdesk(["run", file, "--keep-going", "--store", dir.store], agent: "bob")
        #expect(!bob.stderr.contains("already done"), "\(bob)")
        #expect(dir.journalEvents().count == 4)

        let again = try dir.orderdesk(["run", file, "--again", "--keep-going", "--store", dir.store])
        #expect(!again.stderr.contains("already done"), "\(again)")
        #expect(dir.journalEvents().count == 6)
        let events = dir.journalEvents()
        let batch = try #require(events.first?["batch"] as? [String: Any])
        #expect(batch["script"] as? String == file)
        #expect(batch["line"] as? Int == 1)
        #expect((batch["hash"] as? String)?.count == 16)
    }

    /// A script that sources another resumes inside the sourced one too.
    @Test func sourcedScriptsResumeToo() throws {
        guard ProgramRunner.binary() != nil else { return }
        let dir = try ProgramScratch("resume-source")
        defer { dir.remove() }
        try dir.makeSampleStore()
        _ = try dir.script("inner.txt", ["feedback #1002 --rating 4 inner-1", "feedback #1002 --rating 5 inner-2"])
        let outer = try dir.script("outer.txt", ["feedback #1002 --rating 3 outer", "source \(dir.path)/inner.txt"])
        let first = try dir.orderdesk(["run", outer, "--store", dir.store])
        #expect(first.exitCode == 0, "\(first)")
        #expect(dir.journalEvents().count == 3)
        let second = try dir.orderdesk(["run", outer, "--store", dir.store])
        #expect(second.exitCode == 0, "\(second)")
        #expect(second.stderr.contains("inner.txt:1: already done"), "\(second)")
        #expect(second.stdout.contains("inner.txt: 0 lines ran, 2 skipped (done before)"), "\(second)")
        #expect(dir.journalEvents().count == 3, "nothing was done twice")
        let again = try dir.orderdesk(["run", outer, "--again", "--store", dir.store])
        #expect(again.exitCode == 0, "\(again)")
        #expect(dir.journalEvents().count == 6)
    }

    /// Short here (1,000 lines, 5 stops); `scripts/torture` runs 10,000 lines and 20 stops.
    @Test func aBatchStoppedBySIGTERMResumesWithEveryLineAppliedOnce() throws {
        guard ProgramRunner.binary() != nil else { return }
        let lines = Torture.scale("resume_lines", short: 1_000, long: 10_000)
        let kills = Torture.scale("resume_kills", short: 5, long: 20)
        let seed = Torture.seed()
        let (runs, stopped) = try Self.proof(lines: lines, kills: kills, seed: seed)
        #expect(stopped >= 1, "no run was stopped mid-way (\(runs) runs)")
        Torture.figure(
            "8 resume",
            "\(lines)-line script, \(stopped) runs stopped by SIGTERM, \(runs) runs in all; every line applied exactly once, seed \(seed)")
    }

    /// The resume proof: a script of `lines` changes (feedback, and every tenth a refund of 0.01),
    /// killed with SIGTERM after a random number of reported lines `kills` times and run again each
    /// time, ends with every line applied exactly once. Returns the runs, and how many were stopped.
    static func proof(lines: Int, kills: Int, seed: UInt64) throws -> (runs: Int, stopped: Int) {
        let binary = try #require(ProgramRunner.binary())
        let dir = try ProgramScratch("resume")
        defer { dir.remove() }
        try dir.makeSampleStore()
        let script = (1...lines).map { i in i % 10 == 0 ? "refund #1001 0.01" : "feedback #1002 --rating 4 'line \(i)'" }
        _ = try dir.script("big.txt", script)
        let file = dir.path + "/big.txt"
        var random = TortureRandom(seed: seed)
        var runs = 0
        var stopped = 0
        while runs < kills * 3 + 2 {
            runs += 1
            let child = try PipedChild(
                binary, ["run", file, "--store", dir.store], environment: ProgramRunner.environment(home: dir.home),
                stderr: dir.path + "/stderr-\(runs).txt")
            child.closeInput()
            if stopped < kills {
                // Let some lines be reported, then stop it.
                let reported = Int.random(in: 1...max(1, lines / (kills + 1)), using: &random)
                var seen = 0
                while seen < reported, child.readLine(timeout: 20) != nil { seen += 1 }
                child.signal(SIGTERM)
            } else {
                while child.readLine(timeout: 60) != nil {}
            }
            let code = child.wait(timeout: 60)
            while child.readLine(timeout: 1) != nil {}
            let stderr = (try? String(contentsOfFile: dir.path + "/stderr-\(runs).txt", encoding: .utf8)) ?? ""
            if code == 143 {
                stopped += 1
                #expect(stderr.contains("stopped by SIGTERM: every line reported done is saved"), "\(stderr)")
                continue
            }
            #expect(code == 0, "run \(runs) ended with \(code): \(stderr)")
            break
        }
        // Every line exactly once: the feedback texts, and the number of refunds.
        let events = dir.journalEvents()
        var texts: [String: Int] = [:]
        var refunds = 0
        for event in events {
            switch event["type"] as? String {
            case "feedback.logged":
                if let text = (event["feedback"] as? [String: Any])?["text"] as? String { texts[text, default: 0] += 1 }
            case "order.refunded":
                refunds += 1
            default:
                Issue.record("unexpected event \(event)")
            }
        }
        let expected = Set((1...lines).filter { $0 % 10 != 0 }.map { "line \($0)" })
        let missing = expected.subtracting(texts.keys)
        #expect(missing.isEmpty && texts.count == expected.count, "seed \(seed): \(missing.count) lines missing, \(texts.count) applied")
        #expect(texts.values.allSatisfy { $0 == 1 }, "seed \(seed): a line applied twice")
        #expect(refunds == lines / 10, "seed \(seed): \(refunds) refunds")
        let order = try dir.query("show #1001 --json") as? [String: Any]
        let refunded = (order?["refunds"] as? [[String: Any]])?.count
        #expect(refunded == lines / 10, "seed \(seed)")
        return (runs, stopped)
    }
}
