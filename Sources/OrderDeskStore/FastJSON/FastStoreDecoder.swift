import Glibc
import OrderDeskCore

/// Reads store documents (the snapshot, journal events) straight from their bytes into the model,
/// the way the model's `Codable` conformance reads them through `JSONDecoder`:
/// members in any order, unknown members ignored, `null` or a missing member for an optional.
///
/// It bails (``FastBail``) on anything else, valid or not, and the codec asks `JSONDecoder`,
/// the reference. Differential tests hold the two to the same results.
struct FastStoreDecoder {
    var r: FastReader
    private let keys = FastKeys.shared
    private let piles = Piles()

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        r = FastReader(bytes)
    }

    // MARK: Documents

    /// A whole snapshot document, and nothing after it but white space.
    static func snapshot(_ bytes: [UInt8]) throws(FastBail) -> Snapshot {
        try snapshot(bytes[...])
    }

    /// A whole snapshot document held in part of a buffer.
    static func snapshot(_ bytes: ArraySlice<UInt8>) throws(FastBail) -> Snapshot {
        try bytes.withUnsafeBufferPointer { (buffer) throws(FastBail) -> Snapshot in
            guard !buffer.isEmpty else { throw FastBail() }
            var decoder = FastStoreDecoder(buffer)
            decoder.r.strings = StringCache()
            let snapshot = try decoder.snapshot()
            guard decoder.r.atEnd() else { throw FastBail() }
            return snapshot
        }
    }

    /// A whole journal line (its checksum member is ignored, as `JSONDecoder` ignores it).
    static func event(_ line: ArraySlice<UInt8>) throws(FastBail) -> Event {
        try line.withUnsafeBufferPointer { (buffer) throws(FastBail) -> Event in
            guard !buffer.isEmpty else { throw FastBail() }
            var decoder = FastStoreDecoder(buffer)
            let event = try decoder.event()
            guard decoder.r.atEnd() else { throw FastBail() }
            return event
        }
    }

    // MARK: Members

    /// Reads the next member's name and `:`, and returns its field number in `table`, or -1
    /// for a member the type does not have (its value is then skipped). A member given twice
    /// bails (`JSONDecoder` would keep the first). `seen` collects the fields read.
    @inline(__always)
    private mutating func field(_ table: KeyTable, _ guess: inout Int, _ seen: inout UInt64) throws(FastBail) -> Int {
        // The compact form the store writes, `"name":`, members sorted, some optional ones left
        // out: the name is usually the guess or one a little after it.
        let p = r.p
        if r.end - p >= 32 && p.pointee == UInt8(ascii: "\"") {
            var k = guess
            while k < table.count {
                if table.isAt(p + 1, k) {
                    r.p = p + table.length(k) + 3
                    guess = k + 1
                    let bit: UInt64 = 1 &<< UInt64(k)
                    if seen & bit != 0 { throw FastBail() }
                    seen |= bit
                    return k
                }
                k += 1
            }
        }
        return try anyField(table, &guess, &seen)
    }

    /// ``field(_:_:_:)`` for any other form: white space, a name out of order or unknown.
    @inline(never)
    private mutating func anyField(_ table: KeyTable, _ guess: inout Int, _ seen: inout UInt64) throws(FastBail) -> Int {
        let name = try r.rawString()
        if name.escaped { throw FastBail() }
        let k = table.field(name.bytes, guess: &guess)
        try r.expect(UInt8(ascii: ":"))
        if k < 0 {
            try r.skipValue()
            return -1
        }
        let bit: UInt64 = 1 &<< UInt64(k)
        if seen & bit != 0 { throw FastBail() }
        seen |= bit
        return k
    }

    @inline(__always)
    private static func require(_ seen: UInt64, _ mask: UInt64) throws(FastBail) {
        if seen & mask != mask { throw FastBail() }
    }

    @inline(__always)
    private mutating func array<T>(_ element: (inout FastStoreDecoder) throws(FastBail) -> T) throws(FastBail) -> [T] {
        var items: [T] = []
        guard try r.beginArray() else { return items }
        repeat {
            items.append(try element(&self))
        } while try r.nextElement()
        return items
    }

    // MARK: Values

    @inline(__always)
    private mutating func money() throws(FastBail) -> Money {
        let raw = try r.rawString()
        if raw.escaped {
            guard let value = Money(try r.unescape(raw.bytes)) else { throw FastBail() }
            return value
        }
        guard let value = FastValues.money(raw.bytes) else { throw FastBail() }
        return value
    }

    @inline(__always)
    private mutating func timestamp() throws(FastBail) -> Timestamp {
        let raw = try r.rawString()
        if !raw.escaped, let value = FastValues.timestamp(raw.bytes) { return value }
        let text = raw.escaped ? try r.unescape(raw.bytes) : String(decoding: raw.bytes, as: UTF8.self)
        guard let value = Timestamp(iso8601: text) else { throw FastBail() }
        return value
    }

    @inline(__always)
    private mutating func optionalTimestamp() throws(FastBail) -> Timestamp? {
        if try r.null() { return nil }
        return try timestamp()
    }

    @inline(__always)
    private mutating func rawValue<E: RawRepresentable>(_ table: EnumTable<E>) throws(FastBail) -> E
    where E.RawValue == String {
        let raw = try r.rawString()
        if !raw.escaped, let value = table.value(raw.bytes) { return value }
        if raw.escaped, let value = E(rawValue: try r.unescape(raw.bytes)) { return value }
        throw FastBail()
    }

    @inline(__always)
    private mutating func optionalRawValue<E: RawRepresentable>(_ table: EnumTable<E>) throws(FastBail) -> E?
    where E.RawValue == String {
        if try r.null() { return nil }
        return try rawValue(table)
    }

    /// A `[String: Int]` object; a key given twice bails.
    private mutating func stringIntMap() throws(FastBail) -> [String: Int] {
        var map: [String: Int] = [:]
        guard try r.beginObject() else { return map }
        repeat {
            let key = try r.string()
            try r.expect(UInt8(ascii: ":"))
            let value = try r.int()
            guard map.updateValue(value, forKey: key) == nil else { throw FastBail() }
        } while try r.nextMember()
        return map
    }

    /// An array built in `pile` and taken out at its exact size, elements moved, not copied.
    @inline(__always)
    private mutating func array<T>(
        _ pile: Pile<T>, _ element: (inout FastStoreDecoder) throws(FastBail) -> T
    ) throws(FastBail) -> [T] {
        guard try r.beginArray() else { return [] }
        let mark = pile.count
        repeat {
            pile.append(try element(&self))
        } while try r.nextElement()
        return pile.take(from: mark)
    }

    // MARK: The snapshot

    mutating func snapshot() throws(FastBail) -> Snapshot {
        var feedback: [Feedback] = []
        var format = ""
        var inventory: [String: Int] = [:]
        var orders: [Order] = []
        var outbox: [Notice] = []
        var seq = 0
        var settings = Settings()
        var version = 0
        var seen: UInt64 = 0
        var guess = 0
        if try r.beginObject() {
            repeat {
                switch try field(keys.snapshot, &guess, &seen) {
                case 0: feedback = try array { (d) throws(FastBail) in try d.feedback() }
                case 1: format = try r.string()
                case 2: inventory = try stringIntMap()
                case 3: orders = try self.orders()
                case 4: outbox = try array { (d) throws(FastBail) in try d.notice() }
                case 5: seq = try r.int()
                case 6: settings = try self.settings()
                case 7: version = try r.int()
                default: break
                }
            } while try r.nextMember()
        }
        try Self.require(seen, 0xFF)
        var snapshot = Snapshot(StoreState())
        snapshot.format = format
        snapshot.version = version
        snapshot.seq = seq
        snapshot.orders = orders
        snapshot.inventory = inventory
        snapshot.feedback = feedback
        snapshot.settings = settings
        snapshot.outbox = outbox
        return snapshot
    }

    private mutating func orders() throws(FastBail) -> [Order] {
        var orders: [Order] = []
        guard try r.beginArray() else { return orders }
        // Room for as many orders as the bytes left could hold at their usual size, at most.
        orders.reserveCapacity(min(1 << 22, max(16, (r.end - r.p) / 1024)))
        // Tens of megabytes at 100k orders: fewer page faults with huge pages.
        let capacity = orders.capacity
        orders.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            POSIX.adviseHugePages(UnsafeMutableRawBufferPointer(start: base, count: capacity * MemoryLayout<Order>.stride))
        }
        repeat {
            orders.append(try order())
        } while try r.nextElement()
        return orders
    }

    private mutating func settings() throws(FastBail) -> Settings {
        var settings = Settings()
        var seen: UInt64 = 0
        var guess = 0
        if try r.beginObject() {
            repeat {
                switch try field(keys.settings, &guess, &seen) {
                case 0: settings.autoRestock = try r.bool()
                case 1: settings.defaultRefund = try rawValue(keys.refundMode)
                default: break
                }
            } while try r.nextMember()
        }
        try Self.require(seen, 0b11)
        return settings
    }

    // MARK: Orders

    mutating func order() throws(FastBail) -> Order {
        // Filled in place, member by member: no copies of the finished order.
        var o = Order(
            id: 0, name: "", orderNumber: 0, email: "", createdAt: Timestamp(seconds: 0), currency: "",
            subtotalPrice: .zero, totalShippingPrice: .zero, totalTax: .zero, totalDiscounts: .zero, totalPrice: .zero,
            financialStatus: .paid, fulfillmentStatus: nil, cancelledAt: nil, cancelReason: nil, closedAt: nil, note: nil,
            tags: "", customer: Customer(id: 0, email: "", firstName: "", lastName: ""), shippingAddress: nil,
            lineItems: [], refunds: [], cancellation: nil, refundOwed: .zero, recreatedFrom: nil, recreatedAs: nil,
            timeline: [])
        var seen: UInt64 = 0
        var guess = 0
        if try r.beginObject() {
            repeat {
                switch try field(keys.order, &guess, &seen) {
                case 0: o.cancelReason = try optionalRawValue(keys.cancelReason)
                case 1: o.cancellation = try r.null() ? nil : try cancellationRecord()
                case 2: o.cancelledAt = try optionalTimestamp()
                case 3: o.closedAt = try optionalTimestamp()
                case 4: o.createdAt = try timestamp()
                case 5: o.currency = try r.string()
                case 6: o.customer = try customer()
                case 7: o.email = try r.string()
                case 8: o.financialStatus = try rawValue(keys.financialStatus)
                case 9: o.fulfillmentStatus = try optionalRawValue(keys.fulfillmentStatus)
                case 10: o.id = try r.int64()
                case 11: o.lineItems = try array(piles.lineItems) { (d) throws(FastBail) in try d.lineItem() }
                case 12: o.name = try r.string()
                case 13: o.note = try r.optionalString()
                case 14: o.orderNumber = try r.int()
                case 15: o.recreatedAs = try r.optionalString()
                case 16: o.recreatedFrom = try r.optionalString()
                case 17: o.refundOwed = try money()
                case 18: o.refunds = try array(piles.refunds) { (d) throws(FastBail) in try d.refund() }
                case 19: o.shippingAddress = try r.null() ? nil : try address()
                case 20: o.subtotalPrice = try money()
                case 21: o.tags = try r.string()
                case 22: o.timeline = try array(piles.timeline) { (d) throws(FastBail) in try d.timelineEntry() }
                case 23: o.totalDiscounts = try money()
                case 24: o.totalPrice = try money()
                case 25: o.totalShippingPrice = try money()
                case 26: o.totalTax = try money()
                default: break
                }
            } while try r.nextMember()
        }
        try Self.require(seen, FastKeys.orderRequired)
        return o
    }

    private mutating func customer() throws(FastBail) -> Customer {
        var customer = Customer(id: 0, email: "", firstName: "", lastName: "")
        var seen: UInt64 = 0
        var guess = 0
        if try r.beginObject() {
            repeat {
                switch try field(keys.customer, &guess, &seen) {
                case 0: customer.email = try r.string()
                case 1: customer.firstName = try r.string()
                case 2: customer.id = try r.int64()
                case 3: customer.lastName = try r.string()
                default: break
                }
            } while try r.nextMember()
        }
        try Self.require(seen, 0b1111)
        return customer
    }

    private mutating func address() throws(FastBail) -> Address {
        var address = Address(name: "", address1: "", city: "", zip: "", country: "")
        var seen: UInt64 = 0
        var guess = 0
        if try r.beginObject() {
            repeat {
                switch try field(keys.address, &guess, &seen) {
                case 0: address.address1 = try r.string()
                case 1: address.city = try r.string()
                case 2: address.country = try r.string()
                case 3: address.name = try r.string()
                case 4: address.zip = try r.string()
                default: break
                }
            } while try r.nextMember()
        }
        try Self.require(seen, 0b11111)
        return address
    }

    private mutating func lineItem() throws(FastBail) -> LineItem {
        var item = LineItem(id: 0, sku: "", title: "", quantity: 0, price: .zero)
        var seen: UInt64 = 0
        var guess = 0
        if try r.beginObject() {
            repeat {
                switch try field(keys.lineItem, &guess, &seen) {
                case 0: item.fulfilledQuantity = try r.int()
                case 1: item.id = try r.int64()
                case 2: item.price = try money()
                case 3: item.quantity = try r.int()
                case 4: item.restocked = try r.int()
                case 5: item.sku = try r.string()
                case 6: item.title = try r.string()
                case 7: item.variantTitle = try r.optionalString()
                default: break
                }
            } while try r.nextMember()
        }
        try Self.require(seen, 0b111_1111)
        return item
    }

    private mutating func refund() throws(FastBail) -> Refund {
        var refund = Refund(id: 0, createdAt: Timestamp(seconds: 0), note: nil, transactions: [])
        var seen: UInt64 = 0
        var guess = 0
        if try r.beginObject() {
            repeat {
                switch try field(keys.refund, &guess, &seen) {
                case 0: refund.createdAt = try timestamp()
                case 1: refund.id = try r.int64()
                case 2: refund.note = try r.optionalString()
                case 3:
                    refund.refundLineItems = try array(piles.refundLineItems) { (d) throws(FastBail) in
                        try d.refundLineItem()
                    }
                case 4:
                    refund.transactions = try array(piles.transactions) { (d) throws(FastBail) in
                        try d.refundTransaction()
                    }
                default: break
                }
            } while try r.nextMember()
        }
        try Self.require(seen, 0b11011)
        return refund
    }

    private mutating func refundTransaction() throws(FastBail) -> RefundTransaction {
        var transaction = RefundTransaction(amount: .zero, method: .original)
        var seen: UInt64 = 0
        var guess = 0
        if try r.beginObject() {
            repeat {
                switch try field(keys.refundTransaction, &guess, &seen) {
                case 0: transaction.amount = try money()
                case 1: transaction.gateway = try r.string()
                case 2: transaction.kind = try r.string()
                default: break
                }
            } while try r.nextMember()
        }
        try Self.require(seen, 0b111)
        return transaction
    }

    private mutating func refundLineItem() throws(FastBail) -> RefundLineItem {
        var item = RefundLineItem(lineItemId: 0, quantity: 0, restockType: "")
        var seen: UInt64 = 0
        var guess = 0
        if try r.beginObject() {
            repeat {
                switch try field(keys.refundLineItem, &guess, &seen) {
                case 0: item.lineItemId = try r.int64()
                case 1: item.quantity = try r.int()
                case 2: item.restockType = try r.string()
                default: break
                }
            } while try r.nextMember()
        }
        try Self.require(seen, 0b111)
        return item
    }

    private mutating func cancellationRecord() throws(FastBail) -> CancellationRecord {
        var record = CancellationRecord(agent: "", note: nil, refund: .now, notified: false)
        var seen: UInt64 = 0
        var guess = 0
        if try r.beginObject() {
            repeat {
                switch try field(keys.cancellationRecord, &guess, &seen) {
                case 0: record.agent = try r.string()
                case 1: record.note = try r.optionalString()
                case 2: record.notified = try r.bool()
                case 3: record.refund = try rawValue(keys.cancelRefund)
                default: break
                }
            } while try r.nextMember()
        }
        try Self.require(seen, 0b1101)
        return record
    }

    private mutating func timelineEntry() throws(FastBail) -> TimelineEntry {
        var entry = TimelineEntry(at: Timestamp(seconds: 0), agent: nil, seq: nil, message: "")
        var seen: UInt64 = 0
        var guess = 0
        if try r.beginObject() {
            repeat {
                switch try field(keys.timelineEntry, &guess, &seen) {
                case 0: entry.agent = try r.optionalString()
                case 1: entry.at = try timestamp()
                case 2: entry.message = try r.string()
                case 3: entry.seq = try r.optionalInt()
                default: break
                }
            } while try r.nextMember()
        }
        try Self.require(seen, 0b0110)
        return entry
    }

    // MARK: Other records

    private mutating func feedback() throws(FastBail) -> Feedback {
        var f = Feedback(id: 0, order: "", email: "", rating: 0, text: "", agent: "", at: Timestamp(seconds: 0))
        var seen: UInt64 = 0
        var guess = 0
        if try r.beginObject() {
            repeat {
                switch try field(keys.feedback, &guess, &seen) {
                case 0: f.agent = try r.string()
                case 1: f.at = try timestamp()
                case 2: f.email = try r.string()
                case 3: f.id = try r.int64()
                case 4: f.order = try r.string()
                case 5: f.rating = try r.int()
                case 6: f.text = try r.string()
                default: break
                }
            } while try r.nextMember()
        }
        try Self.require(seen, 0b111_1111)
        return f
    }

    private mutating func notice() throws(FastBail) -> Notice {
        var n = Notice(id: 0, at: Timestamp(seconds: 0), order: "", to: "", subject: "", body: "", agent: "")
        var seen: UInt64 = 0
        var guess = 0
        if try r.beginObject() {
            repeat {
                switch try field(keys.notice, &guess, &seen) {
                case 0: n.agent = try r.string()
                case 1: n.at = try timestamp()
                case 2: n.body = try r.string()
                case 3: n.id = try r.int64()
                case 4: n.order = try r.string()
                case 5: n.subject = try r.string()
                case 6: n.to = try r.string()
                default: break
                }
            } while try r.nextMember()
        }
        try Self.require(seen, 0b111_1111)
        return n
    }

    private mutating func restockLine() throws(FastBail) -> RestockLine {
        var line = RestockLine(lineItemId: 0, sku: "", quantity: 0)
        var seen: UInt64 = 0
        var guess = 0
        if try r.beginObject() {
            repeat {
                switch try field(keys.restockLine, &guess, &seen) {
                case 0: line.lineItemId = try r.int64()
                case 1: line.quantity = try r.int()
                case 2: line.sku = try r.string()
                default: break
                }
            } while try r.nextMember()
        }
        try Self.require(seen, 0b111)
        return line
    }

    private mutating func batchOrigin() throws(FastBail) -> BatchOrigin {
        var origin = BatchOrigin(script: "", line: 0, hash: "")
        var seen: UInt64 = 0
        var guess = 0
        if try r.beginObject() {
            repeat {
                switch try field(keys.batchOrigin, &guess, &seen) {
                case 0: origin.hash = try r.string()
                case 1: origin.line = try r.int()
                case 2: origin.script = try r.string()
                default: break
                }
            } while try r.nextMember()
        }
        try Self.require(seen, 0b111)
        return origin
    }

    // MARK: Events

    /// An event: the flat object is read once to find where each member's value starts (its
    /// `type` may come last), then the members its type uses are read from there.
    mutating func event() throws(FastBail) -> Event {
        var at = [UnsafePointer<UInt8>?](repeating: nil, count: FastKeys.eventFieldCount)
        var seen: UInt64 = 0
        var guess = 0
        if try r.beginObject() {
            repeat {
                let k = try field(keys.event, &guess, &seen)
                if k >= 0 {
                    at[k] = r.p
                    try r.skipValue()
                }
            } while try r.nextMember()
        }
        let end = r.p
        defer { r.p = end }

        func seek(_ field: FastKeys.EventField) throws(FastBail) -> Bool {
            guard let start = at[field.rawValue] else { return false }
            r.p = start
            return true
        }
        func required(_ field: FastKeys.EventField) throws(FastBail) {
            guard try seek(field) else { throw FastBail() }
        }
        /// Positions the reader on an optional member; false when missing or `null`.
        func optional(_ field: FastKeys.EventField) throws(FastBail) -> Bool {
            guard try seek(field) else { return false }
            return !(try r.null())
        }

        try required(.seq)
        let seq = try r.int()
        try required(.at)
        let time = try timestamp()
        try required(.agent)
        let agent = try r.string()
        try required(.type)
        let type = try r.string()
        let batch = try optional(.batch) ? try batchOrigin() : nil

        let change: Change
        switch type {
        case "setting.changed":
            try required(.key)
            let key = try r.string()
            try required(.value)
            let value = try r.string()
            try required(.previous)
            let previous = try r.string()
            change = .settingChanged(SettingChange(key: key, value: value, previous: previous))
        case "order.cancelled":
            try required(.order)
            let order = try r.string()
            try required(.reason)
            let reason = try rawValue(keys.cancelReason)
            let note = try optional(.note) ? try r.string() : nil
            try required(.refundMode)
            let refundMode = try rawValue(keys.cancelRefund)
            let refund = try optional(.refund) ? try self.refund() : nil
            try required(.financialStatus)
            let status = try rawValue(keys.financialStatus)
            try required(.refundOwed)
            let owed = try money()
            try required(.restocked)
            let restocked = try array { (d) throws(FastBail) in try d.restockLine() }
            let notice = try optional(.notice) ? try self.notice() : nil
            let offer = try optional(.offer) ? try r.string() : nil
            change = .orderCancelled(
                Cancellation(
                    order: order, reason: reason, note: note, refundMode: refundMode, refund: refund,
                    financialStatus: status, refundOwed: owed, restocked: restocked, notice: notice, offer: offer))
        case "order.refunded":
            try required(.order)
            let order = try r.string()
            try required(.refund)
            let refund = try self.refund()
            try required(.financialStatus)
            let status = try rawValue(keys.financialStatus)
            try required(.refundOwed)
            let owed = try money()
            change = .orderRefunded(RefundChange(order: order, refund: refund, financialStatus: status, refundOwed: owed))
        case "order.restocked":
            try required(.order)
            let order = try r.string()
            try required(.lines)
            let lines = try array { (d) throws(FastBail) in try d.restockLine() }
            change = .orderRestocked(RestockChange(order: order, lines: lines))
        case "customer.notified":
            try required(.notice)
            change = .customerNotified(try notice())
        case "feedback.logged":
            try required(.feedback)
            change = .feedbackLogged(try feedback())
        case "order.recreated":
            try required(.original)
            let original = try r.string()
            try required(.order)
            let order = try self.order()
            try required(.taken)
            let taken = try array { (d) throws(FastBail) in try d.restockLine() }
            try required(.paymentMoved)
            let moved = try r.bool()
            let notice = try optional(.notice) ? try self.notice() : nil
            change = .orderRecreated(
                Recreation(original: original, order: order, taken: taken, paymentMoved: moved, notice: notice))
        case "orders.imported":
            try required(.source)
            let source = try r.string()
            try required(.orders)
            let orders = try array { (d) throws(FastBail) in try d.order() }
            try required(.inventory)
            let inventory = try stringIntMap()
            change = .ordersImported(ImportChange(source: source, orders: orders, inventory: inventory))
        default:
            throw FastBail()
        }
        return Event(seq: seq, at: time, agent: agent, change: change, batch: batch)
    }
}

/// The member names of every stored type, in sorted order (as the store writes them), so that
/// a type's field numbers below are positions in its table.
struct FastKeys: @unchecked Sendable {
    static let shared = FastKeys()

    let snapshot = KeyTable(["feedback", "format", "inventory", "orders", "outbox", "seq", "settings", "version"])
    let settings = KeyTable(["auto_restock", "default_refund"])
    let order = KeyTable([
        "cancel_reason", "cancellation", "cancelled_at", "closed_at", "created_at", "currency", "customer", "email",
        "financial_status", "fulfillment_status", "id", "line_items", "name", "note", "order_number", "recreated_as",
        "recreated_from", "refund_owed", "refunds", "shipping_address", "subtotal_price", "tags", "timeline",
        "total_discounts", "total_price", "total_shipping_price", "total_tax",
    ])
    /// Every order member but the optional ones (0–3, 9, 13, 15, 16, 19).
    static let orderRequired: UInt64 = {
        let optional: Set<Int> = [0, 1, 2, 3, 9, 13, 15, 16, 19]
        var mask: UInt64 = 0
        for k in 0..<27 where !optional.contains(k) { mask |= 1 << UInt64(k) }
        return mask
    }()
    let customer = KeyTable(["email", "first_name", "id", "last_name"])
    let address = KeyTable(["address1", "city", "country", "name", "zip"])
    let lineItem = KeyTable([
        "fulfilled_quantity", "id", "price", "quantity", "restocked", "sku", "title", "variant_title",
    ])
    let refund = KeyTable(["created_at", "id", "note", "refund_line_items", "transactions"])
    let refundTransaction = KeyTable(["amount", "gateway", "kind"])
    let refundLineItem = KeyTable(["line_item_id", "quantity", "restock_type"])
    let cancellationRecord = KeyTable(["agent", "note", "notified", "refund"])
    let timelineEntry = KeyTable(["agent", "at", "message", "seq"])
    let feedback = KeyTable(["agent", "at", "email", "id", "order", "rating", "text"])
    let notice = KeyTable(["agent", "at", "body", "id", "order", "subject", "to"])
    let restockLine = KeyTable(["line_item_id", "quantity", "sku"])
    let batchOrigin = KeyTable(["hash", "line", "script"])

    /// Every member an event line may use, whatever its type.
    enum EventField: Int, CaseIterable {
        case agent, at, batch, feedback, financialStatus, inventory, key, lines, note, notice, offer, order, orders
        case original, paymentMoved, previous, reason, refund, refundMode, refundOwed, restocked, seq, source
        case taken, type, value

        var name: String {
            switch self {
            case .financialStatus: return "financial_status"
            case .paymentMoved: return "payment_moved"
            case .refundMode: return "refund_mode"
            case .refundOwed: return "refund_owed"
            default: return "\(self)"
            }
        }
    }
    static let eventFieldCount = EventField.allCases.count
    let event = KeyTable(EventField.allCases.map(\.name))

    let financialStatus = EnumTable<FinancialStatus>()
    let fulfillmentStatus = EnumTable<FulfillmentStatus>()
    let cancelReason = EnumTable<CancelReason>()
    let refundMode = EnumTable<RefundMode>()
    let cancelRefund = EnumTable<CancelRefund>()
}

/// The cases of a string enum by their raw bytes. Made once, never freed, copied for free.
struct EnumTable<E: RawRepresentable & CaseIterable>: @unchecked Sendable where E.RawValue == String {
    private let names: KeyTable
    private let cases: UnsafeMutablePointer<E>

    init() {
        let all = Array(E.allCases)
        cases = UnsafeMutablePointer<E>.allocate(capacity: max(1, all.count))
        cases.initialize(from: all, count: all.count)
        names = KeyTable(all.map(\.rawValue))
    }

    @inline(__always)
    func value(_ bytes: UnsafeBufferPointer<UInt8>) -> E? {
        var guess = 0
        let k = names.field(bytes, guess: &guess)
        return k < 0 ? nil : cases[k]
    }
}

/// Scratch space where an array's elements are built before they move, all at once, into an
/// array of exactly their number: no growing, no spare capacity, no copies.
final class Pile<T> {
    private var base: UnsafeMutablePointer<T>
    private(set) var count = 0
    private var capacity = 16

    init() { base = UnsafeMutablePointer<T>.allocate(capacity: 16) }

    deinit {
        base.deinitialize(count: count)
        base.deallocate()
    }

    @inline(__always)
    func append(_ item: consuming T) {
        if count == capacity { grow() }
        (base + count).initialize(to: item)
        count += 1
    }

    private func grow() {
        let bigger = UnsafeMutablePointer<T>.allocate(capacity: capacity * 2)
        bigger.moveInitialize(from: base, count: count)
        base.deallocate()
        base = bigger
        capacity *= 2
    }

    /// The elements from `mark` on, moved out into a new array.
    @inline(__always)
    func take(from mark: Int) -> [T] {
        let n = count - mark
        if n == 0 { return [] }
        // `reserveCapacity` and `append` are specialized for `T` here; the library's
        // `Array(unsafeUninitializedCapacity:)` looks the storage type up at run time, each time.
        var items: [T] = []
        items.reserveCapacity(n)
        for i in mark..<count { items.append((base + i).move()) }
        count = mark
        return items
    }
}

/// The piles of one decoder, one per element type that arrays are made of in bulk.
final class Piles {
    let lineItems = Pile<LineItem>()
    let timeline = Pile<TimelineEntry>()
    let refunds = Pile<Refund>()
    let transactions = Pile<RefundTransaction>()
    let refundLineItems = Pile<RefundLineItem>()
}

/// Money and times from the bytes of a JSON string, exactly as `Money(_:)` and
/// `Timestamp(iso8601:)` read the same text.
enum FastValues {
    /// `Money(_:)` over bytes: an optional `-`, digits with at most one `.`, at most 6 decimals.
    @inline(__always)
    static func money(_ bytes: UnsafeBufferPointer<UInt8>) -> Money? {
        var i = 0
        let n = bytes.count
        var negative = false
        if n > 0 && bytes[0] == UInt8(ascii: "-") {
            negative = true
            i = 1
        }
        guard i < n else { return nil }
        var units: Int64 = 0
        var scale = 0
        var seenPoint = false
        var digits = 0
        while i < n {
            let byte = bytes[i]
            i += 1
            if byte == UInt8(ascii: ".") {
                if seenPoint { return nil }
                seenPoint = true
                continue
            }
            let d = byte &- UInt8(ascii: "0")
            guard d < 10 else { return nil }
            let (m, o1) = units.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(Int64(d))
            if o1 || o2 { return nil }
            units = a
            digits += 1
            if seenPoint { scale += 1 }
        }
        guard digits > 0, scale <= 6 else { return nil }
        if seenPoint && scale == 0 { return nil }
        return Money(units: negative ? -units : units, scale: scale)
    }

    /// `YYYY-MM-DDTHH:MM:SSZ`, the form the store writes; nil for any other form (the caller
    /// then asks `Timestamp(iso8601:)` itself).
    @inline(__always)
    static func timestamp(_ b: UnsafeBufferPointer<UInt8>) -> Timestamp? {
        guard b.count == 20, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"), b[10] == UInt8(ascii: "T"),
            b[13] == UInt8(ascii: ":"), b[16] == UInt8(ascii: ":"), b[19] == UInt8(ascii: "Z")
        else { return nil }
        @inline(__always) func number(_ from: Int, _ count: Int) -> Int? {
            var v = 0
            for k in from..<(from + count) {
                let d = b[k] &- UInt8(ascii: "0")
                guard d < 10 else { return nil }
                v = v * 10 + Int(d)
            }
            return v
        }
        guard let year = number(0, 4), let month = number(5, 2), let day = number(8, 2),
            let hour = number(11, 2), let minute = number(14, 2), let second = number(17, 2),
            hour < 24, minute < 60, second < 61,
            let midnight = Timestamp(year: year, month: month, day: day)
        else { return nil }
        return Timestamp(seconds: midnight.seconds + Int64(hour * 3600 + minute * 60 + second))
    }
}
