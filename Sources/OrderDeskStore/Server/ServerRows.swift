import OrderDeskCore

/// What one change (or one group of changes) writes to a server store, in one statement: its
/// events, and the rows of the state tables that they changed.
///
/// Each part goes as one parameter, so a group of ten thousand cancels is still one statement
/// and one round trip. The events and the orders go as lines of JSON, one each, which the
/// server parses one by one (a JSON array of them took it about half as long again: parsed
/// whole, then each element copied out).
struct ServerRows {
    /// The events' lines, `\n` between them (JSON as the store writes it has no raw newline).
    var events: [UInt8] = []
    /// The changed orders' documents, `\n` between them, and their places in the list.
    var orders: [UInt8] = []
    var positions: [Int] = []
    /// Orders that only moved (`{"name":…,"pos":…}`): an import of older orders sorts the list.
    var moved: [UInt8] = [UInt8(ascii: "[")]
    var inventory: [String: Int] = [:]
    var removedSKUs: [String] = []
    var feedback: [UInt8] = [UInt8(ascii: "[")]
    var outbox: [UInt8] = [UInt8(ascii: "[")]
    var settings: [UInt8]?
    var head: Int

    /// What the rows are compared with: the parts of the state before the change that are
    /// written by difference. Not the orders (the changed ones are named by the events), and of
    /// feedback and the outbox only their lengths while the events can only append to them, so
    /// that holding it does not make the change copy every order or every message (which cost
    /// about 28 ms per change at 100k orders).
    struct Before {
        var inventory: [String: Int]
        var settings: Settings
        var feedbackCount: Int
        var outboxCount: Int
        /// The lists themselves, kept for events that may change them in place (see ``keepLists(of:)``).
        var feedback: [Feedback]?
        var outbox: [Notice]?
        var orderCount: Int
        /// The orders' names in their places, kept for an import (which may sort the list).
        var orderNames: [String]?

        /// The state's parts, for `events` (nil: not known yet, as when a group begins; call
        /// ``keepLists(of:)`` before applying each event that comes).
        init(_ state: StoreState, for events: [Event]?) {
            inventory = state.inventory
            settings = state.settings
            feedbackCount = state.feedback.count
            outboxCount = state.outbox.count
            orderCount = state.orders.count
            if let events { keepLists(of: state, before: events) }
        }

        /// Before `events` are applied to `state` (which holds only appends since this was
        /// made): keeps the lists as they were when an event may change them otherwise than by
        /// appending.
        mutating func keepLists(of state: StoreState, before events: [Event]) {
            if orderNames == nil, events.contains(where: { if case .ordersImported = $0.change { true } else { false } }) {
                orderNames = state.orders.prefix(orderCount).map(\.name)
            }
            guard feedback == nil, !events.allSatisfy({ Self.onlyAppendsToLists($0.change) }) else { return }
            feedback = Array(state.feedback.prefix(feedbackCount))
            outbox = Array(state.outbox.prefix(outboxCount))
        }

        /// Whether a change leaves the existing entries of feedback and the outbox as they are
        /// (it may append): every change `StoreState.apply` knows today but an accepted snapshot
        /// edit and an import update; a new kind of change is compared in full until listed here.
        static func onlyAppendsToLists(_ change: Change) -> Bool {
            switch change {
            case .settingChanged, .orderCancelled, .orderRefunded, .orderReturned, .paymentRecorded, .orderRestocked,
                .customerNotified, .feedbackLogged, .orderRecreated, .ordersImported:
                return true
            default:
                return false
            }
        }
    }

    init(events list: [Event], before: Before, after: StoreState) {
        head = after.seq
        for event in list {
            if !events.isEmpty { events.append(UInt8(ascii: "\n")) }
            events += FastStoreEncoder.event(event)
        }

        var names = Set<String>()
        for event in list {
            names.formUnion(event.change.orderNames)
            if case .ordersImported(let change) = event.change { names.formUnion(change.orders.map(\.name)) }
        }
        for name in names.sorted() {
            guard let position = after.position(of: name) else { continue }
            let order = after.orders[position]
            if !orders.isEmpty { orders.append(UInt8(ascii: "\n")) }
            orders += FastStoreEncoder.document { $0.order(order) }
            positions.append(position)
        }
        if let earlier = before.orderNames, earlier.count != after.orders.count {
            let shifted = zip(earlier, after.orders).contains { $0 != $1.name }
            if shifted {
                let places = Dictionary(earlier.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
                for (position, order) in after.orders.enumerated() where !names.contains(order.name) {
                    guard places[order.name] != position else { continue }
                    var e = FastStoreEncoder(capacity: 48)
                    e.raw("{\"name\":")
                    e.string(order.name)
                    e.raw(",\"pos\":")
                    e.int(position)
                    e.byte(UInt8(ascii: "}"))
                    Self.append(e.out, to: &moved)
                }
            }
        }
        moved.append(UInt8(ascii: "]"))

        if before.inventory != after.inventory {
            for (sku, units) in after.inventory where before.inventory[sku] != units { inventory[sku] = units }
            removedSKUs = before.inventory.keys.filter { after.inventory[$0] == nil }.sorted()
        }
        Self.changed(before.feedback, count: before.feedbackCount, after.feedback, into: &feedback) { f in
            FastStoreEncoder.document { $0.feedback(f) }
        }
        Self.changed(before.outbox, count: before.outboxCount, after.outbox, into: &outbox) { n in
            FastStoreEncoder.document { $0.notice(n) }
        }
        if before.settings != after.settings {
            settings = FastStoreEncoder.document { $0.settings(after.settings) }
        }
    }

    /// The rows of a list whose elements differ from before (by position: lists only grow or
    /// change in place); without the list before, those past its length `count` (it only grew).
    private static func changed<T: Equatable>(
        _ before: [T]?, count: Int, _ after: [T], into out: inout [UInt8], _ encode: (T) -> [UInt8]
    ) {
        if let before {
            if before != after {
                for i in after.indices where i >= before.count || before[i] != after[i] {
                    append(row(i, encode(after[i])), to: &out)
                }
            }
        } else {
            for i in after.indices where i >= count {
                append(row(i, encode(after[i])), to: &out)
            }
        }
        out.append(UInt8(ascii: "]"))
    }

    /// `{"pos":N,"doc":DOC}`.
    private static func row(_ position: Int, _ doc: [UInt8]) -> [UInt8] {
        var e = FastStoreEncoder(capacity: doc.count + 24)
        e.raw("{\"pos\":")
        e.int(position)
        e.raw(",\"doc\":")
        return e.out + doc + [UInt8(ascii: "}")]
    }

    /// Appends an element to a JSON array being written (its `[` already there).
    private static func append(_ element: [UInt8], to array: inout [UInt8]) {
        if array.count > 1 { array.append(UInt8(ascii: ",")) }
        array += element
    }

    /// The one statement that writes everything (`schema` is a checked identifier): only the
    /// parts this change has (a cancel writes no feedback, settings or moved orders), which saves
    /// the server about a tenth of a millisecond per change. Its parameters are always the same
    /// eleven, declared as text (``PGConnection/executePrepared(_:_:)``), used or not.
    func statement(schema s: String) -> String {
        var parts: [String] = []
        if !events.isEmpty {
            parts.append(
                """
                ev AS (
                    INSERT INTO \(s).events (change_id, line)
                    SELECT $2::uuid, unnest(string_to_array($1, E'\\n'))
                )
                """)
        }
        if !positions.isEmpty {
            parts.append(
                """
                od AS (
                    INSERT INTO \(s).orders (name, id, pos, seq, doc)
                    SELECT doc->>'name', (doc->>'id')::bigint, pos, $8::bigint, doc
                    FROM (SELECT d::jsonb AS doc, pos FROM unnest(string_to_array($3, E'\\n'), $11::bigint[]) AS r(d, pos) OFFSET 0) AS r
                    ON CONFLICT (name) DO UPDATE SET id = excluded.id, pos = excluded.pos, seq = excluded.seq, doc = excluded.doc
                )
                """)
        }
        if moved.count > 2 {
            parts.append(
                """
                mv AS (
                    UPDATE \(s).orders AS o SET pos = (m->>'pos')::bigint
                    FROM jsonb_array_elements($10::jsonb) AS m WHERE o.name = m->>'name'
                )
                """)
        }
        if !inventory.isEmpty {
            parts.append(
                """
                iu AS (
                    INSERT INTO \(s).inventory (sku, available)
                    SELECT key, value::integer FROM jsonb_each_text($4::jsonb)
                    ON CONFLICT (sku) DO UPDATE SET available = excluded.available
                )
                """)
        }
        if !removedSKUs.isEmpty {
            parts.append("idel AS (DELETE FROM \(s).inventory WHERE sku IN (SELECT jsonb_array_elements_text($5::jsonb)))")
        }
        if feedback.count > 2 {
            parts.append(
                """
                fb AS (
                    INSERT INTO \(s).feedback (pos, doc)
                    SELECT (r->>'pos')::bigint, r->'doc' FROM jsonb_array_elements($6::jsonb) AS r
                    ON CONFLICT (pos) DO UPDATE SET doc = excluded.doc
                )
                """)
        }
        if outbox.count > 2 {
            parts.append(
                """
                ob AS (
                    INSERT INTO \(s).outbox (pos, doc)
                    SELECT (r->>'pos')::bigint, r->'doc' FROM jsonb_array_elements($7::jsonb) AS r
                    ON CONFLICT (pos) DO UPDATE SET doc = excluded.doc
                )
                """)
        }
        if settings != nil {
            parts.append("st AS (UPDATE \(s).settings SET doc = $9::jsonb)")
        }
        let with = parts.isEmpty ? "" : "WITH " + parts.joined(separator: ", ") + "\n"
        return with + "UPDATE \(s).head SET seq = $8::bigint"
    }

    /// The statement's parameters, in order.
    func parameters(changeID: String) -> [PGText?] {
        var inventoryJSON = FastStoreEncoder(capacity: 64 + inventory.count * 24)
        inventoryJSON.stringIntMap(inventory)
        var removed = FastStoreEncoder(capacity: 16 + removedSKUs.count * 16)
        removed.byte(UInt8(ascii: "["))
        for (i, sku) in removedSKUs.enumerated() {
            if i > 0 { removed.byte(UInt8(ascii: ",")) }
            removed.string(sku)
        }
        removed.byte(UInt8(ascii: "]"))
        return [
            PGText(events), PGText(changeID), PGText(orders), PGText(inventoryJSON.out), PGText(removed.out), PGText(feedback),
            PGText(outbox), PGText(String(head)), settings.map { PGText($0) }, PGText(moved),
            PGText("{" + positions.map(String.init).joined(separator: ",") + "}"),
        ]
    }
}
