import OrderDeskPractice
import OrderDeskTestSupport
import Testing

@testable import OrderDeskCore

@Suite struct CancelRulesTests {
    static let states: [FinancialStatus] = [.paid, .authorized, .pending, .partiallyRefunded]

    /// One unfulfilled order in the given payment state: 2 × 25.00 + 1 × 12.50 + 4.90 shipping = 67.40 EUR.
    static func store(_ status: FinancialStatus) -> StoreState {
        var o = Order(
            id: 1, orderNumber: 1001, email: "ann@example.com", createdAt: Timestamp(seconds: 1_700_000_000), currency: "EUR",
            customer: Customer(id: 2, email: "ann@example.com", firstName: "Ann", lastName: "Berg"),
            lineItems: [
                LineItem(id: 3, sku: "TEE", title: "Tee", quantity: 2, price: Money("25.00")!),
                LineItem(id: 4, sku: "MUG", title: "Mug", quantity: 1, price: Money("12.50")!),
            ], shipping: Money("4.90")!)
        var nextID: Int64 = 10
        o.openLedger(status, nextID: &nextID)
        if status == .partiallyRefunded {
            o.refunds = [
                Refund(
                    id: 5, createdAt: o.createdAt, note: nil,
                    transactions: [
                        Transaction(
                            id: 6, kind: .refund, amount: Money("7.40")!, currency: "EUR", gateway: "shopify_payments", parentId: 10,
                            createdAt: o.createdAt)
                    ])
            ]
            StoreState.settle(&o)
        }
        return StoreState(orders: [o], inventory: ["TEE": 10, "MUG": 1])
    }

    @Test(arguments: states, ["now", "credit", "later"])
    func everyCombination(status: FinancialStatus, refund: String) throws {
        for restock in [true, false] {
            for notify in [true, false] {
                var desk = Desktop(Self.store(status))
                let line =
                    "cancel #1001 --reason customer --refund \(refund) \(restock ? "--restock" : "--no-restock") \(notify ? "--notify" : "--no-notify")"
                try desk.run(line)
                let o = desk.order("#1001")
                #expect(o.isCancelled && o.cancelReason == .customer)
                #expect(o.cancellation?.agent == "tester")
                let paid = Money("67.40")!
                let before = status == .partiallyRefunded ? Money("7.40")! : .zero
                switch (status, refund) {
                case (.authorized, _), (.pending, _):
                    #expect(o.financialStatus == .voided)
                    #expect(o.refunds.count == 0 && o.refundOwed.isZero)
                    #expect(o.cancellation?.refund == .void)
                case (_, "later"):
                    #expect(o.financialStatus == status, "refund later leaves the payment as it was")
                    #expect(o.refundOwed == paid - before)
                    #expect(o.amountRefunded == before)
                default:
                    #expect(o.financialStatus == .refunded)
                    #expect(o.amountRefunded == paid, "refunded in full, exactly")
                    #expect(o.refunds.last?.amount == paid - before, "only the remainder is refunded")
                    #expect(o.refunds.last?.transactions.first?.method == (refund == "credit" ? .storeCredit : .original))
                    #expect(o.refundOwed.isZero)
                }
                #expect(desk.state.inventory["TEE"] == (restock ? 12 : 10))
                #expect(desk.state.inventory["MUG"] == (restock ? 2 : 1))
                #expect(o.lineItems.map(\.restocked) == (restock ? [2, 1] : [0, 0]))
                #expect(desk.state.outbox.count == (notify ? 1 : 0))
                if notify {
                    let body = desk.state.outbox[0].body
                    #expect(body.contains("#1001"))
                    #expect(body.contains("as you asked us to"))
                    #expect(desk.state.outbox[0].to == "ann@example.com")
                }
                #expect(o.cancellation?.notified == notify)
                #expect(o.timeline.last?.message.hasPrefix("Cancelled (customer") == true)
            }
        }
    }

    @Test func settingsGiveTheDefaults() throws {
        var desk = Desktop(Self.store(.paid))
        try desk.run("settings auto-restock off")
        try desk.run("settings default-refund later")
        try desk.run("cancel #1001 --reason inventory")
        let o = desk.order("#1001")
        #expect(o.refundOwed == Money("67.40")!)
        #expect(o.lineItems.allSatisfy { $0.restocked == 0 })
        #expect(desk.state.outbox.count == 1, "notify defaults to on")
        #expect(desk.events.map(\.type) == ["setting.changed", "setting.changed", "order.cancelled"])
    }

    @Test func fraudIsNotNotifiedByDefaultAndNeverNamed() throws {
        var desk = Desktop(Self.store(.paid))
        try desk.run("cancel #1001 --reason fraud")
        #expect(desk.state.outbox.isEmpty)
        var told = Desktop(Self.store(.paid))
        try told.run("cancel #1001 --reason fraud --notify --offer 'a 10% voucher'")
        let body = told.state.outbox[0].body
        #expect(!body.lowercased().contains("fraud"))
        #expect(body.contains("a 10% voucher"))
    }

    @Test func restockNeverTwice() throws {
        var desk = Desktop(Self.store(.paid))
        try desk.run("cancel #1001 --reason customer --restock")
        #expect(throws: OrderDeskError.nothingToRestock(order: "#1001")) { try desk.run("restock #1001 --all") }
        #expect(desk.state.inventory["TEE"] == 12)
    }

    @Test func refusalsChangeNothing() throws {
        let sample = Desktop()
        let cases: [(String, OrderDeskError)] = [
            ("cancel #4242 --reason customer", .unknownOrder("#4242")),
            ("cancel #1003 --reason customer", .fulfilled(order: "#1003", status: "fulfilled")),
            ("cancel #1006 --reason customer", .fulfilled(order: "#1006", status: "partly fulfilled")),
            (
                "cancel #1007 --reason customer",
                .alreadyCancelled(order: "#1007", at: Timestamp(iso8601: "2026-11-15T10:00:00Z")!, by: "alice", reason: .customer)
            ),
            ("cancel #1001", .reasonRequired(order: "#1001")),
        ]
        for (line, error) in cases {
            var desk = sample
            #expect(throws: error) { try desk.run(line) }
            #expect(desk.state.seq == 0 && desk.events.isEmpty)
        }
        #expect(
            OrderDeskError.alreadyCancelled(order: "#1007", at: TrainingStore.now, by: "alice", reason: .customer).message.contains(
                "by alice"))
    }

    @Test func dryRunPreviewShowsMoneyStockAndNotice() throws {
        let desk = Desktop()
        let plan = try desk.plan("cancel #1001 --reason inventory --offer '15% off' --dry-run")
        #expect(plan.dryRun)
        #expect(plan.preview.contains("refund 67.40 EUR to shopify_payments now"))
        #expect(plan.preview.contains("TEE-BLK-M  12 → 14 (+2)"))
        #expect(plan.preview.contains("MUG-WHT    3 → 4 (+1)"))
        #expect(plan.preview.contains("15% off"))
        #expect(plan.preview.contains("no longer available"))
    }
}

@Suite struct RefundAndRestockTests {
    @Test func refundsAreCappedToTheCent() throws {
        var desk = Desktop()
        #expect(throws: OrderDeskError.refundTooLarge(order: "#1005", requested: "42.01 EUR", available: "42.00 EUR")) {
            try desk.run("refund #1005 42.01")
        }
        try desk.run("refund #1005 41.99")
        #expect(desk.order("#1005").financialStatus == .partiallyRefunded)
        try desk.run("refund #1005 0.01 --credit")
        #expect(desk.order("#1005").financialStatus == .refunded)
        #expect(desk.order("#1005").amountRefunded == Money("52.00")!)
        #expect(throws: OrderDeskError.nothingToRefund(order: "#1005")) { try desk.run("refund #1005 --rest") }
    }

    @Test func refundAmountsAreCheckedForTheCurrency() throws {
        var desk = Desktop()
        #expect(throws: OrderDeskError.badAmount("1.005", currency: "EUR", decimals: 2)) { try desk.run("refund #1001 1.005") }
        #expect(throws: OrderDeskError.badAmount("-5", currency: "EUR", decimals: 2)) { try desk.run("refund #1001 -5") }
        #expect(throws: OrderDeskError.badAmount("0", currency: "EUR", decimals: 2)) { try desk.run("refund #1001 0") }
        #expect(throws: OrderDeskError.nothingToRefund(order: "#1004")) { try desk.run("refund #1004 100") }
        #expect(desk.events.isEmpty)
    }

    @Test func refundingWhatIsOwedReducesTheDebt() throws {
        var desk = Desktop()
        try desk.run("refund #1007 10")
        #expect(desk.order("#1007").refundOwed == Money("20.00")!)
        try desk.run("refund #1007 --rest")
        #expect(desk.order("#1007").refundOwed.isZero)
        #expect(desk.order("#1007").financialStatus == .refunded)
        #expect(try desk.read("orders --status refund-owed") == "No orders match.")
    }

    @Test func restockCaps() throws {
        var desk = Desktop()
        try desk.run("cancel #1001 --reason customer --no-restock")
        #expect(throws: OrderDeskError.restockTooMany(order: "#1001", sku: "TEE-BLK-M", requested: 3, available: 2)) {
            try desk.run("restock #1001 TEE-BLK-M=3")
        }
        #expect(throws: OrderDeskError.skuNotOnOrder(order: "#1001", sku: "HOOD-GRY-L")) { try desk.run("restock #1001 HOOD-GRY-L") }
        try desk.run("restock #1001 TEE-BLK-M=1")
        #expect(desk.state.inventory["TEE-BLK-M"] == 13)
        try desk.run("restock #1001 --all")
        #expect(desk.state.inventory["TEE-BLK-M"] == 14)
        #expect(desk.state.inventory["MUG-WHT"] == 4)
        #expect(throws: OrderDeskError.notCancelled(order: "#1002", action: "restocked by hand")) { try desk.run("restock #1002 --all") }
    }
}
