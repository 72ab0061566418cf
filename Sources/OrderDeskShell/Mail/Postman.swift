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

    /// One message to send: the notice, the headers it goes with, and the command. The message
    /// itself is built where it is sent (in the background in a batch, off the commits' path).
    struct Job: Sendable {
        var notice: Notice
        var envelope: MailMessage.Envelope
        var argv: [String]
    }

    /// Sends the notices with these ids that are still waiting, and records the outcomes.
    func deliver(_ ids: [Int64]) -> [Note] {
        let (jobs, blocked) = prepare(ids)
        guard !jobs.isEmpty else { return blocked }
        return record(jobs, Self.runAll(jobs, parallel: parallel))
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
        return (pending.map { Job(notice: $0, envelope: Outbox.envelope(for: $0, settings)!, argv: argv) }, [])
    }

    /// Records what came of each job (one commit for them all) and says it in a note each.
    func record(_ jobs: [Job], _ results: [MailPipe.Result]) -> [Note] {
        let now = clock()
        var deliveries: [NoticeDelivery] = []
        for (job, result) in zip(jobs, results) {
            let exit: Int32? = result.timedOut ? 75 : result.exit
            deliveries.append(Outbox.outcome(job.notice, envelope: job.envelope, exit: exit, detail: result.output, now: now))
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

    /// Builds each job's message and runs its command with it, `parallel` at a time. A message
    /// that cannot be built is an outcome like a failed command ("cannot be sent: …").
    static func runAll(_ jobs: [Job], parallel: Int, beforeEach: (@Sendable () -> Void)? = nil) -> [MailPipe.Result] {
        final class Box: @unchecked Sendable {
            var results: [MailPipe.Result]
            var next = 0
            let lock = NSLock()
            init(_ n: Int) { results = Array(repeating: MailPipe.Result(exit: nil, output: "not tried"), count: n) }
        }
        let box = Box(jobs.count)
        let group = DispatchGroup()
        for _ in 0..<max(1, min(parallel, jobs.count)) {
            DispatchQueue.global().async(group: group) {
                while true {
                    box.lock.lock()
                    let i = box.next
                    box.next += 1
                    box.lock.unlock()
                    guard i < jobs.count else { return }
                    beforeEach?()
                    let job = jobs[i]
                    let result: MailPipe.Result
                    do throws(MailMessage.Problem) {
                        let message = try MailMessage.build(job.notice, envelope: job.envelope)
                        result = MailPipe.run(job.argv, input: Array(message.text.utf8))
                    } catch {
                        result = MailPipe.Result(exit: nil, output: "cannot be sent: \(error.text)")
                    }
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
///
/// On a machine with few cores the mail commands would still take processor time from the
/// commits; so while the batch has lines waiting to be committed (``commitsBegin()`` …
/// ``commitsEnd()``) no new mail command starts, for at most ``patience`` seconds after the
/// messages were handed over.
final class Courier: @unchecked Sendable {
    private let queue = DispatchQueue(label: "orderdesk.courier")
    private let lock = NSLock()
    private let gate = NSCondition()
    private var committing = false
    /// The longest a message waits for the commits to pause.
    let patience: Double = 1
    private var done: [(jobs: [Postman.Job], results: [MailPipe.Result])] = []
    let parallel: Int

    init(parallel: Int = 8) { self.parallel = parallel }

    /// Lines are waiting to be committed: mail commands wait.
    func commitsBegin() {
        gate.lock()
        committing = true
        gate.unlock()
    }

    /// The input pauses or ends: mail commands may start.
    func commitsEnd() {
        gate.lock()
        committing = false
        gate.broadcast()
        gate.unlock()
    }

    /// Waits while a group is being committed, until `deadline` at the latest.
    private func pause(until deadline: Date) {
        gate.lock()
        while committing && gate.wait(until: deadline) {}
        gate.unlock()
    }

    /// Starts sending these messages; returns at once.
    func send(_ jobs: [Postman.Job]) {
        guard !jobs.isEmpty else { return }
        let parallel = parallel
        let deadline = Date().addingTimeInterval(patience)
        queue.async { [self] in
            let results = Postman.runAll(jobs, parallel: parallel) { [self] in pause(until: deadline) }
            lock.lock()
            done.append((jobs, results))
            lock.unlock()
        }
    }

    /// The deliveries finished so far (all of them, waiting for the rest, with `wait`), taken.
    func take(wait: Bool) -> [(jobs: [Postman.Job], results: [MailPipe.Result])] {
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
