import OrderDeskCore

/// What the learner did in a lesson's sandbox: the input of grading.
public struct LessonWork: Sendable {
    /// The state when the lesson started (the training store with the setup applied).
    public var baseline: StoreState
    /// The state now.
    public var state: StoreState
    /// The events committed since the lesson started, oldest first.
    public var events: [Event]
    /// The words of every line the learner ran without an error (practice's own commands aside).
    public var commands: [[String]]
    /// The learner's answers, oldest first.
    public var answers: [String]

    public init(baseline: StoreState, state: StoreState? = nil, events: [Event] = [], commands: [[String]] = [], answers: [String] = []) {
        self.baseline = baseline
        self.state = state ?? baseline
        self.events = events
        self.commands = commands
        self.answers = answers
    }

    /// A word of a command as `ran` goals compare it: lowercased, and an order number in its `#1001` form.
    public static func normalized(_ word: String) -> String {
        if let number = OrderName.number(word) { return "#\(number)" }
        return word.lowercased()
    }

    /// An answer as words to compare: lowercased; split at spaces and , ; : ! ? ( ) " '; a leading `#`,
    /// and a trailing `%` or `.`, dropped from each word.
    public static func answerTokens(_ text: String) -> [String] {
        let separators: Set<Character> = [",", ";", ":", "!", "?", "(", ")", "\"", "'", "“", "”", "‘", "’"]
        var words: [String] = []
        for raw in text.lowercased().split(whereSeparator: { $0.isWhitespace || separators.contains($0) }) {
            var word = Substring(raw)
            while word.first == "#" { word = word.dropFirst() }
            while let last = word.last, last == "%" || last == "." { word = word.dropLast() }
            if !word.isEmpty { words.append(String(word)) }
        }
        return words
    }

    /// Whether `answer` holds `accepted`: its words appear in the answer, together and in order.
    public static func answer(_ answer: String, holds accepted: String) -> Bool {
        let want = answerTokens(accepted)
        let have = answerTokens(answer)
        guard !want.isEmpty, have.count >= want.count else { return false }
        for start in 0...(have.count - want.count) where Array(have[start..<(start + want.count)]) == want { return true }
        return false
    }

    /// The orders the learner may change: those the lesson names, and orders recreated from them.
    func allowedOrders(_ lesson: Lesson) -> Set<String> {
        var allowed = Set(lesson.goalOrders + lesson.mayTouch)
        for event in events {
            if case .orderRecreated(let r) = event.change, allowed.contains(r.original) { allowed.insert(r.order.name) }
        }
        return allowed
    }

    /// A message to a customer sent during the lesson.
    struct SentNotice {
        var order: String
        var kind: LessonGoal.NoticeKind
        var notice: Notice
    }

    /// Messages sent during the lesson, each under the order it is about (a recreated order's
    /// messages count for the original too).
    func notices(about order: String) -> [SentNotice] {
        var out: [SentNotice] = []
        for event in events {
            switch event.change {
            case .orderCancelled(let c):
                if c.order == order, let n = c.notice { out.append(SentNotice(order: order, kind: .cancel, notice: n)) }
            case .orderRecreated(let r):
                if r.original == order || r.order.name == order, let n = r.notice {
                    out.append(SentNotice(order: order, kind: .recreate, notice: n))
                }
            case .customerNotified(let n):
                if n.order == order || state.order(named: n.order)?.recreatedFrom == order {
                    out.append(SentNotice(order: order, kind: .message, notice: n))
                }
            case .orderRefunded(let r), .orderReturned(let r):
                if r.order == order || state.order(named: r.order)?.recreatedFrom == order, let n = r.notice {
                    out.append(SentNotice(order: order, kind: .refund, notice: n))
                }
            default: break
            }
        }
        return out
    }

    /// Refund transactions made during the lesson on an order (by a cancel, `refund` or `return`).
    func refunds(on order: String) -> [Transaction] {
        var out: [Transaction] = []
        for event in events {
            switch event.change {
            case .orderCancelled(let c) where c.order == order: out += c.refund?.transactions ?? []
            case .orderRefunded(let r) where r.order == order: out += r.refund.transactions
            case .orderReturned(let r) where r.order == order: out += r.refund.transactions
            default: break
            }
        }
        return out
    }

    /// Payments collected during the lesson on an order (by `pay` or `capture`).
    func payments(on order: String) -> [Transaction] {
        var out: [Transaction] = []
        for event in events {
            if case .paymentRecorded(let p) = event.change, p.order == order { out += p.transactions }
        }
        return out
    }

    /// Whether a payment method as recorded is the one a goal names: ignoring case, `-` and `_` alike.
    static func sameMethod(_ a: String, _ b: String) -> Bool {
        func key(_ s: String) -> String { s.lowercased().replacingOccurrences(of: "-", with: "_") }
        return key(a) == key(b)
    }

    /// Feedback logged during the lesson on an order.
    func feedback(on order: String) -> [Feedback] {
        events.compactMap { event in
            if case .feedbackLogged(let f) = event.change, f.order == order { return f }
            return nil
        }
    }

    /// Whether a line the learner ran matches a `ran` pattern: the same command, and every word of the pattern among its words.
    static func matches(_ words: [String], _ pattern: [String]) -> Bool {
        guard let first = words.first, let spec = CommandTable.spec(first.lowercased()), spec.name == pattern.first else { return false }
        let have = Set(words.dropFirst().map(normalized))
        return pattern.dropFirst().allSatisfy { have.contains($0) }
    }
}

/// How a lesson stands: each goal met, still to do, or gone wrong; and changes nobody asked for.
public struct LessonGrade: Sendable, Equatable {
    public enum Status: Sendable, Equatable {
        case met
        /// Not yet; the detail says what is still missing, without saying how to do it.
        case missing(String?)
        /// Something was done that the story does not call for.
        case wrong(String)

        public var isMet: Bool { self == .met }
    }

    public struct Item: Sendable, Equatable {
        /// What the goal asks, in words that do not give the answer away.
        public var label: String
        public var status: Status
        /// The goal held before the learner did anything: `check` lists it only once it is broken.
        public var isGuard: Bool

        /// Whether `check` shows the item.
        public var isShown: Bool { !isGuard || !status.isMet }
    }

    /// One item per goal, in the lesson's order.
    public var items: [Item]
    /// Changes to orders the lesson is not about, in words.
    public var unexpected: [String]

    /// Every goal met and nothing changed that should not have been.
    public var passed: Bool { items.allSatisfy(\.status.isMet) && unexpected.isEmpty }

    /// The goals `check` counts (those it shows: every goal but the guards that still hold), and how many are met.
    public var tasks: (met: Int, total: Int) {
        let shown = items.filter(\.isShown)
        return (shown.filter(\.status.isMet).count, shown.count)
    }

    /// Whether anything went wrong that only a `reset` can put right.
    public var hasWrong: Bool {
        !unexpected.isEmpty || items.contains { if case .wrong = $0.status { return true } else { return false } }
    }

    /// Grades `work` against the lesson's goals.
    public init(_ lesson: Lesson, _ work: LessonWork) {
        let start = LessonWork(baseline: work.baseline)
        items = lesson.goals.map { goal in
            let atStart = LessonGrade.status(goal.check, start)
            return Item(
                label: goal.label ?? LessonGrade.label(goal.check, work.baseline), status: LessonGrade.status(goal.check, work),
                isGuard: atStart.isMet)
        }
        unexpected = LessonGrade.unexpected(lesson, work)
    }

    // MARK: Labels

    /// The generated words for a goal: what must be true, never the values that make it so.
    static func label(_ check: LessonGoal.Check, _ baseline: StoreState) -> String {
        switch check {
        case .order(let c):
            var parts: [String] = []
            if c.cancelled == true {
                var aspects: [String] = []
                if c.reason != nil { aspects.append("the right reason") }
                if c.refund != nil { aspects.append("the money handled the right way") }
                if c.notified != nil { aspects.append("the right choice of notice") }
                if let offer = c.offer { aspects.append(offer ? "an offer for the customer" : "no offer") }
                parts.append("\(c.order) is cancelled" + (aspects.isEmpty ? "" : ", with " + Self.list(aspects)))
            } else if c.cancelled == false {
                parts.append("\(c.order) is not cancelled")
            }
            if let owed = c.owed {
                parts.append(owed.isZero ? "nothing is owed back on \(c.order) any more" : "\(c.order) has the right amount still owed")
            }
            if let refunded = c.refunded {
                parts.append(refunded.isZero ? "no money has gone back on \(c.order)" : "\(c.order) has the right amount refunded in all")
            }
            if c.financialStatus != nil { parts.append("\(c.order) has the right payment status") }
            return parts.joined(separator: "; ")
        case .refund(let order, let amount, let method):
            var text = "\(order) gets a refund"
            if amount != nil { text += " of the right amount" }
            if method != nil { text += ", paid back the right way" }
            return text
        case .payment(let order, let amount, let method, let kind):
            var text = "\(order) gets a payment"
            if amount != nil { text += " of the right amount" }
            if method != nil || kind != nil { text += ", recorded the right way" }
            return text
        case .returned(let order, let sku, _):
            return "\(order): the right number of \(sku.map { "\($0) " } ?? "")units are taken back"
        case .stock(let sku, _):
            return "\(sku) has the right number of units in stock"
        case .restocked(let order, let sku, _):
            return "\(order): the right number of \(sku.map { "\($0) " } ?? "")units are back in stock"
        case .notice(let order, let sent, let kind, let contains, let containsAny):
            guard sent else { return "no message goes to the customer of \(order)" }
            var text: String
            switch kind {
            case .cancel: text = "the customer of \(order) is told about the cancel"
            case .recreate: text = "the customer of \(order) is told about the new order"
            case .refund: text = "the customer of \(order) is told about the refund"
            case .message, nil: text = "the customer of \(order) gets a message"
            }
            if !contains.isEmpty || !containsAny.isEmpty { text += " that tells them what they need to know" }
            return text
        case .feedback(let order, let rating, let contains):
            var text = "the customer's feedback on \(order) is logged"
            if rating != nil {
                text += contains != nil ? ", with their rating and words" : ", with their rating"
            } else if contains != nil {
                text += ", with their words"
            }
            return text
        case .recreated(let order):
            return "\(order) is brought back as a new order"
        case .setting(let key, _):
            return "the setting \(key) is right"
        case .ran(let alternatives):
            return "you ran " + alternatives.map { "'\($0.joined(separator: " "))'" }.joined(separator: " or ")
        case .answer(let question, _):
            return "you answered the question: " + question
        }
    }

    static func list(_ items: [String]) -> String {
        guard items.count > 1 else { return items.first ?? "" }
        return items.dropLast().joined(separator: ", ") + " and " + items.last!
    }

    // MARK: Statuses

    static func status(_ check: LessonGoal.Check, _ work: LessonWork) -> Status {
        let state = work.state
        switch check {
        case .order(let c):
            guard let o = state.order(named: c.order) else { return .missing("\(c.order) is not in the store") }
            var missing: [String] = []
            if c.cancelled == true {
                if !o.isCancelled {
                    missing.append("\(c.order) is not cancelled yet")
                } else {
                    let event = work.events.lazy.compactMap { e -> Cancellation? in
                        if case .orderCancelled(let x) = e.change, x.order == c.order { return x } else { return nil }
                    }.first
                    if let reason = c.reason, o.cancelReason != reason {
                        return .wrong(
                            "\(c.order) was cancelled with the reason '\(o.cancelReason?.rawValue ?? "none")', which does not fit the story"
                        )
                    }
                    if let refund = c.refund, o.cancellation?.refund.rawValue != refund {
                        let done = o.cancellation?.refund.rawValue ?? "unknown"
                        return .wrong("\(c.order) was cancelled with its money handled as '\(done)', which is not what this case calls for")
                    }
                    if let notified = c.notified, o.cancellation?.notified != notified {
                        return .wrong(
                            notified
                                ? "\(c.order) was cancelled without a notice to the customer, and this case calls for one"
                                : "\(c.order) was cancelled with a notice to the customer, and this case calls for none")
                    }
                    if let offer = c.offer {
                        let made = event?.offer.map { !$0.isEmpty } ?? false
                        if made != offer {
                            return .wrong(
                                offer
                                    ? "\(c.order) was cancelled without an offer for the customer"
                                    : "\(c.order) was cancelled with an offer that this case does not call for")
                        }
                    }
                }
            } else if c.cancelled == false, o.isCancelled {
                return .wrong("\(c.order) was cancelled, and it should not have been")
            }
            if let owed = c.owed, o.refundOwed != owed {
                if o.refundOwed > owed {
                    missing.append("\(o.show(o.refundOwed)) is still owed on \(c.order)")
                } else {
                    return .wrong(
                        "\(c.order) has \(o.show(o.refundOwed)) owed: less than it should, so more went back than this case calls for")
                }
            }
            if let refunded = c.refunded, o.amountRefunded != refunded {
                if o.amountRefunded < refunded {
                    missing.append(
                        o.amountRefunded.isZero
                            ? "nothing has been refunded on \(c.order) yet"
                            : "\(c.order) has \(o.show(o.amountRefunded)) refunded so far; not all of it yet")
                } else {
                    return .wrong("\(c.order) has \(o.show(o.amountRefunded)) refunded: more than this case calls for")
                }
            }
            if let status = c.financialStatus, o.financialStatus != status {
                missing.append("\(c.order) is \(o.financialStatus.rawValue.replacingOccurrences(of: "_", with: " "))")
            }
            return missing.isEmpty ? .met : .missing(missing.joined(separator: "; "))
        case .refund(let order, let amount, let method):
            let made = work.refunds(on: order)
            if made.contains(where: { (amount == nil || $0.amount == amount!) && (method == nil || $0.method == method!) }) { return .met }
            guard !made.isEmpty else { return .missing("no refund on \(order) yet") }
            let o = state.order(named: order)
            let shown = made.map { t in
                (o?.show(t.amount) ?? t.amount.description)
                    + (t.method == .storeCredit ? " as store credit" : " to the original payment method")
            }
            let text =
                "the refund\(made.count == 1 ? "" : "s") on \(order) so far (\(shown.joined(separator: ", "))) \(made.count == 1 ? "is" : "are") not the one this case calls for"
            // Once what is left cannot make the refund asked for, only a reset puts it right.
            let left = o?.refundable ?? .zero
            if !left.isPositive { return .wrong(text + ", and nothing is left to refund on \(order)") }
            if let amount, amount > left { return .wrong(text + ", and not enough is left to refund on \(order)") }
            return .missing(text)
        case .payment(let order, let amount, let method, let kind):
            let made = work.payments(on: order)
            func fits(_ t: Transaction) -> Bool {
                (amount == nil || t.amount == amount!) && (method == nil || LessonWork.sameMethod(t.gateway, method!))
                    && (kind == nil || t.kind == kind!)
            }
            if made.contains(where: fits) { return .met }
            guard !made.isEmpty else { return .missing("no payment collected on \(order) yet") }
            let o = state.order(named: order)
            let shown = made.map { t in
                (o?.show(t.amount) ?? t.amount.description) + (t.kind == .capture ? " captured" : " recorded") + " via "
                    + Sanitizer.clean(t.gateway)
            }
            let text =
                "the payment\(made.count == 1 ? "" : "s") on \(order) so far (\(shown.joined(separator: ", "))) \(made.count == 1 ? "is" : "are") not the one this case calls for"
            var room = o?.outstanding ?? .zero
            if kind == .capture { room = min(room, o?.ledger.authorizedOpen ?? .zero) }
            if !room.isPositive { return .wrong(text + ", and nothing is left to collect on \(order)") }
            if let amount, amount > room { return .wrong(text + ", and not enough is left to collect on \(order)") }
            return .missing(text)
        case .returned(let order, let sku, let units):
            guard let o = state.order(named: order) else { return .missing(nil) }
            let lines = Set(o.lineItems.filter { sku == nil || $0.sku == sku }.map(\.id))
            let done = o.refunds.reduce(0) { sum, r in
                sum + r.refundLineItems.filter { lines.contains($0.lineItemId) }.reduce(0) { $0 + $1.quantity }
            }
            if done == units { return .met }
            if done > units {
                return .wrong("\(done) unit\(done == 1 ? " was" : "s were") taken back from \(order): more than should be")
            }
            return .missing(done == 0 ? "nothing of \(order) has been taken back yet" : "\(done) of them so far")
        case .stock(let sku, let comparison):
            func holds(_ level: Int) -> Bool {
                switch comparison {
                case .equals(let n): return level == n
                case .atLeast(let n): return level >= n
                case .atMost(let n): return level <= n
                }
            }
            let have = state.inventory[sku] ?? 0
            if holds(have) { return .met }
            // Right at the start and changed since: stock cannot be set by hand, so only a reset puts it back.
            if holds(work.baseline.inventory[sku] ?? 0) {
                return .wrong("\(sku) had the right number of units in stock at the start, and now has \(have)")
            }
            return .missing("it has \(have) now")
        case .restocked(let order, let sku, let units):
            guard let o = state.order(named: order) else { return .missing(nil) }
            let done = o.lineItems.filter { sku == nil || $0.sku == sku }.reduce(0) { $0 + $1.restocked }
            if done == units { return .met }
            if done > units {
                return .wrong(
                    "\(done) unit\(done == 1 ? "" : "s") of \(order) \(done == 1 ? "is" : "are") back in stock: more than should be")
            }
            return .missing(done == 0 ? "nothing of \(order) is back in stock yet" : "\(done) of them so far")
        case .notice(let order, let sent, let kind, let contains, let containsAny):
            let notices = work.notices(about: order)
            guard sent else {
                guard let n = notices.first else { return .met }
                let what: String
                switch n.kind {
                case .cancel: what = "the cancel sent the customer of \(order) a notice"
                case .refund: what = "the refund sent the customer of \(order) a notice"
                case .recreate, .message: what = "a message went to the customer of \(order)"
                }
                return .wrong(what + " (see 'outbox'), and in this case they should not be told")
            }
            let ofKind = notices.filter { kind == nil || $0.kind == kind }
            guard !ofKind.isEmpty else {
                return .missing(
                    notices.isEmpty
                        ? "no message to the customer of \(order) yet" : "no message of the right kind to the customer of \(order) yet")
            }
            let good = ofKind.contains { n in
                let body = (n.notice.subject + "\n" + n.notice.body).lowercased()
                return contains.allSatisfy { body.contains($0.lowercased()) }
                    && (containsAny.isEmpty || containsAny.contains { body.contains($0.lowercased()) })
            }
            return good ? .met : .missing("the message to the customer of \(order) does not tell them everything they need to know yet")
        case .feedback(let order, let rating, let contains):
            let logged = work.feedback(on: order)
            guard !logged.isEmpty else { return .missing("no feedback logged on \(order) yet") }
            if logged.contains(where: { f in
                (rating == nil || f.rating == rating!) && (contains == nil || f.text.lowercased().contains(contains!.lowercased()))
            }) {
                return .met
            }
            if let rating, !logged.contains(where: { $0.rating == rating }) {
                return .missing(
                    "the feedback on \(order) was logged with rating \(logged.last!.rating); that is not the rating the customer gave")
            }
            return .missing("the feedback on \(order) does not have the customer's words")
        case .recreated(let order):
            return state.order(named: order)?.recreatedAs != nil ? .met : .missing("\(order) has not been brought back yet")
        case .setting(let key, let value):
            let now = state.settings.value(of: key) ?? "?"
            return now == value ? .met : .missing("\(key) is \(now)")
        case .ran(let alternatives):
            let ran = work.commands.contains { words in alternatives.contains { LessonWork.matches(words, $0) } }
            return ran ? .met : .missing(nil)
        case .answer(_, let accept):
            guard let last = work.answers.last else { return .missing("no answer yet; type: answer TEXT") }
            if accept.contains(where: { LessonWork.answer(last, holds: $0) }) { return .met }
            return .missing("your answer \"\(Sanitizer.clean(last))\" is not right; look again, then answer again")
        }
    }

    /// Changes made to orders the lesson is not about, in words, one per order and kind of change.
    static func unexpected(_ lesson: Lesson, _ work: LessonWork) -> [String] {
        let allowed = work.allowedOrders(lesson)
        var out: [String] = []
        func add(_ order: String, _ what: String) {
            guard !allowed.contains(order) else { return }
            let text = "\(what), but this case is not about \(order)"
            if !out.contains(text) { out.append(text) }
        }
        for event in work.events {
            switch event.change {
            case .orderCancelled(let c): add(c.order, "\(c.order) was cancelled")
            case .orderRefunded(let r): add(r.order, "money went back on \(r.order)")
            case .orderReturned(let r): add(r.order, "units of \(r.order) were returned")
            case .paymentRecorded(let p): add(p.order, "a payment was recorded on \(p.order)")
            case .orderRestocked(let r): add(r.order, "\(r.order) was restocked")
            case .customerNotified(let n): add(n.order, "a message went to the customer of \(n.order)")
            case .feedbackLogged(let f): add(f.order, "feedback was logged on \(f.order)")
            case .orderRecreated(let r): add(r.original, "\(r.original) was recreated as \(r.order.name)")
            case .settingChanged, .ordersImported, .ordersUpdated, .snapshotEditAccepted, .noticeDelivery: break
            }
        }
        return out
    }
}
