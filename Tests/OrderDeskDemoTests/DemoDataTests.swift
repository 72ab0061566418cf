import Foundation
import Testing

@testable import OrderDeskCore
@testable import OrderDeskDemo

/// The demo store: reproducible, realistic, consistent, and fast enough for a million orders.
@Suite struct DemoDataTests {
    /// A fixed "now": 2026-05-01T12:00:00Z.
    static let now = Timestamp(iso8601: "2026-05-01T12:00:00Z")!

    /// The state as the snapshot file would hold it, keys sorted.
    static func json(_ state: StoreState) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(Snapshot(state))
    }

    @Test func sameSeedGivesTheSameState() throws {
        let a = DemoData.makeState(orders: 200, seed: 7, now: Self.now)
        let b = DemoData.makeState(orders: 200, seed: 7, now: Self.now)
        #expect(try Self.json(a) == Self.json(b))
    }

    @Test func differentSeedsGiveDifferentStates() throws {
        let a = DemoData.makeState(orders: 200, seed: 1, now: Self.now)
        let b = DemoData.makeState(orders: 200, seed: 2, now: Self.now)
        #expect(try Self.json(a) != Self.json(b))
    }

    @Test func defaultsAreTwoHundredOrdersOfSeedOne() throws {
        let a = DemoData.makeState(now: Self.now)
        let b = DemoData.makeState(orders: 200, seed: 1, now: Self.now)
        #expect(a.orders.count == 200)
        #expect(try Self.json(a) == Self.json(b))
    }

    @Test(arguments: [0, 1, 2, 37, 200, 1_000])
    func countAndNumbersAreRespected(count: Int) {
        let state = DemoData.makeState(orders: count, seed: 3, now: Self.now)
        #expect(state.orders.count == count)
        #expect(state.seq == 0)
        #expect(state.settings == Settings())
        let earliest = Self.now.adding(seconds: -90 * 86_400)
        for (index, order) in state.orders.enumerated() {
            #expect(order.orderNumber == 1001 + index)
            #expect(order.name == "#\(1001 + index)")
            #expect(order.createdAt >= earliest && order.createdAt < Self.now)
            if index > 0 { #expect(order.createdAt > state.orders[index - 1].createdAt) }
        }
        #expect(state.nextOrderNumber == 1001 + count)
    }

    @Test func inventoryCoversEveryCatalogueSKUAndEveryLine() {
        let state = DemoData.makeState(orders: 500, seed: 1, now: Self.now)
        #expect(state.inventory.count == DemoCatalog.stockedProducts.count)
        #expect(DemoCatalog.stockedProducts.count >= 35)
        for product in DemoCatalog.products { #expect((state.inventory[product.sku] != nil) == !product.giftCard) }
        #expect(state.inventory.values.allSatisfy { (0...120).contains($0) })
        #expect(state.inventory.values.filter { $0 == 0 }.count >= 1)
        #expect(state.inventory.values.filter { (1...3).contains($0) }.count >= 1)
        for order in state.orders {
            #expect((1...5).contains(order.lineItems.count))
            #expect(Set(order.lineItems.map(\.sku)).count == order.lineItems.count)
            for line in order.lineItems {
                #expect(DemoCatalog.products.contains { $0.sku == line.sku && $0.giftCard == line.giftCard })
                #expect(line.isStocked == (state.inventory[line.sku] != nil), "\(order.name) sells unknown SKU \(line.sku)")
                #expect(line.quantity >= 1 && line.price.isPositive)
            }
        }
    }

    /// The tax rate of an order's address, in basis points: the city's where it has one (US), else
    /// the country's.
    static func taxRate(_ order: Order) -> Int64? {
        guard let address = order.shippingAddress,
            let country = DemoCatalog.countries.first(where: { $0.name == address.country })
        else { return nil }
        let city = country.cities.first { $0.name == address.city && $0.zip == address.zip }
        return Int64(city?.taxBasisPoints ?? country.taxBasisPoints)
    }

    @Test func totalsAreExact() {
        let state = DemoData.makeState(orders: 1_000, seed: 1, now: Self.now)
        var currencies: Set<String> = []
        for order in state.orders {
            currencies.insert(order.currency)
            // Shopify's subtotal_price: the lines after discounts, before shipping and tax.
            let lines = order.lineItems.reduce(Money.zero) { $0 + $1.price * $1.quantity }
            #expect(order.subtotalPrice == lines - order.totalDiscounts)
            let tax = order.taxesIncluded ? Money.zero : order.totalTax
            #expect(order.totalPrice == order.subtotalPrice + order.totalShippingPrice + tax)
            #expect(order.totalPrice.isPositive && !order.totalTax.isNegative && !order.totalDiscounts.isNegative)
            #expect(order.taxesIncluded == ["EUR", "SEK", "GBP"].contains(order.currency), "\(order.name) in \(order.currency)")
            // The tax in minor units, exactly: the VAT inside the taxable amount, or the tax on top of it.
            guard let rate = Self.taxRate(order),
                let taxable = (order.subtotalPrice + order.totalShippingPrice).units(atScale: order.decimals)
            else {
                Issue.record("\(order.name) has no known address")
                continue
            }
            let expected =
                order.taxesIncluded
                ? (taxable * rate * 2 + 10_000 + rate) / (2 * (10_000 + rate)) : (taxable * rate + 5_000) / 10_000
            #expect(order.totalTax.units(atScale: order.decimals) == expected, "\(order.name)")
            // Every amount is written at the currency's exponent: JPY whole yen, the rest cents.
            let amounts = [order.subtotalPrice, order.totalShippingPrice, order.totalTax, order.totalDiscounts, order.totalPrice]
            #expect(amounts.allSatisfy { $0.scale == order.decimals })
            #expect(order.lineItems.allSatisfy { $0.price.scale == order.decimals })
        }
        #expect(currencies == ["EUR", "USD", "GBP", "SEK", "JPY"])
        let euro = state.orders.filter { $0.currency == "EUR" }.count
        #expect(euro * 2 > state.orders.count, "mostly EUR")
        #expect(state.orders.first { $0.currency == "JPY" }?.totalPrice.scale == 0)
    }

    @Test func customersAreVariedReturningAndWriteASCIIEmails() {
        let state = DemoData.makeState(orders: 1_000, seed: 1, now: Self.now)
        var byID: [Int64: Customer] = [:]
        var countries: Set<String> = []
        for order in state.orders {
            let customer = order.customer
            if let known = byID[customer.id] {
                #expect(known == customer, "customer \(customer.id) changed between orders")
            }
            byID[customer.id] = customer
            #expect(order.email == customer.email)
            #expect(customer.email.isPlainASCII)
            let domain = customer.email.split(separator: "@").last.map(String.init) ?? ""
            #expect(["example.com", "example.org", "example.net"].contains(domain))
            if let address = order.shippingAddress {
                countries.insert(address.country)
                #expect(!address.city.isEmpty && !address.zip.isEmpty && !address.address1.isEmpty)
            }
        }
        #expect(byID.count < state.orders.count, "some customers come back")
        #expect(byID.count > state.orders.count / 4)
        #expect(Set(byID.values.map(\.email)).count == byID.count, "one email per customer")
        #expect(countries.count >= 8)
        let names = byID.values.map(\.fullName)
        #expect(names.contains { !$0.isPlainASCII })
        #expect(names.contains { $0.unicodeScalars.contains { $0.value >= 0x3000 } }, "CJK names too")
        #expect(state.orders.contains { $0.tags.contains("first-order") })
        #expect(state.orders.contains { $0.tags.contains("vip") })
        #expect(state.orders.contains { $0.note != nil })
    }

    @Test(arguments: [UInt64(1), 2, 3, 4, 5])
    func twoHundredOrdersShowEveryCase(seed: UInt64) {
        let orders = DemoData.makeState(orders: 200, seed: seed, now: Self.now).orders
        let open = orders.filter { !$0.isCancelled }
        let payments = Set(open.map(\.financialStatus))
        for status in [FinancialStatus.paid, .authorized, .pending, .partiallyRefunded] {
            #expect(payments.contains(status), "no \(status) order with seed \(seed)")
        }
        #expect(open.contains { $0.fulfillmentStatus == nil })
        #expect(open.contains { $0.fulfillmentStatus == .partial })
        #expect(open.contains { $0.fulfillmentStatus == .fulfilled })
        let cancelled = orders.filter(\.isCancelled)
        #expect((10...16).contains(cancelled.count), "5–8 % cancelled")
        #expect(Set(cancelled.compactMap(\.cancelReason)).count >= 3)
        #expect(cancelled.contains { $0.refundOwed.isPositive }, "refund-owed has content")
        #expect(Set(cancelled.compactMap(\.cancellation?.refund)).count >= 3)
        #expect(orders.contains(where: \.taxesIncluded) && orders.contains { !$0.taxesIncluded })
        #expect(LedgerAudit.findings(in: DemoData.makeState(orders: 200, seed: seed, now: Self.now)).isEmpty)
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func cancelledOrdersAreConsistent(seed: UInt64) {
        let state = DemoData.makeState(orders: 2_000, seed: seed, now: Self.now)
        var notified: [String] = []
        for order in state.orders where order.isCancelled {
            let paid = order.amountPaid
            #expect(!order.hasFulfilment, "\(order.name) is cancelled and fulfilled")
            #expect(order.lineItems.allSatisfy { $0.fulfillableQuantity == 0 })
            let stocked = order.lineItems.filter(\.isStocked)
            let allBack = !stocked.isEmpty && stocked.allSatisfy { $0.restocked == $0.quantity }
            #expect(order.fulfillmentStatus == (allBack ? .restocked : nil), "\(order.name)")
            #expect(order.cancelledAt! > order.createdAt && order.cancelledAt! <= Self.now)
            guard let record = order.cancellation, let reason = order.cancelReason else {
                Issue.record("\(order.name) has no cancellation record")
                continue
            }
            #expect(DemoCatalog.agents.contains(record.agent))
            if record.notified { notified.append(order.name) }
            // Voids only release open authorizations; nothing captured is ever voided.
            #expect(order.ledger.authorizedOpen.isZero)
            switch record.refund {
            case .void:
                #expect(order.financialStatus == .voided && order.refunds.isEmpty && order.refundOwed.isZero && paid.isZero)
            case .now, .credit:
                #expect(order.financialStatus == .refunded && order.refundOwed.isZero && paid.isPositive)
                #expect(order.refunds.count == 1 && order.amountRefunded == paid)
                let method: RefundMethod = record.refund == .credit ? .storeCredit : .original
                #expect(order.refunds[0].transactions.allSatisfy { $0.method == method })
            case .later:
                if order.refunds.isEmpty {
                    #expect(order.refundOwed == paid && paid.isPositive)
                    #expect(order.financialStatus == (paid < order.totalPrice ? .partiallyPaid : .paid))
                } else {
                    #expect(order.financialStatus == .refunded && order.refundOwed.isZero && order.amountRefunded == paid)
                }
            }
            // Restocked whole or not at all; gift cards never.
            #expect(stocked.allSatisfy { $0.restocked == 0 } || allBack)
            #expect(order.lineItems.allSatisfy { !$0.giftCard || $0.restocked == 0 })
            // cancel_reason holds Shopify's value; the record and the timeline OrderDesk's finer one.
            #expect(reason == record.reason.shopify)
            let entry = order.timeline.first { $0.message.hasPrefix("Cancelled (\(record.reason.rawValue):") }
            #expect(entry?.at == order.cancelledAt && entry?.agent == record.agent)
        }
        #expect(state.outbox.map(\.order).sorted() == notified.sorted())
        for notice in state.outbox {
            let order = state.order(named: notice.order)!
            #expect(notice.to == order.email && notice.at == order.cancelledAt)
            #expect(notice.subject == "Your order \(order.name) has been cancelled")
        }
    }

    @Test func timelinesStartWithThePlacementAndStayInOrder() {
        let state = DemoData.makeState(orders: 1_000, seed: 1, now: Self.now)
        for order in state.orders {
            let first = order.timeline.first
            #expect(first == TimelineEntry(at: order.createdAt, agent: nil, seq: nil, message: "Order placed"))
            #expect(zip(order.timeline, order.timeline.dropFirst()).allSatisfy { $0.at <= $1.at })
            #expect(order.timeline.allSatisfy { $0.at <= Self.now && $0.seq == nil })
            if order.hasFulfilment { #expect(order.timeline.contains { $0.message.hasPrefix("Fulfilled ") }) }
            // Every refund has its entry, but the one a cancel made, which the cancel's entry tells.
            let afterTheFact = order.refunds.filter { !(order.isCancelled && $0.createdAt == order.cancelledAt) }
            #expect(
                order.timeline.filter { $0.message.hasPrefix("Refunded ") || $0.message.hasPrefix("Returned ") }.count
                    == afterTheFact.count, "\(order.name)")
            #expect(
                order.timeline.filter { $0.message.hasPrefix("Returned ") }.count
                    == afterTheFact.filter { !$0.refundLineItems.isEmpty }.count)
            // Money collected after the order was placed (a deposit's balance) has its entry too.
            let later = order.transactions.filter { $0.kind == .sale && $0.createdAt > order.createdAt }
            #expect(order.timeline.filter { $0.message.hasPrefix("Payment of ") }.count == later.count)
        }
        #expect(state.orders.contains { $0.fulfillmentStatus == .fulfilled })
    }

    @Test func fulfilmentMatchesTheLinesAndOlderOrdersAreMoreOftenFulfilled() {
        let state = DemoData.makeState(orders: 2_000, seed: 1, now: Self.now)
        for order in state.orders {
            let shipped = order.lineItems.reduce(0) { $0 + $1.fulfilledQuantity }
            switch order.fulfillmentStatus {
            case nil: #expect(shipped == 0)
            case .fulfilled?: #expect(order.lineItems.allSatisfy { $0.fulfilledQuantity == $0.quantity })
            case .partial?: #expect(shipped > 0 && shipped < order.unitCount)
            case .restocked?:
                let stocked = order.lineItems.filter(\.isStocked)
                #expect(!stocked.isEmpty && stocked.allSatisfy { $0.restocked == $0.quantity }, "\(order.name)")
            }
            // Shopify's fulfillable_quantity: none once cancelled, else what is neither shipped nor removed.
            for line in order.lineItems {
                let removed = order.refunds.flatMap(\.refundLineItems).filter { $0.lineItemId == line.id && $0.restockType == .cancel }
                    .reduce(0) { $0 + $1.quantity }
                let expected = order.isCancelled ? 0 : line.quantity - line.fulfilledQuantity - removed
                #expect(line.fulfillableQuantity == expected, "\(order.name) line \(line.id)")
            }
        }
        func fulfilledShare(_ orders: ArraySlice<Order>) -> Double {
            Double(orders.filter { $0.fulfillmentStatus == .fulfilled }.count) / Double(orders.count)
        }
        #expect(fulfilledShare(state.orders.prefix(1_000)) > fulfilledShare(state.orders.suffix(50)))
        let partial = state.orders.filter { $0.fulfillmentStatus == .partial }
        #expect(partial.contains { $0.lineItems.contains { $0.fulfillableQuantity > 0 && $0.fulfilledQuantity > 0 } })
    }

    @Test func idsNeverCollide() {
        let state = DemoData.makeState(orders: 3_000, seed: 1, now: Self.now)
        var all: [Int64] = []
        var customers: Set<Int64> = []
        for order in state.orders {
            all.append(order.id)
            all += order.lineItems.map(\.id)
            all += order.refunds.map(\.id)
            all += order.transactions.map(\.id) + order.refunds.flatMap(\.transactions).map(\.id)
            customers.insert(order.customer.id)
        }
        all += state.feedback.map(\.id) + state.outbox.map(\.id) + customers
        let ids = Set(all)
        #expect(ids.count == all.count)
        #expect(state.largestID == ids.max(), "new ids start above every demo id")
    }

    @Test func refundsNeverExceedTheTotal() {
        let state = DemoData.makeState(orders: 3_000, seed: 2, now: Self.now)
        for order in state.orders {
            let paid = order.amountPaid
            #expect(paid <= order.totalPrice, "\(order.name)")
            #expect(order.amountRefunded + order.refundOwed <= paid, "\(order.name)")
            #expect(order.refunds.allSatisfy { $0.amount.isPositive })
            switch order.financialStatus {
            case .partiallyRefunded:
                #expect(order.amountRefunded.isPositive && order.amountRefunded < paid)
                #expect(order.refunds.allSatisfy { $0.note != nil })
            case .refunded: #expect(order.amountRefunded == paid)
            case .paid: #expect(order.amountRefunded.isZero && paid == order.totalPrice)
            case .partiallyPaid: #expect(order.amountRefunded.isZero && paid.isPositive && paid < order.totalPrice)
            case .authorized, .pending, .voided: #expect(order.amountRefunded.isZero && paid.isZero)
            }
        }
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func everyOrderPassesTheLedgerAudit(seed: UInt64) {
        let state = DemoData.makeState(orders: 4_000, seed: seed, now: Self.now)
        let findings = LedgerAudit.findings(in: state)
        #expect(findings.isEmpty, "\(findings.count) findings, first: \(findings.prefix(5).map(\.description))")
    }

    /// The fields the store derives (financial_status, fulfillable_quantity, the restocked
    /// status) are what `StoreState.settle` makes of each order: settling again changes nothing.
    @Test(arguments: [UInt64(1), 2])
    func derivedFieldsAreWhatTheStoreWouldSettle(seed: UInt64) {
        let state = DemoData.makeState(orders: 3_000, seed: seed, now: Self.now)
        for order in state.orders {
            var settled = order
            StoreState.settle(&settled)
            #expect(settled == order, "\(order.name)")
        }
    }

    @Test func sameSeedGivesTheSameLargerState() throws {
        let a = DemoData.makeState(orders: 3_000, seed: 11, now: Self.now)
        let b = DemoData.makeState(orders: 3_000, seed: 11, now: Self.now)
        #expect(try Self.json(a) == Self.json(b))
    }

    @Test func taxIncludedOrdersHoldTheirVATInside() {
        let state = DemoData.makeState(orders: 2_000, seed: 2, now: Self.now)
        let included = state.orders.filter(\.taxesIncluded)
        let onTop = state.orders.filter { !$0.taxesIncluded }
        #expect(Set(included.map(\.currency)) == ["EUR", "SEK", "GBP"])
        #expect(Set(onTop.map(\.currency)) == ["USD", "JPY"])
        for order in included {
            // The total is what the buyer saw: lines after discounts plus shipping, VAT inside.
            #expect(order.totalPrice == order.subtotalPrice + order.totalShippingPrice)
            #expect(order.totalTax.isPositive && order.totalTax < order.totalPrice)
        }
        #expect(onTop.contains { $0.totalPrice == $0.subtotalPrice + $0.totalShippingPrice + $0.totalTax && $0.totalTax.isPositive })
        // A full return of a tax-included order gives back the lines' shares, which hold their VAT.
        for order in included where order.financialStatus == .refunded && !order.isCancelled {
            let lines = order.refunds.flatMap(\.refundLineItems)
            #expect(lines.reduce(Money.zero) { $0 + $1.subtotal } == order.subtotalPrice)
            #expect(order.currentTotal.isZero)
        }
    }

    @Test func partlyPaidOrdersExistOpenAndCancelled() {
        let state = DemoData.makeState(orders: 4_000, seed: 1, now: Self.now)
        let partly = state.orders.filter { $0.financialStatus == .partiallyPaid }
        #expect(partly.count >= 5 && partly.count * 20 < state.orders.count, "a small share")
        for order in partly {
            let sales = order.transactions.filter { $0.kind == .sale }
            #expect(sales.count == 1 && sales[0].amount < order.totalPrice)
            if order.isCancelled {
                // The deposit is owed back: nothing was authorized, so nothing is voided.
                #expect(order.refundOwed == sales[0].amount && !order.transactions.contains { $0.kind == .void })
            } else {
                #expect(order.outstanding == order.totalPrice - sales[0].amount)
                #expect(order.fulfillmentStatus == nil)
            }
        }
        #expect(partly.contains { !$0.isCancelled })
        // Cancelled deposits: refunded (the captured part only), or still owed.
        let cancelledDeposits = state.orders.filter {
            $0.isCancelled && $0.amountPaid.isPositive && $0.amountPaid < $0.totalPrice
        }
        #expect(cancelledDeposits.contains { $0.amountRefunded == $0.amountPaid && $0.financialStatus == .refunded })
        // Older deposits whose balance came later, recorded by an agent.
        let settled = state.orders.filter { order in
            order.transactions.contains { $0.kind == .sale && $0.gateway == Gateway.manual && $0.createdAt > order.createdAt }
        }
        #expect(!settled.isEmpty)
        for order in settled {
            #expect(order.timeline.contains { $0.message.hasPrefix("Payment of ") && $0.message.hasSuffix("; paid in full") })
            #expect(order.amountPaid == order.totalPrice)
        }
    }

    @Test(arguments: [UInt64(1), 2])
    func giftCardLinesAreNeverRestocked(seed: UInt64) {
        let state = DemoData.makeState(orders: 5_000, seed: seed, now: Self.now)
        let withCards = state.orders.filter { $0.lineItems.contains(where: \.giftCard) }
        #expect(withCards.count > 20)
        for order in withCards {
            for line in order.lineItems where line.giftCard {
                #expect(line.restocked == 0 && !line.isStocked && state.inventory[line.sku] == nil)
                for rl in order.refunds.flatMap(\.refundLineItems) where rl.lineItemId == line.id {
                    #expect(rl.restockType == .noRestock)
                }
            }
        }
        // Cancelled and restocked: every other unit went back, the gift card did not.
        #expect(
            withCards.contains { order in
                order.isCancelled && order.lineItems.contains { !$0.giftCard && $0.restocked > 0 }
            })
    }

    @Test(arguments: [UInt64(1), 2])
    func giftCardPaymentsAreRefundedFirst(seed: UInt64) {
        let state = DemoData.makeState(orders: 5_000, seed: seed, now: Self.now)
        let paidByCard = state.orders.filter { $0.transactions.contains { $0.gateway == Gateway.giftCard } }
        #expect(paidByCard.count > 50)
        // Part by gift card, the rest by card: two sales adding up to the total.
        let split = paidByCard.filter { order in
            let sales = order.transactions.filter { $0.kind == .sale }
            return sales.map(\.gateway) == [Gateway.giftCard, "shopify_payments"]
                && sales.reduce(Money.zero) { $0 + $1.amount } == order.totalPrice
        }
        #expect(!split.isEmpty)
        // Every refund to a payment method follows the rule: the gift card gets back all it can first.
        var cardFirst = 0
        for order in paidByCard {
            let card = order.transactions.filter { $0.gateway == Gateway.giftCard }.reduce(Money.zero) { $0 + $1.amount }
            var cardBack = Money.zero
            for refund in order.refunds {
                var other = false
                for t in refund.transactions where t.gateway != Gateway.storeCredit {
                    if t.gateway == Gateway.giftCard {
                        #expect(!other, "\(order.name): the card was refunded before the gift card")
                        cardBack = cardBack + t.amount
                    } else {
                        other = true
                        #expect(cardBack == card, "\(order.name): refunded to \(t.gateway) before the gift card was")
                    }
                }
                if refund.transactions.first?.gateway == Gateway.giftCard { cardFirst += 1 }
            }
            #expect(cardBack <= card)
        }
        #expect(cardFirst > 0)
        // Cancels of orders paid partly by gift card, refunded now: the gift card first, then the card.
        let cancelled = split.filter { $0.isCancelled && $0.cancellation?.refund == .now }
        #expect(!cancelled.isEmpty)
        for order in cancelled {
            #expect(order.refunds[0].transactions.map(\.gateway) == [Gateway.giftCard, "shopify_payments"])
        }
    }

    @Test func returnsCarryTheLinesSharesAsShopifyRecordsThem() {
        let state = DemoData.makeState(orders: 5_000, seed: 3, now: Self.now)
        var returns = 0
        for order in state.orders where !order.isCancelled {
            for refund in order.refunds where !refund.refundLineItems.isEmpty {
                returns += 1
                for rl in refund.refundLineItems {
                    guard let line = order.lineItems.first(where: { $0.id == rl.lineItemId }) else {
                        Issue.record("\(order.name) refunds a line it does not have")
                        continue
                    }
                    // Shipped units come back; their share is at most their price, after discounts.
                    #expect(rl.restockType == (line.giftCard ? .noRestock : .return))
                    #expect(rl.quantity <= line.fulfilledQuantity)
                    #expect(rl.subtotal.isPositive && rl.subtotal <= line.price * rl.quantity)
                    #expect(!rl.totalTax.isNegative && rl.totalTax < rl.subtotal)
                }
                // What went back is the units' value (tax on top where prices exclude it) and shipping.
                let value = refund.refundLineItems.reduce(Money.zero) {
                    $0 + $1.subtotal + (order.taxesIncluded ? .zero : $1.totalTax)
                }
                let shipping = refund.orderAdjustments.reduce(Money.zero) {
                    $0 - $1.amount - (order.taxesIncluded ? .zero : $1.taxAmount)
                }
                #expect(refund.amount == value + shipping, "\(order.name)")
            }
        }
        #expect(returns > 50)
    }

    @Test func feedbackIsSparseSkewedAndTiedToOrders() {
        let state = DemoData.makeState(orders: 5_000, seed: 1, now: Self.now)
        let feedback = state.feedback
        #expect(feedback.count > 5_000 / 100 && feedback.count < 5_000 * 6 / 100, "about 3 %")
        #expect(zip(feedback, feedback.dropFirst()).allSatisfy { $0.at <= $1.at })
        for entry in feedback {
            let order = state.order(named: entry.order)!
            #expect((1...5).contains(entry.rating) && !entry.text.isEmpty)
            #expect(entry.email == order.email && entry.at > order.createdAt && entry.at <= Self.now)
            #expect(DemoCatalog.agents.contains(entry.agent))
            #expect(order.timeline.contains { $0.message == "Feedback logged: rating \(entry.rating)" && $0.at == entry.at })
        }
        let happy = feedback.filter { $0.rating >= 4 }.count
        #expect(happy * 2 > feedback.count)
        #expect(feedback.contains { $0.rating <= 2 })
        #expect(feedback.contains { !$0.text.isPlainASCII })
    }

    @Test func generatorIsSplitMix64() {
        var rng = SeededGenerator(seed: 0)
        #expect(rng.next() == 0xE220_A839_7B1D_CDAF)
        #expect(rng.next() == 0x6E78_9E6A_A1B9_65F4)
        var deck = Deck([(card: "a", count: 2), (card: "b", count: 3)])
        let round = (0..<5).map { _ in deck.deal(using: &rng) }
        #expect(round.sorted() == ["a", "a", "b", "b", "b"])
    }

    @Test func snapshotRoundTrips() throws {
        let state = DemoData.makeState(orders: 300, seed: 5, now: Self.now)
        let data = try Self.json(state)
        let decoded = try JSONDecoder().decode(Snapshot.self, from: data)
        #expect(try Self.json(decoded.state) == data)
    }

    @Test func timingOfOneHundredThousandOrders() {
        let clock = ContinuousClock()
        var state = StoreState()
        let elapsed = clock.measure { state = DemoData.makeState(orders: 100_000, seed: 1, now: Self.now) }
        print("DemoData.makeState(orders: 100_000) took \(elapsed)")
        #expect(state.orders.count == 100_000)
    }
}

extension String {
    /// Whether every character is ASCII.
    fileprivate var isPlainASCII: Bool { unicodeScalars.allSatisfy { $0.isASCII } }
}
