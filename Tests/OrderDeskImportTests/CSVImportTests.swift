import OrderDeskCore
import Testing

@testable import OrderDeskImport

/// Shopify's orders CSV export, read from fixtures in the real format.
@Suite struct CSVImportTests {
    static let result = Fixture.read("orders.csv")

    static func order(_ name: String) -> Order {
        guard let item = result.orders.first(where: { $0.order.name == name }) else {
            fatalError("\(name) is not in orders.csv")
        }
        return Fixture.ledgered(item)
    }

    static func time(_ text: String) -> Timestamp { Timestamp(iso8601: text)! }

    @Test func readsEveryOrderOfTheExportWithoutProblems() {
        #expect(Self.result.format == .csv)
        #expect(Self.result.problems == [])
        #expect(Self.result.orders.map(\.order.name) == ["#1001", "#1002", "#1003", "#1004", "#1005", "#1006", "#1007"])
        #expect(Self.result.orders.map(\.location) == [.line(2), .line(7), .line(9), .line(12), .line(13), .line(14), .line(15)])
    }

    @Test func firstRowCarriesTheOrderAndContinuationRowsAddLineItems() {
        let o = Self.order("#1001")
        #expect(o.id == 5_934_567_890_101)
        #expect(o.orderNumber == 1001)
        #expect(o.email == "zoe.lefevre@example.fr")
        #expect(o.createdAt == Self.time("2026-04-05T17:06:21Z"))
        #expect(o.currency == "EUR")
        #expect(o.financialStatus == .paid)
        #expect(o.fulfillmentStatus == nil)
        #expect(o.subtotalPrice == Money("54.00")!)
        #expect(o.totalShippingPrice == Money("4.90")!)
        #expect(o.totalTax == Money("9.82")!)
        #expect(o.totalPrice == Money("58.90")!)
        #expect(o.tags == "gift, vip")
        #expect(o.customer.firstName == "Zoé")
        #expect(o.customer.lastName == "Lefèvre")
        #expect(o.shippingAddress == Address(name: "Zoé Lefèvre", address1: "12 Rue des Lilas", city: "Lyon", zip: "69003", country: "FR"))
        #expect(o.lineItems.map(\.sku) == ["MUG-WHT", "TOWEL-LIN"])
        #expect(o.lineItems.map(\.quantity) == [2, 1])
        #expect(o.lineItems.map(\.title) == ["Ceramic Mug - White", "Linen Tea Towel"])
        #expect(o.lineItems.map(\.price) == [Money("19.50")!, Money("15.00")!])
        #expect(o.lineItems.allSatisfy { $0.fulfilledQuantity == 0 && $0.restocked == 0 })
    }

    @Test func multiLineQuotedNoteKeepsItsLineBreaksCommasAndQuotes() {
        #expect(Self.order("#1001").note == "Please leave the parcel with the concierge,\nnot in the mailbox.\n\"Merci!\"")
        #expect(Self.order("#1003").note == "Customer wrote: \"ordered the wrong size, please cancel\"")
        #expect(Self.order("#1002").note == nil)
    }

    @Test func paidAtBecomesATimelineEntry() {
        let entries = Self.order("#1001").timeline
        #expect(entries == [TimelineEntry(at: Self.time("2026-04-05T17:06:25Z"), agent: nil, seq: nil, message: "Paid in Shopify")])
        #expect(!Self.order("#1005").timeline.contains { $0.message == "Paid in Shopify" })  // no Paid at
    }

    @Test func missingSKUsAreAllowed() {
        let soap = Self.order("#1002").lineItems[0]
        #expect(soap.sku == "")
        #expect(soap.title == "Hinoki Soap Bar")
        #expect(Self.order("#1003").lineItems.map(\.sku) == ["BAG-TRL-GRN", "", "SOCK-WL-M"])
    }

    @Test func amountsKeepTheirCurrencysDecimals() {
        let yen = Self.order("#1002")
        #expect(yen.currency == "JPY")
        #expect(yen.totalPrice == Money(units: 5400, scale: 0))
        #expect(yen.totalPrice.description == "5400")
        #expect(yen.lineItems[1].price.description == "1600")
        let dinar = Self.order("#1007")
        #expect(dinar.currency == "KWD")
        #expect(dinar.totalPrice.description == "12.500")
        #expect(dinar.totalPrice == Money(units: 12_500, scale: 3))
        #expect(Self.order("#1004").totalPrice.description == "60.00")
    }

    @Test func fulfilledLinesAndOrders() {
        let yen = Self.order("#1002")
        #expect(yen.fulfillmentStatus == .fulfilled)
        #expect(yen.lineItems.map(\.fulfilledQuantity) == [1, 2])
        #expect(yen.hasFulfilment)
    }

    @Test func cancelledAndRefundedOrder() {
        let o = Self.order("#1003")
        #expect(o.isCancelled)
        #expect(o.cancelledAt == Self.time("2026-04-07T13:30:12Z"))
        #expect(o.cancelReason == nil)
        #expect(o.financialStatus == .refunded)
        #expect(o.refunds.count == 1)
        #expect(o.amountRefunded == Money("105.34")!)
        #expect(o.refunds[0].createdAt == o.cancelledAt)
        #expect(o.refunds[0].transactions[0].method == .original)
        #expect(o.refundable.isZero)
        #expect(o.timeline.map(\.message) == ["Paid in Shopify", "Cancelled in Shopify", "Refunded 105.34 USD in Shopify"])
    }

    @Test func partiallyRefundedOrderCanBeRefundedTheRest() {
        let o = Self.order("#1004")
        #expect(o.financialStatus == .partiallyRefunded)
        #expect(o.amountRefunded == Money("10.00")!)
        #expect(o.refundable == Money("50.00")!)
        #expect(o.totalDiscounts == Money("6.00")!)
        #expect(!o.isCancelled)
    }

    @Test func voidedAndPendingOrdersHaveNothingPaid() {
        #expect(Self.order("#1005").financialStatus == .voided)
        #expect(Self.order("#1005").isCancelled)
        #expect(Self.order("#1005").amountPaid.isZero)
        #expect(Self.order("#1007").financialStatus == .pending)
        #expect(Self.order("#1007").amountPaid.isZero)
    }

    @Test func idsTheFileDoesNotGiveAreZeroUntilPlanned() {
        let o = Self.order("#1001")
        #expect(o.lineItems.allSatisfy { $0.id == 0 })
        #expect(o.customer.id == 0)
        #expect(Self.result.orders.allSatisfy { $0.hasID })
    }

    @Test func columnsInAnyOrderWithBOMCRLFAndUnknownColumns() {
        let result = Fixture.read("orders-reordered.csv")
        #expect(result.format == .csv)
        #expect(result.problems == [])
        #expect(result.orders.map(\.order.name) == ["#2001", "#2002"])
        #expect(result.orders.map(\.location) == [.line(2), .line(5)])
        let sek = result.orders[0].order
        #expect(!result.orders[0].hasID)
        #expect(sek.currency == "SEK")
        #expect(sek.fulfillmentStatus == .partial)
        #expect(sek.lineItems.map(\.title) == ["Beeswax Candle", "Gift Card"])
        #expect(sek.lineItems.map(\.sku) == ["CANDLE-BW", ""])
        #expect(sek.lineItems.map(\.fulfilledQuantity) == [1, 0])
        #expect(sek.totalPrice == Money("349.00")!)
        #expect(sek.customer.fullName == "Sven Svensson")
        #expect(sek.shippingAddress == nil)
        let yen = result.orders[1].order
        #expect(yen.financialStatus == .authorized)
        #expect(yen.note == "  two spaces before, one after ")
        #expect(yen.customer.firstName == "Yui")
        #expect(yen.customer.lastName == "")
        #expect(yen.subtotalPrice.description == "2400")
    }

    @Test func subtotalDefaultsToTheLinesWhenTheColumnIsMissing() {
        let csv = """
            Name,Created at,Currency,Total,Financial Status,Lineitem quantity,Lineitem name,Lineitem price
            #5,2026-01-02 03:04:05 -0500,EUR,30.00,paid,2,Pen,10.00
            #5,,,,,1,Ink,5.00
            """
        let result = ShopifyImport.read(csv)
        #expect(result.problems == [])
        #expect(result.orders[0].order.subtotalPrice == Money("25.00")!)
        #expect(result.orders[0].order.totalPrice == Money("30.00")!)
        #expect(result.orders[0].order.createdAt == Timestamp(iso8601: "2026-01-02T08:04:05Z"))
    }

    @Test func refundedOrderWithoutARefundedAmountColumnWasRefundedInFull() {
        let csv = """
            Name,Created at,Currency,Total,Financial Status,Lineitem quantity,Lineitem name,Lineitem price,Cancelled at
            #7,2026-01-02 03:04:05 +0000,USD,12.00,refunded,1,Pen,12.00,2026-01-03 00:00:00 +0000
            """
        let order = ShopifyImport.read(csv).orders[0].order
        #expect(order.amountRefunded == Money("12.00")!)
        #expect(order.refunds[0].createdAt == Timestamp(iso8601: "2026-01-03T00:00:00Z"))
    }

    @Test func detectsTheFormatFromTheContent() {
        #expect(ShopifyImport.detectFormat(Fixture.text("orders.csv")) == .csv)
        #expect(ShopifyImport.detectFormat(Fixture.text("orders-reordered.csv")) == .csv)
        #expect(ShopifyImport.detectFormat(Fixture.text("orders-list.json")) == .json)
        #expect(ShopifyImport.detectFormat("  \n{\"order\": {}}") == .json)
        #expect(ShopifyImport.detectFormat("[]") == .json)
        #expect(ShopifyImport.detectFormat("Handle,SKU,Available\n") == nil)
        #expect(ShopifyImport.detectFormat("") == nil)
    }

    @Test func readsBytesAndRefusesTextThatIsNotUTF8() {
        let good = ShopifyImport.read(bytes: Fixture.bytes("orders.csv"))
        #expect(good.orders.count == 7)
        let latin1: [UInt8] = Array("Name,Created at\n#1,".utf8) + [0xE9, 0x0A]
        let bad = ShopifyImport.read(bytes: latin1)
        #expect(bad.orders.isEmpty)
        #expect(
            bad.problems.map { $0.text(file: "x.csv") } == ["x.csv: is not UTF-8 text; export it from Shopify again, or save it as UTF-8"])
    }
}
