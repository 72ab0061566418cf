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

    /// The fewest bytes of orders read in two halves at once (about 5,000 orders).
    var parallelMinimum = 8 << 20

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        r = FastReader(bytes)
    }

    // MARK: Documents

    /// A whole snapshot document, and nothing after it but white space.
    static func snapshot(_ bytes: [UInt8]) throws(FastBail) -> Snapshot {
        try snapshot(bytes[...])
    }

    /// A whole snapshot document held in part of a buffer.
    static func snapshot(_ bytes: ArraySlice<UInt8>, parallelMinimum: Int = 8 << 20) throws(FastBail) -> Snapshot {
        try bytes.withUnsafeBufferPointer { (buffer) throws(FastBail) -> Snapshot in
            guard !buffer.isEmpty else { throw FastBail() }
            var decoder = FastStoreDecoder(buffer)
            decoder.parallelMinimum = parallelMinimum
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

    /// Reads the next member's name and `:`, and returns its key in `fields`, or nil for a member
    /// the type does not have (its value is then skipped). A member given twice bails
    /// (`JSONDecoder` would keep the first). `seen` collects the field numbers read.
    @inline(__always)
    private mutating func field<Key>(_ fields: Fields<Key>, _ guess: inout Int, _ seen: inout UInt64) throws(FastBail) -> Key? {
        let k = try field(fields.table, &guess, &seen)
        return k < 0 ? nil : fields[k]
    }

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
                case .feedback: feedback = try array { (d) throws(FastBail) in try d.feedback() }
                case .format: format = try r.string()
                case .inventory: inventory = try stringIntMap()
                case .orders: orders = try self.orders()
                case .outbox: outbox = try array { (d) throws(FastBail) in try d.notice() }
                case .seq: seq = try r.int()
                case .settings: settings = try self.settings()
                case .version: version = try r.int()
                case nil: break
                }
            } while try r.nextMember()
        }
        try Self.require(seen, keys.snapshot.required)
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
        // A big list is read in two halves at once (``OrdersHalf``); the second half is taken
        // only when this one ends exactly where it began, so the result is the same either way.
        let half = r.end - r.p >= parallelMinimum ? OrdersHalf.start(in: r, after: r.p + (r.end - r.p) / 2) : nil
        defer { half?.join() }
        // Room for as many orders as the bytes left could hold at their usual size, at most.
        orders.reserveCapacity(min(1 << 22, max(16, ((half?.begin ?? r.end) - r.p) / 1024)))
        // Tens of megabytes at 100k orders: fewer page faults with huge pages.
        let capacity = orders.capacity
        orders.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            POSIX.adviseHugePages(UnsafeMutableRawBufferPointer(start: base, count: capacity * MemoryLayout<Order>.stride))
        }
        var waiting = half != nil
        repeat {
            if waiting, let half, r.p >= half.begin {
                waiting = false
                if r.p == half.begin, let end = half.join() {
                    half.orders.moveAll(into: &orders)
                    OrdersHalf.taken.add(1, ordering: .relaxed)
                    r.p = end
                    return orders
                }
            }
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
                case .autoRestock: settings.autoRestock = try r.bool()
                case .defaultRefund: settings.defaultRefund = try rawValue(keys.refundMode)
                case .mailBcc: settings.mailBcc = try r.optionalString()
                case .mailCommand: settings.mailCommand = try r.optionalString()
                case .mailFrom: settings.mailFrom = try r.optionalString()
                case .noticeLanguage: settings.noticeLanguage = try r.optionalString()
                case .replyTo: settings.replyTo = try r.optionalString()
                case nil: break
                }
            } while try r.nextMember()
        }
        try Self.require(seen, keys.settings.required)
        return settings
    }

    // MARK: Orders

    /// An order with every member empty, to be filled in.
    static var emptyOrder: Order {
        Order(
            id: 0, name: "", orderNumber: 0, email: "", createdAt: Timestamp(seconds: 0), currency: "",
            subtotalPrice: .zero, totalShippingPrice: .zero, totalTax: .zero, totalDiscounts: .zero, totalPrice: .zero,
            taxesIncluded: false, financialStatus: .paid, fulfillmentStatus: nil, cancelledAt: nil, cancelReason: nil,
            closedAt: nil, note: nil, tags: "", customer: Customer(id: 0, email: "", firstName: "", lastName: ""),
            shippingAddress: nil, lineItems: [], transactions: [], refunds: [], cancellation: nil, recreatedFrom: nil,
            recreatedAs: nil, timeline: [])
    }

    mutating func order() throws(FastBail) -> Order {
        // Filled in place, member by member: no copies of the finished order.
        var o = Self.emptyOrder
        var seen: UInt64 = 0
        var guess = 0
        if try r.beginObject() {
            repeat {
                switch try field(keys.order, &guess, &seen) {
                case .cancelReason: o.cancelReason = try optionalRawValue(keys.cancelReason)
                case .cancellation: o.cancellation = try r.null() ? nil : try cancellationRecord()
                case .cancelledAt: o.cancelledAt = try optionalTimestamp()
                case .closedAt: o.closedAt = try optionalTimestamp()
                case .createdAt: o.createdAt = try timestamp()
                case .currency: o.currency = try r.string()
                case .customer: o.customer = try customer()
                case .customerLocale: o.customerLocale = try r.optionalString()
                case .email: o.email = try r.string()
                case .financialStatus: o.financialStatus = try rawValue(keys.financialStatus)
                case .fulfillmentStatus: o.fulfillmentStatus = try optionalRawValue(keys.fulfillmentStatus)
                case .id: o.id = try r.int64()
                case .lineItems: o.lineItems = try array(piles.lineItems) { (d) throws(FastBail) in try d.lineItem() }
                case .name: o.name = try r.string()
                case .note: o.note = try r.optionalString()
                case .orderNumber: o.orderNumber = try r.int()
                case .recreatedAs: o.recreatedAs = try r.optionalString()
                case .recreatedFrom: o.recreatedFrom = try r.optionalString()
                case .refunds: o.refunds = try array(piles.refunds) { (d) throws(FastBail) in try d.refund() }
                case .shippingAddress: o.shippingAddress = try r.null() ? nil : try address()
                case .subtotalPrice: o.subtotalPrice = try money()
                case .tags: o.tags = try r.string()
                case .timeline: o.timeline = try array(piles.timeline) { (d) throws(FastBail) in try d.timelineEntry() }
                case .totalDiscounts: o.totalDiscounts = try money()
                case .totalPrice: o.totalPrice = try money()
                case .totalShippingPrice: o.totalShippingPrice = try money()
                case .totalTax: o.totalTax = try money()
                case .taxesIncluded: o.taxesIncluded = try r.bool()
                case .transactions:
                    o.transactions = try array(piles.transactions) { (d) throws(FastBail) in try d.transaction() }
                case nil: break
                }
            } while try r.nextMember()
        }
        try Self.require(seen, keys.order.required)
        return o
    }

    private mutating func customer() throws(FastBail) -> Customer {
        var customer = Customer(id: 0, email: "", firstName: "", lastName: "")
        var seen: UInt64 = 0
        var guess = 0
        if try r.beginObject() {
            repeat {
                switch try field(keys.customer, &guess, &seen) {
                case .email: customer.email = try r.string()
                case .firstName: customer.firstName = try r.string()
                case .id: customer.id = try r.null() ? 0 : try r.int64()
                case .lastName: customer.lastName = try r.string()
                case nil: break
                }
            } while try r.nextMember()
        }
        try Self.require(seen, keys.customer.required)
        return customer
    }

    private mutating func address() throws(FastBail) -> Address {
        var address = Address(name: "", address1: "", city: "", zip: "", country: "")
        var seen: UInt64 = 0
        var guess = 0
        if try r.beginObject() {
            repeat {
                switch try field(keys.address, &guess, &seen) {
                case .address1: address.address1 = try r.string()
                case .city: address.city = try r.string()
                case .country: address.country = try r.string()
                case .name: address.name = try r.string()
                case .zip: address.zip = try r.string()
                case nil: break
                }
            } while try r.nextMember()
        }
        try Self.require(seen, keys.address.required)
        return address
    }

    private mutating func lineItem() throws(FastBail) -> LineItem {
        var item = LineItem(id: 0, sku: "", title: "", quantity: 0, price: .zero)
        var seen: UInt64 = 0
        var guess = 0
        if try r.beginObject() {
            repeat {
                switch try field(keys.lineItem, &guess, &seen) {
                case .fulfilledQuantity: item.fulfilledQuantity = try r.int()
                case .fulfillableQuantity: item.fulfillableQuantity = try r.int()
                case .giftCard: item.giftCard = try r.bool()
                case .id: item.id = try r.int64()
                case .price: item.price = try money()
                case .quantity: item.quantity = try r.int()
                case .restocked: item.restocked = try r.int()
                case .sku: item.sku = try r.string()
                case .title: item.title = try r.string()
                case .variantTitle: item.variantTitle = try r.optionalString()
                case nil: break
                }
            } while try r.nextMember()
        }
        try Self.require(seen, keys.lineItem.required)
        return item
    }

    private mutating func refund() throws(FastBail) -> Refund {
        var refund = Refund(id: 0, createdAt: Timestamp(seconds: 0), note: nil, transactions: [])
        var seen: UInt64 = 0
        var guess = 0
        if try r.beginObject() {
            repeat {
                switch try field(keys.refund, &guess, &seen) {
                case .createdAt: refund.createdAt = try timestamp()
                case .id: refund.id = try r.int64()
                case .note: refund.note = try r.optionalString()
                case .refundLineItems:
                    refund.refundLineItems = try array(piles.refundLineItems) { (d) throws(FastBail) in
                        try d.refundLineItem()
                    }
                case .transactions:
                    refund.transactions = try array(piles.transactions) { (d) throws(FastBail) in try d.transaction() }
                case .orderAdjustments:
                    refund.orderAdjustments = try array { (d) throws(FastBail) in try d.orderAdjustment() }
                case nil: break
                }
            } while try r.nextMember()
        }
        try Self.require(seen, keys.refund.required)
        return refund
    }

    private mutating func transaction() throws(FastBail) -> Transaction {
        var t = Transaction(id: 0, kind: .sale, amount: .zero, currency: "", gateway: "", createdAt: Timestamp(seconds: 0))
        var seen: UInt64 = 0
        var guess = 0
        if try r.beginObject() {
            repeat {
                switch try field(keys.transaction, &guess, &seen) {
                case .amount: t.amount = try money()
                case .createdAt: t.createdAt = try timestamp()
                case .currency: t.currency = try r.string()
                case .gateway: t.gateway = try r.string()
                case .id: t.id = try r.int64()
                case .kind: t.kind = try rawValue(keys.transactionKind)
                case .parentId: t.parentId = try r.null() ? nil : try r.int64()
                case .status: t.status = try rawValue(keys.transactionStatus)
                case .transfer: t.transfer = try r.optionalString()
                case nil: break
                }
            } while try r.nextMember()
        }
        try Self.require(seen, keys.transaction.required)
        return t
    }

    private mutating func orderAdjustment() throws(FastBail) -> OrderAdjustment {
        var a = OrderAdjustment(kind: "", amount: .zero, taxAmount: .zero)
        var seen: UInt64 = 0
        var guess = 0
        if try r.beginObject() {
            repeat {
                switch try field(keys.orderAdjustment, &guess, &seen) {
                case .amount: a.amount = try money()
                case .kind: a.kind = try r.string()
                case .taxAmount: a.taxAmount = try money()
                case nil: break
                }
            } while try r.nextMember()
        }
        try Self.require(seen, keys.orderAdjustment.required)
        return a
    }

    private mutating func refundLineItem() throws(FastBail) -> RefundLineItem {
        var item = RefundLineItem(lineItemId: 0, quantity: 0, restockType: .noRestock, subtotal: .zero, totalTax: .zero)
        var seen: UInt64 = 0
        var guess = 0
        if try r.beginObject() {
            repeat {
                switch try field(keys.refundLineItem, &guess, &seen) {
                case .lineItemId: item.lineItemId = try r.int64()
                case .quantity: item.quantity = try r.int()
                case .restockType: item.restockType = try rawValue(keys.restockType)
                case .subtotal: item.subtotal = try money()
                case .totalTax: item.totalTax = try money()
                case nil: break
                }
            } while try r.nextMember()
        }
        try Self.require(seen, keys.refundLineItem.required)
        return item
    }

    private mutating func cancellationRecord() throws(FastBail) -> CancellationRecord {
        var record = CancellationRecord(agent: "", reason: .other, note: nil, refund: .now, notified: false)
        var seen: UInt64 = 0
        var guess = 0
        if try r.beginObject() {
            repeat {
                switch try field(keys.cancellationRecord, &guess, &seen) {
                case .agent: record.agent = try r.string()
                case .note: record.note = try r.optionalString()
                case .notified: record.notified = try r.bool()
                case .reason: record.reason = try rawValue(keys.cancelReason)
                case .refund: record.refund = try rawValue(keys.cancelRefund)
                case nil: break
                }
            } while try r.nextMember()
        }
        try Self.require(seen, keys.cancellationRecord.required)
        return record
    }

    private mutating func timelineEntry() throws(FastBail) -> TimelineEntry {
        var entry = TimelineEntry(at: Timestamp(seconds: 0), agent: nil, seq: nil, message: "")
        var seen: UInt64 = 0
        var guess = 0
        if try r.beginObject() {
            repeat {
                switch try field(keys.timelineEntry, &guess, &seen) {
                case .agent: entry.agent = try r.optionalString()
                case .at: entry.at = try timestamp()
                case .message: entry.message = try r.string()
                case .seq: entry.seq = try r.optionalInt()
                case nil: break
                }
            } while try r.nextMember()
        }
        try Self.require(seen, keys.timelineEntry.required)
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
                case .agent: f.agent = try r.string()
                case .at: f.at = try timestamp()
                case .email: f.email = try r.string()
                case .id: f.id = try r.int64()
                case .order: f.order = try r.string()
                case .rating: f.rating = try r.int()
                case .text: f.text = try r.string()
                case nil: break
                }
            } while try r.nextMember()
        }
        try Self.require(seen, keys.feedback.required)
        return f
    }

    private mutating func notice() throws(FastBail) -> Notice {
        var n = Notice(id: 0, at: Timestamp(seconds: 0), order: "", to: "", subject: "", body: "", agent: "")
        var seen: UInt64 = 0
        var guess = 0
        if try r.beginObject() {
            repeat {
                switch try field(keys.notice, &guess, &seen) {
                case .agent: n.agent = try r.string()
                case .at: n.at = try timestamp()
                case .attempts: n.attempts = try r.null() ? nil : try r.int()
                case .bcc: n.bcc = try r.optionalString()
                case .body: n.body = try r.string()
                case .from: n.from = try r.optionalString()
                case .id: n.id = try r.int64()
                case .language: n.language = try r.optionalString()
                case .messageId: n.messageId = try r.optionalString()
                case .mta: n.mta = try r.optionalString()
                case .nextAttempt: n.nextAttempt = try optionalTimestamp()
                case .order: n.order = try r.string()
                case .reason: n.reason = try r.optionalString()
                case .replyTo: n.replyTo = try r.optionalString()
                case .sentAt: n.sentAt = try optionalTimestamp()
                case .status: n.status = try optionalRawValue(keys.noticeStatus)
                case .subject: n.subject = try r.string()
                case .to: n.to = try r.string()
                case .toName: n.toName = try r.optionalString()
                case nil: break
                }
            } while try r.nextMember()
        }
        try Self.require(seen, keys.notice.required)
        return n
    }

    private mutating func restockLine() throws(FastBail) -> RestockLine {
        var line = RestockLine(lineItemId: 0, sku: "", quantity: 0)
        var seen: UInt64 = 0
        var guess = 0
        if try r.beginObject() {
            repeat {
                switch try field(keys.restockLine, &guess, &seen) {
                case .lineItemId: line.lineItemId = try r.int64()
                case .quantity: line.quantity = try r.int()
                case .sku: line.sku = try r.string()
                case nil: break
                }
            } while try r.nextMember()
        }
        try Self.require(seen, keys.restockLine.required)
        return line
    }

    private mutating func batchOrigin() throws(FastBail) -> BatchOrigin {
        var origin = BatchOrigin(script: "", line: 0, hash: "")
        var seen: UInt64 = 0
        var guess = 0
        if try r.beginObject() {
            repeat {
                switch try field(keys.batchOrigin, &guess, &seen) {
                case .hash: origin.hash = try r.string()
                case .line: origin.line = try r.int()
                case .script: origin.script = try r.string()
                case nil: break
                }
            } while try r.nextMember()
        }
        try Self.require(seen, keys.batchOrigin.required)
        return origin
    }

    // MARK: Events

    /// An event: the flat object is read once to find where each member's value starts (its
    /// `type` may come last), then the event's own members and those of its change are read
    /// from there, each type's by its `CodingKeys` (``members(_:_:_:)``).
    mutating func event() throws(FastBail) -> Event {
        var at = [UnsafePointer<UInt8>?](repeating: nil, count: keys.line.count)
        var seen: UInt64 = 0
        var guess = 0
        if try r.beginObject() {
            repeat {
                let k = try field(keys.line, &guess, &seen)
                if k >= 0 {
                    at[k] = r.p
                    try r.skipValue()
                }
            } while try r.nextMember()
        }
        let end = r.p
        defer { r.p = end }

        var seq = 0
        var time = Timestamp(seconds: 0)
        var agent = ""
        var type = ""
        var batch: BatchOrigin?
        // Where the nested change of a `customer.notified` or `feedback.logged` line starts.
        var noticeAt: UnsafePointer<UInt8>?
        var feedbackAt: UnsafePointer<UInt8>?
        try members(keys.event, at) { (d, key) throws(FastBail) in
            switch key {
            case .seq: seq = try d.r.int()
            case .at: time = try d.timestamp()
            case .agent: agent = try d.r.string()
            case .type: type = try d.r.string()
            case .batch: batch = try d.r.null() ? nil : try d.batchOrigin()
            case .notice: noticeAt = d.r.p
            case .feedback: feedbackAt = d.r.p
            }
        }

        let change: Change
        switch type {
        case "setting.changed":
            var c = SettingChange(key: "", value: "", previous: "")
            try members(keys.settingChange, at) { (d, key) throws(FastBail) in
                switch key {
                case .key: c.key = try d.r.string()
                case .previous: c.previous = try d.r.string()
                case .value: c.value = try d.r.string()
                }
            }
            change = .settingChanged(c)
        case "order.cancelled":
            var c = Cancellation(
                order: "", reason: .other, note: nil, refundMode: .now, refund: nil, voids: [], restocked: [], notice: nil,
                offer: nil)
            try members(keys.cancellation, at) { (d, key) throws(FastBail) in
                switch key {
                case .voids: c.voids = try d.array { (d) throws(FastBail) in try d.transaction() }
                case .note: c.note = try d.r.optionalString()
                case .notice: c.notice = try d.r.null() ? nil : try d.notice()
                case .offer: c.offer = try d.r.optionalString()
                case .order: c.order = try d.r.string()
                case .reason: c.reason = try d.rawValue(d.keys.cancelReason)
                case .refund: c.refund = try d.r.null() ? nil : try d.refund()
                case .refundMode: c.refundMode = try d.rawValue(d.keys.cancelRefund)
                case .restocked: c.restocked = try d.array { (d) throws(FastBail) in try d.restockLine() }
                }
            }
            change = .orderCancelled(c)
        case "order.refunded", "order.returned":
            var c = RefundChange(order: "", refund: Refund(id: 0, createdAt: Timestamp(seconds: 0), note: nil, transactions: []))
            try members(keys.refundChange, at) { (d, key) throws(FastBail) in
                switch key {
                case .order: c.order = try d.r.string()
                case .refund: c.refund = try d.refund()
                case .restocked: c.restocked = try d.array { (d) throws(FastBail) in try d.restockLine() }
                case .notice: c.notice = try d.r.null() ? nil : try d.notice()
                }
            }
            change = type == "order.refunded" ? .orderRefunded(c) : .orderReturned(c)
        case "payment.recorded":
            var c = PaymentChange(order: "", transactions: [])
            try members(keys.paymentChange, at) { (d, key) throws(FastBail) in
                switch key {
                case .order: c.order = try d.r.string()
                case .transactions: c.transactions = try d.array { (d) throws(FastBail) in try d.transaction() }
                }
            }
            change = .paymentRecorded(c)
        case "order.restocked":
            var c = RestockChange(order: "", lines: [])
            try members(keys.restockChange, at) { (d, key) throws(FastBail) in
                switch key {
                case .lines: c.lines = try d.array { (d) throws(FastBail) in try d.restockLine() }
                case .order: c.order = try d.r.string()
                }
            }
            change = .orderRestocked(c)
        case "customer.notified":
            guard let start = noticeAt else { throw FastBail() }
            r.p = start
            change = .customerNotified(try notice())
        case "feedback.logged":
            guard let start = feedbackAt else { throw FastBail() }
            r.p = start
            change = .feedbackLogged(try feedback())
        case "order.recreated":
            var c = Recreation(original: "", order: Self.emptyOrder, taken: [], moved: nil, notice: nil)
            try members(keys.recreation, at) { (d, key) throws(FastBail) in
                switch key {
                case .notice: c.notice = try d.r.null() ? nil : try d.notice()
                case .order: c.order = try d.order()
                case .original: c.original = try d.r.string()
                case .moved: c.moved = try d.r.null() ? nil : try d.refund()
                case .taken: c.taken = try d.array { (d) throws(FastBail) in try d.restockLine() }
                }
            }
            change = .orderRecreated(c)
        case "orders.imported":
            var c = ImportChange(source: "", orders: [], inventory: [:])
            try members(keys.importChange, at) { (d, key) throws(FastBail) in
                switch key {
                case .inventory: c.inventory = try d.stringIntMap()
                case .orders: c.orders = try d.array { (d) throws(FastBail) in try d.order() }
                case .source: c.source = try d.r.string()
                }
            }
            change = .ordersImported(c)
        case "notice.sent", "notice.deferred", "notice.failed":
            var c = NoticeDelivery(noticeId: 0, order: "", outcome: .sent, attempts: 0, messageId: "", from: "")
            c.outcome = type == "notice.sent" ? .sent : type == "notice.deferred" ? .deferred : .failed
            try members(keys.noticeDelivery, at) { (d, key) throws(FastBail) in
                switch key {
                case .attempts: c.attempts = try d.r.int()
                case .bcc: c.bcc = try d.r.optionalString()
                case .from: c.from = try d.r.string()
                case .messageId: c.messageId = try d.r.string()
                case .mta: c.mta = try d.r.optionalString()
                case .nextAttempt: c.nextAttempt = try d.optionalTimestamp()
                case .noticeId: c.noticeId = try d.r.int64()
                case .order: c.order = try d.r.string()
                case .reason: c.reason = try d.r.optionalString()
                case .replyTo: c.replyTo = try d.r.optionalString()
                }
            }
            change = .noticeDelivery(c)
        default:
            // `store.edit_accepted` and `orders.updated` too: rare, and `JSONDecoder` reads them.
            throw FastBail()
        }
        return Event(seq: seq, at: time, agent: agent, change: change, batch: batch)
    }

    /// Reads the members of `fields` (a type held flat in a journal line) from the line whose
    /// values start at `at` (by field number in ``FastKeys/line``), in field order: `member` reads
    /// each one present, with the reader on its value. A required member missing bails.
    @inline(__always)
    private mutating func members<Key>(
        _ fields: Fields<Key>, _ at: [UnsafePointer<UInt8>?],
        _ member: (inout FastStoreDecoder, Key) throws(FastBail) -> Void
    ) throws(FastBail) {
        for k in 0..<fields.count {
            guard let start = at[fields.slot(k)] else {
                if fields.isRequired(k) { throw FastBail() }
                continue
            }
            r.p = start
            try member(&self, fields[k])
        }
    }
}

/// The members of every stored type, from the model's `CodingKeys` (see ``Fields``).
///
/// To add a member to a stored type: add the property and its case in the type's `CodingKeys`
/// (OrderDeskCore); the build then fails in ``FastStoreDecoder`` and ``FastStoreEncoder`` until
/// both read and write it; list it in `optional:` below when its property is optional.
struct FastKeys: @unchecked Sendable {
    static let shared = FastKeys()

    let snapshot = Fields<Snapshot.CodingKeys>()
    let settings = Fields<Settings.CodingKeys>(optional: [.mailBcc, .mailCommand, .mailFrom, .noticeLanguage, .replyTo])
    let order = Fields<Order.CodingKeys>(optional: [
        .cancelReason, .cancellation, .cancelledAt, .closedAt, .fulfillmentStatus, .note, .recreatedAs,
        .recreatedFrom, .shippingAddress, .customerLocale,
    ])
    let customer = Fields<Customer.CodingKeys>()
    let address = Fields<Address.CodingKeys>()
    let lineItem = Fields<LineItem.CodingKeys>(optional: [.variantTitle])
    let refund = Fields<Refund.CodingKeys>(optional: [.note])
    let transaction = Fields<Transaction.CodingKeys>(optional: [.parentId, .transfer])
    let orderAdjustment = Fields<OrderAdjustment.CodingKeys>()
    let refundLineItem = Fields<RefundLineItem.CodingKeys>()
    let cancellationRecord = Fields<CancellationRecord.CodingKeys>(optional: [.note])
    let timelineEntry = Fields<TimelineEntry.CodingKeys>(optional: [.agent, .seq])
    let feedback = Fields<Feedback.CodingKeys>()
    let notice = Fields<Notice.CodingKeys>(optional: [
        .toName, .language, .status, .reason, .attempts, .nextAttempt, .sentAt, .mta, .messageId, .from, .replyTo, .bcc,
    ])
    let restockLine = Fields<RestockLine.CodingKeys>()
    let batchOrigin = Fields<BatchOrigin.CodingKeys>()

    // MARK: Journal lines

    /// Every member a journal line may have, whatever its type: the event's own and those of
    /// every change (held flat beside them), each name once.
    static let lineNames: [String] = {
        var names = Set(Event.CodingKeys.allCases.map(\.stringValue))
        names.formUnion(SettingChange.CodingKeys.allCases.map(\.stringValue))
        names.formUnion(Cancellation.CodingKeys.allCases.map(\.stringValue))
        names.formUnion(RefundChange.CodingKeys.allCases.map(\.stringValue))
        names.formUnion(PaymentChange.CodingKeys.allCases.map(\.stringValue))
        names.formUnion(RestockChange.CodingKeys.allCases.map(\.stringValue))
        names.formUnion(Recreation.CodingKeys.allCases.map(\.stringValue))
        names.formUnion(ImportChange.CodingKeys.allCases.map(\.stringValue))
        names.formUnion(SnapshotEditAccepted.CodingKeys.allCases.map(\.stringValue))
        names.formUnion(ImportUpdate.CodingKeys.allCases.map(\.stringValue))
        names.formUnion(NoticeDelivery.CodingKeys.allCases.map(\.stringValue))
        return names.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }()
    let line = KeyTable(FastKeys.lineNames)

    // For the reader: each type's members, and where they are in `line`.
    /// The event's own members; `notice` and `feedback` belong to the changes they nest.
    let event = Fields<Event.CodingKeys>(optional: [.batch, .notice, .feedback], line: lineNames)
    let settingChange = Fields<SettingChange.CodingKeys>(line: lineNames)
    let cancellation = Fields<Cancellation.CodingKeys>(optional: [.note, .refund, .notice, .offer], line: lineNames)
    let refundChange = Fields<RefundChange.CodingKeys>(optional: [.notice], line: lineNames)
    let paymentChange = Fields<PaymentChange.CodingKeys>(line: lineNames)
    let restockChange = Fields<RestockChange.CodingKeys>(line: lineNames)
    let recreation = Fields<Recreation.CodingKeys>(optional: [.moved, .notice], line: lineNames)
    let importChange = Fields<ImportChange.CodingKeys>(line: lineNames)
    let noticeDelivery = Fields<NoticeDelivery.CodingKeys>(
        optional: [.reason, .mta, .nextAttempt, .replyTo, .bcc], line: lineNames)

    // For the writer: each kind of line's members in the order they are written.
    let settingChangedLine = Fields(line: SettingChange.CodingKeys.allCases)
    let orderCancelledLine = Fields(line: Cancellation.CodingKeys.allCases)
    let orderRefundedLine = Fields(line: RefundChange.CodingKeys.allCases)
    let paymentRecordedLine = Fields(line: PaymentChange.CodingKeys.allCases)
    let orderRestockedLine = Fields(line: RestockChange.CodingKeys.allCases)
    /// `customer.notified` and `feedback.logged`: the change is the event's `notice` or `feedback`.
    let nestedLine = Fields(line: [Event.CodingKeys]())
    let orderRecreatedLine = Fields(line: Recreation.CodingKeys.allCases)
    let ordersImportedLine = Fields(line: ImportChange.CodingKeys.allCases)
    let editAcceptedLine = Fields(line: SnapshotEditAccepted.CodingKeys.allCases)
    let ordersUpdatedLine = Fields(line: ImportUpdate.CodingKeys.allCases)
    let noticeDeliveryLine = Fields(line: NoticeDelivery.CodingKeys.allCases)

    let financialStatus = EnumTable<FinancialStatus>()
    let fulfillmentStatus = EnumTable<FulfillmentStatus>()
    let cancelReason = EnumTable<CancelReason>()
    let refundMode = EnumTable<RefundMode>()
    let cancelRefund = EnumTable<CancelRefund>()
    let transactionKind = EnumTable<TransactionKind>()
    let transactionStatus = EnumTable<TransactionStatus>()
    let restockType = EnumTable<RestockType>()
    let noticeStatus = EnumTable<NoticeStatus>()
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

    /// Every element moved to the end of `array`; the pile is left empty.
    func moveAll(into array: inout [T]) {
        array.reserveCapacity(array.count + count)
        for i in 0..<count { array.append((base + i).move()) }
        count = 0
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
    let transactions = Pile<Transaction>()
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
