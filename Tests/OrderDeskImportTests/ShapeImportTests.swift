import Foundation
import OrderDeskCore
import Testing

@testable import OrderDeskImport

/// Every shape Shopify sends, built from the real files in `Fixtures/real` where one has it.
@Suite struct ShapeImportTests {
    static func real(_ name: String) -> String { Fixture.text("real/" + name) }

    static let cancelledWebhook = "webhook-orders-cancelled-2023-refunded-bare.json"
    static let createWebhook = "webhook-orders-create-2025-hkd-draft-no-customer-bare.json"

    /// A real file's JSON, parsed.
    static func object(_ name: String) -> [String: Any] {
        try! JSONSerialization.jsonObject(with: Data(real(name).utf8)) as! [String: Any]
    }

    /// JSON text of a value on one line (as JSON Lines has it).
    static func oneLine(_ value: Any) -> String {
        String(decoding: try! JSONSerialization.data(withJSONObject: value), as: UTF8.self)
    }

    @Test func aBareOrderIsAWebhookBodyWithPathDollar() {
        let read = ShopifyImport.read(Self.real(Self.cancelledWebhook))
        #expect(read.format == .json)
        #expect(read.problems == [])
        #expect(read.orders.map(\.order.name) == ["#1009"])
        #expect(read.orders.map(\.location) == [.path("$")])
    }

    /// A prefix may hold digits (`X7-1042`): Shopify's `order_number` says which number it is.
    @Test func orderNumberWinsOverTheDigitsOfAPrefixedName() {
        var o = Self.object(Self.cancelledWebhook)
        o["name"] = "X7-1009"
        let read = ShopifyImport.read(Self.oneLine(o))
        #expect(read.problems == [])
        #expect(read.orders.map(\.order.name) == ["X7-1009"])
        #expect(read.orders.map(\.order.orderNumber) == [o["order_number"] as? Int ?? -1])
    }

    @Test func aListOfOrdersAndJSONLinesOfWebhookBodies() {
        let a = Self.object(Self.cancelledWebhook)
        let b = Self.object(Self.createWebhook)
        let list = ShopifyImport.read(Self.oneLine([a, b]))
        #expect(list.problems == [])
        #expect(list.orders.map(\.order.name) == ["#1009", "#1071"])
        #expect(list.orders.map(\.location) == [.path("[0]"), .path("[1]")])

        // As a collector writes them: one body a line, a blank line, Windows line ends too.
        let lines = Self.oneLine(a) + "\r\n\r\n" + Self.oneLine(b) + "\n" + Self.oneLine(["order": ["name": "#7"]]) + "\n"
        let read = ShopifyImport.read(lines)
        #expect(read.format == .json)
        #expect(read.orders.map(\.order.name) == ["#1009", "#1071"])
        #expect(read.orders.map(\.location) == [.path("line 1: $"), .path("line 3: $")])
        // The third line's order is broken: its problems carry the line.
        #expect(read.problems.map(\.description).contains("(input): line 4: order.currency: is missing"))

        let badLine = Self.oneLine(a) + "\n{\"name\": \n" + Self.oneLine(b) + "\n"
        let bad = ShopifyImport.read(badLine)
        #expect(bad.problems.count == 1)
        #expect(bad.problems.first?.description.hasPrefix("(input): line 2: is not valid JSON") == true)
    }

    @Test func aRefundResourceIsRefusedAsNotAnOrder() {
        let read = ShopifyImport.read(Self.real("admin-rest-refund-2016-refund-level-restock-ruby-client.json"))
        #expect(read.orders.isEmpty)
        #expect(
            read.problems.map { $0.text(file: "r.json") } == [
                "r.json: is a refund ({\"refund\": ...}) of order id 450789469, not an order; import the order itself (its refunds come with it)"
            ])
    }

    /// The 2014 order with the 2016 refund of two of its lines (`"restock": true` at the refund,
    /// no `restock_type`): the units are restocked once, as the refund says, and a later cancel
    /// has nothing more of them to put back.
    @Test func refundLevelRestockRestocksItsLinesOnce() throws {
        var order = Self.object("admin-rest-order-2014-authorized-ruby-client.json")["order"] as! [String: Any]
        let refund = Self.object("admin-rest-refund-2016-refund-level-restock-ruby-client.json")["refund"] as! [String: Any]
        order["refunds"] = [refund]
        order["financial_status"] = "partially_refunded"
        let read = ShopifyImport.read(Self.oneLine(["order": order]))
        #expect(read.problems == [])
        let o = try #require(read.orders.first.map(Fixture.ledgered))
        #expect(o.amountRefunded == Money("209.00")!)
        let refunded: Set<Int64> = [703_073_504, 466_157_049]
        let lines = o.lineItems.filter { refunded.contains($0.id) }
        #expect(lines.count == 2)
        for line in lines {
            #expect(line.restocked == 1, "\(line.sku)")
            #expect(o.restockable(line) == 0, "\(line.sku)")
        }
        // Nothing was shipped (the one fulfillment failed): the units came off the order.
        #expect(o.refunds[0].refundLineItems.map(\.restockType) == [.cancel, .cancel])
        var cancelled = o
        cancelled.cancelledAt = Fixture.now
        for line in cancelled.lineItems where refunded.contains(line.id) {
            #expect(cancelled.restockable(line) == 0, "a cancel would put \(line.sku) back twice")
        }
        // Without the refund-level flag the same lines are not restocked.
        var plain = refund
        plain["restock"] = false
        order["refunds"] = [plain]
        let noRestock = ShopifyImport.read(Self.oneLine(["order": order]))
        #expect(noRestock.orders.first?.order.lineItems.map(\.restocked).allSatisfy { $0 == 0 } == true)
        #expect(noRestock.orders.first?.order.refunds.first?.refundLineItems.map(\.restockType) == [.noRestock, .noRestock])
    }

    /// The 2024 shape without the plain amounts: the `*_set` shop money is taken (not presentment).
    @Test func presentmentSetsGiveTheShopMoney() {
        var orders = Self.object("admin-rest-orders-2024-04-partially-refunded-restock-js-client.json")
        var order = (orders["orders"] as! [Any])[0] as! [String: Any]
        for key in ["total_price", "subtotal_price", "total_tax", "total_discounts", "total_outstanding"] {
            order.removeValue(forKey: key)
        }
        var set = order["total_price_set"] as! [String: Any]
        set["presentment_money"] = ["amount": "1.00", "currency_code": "CAD"]
        order["total_price_set"] = set
        orders["orders"] = [order]
        let read = ShopifyImport.read(Self.oneLine(orders))
        #expect(read.problems == [])
        let o = read.orders[0].order
        #expect(o.totalPrice == Money("598.94")!)
        #expect(o.subtotalPrice == Money("597.00")!)
        #expect(o.totalTax == Money("11.94")!)
        #expect(o.totalDiscounts == Money("10.00")!)
    }

    @Test func nullWhereAValueIsUsuallyGivenAndNumbersWithDecimals() {
        var order = Self.object(Self.createWebhook)
        for key in ["total_tax", "total_discounts", "note", "tags", "customer", "total_outstanding", "fulfillment_status"] {
            order[key] = NSNull()
        }
        order["total_price"] = 186.9
        let read = ShopifyImport.read(Self.oneLine(order))
        #expect(read.problems == [])
        let o = read.orders[0].order
        #expect(o.totalPrice == Money("186.90")!)
        #expect(o.totalTax == .zero)
        #expect(o.note == nil)
    }

    @Test func paymentGatewayNamesGiveTheLedgersGateway() {
        let create = Fixture.ledgered(ShopifyImport.read(Self.real(Self.createWebhook)).orders[0])
        #expect(create.paymentGateway == "manual")
        #expect(create.amountPaid == Money("186.90")!)
        let cad = Fixture.read("real/export-79-columns-cad-outstanding-balance-partial-refund.csv")
        let gateways = cad.orders.map { Fixture.ledgered($0).paymentGateway }
        #expect(gateways == ["Stripe", "Stripe", "Clover Payments", "Stripe"])  // #1058 paid with three: the first
    }

    // MARK: CSV

    @Test func csvTaxesIncludedAreToldFromTheTotal() {
        let zar = Fixture.read("real/export-75-columns-2021-zar-tax-included-outstanding-pending.csv")
        #expect(zar.orders.map(\.order.taxesIncluded) == [true, true, true, true])
        let cad = Fixture.read("real/export-79-columns-cad-outstanding-balance-partial-refund.csv")
        #expect(cad.orders.allSatisfy { !$0.order.taxesIncluded })
        // No tax: nothing to tell, so not included.
        let bdt = Fixture.read("real/export-79-columns-bdt-cod-pending-empty-email.csv")
        #expect(bdt.orders.allSatisfy { !$0.order.taxesIncluded })
    }

    @Test func csvZipsLoseTheSpreadsheetApostropheAndEmptyEmailsStayEmpty() {
        for name in RealFixtureFilesTests.fixtureNames where name.hasSuffix(".csv") {
            for item in Fixture.read("real/" + name).orders {
                let zip = item.order.shippingAddress?.zip ?? ""
                #expect(!zip.hasPrefix("'"), "\(name) \(item.order.name) zip \(zip)")
            }
        }
        let zar = Fixture.read("real/export-75-columns-2021-zar-tax-included-outstanding-pending.csv")
        let zips = zar.orders.map { $0.order.shippingAddress?.zip ?? "" }
        #expect(zips.contains("0183"), "\(zips)")
        let bdt = Fixture.read("real/export-79-columns-bdt-cod-pending-empty-email.csv")
        #expect(bdt.orders.map(\.order.email) == ["", ""])
        #expect(bdt.orders.map(\.order.customer.email) == ["", ""])
    }

    @Test func anEmptyEmailShowsNothingRatherThanAngleBrackets() throws {
        let state = Fixture.state(importing: ["real/export-79-columns-bdt-cod-pending-empty-email.csv"])
        let command = try #require(try Command.parse("show #71733"))
        guard case .output(let text) = try Desk.run(command, state: state, context: Context(now: Fixture.now, agent: "alice"))
        else {
            Issue.record("show is not a read")
            return
        }
        #expect(!text.contains("<>"))
        #expect(text.contains("Customer"))
    }

    @Test func oddButRealMoneyIsImportedWithAWarningAfterTheSummary() {
        let eur = Fixture.plan("real/export-75-columns-eur-tax-included-refund-above-total.csv")
        #expect(eur.problems == [])
        #expect(
            eur.warnings.map { $0.text(file: "e.csv") } == [
                "e.csv:7: Refunded Amount 184.60 is more than the Total 184.23 (a refund at another exchange rate?); imported as Shopify has it"
            ])
        let refundedAboveTotal = eur.orders.first { $0.name == "#2226" }!
        #expect(refundedAboveTotal.amountRefunded == Money("184.60")!)
        #expect(LedgerAudit.findings(in: refundedAboveTotal).isEmpty)

        let rounding = Fixture.plan("real/export-79-columns-eur-tax-included-outstanding-rounding.csv")
        #expect(rounding.problems == [])
        #expect(rounding.warnings.count == 2)
        #expect(rounding.warnings.first?.message.hasPrefix("Outstanding Balance -0.01 means 0.01 more than the Total was paid") == true)
        for o in rounding.orders { #expect(LedgerAudit.findings(in: o).isEmpty, "\(o.name)") }

        // Importing again: the duplicates bring no warnings.
        let state = Fixture.state(importing: ["real/export-75-columns-eur-tax-included-refund-above-total.csv"])
        #expect(Fixture.plan("real/export-75-columns-eur-tax-included-refund-above-total.csv", into: state).warnings.isEmpty)
    }

    // MARK: The same order both ways

    /// An order as the store keeps it, with the ids the store gave it (and their links) set aside.
    static func withoutIDs(_ order: Order) -> Order {
        var o = order
        o.customer.id = 0
        for i in o.lineItems.indices { o.lineItems[i].id = 0 }
        for i in o.transactions.indices {
            o.transactions[i].id = 0
            o.transactions[i].parentId = nil
        }
        for r in o.refunds.indices {
            o.refunds[r].id = 0
            for t in o.refunds[r].transactions.indices {
                o.refunds[r].transactions[t].id = 0
                o.refunds[r].transactions[t].parentId = nil
            }
            for l in o.refunds[r].refundLineItems.indices { o.refunds[r].refundLineItems[l].lineItemId = 0 }
        }
        return o
    }

    @Test func theSameOrderThroughCSVAndThroughJSONIsTheSameOrder() throws {
        func imported(_ name: String) throws -> Order {
            let read = Fixture.read(name)
            #expect(read.problems == [], "\(name)")
            let plan = ShopifyImport.plan(read.orders, into: StoreState(), source: "pair", agent: "alice", now: Fixture.now)
            #expect(plan.problems == [], "\(name)")
            return try #require(plan.orders.first)
        }
        let csv = try imported("pair/order.csv")
        let json = try imported("pair/order.json")
        #expect(Self.withoutIDs(csv) == Self.withoutIDs(json))
        // And what it is: tax inside, 5.00 outstanding, 10.00 of the 40.00 paid given back.
        #expect(csv.taxesIncluded)
        #expect(csv.amountPaid == Money("40.00")!)
        #expect(csv.amountRefunded == Money("10.00")!)
        #expect(csv.outstanding == Money("5.00")!)
        #expect(csv.paymentGateway == "shopify_payments")
        #expect(csv.shippingAddress?.zip == "1016 GV")
    }

    // MARK: Round trip

    @Test func ordersCSVKeepsTheOutstandingBalanceShopifyWrote() throws {
        for name in RealFixtureFilesTests.fixtureNames where name.hasSuffix(".csv") {
            let state = Fixture.state(importing: ["real/" + name])
            let exported = ShopifyCSV.export(state.orders)
            let again = ShopifyImport.read(exported)
            #expect(again.problems == [], "\(name)")
            let original = Fixture.read("real/" + name)
            for item in original.orders {
                guard let back = again.orders.first(where: { $0.order.name == item.order.name }) else {
                    Issue.record("\(name): \(item.order.name) is not in the export")
                    continue
                }
                let o = state.orders.first { $0.name == item.order.name }!
                // What the store owes nothing of (cancelled, or paid a little over) is written as 0.
                if let outstanding = item.outstanding, !o.isCancelled, outstanding.isPositive {
                    #expect(back.outstanding == outstanding, "\(name) \(item.order.name)")
                }
                #expect(back.order.taxesIncluded == item.order.taxesIncluded, "\(name) \(item.order.name)")
                // A pending order has no payment yet, so nothing keeps its method.
                if !o.transactions.isEmpty { #expect(back.gateway == item.gateway, "\(name) \(item.order.name)") }
                let plan = ShopifyImport.plan([back], into: StoreState(), source: name, agent: "alice", now: Fixture.now)
                let reimported = try #require(plan.orders.first)
                // A payment a little above the total (negative balance) comes back as the total.
                if item.outstanding?.isNegative != true {
                    #expect(reimported.amountPaid == o.amountPaid, "\(name) \(item.order.name)")
                }
                #expect(reimported.amountRefunded == o.amountRefunded, "\(name) \(item.order.name)")
                #expect(reimported.outstanding == o.outstanding, "\(name) \(item.order.name)")
            }
        }
    }
}
