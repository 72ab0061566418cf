import OrderDeskCore

/// The members of one stored type, taken from the model: its `CodingKeys`, sorted by their UTF-8
/// bytes, the order in which `JSONEncoder` (`.sortedKeys`) writes them.
///
/// The fast reader finds a member's field number in ``table`` and switches over the key at that
/// number (``subscript(_:)``); the fast writer goes through the field numbers in order and switches
/// over their keys too. Both switches are exhaustive, so a key added to a model type's
/// `CodingKeys` is a compile error in the codec until it is read and written there.
///
/// Made once and never freed; copies share the storage and cost nothing (no reference counting).
struct Fields<Key>: @unchecked Sendable {
    /// The names, sorted, for finding a field number from a name.
    let table: KeyTable
    /// The names, sorted (the table's order).
    let names: [String]
    let count: Int
    /// Bit `k` is set when field `k` must be present (its property is not optional).
    let required: UInt64
    private let keys: UnsafeMutablePointer<Key>
    /// `"name":` of each field, for the writer.
    private let written: UnsafeMutablePointer<UnsafeBufferPointer<UInt8>>
    /// Each field's number in the table of every journal line's members, for a change read from
    /// a flat journal line; -1 when not made for one.
    private let slots: UnsafeMutablePointer<Int>

    /// `members` in any order; those named in `optional` may be missing (or `null`). With `line`,
    /// each field's number in that table is kept too (see ``slot(_:)``).
    init(_ members: [(name: String, key: Key)], optional: Set<String> = [], line: [String]? = nil) {
        let sorted = members.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
        precondition(sorted.count <= 64, "a field number is a bit of a UInt64")
        names = sorted.map(\.name)
        count = sorted.count
        table = KeyTable(names)
        keys = UnsafeMutablePointer<Key>.allocate(capacity: max(1, count))
        keys.initialize(from: sorted.map(\.key), count: count)
        written = UnsafeMutablePointer<UnsafeBufferPointer<UInt8>>.allocate(capacity: max(1, count))
        slots = UnsafeMutablePointer<Int>.allocate(capacity: max(1, count))
        var required: UInt64 = 0
        for (k, name) in names.enumerated() {
            if !optional.contains(name) { required |= 1 << UInt64(k) }
            let bytes = Array("\"\(name)\":".utf8)
            let copy = UnsafeMutablePointer<UInt8>.allocate(capacity: bytes.count)
            copy.initialize(from: bytes, count: bytes.count)
            written[k] = UnsafeBufferPointer(start: copy, count: bytes.count)
            slots[k] = line?.firstIndex(of: name) ?? -1
        }
        self.required = required
    }

    /// The key of field `k`.
    @inline(__always)
    subscript(_ k: Int) -> Key { keys[k] }

    /// `"name":` of field `k`.
    @inline(__always)
    func written(_ k: Int) -> UnsafeBufferPointer<UInt8> { written[k] }

    /// Field `k`'s number in the table of journal line members it was made with.
    @inline(__always)
    func slot(_ k: Int) -> Int { slots[k] }

    /// Whether field `k` must be present.
    @inline(__always)
    func isRequired(_ k: Int) -> Bool { required & (1 &<< UInt64(k)) != 0 }
}

extension Fields where Key: CodingKey & CaseIterable {
    /// Every key of a model type's `CodingKeys`; `optional` are those of its optional properties
    /// (they may be missing, and the writer leaves them out when nil). A key not listed there is
    /// required: the reader steps aside (to `JSONDecoder`) when it is missing.
    init(optional: [Key] = [], line: [String]? = nil) {
        self.init(
            Key.allCases.map { (name: $0.stringValue, key: $0) }, optional: Set(optional.map(\.stringValue)), line: line)
    }
}

/// A member of a journal line: one of the event's own (``Event/CodingKeys``: `seq`, `at`,
/// `agent`, `type`, `batch`, and the nested `notice` or `feedback`) or one of its change's, which
/// the line holds flat beside them.
enum LineMember<ChangeKey> {
    case event(Event.CodingKeys)
    case change(ChangeKey)
}

extension Fields {
    /// The members of one kind of journal line: the event's own keys and its change's, together
    /// in the order they are written.
    init<ChangeKey: CodingKey>(line change: [ChangeKey]) where Key == LineMember<ChangeKey> {
        let own = Event.CodingKeys.allCases.map { (name: $0.stringValue, key: Key.event($0)) }
        self.init(own + change.map { (name: $0.stringValue, key: Key.change($0)) })
    }
}
