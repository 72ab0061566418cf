import Foundation
import OrderDeskCore
import Testing

@testable import OrderDeskImport

/// Shopify Admin REST JSON: a list response and a single-order response.
@Suite struct JSONImportTests {
    static let list = Fixture.read("orders-list.json")
    static let single = Fixture.read("order-single.json")

    static func time(_ text: String) -> Timestamp { Timestamp(iso8601: text)! }

    @Test func listResponseReadsEveryOrderIgnoringUnknownFields() {
        #expect(Self.list.format == .json)
        #expect(Self.list.problems == [])
        #expect(Self.list.orders.map(\.order.name) == ["#1101", "#1102", "#1103"])
        #expect(Self.list.orders.map(\.location) == [.path("orders[0]"), .path("orders[1]"), .path("orders[2]")])
    }

    @Test func orderFieldsCustomerAndLineItems() {
        let o = Self.list.orders[0].order
        #expect(o.id == 6_012_345_678_901)
        #expect(o.orderNumber == 1101)
        #expect(o.email == "emma.bakker@example.nl")
        #expect(o.createdAt == Self.time("2026-04-12T12:02:11Z"))
        #expect(o.currency == "EUR")
        #expect(o.subtotalPrice == Money("71.00")!)
        #expect(o.totalShippingPrice == Money("5.90")!)  // from total_shipping_price_set
        #expect(o.totalTax == Money("13.35")!)
        #expect(o.totalPrice == Money("76.90")!)
        #expect(o.financialStatus == .paid)
        #expect(o.fulfillmentStatus == nil)
        #expect(o.note == "Graag niet aanbellen,\nbaby slaapt.")
        #expect(o.tags == "newsletter, repeat")
        #expect(o.customer == Customer(id: 7_212_345_678_901, email: "emma.bakker@example.nl", firstName: "Emma", lastName: "Bakker"))
        #expect(
            o.shippingAddress
                == Address(name: "Emma Bakker", address1: "Prinsengracht 263", city: "Amsterdam", zip: "1016 GV", country: "NL"))
        #expect(o.lineItems.count == 2)
        let mug = o.lineItems[0]
        #expect(mug.id == 15_012_345_678_901)
        #expect(mug.sku == "MUG-WHT")
        #expect(mug.title == "Ceramic Mug")
        #expect(mug.variantTitle == "White")
        #expect(mug.quantity == 2)
        #expect(mug.price == Money("19.50")!)
        #expect(mug.fulfilledQuantity == 0)
        #expect(o.refunds.isEmpty)
        #expect(!o.isCancelled)
    }

    @Test func cancelledOrderWithReasonRefundAndRestock() {
        let o = Self.list.orders[1].order
        #expect(o.cancelledAt == Self.time("2026-04-13T12:15:00Z"))
        #expect(o.cancelReason == .customer)
        #expect(o.closedAt == Self.time("2026-04-13T12:15:01Z"))
        #expect(o.financialStatus == .refunded)
        #expect(o.shippingAddress == nil)
        #expect(o.note == nil)
        #expect(o.refunds.count == 1)
        let refund = o.refunds[0]
        #expect(refund.id == 9_212_345_678_901)
        #expect(refund.note == "Customer cancelled: ordered twice")
        // The failed transaction is not money returned.
        #expect(refund.transactions.count == 1)
        #expect(refund.amount == Money("52.26")!)
        #expect(refund.refundLineItems.map(\.lineItemId) == [15_012_345_678_911])
        #expect(refund.refundLineItems.map(\.quantity) == [3])
        #expect(refund.refundLineItems.map(\.restockType) == [.cancel])
        #expect(o.lineItems[0].restocked == 3)
        #expect(o.restockable(o.lineItems[0]) == 0)
        #expect(
            o.timeline.map(\.message) == [
                "Cancelled in Shopify: Customer changed/canceled order", "Refunded 52.26 USD in Shopify",
            ])
    }

    @Test func nullCustomerNullSKUAndPartialFulfilment() {
        let o = Self.list.orders[2].order
        #expect(o.currency == "JPY")
        #expect(o.totalPrice.description == "6600")
        #expect(o.totalShippingPrice.isZero)  // empty shipping_lines
        #expect(o.fulfillmentStatus == .partial)
        #expect(o.email == "")
        #expect(o.customer.id == 0)
        #expect(o.customer.fullName == "Aiko Tanaka")  // from billing_address
        #expect(o.lineItems[0].sku == "")
        #expect(o.lineItems[0].variantTitle == nil)
        #expect(o.lineItems[0].fulfilledQuantity == 3)  // quantity 4, 1 still fulfillable
    }

    @Test func singleOrderResponseWithPartialRefundToTwoMethods() {
        #expect(Self.single.problems == [])
        #expect(Self.single.orders.count == 1)
        #expect(Self.single.orders[0].location == .path("order"))
        let o = Fixture.ledgered(Self.single.orders[0])
        #expect(o.name == "#1150")
        #expect(o.financialStatus == .partiallyRefunded)
        #expect(o.fulfillmentStatus == .fulfilled)
        #expect(o.totalDiscounts == Money("6.00")!)
        #expect(o.totalShippingPrice == Money("6.00")!)
        #expect(o.note == "Birthday present — please hide the price.\nThank you!")
        #expect(o.lineItems.map(\.fulfilledQuantity) == [1, 2, 1])
        #expect(o.lineItems.map(\.restocked) == [0, 1, 0])  // returned: restocked; no_restock: not
        #expect(o.refunds.count == 1)
        #expect(o.refunds[0].transactions.map(\.method) == [.original, .storeCredit])
        #expect(o.amountRefunded == Money("18.00")!)
        #expect(o.refundable == Money("48.00")!)
        #expect(o.refunds[0].createdAt == Self.time("2026-04-20T15:00:00Z"))
    }

    @Test func orderDesksOwnJSONComesBackIn() throws {
        let state = Fixture.state(importing: ["orders.csv", "order-single.json"])
        let encoder = JSONEncoder()
        let data = try encoder.encode(state.orders)
        let again = ShopifyImport.read(String(decoding: data, as: UTF8.self))
        #expect(again.format == .json)
        #expect(again.problems == [])
        #expect(again.orders.map(\.order.name) == state.orders.map(\.name))
        for (a, b) in zip(again.orders.map(\.order), state.orders) {
            #expect(a.id == b.id)
            #expect(a.totalPrice == b.totalPrice)
            #expect(a.lineItems.map(\.id) == b.lineItems.map(\.id))
            #expect(a.lineItems.map(\.restocked) == b.lineItems.map(\.restocked))
            #expect(a.amountRefunded == b.amountRefunded)
            #expect(a.customer == b.customer)
        }
    }

    @Test func amountsMayBeNumbersWithTheCurrencysDecimals() {
        let json = """
            {"order": {"id": 1, "name": "#9", "created_at": "2026-01-01T00:00:00Z", "currency": "JPY",
              "financial_status": "paid", "total_price": 1200,
              "line_items": [{"id": 2, "title": "Tea", "price": 1200, "quantity": 1, "sku": "TEA"}]}}
            """
        let result = ShopifyImport.read(json)
        #expect(result.problems == [])
        #expect(result.orders[0].order.totalPrice == Money(units: 1200, scale: 0))

        let euro = json.replacingOccurrences(of: "JPY", with: "EUR").replacingOccurrences(
            of: "\"total_price\": 1200", with: "\"total_price\": 1200.5")
        let read = ShopifyImport.read(euro)
        #expect(read.problems == [])
        #expect(read.orders.first?.order.totalPrice == Money("1200.50")!)

        let fractional = json.replacingOccurrences(of: "\"total_price\": 1200", with: "\"total_price\": 1200.5")
        let bad = ShopifyImport.read(fractional)
        #expect(
            bad.problems.map { $0.text(file: "o.json") } == [
                "o.json: order.total_price: \"1200.5\" has more decimals than JPY uses (0 decimals)"
            ])
    }
}
