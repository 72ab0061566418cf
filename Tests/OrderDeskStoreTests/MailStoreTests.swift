import Foundation
import OrderDeskCore
import Testing

@_spi(StoreTesting) @testable import OrderDeskStore

/// The store's format with mail delivery: every new member is optional, so stores written before
/// read as they were (their notices recorded, never sent), and the fast reader reads the new
/// events and members as `JSONDecoder` does.
@Suite struct MailStoreTests {
    static let oldNotified =
        ##"{"agent":"ann","at":"2026-11-20T10:00:00Z","notice":{"agent":"ann","at":"2026-11-20T10:00:00Z","body":"Hi","id":7,"order":"#1001","subject":"S","to":"a@example.com"},"seq":1,"type":"customer.notified"}"##

    @Test func aNoticeWrittenBeforeDeliveryReadsAsRecordedAndIsNeverSent() throws {
        let bytes = Array(Self.oldNotified.utf8)[...]
        let fast = try #require(try? FastStoreDecoder.event(bytes))
        let reference = try JSONDecoder().decode(Event.self, from: Data(Self.oldNotified.utf8))
        #expect(fast == reference)
        guard case .customerNotified(let n) = fast.change else {
            Issue.record("a customer.notified event")
            return
        }
        #expect(n.status == nil && !n.isPending)
        #expect(Outbox.state(of: n, Context(now: n.at, agent: "ann")).hasPrefix("recorded"))
    }

    @Test func settingsWithoutMailMembersReadAsTheDefaults() throws {
        let json = #"{"auto_restock":false,"default_refund":"later"}"#
        let settings = try JSONDecoder().decode(Settings.self, from: Data(json.utf8))
        #expect(settings.mailFrom == nil && settings.mailCommand == nil && settings.noticeLanguage == nil)
        #expect(settings.effectiveMailCommand == "/usr/sbin/sendmail -t -oi" && settings.effectiveNoticeLanguage == "en")
        // Written back, an old store's settings stay as they were: nothing unset is added.
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        #expect(String(decoding: try encoder.encode(settings), as: UTF8.self) == json)
    }

    @Test func deliveryEventsAreWrittenAndReadAsTheReferenceDoes() throws {
        let at = Timestamp(iso8601: "2026-12-07T10:00:00Z")!
        for outcome in NoticeDelivery.Outcome.allCases {
            let d = NoticeDelivery(
                noticeId: 7, order: "#1001", outcome: outcome, attempts: 2, reason: outcome == .sent ? nil : "exit 75: later",
                mta: outcome == .sent ? "accepted (exit 0)" : nil, nextAttempt: outcome == .sent ? nil : at,
                messageId: "<orderdesk.7.00ff@example.com>", from: "Kauppa Öy <shop@example.com>", replyTo: nil, bcc: "team@example.com")
            let event = Event(seq: 3, at: at, agent: "ann", change: .noticeDelivery(d))
            try FastCodecTests.checkEvent(event)
            #expect(event.type == "notice.\(outcome.rawValue)")
        }
    }
}
