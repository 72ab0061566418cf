import OrderDeskCore

/// One goal of a lesson: a check on the sandbox once the learner has worked in it.
///
/// In a lesson file a goal is a JSON object with one check and, optionally, a `label`: the words
/// `check` shows for it instead of the generated ones (say what must be true, never how to get there).
///
/// | goal | met when |
/// |---|---|
/// | `{"order": "#1004", "cancelled": true, "reason": "inventory", "refund": "now", "notified": true, "offer": true}` | the order is cancelled, and each field given matches: `reason` (a cancel reason), `refund` (how the cancel handled the money: `now`, `credit`, `later`, `void`), `notified` (the cancel sent a notice), `offer` (the cancel's notice carried an offer), `note` (the staff note says one of these phrasings: `["stolen", "fraud"]`) |
/// | `{"order": "#1003", "cancelled": false}`, or `{"not_cancelled": "#1003"}` | the order is not cancelled |
/// | `{"order": "#1007", "owed": "0", "refunded": "30.00", "financial_status": "refunded"}` | the order's money: still owed back, refunded in all (by cancels, refunds and returns), payment status (`paid` once `pay` or `capture` has collected the total); these go with or without `cancelled` |
/// | `{"refund": {"order": "#1003", "amount": "12.50", "method": "store-credit"}}` | a refund made in the lesson (by `cancel`, `refund` or `return`) of that amount, to that method (`original` or `store-credit`); both are optional |
/// | `{"payment": {"order": "#1004", "amount": "3600", "method": "bank_transfer", "kind": "sale"}}` | a payment collected in the lesson of that amount, by that method (the gateway as recorded, ignoring case, `-` and `_` alike), of that kind: `capture` (an authorization taken with `capture`) or `sale` (money recorded with `pay`); all three are optional. The order must have something outstanding when the lesson starts |
/// | `{"returned": {"order": "#1003", "sku": "POSTER-A2", "units": 1}}` | units of the order (of that SKU, or all) taken back with `return` in all: shipped units sent back, or units removed before they shipped |
/// | `{"stock": {"sku": "MUG-WHT", "equals": 7}}` | the SKU's stock; `at_least` and `at_most` work too |
/// | `{"restocked": {"order": "#1004", "sku": "MUG-WHT", "units": 2}}` | units of the order (of that SKU, or all) put back in stock in all, by a cancel, `restock` or a return |
/// | `{"money": {"order": "#1001", "refunded": "67.40", "original": "47.40", "store_credit": "20.00", "owed": "0", "due": "0"}}` | where the customer's money stands, however it got there: refunded in all, to the methods that paid (`original`), as store credit, still owed back, and still `due` from the customer (on the order, or on the order that recreated it); each is optional |
/// | `{"notice": {"order": "#1004", "sent": true, "kind": "message", "says": ["order_number", "return_instructions", {"amount": "23.00"}, {"code": "SORRY15"}, {"fact": "that it ships today", "any": ["today", "this afternoon"]}], "phrasings": {"return_instructions": ["drop it at the post office"]}}}` | a message about the order went to the customer in the lesson: `kind` `cancel` (the cancel's notice), `recreate` (the new order's), `refund` (the notice `refund` and `return` send), `message` (sent with `notify`) or any; it says every fact of `says` (see ``MessageFact``: built-in facts by name, amounts in any typed form, codes, or the trainer's own phrasings; `phrasings` adds ways of saying a built-in fact). The older `contains` (every one) and `contains_any` (one of them) still work, ignoring case |
/// | `{"no_harm": {"damaged": [{"order": "#1003", "sku": "POSTER-A2", "units": 1}]}}`, or `{"no_harm": true}` | nothing harmful happened: no damaged unit back in stock, no customer asked to pay again for an order we cancelled by mistake, no untrue message (one saying the order was cancelled, or money went back, or nothing was charged, when that is not so). A guard: shown only once broken, with what the harm is and how to put it right |
/// | `{"notice": {"order": "#1008", "sent": false}}` | no message about the order went to the customer in the lesson |
/// | `{"feedback": {"order": "#1001", "rating": 5, "says": [{"fact": "the customer's words", "any": ["friendly", "quick"]}]}}` | feedback logged on the order in the lesson, with that rating and words (`says` as for a notice; the older `contains` still works); one entry for the customer's one message: a second entry is wrong |
/// | `{"recreated": "#1007"}` | the cancelled order was brought back with `recreate` |
/// | `{"setting": {"key": "auto-restock", "value": "on"}}` | a setting's value |
/// | `{"ran": "report"}`, `{"ran": "report --by reason"}`, `{"ran": ["find", "orders --customer"]}` | the learner ran the command, without an error, with those words among its own (order numbers match in either form); a list gives alternatives |
/// | `{"answer": {"question": "Which order is Zoë's?", "accept": ["#1002"]}}` | the learner's latest `answer TEXT` holds one of the accepted answers (ignoring case, `#`, a trailing `%` or full stop; an order by any of its names); an accepted number matches the forms people type: `42.9%` accepts `43`, `42.9`, `42,9`, `42.9 %` and `42.86` (within the rounding of the less precise of the two); one question per lesson |
///
/// A goal already met when the lesson starts (such as "not cancelled", or "no notice sent") is a
/// *guard*: `check` does not list it while it holds, so it gives nothing away, and says so when the
/// learner breaks it. A `refund` or `payment` goal that can no longer be met (the money went
/// another way, and not enough is left to refund or collect) is *wrong*, not still to do: only
/// `reset` puts it right. Besides the goals, `check` reports changes to orders that no goal names
/// (nor `may_touch`): cancelling, refunding, returning or collecting a payment on the wrong order
/// fails the lesson.
public struct LessonGoal: Sendable, Equatable {
    public var check: Check
    /// The words `check` shows for the goal, from the lesson file; nil for the generated ones.
    public var label: String?

    public init(_ check: Check, label: String? = nil) {
        self.check = check
        self.label = label
    }

    /// What a goal checks.
    public enum Check: Sendable, Equatable {
        case order(OrderCheck)
        case refund(order: String, amount: Money?, method: RefundMethod?)
        /// A payment collected in the lesson; `method` is the gateway as typed in the lesson file.
        case payment(order: String, amount: Money?, method: String?, kind: TransactionKind?)
        /// Units taken back with `return` (sent back, or removed before they shipped).
        case returned(order: String, sku: String?, units: Int)
        case stock(sku: String, StockComparison)
        case restocked(order: String, sku: String?, units: Int)
        case notice(order: String, sent: Bool, kind: NoticeKind?, contains: [String], containsAny: [String], says: [MessageFact] = [])
        case feedback(order: String, rating: Int?, contains: String?, says: [MessageFact] = [])
        /// Where the customer's money stands, however it got there.
        case money(MoneyCheck)
        /// Nothing harmful happened; `damaged` units must never go back in stock.
        case noHarm(damaged: [Damaged])
        case recreated(order: String)
        case setting(key: String, value: String)
        /// Alternatives, each a command name followed by words the line must hold.
        case ran([[String]])
        case answer(question: String, accept: [String])

        /// The order the goal is about, if any.
        public var order: String? {
            switch self {
            case .order(let c): return c.order
            case .refund(let order, _, _), .payment(let order, _, _, _), .returned(let order, _, _), .restocked(let order, _, _),
                .notice(let order, _, _, _, _, _), .feedback(let order, _, _, _), .recreated(let order):
                return order
            case .money(let m): return m.order
            case .stock, .setting, .ran, .answer, .noHarm: return nil
            }
        }
    }

    /// The state of one order.
    public struct OrderCheck: Sendable, Equatable {
        public var order: String
        public var cancelled: Bool?
        public var reason: CancelReason?
        /// How the cancel handled the money: `now`, `credit`, `later` or `void`.
        public var refund: String?
        public var notified: Bool?
        public var offer: Bool?
        /// Phrasings one of which the cancel's staff note must hold.
        public var note: [String]?
        public var financialStatus: FinancialStatus?
        public var owed: Money?
        public var refunded: Money?

        public init(
            order: String, cancelled: Bool? = nil, reason: CancelReason? = nil, refund: String? = nil, notified: Bool? = nil,
            offer: Bool? = nil, note: [String]? = nil, financialStatus: FinancialStatus? = nil, owed: Money? = nil,
            refunded: Money? = nil
        ) {
            self.note = note
            self.order = order
            self.cancelled = cancelled
            self.reason = reason
            self.refund = refund
            self.notified = notified
            self.offer = offer
            self.financialStatus = financialStatus
            self.owed = owed
            self.refunded = refunded
        }
    }

    /// Where the customer's money must stand: each field given is checked.
    public struct MoneyCheck: Sendable, Equatable {
        public var order: String
        /// Given back in all (to the methods that paid and as store credit).
        public var refunded: Money?
        /// Given back to the methods that paid.
        public var original: Money?
        /// Given back as store credit.
        public var storeCredit: Money?
        /// Still owed back to the customer.
        public var owed: Money?
        /// Still to pay by the customer, on the order or on the order that recreated it.
        public var due: Money?

        public init(
            order: String, refunded: Money? = nil, original: Money? = nil, storeCredit: Money? = nil, owed: Money? = nil, due: Money? = nil
        ) {
            self.order = order
            self.refunded = refunded
            self.original = original
            self.storeCredit = storeCredit
            self.owed = owed
            self.due = due
        }
    }

    /// Units of an order that are damaged: they must never go back in stock.
    public struct Damaged: Sendable, Equatable {
        public var order: String
        public var sku: String
        public var units: Int

        public init(order: String, sku: String, units: Int) {
            self.order = order
            self.sku = sku
            self.units = units
        }
    }

    public enum StockComparison: Sendable, Equatable {
        case equals(Int)
        case atLeast(Int)
        case atMost(Int)
    }

    /// Which messages a notice goal looks at.
    public enum NoticeKind: String, Sendable, Equatable, CaseIterable {
        /// The notice a cancel sends.
        case cancel
        /// The notice `recreate` sends about the new order.
        case recreate
        /// The notice a refund or a return sends (`refund`, `return`).
        case refund
        /// A message sent with `notify`.
        case message
    }

    /// The keys that name a kind of goal.
    static let kinds = [
        "order", "not_cancelled", "refund", "payment", "money", "returned", "stock", "restocked", "notice", "feedback", "recreated",
        "setting", "ran", "answer", "no_harm",
    ]
    static let orderFields = [
        "order", "cancelled", "reason", "refund", "notified", "offer", "note", "financial_status", "owed", "refunded", "label",
    ]
    static let refundModes = ["now", "credit", "later", "void"]
    /// The transaction kinds a payment goal may name: `capture` (by `capture`) and `sale` (by `pay`).
    static let paymentKinds = [TransactionKind.capture.rawValue, TransactionKind.sale.rawValue]

    /// Reads one goal of a lesson file and checks what it names against the state the lesson starts from.
    static func decode(_ value: LessonJSON, _ path: String, _ r: LessonReader, baseline: StoreState) throws(LessonFileError) -> LessonGoal {
        guard case .object(let members) = value else {
            throw r.fail(path, "must be a goal such as {\"order\": \"#1001\", \"cancelled\": true}, not \(value.kind)")
        }
        let keys = members.map(\.key)
        let kind: String
        if keys.contains("order") {
            kind = "order"
        } else {
            let named = keys.filter { kinds.contains($0) }
            guard let first = named.first else {
                var problem = "says nothing to check; a goal has one of \(kinds.joined(separator: ", "))"
                if let key = keys.first(where: { $0 != "label" }), let guess = Suggestion.closest(to: key, in: kinds) {
                    problem = "\"\(Sanitizer.clean(key))\" is not a kind of goal; did you mean \"\(guess)\"? (" + problem + ")"
                }
                throw r.fail(path, problem)
            }
            guard named.count == 1 else {
                throw r.fail(path, "has both \"\(named[0])\" and \"\(named[1])\"; write one check per goal")
            }
            kind = first
        }
        let object = try r.object(value, path, allowed: kind == "order" ? orderFields : [kind, "label"], what: "a goal")
        let label = try object["label"].map { v throws(LessonFileError) in try r.line(v, path + ".label", limit: 160) }
        let field = path + "." + kind
        let v = object[kind]!

        func order(_ value: LessonJSON, _ field: String) throws(LessonFileError) -> String {
            try r.orderName(value, field, baseline: baseline)
        }
        func currency(_ name: String) -> String? { baseline.order(named: name)?.currency }
        /// The members of a goal's own object (`"refund": {…}`).
        func inner(_ allowed: [String], required: [String]) throws(LessonFileError) -> [String: LessonJSON] {
            let o = try r.object(v, field, allowed: allowed, what: "an object with \(allowed.joined(separator: ", "))")
            for key in required where o[key] == nil { throw r.fail(field + "." + key, "is missing; it is required") }
            return o
        }
        func sku(_ value: LessonJSON, _ field: String) throws(LessonFileError) -> String {
            let text = try r.string(value, field)
            var known = Set(baseline.inventory.keys)
            for o in baseline.orders { for line in o.lineItems where !line.sku.isEmpty { known.insert(line.sku) } }
            guard known.contains(text) else {
                var problem = "there is no SKU \"\(Sanitizer.clean(text))\" in the training store"
                if let guess = Suggestion.closest(to: text, in: known.sorted()) { problem += "; did you mean \"\(guess)\"?" }
                throw r.fail(field, problem + " (its SKUs are \(known.sorted().joined(separator: ", ")))")
            }
            return text
        }
        func count(_ value: LessonJSON, _ field: String) throws(LessonFileError) -> Int {
            let n = try r.integer(value, field)
            guard n >= 0 else { throw r.fail(field, "\(n) is below 0") }
            return n
        }
        /// `{"order": …, "sku": …, "units": N}`: an order, one of its SKUs or all, and units it has.
        func unitsOfOrder(verb: String) throws(LessonFileError) -> (String, String?, Int) {
            let o = try inner(["order", "sku", "units"], required: ["order", "units"])
            let name = try order(o["order"]!, field + ".order")
            let s = try o["sku"].map { x throws(LessonFileError) in try sku(x, field + ".sku") }
            if let s, baseline.order(named: name)?.lineItems.contains(where: { $0.sku == s }) != true {
                throw r.fail(field + ".sku", "\(name) has no line with SKU \(s)")
            }
            let units = try count(o["units"]!, field + ".units")
            let most = baseline.order(named: name)?.lineItems.filter { s == nil || $0.sku == s }.reduce(0) { $0 + $1.quantity } ?? 0
            guard units <= most else { throw r.fail(field + ".units", "\(name) has only \(most) unit\(most == 1 ? "" : "s") to \(verb)") }
            return (name, s, units)
        }
        func texts(_ value: LessonJSON, _ field: String) throws(LessonFileError) -> [String] {
            if case .string = value { return [try r.string(value, field)] }
            return try r.strings(value, field)
        }

        /// `"says"` (facts a message must carry) with `"phrasings"` (more ways to say built-in facts).
        func facts(_ o: [String: LessonJSON], _ field: String, currency: String?) throws(LessonFileError) -> [MessageFact] {
            var extra: [String: [String]] = [:]
            if let p = o["phrasings"] {
                let members = try r.object(
                    p, field + ".phrasings", allowed: MessageFact.builtIn.keys.sorted().filter { $0 != "order_number" },
                    what: "an object of fact names and phrasings")
                for (key, value) in members { extra[key] = try texts(value, field + ".phrasings." + key) }
            }
            guard let list = o["says"] else { return [] }
            guard case .array(let items) = list else { throw r.fail(field + ".says", "must be a list of facts, not \(list.kind)") }
            var out: [MessageFact] = []
            for (i, item) in items.enumerated() {
                let at = "\(field).says[\(i)]"
                switch item {
                case .string(let name):
                    guard let fact = MessageFact.named(name, extra: extra[name] ?? []) else {
                        var problem = "\"\(Sanitizer.clean(name))\" is not a fact this program knows"
                        let names = MessageFact.builtIn.keys.sorted()
                        if let guess = Suggestion.closest(to: name, in: names) { problem += "; did you mean \"\(guess)\"?" }
                        throw r.fail(
                            at,
                            problem + " (the facts are \(names.joined(separator: ", ")); or write {\"fact\": \"…\", \"any\": [phrasings]})")
                    }
                    out.append(fact)
                case .object(let members):
                    let keys = members.map(\.key)
                    if keys.contains("amount") {
                        let f = try r.object(item, at, allowed: ["amount"], what: "{\"amount\": \"12.50\"}")
                        let money = try r.amount(f["amount"]!, at + ".amount", currency: currency)
                        let shown = currency.map { "\(money.formatted(decimals: Currency.exponent(of: $0))) \($0)" } ?? money.description
                        out.append(MessageFact(name: "amount", description: "the amount (\(shown))", kind: .amount(money)))
                    } else if keys.contains("code") {
                        let f = try r.object(item, at, allowed: ["code"], what: "{\"code\": \"SORRY15\"}")
                        let code = try r.line(f["code"]!, at + ".code", limit: 60)
                        out.append(MessageFact(name: "code", description: "the code \(code)", kind: .code(code)))
                    } else {
                        let f = try r.object(item, at, allowed: ["fact", "any"], what: "a fact {\"fact\": \"…\", \"any\": [phrasings]}")
                        for key in ["fact", "any"] where f[key] == nil { throw r.fail(at + "." + key, "is missing; it is required") }
                        let description = try r.line(f["fact"]!, at + ".fact", limit: 120)
                        let phrasings = try texts(f["any"]!, at + ".any")
                        out.append(MessageFact(name: description, description: description, kind: .phrases(phrasings)))
                    }
                default:
                    throw r.fail(
                        at, "must be a fact's name (\"refund\") or an object ({\"amount\": …}, {\"code\": …}, {\"fact\": …, \"any\": […]})")
                }
            }
            return out
        }

        switch kind {
        case "order":
            let name = try order(v, path + ".order")
            var c = OrderCheck(order: name)
            if let x = object["cancelled"] { c.cancelled = try r.bool(x, path + ".cancelled") }
            if let x = object["reason"] {
                c.reason = CancelReason(rawValue: try r.choice(x, path + ".reason", CancelReason.allCases.map(\.rawValue)))
            }
            if let x = object["refund"] {
                guard case .string = x else {
                    throw r.fail(
                        path + ".refund",
                        "in an order goal, says how the cancel handled the money (\(refundModes.joined(separator: ", "))); a refund goal is written on its own: {\"refund\": {\"order\": …, \"amount\": …}}"
                    )
                }
                c.refund = try r.choice(x, path + ".refund", refundModes)
            }
            if let x = object["notified"] { c.notified = try r.bool(x, path + ".notified") }
            if let x = object["offer"] { c.offer = try r.bool(x, path + ".offer") }
            if let x = object["note"] { c.note = try texts(x, path + ".note") }
            if let x = object["financial_status"] {
                c.financialStatus = FinancialStatus(
                    rawValue: try r.choice(x, path + ".financial_status", FinancialStatus.allCases.map(\.rawValue)))
            }
            if let x = object["owed"] { c.owed = try r.amount(x, path + ".owed", currency: currency(name)) }
            if let x = object["refunded"] { c.refunded = try r.amount(x, path + ".refunded", currency: currency(name)) }
            let cancelDetail = ["reason", "refund", "notified", "offer", "note"].first { object[$0] != nil }
            if c.cancelled == false, let detail = cancelDetail {
                throw r.fail(path + "." + detail, "describes a cancel, but the goal says \"cancelled\": false")
            }
            if c.cancelled == nil && cancelDetail != nil { c.cancelled = true }
            if c.cancelled == nil && c.financialStatus == nil && c.owed == nil && c.refunded == nil {
                throw r.fail(path, "says nothing about \(name); add \"cancelled\", \"reason\", \"owed\" or another field")
            }
            if c.cancelled == false, baseline.order(named: name)?.isCancelled == true {
                throw r.fail(
                    path + ".cancelled",
                    "\(name) is already cancelled when the lesson starts, and a cancel cannot be undone (a goal {\"recreated\": \"\(name)\"} checks that it was brought back)"
                )
            }
            return LessonGoal(.order(c), label: label)
        case "not_cancelled":
            let name = try order(v, field)
            if baseline.order(named: name)?.isCancelled == true {
                throw r.fail(field, "\(name) is already cancelled when the lesson starts, and a cancel cannot be undone")
            }
            return LessonGoal(.order(OrderCheck(order: name, cancelled: false)), label: label)
        case "refund":
            let o = try inner(["order", "amount", "method"], required: ["order"])
            let name = try order(o["order"]!, field + ".order")
            let amount = try o["amount"].map { x throws(LessonFileError) in try r.amount(x, field + ".amount", currency: currency(name)) }
            if let amount, amount.isZero { throw r.fail(field + ".amount", "a refund of 0 is no refund; give the amount that goes back") }
            let method = try o["method"].map { x throws(LessonFileError) in
                RefundMethod(rawValue: try r.choice(x, field + ".method", ["original", "store-credit"]))!
            }
            return LessonGoal(.refund(order: name, amount: amount, method: method), label: label)
        case "payment":
            let o = try inner(["order", "amount", "method", "kind"], required: ["order"])
            let name = try order(o["order"]!, field + ".order")
            let amount = try o["amount"].map { x throws(LessonFileError) in try r.amount(x, field + ".amount", currency: currency(name)) }
            if let amount, amount.isZero { throw r.fail(field + ".amount", "a payment of 0 is no payment; give the amount collected") }
            let method = try o["method"].map { x throws(LessonFileError) -> String in
                let text = try r.line(x, field + ".method", limit: 64)
                guard !text.contains(where: \.isWhitespace) else {
                    throw r.fail(
                        field + ".method", "\"\(Sanitizer.clean(text))\" is not a payment method; write one word, such as bank_transfer")
                }
                return text
            }
            let kind = try o["kind"].map { x throws(LessonFileError) in
                TransactionKind(rawValue: try r.choice(x, field + ".kind", paymentKinds))!
            }
            // The order must have something to collect once the setup has run.
            if let start = baseline.order(named: name) {
                var room = start.outstanding
                if kind == .capture { room = min(room, start.ledger.authorizedOpen) }
                guard room.isPositive else {
                    throw r.fail(
                        field,
                        kind == .capture && start.outstanding.isPositive
                            ? "\(name) has no authorization to capture when the lesson starts"
                            : "\(name) has nothing outstanding when the lesson starts, so no payment can be collected on it")
                }
                if let amount, amount > room {
                    throw r.fail(field + ".amount", "\(name) has only \(start.show(room)) to collect when the lesson starts")
                }
            }
            return LessonGoal(.payment(order: name, amount: amount, method: method, kind: kind), label: label)
        case "returned":
            let (name, s, units) = try unitsOfOrder(verb: "take back")
            return LessonGoal(.returned(order: name, sku: s, units: units), label: label)
        case "stock":
            let o = try inner(["sku", "equals", "at_least", "at_most"], required: ["sku"])
            let s = try sku(o["sku"]!, field + ".sku")
            let given = ["equals", "at_least", "at_most"].filter { o[$0] != nil }
            guard given.count == 1 else {
                throw r.fail(
                    field,
                    given.isEmpty
                        ? "needs one of equals, at_least, at_most"
                        : "give one of equals, at_least, at_most, not \(given.joined(separator: " and "))")
            }
            let n = try count(o[given[0]]!, field + "." + given[0])
            let comparison: StockComparison = given[0] == "equals" ? .equals(n) : given[0] == "at_least" ? .atLeast(n) : .atMost(n)
            return LessonGoal(.stock(sku: s, comparison), label: label)
        case "restocked":
            let (name, s, units) = try unitsOfOrder(verb: "restock")
            return LessonGoal(.restocked(order: name, sku: s, units: units), label: label)
        case "notice":
            let o = try inner(["order", "sent", "kind", "contains", "contains_any", "says", "phrasings"], required: ["order"])
            let name = try order(o["order"]!, field + ".order")
            let sent = try o["sent"].map { x throws(LessonFileError) in try r.bool(x, field + ".sent") } ?? true
            let kind = try o["kind"].map { x throws(LessonFileError) in
                NoticeKind(rawValue: try r.choice(x, field + ".kind", NoticeKind.allCases.map(\.rawValue)))!
            }
            let contains = try o["contains"].map { x throws(LessonFileError) in try texts(x, field + ".contains") } ?? []
            let containsAny = try o["contains_any"].map { x throws(LessonFileError) in try texts(x, field + ".contains_any") } ?? []
            let says = try facts(o, field, currency: currency(name))
            if !sent, let extra = ["kind", "contains", "contains_any", "says", "phrasings"].first(where: { o[$0] != nil }) {
                throw r.fail(field + "." + extra, "describes a message, but the goal says \"sent\": false")
            }
            return LessonGoal(
                .notice(order: name, sent: sent, kind: kind, contains: contains, containsAny: containsAny, says: says), label: label)
        case "feedback":
            let o = try inner(["order", "rating", "contains", "says", "phrasings"], required: ["order"])
            let name = try order(o["order"]!, field + ".order")
            let says = try facts(o, field, currency: currency(name))
            let rating = try o["rating"].map { x throws(LessonFileError) -> Int in
                let n = try r.integer(x, field + ".rating")
                guard (1...5).contains(n) else { throw r.fail(field + ".rating", "\(n) is not a rating; ratings go from 1 to 5") }
                return n
            }
            let contains = try o["contains"].map { x throws(LessonFileError) in try r.string(x, field + ".contains") }
            return LessonGoal(.feedback(order: name, rating: rating, contains: contains, says: says), label: label)
        case "money":
            let o = try inner(["order", "refunded", "original", "store_credit", "owed", "due"], required: ["order"])
            let name = try order(o["order"]!, field + ".order")
            func amount(_ key: String) throws(LessonFileError) -> Money? {
                try o[key].map { x throws(LessonFileError) in try r.amount(x, field + "." + key, currency: currency(name)) }
            }
            let check = MoneyCheck(
                order: name, refunded: try amount("refunded"), original: try amount("original"), storeCredit: try amount("store_credit"),
                owed: try amount("owed"), due: try amount("due"))
            guard check != MoneyCheck(order: name) else {
                throw r.fail(field, "says nothing about the money; give refunded, original, store_credit, owed or due")
            }
            return LessonGoal(.money(check), label: label)
        case "no_harm":
            if case .bool(true) = v { return LessonGoal(.noHarm(damaged: []), label: label) }
            let o = try inner(["damaged"], required: [])
            var damaged: [Damaged] = []
            if let list = o["damaged"] {
                guard case .array(let items) = list else { throw r.fail(field + ".damaged", "must be a list of {order, sku, units}") }
                for (i, item) in items.enumerated() {
                    let at = "\(field).damaged[\(i)]"
                    let d = try r.object(item, at, allowed: ["order", "sku", "units"], what: "damaged units {order, sku, units}")
                    for key in ["order", "sku", "units"] where d[key] == nil { throw r.fail(at + "." + key, "is missing; it is required") }
                    let name = try order(d["order"]!, at + ".order")
                    let s = try sku(d["sku"]!, at + ".sku")
                    let units = try count(d["units"]!, at + ".units")
                    let most = baseline.order(named: name)?.lineItems.filter { $0.sku == s }.reduce(0) { $0 + $1.quantity } ?? 0
                    guard units >= 1, units <= most else {
                        throw r.fail(at + ".units", "\(name) has \(most) unit\(most == 1 ? "" : "s") of \(s); give 1 to \(most)")
                    }
                    damaged.append(Damaged(order: name, sku: s, units: units))
                }
            }
            return LessonGoal(.noHarm(damaged: damaged), label: label)
        case "recreated":
            return LessonGoal(.recreated(order: try order(v, field)), label: label)
        case "setting":
            let o = try inner(["key", "value"], required: ["key", "value"])
            let key = try r.choice(o["key"]!, field + ".key", Settings.keys)
            let value = try r.choice(o["value"]!, field + ".value", Settings.allowedValues(of: key))
            return LessonGoal(.setting(key: key, value: value), label: label)
        case "ran":
            let patterns: [String]
            if case .string = v { patterns = [try r.string(v, field)] } else { patterns = try r.strings(v, field) }
            var alternatives: [[String]] = []
            for (i, pattern) in patterns.enumerated() {
                let at = patterns.count == 1 && !(v.isArray) ? field : "\(field)[\(i)]"
                let words: [String]
                do { words = try Tokenizer.words(pattern) } catch { throw r.fail(at, error.message) }
                guard let name = words.first, let spec = CommandTable.spec(name.lowercased()) else {
                    let first = words.first ?? ""
                    var problem = "\"\(Sanitizer.clean(first))\" is not a command"
                    if let guess = Suggestion.closest(to: first, in: CommandTable.names) { problem += "; did you mean \"\(guess)\"?" }
                    throw r.fail(at, problem)
                }
                alternatives.append([spec.name] + words.dropFirst().map { LessonWork.normalized($0, in: baseline) })
            }
            return LessonGoal(.ran(alternatives), label: label)
        case "answer":
            let o = try inner(["question", "accept"], required: ["question", "accept"])
            let question = try r.line(o["question"]!, field + ".question", limit: 200)
            let accept = try texts(o["accept"]!, field + ".accept")
            for (i, a) in accept.enumerated() where LessonWork.answerTokens(a).isEmpty {
                throw r.fail("\(field).accept[\(i)]", "has no words or numbers to compare an answer with")
            }
            return LessonGoal(.answer(question: question, accept: accept), label: label)
        default:
            throw r.fail(path, "unknown kind of goal")
        }
    }
}

extension LessonJSON {
    var isArray: Bool {
        if case .array = self { return true }
        return false
    }
}
