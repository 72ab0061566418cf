import Foundation
import OrderDeskCore
import OrderDeskStore

/// Delivers notices after the change that queued them is saved: each message is piped to the
/// mail command, and what came of every attempt is committed as an event of its own
/// (`notice.sent`, `notice.deferred`, `notice.failed`), all of one delivery in one commit.
///
/// The change itself is never held up or undone by mail. A crash after the mail transfer agent
/// took a message and before `notice.sent` is saved leaves it queued: the next `outbox send`
/// sends it once more, with the same `Message-ID`.
struct Postman {
    let store: any OrderStore
    let agent: String
    let clock: () -> Timestamp
    /// Why nothing is sent from here (the demo store, a practice sandbox, a dry run), if so.
    let hold: String?
    /// How many mail commands run at once (a relay's round trips are mostly waiting).
    var parallel = 8

    /// What became of one notice, in a line for the agent.
    struct Note {
        var id: Int64
        var text: String
        var sent: Bool
    }

    /// One message ready to go: the notice, the headers it goes with, its bytes (nil when it
    /// cannot be built, with the problem), and the command.
    struct Job: Sendable {
        var notice: Notice
        var envelope: MailMessage.Envelope
        var message: [UInt8]?
        var problem: String?
        var argv: [String]
    }

    /// Sends the notices with these ids that are still waiting, and records the outcomes.
    func deliver(_ ids: [Int64]) -> [Note] {
        let (jobs, blocked) = prepare(ids)
        guard !jobs.isEmpty else { return blocked }
        return record(jobs, Self.runAll(jobs.map(\.message), argv: jobs[0].argv, parallel: parallel))
    }

    /// The messages of the notices with these ids that are still waiting; or, when nothing can
    /// be sent (held here, `mail-from` unset, a bad `mail-command`), a note for each saying why.
    func prepare(_ ids: [Int64]) -> (jobs: [Job], blocked: [Note]) {
        let state = store.state
        let settings = state.settings
        let pending = ids.compactMap { id in state.outbox.last(where: { $0.id == id && $0.isPending }) }
        guard !pending.isEmpty else { return ([], []) }
        if let blocked = Outbox.blocked(settings, hold: hold) {
            return ([], pending.map { Note(id: $0.id, text: "queued, not sent: \(blocked)", sent: false) })
        }
        let argv: [String]
        do throws(CommandWords.Problem) {
            argv = try CommandWords.split(settings.effectiveMailCommand)
        } catch {
            return ([], pending.map { Note(id: $0.id, text: "queued, not sent: mail-command: \(error.text)", sent: false) })
        }
        let jobs = pending.map { n -> Job in
            let envelope = Outbox.envelope(for: n, settings)!
            do throws(MailMessage.Problem) {
                return Job(
                    notice: n, envelope: envelope, message: Array(try MailMessage.build(n, envelope: envelope).text.utf8), problem: nil,
                    argv: argv)
            } catch {
                return Job(notice: n, envelope: envelope, message: nil, problem: error.text, argv: argv)
            }
        }
        return (jobs, [])
    }

    /// Records what came of each job (one commit for them all) and says it in a note each.
    func record(_ jobs: [Job], _ results: [MailPipe.Result?]) -> [Note] {
        let now = clock()
        var deliveries: [NoticeDelivery] = []
        for (job, result) in zip(jobs, results) {
            if let problem = job.problem {
                deliveries.append(
                    Outbox.outcome(job.notice, envelope: job.envelope, exit: nil, detail: "cannot be sent: \(problem)", now: now))
            } else if let result {
                let exit: Int32? = result.timedOut ? 75 : result.exit
                deliveries.append(Outbox.outcome(job.notice, envelope: job.envelope, exit: exit, detail: result.output, now: now))
            }
        }
        var recorded = true
        do throws(OrderDeskError) {
            _ = try store.commit(agent: agent, now: now) { current in
                deliveries.compactMap { d in
                    // Another session may have recorded this notice meanwhile: a sent one stays sent.
                    guard let n = current.outbox.last(where: { $0.id == d.noticeId }), n.status != .sent else { return nil }
                    return .noticeDelivery(d)
                }
            }
        } catch {
            recorded = false
        }
        return deliveries.map { d in
            let to = Sanitizer.clean(jobs.first { $0.notice.id == d.noticeId }?.notice.to ?? "")
            var text: String
            switch d.outcome {
            case .sent: text = "sent to \(to)"
            case .deferred:
                text =
                    "queued, not sent: \(Sanitizer.clean(d.reason ?? "")); 'outbox send' tries again"
                    + (d.nextAttempt.map { " from \($0.display(offset: 0)) UTC" } ?? "")
            case .failed:
                text =
                    d.nextAttempt == nil
                    ? "failed for good: \(Sanitizer.clean(d.reason ?? ""))"
                    : "not sent: \(Sanitizer.clean(d.reason ?? "")); 'outbox send' tries again"
                        + (d.nextAttempt.map { " from \($0.display(offset: 0)) UTC" } ?? "")
            }
            if !recorded { text += " (the outcome could not be recorded in the store)" }
            return Note(id: d.noticeId, text: text, sent: d.outcome == .sent)
        }
    }

    /// Runs the mail command once per message, `parallel` at a time; nil for a message that was not built.
    static func runAll(_ messages: [[UInt8]?], argv: [String], parallel: Int) -> [MailPipe.Result?] {
        final class Box: @unchecked Sendable {
            var results: [MailPipe.Result?]
            var next = 0
            let lock = NSLock()
            init(_ n: Int) { results = Array(repeating: nil, count: n) }
        }
        let box = Box(messages.count)
        let work = messages
        let group = DispatchGroup()
        for _ in 0..<max(1, min(parallel, messages.count)) {
            DispatchQueue.global().async(group: group) {
                while true {
                    box.lock.lock()
                    let i = box.next
                    box.next += 1
                    box.lock.unlock()
                    guard i < work.count else { return }
                    guard let message = work[i] else { continue }
                    let result = MailPipe.run(argv, input: message)
                    box.lock.lock()
                    box.results[i] = result
                    box.lock.unlock()
                }
            }
        }
        group.wait()
        return box.results
    }
}

/// Delivers in the background while a batch goes on committing: each group's messages are
/// handed over after the group is saved, and their outcomes are recorded between groups and at
/// the end of the run. So a batch's commits are never held up by mail.
final class Courier: @unchecked Sendable {
    private let queue = DispatchQueue(label: "orderdesk.courier")
    private let lock = NSLock()
    private var done: [(jobs: [Postman.Job], results: [MailPipe.Result?])] = []
    private var handedOver = 0
    private var finished = 0
    let parallel: Int

    init(parallel: Int = 8) { self.parallel = parallel }

    /// Starts sending these messages; returns at once.
    func send(_ jobs: [Postman.Job]) {
        guard let argv = jobs.first?.argv else { return }
        lock.lock()
        handedOver += 1
        lock.unlock()
        let parallel = parallel
        queue.async { [self] in
            let results = Postman.runAll(jobs.map(\.message), argv: argv, parallel: parallel)
            lock.lock()
            done.append((jobs, results))
            finished += 1
            lock.unlock()
        }
    }

    /// The deliveries finished so far (all of them, waiting for the rest, with `wait`), taken.
    func take(wait: Bool) -> [(jobs: [Postman.Job], results: [MailPipe.Result?])] {
        if wait { queue.sync {} }
        lock.lock()
        defer { lock.unlock() }
        let taken = done
        done = []
        return taken
    }
}

extension Change {
    /// The notice this change queued, if any.
    var notice: Notice? {
        switch self {
        case .orderCancelled(let c): return c.notice
        case .orderRefunded(let r), .orderReturned(let r): return r.notice
        case .customerNotified(let n): return n
        case .orderRecreated(let r): return r.notice
        default: return nil
        }
    }
}
