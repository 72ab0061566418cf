import Foundation
import OrderDeskCore
import Testing

@_spi(StoreTesting) @testable import OrderDeskStore

/// The fast codec's member tables against the model: every stored type's table holds exactly
/// its `CodingKeys`, sorted as `JSONEncoder` sorts them, and its optional members are exactly
/// those the model's `Codable` conformance lets a document leave out.
///
/// The compiler already refuses a key the codec does not read or write (its switches are
/// exhaustive); these tests catch what it cannot see, and name the type and the member.
@Suite("Fast store codec: member tables follow the model's CodingKeys")
struct FastKeysTests {
    static let keys = FastKeys.shared
    static let at = Timestamp(iso8601: "2026-11-26T17:58:12Z")!

    // MARK: Stored types

    @Test func snapshotAndSettings() throws {
        try Self.check(Snapshot(StoreState(seq: 3, orders: [Self.order], inventory: ["A": 1])), Self.keys.snapshot)
        var settings = Settings(autoRestock: false, defaultRefund: .later)
        settings.mailFrom = "Kauppa <shop@example.com>"
        settings.replyTo = "help@example.com"
        settings.mailBcc = "team@example.com"
        settings.mailCommand = "/usr/bin/msmtp -t"
        settings.noticeLanguage = "fi"
        try Self.check(settings, Self.keys.settings)
    }

    @Test func ordersAndWhatTheyHold() throws {
        try Self.check(Self.order, Self.keys.order)
        try Self.check(Self.order.customer, Self.keys.customer)
        try Self.check(try #require(Self.order.shippingAddress), Self.keys.address)
        try Self.check(Self.order.lineItems[0], Self.keys.lineItem)
        try Self.check(Self.refund, Self.keys.refund)
        try Self.check(Self.refund.transactions[0], Self.keys.transaction)
        try Self.check(Self.refund.orderAdjustments[0], Self.keys.orderAdjustment)
        try Self.check(Self.refund.refundLineItems[0], Self.keys.refundLineItem)
        try Self.check(try #require(Self.order.cancellation), Self.keys.cancellationRecord)
        try Self.check(Self.order.timeline[0], Self.keys.timelineEntry)
    }

    @Test func otherRecords() throws {
        try Self.check(
            Feedback(id: 1, order: "#1001", email: "a@example.org", rating: 4, text: "ok", agent: "ann", at: Self.at),
            Self.keys.feedback)
        try Self.check(Self.notice, Self.keys.notice)
        try Self.check(RestockLine(lineItemId: 5, sku: "A-1", quantity: 2), Self.keys.restockLine)
        try Self.check(BatchOrigin(script: "fix.txt", line: 3, hash: "00ff"), Self.keys.batchOrigin)
    }

    /// The changes an event line holds flat beside the event's own members.
    @Test func changes() throws {
        try Self.check(SettingChange(key: "auto-restock", value: "off", previous: "on"), Self.keys.settingChange)
        try Self.check(
            Cancellation(
                order: "#1001", reason: .staff, note: "n", refundMode: .now, refund: Self.refund, voids: Self.refund.transactions,
                restocked: [RestockLine(lineItemId: 5, sku: "A-1", quantity: 1)], notice: Self.notice, offer: "10% off"),
            Self.keys.cancellation)
        try Self.check(
            RefundChange(
                order: "#1001", refund: Self.refund, restocked: [RestockLine(lineItemId: 5, sku: "A-1", quantity: 1)],
                notice: Self.notice),
            Self.keys.refundChange)
        try Self.check(PaymentChange(order: "#1001", transactions: Self.refund.transactions), Self.keys.paymentChange)
        try Self.check(RestockChange(order: "#1001", lines: []), Self.keys.restockChange)
        try Self.check(
            Recreation(original: "#1001", order: Self.order, taken: [], moved: Self.refund, notice: Self.notice),
            Self.keys.recreation)
        try Self.check(ImportChange(source: "orders.csv", orders: [Self.order], inventory: ["A": 1]), Self.keys.importChange)
        try Self.check(Self.delivery, Self.keys.noticeDelivery)
    }

    /// A notice delivery is read with its outcome (the event's type), so its sample goes through
    /// a wrapper that decodes it as `notice.failed`.
    struct Delivery: Codable {
        var d: NoticeDelivery
        init(_ d: NoticeDelivery) { self.d = d }
        init(from decoder: any Decoder) throws { d = try NoticeDelivery(from: decoder, outcome: .failed) }
        func encode(to encoder: any Encoder) throws { try d.encode(to: encoder) }
    }

    static var delivery: Delivery {
        Delivery(
            NoticeDelivery(
                noticeId: 7, order: "#1001", outcome: .failed, attempts: 2, reason: "exit 1", mta: "ok", nextAttempt: at,
                messageId: "<a@b.c>", from: "shop@example.com", replyTo: "help@example.com", bcc: "team@example.com"))
    }

    // MARK: Journal lines

    /// The line table holds every member of the event and of every change, once; each type read
    /// from a line finds its members there.
    @Test func journalLineMembers() {
        var all = Set(Event.CodingKeys.allCases.map(\.stringValue))
        for keys in [
            SettingChange.CodingKeys.allCases.map(\.stringValue), Cancellation.CodingKeys.allCases.map(\.stringValue),
            RefundChange.CodingKeys.allCases.map(\.stringValue), PaymentChange.CodingKeys.allCases.map(\.stringValue),
            RestockChange.CodingKeys.allCases.map(\.stringValue),
            Recreation.CodingKeys.allCases.map(\.stringValue), ImportChange.CodingKeys.allCases.map(\.stringValue),
            SnapshotEditAccepted.CodingKeys.allCases.map(\.stringValue), ImportUpdate.CodingKeys.allCases.map(\.stringValue),
            NoticeDelivery.CodingKeys.allCases.map(\.stringValue),
        ] {
            all.formUnion(keys)
        }
        #expect(FastKeys.lineNames == Self.sorted(Array(all)))
        #expect(Self.keys.line.count == all.count)
        Self.checkSlots(Self.keys.event, "Event")
        Self.checkSlots(Self.keys.settingChange, "SettingChange")
        Self.checkSlots(Self.keys.cancellation, "Cancellation")
        Self.checkSlots(Self.keys.refundChange, "RefundChange")
        Self.checkSlots(Self.keys.paymentChange, "PaymentChange")
        Self.checkSlots(Self.keys.restockChange, "RestockChange")
        Self.checkSlots(Self.keys.recreation, "Recreation")
        Self.checkSlots(Self.keys.importChange, "ImportChange")
        Self.checkSlots(Self.keys.noticeDelivery, "NoticeDelivery")
    }

    /// Each kind of line is written as the event's members and its change's, sorted together.
    @Test func journalLinesAreWrittenInSortedOrder() {
        let own = Event.CodingKeys.allCases.map(\.stringValue)
        func expected<Key: CodingKey & CaseIterable>(_: Key.Type) -> [String] {
            Self.sorted(own + Key.allCases.map(\.stringValue))
        }
        #expect(Self.keys.settingChangedLine.names == expected(SettingChange.CodingKeys.self))
        #expect(Self.keys.orderCancelledLine.names == expected(Cancellation.CodingKeys.self))
        #expect(Self.keys.orderRefundedLine.names == expected(RefundChange.CodingKeys.self))
        #expect(Self.keys.orderRestockedLine.names == expected(RestockChange.CodingKeys.self))
        #expect(Self.keys.nestedLine.names == Self.sorted(own))
        #expect(Self.keys.orderRecreatedLine.names == expected(Recreation.CodingKeys.self))
        #expect(Self.keys.ordersImportedLine.names == expected(ImportChange.CodingKeys.self))
        #expect(Self.keys.editAcceptedLine.names == expected(SnapshotEditAccepted.CodingKeys.self))
        #expect(Self.keys.noticeDeliveryLine.names == expected(NoticeDelivery.CodingKeys.self))
    }

    // MARK: Checks

    /// `fields` against `T`'s `CodingKeys` and its `Codable` conformance, through `sample`, a
    /// value with every optional member set.
    static func check<T: Codable, Key: CodingKey & CaseIterable>(
        _ sample: T, _ fields: Fields<Key>, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let type = "\(T.self)"
        let names = sorted(Key.allCases.map(\.stringValue))
        #expect(fields.names == names, "\(type): the table is not its CodingKeys, sorted", sourceLocation: sourceLocation)
        for k in 0..<fields.count {
            let name = fields.names[k]
            #expect(fields[k].stringValue == name, "\(type).\(name): field \(k) has the key \(fields[k])", sourceLocation: sourceLocation)
            #expect(field(of: name, in: fields.table) == k, "\(type).\(name): not found at \(k)", sourceLocation: sourceLocation)
            let written = String(decoding: UnsafeRawBufferPointer(fields.written(k)), as: UTF8.self)
            #expect(written == "\"\(name)\":", "\(type).\(name): written as \(written)", sourceLocation: sourceLocation)
        }

        // What the model lets a document leave out, member by member.
        let object = try #require(
            try JSONSerialization.jsonObject(with: JSONEncoder().encode(sample)) as? [String: Any], sourceLocation: sourceLocation)
        for k in 0..<fields.count {
            let name = fields.names[k]
            guard object[name] != nil else {
                Issue.record("\(type).\(name): missing from the sample; give it a value", sourceLocation: sourceLocation)
                continue
            }
            var without = object
            without[name] = nil
            let data = try JSONSerialization.data(withJSONObject: without)
            let mayBeLeftOut = (try? JSONDecoder().decode(T.self, from: data)) != nil
            #expect(
                mayBeLeftOut == !fields.isRequired(k),
                """
                \(type).\(name): the model \(mayBeLeftOut ? "lets it be left out" : "requires it"), the fast codec has it \
                as \(fields.isRequired(k) ? "required" : "optional") (FastKeys' optional list)
                """,
                sourceLocation: sourceLocation)
        }
    }

    /// Each field of a type read from a journal line has its slot in the line table.
    static func checkSlots<Key>(_ fields: Fields<Key>, _ type: String, sourceLocation: SourceLocation = #_sourceLocation) {
        for k in 0..<fields.count {
            let slot = fields.slot(k)
            let name = fields.names[k]
            #expect(
                slot >= 0 && slot < FastKeys.lineNames.count && FastKeys.lineNames[slot] == name,
                "\(type).\(name): slot \(slot) in the line table", sourceLocation: sourceLocation)
        }
    }

    static func field(of name: String, in table: KeyTable) -> Int {
        var guess = 0
        return Array(name.utf8).withUnsafeBufferPointer { table.field($0, guess: &guess) }
    }

    static func sorted(_ names: [String]) -> [String] {
        names.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    // MARK: Samples, every optional member set

    static var notice: Notice {
        var n = Notice(
            id: 7, at: at, order: "#1001", to: "a@example.org", subject: "Your order", body: "Hello", agent: "ann", toName: "Zoë",
            language: "fi", status: .failed, reason: "exit 1")
        n.attempts = 1
        n.nextAttempt = at
        n.sentAt = at
        n.mta = "ok"
        n.messageId = "<a@b.c>"
        n.from = "shop@example.com"
        n.replyTo = "help@example.com"
        n.bcc = "team@example.com"
        return n
    }

    static var refund: Refund {
        Refund(
            id: 11, createdAt: at, note: "damaged",
            transactions: [
                Transaction(
                    id: 12, kind: .refund, amount: Money("4.50")!, currency: "EUR", gateway: "shopify_payments", parentId: 10,
                    createdAt: at, transfer: "#1002")
            ],
            refundLineItems: [
                RefundLineItem(lineItemId: 5, quantity: 1, restockType: .cancel, subtotal: Money("4.50")!, totalTax: Money("0.75")!)
            ],
            orderAdjustments: [OrderAdjustment(kind: "shipping_refund", amount: Money("-4.90")!, taxAmount: .zero)])
    }

    static var order: Order {
        var o = FastStoreDecoder.emptyOrder
        o.id = 9
        o.name = "#1001"
        o.orderNumber = 1001
        o.email = "a@example.org"
        o.createdAt = at
        o.currency = "EUR"
        o.cancelReason = .staff
        o.cancellation = CancellationRecord(agent: "ann", reason: .shipping, note: "asked by phone", refund: .later, notified: true)
        o.cancelledAt = at
        o.closedAt = at
        o.fulfillmentStatus = .partial
        o.note = "gift"
        o.recreatedAs = "#1002"
        o.recreatedFrom = "#1000"
        o.customerLocale = "fi-FI"
        o.customer = Customer(id: 3, email: "a@example.org", firstName: "A", lastName: "B")
        o.shippingAddress = Address(name: "A B", address1: "1 Main St", city: "Lyon", zip: "69002", country: "France")
        o.lineItems = [
            LineItem(id: 5, sku: "A-1", title: "Mug", variantTitle: "Blue", quantity: 2, price: Money("9.90")!, fulfilledQuantity: 1)
        ]
        o.refunds = [refund]
        o.transactions = [
            Transaction(
                id: 10, kind: .capture, amount: Money("19.80")!, currency: "EUR", gateway: "gift_card", parentId: 9, createdAt: at,
                transfer: "#1000")
        ]
        o.taxesIncluded = true
        o.timeline = [TimelineEntry(at: at, agent: "ann", seq: 4, message: "Cancelled")]
        return o
    }
}
