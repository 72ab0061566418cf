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

    /// A word of a command as `ran` goals compare it: an order by its name as the store has it
    /// (`1001`, `#1001` and `Her2065`'s `2065` alike), any other word lowercased.
    public static func normalized(_ word: String, in state: StoreState) -> String {
        if let order = try? state.resolveOrder(word) { return order.name.lowercased() }
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

    /// Whether `answer` holds `accepted`: its words appear in the answer, together and in order
    /// (an order by any of its names, when `state` knows it). An accepted answer that is a number
    /// (`42.9%`) is held by any number of the answer that rounds the same way (``AnswerNumber``).
    public static func answer(_ answer: String, holds accepted: String, in state: StoreState? = nil) -> Bool {
        if let wanted = AnswerNumber(accepted) {
            return AnswerNumber.all(in: answer).contains { $0.matches(wanted) }
        }
        func canonical(_ words: [String]) -> [String] {
            guard let state else { return words }
            return words.map { w in (try? state.resolveOrder(w)).map { TextFold.fold($0.name).filter { $0 != "#" } } ?? w }
        }
        let want = canonical(answerTokens(accepted))
        let have = canonical(answerTokens(answer))
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

    /// Whether a line the learner ran matches a `ran` pattern: the same command, and every word of
    /// the pattern among its words (orders compared by name in `state`).
    static func matches(_ words: [String], _ pattern: [String], in state: StoreState) -> Bool {
        guard let first = words.first, let spec = CommandTable.spec(first.lowercased()), spec.name == pattern.first else { return false }
        let have = Set(words.dropFirst().map { normalized($0, in: state) })
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

    /// The goals `check` counts, and how many are met: every goal but the guards, so the count
    /// stays the same from one check to the next (a broken guard is shown as wrong, not counted).
    public var tasks: (met: Int, total: Int) {
        let counted = items.filter { !$0.isGuard }
        return (counted.filter(\.status.isMet).count, counted.count)
    }

    /// Whether anything went wrong that only a `reset` can put right.
    public var hasWrong: Bool {
        !unexpected.isEmpty || items.contains { if case .wrong = $0.status { return true } else { return false } }
    }

    /// Grades `work` against the lesson's goals.
    public init(_ lesson: Lesson, _ work: LessonWork) {
        let start = LessonWork(baseline: work.baseline)
        items = lesson.goals.map { goal in
            let atStart = LessonGrade.status(goal.check, start, lesson)
            return Item(
                label: goal.label ?? LessonGrade.label(goal.check, work.baseline), status: LessonGrade.status(goal.check, work, lesson),
                isGuard: atStart.isMet)
        }
        unexpected = LessonGrade.unexpected(lesson, work)
        // Harm is always checked; a lesson without a no_harm goal lists it with the unexpected changes.
        if !lesson.goals.contains(where: { if case .noHarm = $0.check { return true } else { return false } }) {
            unexpected += LessonGrade.harms(lesson, work)
        }
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
                if c.note != nil { aspects.append("a staff note for the team") }
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
        case .money(let m):
            var aspects: [String] = []
            if m.refunded != nil { aspects.append("refunded in all") }
            if m.original != nil { aspects.append("back to how they paid") }
            if m.storeCredit != nil { aspects.append("as store credit") }
            if m.owed != nil { aspects.append("still owed") }
            if m.due != nil { aspects.append("still to pay") }
            return "\(m.order): the customer's money is right (\(Self.list(aspects)))"
        case .noHarm:
            return "nothing harmful happened to the customer or the stock"
        case .notice(let order, let sent, let kind, let contains, let containsAny, let says):
            guard sent else { return "no message goes to the customer of \(order)" }
            var text: String
            switch kind {
            case .cancel: text = "the customer of \(order) is told about the cancel"
            case .recreate: text = "the customer of \(order) is told about the new order"
            case .refund: text = "the customer of \(order) is told about the refund"
            case .message, nil: text = "the customer of \(order) gets a message"
            }
            if !says.isEmpty {
                text += " that says " + Self.list(says.map(\.description))
            } else if !contains.isEmpty || !containsAny.isEmpty {
                text += " that tells them what they need to know"
            }
            return text
        case .feedback(let order, let rating, let contains, let says):
            let words = contains != nil || !says.isEmpty
            var text = "the customer's feedback on \(order) is logged"
            if rating != nil {
                text += words ? ", with their rating and words" : ", with their rating"
            } else if words {
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

    static func status(_ check: LessonGoal.Check, _ work: LessonWork, _ lesson: Lesson) -> Status {
        let state = work.state
        switch check {
        case .money(let m):
            return moneyStatus(m, work)
        case .noHarm:
            let harms = harms(lesson, work)
            return harms.isEmpty ? .met : .wrong(harms.joined(separator: " Also: "))
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
                            "\(c.order) was cancelled with the reason '\(o.cancelReason?.rawValue ?? "none")', which does not fit the story: read it again for why the order is cancelled. A cancel cannot be taken back: type 'reset' to start over"
                        )
                    }
                    if let refund = c.refund, o.cancellation?.refund.rawValue != refund {
                        let done = o.cancellation?.refund.rawValue ?? "unknown"
                        return .wrong(
                            "\(c.order) was cancelled with its money \(Self.refundWords(done)); this case calls for it \(Self.refundWords(refund)). A cancel cannot be taken back: type 'reset' to start over"
                        )
                    }
                    if let notified = c.notified, o.cancellation?.notified != notified {
                        return .wrong(
                            notified
                                ? "\(c.order) was cancelled without a notice to the customer, and this case calls for one. A cancel cannot be taken back: type 'reset' to start over"
                                : "\(c.order) was cancelled with a notice to the customer, and this case calls for none. A cancel cannot be taken back: type 'reset' to start over"
                        )
                    }
                    if let note = c.note {
                        let text = MessageText(o.cancellation?.note ?? "")
                        if !note.contains(where: { text.says($0) }) {
                            return .wrong(
                                (o.cancellation?.note ?? "").isEmpty
                                    ? "\(c.order) was cancelled without a staff note, and this case calls for one that tells the team why. A cancel cannot be taken back: type 'reset' to start over"
                                    : "\(c.order) was cancelled with a staff note that does not say why, as this case calls for. A cancel cannot be taken back: type 'reset' to start over"
                            )
                        }
                    }
                    if let offer = c.offer {
                        let made = event?.offer.map { !$0.isEmpty } ?? false
                        if made != offer {
                            return .wrong(
                                offer
                                    ? "\(c.order) was cancelled without an offer for the customer, and this case calls for one. A cancel cannot be taken back: type 'reset' to start over"
                                    : "\(c.order) was cancelled with an offer that this case does not call for. A cancel cannot be taken back: type 'reset' to start over"
                            )
                        }
                    }
                }
            } else if c.cancelled == false, o.isCancelled {
                return .wrong(
                    "\(c.order) was cancelled, and it should not have been. A cancel cannot be taken back: type 'reset' to start over")
            }
            if let owed = c.owed, o.refundOwed != owed {
                if o.refundOwed > owed {
                    missing.append("\(o.show(o.refundOwed)) is still owed on \(c.order)")
                } else {
                    return .wrong(
                        "\(c.order) has \(o.show(o.refundOwed)) owed: less than it should, so more went back than this case calls for. Money that went back cannot be taken back: type 'reset' to start over"
                    )
                }
            }
            if let refunded = c.refunded, o.amountRefunded != refunded {
                if o.amountRefunded < refunded {
                    missing.append(
                        o.amountRefunded.isZero
                            ? "nothing has been refunded on \(c.order) yet"
                            : "\(c.order) has \(o.show(o.amountRefunded)) refunded so far; not all of it yet")
                } else {
                    return .wrong(
                        "\(c.order) has \(o.show(o.amountRefunded)) refunded: more than this case calls for. Money that went back cannot be taken back: type 'reset' to start over"
                    )
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
            var wanted = "a refund"
            if let amount { wanted += " of " + (o?.show(amount) ?? amount.description) }
            if let method { wanted += method == .storeCredit ? " as store credit" : " to the original payment method" }
            let text =
                "the refund\(made.count == 1 ? "" : "s") on \(order) so far (\(shown.joined(separator: ", "))) \(made.count == 1 ? "is" : "are") not what this case calls for: \(wanted)"
            // Once what is left cannot make the refund asked for, only a reset puts it right.
            let left = o?.refundable ?? .zero
            if !left.isPositive {
                return .wrong(text + "; nothing is left to refund on \(order), a dead end: type 'reset' to start over")
            }
            if let amount, amount > left {
                return .wrong(text + "; not enough is left to refund on \(order), a dead end: type 'reset' to start over")
            }
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
            if !room.isPositive {
                return .wrong(text + ", and nothing is left to collect on \(order), a dead end: type 'reset' to start over")
            }
            if let amount, amount > room {
                return .wrong(text + ", and not enough is left to collect on \(order), a dead end: type 'reset' to start over")
            }
            return .missing(text)
        case .returned(let order, let sku, let units):
            guard let o = state.order(named: order) else { return .missing(nil) }
            let lines = Set(o.lineItems.filter { sku == nil || $0.sku == sku }.map(\.id))
            let done = o.refunds.reduce(0) { sum, r in
                sum + r.refundLineItems.filter { lines.contains($0.lineItemId) }.reduce(0) { $0 + $1.quantity }
            }
            if done == units { return .met }
            if done > units {
                return .wrong(
                    "\(done) unit\(done == 1 ? " was" : "s were") taken back from \(order): more than should be. A return cannot be taken back: type 'reset' to start over"
                )
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
                return .wrong(
                    "\(sku) had the right number of units in stock at the start, and now has \(have). Stock cannot be set by hand: type 'reset' to start over"
                )
            }
            return .missing("it has \(have) now")
        case .restocked(let order, let sku, let units):
            guard let o = state.order(named: order) else { return .missing(nil) }
            let done = o.lineItems.filter { sku == nil || $0.sku == sku }.reduce(0) { $0 + $1.restocked }
            if done == units { return .met }
            if done > units {
                return .wrong(
                    "\(done) unit\(done == 1 ? "" : "s") of \(order) \(done == 1 ? "is" : "are") back in stock: more than should be. Stock cannot be taken off the shelf here: type 'reset' to start over"
                )
            }
            return .missing(done == 0 ? "nothing of \(order) is back in stock yet" : "\(done) of them so far")
        case .notice(let order, let sent, let kind, let contains, let containsAny, let says):
            let notices = work.notices(about: order)
            guard sent else {
                guard let n = notices.first else { return .met }
                let what: String
                switch n.kind {
                case .cancel: what = "the cancel sent the customer of \(order) a notice"
                case .refund: what = "the refund sent the customer of \(order) a notice"
                case .recreate, .message: what = "a message went to the customer of \(order)"
                }
                return .wrong(
                    what
                        + " (see 'outbox'), and in this case they should not be told. A message cannot be taken back: type 'reset' to start over"
                )
            }
            let ofKind = notices.filter { kind == nil || $0.kind == kind }
            guard !ofKind.isEmpty else {
                return .missing(
                    notices.isEmpty
                        ? "no message to the customer of \(order) yet" : "no message of the right kind to the customer of \(order) yet")
            }
            let subject = state.order(named: order)
            var best: [MessageFact]?
            for n in ofKind {
                let body = (n.notice.subject + "\n" + n.notice.body).lowercased()
                guard contains.allSatisfy({ body.contains($0.lowercased()) }),
                    containsAny.isEmpty || containsAny.contains(where: { body.contains($0.lowercased()) })
                else {
                    if best == nil { best = says }
                    continue
                }
                let text = MessageText(n.notice.subject + "\n" + n.notice.body)
                let unsaid = says.filter { !$0.isSaid(in: text, about: subject) }
                if unsaid.isEmpty { return .met }
                if best == nil || unsaid.count < best!.count { best = unsaid }
            }
            guard let unsaid = best, !unsaid.isEmpty else {
                return .missing("the message to the customer of \(order) does not tell them everything they need to know yet")
            }
            return .missing("the message to the customer of \(order) does not say \(Self.list(unsaid.map(\.description))) yet")
        case .feedback(let order, let rating, let contains, let says):
            let logged = work.feedback(on: order)
            guard !logged.isEmpty else { return .missing("no feedback logged on \(order) yet") }
            if logged.count > 1 {
                return .wrong(
                    "\(logged.count) feedback entries were logged on \(order) for the customer's one message, so it counts \(logged.count) times in the report. Feedback cannot be taken back: type 'reset' to start over"
                )
            }
            let f = logged[0]
            if let rating, f.rating != rating {
                return .wrong(
                    "the feedback on \(order) was logged with rating \(f.rating), which is not the rating the customer gave: read their message again. Feedback cannot be taken back: type 'reset' to start over"
                )
            }
            let text = MessageText(f.text)
            let unsaid = says.filter { !$0.isSaid(in: text, about: state.order(named: order)) }
            if let contains, !f.text.lowercased().contains(contains.lowercased()) {
                return .wrong(
                    "the feedback on \(order) does not have the customer's words, and this case calls for them. Feedback cannot be taken back: type 'reset' to start over"
                )
            }
            if !unsaid.isEmpty {
                return .wrong(
                    "the feedback on \(order) does not have \(Self.list(unsaid.map(\.description))), and this case calls for them (rating and words). Feedback cannot be taken back: type 'reset' to start over"
                )
            }
            return .met
        case .recreated(let order):
            return state.order(named: order)?.recreatedAs != nil ? .met : .missing("\(order) has not been brought back yet")
        case .setting(let key, let value):
            let now = state.settings.value(of: key) ?? "?"
            return now == value ? .met : .missing("\(key) is \(now)")
        case .ran(let alternatives):
            let ran = work.commands.contains { words in alternatives.contains { LessonWork.matches(words, $0, in: state) } }
            return ran ? .met : .missing(nil)
        case .answer(_, let accept):
            guard let last = work.answers.last else { return .missing("no answer yet; type: answer TEXT") }
            if accept.contains(where: { LessonWork.answer(last, holds: $0, in: state) }) { return .met }
            var text = "your answer \"\(Sanitizer.clean(last))\" is not right; look again, then answer again"
            if let number = accept.lazy.compactMap(AnswerNumber.init).first {
                text +=
                    number.percent
                    ? " (a share in %, as the figures show it: for 12.5%, the answers 12.5, 12,5, 12.5 % and 13 all count)"
                    : " (a number, as the figures show it: for 12.5, the answers 12,5 and 13 count too)"
            }
            return .missing(text)
        }
    }

    /// Changes made to orders the lesson is not about, in words, one per order and kind of change.
    static func unexpected(_ lesson: Lesson, _ work: LessonWork) -> [String] {
        let allowed = work.allowedOrders(lesson)
        var out: [String] = []
        func add(_ order: String, _ what: String) {
            guard !allowed.contains(order) else { return }
            let text = "\(what), but this case is not about \(order): type 'reset' to start over"
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
