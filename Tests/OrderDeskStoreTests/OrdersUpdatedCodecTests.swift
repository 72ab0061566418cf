import Foundation
import OrderDeskCore
import Testing

@_spi(StoreTesting) @testable import OrderDeskStore

/// `orders.updated` through both codecs: the fast writer writes what `JSONEncoder` writes, and
/// both readers (the fast one by falling back to `JSONDecoder`) read the event back.
@Suite("orders.updated codec")
struct OrdersUpdatedCodecTests {
    static let at = Timestamp(iso8601: "2026-05-02T10:00:00Z")!

    static func events() -> [Event] {
        let refund = Refund(
            id: 9_001, createdAt: at, note: "torn \"towel\"",
            transactions: [
                Transaction(
                    id: 77, kind: .refund, amount: Money("12.00")!, currency: "EUR", gateway: "shopify_payments", parentId: 5, createdAt: at
                )
            ],
            refundLineItems: [
                RefundLineItem(lineItemId: 11, quantity: 1, restockType: .return, subtotal: Money("12.00")!, totalTax: .zero)
            ])
        let full = OrderUpdate(
            order: "#1001", fulfilled: [FulfilledLine(lineItemId: 11, quantity: 2)], fulfillmentStatus: .fulfilled,
            refunds: [refund], restocked: [RestockLine(lineItemId: 11, sku: "TEE", quantity: 1)], cancelledAt: at,
            cancelReason: .customer)
        var paid = full
        paid.payments = [
            Transaction(id: 78, kind: .capture, amount: Money("24.00")!, currency: "EUR", gateway: "visa", parentId: 6, createdAt: at),
            Transaction(id: 79, kind: .sale, amount: Money("1.00")!, currency: "EUR", gateway: "Cash on Delivery (COD)", createdAt: at),
        ]
        return [
            Event(seq: 3, at: at, agent: "alice", change: .ordersUpdated(ImportUpdate(source: "orders.json", orders: [full]))),
            Event(seq: 5, at: at, agent: "alice", change: .ordersUpdated(ImportUpdate(source: "later.csv", orders: [paid, full]))),
            Event(
                seq: 4, at: at, agent: "bob",
                change: .ordersUpdated(ImportUpdate(source: "o/x.json", orders: [OrderUpdate(order: "Her2065"), full]))),
        ]
    }

    /// An event written before updates carried payments has no `payments` member, and reads as none;
    /// one without payments is still written without it.
    @Test func anEventWithoutPaymentsReadsAndWritesAsBefore() throws {
        let line = try StoreCodec(.reference).journalLine(Self.events()[0])
        let text = String(decoding: line, as: UTF8.self)
        #expect(!text.contains("\"payments\":"))
        let event = try StoreCodec(.fast).decodeJournalLine(line.dropLast())
        guard case .ordersUpdated(let u) = event.change else {
            Issue.record("not orders.updated")
            return
        }
        #expect(u.orders.allSatisfy { $0.payments.isEmpty })
        let withPayments = String(decoding: try StoreCodec(.fast).journalLine(Self.events()[1]), as: UTF8.self)
        #expect(withPayments.contains("\"payments\":[{"))
    }

    @Test func fastWriterWritesWhatTheReferenceWrites() throws {
        for event in Self.events() {
            let fast = try StoreCodec(.fast).journalLine(event)
            let reference = try StoreCodec(.reference).journalLine(event)
            #expect(String(decoding: fast, as: UTF8.self) == String(decoding: reference, as: UTF8.self))
            let line = fast.dropLast()
            #expect(try StoreCodec(.fast).decodeJournalLine(line) == event)
            #expect(try StoreCodec(.reference).decodeJournalLine(line) == event)
        }
    }
}
