import Foundation
import OrderDeskDemo
import OrderDeskImport
import OrderDeskPractice
import Testing

@testable import OrderDeskCore

// Issue 12's invariants, property-tested: thousands of random command lines (cancel, refund,
// return, restock, recreate, pay, capture, settings), most of them valid and some deliberately
// not (amounts too large or too precise, SKUs not on the order, too many units, orders in the
// wrong state), run through the real pipeline (parse → rules → plan → decide → events → apply)
// on the training store, demo stores, imported Shopify orders of every financial state (the real
// files in Tests/OrderDeskImportTests/Fixtures/real, and variants of their open orders in each
// payment state) and made-up orders (JPY, KWD, tax-inclusive prices, gift cards, split payments).
// After every step, for every order:
//
// - `LedgerAudit` finds nothing (refunded ≤ captured, per gateway too; `financial_status` is the
//   ledger's; currency; totals; restocked units; money moved by a recreate arrives);
// - the ledger's sums agree with the transactions summed here independently: refundable =
//   captured − refunded ≥ 0, outstanding = max(0, current total − captured) and 0 once cancelled;
//   refunds, captures and voids name a payment or authorization of their own method;
// - what the line did is what its rules say: a refund returns exactly its amount, gift card
//   first; a cancel voids what is authorized, refunds or owes what is captured and restocks the
//   units still on the order; a return refunds what was paid for its units and restocks them; a
//   recreate makes the order as it stood when cancelled and moves exactly what the original held
//   (what the original releases, the new order receives); pay and capture take what they say;
//   orders the line does not name are untouched;
// - a valid line is accepted and an invalid one refused; a refusal (or a dry run) changes nothing;
// - stock: for every SKU, level now − level at the start = units restocked (the events' restock
//   lines from cancels, returns and restocks) − units taken again by recreates;
//
// and at the end of each sequence, its events written as journal lines (JSON), read back and
// replayed on the starting state give the same state, byte for byte.
//
// ORDERDESK_PROPERTY_STEPS=N sets the number of steps (default 10,500, shared by the four
// worlds), ORDERDESK_PROPERTY_SEED=N the seed (default 12). A failure prints both, the
// sequence's own seed, the order before and after, and the command lines so far;
// ORDERDESK_PROPERTY_REPEAT=world:seed:length runs that one sequence again. scripts/torture runs
// far more steps.

/// Issue 12's ledger and stock invariants, checked after every step of random command sequences
/// (see the comment above for the list, the worlds and the environment variables).
@Suite struct LedgerPropertyTests {
    enum World: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case training, demo, imported, synthetic
        var testDescription: String { rawValue }
    }

    static let environment = ProcessInfo.processInfo.environment
    static let totalSteps = environment["ORDERDESK_PROPERTY_STEPS"].flatMap { Int($0) } ?? 10_500
    static let baseSeed = environment["ORDERDESK_PROPERTY_SEED"].flatMap { UInt64($0) } ?? 12

    @Test(arguments: World.allCases)
    func randomCommandSequencesKeepTheLedgerInvariants(world: World) throws {
        if let repeatText = Self.environment["ORDERDESK_PROPERTY_REPEAT"] {
            let parts = repeatText.split(separator: ":").map(String.init)
            guard parts.count == 3, parts[0] == world.rawValue, let seed = UInt64(parts[1]), let length = Int(parts[2]) else { return }
            var stats = Stats()
            var run = Run(world: world, seed: seed, index: 0)
            if let failure = run.go(length, &stats) { Issue.record(Comment(rawValue: failure)) }
            return
        }
        let steps = (Self.totalSteps + World.allCases.count - 1) / World.allCases.count
        var rng = SplitMix(seed: Self.baseSeed &* 0x9E37_79B9 &+ UInt64(World.allCases.firstIndex(of: world)!))
        var stats = Stats()
        var done = 0
        var sequences = 0
        let clock = ContinuousClock()
        let started = clock.now
        while done < steps {
            let seed = rng.next() >> 1
            let length = min(steps - done, 15 + rng.below(50))
            var run = Run(world: world, seed: seed, index: sequences)
            if let failure = run.go(length, &stats) {
                Issue.record(Comment(rawValue: failure))
                return
            }
            done += length
            sequences += 1
        }
        let elapsed = clock.now - started
        Self.figure(
            "\(world.rawValue): \(done) steps in \(sequences) sequences, seed \(Self.baseSeed), \(elapsed); \(stats.summary)")
        if world == .imported {
            let statuses = Set(Self.importedStores.flatMap { $0.orders.map(\.financialStatus) })
            #expect(
                statuses == Set(FinancialStatus.allCases), "no imported order is \(Set(FinancialStatus.allCases).subtracting(statuses))")
        }
        // The generator reaches every command, both ways: accepted and refused.
        for kind in Kind.allCases where kind != .settings {
            #expect(stats.accepted[kind, default: 0] > 0, "no \(kind.rawValue) was accepted in \(world.rawValue)")
            #expect(stats.refused[kind, default: 0] > 0, "no \(kind.rawValue) was refused in \(world.rawValue)")
        }
    }
}

extension LedgerPropertyTests {
    /// Prints a run's figures, and adds them to `$ORDERDESK_TORTURE_FIGURES` when scripts/torture
    /// collects them.
    static func figure(_ text: String) {
        print("[property] " + text)
        if let path = environment["ORDERDESK_TORTURE_FIGURES"] {
            // Appended whole: the worlds run at once.
            let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
            guard fd >= 0 else { return }
            let bytes = Array("[torture] 9 ledger properties, \(text)\n".utf8)
            _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            close(fd)
        }
    }
}

// MARK: - The worlds

extension LedgerPropertyTests {
    static let demoNow = Timestamp(iso8601: "2026-11-26T17:58:12Z")!
    static let importNow = Timestamp(iso8601: "2026-05-01T09:00:00Z")!

    /// `Tests/OrderDeskImportTests/Fixtures/real`, found from this source file.
    static let realFixtures: String = {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("OrderDeskImportTests/Fixtures/real").path
    }()

    /// One store per real Shopify file (two of them hold the same order #1001 in different
    /// states), and one of variants: the files' open orders again under new numbers, as
    /// `partially_paid` (some outstanding), `authorized`, `pending`, `paid` and `voided`, so
    /// that every financial state is among the imported orders.
    static let importedStores: [StoreState] = {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: realFixtures)) ?? []).filter {
            $0.hasSuffix(".csv") || $0.hasSuffix(".json")
        }.sorted()
        precondition(!names.isEmpty, "no real fixtures in \(realFixtures)")
        var stores: [StoreState] = []
        var variants: [ImportedOrder] = []
        var number = 50_001
        for name in names {
            var text = String(decoding: FileManager.default.contents(atPath: realFixtures + "/" + name) ?? Data(), as: UTF8.self)
            // A webhook body is a bare order: wrapped, it reads as the Admin API's `{"order": {...}}`.
            if name.hasSuffix("-bare.json") || name.contains("-bare-") { text = "{\"order\": \(text)}" }
            // The orders that read well; the others are the importer's business (a file with any
            // problem is refused by `orderdesk import`), and the 2016 refund resource is no order.
            let read = ShopifyImport.read(text)
            guard !read.orders.isEmpty else { continue }
            stores.append(imported(read.orders, source: name))
            for item in read.orders where !item.order.isCancelled {
                for status: FinancialStatus in [.partiallyPaid, .authorized, .pending, .paid, .voided] {
                    var copy = item
                    copy.order.id = 0
                    copy.order.orderNumber = number
                    copy.order.name = "#\(number)"
                    copy.order.refunds = []
                    copy.order.transactions = []
                    copy.order.financialStatus = status
                    for i in copy.order.lineItems.indices { copy.order.lineItems[i].restocked = 0 }
                    copy.outstanding =
                        status == .partiallyPaid
                        ? LineShares.share(copy.order.totalPrice, 1 + number % 3, of: 4, decimals: copy.order.decimals) : nil
                    variants.append(copy)
                    number += 1
                }
            }
        }
        stores.append(imported(variants, source: "variants"))
        return stores
    }()

    /// Imported orders in a store of their own, as `orderdesk import` commits them; every SKU starts
    /// with a few units in stock.
    static func imported(_ orders: [ImportedOrder], source: String) -> StoreState {
        var stock: [String: Int] = [:]
        for item in orders {
            for line in item.order.lineItems where !line.sku.isEmpty { stock[line.sku] = 1 + Int(line.id % 4) }
        }
        var state = StoreState()
        let plan = ShopifyImport.plan(orders, stock: stock, into: state, source: source, agent: "importer", now: importNow)
        precondition(plan.problems.isEmpty, "\(source): \(plan.problems)")
        if let change = plan.change {
            try! state.apply(Event(seq: 1, at: importNow, agent: "importer", change: .ordersImported(change)))
        }
        return state
    }
}

// MARK: - Orders the other worlds lack

extension LedgerPropertyTests {
    /// A small store of made-up orders with what the demo, training and imported stores have
    /// little or none of: JPY (no decimals) and KWD (three), prices that include tax, discounts,
    /// gift card lines, one SKU on two lines, partly fulfilled orders, every payment state, and
    /// payments split between a gift card and a card.
    static func syntheticStore(_ rng: inout SplitMix) -> StoreState {
        let skus = ["TEE-S", "TEE-M", "MUG", "CAP", "SOCKS", ""]
        let placed = demoNow.adding(seconds: -86_400)
        var orders: [Order] = []
        var nextID: Int64 = 100_000
        func id() -> Int64 {
            nextID += 1
            return nextID
        }
        for n in 0..<(4 + rng.below(9)) {
            let currency = rng.pick(["EUR", "EUR", "USD", "JPY", "KWD"])
            let decimals = Currency.exponent(of: currency)
            func money(_ minor: Int) -> Money { Money(units: Int64(minor), scale: decimals) }
            var lines: [LineItem] = []
            let fulfil = rng.chance(30)
            for _ in 0..<(1 + rng.below(4)) {
                let giftCard = rng.oneIn(10)
                let quantity = 1 + rng.below(4)
                var line = LineItem(
                    id: id(), sku: giftCard ? "GIFT-CARD" : rng.pick(skus), title: giftCard ? "Gift card" : "Item", quantity: quantity,
                    price: money(100 + rng.below(9_000)), fulfilledQuantity: fulfil ? rng.below(quantity + 1) : 0, giftCard: giftCard)
                line.fulfillableQuantity = line.quantity - line.fulfilledQuantity
                lines.append(line)
            }
            let gross = lines.reduce(0) { $0 + Int($1.price.units) * $1.quantity }
            let discounts = rng.chance(40) ? rng.below(gross / 3 + 1) : 0
            let taxesIncluded = rng.chance(30)
            let shipping = rng.chance(70) ? rng.below(1_500) : 0
            let tax = rng.chance(70) ? (gross - discounts + shipping) * (5 + rng.below(20)) / 100 : 0
            let fulfilled = lines.contains { $0.fulfilledQuantity > 0 }
            let allFulfilled = lines.allSatisfy { $0.fulfilledQuantity == $0.quantity }
            var o = Order(
                id: id(), orderNumber: 2001 + n, email: "buyer\(n)@example.com", createdAt: placed.adding(seconds: Int64(n) * 60),
                currency: currency, customer: Customer(id: id(), email: "buyer\(n)@example.com", firstName: "B\(n)", lastName: "Uyer"),
                lineItems: lines, shipping: Money(units: Int64(shipping), scale: decimals),
                tax: Money(units: Int64(tax), scale: decimals), discounts: Money(units: Int64(discounts), scale: decimals),
                taxesIncluded: taxesIncluded, fulfillmentStatus: fulfilled ? (allFulfilled ? .fulfilled : .partial) : nil)
            let gateway = rng.pick(["shopify_payments", "paypal", Gateway.giftCard])
            let status = rng.pick(FinancialStatus.allCases)
            let total = o.totalPrice
            let part = Money(units: max(1, (total.units(atScale: decimals) ?? 1) * Int64(1 + rng.below(3)) / 4), scale: decimals)
            let split = status == .paid && rng.chance(40)
            switch status {
            case .paid where split:
                // A gift card first, the rest by card.
                o.openLedger(.partiallyPaid, captured: part, gateway: Gateway.giftCard, nextID: &nextID)
                o.transactions.append(
                    Transaction(
                        id: id(), kind: .sale, amount: total - part, currency: currency, gateway: "shopify_payments", createdAt: placed))
            case .partiallyPaid: o.openLedger(.partiallyPaid, captured: part, gateway: gateway, nextID: &nextID)
            case .partiallyRefunded, .refunded:
                o.openLedger(.paid, gateway: gateway, nextID: &nextID)
                let sale = o.transactions.last!.id
                o.refunds = [
                    Refund(
                        id: id(), createdAt: placed, note: "Goodwill",
                        transactions: [
                            Transaction(
                                id: id(), kind: .refund, amount: status == .refunded ? total : part, currency: currency, gateway: gateway,
                                parentId: sale, createdAt: placed)
                        ])
                ]
            default: o.openLedger(status, gateway: gateway, nextID: &nextID)
            }
            nextID += 10
            StoreState.settle(&o)
            orders.append(o)
        }
        var inventory: [String: Int] = [:]
        for sku in skus where !sku.isEmpty { inventory[sku] = rng.below(8) }
        return StoreState(orders: orders, inventory: inventory, settings: Settings(autoRestock: rng.chance(70), defaultRefund: .now))
    }
}

// MARK: - One random sequence

extension LedgerPropertyTests {
    enum Kind: String, CaseIterable, Sendable {
        case cancel, refund, `return`, restock, recreate, pay, capture, settings
    }

    /// What a line is expected to do: be accepted, or be refused (and why, for the message).
    enum Expectation: Equatable {
        case accept
        case refuse(String)
    }

    /// Counts per command kind, for the figures and the coverage check.
    struct Stats {
        var accepted: [Kind: Int] = [:]
        var refused: [Kind: Int] = [:]
        var events = 0
        var dryRuns = 0
        /// Lines the generator meant to be valid, and meant to be refused.
        var valid = 0
        var invalid = 0

        var summary: String {
            let parts = Kind.allCases.map { "\($0.rawValue) \(accepted[$0, default: 0])/\(refused[$0, default: 0])" }
            return "\(valid) valid lines, \(invalid) invalid; accepted/refused: " + parts.joined(separator: ", ")
                + "; \(dryRuns) dry runs; \(events) events"
        }
    }

    /// A starting state, the commands run on it so far, and what the invariants need to remember.
    struct Run {
        let world: World
        let seed: UInt64
        let index: Int
        var rng: SplitMix
        let start: StoreState
        var state: StoreState
        var now: Timestamp
        var events: [Event] = []
        var lines: [String] = []
        /// Units put back in stock and taken again, per SKU, from the events.
        var restocked: [String: Int] = [:]
        var taken: [String: Int] = [:]
        /// Imported orders whose totals do not add up before any command (the importer's
        /// findings, see ``followsFromBadTotals(_:)``), with what the audit says of them then.
        var tainted: [String: [String]] = [:]
        /// Orders some event changed.
        var changed: Set<String> = []

        init(world: World, seed: UInt64, index: Int) {
            self.world = world
            self.seed = seed
            self.index = index
            rng = SplitMix(seed: seed)
            switch world {
            case .training:
                start = TrainingStore.make()
                now = TrainingStore.now
            case .demo:
                start = DemoData.makeState(orders: 6 + rng.below(14), seed: rng.next() % 10_000, now: LedgerPropertyTests.demoNow)
                now = LedgerPropertyTests.demoNow
            case .imported:
                let stores = LedgerPropertyTests.importedStores
                start = stores[rng.below(stores.count)]
                now = LedgerPropertyTests.importNow.adding(seconds: 3600)
            case .synthetic:
                start = LedgerPropertyTests.syntheticStore(&rng)
                now = LedgerPropertyTests.demoNow
            }
            state = start
            for f in LedgerAudit.findings(in: start) where Self.followsFromBadTotals(f.problem) {
                tainted[f.order, default: []].append(f.problem)
            }
        }

        /// Runs `length` random steps; the failure's full report, or nil.
        mutating func go(_ length: Int, _ stats: inout Stats) -> String? {
            if let problem = checkState(before: nil, touched: []) { return report("at the start: " + problem) }
            for _ in 0..<length {
                let attempt = nextAttempt()
                lines.append(attempt.line)
                now = now.adding(seconds: 60)
                if let problem = step(attempt, &stats) { return report(problem) }
            }
            if let problem = checkReplay() { return report(problem) }
            return nil
        }

        func report(_ problem: String) -> String {
            """
            \(problem)
            world \(world.rawValue), sequence \(index), seed \(seed) (ORDERDESK_PROPERTY_SEED=\(LedgerPropertyTests.baseSeed) \
            ORDERDESK_PROPERTY_STEPS=\(LedgerPropertyTests.totalSteps); this sequence alone: \
            ORDERDESK_PROPERTY_REPEAT=\(world.rawValue):\(seed):\(lines.count))
            lines so far:
            \(lines.map { "  " + $0 }.joined(separator: "\n"))
            """
        }

        // MARK: Running a line

        /// Runs one line as a batch line runs: parse, rules, decide, record, apply.
        mutating func step(_ attempt: Attempt, _ stats: inout Stats) -> String? {
            let line = attempt.line
            let kind = attempt.kind
            let expectation = attempt.expectation
            if expectation == .accept { stats.valid += 1 } else { stats.invalid += 1 }
            let context = Context(now: now, agent: "prop")
            let before = state
            var made: [Event] = []
            var refusal: OrderDeskError?
            var next = state
            do {
                guard let command = try Command.parse(line) else { return "'\(line)' parses to nothing" }
                guard case .change(let plan) = try Desk.run(command, state: state, context: context) else {
                    return "'\(line)' is not a change"
                }
                if plan.dryRun != attempt.dryRun { return "'\(line)': dry run is \(plan.dryRun)" }
                if attempt.dryRun || rng.oneIn(6) { _ = plan.preview }  // the preview is rendered without trapping
                if attempt.dryRun {
                    // What the shell does with --dry-run: show the preview, change nothing.
                    stats.accepted[kind, default: 0] += 1
                    stats.dryRuns += 1
                    if case .refuse(let why) = expectation { return "'\(line)' was previewed, but it should be refused: \(why)" }
                    return nil
                }
                let changes = try plan.decide(state)
                made = state.events(recording: changes, agent: context.agent, at: now)
                for event in made {
                    do {
                        try next.apply(event)
                    } catch {
                        return "'\(line)': the rules decided an event the state cannot take: \(error)"
                    }
                }
                _ = plan.done(next, made)
            } catch {
                refusal = error
            }
            if let refusal {
                stats.refused[kind, default: 0] += 1
                if expectation == .accept {
                    return "'\(line)' was refused, but it is valid: \(refusal.message)"
                        + Self.orders([attempt.order], before: before, after: nil)
                }
                // A refusal changes nothing (the state is a value: nothing can have written to it).
                if state.seq != before.seq { return "'\(line)' was refused, yet the state moved on" }
                return nil
            }
            stats.accepted[kind, default: 0] += 1
            stats.events += made.count
            if case .refuse(let why) = expectation {
                return "'\(line)' was accepted, but it should be refused: \(why)"
                    + Self.orders([attempt.order], before: before, after: next)
            }
            state = next
            events += made
            var touched: Set<String> = []
            for event in made {
                touched.formUnion(event.change.orderNames)
                changed.formUnion(event.change.orderNames)
                switch event.change {
                case .orderCancelled(let c): for l in c.restocked { restocked[l.sku, default: 0] += l.quantity }
                case .orderRefunded(let r), .orderReturned(let r): for l in r.restocked { restocked[l.sku, default: 0] += l.quantity }
                case .orderRestocked(let r): for l in r.lines { restocked[l.sku, default: 0] += l.quantity }
                case .orderRecreated(let r):
                    for l in r.taken { taken[l.sku, default: 0] += l.quantity }
                    // The new order has the original's totals, as they are.
                    if tainted[r.original] != nil { tainted[r.order.name] = tainted[r.original] }
                default: break
                }
            }
            if let problem = checkEffects(attempt, before: before, events: made) {
                return "'\(line)': " + problem + Self.orders(touched, before: before, after: state)
            }
            if let problem = checkState(before: before, touched: touched) {
                return "after '\(line)': " + problem + Self.orders(touched, before: before, after: state)
            }
            return nil
        }

        /// The orders a failing line named, before and after, for the report.
        static func orders(_ names: Set<String>, before: StoreState, after: StoreState?) -> String {
            var out = ""
            for name in names.sorted() {
                if let o = before.order(named: name) { out += "\n  before: " + summary(o) }
                if let o = after?.order(named: name) { out += "\n  after:  " + summary(o) }
            }
            return out
        }

        /// An order's money and units on one line.
        static func summary(_ o: Order) -> String {
            let f = Facts(o)
            let lines = o.lineItems.map {
                "\($0.sku.isEmpty ? "(no SKU)" : $0.sku)\($0.giftCard ? " (gift card)" : "") ×\($0.quantity) at \($0.price), \($0.fulfilledQuantity) fulfilled, \($0.restocked) restocked"
            }
            let payments = o.transactions.map { "\($0.kind.rawValue) \($0.amount) \($0.gateway)" }
            let refunds = o.refunds.map { r in
                "[\(r.transactions.map { "\($0.amount) \($0.gateway)\($0.transfer.map { " → \($0)" } ?? "")" }.joined(separator: ", "))"
                    + "; \(r.refundLineItems.map { "\($0.lineItemId) ×\($0.quantity) \($0.restockType.rawValue) \($0.subtotal)+\($0.totalTax)" }.joined(separator: ", "))]"
            }
            return "\(o.name) \(o.currency) total \(o.totalPrice) (subtotal \(o.subtotalPrice), shipping \(o.totalShippingPrice), "
                + "tax \(o.totalTax)\(o.taxesIncluded ? " included" : ""), discounts \(o.totalDiscounts)), now \(f.currentTotal); "
                + "captured \(f.captured), released \(f.released), \(o.financialStatus.rawValue)"
                + "\(o.isCancelled ? ", cancelled" : "")\(o.recreatedAs.map { ", recreated as \($0)" } ?? ""); "
                + "lines \(lines); payments \(payments); refunds \(refunds)"
        }

        // MARK: The invariants of every order, after every step

        func checkState(before: StoreState?, touched: Set<String>) -> String? {
            var problems: [String] = []
            for f in LedgerAudit.findings(in: state) where !(tainted[f.order] != nil && Self.followsFromBadTotals(f.problem)) {
                problems.append("audit: \(f)")
            }
            for o in state.orders {
                problems += Self.moneyProblems(o, badTotals: tainted[o.name] != nil, settled: changed.contains(o.name)).map {
                    "\(o.name): \($0)"
                }
                if let before, !touched.contains(o.name), before.order(named: o.name) != o {
                    problems.append("\(o.name) changed, but the command did not name it")
                }
            }
            // Stock moves only by restocks and recreates.
            for sku in Set(start.inventory.keys).union(state.inventory.keys).sorted() {
                let moved = (state.inventory[sku] ?? 0) - (start.inventory[sku] ?? 0)
                let expected = restocked[sku, default: 0] - taken[sku, default: 0]
                if moved != expected {
                    problems.append(
                        "stock of \(sku) moved by \(moved), but \(restocked[sku, default: 0]) units were restocked and \(taken[sku, default: 0]) taken"
                    )
                }
            }
            if let before {
                for sku in Set(before.inventory.keys).subtracting(state.inventory.keys) { problems.append("SKU \(sku) left the inventory") }
            }
            return problems.isEmpty ? nil : problems.joined(separator: "\n")
        }

        /// Whether an audit finding is one that an imported order whose totals do not add up
        /// (total ≠ subtotal + shipping + tax) has, or may come to have once its units are
        /// returned: its lines' shares of the tax are then more than its total holds.
        static func followsFromBadTotals(_ problem: String) -> Bool {
            problem.hasPrefix("total_price ") || problem.hasPrefix("refunded lines and shipping come to more than the total")
        }

        /// The ledger's sums against the transactions summed here, and the rules of the sums.
        static func moneyProblems(_ o: Order, badTotals: Bool, settled: Bool) -> [String] {
            var out: [String] = []
            let f = Facts(o)
            let l = o.ledger
            if l.totalCaptured != f.captured { out.append("ledger captured \(l.totalCaptured), the transactions \(f.captured)") }
            if l.totalReleased != f.released { out.append("ledger released \(l.totalReleased), the transactions \(f.released)") }
            if o.refundable != f.captured - f.released {
                out.append("refundable \(o.refundable) is not captured \(f.captured) − refunded \(f.released)")
            }
            if o.refundable.isNegative { out.append("refundable \(o.refundable) is negative") }
            for (gateway, captured) in f.capturedBy where l.refundable(to: gateway).isNegative || l.refundable(to: gateway) > captured {
                out.append("refundable to \(gateway) is \(l.refundable(to: gateway)) of \(captured) captured")
            }
            for (gateway, released) in f.releasedBy where released > f.capturedBy[gateway, default: .zero] {
                out.append("released \(released) to \(gateway), which captured \(f.capturedBy[gateway, default: .zero])")
            }
            if l.authorizedOpen != f.openAuthorized {
                out.append("ledger open authorizations \(l.authorizedOpen), transactions \(f.openAuthorized)")
            }
            let due = f.currentTotal - f.captured
            let outstanding = o.isCancelled ? Money.zero : (due.isPositive ? due : .zero)
            if o.currentTotal != f.currentTotal { out.append("current total \(o.currentTotal), from the refunds \(f.currentTotal)") }
            if o.outstanding != outstanding {
                out.append(
                    "outstanding \(o.outstanding), not max(0, \(f.currentTotal) − \(f.captured))\(o.isCancelled ? " (cancelled: 0)" : "")")
            }
            if o.outstanding.isNegative { out.append("outstanding \(o.outstanding) is negative") }
            if o.refundOwed.isNegative || (o.refundOwed > o.refundable && !badTotals) {
                out.append("refund owed \(o.refundOwed) is outside 0…\(o.refundable)")
            }
            if o.isCancelled {
                if o.lineItems.contains(where: { $0.fulfillableQuantity != 0 }) { out.append("cancelled, yet units are still fulfillable") }
            }
            for line in o.lineItems {
                if line.restocked < 0 { out.append("line \(line.id) has \(line.restocked) units restocked") }
                if o.restockable(line) < 0 { out.append("line \(line.id) has \(o.restockable(line)) units restockable") }
            }
            let all = o.transactions + o.refunds.flatMap(\.transactions)
            for t in all where t.amount.scale > max(o.decimals, 2) {
                out.append("transaction \(t.id) has \(t.amount.scale) decimals")
            }
            if Set(all.map(\.id)).count != all.count { out.append("two transactions share an id") }
            // Every refund returns a payment of its own method; every capture and void acts on an
            // authorization of its method.
            for t in o.refunds.flatMap(\.transactions) where t.gateway != Gateway.storeCredit {
                guard let parent = t.parentId else { continue }
                if !o.transactions.contains(where: {
                    $0.id == parent && ($0.kind == .sale || $0.kind == .capture) && $0.gateway == t.gateway
                }) {
                    out.append("refund transaction \(t.id) to \(t.gateway) names \(parent), not a payment by \(t.gateway)")
                }
            }
            for t in o.transactions where t.kind == .capture || t.kind == .void {
                if !o.transactions.contains(where: { $0.id == t.parentId && $0.kind == .authorization && $0.gateway == t.gateway }) {
                    out.append(
                        "\(t.kind.rawValue) \(t.id) via \(t.gateway) names \(String(describing: t.parentId)), not an authorization by \(t.gateway)"
                    )
                }
            }
            // (Demo stores come with fulfilled lines still counted fulfillable: the demo's data,
            // put right by the first change to the order.)
            if !o.isCancelled && settled {
                for line in o.lineItems {
                    let units = LedgerPropertyTests.LineUnits(o, line)
                    // Returned beyond what shipped (imported legacy refunds): off the unshipped units.
                    let removed = units.removed + max(0, units.returned - line.fulfilledQuantity)
                    if line.fulfillableQuantity != max(0, line.quantity - line.fulfilledQuantity - removed) {
                        out.append(
                            "line \(line.id) has \(line.fulfillableQuantity) fulfillable of \(line.quantity) (\(line.fulfilledQuantity) fulfilled, \(removed) removed)"
                        )
                    }
                }
            }
            return out
        }

        // MARK: Replay

        /// The events as journal lines (the store's JSON), read back and applied to the starting state.
        func checkReplay() -> String? {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            let decoder = JSONDecoder()
            var replayed = start
            for event in events {
                do {
                    let line = try encoder.encode(event)
                    let read = try decoder.decode(Event.self, from: line)
                    if read != event {
                        return "event \(event.seq) (\(event.type)) reads back differently: \(String(decoding: line, as: UTF8.self))"
                    }
                    try replayed.apply(read)
                } catch {
                    return "replaying event \(event.seq) (\(event.type)): \(error)"
                }
            }
            let a = Self.fingerprint(replayed)
            let b = Self.fingerprint(state)
            guard a != b else { return nil }
            return "replaying the \(events.count) events on the starting state gives another state"
        }

        static func fingerprint(_ state: StoreState) -> Data {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            return try! encoder.encode(Snapshot(state))
        }
    }
}

// MARK: - Sums worked out here, from the transactions and refunds alone

extension LedgerPropertyTests {
    struct Facts {
        var captured = Money.zero
        var capturedBy: [String: Money] = [:]
        /// Refunds, store credit and moves to a recreated order.
        var released = Money.zero
        /// Per payment method (store credit has none).
        var releasedBy: [String: Money] = [:]
        var credited = Money.zero
        var openAuthorized = Money.zero
        var currentTotal: Money

        init(_ o: Order) {
            var authorizations: [Int64: Money] = [:]
            var voided: Set<Int64> = []
            for t in o.transactions where t.succeeded {
                switch t.kind {
                case .authorization: authorizations[t.id] = t.amount
                case .capture, .sale:
                    captured += t.amount
                    capturedBy[t.gateway, default: .zero] += t.amount
                    if t.kind == .capture, let p = t.parentId, let a = authorizations[p] { authorizations[p] = a - t.amount }
                case .void: if let p = t.parentId { voided.insert(p) }
                case .refund: break
                }
            }
            for (id, amount) in authorizations where !voided.contains(id) && amount.isPositive { openAuthorized += amount }
            for r in o.refunds {
                for t in r.transactions where t.succeeded && t.kind == .refund {
                    released += t.amount
                    if t.gateway == Gateway.storeCredit && t.transfer == nil {
                        credited += t.amount
                    } else {
                        releasedBy[t.gateway, default: .zero] += t.amount
                    }
                }
            }
            var total = o.totalPrice
            for r in o.refunds {
                for rl in r.refundLineItems { total -= rl.subtotal + (o.taxesIncluded ? .zero : rl.totalTax) }
                for a in r.orderAdjustments where a.kind == "shipping_refund" {
                    total += a.amount + (o.taxesIncluded ? .zero : a.taxAmount)
                }
            }
            currentTotal = total
        }

        var refundable: Money { captured - released }
    }
}

// MARK: - Random numbers

/// SplitMix64: small, fast, reproducible.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { n <= 0 ? 0 : Int(next() % UInt64(n)) }
    /// True one time in `n`.
    mutating func oneIn(_ n: Int) -> Bool { below(n) == 0 }
    mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
}
