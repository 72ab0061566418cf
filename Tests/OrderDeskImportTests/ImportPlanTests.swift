import OrderDeskCore
import Testing

@testable import OrderDeskImport

/// Fitting read orders into a store: duplicates, clashes, ids, money owed, stock.
@Suite struct ImportPlanTests {
    @Test func importingTheSameFileAgainChangesNothing() {
        let state = Fixture.state(importing: ["orders.csv", "orders-list.json", "order-single.json", "orders-reordered.csv"])
        #expect(state.orders.count == 13)
        for name in ["orders.csv", "orders-list.json", "order-single.json", "orders-reordered.csv"] {
            let again = Fixture.plan(name, into: state)
            #expect(again.problems == [])
            #expect(again.orders.isEmpty)
            #expect(again.change == nil)
            #expect(again.duplicates.count == Fixture.read(name).orders.count)
        }
        #expect(Fixture.plan("orders-reordered.csv", into: state).duplicates == ["#2001", "#2002"])  // by name: no Id
    }

    @Test func aPartlyKnownFileImportsOnlyTheNewOrders() {
        let csv = Fixture.text("orders.csv")
        // Keep the header and #1001's rows (lines 1-6): a smaller earlier export.
        let lines = csv.split(separator: "\n", omittingEmptySubsequences: false)
        let first = lines.prefix(6).joined(separator: "\n") + "\n"
        var state = StoreState()
        let early = ShopifyImport.plan(ShopifyImport.read(first).orders, into: state, source: "early.csv", agent: "a", now: Fixture.now)
        #expect(early.orders.map(\.name) == ["#1001"])
        try! state.apply(Event(seq: 1, at: Fixture.now, agent: "a", change: .ordersImported(early.change!)))
        let full = Fixture.plan("orders.csv", into: state)
        #expect(full.duplicates == ["#1001"])
        #expect(full.orders.map(\.name) == ["#1002", "#1003", "#1004", "#1005", "#1006", "#1007"])
        #expect(
            full.summary()
                == "imported 6 orders, skipped 1 duplicate, 6 new SKUs at stock 0 (BAG-TRL-GRN, BEANIE-CHR, CANDLE-BW, FURO-IND, OUD-INC, SOCK-WL-M)"
        )
    }

    @Test func anotherOrderUnderAKnownNameIsRefusedNotSkipped() {
        let state = Fixture.state(importing: ["orders.csv"])
        let csv = """
            Name,Id,Created at,Currency,Total,Financial Status,Lineitem quantity,Lineitem name,Lineitem price
            #1001,777,2026-01-01 00:00:00 +0000,EUR,1.00,paid,1,Pen,1.00
            #1999,5934567890102,2026-01-01 00:00:00 +0000,EUR,1.00,paid,1,Pen,1.00
            #2500,,2026-01-01 00:00:00 +0000,EUR,1.00,paid,1,Pen,1.00
            """
        let plan = ShopifyImport.plan(ShopifyImport.read(csv).orders, into: state, source: "other.csv", agent: "a", now: Fixture.now)
        #expect(
            plan.problems.map { $0.text(file: "other.csv") } == [
                "other.csv:2: the store already has an order #1001 with another Id (5934567890101, not 777); OrderDesk cannot hold two orders with one name, so import this shop's orders into a store of their own",
                "other.csv:3: order #1999 has Id 5934567890102, which the store has as order #1002; is this export from another shop?",
            ])
        #expect(plan.orders.isEmpty)
        #expect(plan.change == nil)
    }

    @Test func anOrderWithoutIdUnderAKnownNameIsADuplicate() {
        let state = Fixture.state(importing: ["orders.csv"])
        let csv = """
            Name,Created at,Currency,Total,Financial Status,Lineitem quantity,Lineitem name,Lineitem price
            #1001,2026-01-01 00:00:00 +0000,EUR,1.00,paid,1,Pen,1.00
            """
        let plan = ShopifyImport.plan(ShopifyImport.read(csv).orders, into: state, source: "x.csv", agent: "a", now: Fixture.now)
        #expect(plan.problems == [])
        #expect(plan.duplicates == ["#1001"])
        #expect(plan.change == nil)
    }

    @Test func shopifyIdsAreKeptAndEveryOtherIdIsNewAndUnique() {
        let state = Fixture.state(importing: ["orders.csv", "orders-list.json", "order-single.json", "orders-reordered.csv"])
        #expect(state.order(named: "#1001")?.id == 5_934_567_890_101)
        #expect(state.order(named: "#1101")?.lineItems[0].id == 15_012_345_678_901)
        #expect(state.order(named: "#1102")?.refunds[0].id == 9_212_345_678_901)
        for ids in [state.orders.map(\.id), state.orders.flatMap { $0.lineItems.map(\.id) }, state.orders.flatMap { $0.refunds.map(\.id) }]
        {
            #expect(Set(ids).count == ids.count)
            #expect(ids.allSatisfy { $0 > 0 })
        }
        // Ids the files did not give are above every id in the store and the file at the time.
        #expect(state.order(named: "#1001")!.lineItems.allSatisfy { $0.id > 5_934_567_890_107 })
        #expect(state.order(named: "#2001")!.id > 15_012_345_678_953)
        // Customer ids only where a file gave one (JSON); the CSV exports have none, and none is invented.
        #expect(state.order(named: "#1101")?.customer.hasID == true)
        #expect(state.order(named: "#2001")?.customer.id == 0)
    }

    @Test func aTakenLineItemIdIsReplacedAndItsRefundLinesFollow() {
        let state = Fixture.state(importing: ["orders-list.json"])
        let json = """
            {"order": {"id": 99, "name": "#1300", "created_at": "2026-04-20T10:00:00Z", "currency": "EUR",
              "financial_status": "partially_refunded", "total_price": "20.00",
              "line_items": [{"id": 15012345678901, "title": "Mug", "price": "20.00", "quantity": 1, "sku": "MUG-WHT"}],
              "refunds": [{"id": 9212345678901, "created_at": "2026-04-21T10:00:00Z",
                "refund_line_items": [{"line_item_id": 15012345678901, "quantity": 1, "restock_type": "return"}],
                "transactions": [{"amount": "5.00", "kind": "refund", "status": "success"}]}]}}
            """
        let plan = ShopifyImport.plan(ShopifyImport.read(json).orders, into: state, source: "o.json", agent: "a", now: Fixture.now)
        #expect(plan.problems == [])
        let order = plan.orders[0]
        #expect(order.id == 99)
        #expect(order.lineItems[0].id > state.largestID)
        #expect(order.refunds[0].id > state.largestID)
        #expect(order.lineItems[0].id != order.refunds[0].id)
        #expect(order.refunds[0].refundLineItems[0].lineItemId == order.lineItems[0].id)
        #expect(order.lineItems[0].restocked == 1)
    }

    @Test func anOrderIdEqualToAnotherKindsIdIsFine() {
        // Shopify numbers orders and line items on their own: an order's Id may equal a line item id.
        let state = Fixture.state(importing: ["orders-list.json"])
        let json = """
            {"order": {"id": 15012345678901, "name": "#1301", "created_at": "2026-04-20T10:00:00Z", "currency": "EUR",
              "financial_status": "paid", "total_price": "20.00",
              "line_items": [{"title": "Mug", "price": "20.00", "quantity": 1}]}}
            """
        let plan = ShopifyImport.plan(ShopifyImport.read(json).orders, into: state, source: "o.json", agent: "a", now: Fixture.now)
        #expect(plan.problems == [])
        #expect(plan.orders.map(\.id) == [15_012_345_678_901])
    }

    /// Customers without an id keep 0 ("none"): an invented id would pass for Shopify's. One the
    /// store knows by email (Shopify's id from an earlier JSON import) is taken.
    @Test func customersWithoutIdGetNoneButTheStoresByEmail() {
        let csv = """
            Name,Email,Billing Name,Created at,Currency,Total,Financial Status,Lineitem quantity,Lineitem name,Lineitem price
            #1,Sam@Example.com,Sam Lee,2026-01-01 00:00:00 +0000,EUR,1.00,paid,1,Pen,1.00
            #2,sam@example.com,Sam Lee,2026-01-02 00:00:00 +0000,EUR,1.00,paid,1,Pen,1.00
            #3,,Walk-in,2026-01-03 00:00:00 +0000,EUR,1.00,paid,1,Pen,1.00
            #4,,Walk-in,2026-01-04 00:00:00 +0000,EUR,1.00,paid,1,Pen,1.00
            """
        let plan = ShopifyImport.plan(ShopifyImport.read(csv).orders, into: StoreState(), source: "c.csv", agent: "a", now: Fixture.now)
        #expect(plan.orders.map(\.customer.id) == [0, 0, 0, 0])
        var state = StoreState()
        try! state.apply(Event(seq: 1, at: Fixture.now, agent: "a", change: .ordersImported(plan.change!)))
        let json = """
            {"order": {"id": 77, "name": "#5", "created_at": "2026-01-05T00:00:00Z", "currency": "EUR",
              "financial_status": "paid", "total_price": "1.00", "email": "sam@example.com",
              "customer": {"id": 7000000123, "email": "sam@example.com"},
              "line_items": [{"title": "Pen", "price": "1.00", "quantity": 1}]}}
            """
        let known = ShopifyImport.plan(ShopifyImport.read(json).orders, into: state, source: "e.json", agent: "a", now: Fixture.now)
        try! state.apply(Event(seq: 2, at: Fixture.now, agent: "a", change: .ordersImported(known.change!)))
        let later = """
            Name,Email,Created at,Currency,Total,Financial Status,Lineitem quantity,Lineitem name,Lineitem price
            #6,SAM@example.com,2026-01-06 00:00:00 +0000,EUR,1.00,paid,1,Pen,1.00
            #7,,2026-01-07 00:00:00 +0000,EUR,1.00,paid,1,Pen,1.00
            """
        let next = ShopifyImport.plan(ShopifyImport.read(later).orders, into: state, source: "d.csv", agent: "a", now: Fixture.now)
        #expect(next.orders.map(\.customer.id) == [7_000_000_123, 0])
    }

    @Test func cancelledPaidOrdersOweTheUnrefundedRest() {
        let state = Fixture.state(importing: ["orders.csv"])
        #expect(state.order(named: "#1006")?.refundOwed == Money("42.00")!)
        #expect(state.order(named: "#1003")?.refundOwed.isZero == true)  // refunded already
        #expect(state.order(named: "#1005")?.refundOwed.isZero == true)  // voided: nothing paid
        #expect(state.order(named: "#1001")?.refundOwed.isZero == true)  // not cancelled
    }

    @Test func timelineSaysWhoImportedFromWhereInTheEventsNumber() {
        var state = StoreState()
        try! state.apply(
            Event(
                seq: 1, at: Fixture.now, agent: "x",
                change: .settingChanged(SettingChange(key: "auto-restock", value: "off", previous: "on"))))
        let plan = Fixture.plan("orders.csv", into: state)
        let last = plan.orders[0].timeline.last!
        #expect(last == TimelineEntry(at: Fixture.now, agent: "alice", seq: 2, message: "Imported from Shopify (orders.csv)"))
    }

    @Test func ordersGoInOldestFirst() {
        let plan = Fixture.plan("orders-list.json")
        #expect(plan.orders.map(\.name) == ["#1101", "#1102", "#1103"])
        let reversed = Array(Fixture.read("orders-list.json").orders.reversed())
        let again = ShopifyImport.plan(reversed, into: StoreState(), source: "r", agent: "a", now: Fixture.now)
        #expect(again.orders.map(\.name) == ["#1101", "#1102", "#1103"])
        #expect(zip(again.orders.dropFirst(), again.orders).allSatisfy { $0.createdAt >= $1.createdAt })
    }

    @Test func newSKUsStartAtZeroUnlessTheStockFileSays() {
        let plain = Fixture.plan("orders.csv")
        #expect(
            plain.newSKUsAtZero == ["BAG-TRL-GRN", "BEANIE-CHR", "CANDLE-BW", "FURO-IND", "MUG-WHT", "OUD-INC", "SOCK-WL-M", "TOWEL-LIN"])
        #expect(plain.inventory.values.allSatisfy { $0 == 0 })
        #expect(plain.inventory[""] == nil)  // lines without a SKU have no stock

        let stock = ShopifyStock.read(Fixture.text("inventory.csv"))
        #expect(stock.problems == [])
        #expect(stock.levels == ["MUG-WHT": 15, "TOWEL-LIN": 40, "FURO-IND": 0, "BAG-TRL-GRN": -1, "SCARF-ROSE": 7])
        #expect(stock.rowsWithoutSKU == 1)
        let withStock = Fixture.plan("orders.csv", stock: stock.levels)
        #expect(withStock.newSKUsAtZero == ["BEANIE-CHR", "CANDLE-BW", "OUD-INC", "SOCK-WL-M"])
        #expect(withStock.inventory["MUG-WHT"] == 15)
        #expect(withStock.inventory["SCARF-ROSE"] == 7)  // in the stock file only: it comes in too
        #expect(withStock.stockLevelsSet == 5)
        #expect(
            withStock.summary()
                == "imported 7 orders, skipped 0 duplicates, 4 new SKUs at stock 0 (BEANIE-CHR, CANDLE-BW, OUD-INC, SOCK-WL-M), 5 stock levels from the stock file"
        )
    }

    @Test func knownStockLevelsAreNeverChanged() {
        let state = Fixture.state(importing: ["orders.csv"])
        #expect(state.inventory["MUG-WHT"] == 0)
        let plan = ShopifyImport.plan(
            Fixture.read("order-single.json").orders, stock: ["MUG-WHT": 99, "BEANIE-CHR": 5, "NEW-SKU": 2], into: state,
            source: "o.json", agent: "a", now: Fixture.now)
        #expect(plan.inventory == ["NEW-SKU": 2])  // TOWEL-LIN and BEANIE-CHR are known already
        #expect(plan.stockLevelsKept == 2)
        #expect(plan.newSKUsAtZero == [])
    }

    @Test func dryRunSummaryIsInTheConditional() {
        let plan = Fixture.plan("orders-reordered.csv")
        #expect(plan.summary(dryRun: true) == "would import 2 orders, skip 0 duplicates, 2 new SKUs at stock 0 (CANDLE-BW, MUG-WHT)")
    }

    @Test func manyNewSKUsAreShortenedInTheSummary() {
        var csv = "Name,Created at,Currency,Total,Financial Status,Lineitem quantity,Lineitem name,Lineitem price,Lineitem sku\n"
        csv += "#1,2026-01-01 00:00:00 +0000,EUR,12.00,paid,1,Thing 0,1.00,SKU-00\n"
        for i in 1..<12 { csv += "#1,,,,,1,Thing \(i),1.00,SKU-\(i < 10 ? "0" : "")\(i)\n" }
        let plan = ShopifyImport.plan(ShopifyImport.read(csv).orders, into: StoreState(), source: "s", agent: "a", now: Fixture.now)
        #expect(plan.newSKUsAtZero.count == 12)
        #expect(
            plan.summary().hasSuffix(
                "12 new SKUs at stock 0 (SKU-00, SKU-01, SKU-02, SKU-03, SKU-04, SKU-05, SKU-06, SKU-07, SKU-08, SKU-09, and 2 more)"))
    }
}
