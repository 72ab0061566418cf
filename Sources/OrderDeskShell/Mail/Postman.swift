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
    /// How many mail commands run at once.
    var parallel = 4

    /// What became of one notice, in a line for the agent.
    struct Note {
        var id: Int64
        var text: String
        var sent: Bool
    }

    /// Sends the notices with these ids that are still waiting, and records the outcomes.
    func deliver(_ ids: [Int64]) -> [Note] {
        let state = store.state
        let settings = state.settings
        let pending = ids.compactMap { id in state.outbox.last(where: { $0.id == id && $0.isPending }) }
        guard !pending.isEmpty else { return [] }
        if let blocked = Outbox.blocked(settings, hold: hold) {
            return pending.map { Note(id: $0.id, text: "queued, not sent: \(blocked)", sent: false) }
        }
        let argv: [String]
        do throws(CommandWords.Problem) {
            argv = try CommandWords.split(settings.effectiveMailCommand)
        } catch {
            return pending.map { Note(id: $0.id, text: "queued, not sent: mail-command: \(error.text)", sent: false) }
        }
        let jobs: [(Notice, MailMessage.Envelope, [UInt8]?, String?)] = pending.map { n in
            let envelope = Outbox.envelope(for: n, settings)!
            do throws(MailMessage.Problem) {
                return (n, envelope, Array(try MailMessage.build(n, envelope: envelope).text.utf8), nil)
            } catch {
                return (n, envelope, nil, error.text)
            }
        }
        let results = Self.runAll(jobs.map(\.2), argv: argv, parallel: parallel)
        let now = clock()
        var deliveries: [NoticeDelivery] = []
        for (job, result) in zip(jobs, results) {
            let (notice, envelope, _, problem) = job
            if let problem {
                deliveries.append(Outbox.outcome(notice, envelope: envelope, exit: nil, detail: "cannot be sent: \(problem)", now: now))
            } else if let result {
                let exit: Int32? = result.timedOut ? 75 : result.exit
                deliveries.append(Outbox.outcome(notice, envelope: envelope, exit: exit, detail: result.output, now: now))
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
            let to = Sanitizer.clean(pending.first { $0.id == d.noticeId }?.to ?? "")
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
