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
        #expect(state.inventory.count == DemoCatalog.products.count)
        #expect(DemoCatalog.products.count >= 35)
        for product in DemoCatalog.products { #expect(state.inventory[product.sku] != nil) }
        #expect(state.inventory.values.allSatisfy { (0...120).contains($0) })
        #expect(state.inventory.values.filter { $0 == 0 }.count >= 1)
        #expect(state.inventory.values.filter { (1...3).contains($0) }.count >= 1)
        for order in state.orders {
            #expect((1...5).contains(order.lineItems.count))
            #expect(Set(order.lineItems.map(\.sku)).count == order.lineItems.count)
            for line in order.lineItems {
                #expect(state.inventory[line.sku] != nil, "\(order.name) sells unknown SKU \(line.sku)")
                #expect(line.quantity >= 1 && line.price.isPositive)
            }
        }
    }

    @Test func totalsAreExact() {
        let state = DemoData.makeState(orders: 1_000, seed: 1, now: Self.now)
        var currencies: Set<String> = []
        for order in state.orders {
            currencies.insert(order.currency)
            let subtotal = order.lineItems.reduce(Money.zero) { $0 + $1.price * $1.quantity }
            #expect(order.subtotalPrice == subtotal)
            #expect(
                order.totalPrice == order.subtotalPrice + order.totalShippingPrice + order.totalTax - order.totalDiscounts)
            #expect(order.totalPrice.isPositive && !order.totalTax.isNegative && !order.totalDiscounts.isNegative)
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
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func cancelledOrdersAreConsistent(seed: UInt64) {
        let state = DemoData.makeState(orders: 2_000, seed: seed, now: Self.now)
        var notified: [String] = []
        for order in state.orders where order.isCancelled {
            let total = order.totalPrice
            #expect(!order.hasFulfilment, "\(order.name) is cancelled and fulfilled")
            #expect(order.fulfillmentStatus == nil)
            #expect(order.cancelledAt! > order.createdAt && order.cancelledAt! <= Self.now)
            guard let record = order.cancellation, let reason = order.cancelReason else {
                Issue.record("\(order.name) has no cancellation record")
                continue
            }
            #expect(DemoCatalog.agents.contains(record.agent))
            if record.notified { notified.append(order.name) }
            switch record.refund {
            case .void:
                #expect(order.financialStatus == .voided && order.refunds.isEmpty && order.refundOwed.isZero)
            case .now, .credit:
                #expect(order.financialStatus == .refunded && order.refundOwed.isZero)
                #expect(order.refunds.count == 1 && order.amountRefunded == total)
                let method: RefundMethod = record.refund == .credit ? .storeCredit : .original
                #expect(order.refunds[0].transactions.allSatisfy { $0.method == method })
            case .later:
                if order.refunds.isEmpty {
                    #expect(order.financialStatus == .paid && order.refundOwed == total)
                } else {
                    #expect(order.financialStatus == .refunded && order.refundOwed.isZero && order.amountRefunded == total)
                }
            }
            let restocked = order.lineItems.map(\.restocked)
            #expect(restocked.allSatisfy { $0 == 0 } || zip(restocked, order.lineItems).allSatisfy { $0 == $1.quantity })
            let entry = order.timeline.first { $0.message.hasPrefix("Cancelled (\(reason.rawValue):") }
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
            if order.fulfillmentStatus != nil { #expect(order.timeline.contains { $0.message.hasPrefix("Fulfilled ") }) }
            #expect(
                order.timeline.filter { $0.message.hasPrefix("Refunded ") }.count
                    == order.refunds.count - (order.isCancelled && order.cancellation?.refund != .later ? order.refunds.count : 0))
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
            case .restocked?: Issue.record("\(order.name) is restocked")
            }
        }
        func fulfilledShare(_ orders: ArraySlice<Order>) -> Double {
            Double(orders.filter { $0.fulfillmentStatus == .fulfilled }.count) / Double(orders.count)
        }
        #expect(fulfilledShare(state.orders.prefix(1_000)) > fulfilledShare(state.orders.suffix(50)))
    }

    @Test func idsNeverCollide() {
        let state = DemoData.makeState(orders: 3_000, seed: 1, now: Self.now)
        var all: [Int64] = []
        var customers: Set<Int64> = []
        for order in state.orders {
            all.append(order.id)
            all += order.lineItems.map(\.id)
            all += order.refunds.map(\.id)
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
            #expect(order.amountRefunded + order.refundOwed <= order.totalPrice, "\(order.name)")
            #expect(order.refunds.allSatisfy { $0.amount.isPositive })
            switch order.financialStatus {
            case .partiallyRefunded:
                #expect(order.amountRefunded.isPositive && order.amountRefunded < order.totalPrice)
                #expect(order.refunds.allSatisfy { $0.note != nil })
            case .refunded: #expect(order.amountRefunded == order.totalPrice)
            case .paid, .authorized, .pending, .voided: #expect(order.amountRefunded.isZero)
            case .partiallyPaid: Issue.record("\(order.name) is partially paid")
            }
        }
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
