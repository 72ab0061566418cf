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
        return [
            Event(seq: 3, at: at, agent: "alice", change: .ordersUpdated(ImportUpdate(source: "orders.json", orders: [full]))),
            Event(
                seq: 4, at: at, agent: "bob",
                change: .ordersUpdated(ImportUpdate(source: "o/x.json", orders: [OrderUpdate(order: "Her2065"), full]))),
        ]
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
