import OrderDeskPractice
import OrderDeskTestSupport
import Testing

@testable import OrderDeskCore

/// Each case of issue 12 ("Money you can trust"), as a support team met it, behaving as
/// Shopify would on the ledger.
@Suite struct LedgerCasesTests {
    static let placed = Timestamp(iso8601: "2026-11-01T10:00:00Z")!

    /// One order of 2 × 40.00 + 1 × 20.00 (+ 5.00 shipping) in EUR, paid by the given transactions.
    static func store(
        taxesIncluded: Bool = false, tax: String = "0.00", discounts: String = "0.00", giftCardLine: Bool = false,
        fulfilled: [Int] = [0, 0], payments: (inout Order) -> Void
    ) -> StoreState {
        var lines = [
            LineItem(id: 11, sku: "LAMP", title: "Lamp", quantity: 2, price: Money("40.00")!, fulfilledQuantity: fulfilled[0]),
            LineItem(id: 12, sku: "VASE", title: "Vase", quantity: 1, price: Money("20.00")!, fulfilledQuantity: fulfilled[1]),
        ]
        if giftCardLine {
            lines.append(LineItem(id: 13, sku: "GIFT-25", title: "Gift card", quantity: 1, price: Money("25.00")!, giftCard: true))
        }
        var o = Order(
            id: 1, orderNumber: 2001, email: "mia@example.com", createdAt: placed, currency: "EUR",
            customer: Customer(id: 2, email: "mia@example.com", firstName: "Mia", lastName: "Roth"), lineItems: lines,
            shipping: Money("5.00")!, tax: Money(tax)!, discounts: Money(discounts)!, taxesIncluded: taxesIncluded)
        if fulfilled.contains(where: { $0 > 0 }) { o.fulfillmentStatus = fulfilled == [2, 1] ? .fulfilled : .partial }
        payments(&o)
        StoreState.settle(&o)
        return StoreState(orders: [o], inventory: ["LAMP": 5, "VASE": 5, "GIFT-25": 100])
    }

    static func sale(_ amount: String, _ gateway: String = "shopify_payments", id: Int64 = 100) -> Transaction {
        Transaction(id: id, kind: .sale, amount: Money(amount)!, currency: "EUR", gateway: gateway, createdAt: placed)
    }

    static func paid(_ o: inout Order) { o.transactions = [sale(o.totalPrice.description)] }

    /// The text with runs of spaces made one, to find money rows whatever their padding.
    static func flat(_ text: String) -> String {
        text.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
    }

    // MARK: The cases at the top of the issue

    /// Before: cancel later, recreate ("the payment moved to it"), then refund --rest paid the
    /// customer back from the original too. After: the move is on both ledgers, and the original
    /// has nothing left to refund.
    @Test func aRefundTwiceIsRefused() throws {
        var desk = Desktop(Self.store(payments: Self.paid))
        try desk.run("cancel #2001 --reason staff --refund later --yes")
        try desk.run("recreate #2001 --yes")
        #expect(throws: OrderDeskError.paymentMoved(order: "#2001", to: "#2001-R1")) { try desk.run("refund #2001 --rest --yes") }
        let old = desk.order("#2001")
        let new = desk.order("#2001-R1")
        #expect(old.refundable.isZero && old.ledger.movedOut == Money("105.00")!)
        #expect(new.amountPaid == Money("105.00")! && new.financialStatus == .paid)
        #expect(LedgerAudit.findings(in: desk.state).isEmpty)
    }

    /// Before: 30.00 of 100.00 captured showed "Paid 0.00", cancel said "You have not been
    /// charged" and every refund was refused. After: the 30.00 is paid, refundable, refunded by
    /// the cancel; the authorization of the rest is voided; the notice says both.
    @Test func partlyPaidCountsWhatWasPaid() throws {
        let auth = Transaction(
            id: 100, kind: .authorization, amount: Money("105.00")!, currency: "EUR", gateway: "shopify_payments", createdAt: Self.placed)
        let capture = Transaction(
            id: 101, kind: .capture, amount: Money("30.00")!, currency: "EUR", gateway: "shopify_payments", parentId: 100,
            createdAt: Self.placed)
        var desk = Desktop(Self.store { $0.transactions = [auth, capture] })
        let o = desk.order("#2001")
        #expect(o.financialStatus == .partiallyPaid)
        #expect(o.amountPaid == Money("30.00")! && o.refundable == Money("30.00")! && o.outstanding == Money("75.00")!)
        #expect(Self.flat(try desk.read("show #2001")).contains("Paid 30.00"))
        #expect(throws: OrderDeskError.refundTooLarge(order: "#2001", requested: "30.01 EUR", available: "30.00 EUR")) {
            try desk.run("refund #2001 30.01 --yes")
        }
        try desk.run("cancel #2001 --reason customer --refund now --yes")
        let after = desk.order("#2001")
        #expect(after.amountRefunded == Money("30.00")! && after.ledger.authorizedOpen.isZero)
        #expect(after.transactions.last?.kind == .void && after.transactions.last?.amount == Money("75.00")!)
        #expect(after.financialStatus == .refunded && after.outstanding.isZero)
        let body = try #require(desk.state.outbox.last?.body)
        #expect(body.contains("We have refunded 30.00 EUR to your original payment method"))
        #expect(body.contains("The rest of the payment, 75.00 EUR, was never charged"))
        #expect(!body.contains("You have not been charged"))
    }

    /// Before: prices including tax showed Subtotal + Shipping + Tax ≠ Total, and recreate of a
    /// 95.00 order asked for 113.39. After: tax is shown as included and recreate keeps the total.
    @Test func taxIncludedIsCountedOnce() throws {
        var desk = Desktop(Self.store(taxesIncluded: true, tax: "18.39", discounts: "10.00", payments: Self.paid))
        let o = desk.order("#2001")
        #expect(o.totalPrice == Money("95.00")!, "90.00 after discount + 5.00 shipping, tax inside")
        #expect(o.subtotalPrice == Money("90.00")!)
        let text = Self.flat(try desk.read("show #2001"))
        #expect(text.contains("Total 95.00 incl. 18.39 EUR tax"))
        #expect(!text.contains(" Tax "))
        try desk.run("cancel #2001 --reason staff --refund later --yes")
        try desk.run("recreate #2001 --yes")
        let new = desk.order("#2001-R1")
        #expect(new.totalPrice == Money("95.00")! && new.taxesIncluded && new.totalTax == Money("18.39")!)
        #expect(new.financialStatus == .paid)
    }

    /// Before: subtotal_price was before discounts on orders OrderDesk made and after them on
    /// imported ones, and show subtracted the discount twice on one of them. After: Shopify's
    /// meaning everywhere, and the money block adds up.
    @Test func subtotalHasShopifysMeaning() throws {
        let desk = Desktop(Self.store(tax: "9.50", discounts: "10.00", payments: Self.paid))
        let o = desk.order("#2001")
        #expect(o.subtotalPrice == Money("90.00")!)
        #expect(o.totalPrice == o.subtotalPrice + o.totalShippingPrice + o.totalTax)
        let text = Self.flat(try desk.read("show #2001"))
        #expect(text.contains("Items 100.00"))
        #expect(text.contains("Discounts -10.00"))
        #expect(text.contains("Subtotal 90.00"))
        #expect(text.contains("Total 104.50"))
    }

    /// Before: cancel --no-restock, recreate (reusing the held units), then restock --all put
    /// them back although they belonged to the new order. After: restock says where they went.
    @Test func heldUnitsGoToTheRecreatedOrderOnce() throws {
        var desk = Desktop(Self.store(payments: Self.paid))
        try desk.run("cancel #2001 --reason staff --no-restock --refund later --yes")
        try desk.run("recreate #2001 --yes")
        #expect(desk.state.inventory == ["LAMP": 5, "VASE": 5, "GIFT-25": 100], "held units are reused, none taken")
        #expect(throws: OrderDeskError.unitsMoved(order: "#2001", to: "#2001-R1")) { try desk.run("restock #2001 --all") }
        #expect(desk.state.inventory["LAMP"] == 5)
    }

    /// Before: a gift card bought was restocked like a product, and a gift-card payment was not
    /// refunded first. After: never restocked; refunds go to the gift card first.
    @Test func giftCardsAreNotStockAndAreRefundedFirst() throws {
        var desk = Desktop(
            Self.store(giftCardLine: true) {
                $0.transactions = [Self.sale("100.00", "shopify_payments", id: 100), Self.sale("30.00", Gateway.giftCard, id: 101)]
            })
        try desk.run("refund #2001 40.00 --yes")
        let first = try #require(desk.order("#2001").refunds.last)
        #expect(first.transactions.map(\.gateway) == [Gateway.giftCard, "shopify_payments"])
        #expect(first.transactions.map(\.amount) == [Money("30.00")!, Money("10.00")!])
        #expect(first.transactions.map(\.parentId) == [101, 100])
        try desk.run("cancel #2001 --reason customer --restock --yes")
        let o = desk.order("#2001")
        #expect(o.lineItems.map(\.restocked) == [2, 1, 0], "the gift card is not stock")
        #expect(desk.state.inventory["GIFT-25"] == 100)
        #expect(o.amountRefunded == Money("130.00")! && o.ledger.refundable(to: Gateway.giftCard).isZero)
        #expect(LedgerAudit.findings(in: desk.state).isEmpty)
    }

    /// Before: a fulfilled order had no way forward. After: `return` refunds by line and
    /// restocks with restock_type return; the cancel refusal points to it.
    @Test func aFulfilledOrderIsReturned() throws {
        var desk = Desktop(Self.store(tax: "10.50", discounts: "10.00", fulfilled: [2, 1], payments: Self.paid))
        #expect(throws: OrderDeskError.fulfilled(order: "#2001", status: "fulfilled")) {
            try desk.run("cancel #2001 --reason customer --yes")
        }
        #expect(OrderDeskError.fulfilled(order: "#2001", status: "fulfilled").message.contains("return #2001"))
        try desk.run("return #2001 LAMP=1 --shipping 5.00 --yes")
        let o = desk.order("#2001")
        let refund = try #require(o.refunds.last)
        let line = try #require(refund.refundLineItems.first)
        // 40.00 less its share of the 10.00 discount (80/100 × 10 / 2 units = 4.00), plus its share
        // of the 10.50 tax (spread over 90.00 of goods and 5.00 of shipping: the lamps' 7.96, halved).
        #expect(line.restockType == .return && line.quantity == 1)
        #expect(line.subtotal == Money("36.00")!)
        #expect(line.totalTax == Money("3.98")!)
        #expect(refund.amount == Money("45.53")!, "36.00 + 3.98 tax + 5.00 shipping with its 0.55 tax")
        #expect(refund.orderAdjustments.first?.amount == Money("-5.00")!)
        #expect(desk.state.inventory["LAMP"] == 6)
        #expect(o.financialStatus == .partiallyRefunded && o.refundOwed.isZero && o.outstanding.isZero)
        #expect(desk.state.outbox.last?.subject == "Your return for order #2001")
        // Everything back: the line shares add up to the total to the cent.
        try desk.run("return #2001 LAMP VASE --yes")
        let all = desk.order("#2001")
        #expect(all.amountRefunded == all.totalPrice)
        #expect(all.financialStatus == .refunded)
        #expect(throws: OrderDeskError.returnTooMany(order: "#2001", sku: "LAMP", requested: 1, available: 0)) {
            try desk.run("return #2001 LAMP=1 --yes")
        }
    }

    /// The unfulfilled units of a partly fulfilled order come off it (restock_type cancel).
    @Test func unshippedUnitsOfAPartlyFulfilledOrderAreRemoved() throws {
        var desk = Desktop(Self.store(fulfilled: [2, 0], payments: Self.paid))
        try desk.run("return #2001 VASE --yes")
        let o = desk.order("#2001")
        let line = try #require(o.refunds.last?.refundLineItems.first)
        #expect(line.restockType == .cancel && line.subtotal == Money("20.00")!)
        #expect(o.lineItems[1].fulfillableQuantity == 0 && o.lineItems[0].fulfillableQuantity == 0)
        #expect(o.amountRefunded == Money("20.00")! && desk.state.inventory["VASE"] == 6)
        #expect(o.currentTotal == Money("85.00")! && o.outstanding.isZero)
    }

    /// Before: a recreated order stayed pending forever. After: `pay` records the payment.
    @Test func aRecreatedOrderIsPaidWithPay() throws {
        var desk = Desktop(Self.store(payments: Self.paid))
        try desk.run("cancel #2001 --reason staff --refund now --yes")
        try desk.run("recreate #2001 --yes")
        #expect(desk.order("#2001-R1").financialStatus == .pending)
        #expect(throws: OrderDeskError.paymentTooLarge(order: "#2001-R1", requested: "105.01 EUR", outstanding: "105.00 EUR")) {
            try desk.run("pay #2001-R1 105.01 --yes")
        }
        try desk.run("pay #2001-R1 50.00 --method bank_transfer --yes")
        #expect(desk.order("#2001-R1").financialStatus == .partiallyPaid)
        try desk.run("pay #2001-R1 --yes")
        let o = desk.order("#2001-R1")
        #expect(o.financialStatus == .paid && o.outstanding.isZero)
        #expect(o.transactions.map(\.gateway) == ["bank_transfer", "manual"])
        #expect(throws: OrderDeskError.nothingOutstanding(order: "#2001-R1")) { try desk.run("pay #2001-R1 --yes") }
    }

    // MARK: Collecting money

    @Test func captureSettlesTheAuthorization() throws {
        let auth = Transaction(
            id: 100, kind: .authorization, amount: Money("105.00")!, currency: "EUR", gateway: "shopify_payments", createdAt: Self.placed)
        var desk = Desktop(Self.store { $0.transactions = [auth] })
        #expect(desk.order("#2001").financialStatus == .authorized)
        #expect(throws: OrderDeskError.authorizationOpen(order: "#2001", amount: "105.00 EUR")) { try desk.run("pay #2001 --yes") }
        try desk.run("capture #2001 40.00 --yes")
        #expect(desk.order("#2001").financialStatus == .partiallyPaid)
        #expect(desk.order("#2001").transactions.last?.parentId == 100)
        try desk.run("capture #2001 --yes")
        let o = desk.order("#2001")
        #expect(o.financialStatus == .paid && o.ledger.authorizedOpen.isZero)
        #expect(throws: OrderDeskError.nothingToCapture(order: "#2001", status: .paid)) { try desk.run("capture #2001 --yes") }
    }

    @Test func payAndCaptureRefuseCancelledOrdersAndPreviewFirst() throws {
        var desk = Desktop()
        #expect(throws: OrderDeskError.orderCancelled(order: "#1007", action: "paid")) { try desk.run("pay #1007 --yes") }
        let plan = try desk.plan("capture #1002 --dry-run")
        #expect(plan.dryRun && plan.preview.contains("capture 59.00 EUR via shopify_payments"))
        try desk.run("pay #1004 --yes")
        #expect(desk.order("#1004").financialStatus == .paid)
    }

    // MARK: Refund notices

    @Test func refundsNotifyUnlessToldNot() throws {
        var desk = Desktop()
        try desk.run("refund #1007 10 --yes")
        #expect(desk.state.outbox.last?.order == "#1007")
        #expect(desk.state.outbox.last?.body.contains("We have refunded 10.00 GBP") == true)
        let count = desk.state.outbox.count
        try desk.run("refund #1007 5 --no-notify --yes")
        #expect(desk.state.outbox.count == count)
    }

    @Test func cancelReasonHoldsShopifysValue() throws {
        var desk = Desktop(Self.store(payments: Self.paid))
        try desk.run("cancel #2001 --reason shipping --yes")
        let o = desk.order("#2001")
        #expect(o.cancelReason == .other && o.cancellation?.reason == .shipping)
        #expect(try desk.read("show #2001").contains("Shipping problem (shipping)"))
    }
}
