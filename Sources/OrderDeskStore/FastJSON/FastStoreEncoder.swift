import OrderDeskCore

/// Writes store documents straight to bytes, exactly as `JSONEncoder` with
/// `[.sortedKeys, .withoutEscapingSlashes]` writes the model's `Codable` form: members sorted
/// by their UTF-8 bytes, nil optionals left out, no white space, `"` `\` and control characters
/// escaped as `JSONEncoder` escapes them, everything else as UTF-8.
///
/// Differential tests hold it to byte-for-byte the same output as `JSONEncoder`.
struct FastStoreEncoder {
    private(set) var out: [UInt8] = []

    init(capacity: Int = 0) {
        out.reserveCapacity(capacity)
    }

    // MARK: Documents

    /// The snapshot document of a state (without the final newline).
    static func snapshot(_ state: StoreState, extra: Int = 0) -> [UInt8] {
        var e = FastStoreEncoder(capacity: state.orders.count * 1_400 + 4_096 + extra)
        e.snapshot(state)
        return e.out
    }

    /// An event's JSON object.
    static func event(_ event: Event) -> [UInt8] {
        var e = FastStoreEncoder(capacity: 1_024)
        e.event(event)
        return e.out
    }

    // MARK: Primitives

    @inline(__always)
    private mutating func raw(_ text: StaticString) {
        out.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    @inline(__always)
    private mutating func byte(_ b: UInt8) { out.append(b) }

    /// `"name":`, then the value follows. The first member of an object has no comma before it.
    @inline(__always)
    private mutating func key(_ text: StaticString, first: Bool = false) {
        if !first { out.append(UInt8(ascii: ",")) }
        out.append(UInt8(ascii: "\""))
        raw(text)
        out.append(UInt8(ascii: "\""))
        out.append(UInt8(ascii: ":"))
    }

    @inline(__always)
    private mutating func string(_ s: String) {
        out.append(UInt8(ascii: "\""))
        var s = s
        s.withUTF8 { bytes in Self.escape(bytes, into: &out) }
        out.append(UInt8(ascii: "\""))
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// The bytes of a string's content, escaped as `JSONEncoder` escapes them.
    @inline(__always)
    private static func escape(_ bytes: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
        var runStart = 0
        var i = 0
        let n = bytes.count
        while i < n {
            let c = bytes[i]
            if c >= 0x20 && c != 0x22 && c != 0x5C {
                i += 1
                continue
            }
            if i > runStart { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<i])) }
            out.append(UInt8(ascii: "\\"))
            switch c {
            case 0x22: out.append(0x22)
            case 0x5C: out.append(0x5C)
            case 0x08: out.append(UInt8(ascii: "b"))
            case 0x09: out.append(UInt8(ascii: "t"))
            case 0x0A: out.append(UInt8(ascii: "n"))
            case 0x0C: out.append(UInt8(ascii: "f"))
            case 0x0D: out.append(UInt8(ascii: "r"))
            default:
                out.append(UInt8(ascii: "u"))
                out.append(UInt8(ascii: "0"))
                out.append(UInt8(ascii: "0"))
                out.append(hexDigits[Int(c >> 4)])
                out.append(hexDigits[Int(c & 0xF)])
            }
            i += 1
            runStart = i
        }
        if n > runStart { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<n])) }
    }

    @inline(__always)
    private mutating func int(_ v: Int) { int64(Int64(v)) }

    private mutating func int64(_ v: Int64) {
        var magnitude = v.magnitude
        if v < 0 { out.append(UInt8(ascii: "-")) }
        if magnitude < 10 {
            out.append(UInt8(ascii: "0") + UInt8(magnitude))
            return
        }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var k = 20
            while magnitude > 0 {
                k -= 1
                digits[k] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: digits[k..<20]))
        }
    }

    @inline(__always)
    private mutating func bool(_ v: Bool) {
        if v { raw("true") } else { raw("false") }
    }

    /// Money as its decimal text, `Money.description` (`"12.50"`, `"-0.05"`, `"3"`).
    private mutating func money(_ m: Money) {
        out.append(UInt8(ascii: "\""))
        var magnitude = m.units.magnitude
        if m.units < 0 { out.append(UInt8(ascii: "-")) }
        let scale = m.scale
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 24) { digits in
            var k = 24
            repeat {
                k -= 1
                digits[k] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            var count = 24 - k
            // At least one digit before the point: "0.05".
            while count <= scale {
                k -= 1
                digits[k] = UInt8(ascii: "0")
                count += 1
            }
            if scale > 0 {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: digits[k..<(24 - scale)]))
                out.append(UInt8(ascii: "."))
                out.append(contentsOf: UnsafeBufferPointer(rebasing: digits[(24 - scale)..<24]))
            } else {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: digits[k..<24]))
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// `Timestamp.iso8601`: `YYYY-MM-DDTHH:MM:SSZ` in UTC.
    private mutating func timestamp(_ t: Timestamp) {
        let (y, m, d) = t.civil
        let days = t.seconds >= 0 || t.seconds % 86_400 == 0 ? t.seconds / 86_400 : t.seconds / 86_400 - 1
        let rest = Int(t.seconds - days * 86_400)
        out.append(UInt8(ascii: "\""))
        if y >= 0 && y <= 9999 {
            out.append(UInt8(ascii: "0") + UInt8(y / 1000))
            out.append(UInt8(ascii: "0") + UInt8(y / 100 % 10))
            out.append(UInt8(ascii: "0") + UInt8(y / 10 % 10))
            out.append(UInt8(ascii: "0") + UInt8(y % 10))
        } else {
            // As `Timestamp` writes it: the number, zero-padded on the left to 4 characters.
            var year = Array(String(y).utf8)
            while year.count < 4 { year.insert(UInt8(ascii: "0"), at: 0) }
            out.append(contentsOf: year)
        }
        out.append(UInt8(ascii: "-"))
        two(m)
        out.append(UInt8(ascii: "-"))
        two(d)
        out.append(UInt8(ascii: "T"))
        two(rest / 3600)
        out.append(UInt8(ascii: ":"))
        two(rest / 60 % 60)
        out.append(UInt8(ascii: ":"))
        two(rest % 60)
        out.append(UInt8(ascii: "Z"))
        out.append(UInt8(ascii: "\""))
    }

    @inline(__always)
    private mutating func two(_ v: Int) {
        out.append(UInt8(ascii: "0") + UInt8(v / 10))
        out.append(UInt8(ascii: "0") + UInt8(v % 10))
    }

    @inline(__always)
    private mutating func array<T>(_ items: [T], _ element: (inout FastStoreEncoder, T) -> Void) {
        out.append(UInt8(ascii: "["))
        var first = true
        for item in items {
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            element(&self, item)
        }
        out.append(UInt8(ascii: "]"))
    }

    /// A `[String: Int]` object, keys sorted by their UTF-8 bytes as `JSONEncoder` sorts them.
    private mutating func stringIntMap(_ map: [String: Int]) {
        out.append(UInt8(ascii: "{"))
        let keys = map.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        var first = true
        for key in keys {
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            string(key)
            out.append(UInt8(ascii: ":"))
            int(map[key]!)
        }
        out.append(UInt8(ascii: "}"))
    }

    // MARK: The snapshot

    mutating func snapshot(_ state: StoreState) {
        byte(UInt8(ascii: "{"))
        key("feedback", first: true)
        array(state.feedback) { e, f in e.feedback(f) }
        key("format")
        string(Snapshot.formatName)
        key("inventory")
        stringIntMap(state.inventory)
        key("orders")
        array(state.orders) { e, o in e.order(o) }
        key("outbox")
        array(state.outbox) { e, n in e.notice(n) }
        key("seq")
        int(state.seq)
        key("settings")
        settings(state.settings)
        key("version")
        int(Snapshot.currentVersion)
        byte(UInt8(ascii: "}"))
    }

    private mutating func settings(_ s: Settings) {
        byte(UInt8(ascii: "{"))
        key("auto_restock", first: true)
        bool(s.autoRestock)
        key("default_refund")
        string(s.defaultRefund.rawValue)
        byte(UInt8(ascii: "}"))
    }

    // MARK: Orders

    mutating func order(_ o: Order) {
        byte(UInt8(ascii: "{"))
        var first = true
        if let v = o.cancelReason {
            key("cancel_reason", first: true)
            string(v.rawValue)
            first = false
        }
        if let v = o.cancellation {
            key("cancellation", first: first)
            cancellationRecord(v)
            first = false
        }
        if let v = o.cancelledAt {
            key("cancelled_at", first: first)
            timestamp(v)
            first = false
        }
        if let v = o.closedAt {
            key("closed_at", first: first)
            timestamp(v)
            first = false
        }
        key("created_at", first: first)
        timestamp(o.createdAt)
        key("currency")
        string(o.currency)
        key("customer")
        customer(o.customer)
        key("email")
        string(o.email)
        key("financial_status")
        string(o.financialStatus.rawValue)
        if let v = o.fulfillmentStatus {
            key("fulfillment_status")
            string(v.rawValue)
        }
        key("id")
        int64(o.id)
        key("line_items")
        array(o.lineItems) { e, l in e.lineItem(l) }
        key("name")
        string(o.name)
        if let v = o.note {
            key("note")
            string(v)
        }
        key("order_number")
        int(o.orderNumber)
        if let v = o.recreatedAs {
            key("recreated_as")
            string(v)
        }
        if let v = o.recreatedFrom {
            key("recreated_from")
            string(v)
        }
        key("refund_owed")
        money(o.refundOwed)
        key("refunds")
        array(o.refunds) { e, r in e.refund(r) }
        if let v = o.shippingAddress {
            key("shipping_address")
            address(v)
        }
        key("subtotal_price")
        money(o.subtotalPrice)
        key("tags")
        string(o.tags)
        key("timeline")
        array(o.timeline) { e, t in e.timelineEntry(t) }
        key("total_discounts")
        money(o.totalDiscounts)
        key("total_price")
        money(o.totalPrice)
        key("total_shipping_price")
        money(o.totalShippingPrice)
        key("total_tax")
        money(o.totalTax)
        byte(UInt8(ascii: "}"))
    }

    private mutating func customer(_ c: Customer) {
        byte(UInt8(ascii: "{"))
        key("email", first: true)
        string(c.email)
        key("first_name")
        string(c.firstName)
        key("id")
        int64(c.id)
        key("last_name")
        string(c.lastName)
        byte(UInt8(ascii: "}"))
    }

    private mutating func address(_ a: Address) {
        byte(UInt8(ascii: "{"))
        key("address1", first: true)
        string(a.address1)
        key("city")
        string(a.city)
        key("country")
        string(a.country)
        key("name")
        string(a.name)
        key("zip")
        string(a.zip)
        byte(UInt8(ascii: "}"))
    }

    private mutating func lineItem(_ l: LineItem) {
        byte(UInt8(ascii: "{"))
        key("fulfilled_quantity", first: true)
        int(l.fulfilledQuantity)
        key("id")
        int64(l.id)
        key("price")
        money(l.price)
        key("quantity")
        int(l.quantity)
        key("restocked")
        int(l.restocked)
        key("sku")
        string(l.sku)
        key("title")
        string(l.title)
        if let v = l.variantTitle {
            key("variant_title")
            string(v)
        }
        byte(UInt8(ascii: "}"))
    }

    private mutating func refund(_ r: Refund) {
        byte(UInt8(ascii: "{"))
        key("created_at", first: true)
        timestamp(r.createdAt)
        key("id")
        int64(r.id)
        if let v = r.note {
            key("note")
            string(v)
        }
        key("refund_line_items")
        array(r.refundLineItems) { e, l in e.refundLineItem(l) }
        key("transactions")
        array(r.transactions) { e, t in e.refundTransaction(t) }
        byte(UInt8(ascii: "}"))
    }

    private mutating func refundTransaction(_ t: RefundTransaction) {
        byte(UInt8(ascii: "{"))
        key("amount", first: true)
        money(t.amount)
        key("gateway")
        string(t.gateway)
        key("kind")
        string(t.kind)
        byte(UInt8(ascii: "}"))
    }

    private mutating func refundLineItem(_ l: RefundLineItem) {
        byte(UInt8(ascii: "{"))
        key("line_item_id", first: true)
        int64(l.lineItemId)
        key("quantity")
        int(l.quantity)
        key("restock_type")
        string(l.restockType)
        byte(UInt8(ascii: "}"))
    }

    private mutating func cancellationRecord(_ c: CancellationRecord) {
        byte(UInt8(ascii: "{"))
        key("agent", first: true)
        string(c.agent)
        if let v = c.note {
            key("note")
            string(v)
        }
        key("notified")
        bool(c.notified)
        key("refund")
        string(c.refund.rawValue)
        byte(UInt8(ascii: "}"))
    }

    private mutating func timelineEntry(_ t: TimelineEntry) {
        byte(UInt8(ascii: "{"))
        var first = true
        if let v = t.agent {
            key("agent", first: true)
            string(v)
            first = false
        }
        key("at", first: first)
        timestamp(t.at)
        key("message")
        string(t.message)
        if let v = t.seq {
            key("seq")
            int(v)
        }
        byte(UInt8(ascii: "}"))
    }

    // MARK: Other records

    private mutating func feedback(_ f: Feedback) {
        byte(UInt8(ascii: "{"))
        key("agent", first: true)
        string(f.agent)
        key("at")
        timestamp(f.at)
        key("email")
        string(f.email)
        key("id")
        int64(f.id)
        key("order")
        string(f.order)
        key("rating")
        int(f.rating)
        key("text")
        string(f.text)
        byte(UInt8(ascii: "}"))
    }

    private mutating func notice(_ n: Notice) {
        byte(UInt8(ascii: "{"))
        key("agent", first: true)
        string(n.agent)
        key("at")
        timestamp(n.at)
        key("body")
        string(n.body)
        key("id")
        int64(n.id)
        key("order")
        string(n.order)
        key("subject")
        string(n.subject)
        key("to")
        string(n.to)
        byte(UInt8(ascii: "}"))
    }

    private mutating func restockLine(_ l: RestockLine) {
        byte(UInt8(ascii: "{"))
        key("line_item_id", first: true)
        int64(l.lineItemId)
        key("quantity")
        int(l.quantity)
        key("sku")
        string(l.sku)
        byte(UInt8(ascii: "}"))
    }

    // MARK: Events

    /// The event's flat object: `seq`, `at`, `agent`, `type` and the change's own members, sorted.
    mutating func event(_ event: Event) {
        byte(UInt8(ascii: "{"))
        key("agent", first: true)
        string(event.agent)
        key("at")
        timestamp(event.at)
        if let origin = event.batch {
            key("batch")
            byte(UInt8(ascii: "{"))
            key("hash", first: true)
            string(origin.hash)
            key("line")
            int(origin.line)
            key("script")
            string(origin.script)
            byte(UInt8(ascii: "}"))
        }
        // The members after "at" and before "seq", then those after "seq" and before "type",
        // then those after "type".
        switch event.change {
        case .settingChanged(let c):
            key("key")
            string(c.key)
            key("previous")
            string(c.previous)
            seqAndType(event)
            key("value")
            string(c.value)
        case .orderCancelled(let c):
            key("financial_status")
            string(c.financialStatus.rawValue)
            if let v = c.note {
                key("note")
                string(v)
            }
            if let v = c.notice {
                key("notice")
                notice(v)
            }
            if let v = c.offer {
                key("offer")
                string(v)
            }
            key("order")
            string(c.order)
            key("reason")
            string(c.reason.rawValue)
            if let v = c.refund {
                key("refund")
                refund(v)
            }
            key("refund_mode")
            string(c.refundMode.rawValue)
            key("refund_owed")
            money(c.refundOwed)
            key("restocked")
            array(c.restocked) { e, l in e.restockLine(l) }
            seqAndType(event)
        case .orderRefunded(let c):
            key("financial_status")
            string(c.financialStatus.rawValue)
            key("order")
            string(c.order)
            key("refund")
            refund(c.refund)
            key("refund_owed")
            money(c.refundOwed)
            seqAndType(event)
        case .orderRestocked(let c):
            key("lines")
            array(c.lines) { e, l in e.restockLine(l) }
            key("order")
            string(c.order)
            seqAndType(event)
        case .customerNotified(let n):
            key("notice")
            notice(n)
            seqAndType(event)
        case .feedbackLogged(let f):
            key("feedback")
            feedback(f)
            seqAndType(event)
        case .orderRecreated(let c):
            if let v = c.notice {
                key("notice")
                notice(v)
            }
            key("order")
            order(c.order)
            key("original")
            string(c.original)
            key("payment_moved")
            bool(c.paymentMoved)
            key("seq")
            int(event.seq)
            key("taken")
            array(c.taken) { e, l in e.restockLine(l) }
            key("type")
            string(event.type)
        case .ordersImported(let c):
            key("inventory")
            stringIntMap(c.inventory)
            key("orders")
            array(c.orders) { e, o in e.order(o) }
            key("seq")
            int(event.seq)
            key("source")
            string(c.source)
            key("type")
            string(event.type)
        case .snapshotEditAccepted(let c):
            key("listed")
            bool(c.listed)
            key("orders")
            array(c.orders) { e, name in e.string(name) }
            key("parts")
            array(c.parts) { e, part in e.string(part) }
            seqAndType(event)
        }
        byte(UInt8(ascii: "}"))
    }

    private mutating func seqAndType(_ event: Event) {
        key("seq")
        int(event.seq)
        key("type")
        string(event.type)
    }
}
