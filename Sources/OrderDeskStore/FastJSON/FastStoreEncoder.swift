import OrderDeskCore

/// Writes store documents straight to bytes, exactly as `JSONEncoder` with
/// `[.sortedKeys, .withoutEscapingSlashes]` writes the model's `Codable` form: members sorted
/// by their UTF-8 bytes, nil optionals left out, no white space, `"` `\` and control characters
/// escaped as `JSONEncoder` escapes them, everything else as UTF-8.
///
/// Differential tests hold it to byte-for-byte the same output as `JSONEncoder`.
struct FastStoreEncoder {
    private(set) var out: [UInt8] = []
    private let keys = FastKeys.shared

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

    /// The JSON object of one part of the state (an order, a feedback entry, a notice, the
    /// settings), as the snapshot writes it: the rows of a server store.
    static func document(_ write: (inout FastStoreEncoder) -> Void) -> [UInt8] {
        var e = FastStoreEncoder(capacity: 1_024)
        write(&e)
        return e.out
    }

    // MARK: Primitives

    @inline(__always)
    mutating func raw(_ text: StaticString) {
        out.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    @inline(__always)
    mutating func byte(_ b: UInt8) { out.append(b) }

    @inline(__always)
    mutating func string(_ s: String) {
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
    mutating func int(_ v: Int) { int64(Int64(v)) }

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
    mutating func stringIntMap(_ map: [String: Int]) {
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

    // MARK: Members

    /// `"name":` of a member, after a comma unless it is the object's first (the byte before it
    /// is then the `{`: no value ends with one).
    @inline(__always)
    private mutating func name(_ written: UnsafeBufferPointer<UInt8>) {
        if out.last != UInt8(ascii: "{") { out.append(UInt8(ascii: ",")) }
        out.append(contentsOf: written)
    }

    /// A member: its name, then its value, written by `value`.
    @inline(__always)
    private mutating func member(_ n: UnsafeBufferPointer<UInt8>, _ value: (inout FastStoreEncoder) -> Void) {
        name(n)
        value(&self)
    }

    /// An optional member: its name and value, or nothing at all when nil (as `JSONEncoder`
    /// leaves nil optionals out).
    @inline(__always)
    private mutating func member<T>(
        _ n: UnsafeBufferPointer<UInt8>, _ v: T?, _ value: (inout FastStoreEncoder, T) -> Void
    ) {
        guard let v else { return }
        name(n)
        value(&self, v)
    }

    /// `"name":` written from a literal, after a comma unless it is the object's first.
    private mutating func key(_ text: StaticString) {
        name(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// An ``OrderUpdate``, its members sorted as `JSONEncoder` sorts them.
    private mutating func orderUpdate(_ u: OrderUpdate) {
        byte(UInt8(ascii: "{"))
        if let r = u.cancelReason {
            key("\"cancel_reason\":")
            string(r.rawValue)
        }
        if let t = u.cancelledAt {
            key("\"cancelled_at\":")
            timestamp(t)
        }
        key("\"fulfilled\":")
        array(u.fulfilled) { e, f in
            e.byte(UInt8(ascii: "{"))
            e.key("\"line_item_id\":")
            e.int64(f.lineItemId)
            e.key("\"quantity\":")
            e.int(f.quantity)
            e.byte(UInt8(ascii: "}"))
        }
        if let f = u.fulfillmentStatus {
            key("\"fulfillment_status\":")
            string(f.rawValue)
        }
        key("\"order\":")
        string(u.order)
        if !u.payments.isEmpty {
            key("\"payments\":")
            array(u.payments) { e, t in e.transaction(t) }
        }
        key("\"refunds\":")
        array(u.refunds) { e, r in e.refund(r) }
        key("\"restocked\":")
        array(u.restocked) { e, l in e.restockLine(l) }
        byte(UInt8(ascii: "}"))
    }

    // MARK: The snapshot

    mutating func snapshot(_ state: StoreState) {
        let fields = keys.snapshot
        byte(UInt8(ascii: "{"))
        for k in 0..<fields.count {
            name(fields.written(k))
            switch fields[k] {
            case .feedback: array(state.feedback) { e, f in e.feedback(f) }
            case .format: string(Snapshot.formatName)
            case .inventory: stringIntMap(state.inventory)
            case .orders: array(state.orders) { e, o in e.order(o) }
            case .outbox: array(state.outbox) { e, n in e.notice(n) }
            case .seq: int(state.seq)
            case .settings: settings(state.settings)
            case .version: int(Snapshot.currentVersion)
            }
        }
        byte(UInt8(ascii: "}"))
    }

    mutating func settings(_ s: Settings) {
        let fields = keys.settings
        byte(UInt8(ascii: "{"))
        for k in 0..<fields.count {
            let n = fields.written(k)
            switch fields[k] {
            case .autoRestock: member(n) { $0.bool(s.autoRestock) }
            case .defaultRefund: member(n) { $0.string(s.defaultRefund.rawValue) }
            case .mailBcc: member(n, s.mailBcc) { $0.string($1) }
            case .mailCommand: member(n, s.mailCommand) { $0.string($1) }
            case .mailFrom: member(n, s.mailFrom) { $0.string($1) }
            case .noticeLanguage: member(n, s.noticeLanguage) { $0.string($1) }
            case .replyTo: member(n, s.replyTo) { $0.string($1) }
            }
        }
        byte(UInt8(ascii: "}"))
    }

    // MARK: Orders

    mutating func order(_ o: Order) {
        let fields = keys.order
        byte(UInt8(ascii: "{"))
        for k in 0..<fields.count {
            let n = fields.written(k)
            switch fields[k] {
            case .cancelReason: member(n, o.cancelReason) { $0.string($1.rawValue) }
            case .cancellation: member(n, o.cancellation) { $0.cancellationRecord($1) }
            case .cancelledAt: member(n, o.cancelledAt) { $0.timestamp($1) }
            case .closedAt: member(n, o.closedAt) { $0.timestamp($1) }
            case .createdAt: member(n) { $0.timestamp(o.createdAt) }
            case .currency: member(n) { $0.string(o.currency) }
            case .customer: member(n) { $0.customer(o.customer) }
            case .customerLocale: member(n, o.customerLocale) { $0.string($1) }
            case .email: member(n) { $0.string(o.email) }
            case .financialStatus: member(n) { $0.string(o.financialStatus.rawValue) }
            case .fulfillmentStatus: member(n, o.fulfillmentStatus) { $0.string($1.rawValue) }
            case .id: member(n) { $0.int64(o.id) }
            case .lineItems: member(n) { $0.array(o.lineItems) { e, l in e.lineItem(l) } }
            case .name: member(n) { $0.string(o.name) }
            case .note: member(n, o.note) { $0.string($1) }
            case .orderNumber: member(n) { $0.int(o.orderNumber) }
            case .recreatedAs: member(n, o.recreatedAs) { $0.string($1) }
            case .recreatedFrom: member(n, o.recreatedFrom) { $0.string($1) }
            case .refunds: member(n) { $0.array(o.refunds) { e, r in e.refund(r) } }
            case .shippingAddress: member(n, o.shippingAddress) { $0.address($1) }
            case .subtotalPrice: member(n) { $0.money(o.subtotalPrice) }
            case .tags: member(n) { $0.string(o.tags) }
            case .timeline: member(n) { $0.array(o.timeline) { e, t in e.timelineEntry(t) } }
            case .totalDiscounts: member(n) { $0.money(o.totalDiscounts) }
            case .totalPrice: member(n) { $0.money(o.totalPrice) }
            case .totalShippingPrice: member(n) { $0.money(o.totalShippingPrice) }
            case .totalTax: member(n) { $0.money(o.totalTax) }
            case .taxesIncluded: member(n) { $0.bool(o.taxesIncluded) }
            case .transactions: member(n) { $0.array(o.transactions) { e, t in e.transaction(t) } }
            }
        }
        byte(UInt8(ascii: "}"))
    }

    private mutating func customer(_ c: Customer) {
        let fields = keys.customer
        byte(UInt8(ascii: "{"))
        for k in 0..<fields.count {
            name(fields.written(k))
            switch fields[k] {
            case .email: string(c.email)
            case .firstName: string(c.firstName)
            // 0 is "no id" (see Customer), written as null as Codable writes it.
            case .id: if c.id == 0 { raw("null") } else { int64(c.id) }
            case .lastName: string(c.lastName)
            }
        }
        byte(UInt8(ascii: "}"))
    }

    private mutating func address(_ a: Address) {
        let fields = keys.address
        byte(UInt8(ascii: "{"))
        for k in 0..<fields.count {
            name(fields.written(k))
            switch fields[k] {
            case .address1: string(a.address1)
            case .city: string(a.city)
            case .country: string(a.country)
            case .name: string(a.name)
            case .zip: string(a.zip)
            }
        }
        byte(UInt8(ascii: "}"))
    }

    private mutating func lineItem(_ l: LineItem) {
        let fields = keys.lineItem
        byte(UInt8(ascii: "{"))
        for k in 0..<fields.count {
            let n = fields.written(k)
            switch fields[k] {
            case .fulfilledQuantity: member(n) { $0.int(l.fulfilledQuantity) }
            case .fulfillableQuantity: member(n) { $0.int(l.fulfillableQuantity) }
            case .giftCard: member(n) { $0.bool(l.giftCard) }
            case .id: member(n) { $0.int64(l.id) }
            case .price: member(n) { $0.money(l.price) }
            case .quantity: member(n) { $0.int(l.quantity) }
            case .restocked: member(n) { $0.int(l.restocked) }
            case .sku: member(n) { $0.string(l.sku) }
            case .title: member(n) { $0.string(l.title) }
            case .variantTitle: member(n, l.variantTitle) { $0.string($1) }
            }
        }
        byte(UInt8(ascii: "}"))
    }

    private mutating func refund(_ r: Refund) {
        let fields = keys.refund
        byte(UInt8(ascii: "{"))
        for k in 0..<fields.count {
            let n = fields.written(k)
            switch fields[k] {
            case .createdAt: member(n) { $0.timestamp(r.createdAt) }
            case .id: member(n) { $0.int64(r.id) }
            case .note: member(n, r.note) { $0.string($1) }
            case .refundLineItems: member(n) { $0.array(r.refundLineItems) { e, l in e.refundLineItem(l) } }
            case .transactions: member(n) { $0.array(r.transactions) { e, t in e.transaction(t) } }
            case .orderAdjustments: member(n) { $0.array(r.orderAdjustments) { e, a in e.orderAdjustment(a) } }
            }
        }
        byte(UInt8(ascii: "}"))
    }

    private mutating func transaction(_ t: Transaction) {
        let fields = keys.transaction
        byte(UInt8(ascii: "{"))
        for k in 0..<fields.count {
            let n = fields.written(k)
            switch fields[k] {
            case .amount: member(n) { $0.money(t.amount) }
            case .createdAt: member(n) { $0.timestamp(t.createdAt) }
            case .currency: member(n) { $0.string(t.currency) }
            case .gateway: member(n) { $0.string(t.gateway) }
            case .id: member(n) { $0.int64(t.id) }
            case .kind: member(n) { $0.string(t.kind.rawValue) }
            case .parentId: member(n, t.parentId) { $0.int64($1) }
            case .status: member(n) { $0.string(t.status.rawValue) }
            case .transfer: member(n, t.transfer) { $0.string($1) }
            }
        }
        byte(UInt8(ascii: "}"))
    }

    private mutating func orderAdjustment(_ a: OrderAdjustment) {
        let fields = keys.orderAdjustment
        byte(UInt8(ascii: "{"))
        for k in 0..<fields.count {
            name(fields.written(k))
            switch fields[k] {
            case .amount: money(a.amount)
            case .kind: string(a.kind)
            case .taxAmount: money(a.taxAmount)
            }
        }
        byte(UInt8(ascii: "}"))
    }

    private mutating func refundLineItem(_ l: RefundLineItem) {
        let fields = keys.refundLineItem
        byte(UInt8(ascii: "{"))
        for k in 0..<fields.count {
            name(fields.written(k))
            switch fields[k] {
            case .lineItemId: int64(l.lineItemId)
            case .quantity: int(l.quantity)
            case .restockType: string(l.restockType.rawValue)
            case .subtotal: money(l.subtotal)
            case .totalTax: money(l.totalTax)
            }
        }
        byte(UInt8(ascii: "}"))
    }

    private mutating func cancellationRecord(_ c: CancellationRecord) {
        let fields = keys.cancellationRecord
        byte(UInt8(ascii: "{"))
        for k in 0..<fields.count {
            let n = fields.written(k)
            switch fields[k] {
            case .agent: member(n) { $0.string(c.agent) }
            case .note: member(n, c.note) { $0.string($1) }
            case .notified: member(n) { $0.bool(c.notified) }
            case .reason: member(n) { $0.string(c.reason.rawValue) }
            case .refund: member(n) { $0.string(c.refund.rawValue) }
            }
        }
        byte(UInt8(ascii: "}"))
    }

    private mutating func timelineEntry(_ t: TimelineEntry) {
        let fields = keys.timelineEntry
        byte(UInt8(ascii: "{"))
        for k in 0..<fields.count {
            let n = fields.written(k)
            switch fields[k] {
            case .agent: member(n, t.agent) { $0.string($1) }
            case .at: member(n) { $0.timestamp(t.at) }
            case .message: member(n) { $0.string(t.message) }
            case .seq: member(n, t.seq) { $0.int($1) }
            }
        }
        byte(UInt8(ascii: "}"))
    }

    // MARK: Other records

    mutating func feedback(_ f: Feedback) {
        let fields = keys.feedback
        byte(UInt8(ascii: "{"))
        for k in 0..<fields.count {
            name(fields.written(k))
            switch fields[k] {
            case .agent: string(f.agent)
            case .at: timestamp(f.at)
            case .email: string(f.email)
            case .id: int64(f.id)
            case .order: string(f.order)
            case .rating: int(f.rating)
            case .text: string(f.text)
            }
        }
        byte(UInt8(ascii: "}"))
    }

    mutating func notice(_ n: Notice) {
        let fields = keys.notice
        byte(UInt8(ascii: "{"))
        for k in 0..<fields.count {
            let w = fields.written(k)
            switch fields[k] {
            case .agent: member(w) { $0.string(n.agent) }
            case .at: member(w) { $0.timestamp(n.at) }
            case .attempts: member(w, n.attempts) { $0.int($1) }
            case .bcc: member(w, n.bcc) { $0.string($1) }
            case .body: member(w) { $0.string(n.body) }
            case .from: member(w, n.from) { $0.string($1) }
            case .id: member(w) { $0.int64(n.id) }
            case .language: member(w, n.language) { $0.string($1) }
            case .messageId: member(w, n.messageId) { $0.string($1) }
            case .mta: member(w, n.mta) { $0.string($1) }
            case .nextAttempt: member(w, n.nextAttempt) { $0.timestamp($1) }
            case .order: member(w) { $0.string(n.order) }
            case .reason: member(w, n.reason) { $0.string($1) }
            case .replyTo: member(w, n.replyTo) { $0.string($1) }
            case .sentAt: member(w, n.sentAt) { $0.timestamp($1) }
            case .status: member(w, n.status) { $0.string($1.rawValue) }
            case .subject: member(w) { $0.string(n.subject) }
            case .to: member(w) { $0.string(n.to) }
            case .toName: member(w, n.toName) { $0.string($1) }
            }
        }
        byte(UInt8(ascii: "}"))
    }

    private mutating func restockLine(_ l: RestockLine) {
        let fields = keys.restockLine
        byte(UInt8(ascii: "{"))
        for k in 0..<fields.count {
            name(fields.written(k))
            switch fields[k] {
            case .lineItemId: int64(l.lineItemId)
            case .quantity: int(l.quantity)
            case .sku: string(l.sku)
            }
        }
        byte(UInt8(ascii: "}"))
    }

    private mutating func batchOrigin(_ b: BatchOrigin) {
        let fields = keys.batchOrigin
        byte(UInt8(ascii: "{"))
        for k in 0..<fields.count {
            name(fields.written(k))
            switch fields[k] {
            case .hash: string(b.hash)
            case .line: int(b.line)
            case .script: string(b.script)
            }
        }
        byte(UInt8(ascii: "}"))
    }

    // MARK: Events

    /// The event's flat object: its own members (`seq`, `at`, `agent`, `type`, …) and its
    /// change's, sorted together.
    mutating func event(_ event: Event) {
        switch event.change {
        case .settingChanged(let c):
            line(event, keys.settingChangedLine) { e, key, n in
                e.name(n)
                switch key {
                case .key: e.string(c.key)
                case .previous: e.string(c.previous)
                case .value: e.string(c.value)
                }
            }
        case .orderCancelled(let c):
            line(event, keys.orderCancelledLine) { e, key, n in
                switch key {
                case .voids: e.member(n) { $0.array(c.voids) { e, t in e.transaction(t) } }
                case .note: e.member(n, c.note) { $0.string($1) }
                case .notice: e.member(n, c.notice) { $0.notice($1) }
                case .offer: e.member(n, c.offer) { $0.string($1) }
                case .order: e.member(n) { $0.string(c.order) }
                case .reason: e.member(n) { $0.string(c.reason.rawValue) }
                case .refund: e.member(n, c.refund) { $0.refund($1) }
                case .refundMode: e.member(n) { $0.string(c.refundMode.rawValue) }
                case .restocked: e.member(n) { $0.array(c.restocked) { e, l in e.restockLine(l) } }
                }
            }
        case .orderRefunded(let c), .orderReturned(let c):
            line(event, keys.orderRefundedLine) { e, key, n in
                switch key {
                case .notice: e.member(n, c.notice) { $0.notice($1) }
                case .order: e.member(n) { $0.string(c.order) }
                case .refund: e.member(n) { $0.refund(c.refund) }
                case .restocked: e.member(n) { $0.array(c.restocked) { e, l in e.restockLine(l) } }
                }
            }
        case .paymentRecorded(let c):
            line(event, keys.paymentRecordedLine) { e, key, n in
                e.name(n)
                switch key {
                case .order: e.string(c.order)
                case .transactions: e.array(c.transactions) { e, t in e.transaction(t) }
                }
            }
        case .orderRestocked(let c):
            line(event, keys.orderRestockedLine) { e, key, n in
                e.name(n)
                switch key {
                case .lines: e.array(c.lines) { e, l in e.restockLine(l) }
                case .order: e.string(c.order)
                }
            }
        case .customerNotified, .feedbackLogged:
            // The notice or feedback is the event's own `notice` or `feedback` member.
            line(event, keys.nestedLine) { _, _, _ in }
        case .orderRecreated(let c):
            line(event, keys.orderRecreatedLine) { e, key, n in
                switch key {
                case .notice: e.member(n, c.notice) { $0.notice($1) }
                case .order: e.member(n) { $0.order(c.order) }
                case .original: e.member(n) { $0.string(c.original) }
                case .moved: e.member(n, c.moved) { $0.refund($1) }
                case .taken: e.member(n) { $0.array(c.taken) { e, l in e.restockLine(l) } }
                }
            }
        case .ordersImported(let c):
            line(event, keys.ordersImportedLine) { e, key, n in
                e.name(n)
                switch key {
                case .inventory: e.stringIntMap(c.inventory)
                case .orders: e.array(c.orders) { e, o in e.order(o) }
                case .source: e.string(c.source)
                }
            }
        case .ordersUpdated(let c):
            line(event, keys.ordersUpdatedLine) { e, key, n in
                e.name(n)
                switch key {
                case .orders: e.array(c.orders) { e, o in e.orderUpdate(o) }
                case .source: e.string(c.source)
                }
            }
        case .noticeDelivery(let c):
            line(event, keys.noticeDeliveryLine) { e, key, n in
                switch key {
                case .attempts: e.member(n) { $0.int(c.attempts) }
                case .bcc: e.member(n, c.bcc) { $0.string($1) }
                case .from: e.member(n) { $0.string(c.from) }
                case .messageId: e.member(n) { $0.string(c.messageId) }
                case .mta: e.member(n, c.mta) { $0.string($1) }
                case .nextAttempt: e.member(n, c.nextAttempt) { $0.timestamp($1) }
                case .noticeId: e.member(n) { $0.int64(c.noticeId) }
                case .order: e.member(n) { $0.string(c.order) }
                case .reason: e.member(n, c.reason) { $0.string($1) }
                case .replyTo: e.member(n, c.replyTo) { $0.string($1) }
                }
            }
        case .snapshotEditAccepted(let c):
            line(event, keys.editAcceptedLine) { e, key, n in
                e.name(n)
                switch key {
                case .listed: e.bool(c.listed)
                case .orders: e.array(c.orders) { e, name in e.string(name) }
                case .parts: e.array(c.parts) { e, part in e.string(part) }
                }
            }
        }
    }

    /// A journal line of `fields`: the event's own members written here, the change's by
    /// `change` (given the key and its `"name":`, which it writes unless it leaves the member out).
    @inline(__always)
    private mutating func line<ChangeKey>(
        _ event: Event, _ fields: Fields<LineMember<ChangeKey>>,
        _ change: (inout FastStoreEncoder, ChangeKey, UnsafeBufferPointer<UInt8>) -> Void
    ) {
        byte(UInt8(ascii: "{"))
        for k in 0..<fields.count {
            let n = fields.written(k)
            switch fields[k] {
            case .change(let key): change(&self, key, n)
            case .event(.agent): member(n) { $0.string(event.agent) }
            case .event(.at): member(n) { $0.timestamp(event.at) }
            case .event(.batch): member(n, event.batch) { $0.batchOrigin($1) }
            case .event(.feedback):
                if case .feedbackLogged(let f) = event.change {
                    name(n)
                    feedback(f)
                }
            case .event(.notice):
                if case .customerNotified(let v) = event.change {
                    name(n)
                    notice(v)
                }
            case .event(.seq): member(n) { $0.int(event.seq) }
            case .event(.type): member(n) { $0.string(event.type) }
            }
        }
        byte(UInt8(ascii: "}"))
    }
}
