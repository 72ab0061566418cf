import Foundation
import OrderDeskCore
import Testing

@testable import OrderDeskImport

/// Importing a newer payload of an order the store has: what changed in Shopify comes in as one
/// `orders.updated` event with the differences; a contradiction with the desk is reported.
@Suite("Import: updates of orders the store has")
struct ImportUpdateTests {
    /// `#1201`, paid, nothing fulfilled; `fulfilled` and `refund` give the later versions.
    static func payload(fulfilled: Int = 0, refund: Bool = false, cancelled: Bool = false, gateways: Bool = true) -> String {
        let status = fulfilled == 0 ? "null" : (fulfilled == 2 ? "\"fulfilled\"" : "\"partial\"")
        let refunds =
            refund
            ? """
            [{"id": 9300000001, "created_at": "2026-04-22T10:00:00Z", "note": "One mug chipped",
              "refund_line_items": [{"line_item_id": 1500000001, "quantity": 1, "restock_type": "return", "subtotal": "12.00"}],
              "transactions": [{"id": 7500000001, "amount": "12.00", "kind": "refund", "gateway": "shopify_payments", "status": "success"}]}]
            """ : "[]"
        return """
            {"order": {"id": 6000000001, "name": "#1201", "order_number": 1201, "created_at": "2026-04-20T09:00:00Z",
             "currency": "EUR", "email": "sam@example.com", \(gateways ? "\"payment_gateway_names\": [\"shopify_payments\"]," : "") "financial_status": "\(refund ? "partially_refunded" : "paid")",
             "fulfillment_status": \(status), "subtotal_price": "24.00", "total_price": "24.00", "total_tax": "0.00",
             "total_discounts": "0.00", "cancelled_at": \(cancelled ? "\"2026-04-23T08:00:00Z\"" : "null"),
             "cancel_reason": \(cancelled ? "\"customer\"" : "null"),
             "customer": {"id": 7000000001, "email": "sam@example.com", "first_name": "Sam", "last_name": "Example"},
             "line_items": [{"id": 1500000001, "title": "Mug", "sku": "MUG", "price": "12.00", "quantity": 2,
               "fulfillable_quantity": \(2 - fulfilled), "fulfillment_status": \(status)}],
             "refunds": \(refunds)}}
            """
    }

    static func plan(_ text: String, into state: StoreState) -> ImportPlan {
        let read = ShopifyImport.read(text, format: .json)
        precondition(read.problems.isEmpty, "\(read.problems)")
        return ShopifyImport.plan(read.orders, into: state, source: "later.json", agent: "alice", now: Fixture.now)
    }

    static func commit(_ plan: ImportPlan, _ state: inout StoreState) {
        for change in plan.changes {
            try! state.apply(Event(seq: state.seq + 1, at: Fixture.now, agent: "alice", change: change))
        }
    }

    static func start() -> StoreState {
        var state = StoreState(inventory: ["MUG": 5])
        commit(plan(payload(), into: state), &state)
        return state
    }

    @Test func fulfilledAndRefundedInShopifyComeInAsOneEventWithTheDifferences() throws {
        var state = Self.start()
        let before = state.order(named: "#1201")!
        #expect(before.lineItems[0].fulfilledQuantity == 0)

        let plan = Self.plan(Self.payload(fulfilled: 2, refund: true), into: state)
        #expect(plan.orders.isEmpty)
        #expect(plan.duplicates.isEmpty)
        #expect(plan.conflicts.isEmpty)
        #expect(plan.changes.count == 1)
        let update = try #require(plan.update)
        #expect(update.orders.count == 1)
        let u = update.orders[0]
        #expect(u.order == "#1201")
        #expect(u.fulfilled == [FulfilledLine(lineItemId: 1_500_000_001, quantity: 2)])
        #expect(u.fulfillmentStatus == .fulfilled)
        #expect(u.refunds.map(\.id) == [9_300_000_001])
        #expect(u.refunds[0].amount == Money("12.00")!)
        #expect(u.restocked == [RestockLine(lineItemId: 1_500_000_001, sku: "MUG", quantity: 1)])
        #expect(u.cancelledAt == nil)
        #expect(plan.summary().contains("updated 1 order"))

        Self.commit(plan, &state)
        let after = state.order(named: "#1201")!
        #expect(after.lineItems[0].fulfilledQuantity == 2)
        #expect(after.lineItems[0].restocked == 1)
        #expect(after.fulfillmentStatus == .fulfilled)
        #expect(after.refunds.count == 1)
        #expect(after.financialStatus == .partiallyRefunded)
        #expect(state.inventory["MUG"] == 6)
        #expect(after.timeline.last?.message.hasPrefix("Updated from Shopify (later.json): fulfilled 2 units") == true)
        #expect(LedgerAudit.findings(in: state).isEmpty)

        // The same file again changes nothing; so does the older one.
        let again = Self.plan(Self.payload(fulfilled: 2, refund: true), into: state)
        #expect(again.changes.isEmpty)
        #expect(again.duplicates == ["#1201"])
        let older = Self.plan(Self.payload(), into: state)
        #expect(older.changes.isEmpty)
    }

    /// A first import that named no payment method (gateway `unknown`): Shopify's later refund to
    /// `shopify_payments` returns that payment, so it goes to it and the ledger holds.
    @Test func aRefundUpdateReturnsThePaymentTheStoreHas() throws {
        var state = StoreState(inventory: ["MUG": 5])
        Self.commit(Self.plan(Self.payload(gateways: false), into: state), &state)
        #expect(state.order(named: "#1201")?.paymentGateway == Gateway.unknown)
        Self.commit(Self.plan(Self.payload(refund: true, gateways: false), into: state), &state)
        let o = try #require(state.order(named: "#1201"))
        #expect(o.refunds.last?.transactions.map(\.gateway) == [Gateway.unknown])
        #expect(o.amountRefunded == Money("12.00")!)
        #expect(LedgerAudit.findings(in: state).isEmpty)
    }

    @Test func cancelledInShopifyIsBroughtIn() throws {
        var state = Self.start()
        let plan = Self.plan(Self.payload(cancelled: true), into: state)
        let u = try #require(plan.update?.orders.first)
        #expect(u.cancelledAt == Timestamp(iso8601: "2026-04-23T08:00:00Z"))
        #expect(u.cancelReason == .customer)
        Self.commit(plan, &state)
        #expect(state.order(named: "#1201")!.isCancelled)
        #expect(Self.plan(Self.payload(cancelled: true), into: state).changes.isEmpty)
    }

    @Test func cancelledHereAndFulfilledThereIsAConflictThatChangesNothing() throws {
        var state = Self.start()
        let cancel = Cancellation(
            order: "#1201", reason: .customer, note: nil, refundMode: .later, refund: nil, voids: [], restocked: [],
            notice: nil, offer: nil)
        try state.apply(Event(seq: state.seq + 1, at: Fixture.now, agent: "bob", change: .orderCancelled(cancel)))
        let before = state.order(named: "#1201")!

        let plan = Self.plan(Self.payload(fulfilled: 2), into: state)
        #expect(plan.changes.isEmpty)
        #expect(plan.problems.isEmpty)
        #expect(plan.conflicts.count == 1)
        #expect(plan.conflicts.first?.message.contains("order #1201: cancelled here but Shopify fulfilled 2 more units") == true)
        #expect(plan.summary().contains("1 conflict"))
        Self.commit(plan, &state)
        #expect(state.order(named: "#1201") == before)
    }

    @Test func refundsMadeHereThatShopifyDoesNotKnowAreKept() throws {
        var state = Self.start()
        // Shopify fulfilled and refunded; importing the first (older) payload afterwards changes nothing.
        Self.commit(Self.plan(Self.payload(fulfilled: 1, refund: false), into: state), &state)
        #expect(state.order(named: "#1201")!.lineItems[0].fulfilledQuantity == 1)
        #expect(state.order(named: "#1201")!.fulfillmentStatus == .partial)
        #expect(Self.plan(Self.payload(), into: state).changes.isEmpty)
    }
}
