import Foundation
import OrderDeskCore
import OrderDeskPractice
import OrderDeskStore
import OrderDeskTestSupport
import Testing

@testable import OrderDeskShell

/// Delivery from a live session: right after the change, through a real pipe to a real child
/// process (a shell that keeps what it reads), and the outcome recorded as an event.
@Suite struct MailSessionTests {
    static func session(_ store: MemoryStore) -> (Session, RecordingConsole) {
        let console = RecordingConsole()
        let session = Session(
            store: store, console: console, agent: "alice", clock: { TrainingStore.now }, utcOffset: 0, style: .plain,
            prompter: ScriptedPrompter([]))
        return (session, console)
    }

    @Test func aLiveCancelDeliversRightAfterItsCommitAndRecordsTheOutcome() throws {
        let dir = FileManager.default.temporaryDirectory.path + "/orderdesk-mail-session-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = MemoryStore(state: TrainingStore.make())
        let (session, _) = Self.session(store)
        for line in [
            "settings mail-from 'Kauppa Öy <shop@example.com>'", "settings mail-command \"/bin/sh -c 'cat > \(dir)/message.eml'\"",
        ] {
            #expect(session.execute(line, interactive: true).error == nil)
        }
        let result = session.execute("cancel #1001 --reason customer --yes", interactive: true)
        #expect(result.error == nil)
        let notice = try #require(store.state.outbox.last)
        #expect(result.output?.hasSuffix("Notice \(notice.id) sent to jons.arlig@example.com.") ?? false, "\(result.output ?? "")")
        #expect(notice.status == .sent && notice.attempts == 1 && notice.mta == "accepted (exit 0)")
        // What the command read is the message `outbox show` prints.
        let piped = try String(contentsOfFile: dir + "/message.eml", encoding: .utf8)
        let envelope = try #require(Outbox.recordedEnvelope(for: notice, store.state.settings))
        #expect(piped == (try MailMessage.build(notice, envelope: envelope)).text)
        #expect(piped.contains("Message-ID: \(notice.messageId ?? "?")"))
        #expect(try store.auditLog().last?.type == "notice.sent")

        // A command that exits 75 leaves the next notice queued, and says so.
        #expect(session.execute("settings mail-command \"/bin/sh -c 'exit 75'\"", interactive: true).error == nil)
        let before = store.state.order(named: "#1005")?.refunds.count ?? 0
        let refund = session.execute("refund #1005 5 --yes", interactive: true)
        #expect(refund.output?.contains("queued, not sent: temporary failure (exit 75)") ?? false, "\(refund.output ?? "")")
        #expect(store.state.outbox.last?.status == .queued)
        #expect(store.state.order(named: "#1005")?.refunds.count == before + 1, "the refund is committed")
    }
}
