/// Read commands: orders, find, show, inventory, outbox, settings, log, history, feedback list.
extension Desk {
    static func orders(_ q: OrderQuery, _ state: StoreState, _ context: Context) throws(OrderDeskError) -> String {
        let since = q.since?.start(now: context.now, offset: context.utcOffset)
        let until = q.until?.end(now: context.now, offset: context.utcOffset)
        let customer = q.customer?.lowercased()
        func matches(_ o: Order) -> Bool {
            switch q.status {
            case .all: break
            case .open: if !o.isOpen { return false }
            case .unfulfilled: if !o.isOpen || o.fulfillmentStatus != nil { return false }
            case .fulfilled: if o.fulfillmentStatus != .fulfilled { return false }
            case .cancelled: if !o.isCancelled { return false }
            case .refundOwed: if !o.refundOwed.isPositive { return false }
            case .recreated: if o.recreatedAs == nil && o.recreatedFrom == nil { return false }
            }
            if let since, o.createdAt < since { return false }
            if let until, o.createdAt > until { return false }
            if let customer, !(o.email.lowercased().contains(customer) || o.customer.fullName.lowercased().contains(customer)) {
                return false
            }
            if let sku = q.sku, !o.lineItems.contains(where: { $0.sku.caseInsensitiveEquals(sku) }) { return false }
            return true
        }
        var found: [Order] = []
        // Oldest first for money owed (refund quickly), newest first otherwise.
        if q.status == .refundOwed {
            for o in state.orders where matches(o) {
                found.append(o)
                if found.count == q.limit { break }
            }
        } else {
            for o in state.orders.reversed() where matches(o) {
                found.append(o)
                if found.count == q.limit { break }
            }
        }
        if q.json { return JSONText.encode(found, pretty: context.prettyJSON) }
        if q.csv {
            guard let csv = context.ordersCSV else { throw .unsupportedHere("orders --csv") }
            return csv(found)
        }
        return OrderList.render(found, context: context, owed: q.status == .refundOwed, empty: "No orders match.")
    }

    static func find(_ text: String, limit: Int, json: Bool, _ state: StoreState, _ context: Context) throws(OrderDeskError) -> String {
        // The name is the text or the text without its `#` is the number, or the email, full name or a SKU contains the
        // text, or a tag is it; all folded as people type (case and accents aside; see FindMatcher, which does it without
        // copies). A text of several words also finds an order that each of its words finds, in any order.
        let index = state.findIndex
        let whole = FindMatcher(text)
        let words = TextFold.words(text)
        let parts = words.count > 1 ? words.map(FindMatcher.init) : []
        let wholeHits = whole.hits(in: index)
        let partHits = parts.map { $0.hits(in: index) }
        var found: [Order] = []
        state.orders.withUnsafeBufferPointer { orders in
            for i in orders.indices.reversed() {
                let o = orders.baseAddress! + i
                let hit =
                    whole.matches(o, indexed: wholeHits.map { ($0[i], index.kinds[i]) })
                    || (!parts.isEmpty
                        && parts.indices.allSatisfy { k in parts[k].matches(o, indexed: partHits[k].map { ($0[i], index.kinds[i]) }) })
                guard hit else { continue }
                found.append(orders[i])
                if found.count == limit { break }
            }
        }
        if json { return JSONText.encode(found, pretty: context.prettyJSON) }
        return OrderList.render(found, context: context, owed: false, empty: "Nothing matches '\(Sanitizer.clean(text))'.")
    }

    static func show(_ name: String, json: Bool, _ state: StoreState, _ context: Context) throws(OrderDeskError) -> String {
        let o = try order(name, state)
        if json { return JSONText.encode(o, pretty: context.prettyJSON) }
        let feedback = state.feedback.filter { $0.order == o.name }
        return OrderView.render(o, feedback: feedback, inventory: state.inventory, context: context)
    }

    static func inventory(_ sku: String?, low: Int?, json: Bool, _ state: StoreState, _ context: Context) throws(OrderDeskError) -> String {
        var levels = state.inventory
        if let sku {
            guard let key = levels.keys.first(where: { $0.caseInsensitiveEquals(sku) }) else {
                throw .unknownSKU(sku, suggestion: Suggestion.closest(to: sku, in: Array(levels.keys)))
            }
            levels = [key: levels[key]!]
        }
        if let low { levels = levels.filter { $0.value <= low } }
        if json { return JSONText.encode(levels, pretty: context.prettyJSON) }
        guard !levels.isEmpty else { return "No SKUs match." }
        let titles = skuTitles(Set(levels.keys), state)
        var table = TextTable(["SKU", "Product", "Available"], [.left, .left, .right])
        for key in levels.keys.sorted() {
            let n = levels[key]!
            let level = n <= 0 ? context.style.red(String(n)) : n <= 3 ? context.style.yellow(String(n)) : String(n)
            table.add([Sanitizer.clean(key), truncated(Sanitizer.clean(titles[key] ?? ""), 40), level])
        }
        return table.render(context.style)
    }

    /// Product titles for SKUs, from the newest orders that have them.
    static func skuTitles(_ skus: Set<String>, _ state: StoreState) -> [String: String] {
        var titles: [String: String] = [:]
        for o in state.orders.reversed() {
            for line in o.lineItems where skus.contains(line.sku) && titles[line.sku] == nil {
                titles[line.sku] = line.variantTitle.map { "\(line.title) — \($0)" } ?? line.title
            }
            if titles.count == skus.count { break }
        }
        return titles
    }

    static func outbox(
        _ typed: String?, status: String?, limit: Int?, json: Bool, _ state: StoreState, _ context: Context
    ) throws(OrderDeskError) -> String {
        let name = try typed.map { (t: String) throws(OrderDeskError) in try order(t, state).name }
        var notices = state.outbox.filter { n in
            (name == nil || n.order == name) && (status.map { Outbox.matches(n, status: $0) } ?? true)
        }
        if let limit { notices = Array(notices.suffix(limit)) }
        if json { return JSONText.encode(notices, pretty: context.prettyJSON) }
        var out: [String] = []
        if let blocked = Outbox.blocked(state.settings, hold: context.notices.hold) {
            out.append(context.style.yellow("Nothing is sent from here: \(blocked)."))
        }
        guard !notices.isEmpty else { return (out + ["No messages."]).joined(separator: "\n") }
        out += notices.map { n in
            let head = "\(n.id)  \(context.show(n.at))  \(n.order)  to \(Sanitizer.clean(n.to))  (\(Sanitizer.clean(n.agent)))"
            let body = n.body.split(separator: "\n", omittingEmptySubsequences: false).map { line in
                line.isEmpty ? "" : Sanitizer.clean(String(line)).wrapped(width: 76, indent: "  ")
            }
            return context.style.bold(head) + "\n  " + Sanitizer.clean(Outbox.state(of: n, context)) + "\n  Subject: "
                + Sanitizer.clean(n.subject) + "\n" + body.joined(separator: "\n")
        }
        return out.joined(separator: "\n\n")
    }

    /// `outbox show ID`: the message exactly as it went (or goes) to the mail transfer agent.
    static func outboxShow(_ id: Int64, json: Bool, _ state: StoreState, _ context: Context) throws(OrderDeskError) -> String {
        guard let n = state.outbox.last(where: { $0.id == id }) else { throw .unknownNotice("\(id)") }
        let stateText = Outbox.state(of: n, context)
        var message: String?
        var problem: String?
        if let envelope = Outbox.recordedEnvelope(for: n, state.settings) {
            do throws(MailMessage.Problem) {
                message = try MailMessage.build(n, envelope: envelope).text
            } catch {
                problem = error.text
            }
        } else {
            problem = "mail-from is not set, so it has no From yet (settings mail-from shop@example.com)"
        }
        if json {
            return JSONText.encode(
                ["id": "\(n.id)", "state": stateText, "message": message ?? "", "problem": problem ?? ""], pretty: context.prettyJSON)
        }
        var out = [context.style.bold("Notice \(n.id) to \(Sanitizer.clean(n.to)): \(Sanitizer.clean(stateText))")]
        if let problem { out.append(context.style.yellow("Not a message yet: \(Sanitizer.clean(problem)).")) }
        if let message {
            out.append(n.status == .sent ? "As sent:" : "As it will be sent:")
            out.append(Sanitizer.cleanLines(message))
        } else {
            out.append("Subject: " + Sanitizer.clean(n.subject))
            out.append("")
            out.append(Sanitizer.cleanLines(n.body))
        }
        return out.joined(separator: "\n")
    }

    static func settings(_ key: String?, json: Bool, _ state: StoreState, _ context: Context) throws(OrderDeskError) -> String {
        if json {
            if let key { return JSONText.encode([key: state.settings.value(of: key) ?? ""], pretty: context.prettyJSON) }
            return JSONText.encode(state.settings, pretty: context.prettyJSON)
        }
        let keys = key.map { [$0] } ?? Settings.keys
        return keys.map { k in
            let value = state.settings.value(of: k) ?? ""
            let allowed = Settings.allowedValues(of: k)
            let hint = allowed.isEmpty ? Settings.hint(of: k) : allowed.joined(separator: "|")
            return "\(k) = \(value.isEmpty ? "(not set)" : Sanitizer.clean(value))   (\(hint))"
        }.joined(separator: "\n")
    }

    static func settingsChange(_ key: String, _ value: String, _ context: Context) -> Plan {
        Plan(
            question: "Set \(key) to \(value)?", preview: "\(key) → \(value)", confirm: false, dryRun: false,
            decide: { state throws(OrderDeskError) in
                let previous = state.settings.value(of: key) ?? ""
                guard previous != value else { return [] }
                return [.settingChanged(SettingChange(key: key, value: value, previous: previous))]
            },
            done: { after, events in
                events.isEmpty ? "\(key) is already \(value)." : "\(key) is now \(after.settings.value(of: key) ?? value)."
            })
    }

    static func log(
        _ typed: String?, agent: String?, limit: Int, json: Bool, _ state: StoreState, _ context: Context, _ sources: Sources
    ) throws(OrderDeskError) -> String {
        let name = try typed.map { (t: String) throws(OrderDeskError) in try order(t, state).name }
        var events = try sources.auditLog()
        if let name { events = events.filter { $0.change.orderNames.contains(name) } }
        if let agent { events = events.filter { $0.agent.caseInsensitiveEquals(agent) } }
        events = Array(events.suffix(limit))
        if json { return JSONText.encode(events, pretty: context.prettyJSON) }
        guard !events.isEmpty else { return "No changes recorded yet." }
        var table = TextTable(["Seq", "When", "Agent", "What"], [.right, .left, .left, .left])
        for e in events {
            table.add([String(e.seq), context.show(e.at), Sanitizer.clean(e.agent), Sanitizer.clean(EventSummary.describe(e, in: state))])
        }
        return table.render(context.style)
    }

    static func history(_ n: Int?, _ sources: Sources) -> String {
        let all = sources.history()
        let start = max(0, all.count - (n ?? all.count))
        guard start < all.count else { return "No history yet." }
        return (start..<all.count).map { i in
            let number = String(i + 1)
            return String(repeating: " ", count: max(0, 5 - number.count)) + number + "  " + Sanitizer.clean(all[i])
        }.joined(separator: "\n")
    }

    static func feedbackList(_ q: FeedbackQuery, _ state: StoreState, _ context: Context) throws(OrderDeskError) -> String {
        let name = try q.order.map { (t: String) throws(OrderDeskError) in try order(t, state).name }
        let since = q.since?.start(now: context.now, offset: context.utcOffset)
        var entries = state.feedback.filter { f in
            (name == nil || f.order == name) && (since == nil || f.at >= since!)
        }
        entries.sort { $0.at > $1.at }
        if let limit = q.limit { entries = Array(entries.prefix(limit)) }
        if q.json { return JSONText.encode(entries, pretty: context.prettyJSON) }
        guard !entries.isEmpty else { return "No feedback logged." }
        var table = TextTable(["When", "Order", "Rating", "Customer", "Agent", "Said"], [.left, .left, .left, .left, .left, .left])
        for f in entries {
            table.add([
                context.show(f.at), f.order, Stars.text(f.rating), truncated(Sanitizer.clean(f.email), 28),
                Sanitizer.clean(f.agent), truncated(Sanitizer.clean(f.text), 50),
            ])
        }
        return table.render(context.style)
    }
}

/// A rating drawn as stars.
enum Stars {
    static func text(_ rating: Int) -> String {
        String(repeating: "★", count: rating) + String(repeating: "☆", count: max(0, 5 - rating))
    }
}

extension String {
    func caseInsensitiveEquals(_ other: String) -> Bool { lowercased() == other.lowercased() }

    /// The text folded to lines of at most `width` columns.
    func wrapped(width: Int, indent: String) -> String {
        var lines: [String] = []
        var line = ""
        for word in split(separator: " ", omittingEmptySubsequences: true) {
            if !line.isEmpty && displayWidth(line) + 1 + displayWidth(String(word)) > width {
                lines.append(indent + line)
                line = ""
            }
            line += line.isEmpty ? String(word) : " " + word
        }
        if !line.isEmpty { lines.append(indent + line) }
        return lines.joined(separator: "\n")
    }
}

extension Substring {
    var trimmingSpaces: String {
        String(drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
    }
}
