import Testing

@testable import OrderDeskCore

/// The random command lines of ``LedgerPropertyTests``, whether each should be accepted, and
/// what each accepted one must have done.
extension LedgerPropertyTests {
    /// One line to run, with what the test knows of it.
    struct Attempt {
        var line: String
        var kind: Kind
        var expectation: Expectation
        /// The order the line names.
        var order: String
        var details: Details
        /// `--dry-run` instead of `--yes`: accepted or refused as the real line, and changes nothing.
        var dryRun = false
    }

    /// The choices a line makes, as the effects check needs them.
    enum Details {
        case cancel(reason: CancelReason, refund: RefundMode?, restock: Bool?, notify: Bool?)
        case refund(amount: Money?, credit: Bool, notify: Bool)
        case `return`(items: [(sku: String, quantity: Int?)], refund: RefundMode, shipping: Money?, restock: Bool, notify: Bool)
        case restock(all: Bool, items: [(sku: String, quantity: Int?)])
        case recreate(notify: Bool)
        case pay(amount: Money?, method: String)
        case capture(amount: Money?)
        case settings
    }
}

// MARK: - Units of a line, worked out here from the refunds

extension LedgerPropertyTests {
    struct LineUnits {
        /// Unfulfilled units taken off the order by refunds (restock type `cancel`).
        var removed = 0
        /// Fulfilled units sent back (any other restock type).
        var returned = 0

        init(_ o: Order, _ line: LineItem) {
            for r in o.refunds {
                for rl in r.refundLineItems where rl.lineItemId == line.id {
                    if rl.restockType == .cancel { removed += rl.quantity } else { returned += rl.quantity }
                }
            }
        }

        /// Units a return can still take: unfulfilled ones still on the order, shipped ones not back.
        func returnable(_ line: LineItem) -> Int {
            // Returned units beyond those shipped (imported legacy refunds) came off the unshipped ones.
            let overReturned = max(0, returned - line.fulfilledQuantity)
            return max(0, line.quantity - line.fulfilledQuantity - removed - overReturned)
                + max(0, line.fulfilledQuantity - returned)
        }
    }

    /// Units of a line that may still go back to stock: off the order (removed, returned, or every
    /// unfulfilled one once cancelled) and not restocked yet, unless the order was recreated.
    static func restockable(_ o: Order, _ line: LineItem) -> Int {
        guard line.isStocked, o.recreatedAs == nil else { return 0 }
        let u = LineUnits(o, line)
        let off = (o.isCancelled ? max(u.removed, line.quantity - line.fulfilledQuantity) : u.removed) + u.returned
        // Never more than the line has (imported refunds may not say which units were shipped).
        return max(0, min(line.quantity, off) - line.restocked)
    }

    /// Units a cancel puts back in stock: those still on the order (unfulfilled and not removed
    /// by a return) and not in stock already.
    static func cancelRestock(_ o: Order, _ line: LineItem) -> Int {
        guard line.isStocked else { return 0 }
        let u = LineUnits(o, line)
        return max(0, line.quantity - line.fulfilledQuantity - max(u.removed, line.restocked))
    }

    /// Shipping not yet refunded.
    static func shippingLeft(_ o: Order) -> Money {
        var left = o.totalShippingPrice
        for r in o.refunds { for a in r.orderAdjustments where a.kind == "shipping_refund" { left += a.amount } }
        return left
    }

    static func lines(_ o: Order, sku: String) -> [LineItem] {
        o.lineItems.filter { !$0.sku.isEmpty && $0.sku.lowercased() == sku.lowercased() }
    }
}

// MARK: - Making lines

extension LedgerPropertyTests.Run {
    typealias Kind = LedgerPropertyTests.Kind
    typealias Attempt = LedgerPropertyTests.Attempt
    typealias Facts = LedgerPropertyTests.Facts
    typealias LineUnits = LedgerPropertyTests.LineUnits

    /// The amount in minor units of the order's currency, rounded down.
    func minor(_ m: Money, _ o: Order) -> Int64 {
        if let u = m.units(atScale: o.decimals) { return u }
        var u = m.units
        for _ in 0..<(m.scale - o.decimals) { u /= 10 }
        return u
    }

    func money(_ units: Int64, _ o: Order) -> Money { Money(units: units, scale: o.decimals) }

    /// A random amount of 1 minor unit … `limit`.
    mutating func randomAmount(upTo limit: Money, _ o: Order) -> Money {
        let top = max(1, minor(limit, o))
        // Often the whole of it, often a round part, else anything.
        switch rng.below(4) {
        case 0: return money(top, o)
        case 1: return money(max(1, top / Int64(2 + rng.below(4))), o)
        default: return money(1 + Int64(rng.next() % UInt64(top)), o)
        }
    }

    /// An amount as an agent may type it: `12.50`, `12.5`, `12`, `.5`.
    mutating func spell(_ m: Money) -> String {
        let text = m.description
        guard m.scale > 0, rng.chance(30) else { return text }
        var trimmed = Substring(text)
        while trimmed.hasSuffix("0") { trimmed = trimmed.dropLast() }
        if trimmed.hasSuffix(".") { trimmed = trimmed.dropLast() }
        if trimmed.hasPrefix("0.") && rng.chance(50) { trimmed = trimmed.dropFirst() }
        return String(trimmed)
    }

    /// `SKU` and `SKU=QTY` words.
    func words(_ items: [(sku: String, quantity: Int?)]) -> String {
        items.map { item in Tokenizer.quote(item.quantity.map { "\(item.sku)=\($0)" } ?? item.sku) }.joined(separator: " ")
    }

    /// An amount with more decimals than the currency has.
    func tooPrecise(_ o: Order) -> String { "1." + String(repeating: "5", count: o.decimals + 1) }

    /// Whether a line of this kind suits an order (the generator's guess, not the rules').
    func suits(_ kind: Kind, _ o: Order) -> Bool {
        switch kind {
        case .cancel: return !o.isCancelled && !o.hasFulfilment
        case .refund: return Facts(o).refundable.isPositive
        case .return: return !o.isCancelled && o.lineItems.contains { !$0.sku.isEmpty && LineUnits(o, $0).returnable($0) > 0 }
        case .restock: return o.lineItems.contains { LedgerPropertyTests.restockable(o, $0) > 0 }
        case .recreate: return o.isCancelled && o.recreatedAs == nil
        case .pay: return !o.isCancelled && o.outstanding.isPositive
        case .capture: return !o.isCancelled && Facts(o).openAuthorized.isPositive && o.outstanding.isPositive
        case .settings: return true
        }
    }

    /// An order for a line: mostly one the line suits, now and then any.
    mutating func pickOrder(_ kind: Kind) -> Order? {
        let fitting = state.orders.filter { suits(kind, $0) }
        if !fitting.isEmpty && rng.chance(88) { return rng.pick(fitting) }
        return state.orders.isEmpty ? nil : rng.pick(state.orders)
    }

    /// The weights of the kinds of line.
    static let weights: [(Kind, Int)] = [
        (.cancel, 16), (.refund, 14), (.return, 19), (.restock, 12), (.recreate, 12), (.pay, 12), (.capture, 11), (.settings, 4),
    ]

    mutating func nextAttempt() -> Attempt {
        var attempt = chooseAttempt()
        // Now and then a dry run: the rules check it as they check the real thing, and it changes nothing.
        if attempt.line.hasSuffix(" --yes") && rng.oneIn(25) {
            attempt.line = String(attempt.line.dropLast(" --yes".count)) + " --dry-run"
            attempt.dryRun = true
        }
        return attempt
    }

    mutating func chooseAttempt() -> Attempt {
        if rng.oneIn(80) {
            let kind = rng.pick([Kind.cancel, .refund, .return, .restock, .recreate, .pay, .capture])
            let line: String
            switch kind {
            case .cancel: line = "cancel #99999 --reason customer --yes"
            case .refund: line = "refund #99999 1 --yes"
            case .return: line = "return #99999 SKU=1 --yes"
            case .restock: line = "restock #99999 --all"
            case .recreate: line = "recreate #99999 --yes"
            case .pay: line = "pay #99999 --yes"
            default: line = "capture #99999 --yes"
            }
            return Attempt(line: line, kind: kind, expectation: .refuse("no such order"), order: "#99999", details: .settings)
        }
        // A kind that some order suits, mostly; else any.
        let total = Self.weights.reduce(0) { $0 + $1.1 }
        var kind = Kind.settings
        for _ in 0..<6 {
            var roll = rng.below(total)
            for (k, w) in Self.weights {
                if roll < w {
                    kind = k
                    break
                }
                roll -= w
            }
            if rng.oneIn(10) || state.orders.contains(where: { suits(kind, $0) }) { break }
        }
        switch kind {
        case .cancel: return cancelAttempt()
        case .refund: return refundAttempt()
        case .return: return returnAttempt()
        case .restock: return restockAttempt()
        case .recreate: return recreateAttempt()
        case .pay: return payAttempt()
        case .capture: return captureAttempt()
        case .settings: return settingsAttempt()
        }
    }

    mutating func settingsAttempt() -> Attempt {
        let line =
            rng.chance(50)
            ? "settings auto-restock \(rng.chance(60) ? "on" : "off")"
            : "settings default-refund \(rng.pick(["now", "credit", "later"]))"
        return Attempt(line: line, kind: .settings, expectation: .accept, order: "", details: .settings)
    }

    mutating func cancelAttempt() -> Attempt {
        guard let o = pickOrder(.cancel) else { return settingsAttempt() }
        let reason = rng.pick(CancelReason.allCases)
        let refund: RefundMode? = rng.chance(25) ? nil : rng.pick(RefundMode.allCases)
        let restock: Bool? = rng.chance(30) ? nil : rng.chance(65)
        let notify: Bool? = rng.chance(40) ? nil : rng.chance(50)
        var line = "cancel \(o.name)"
        let withReason = !rng.oneIn(40)
        if withReason { line += " --reason \(reason.rawValue)" }
        if let refund { line += " --refund \(refund.rawValue)" }
        if let restock { line += restock ? " --restock" : " --no-restock" }
        if let notify { line += notify ? " --notify" : " --no-notify" }
        var conflicting = false
        if notify != false && rng.oneIn(6) {
            line += " --offer '10% off your next order'"
        } else if notify == false && rng.oneIn(40) {
            line += " --offer 'a voucher'"
            conflicting = true
        }
        if rng.oneIn(8) { line += " --note 'called twice'" }
        line += " --yes"
        var expectation = LedgerPropertyTests.Expectation.accept
        if o.isCancelled {
            expectation = .refuse("already cancelled")
        } else if o.hasFulfilment {
            expectation = .refuse("fulfilled")
        } else if !withReason {
            expectation = .refuse("a batch cancel needs --reason")
        } else if conflicting {
            expectation = .refuse("an offer with --no-notify")
        }
        return Attempt(
            line: line, kind: .cancel, expectation: expectation, order: o.name,
            details: .cancel(reason: reason, refund: refund, restock: restock, notify: notify))
    }

    mutating func refundAttempt() -> Attempt {
        guard let o = pickOrder(.refund) else { return settingsAttempt() }
        let available = Facts(o).refundable
        let credit = rng.chance(30)
        let notify = !rng.chance(30)
        var amount: Money?
        var text: String
        var expectation = LedgerPropertyTests.Expectation.accept
        switch rng.below(20) {
        case 0..<6:
            text = "--rest"
            if !available.isPositive { expectation = .refuse("nothing to refund") }
        case 6..<8:
            let over = money(minor(available, o) + 1 + Int64(rng.below(3)), o)
            text = over.description
            expectation = .refuse("more than the \(available) refundable")
        case 8:
            text = tooPrecise(o)
            expectation = .refuse("too many decimals")
        case 9:
            text = "0"
            expectation = .refuse("nothing")
        default:
            let a = randomAmount(upTo: available, o)
            amount = a
            text = spell(a)
            if !available.isPositive { expectation = .refuse("nothing to refund") }
        }
        var line = "refund \(o.name) \(text)"
        if credit { line += " --credit" }
        if !notify { line += " --no-notify" }
        if rng.oneIn(8) { line += " --note 'goodwill'" }
        line += " --yes"
        return Attempt(
            line: line, kind: .refund, expectation: expectation, order: o.name,
            details: .refund(amount: text == "--rest" ? nil : amount, credit: credit, notify: notify))
    }

    mutating func returnAttempt() -> Attempt {
        guard
            let o = pickOrder(.`return`)
        else { return settingsAttempt() }
        var expectation = LedgerPropertyTests.Expectation.accept
        if o.isCancelled { expectation = .refuse("cancelled") }
        var skus: [String] = []
        for line in o.lineItems where !line.sku.isEmpty && !skus.contains(where: { $0.lowercased() == line.sku.lowercased() }) {
            skus.append(line.sku)
        }
        var items: [(sku: String, quantity: Int?)] = []
        let count = skus.isEmpty ? 1 : 1 + rng.below(min(2, skus.count))
        var chosen: [String] = []
        for _ in 0..<count {
            if skus.isEmpty || rng.oneIn(25) {
                if !chosen.contains("NOPE-SKU") {
                    chosen.append("NOPE-SKU")
                    items.append(("NOPE-SKU", 1))
                    expectation = .refuse("NOPE-SKU is not on the order")
                }
                continue
            }
            var sku = rng.pick(skus)
            guard !chosen.contains(where: { $0.lowercased() == sku.lowercased() }) else { continue }
            chosen.append(sku)
            let available = LedgerPropertyTests.lines(o, sku: sku).reduce(0) { $0 + LineUnits(o, $1).returnable($1) }
            if rng.oneIn(8) { sku = sku.lowercased() }
            var quantity: Int?
            switch rng.below(12) {
            case 0..<2: quantity = nil
            case 2:
                quantity = available + 1 + rng.below(2)
            default: quantity = available > 0 ? 1 + rng.below(available) : 1
            }
            if (quantity ?? available) > available || available == 0 {
                expectation = .refuse("more units of \(sku) than can come back")
            }
            items.append((sku, quantity))
        }
        if let first = items.first, rng.oneIn(50) {
            items.append((first.sku.uppercased() == first.sku ? first.sku.lowercased() : first.sku.uppercased(), 1))
            expectation = .refuse("a SKU named twice")
        }
        let refund: RefundMode = rng.pick([.now, .now, .credit, .later])
        var shipping: Money?
        var shippingText: String?
        let left = LedgerPropertyTests.shippingLeft(o)
        if rng.chance(25) {
            if left.isPositive && !rng.oneIn(6) {
                shipping = randomAmount(upTo: left, o)
                shippingText = spell(shipping!)
            } else if rng.chance(80) {
                shippingText = money(minor(left, o) + 1, o).description
                expectation = .refuse("more shipping than is left")
            } else {
                shippingText = tooPrecise(o)
                expectation = .refuse("too many decimals")
            }
        }
        let restock = !rng.chance(25)
        let notify = !rng.chance(30)
        var line = "return \(o.name) " + words(items)
        if refund != .now || rng.chance(30) { line += " --refund \(refund.rawValue)" }
        if let shippingText { line += " --shipping \(shippingText)" }
        if !restock { line += " --no-restock" }
        if !notify { line += " --no-notify" }
        line += " --yes"
        if items.isEmpty { expectation = .refuse("nothing to return") }
        return Attempt(
            line: line, kind: .return, expectation: expectation, order: o.name,
            details: .return(items: items, refund: refund, shipping: shipping, restock: restock, notify: notify))
    }

    mutating func restockAttempt() -> Attempt {
        guard let o = pickOrder(.restock) else {
            return settingsAttempt()
        }
        let anyOff =
            o.isCancelled
            || o.lineItems.contains {
                let u = LineUnits(o, $0)
                return u.removed + u.returned > 0
            }
        var expectation = LedgerPropertyTests.Expectation.accept
        var items: [(sku: String, quantity: Int?)] = []
        let all = rng.chance(35)
        var line = "restock \(o.name)"
        if all {
            line += " --all"
            if !o.lineItems.contains(where: { LedgerPropertyTests.restockable(o, $0) > 0 }) { expectation = .refuse("nothing to restock") }
        } else {
            let stocked = o.lineItems.filter(\.isStocked).map(\.sku)
            if stocked.isEmpty || rng.oneIn(20) {
                items = [("NOPE-SKU", nil)]
                expectation = .refuse("NOPE-SKU is not on the order")
            } else {
                let sku = rng.pick(stocked)
                let available = o.lineItems.filter { $0.isStocked && $0.sku.lowercased() == sku.lowercased() }.reduce(0) {
                    $0 + LedgerPropertyTests.restockable(o, $1)
                }
                var quantity: Int?
                switch rng.below(10) {
                case 0..<3: quantity = nil
                case 3: quantity = available + 1
                default: quantity = available > 0 ? 1 + rng.below(available) : 1
                }
                if (quantity ?? available) > available || available == 0 { expectation = .refuse("more units than can go back") }
                items = [(sku, quantity)]
            }
            line += " " + words(items)
        }
        if o.recreatedAs != nil {
            expectation = .refuse("recreated: its units moved on")
        } else if !anyOff {
            expectation = .refuse("not cancelled and nothing removed")
        }
        return Attempt(line: line, kind: .restock, expectation: expectation, order: o.name, details: .restock(all: all, items: items))
    }

    mutating func recreateAttempt() -> Attempt {
        guard let o = pickOrder(.recreate) else { return settingsAttempt() }
        let risky = o.cancelReason == .fraud || o.cancelReason == .declined
        let force = rng.chance(risky ? 75 : 20)
        let oversell = rng.chance(30)
        let notify = !rng.chance(30)
        var line = "recreate \(o.name)"
        if force { line += " --force" }
        if oversell { line += " --allow-oversell" }
        if !notify { line += " --no-notify" }
        if rng.oneIn(8) { line += " --note 'cancelled by mistake'" }
        line += " --yes"
        var needed: [String: Int] = [:]
        for l in o.lineItems where l.isStocked && l.restocked > 0 {
            let u = LineUnits(o, l)
            needed[l.sku, default: 0] += min(l.restocked, max(0, l.quantity - u.removed - u.returned))
        }
        let short = needed.contains { state.inventory[$0.key] ?? 0 < $0.value }
        var expectation = LedgerPropertyTests.Expectation.accept
        if !o.isCancelled {
            expectation = .refuse("not cancelled")
        } else if risky && !force {
            expectation = .refuse("cancelled for \(o.cancelReason!.rawValue): needs --force")
        } else if o.recreatedAs != nil {
            expectation = .refuse("already recreated")
        } else if short && !oversell {
            expectation = .refuse("stock is short")
        }
        return Attempt(line: line, kind: .recreate, expectation: expectation, order: o.name, details: .recreate(notify: notify))
    }

    mutating func payAttempt() -> Attempt {
        guard let o = pickOrder(.pay) else { return settingsAttempt() }
        let f = Facts(o)
        let due = o.isCancelled ? Money.zero : max(.zero, f.currentTotal - f.captured)
        let method = rng.pick([Gateway.manual, Gateway.manual, Gateway.giftCard, "bank_transfer", "shopify_payments"])
        var amount: Money?
        var text = ""
        var expectation = LedgerPropertyTests.Expectation.accept
        switch rng.below(12) {
        case 0..<3: break
        case 3:
            text = money(minor(due, o) + 1, o).description
            expectation = .refuse("more than the \(due) outstanding")
        case 4:
            text = tooPrecise(o)
            expectation = .refuse("too many decimals")
        default:
            let a = randomAmount(upTo: due, o)
            amount = a
            text = spell(a)
        }
        if o.isCancelled {
            expectation = .refuse("cancelled")
        } else if f.openAuthorized.isPositive {
            expectation = .refuse("an authorization is open: it is captured, not paid beside")
        } else if !due.isPositive {
            expectation = .refuse("nothing outstanding")
        }
        var line = "pay \(o.name)" + (text.isEmpty ? "" : " \(text)")
        if method != Gateway.manual || rng.chance(20) { line += " --method \(method)" }
        line += " --yes"
        return Attempt(line: line, kind: .pay, expectation: expectation, order: o.name, details: .pay(amount: amount, method: method))
    }

    mutating func captureAttempt() -> Attempt {
        guard let o = pickOrder(.capture) else {
            return settingsAttempt()
        }
        let f = Facts(o)
        let due = o.isCancelled ? Money.zero : max(.zero, f.currentTotal - f.captured)
        let limit = min(due, f.openAuthorized)
        var amount: Money?
        var text = ""
        var expectation = LedgerPropertyTests.Expectation.accept
        switch rng.below(10) {
        case 0..<3: break
        case 3:
            text = money(minor(limit, o) + 1, o).description
            expectation = .refuse("more than the \(limit) that can be captured")
        default:
            let a = randomAmount(upTo: limit, o)
            amount = a
            text = spell(a)
        }
        if o.isCancelled {
            expectation = .refuse("cancelled")
        } else if !f.openAuthorized.isPositive {
            expectation = .refuse("nothing authorized")
        } else if !limit.isPositive {
            expectation = .refuse("nothing outstanding")
        }
        let line = "capture \(o.name)" + (text.isEmpty ? "" : " \(text)") + " --yes"
        return Attempt(line: line, kind: .capture, expectation: expectation, order: o.name, details: .capture(amount: amount))
    }
}

// MARK: - What each accepted line did

extension LedgerPropertyTests.Run {
    /// The effects the rules promise for the line, read from the state before and after.
    func checkEffects(_ a: Attempt, before: StoreState, events: [Event]) -> String? {
        var problems: [String] = []
        func expect(_ ok: Bool, _ text: @autoclosure () -> String) { if !ok { problems.append(text()) } }
        func stockDelta(_ sku: String) -> Int { (state.inventory[sku] ?? 0) - (before.inventory[sku] ?? 0) }
        func noticeCount() -> Int { state.outbox.count - before.outbox.count }

        guard let pre = before.order(named: a.order) else {
            if case .settings = a.details { return nil }
            return "accepted for an order that does not exist"
        }
        let post = state.order(named: a.order)!
        let was = Facts(pre)
        let now = Facts(post)
        let lastRefund = post.refunds.count > pre.refunds.count ? post.refunds.last : nil
        let newRefund = lastRefund?.amount ?? .zero

        switch a.details {
        case .settings: break

        case .cancel(let reason, let refund, let restock, let notify):
            let mode = refund ?? before.settings.defaultRefund
            let restocking = restock ?? before.settings.autoRestock
            let notifying = notify ?? (reason != .fraud)
            expect(post.isCancelled && post.cancelReason == reason.shopify, "not cancelled for \(reason.shopify.rawValue)")
            expect(post.cancellation?.reason == reason, "cancellation record \(String(describing: post.cancellation))")
            expect(now.openAuthorized.isZero, "\(now.openAuthorized) is still authorized after the cancel")
            expect(now.captured == was.captured, "captured moved from \(was.captured) to \(now.captured)")
            expect(post.outstanding.isZero, "still \(post.outstanding) outstanding once cancelled")
            if mode == .later {
                expect(now.released == was.released, "refund later, yet \(now.released - was.released) was refunded")
                expect(post.refundOwed == was.refundable, "refund later owes \(post.refundOwed), not the \(was.refundable) held")
            } else {
                expect(now.refundable.isZero, "refund \(mode.rawValue) left \(now.refundable) refundable")
                expect(newRefund == was.refundable, "refunded \(newRefund), not the \(was.refundable) held")
                if let r = lastRefund {
                    expect(
                        r.transactions.allSatisfy { ($0.gateway == Gateway.storeCredit) == (mode == .credit) },
                        "refund \(mode.rawValue) went to \(r.transactions.map(\.gateway))")
                }
            }
            let expectedMode: CancelRefund = was.captured.isPositive ? CancelRefund(rawValue: mode.rawValue)! : .void
            expect(
                post.cancellation?.refund == expectedMode,
                "cancellation says \(String(describing: post.cancellation?.refund)), expected \(expectedMode)")
            var wanted: [String: Int] = [:]
            for line in pre.lineItems where restocking { wanted[line.sku, default: 0] += LedgerPropertyTests.cancelRestock(pre, line) }
            for sku in Set(wanted.keys).union(before.inventory.keys) {
                expect(
                    stockDelta(sku) == wanted[sku, default: 0], "\(sku) restocked \(stockDelta(sku)), expected \(wanted[sku, default: 0])")
            }
            expect(noticeCount() == (notifying ? 1 : 0), "\(noticeCount()) notices; notify is \(notifying)")

        case .refund(let amount, let credit, let notify):
            let expected = amount ?? was.refundable
            expect(newRefund == expected, "refunded \(newRefund), not \(expected)")
            expect(now.released == was.released + expected, "released \(now.released - was.released), not \(expected)")
            expect(now.captured == was.captured, "captured moved")
            if let r = lastRefund {
                expect(
                    r.transactions.allSatisfy { ($0.gateway == Gateway.storeCredit) == credit },
                    "credit \(credit), went to \(r.transactions.map(\.gateway))")
                if !credit {
                    // A gift card first, never more to a method than it holds.
                    let giftHeld = was.capturedBy[Gateway.giftCard, default: .zero] - was.releasedBy[Gateway.giftCard, default: .zero]
                    let toGift = r.transactions.filter { $0.gateway == Gateway.giftCard }.reduce(Money.zero) { $0 + $1.amount }
                    expect(toGift == min(max(.zero, giftHeld), expected), "\(toGift) to the gift card, which held \(giftHeld)")
                    for t in r.transactions {
                        let held = was.capturedBy[t.gateway, default: .zero] - was.releasedBy[t.gateway, default: .zero]
                        expect(t.amount.isPositive && t.amount <= held, "\(t.amount) to \(t.gateway), which held \(held)")
                    }
                }
            } else {
                problems.append("no refund recorded")
            }
            expect(noticeCount() == (notify ? 1 : 0), "\(noticeCount()) notices; notify is \(notify)")

        case .return(let items, let refund, let shipping, let restock, let notify):
            guard let r = lastRefund else { return "no refund recorded for the return" }
            var units: [String: Int] = [:]
            var restockedUnits: [String: Int] = [:]
            for rl in r.refundLineItems {
                guard let line = pre.lineItems.first(where: { $0.id == rl.lineItemId }) else {
                    problems.append("refund line for unknown item \(rl.lineItemId)")
                    continue
                }
                units[line.sku.lowercased(), default: 0] += rl.quantity
                if restock && line.isStocked { restockedUnits[line.sku, default: 0] += rl.quantity }
                expect(!rl.subtotal.isNegative && !rl.totalTax.isNegative, "negative amounts on a refund line: \(rl)")
                let u = LineUnits(pre, line)
                if rl.restockType == .cancel {
                    expect(
                        rl.quantity <= max(0, line.quantity - line.fulfilledQuantity - u.removed),
                        "removed more unfulfilled units than there were")
                } else {
                    expect(rl.quantity <= max(0, line.fulfilledQuantity - u.returned), "returned more shipped units than there were")
                    // A gift card never comes back to stock: its units are no_restock either way.
                    expect(
                        (rl.restockType == .return) == (restock && line.isStocked),
                        "restock type \(rl.restockType.rawValue) with restock \(restock)")
                }
            }
            for item in items {
                let lines = LedgerPropertyTests.lines(pre, sku: item.sku)
                let available = lines.reduce(0) { $0 + LineUnits(pre, $1).returnable($1) }
                let got = units[item.sku.lowercased(), default: 0]
                expect(got == (item.quantity ?? available), "\(got) units of \(item.sku) taken back, asked \(item.quantity ?? available)")
            }
            // The shipping refunded carries its share of the tax when prices exclude it.
            var value = shipping ?? .zero
            for a in r.orderAdjustments where !pre.taxesIncluded { value -= a.taxAmount }
            for rl in r.refundLineItems { value += rl.subtotal + (pre.taxesIncluded ? .zero : rl.totalTax) }
            expect(
                now.currentTotal == was.currentTotal - value,
                "current total \(was.currentTotal) → \(now.currentTotal), the units and shipping are \(value)")
            let preOutstanding = pre.outstanding
            var due = value - preOutstanding
            if due > was.refundable { due = was.refundable }
            if due.isNegative || refund == .later { due = .zero }
            expect(
                newRefund == due,
                "refunded \(newRefund) for units worth \(value) (outstanding \(preOutstanding), held \(was.refundable)); expected \(due)")
            expect(
                r.transactions.allSatisfy { ($0.gateway == Gateway.storeCredit) == (refund == .credit) },
                "refund \(refund.rawValue) went to \(r.transactions.map(\.gateway))")
            for sku in Set(restockedUnits.keys).union(before.inventory.keys) {
                expect(
                    stockDelta(sku) == restockedUnits[sku, default: 0],
                    "\(sku) moved \(stockDelta(sku)), expected \(restockedUnits[sku, default: 0])")
            }
            expect(noticeCount() == (notify ? 1 : 0), "\(noticeCount()) notices; notify is \(notify)")
            // Every unit of a line back: exactly the line's share of the price and tax, to the cent.
            if !tainted.keys.contains(post.name)
                && start.order(named: post.name).map({ $0.refunds.allSatisfy(\.refundLineItems.isEmpty) }) ?? true
            {
                let shares = LineShares(post)
                for line in post.lineItems {
                    let rls = post.refunds.flatMap(\.refundLineItems).filter { $0.lineItemId == line.id }
                    guard rls.reduce(0, { $0 + $1.quantity }) == line.quantity else { continue }
                    let sub = rls.reduce(Money.zero) { $0 + $1.subtotal }
                    let tax = rls.reduce(Money.zero) { $0 + $1.totalTax }
                    expect(
                        sub == shares.net[line.id] && tax == shares.tax[line.id],
                        "all of line \(line.id) back for \(sub) + \(tax) tax, its share is \(shares.net[line.id]!) + \(shares.tax[line.id]!)"
                    )
                }
            }

        case .restock(let all, let items):
            var wanted: [String: Int] = [:]
            if all {
                for line in pre.lineItems { wanted[line.sku, default: 0] += LedgerPropertyTests.restockable(pre, line) }
            } else {
                for item in items {
                    let lines = pre.lineItems.filter { $0.isStocked && $0.sku.lowercased() == item.sku.lowercased() }
                    let available = lines.reduce(0) { $0 + LedgerPropertyTests.restockable(pre, $1) }
                    if let sku = lines.first?.sku { wanted[sku, default: 0] += item.quantity ?? available }
                }
            }
            for sku in Set(wanted.keys).union(before.inventory.keys) {
                expect(
                    stockDelta(sku) == wanted[sku, default: 0], "\(sku) restocked \(stockDelta(sku)), expected \(wanted[sku, default: 0])")
            }
            expect(now.released == was.released && now.captured == was.captured, "a restock moved money")

        case .recreate(let notify):
            guard let newName = post.recreatedAs, let made = state.order(named: newName) else { return "no recreated order" }
            let expectedName = before.recreationName(of: pre.name)
            expect(newName == expectedName, "recreated as \(newName), expected \(expectedName)")
            expect(made.orderNumber == pre.orderNumber, "\(newName) has number \(made.orderNumber), not \(pre.orderNumber)")
            expect(before.order(named: newName) == nil, "\(newName) was taken before the recreate")
            expect(made.recreatedFrom == pre.name, "\(newName) says it comes from \(String(describing: made.recreatedFrom))")
            // The order as it stood when cancelled: units removed or returned before stay off it.
            let kept = pre.lineItems.map { line -> Int in
                let u = LineUnits(pre, line)
                return max(0, line.quantity - u.removed - u.returned)
            }
            let keptLines = zip(pre.lineItems, kept).filter { $0.1 > 0 }
            expect(
                made.lineItems.map { "\($0.sku) \($0.price) ×\($0.quantity)" } == keptLines.map { "\($0.0.sku) \($0.0.price) ×\($0.1)" },
                "\(newName) has \(made.lineItems.map { "\($0.sku) ×\($0.quantity)" }), the original had \(keptLines.map { "\($0.0.sku) ×\($0.1)" }) left"
            )
            expect(
                made.totalPrice == was.currentTotal,
                "\(newName) totals \(made.totalPrice), the original came to \(was.currentTotal) when cancelled")
            expect(made.currentTotal == made.totalPrice, "\(newName) starts with refunds")
            let moved = max(.zero, min(was.refundable, was.currentTotal))
            expect(
                now.released == was.released + moved,
                "the original released \(now.released - was.released), it held \(moved) for the new order")
            let received = Facts(made)
            expect(received.captured == moved, "\(newName) received \(received.captured), the original moved \(moved)")
            expect(
                made.transactions.allSatisfy { $0.transfer == pre.name && $0.kind == .sale },
                "\(newName)'s payments are not all moves from \(pre.name)")
            expect(made.outstanding == max(.zero, was.currentTotal - moved), "\(newName) has \(made.outstanding) outstanding")
            expect(!made.isCancelled && made.refunds.isEmpty, "\(newName) starts cancelled or refunded")
            var needed: [String: Int] = [:]
            for (l, k) in zip(pre.lineItems, kept) where l.isStocked && l.restocked > 0 { needed[l.sku, default: 0] += min(l.restocked, k) }
            for sku in Set(needed.keys).union(before.inventory.keys) {
                expect(
                    stockDelta(sku) == -needed[sku, default: 0],
                    "\(sku) moved \(stockDelta(sku)), \(needed[sku, default: 0]) were taken again")
            }
            expect(noticeCount() == (notify ? 1 : 0), "\(noticeCount()) notices; notify is \(notify)")

        case .pay(let amount, let method):
            let due = max(.zero, was.currentTotal - was.captured)
            let expected = amount ?? due
            expect(now.captured == was.captured + expected, "captured \(now.captured - was.captured), not \(expected)")
            expect(now.capturedBy[method, default: .zero] == was.capturedBy[method, default: .zero] + expected, "not recorded as \(method)")
            expect(post.outstanding == max(.zero, due - expected), "outstanding \(post.outstanding) after paying \(expected) of \(due)")
            expect(now.released == was.released, "a payment released money")

        case .capture(let amount):
            let due = max(.zero, was.currentTotal - was.captured)
            let expected = amount ?? min(due, was.openAuthorized)
            expect(now.captured == was.captured + expected, "captured \(now.captured - was.captured), not \(expected)")
            expect(
                now.openAuthorized == was.openAuthorized - expected,
                "authorized \(was.openAuthorized) → \(now.openAuthorized) after capturing \(expected)")
            expect(
                post.transactions.count > pre.transactions.count
                    && post.transactions[pre.transactions.count...].allSatisfy { $0.kind == .capture && $0.parentId != nil },
                "the new transactions are not captures of an authorization")
        }
        _ = events
        return problems.isEmpty ? nil : problems.joined(separator: "\n")
    }
}
