import OrderDeskPractice
import OrderDeskTestSupport
import Testing

@testable import OrderDeskCore

@Suite struct RecreateTests {
    @Test func refundLaterMovesThePayment() throws {
        var desk = Desktop()
        // #1007 was cancelled with the refund owed: the payment moves to the new order.
        let events = try desk.run("recreate #1007 --yes")
        #expect(events.map(\.type) == ["order.recreated"])
        let old = desk.order("#1007")
        let new = desk.order("#1007-R1")
        #expect(old.recreatedAs == "#1007-R1" && new.recreatedFrom == "#1007")
        #expect(old.refundOwed.isZero && old.refundable.isZero, "the money held moved: nothing is left to refund")
        #expect(old.ledger.movedOut == Money("30.00")! && new.amountPaid == Money("30.00")!)
        #expect(new.transactions.map(\.transfer) == ["#1007"] && old.refunds.last?.transactions.map(\.transfer) == ["#1007-R1"])
        #expect(old.cancelReason == .customer, "the original's cancel reason is left as it was")
        #expect(new.financialStatus == .paid && new.totalPrice == old.totalPrice && new.currency == "GBP")
        #expect(new.lineItems.map(\.sku) == ["NOTE-A5"] && new.lineItems[0].quantity == 2)
        #expect(new.tags.contains("recreated"))
        #expect(new.customer == old.customer)
        #expect(desk.state.inventory["NOTE-A5"] == 3, "the 2 restocked units are taken again")
        #expect(old.timeline.last?.message == "Recreated as #1007-R1; 30.00 GBP moved to #1007-R1")
        #expect(new.timeline.last?.message == "Created from cancelled order #1007")
        let notice = desk.state.outbox.last!
        #expect(notice.body.contains("#1007") && notice.body.contains("#1007-R1"))
    }

    @Test func refundedOrdersComeBackPending() throws {
        var desk = Desktop()
        try desk.run("cancel #1001 --reason staff")
        try desk.run("recreate #1001 --no-notify")
        let new = desk.order("#1001-R1")
        #expect(new.financialStatus == .pending)
        #expect(desk.state.outbox.count == 1, "only the cancel notice")
        #expect(desk.state.inventory["TEE-BLK-M"] == 12)
    }

    /// A fraud or declined-payment cancel is not undone by accident: recreate says why and asks
    /// for --force, changing nothing until it is given (issue 12, "Guards").
    @Test(arguments: [CancelReason.fraud, .declined])
    func fraudAndDeclinedNeedForce(reason: CancelReason) throws {
        var desk = Desktop()
        try desk.run("cancel #1001 --reason \(reason.rawValue)")
        let seq = desk.state.seq
        #expect(throws: OrderDeskError.recreateNeedsForce(order: "#1001", reason: reason)) { try desk.run("recreate #1001 --yes") }
        #expect(desk.state.seq == seq)
        let message = OrderDeskError.recreateNeedsForce(order: "#1001", reason: reason).message
        #expect(message.contains("--force"))
        try desk.run("recreate #1001 --force --yes")
        #expect(desk.order("#1001").recreatedAs == "#1001-R1")
        #expect(desk.order("#1001-R1").orderNumber == 1001)
    }

    @Test func refusals() throws {
        var desk = Desktop()
        #expect(throws: OrderDeskError.notCancelled(order: "#1001", action: "recreated")) { try desk.run("recreate #1001") }
        try desk.run("recreate #1007")
        #expect(throws: OrderDeskError.alreadyRecreated(order: "#1007", as: "#1007-R1")) { try desk.run("recreate #1007") }
        #expect(throws: OrderDeskError.unknownOrder("#4242")) { try desk.run("recreate #4242") }
    }

    @Test func shortStockIsRefusedUnlessOversellIsAllowed() throws {
        var desk = Desktop()
        try desk.run("cancel #1001 --reason customer")  // restocks 2 TEE-BLK-M and 1 MUG-WHT
        // Someone else sells the mugs meanwhile: stock drops to 0 by recreating another order.
        var state = desk.state
        var inventory = state.inventory
        inventory["MUG-WHT"] = 0
        state = StoreState(
            seq: state.seq, orders: state.orders, inventory: inventory, feedback: state.feedback, settings: state.settings,
            outbox: state.outbox)
        desk.state = state
        #expect(throws: OrderDeskError.shortStock(order: "#1001", shortfalls: [StockShortfall(sku: "MUG-WHT", needed: 1, available: 0)])) {
            try desk.run("recreate #1001")
        }
        try desk.run("recreate #1001 --allow-oversell")
        #expect(desk.state.inventory["MUG-WHT"] == -1)
        #expect(try desk.read("show #1001-R1").contains("oversold"))
    }

    @Test func chainsOfRecreation() throws {
        var desk = Desktop()
        try desk.run("recreate #1007")
        try desk.run("cancel #1007-R1 --reason customer --refund later")
        try desk.run("recreate #1007-R1")
        #expect(desk.order("#1007-R2").recreatedFrom == "#1007-R1")
        #expect(desk.order("#1007-R2").orderNumber == 1007)
        #expect(try desk.read("orders --status recreated").contains("#1007-R2"))
        // Three orders have the number 1007 now; the one named #1007 is the one `1007` means.
        #expect(try desk.state.resolveOrder("1007").name == "#1007")
    }
}

@Suite struct FeedbackTests {
    @Test func logsAndLists() throws {
        var desk = Desktop()
        try desk.run("feedback #1001 --rating 4 'Kiitos nopeasta palautuksesta!'")
        let f = desk.state.feedback.last!
        #expect(
            f.order == "#1001" && f.email == "jons.arlig@example.com" && f.rating == 4 && f.agent == "tester" && f.at == TrainingStore.now)
        #expect(try desk.read("feedback list --order #1001").contains("Kiitos"))
        #expect(try desk.read("show #1001").contains("★★★★☆"))
        #expect(throws: OrderDeskError.unknownOrder("#9999")) { try desk.run("feedback #9999 --rating 3") }
        #expect(throws: OrderDeskError.badRating("0")) { try desk.run("feedback #1001 --rating 0") }
    }
}

@Suite struct ImportedOrderTests {
    /// Older orders brought in later take their place by date, so `orders` still lists newest first.
    @Test func importedOrdersTakeTheirPlaceByDate() throws {
        var state = TrainingStore.make()
        let old = Order(
            id: 77_001, orderNumber: 900, email: "early@example.com", createdAt: Timestamp(iso8601: "2026-11-02T00:00:00Z")!,
            currency: "EUR", customer: Customer(id: 77_002, email: "early@example.com", firstName: "Early", lastName: "Bird"),
            lineItems: [LineItem(id: 77_003, sku: "MUG-WHT", title: "Enamel Mug", quantity: 1, price: Money("12.50")!)])
        try state.apply(
            Event(
                seq: 1, at: TrainingStore.now, agent: "import",
                change: .ordersImported(ImportChange(source: "x.csv", orders: [old], inventory: [:]))))
        #expect(state.orders.map(\.name) == ["#1001", "#1002", "#900", "#1003", "#1004", "#1005", "#1006", "#1007", "#1008"])
        #expect(state.order(named: "#900")?.email == "early@example.com")
        #expect(state.order(named: "#1008")?.orderNumber == 1008, "positions are re-indexed")
        #expect(state.nextOrderNumber == 1009)
        let desk = Desktop(state)
        #expect(try desk.read("orders --limit 8").contains("#900"))
        #expect(!(try desk.read("orders --limit 3")).contains("#900"))
    }
}
