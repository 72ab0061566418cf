/// `find`'s test of one order, without making a folded copy of every field of every order.
///
/// The test is, field by field, on text folded as people type it (``TextFold``: lowercased and
/// without accents, so `zoe` finds `Zoë`): the folded name equals the text, or the text without
/// its `#` is the order's number; or the folded email, the customer's full name or a line's SKU
/// contains the text; or a tag of the comma-separated list, trimmed of spaces, equals it.
/// (`Desk.find` adds: a text of several words also finds an order that each word finds, in any
/// order.)
///
/// For a text that is printable ASCII once folded (bytes 0x20–0x7E, not empty, without `;` or `` ` ``):
/// - a field that is printable ASCII is tested on its bytes in place: folding it is A–Z to
///   a–z and every character is one byte, so the result is exactly the same;
/// - any other field is folded and tested as a string. The state's ``FindIndex`` holds every
///   field folded, so it can say "no" for most orders before any field is looked at.
///
/// The differential test in FastCodecTests holds the two to the same results.
struct FindMatcher {
    /// The text folded, as searched for.
    let needle: String
    /// The text without a leading `#`, compared with order numbers.
    let number: String
    /// `needle`'s bytes when it is printable ASCII and not empty; nil otherwise.
    private let needleBytes: [UInt8]?
    /// `number` as an order number, when it is one written without leading zeros.
    private let numberValue: Int?

    init(_ text: String) {
        needle = TextFold.fold(text)
        number = needle.hasPrefix("#") ? String(needle.dropFirst()) : needle
        let bytes = Array(needle.utf8)
        needleBytes =
            !bytes.isEmpty && bytes.allSatisfy(Self.isPrintable) && !bytes.contains(UInt8(ascii: ";"))
                && !bytes.contains(UInt8(ascii: "`")) ? bytes : nil
        let typed = number
        numberValue = OrderName.number(typed).flatMap { String($0) == typed ? $0 : nil }
    }

    @inline(__always)
    static func isPrintable(_ byte: UInt8) -> Bool { byte >= 0x20 && byte < 0x7F }

    /// Whether the order matches. It is read in place: a copy of a whole order costs more than
    /// the test. `indexed` is what the state's ``FindIndex`` says of its email, name and SKUs
    /// (nil when the text is not one the index can answer for).
    func matches(_ o: UnsafePointer<Order>, indexed: (hit: Bool, kind: FindIndex.Kind)?) -> Bool {
        if nameMatches(o) { return true }
        switch indexed {
        case .some((true, .printable)): return true
        case .some((false, _)): break
        default: if substringMatches(o) { return true }
        }
        return tagMatches(o.pointee.tags)
    }

    /// The email, full name or a SKU contains the text (field by field, with the shortcuts).
    private func substringMatches(_ o: UnsafePointer<Order>) -> Bool {
        if contains(o.pointee.email) || fullNameContains(o.pointee.customer) { return true }
        let lines = o.pointee.lineItems
        for i in lines.indices where contains(lines[i].sku) { return true }
        return false
    }

    /// The index's answer for each order, when the text is one it can answer for.
    func hits(in index: FindIndex) -> [Bool]? {
        needleBytes.map { index.hits($0) }
    }

    /// `fold(name) == needle || String(orderNumber) == number`: the name as the shop
    /// writes it, ignoring case, or the order's number (`2065` finds `Her2065`).
    private func nameMatches(_ o: UnsafePointer<Order>) -> Bool {
        if let numberValue, o.pointee.orderNumber == numberValue { return true }
        let name = o.pointee.name
        if let needleBytes,
            let same = Self.withBytes(
                name,
                { bytes -> Bool? in
                    guard FindIndex.isPrintable(bytes) else { return nil }
                    return bytes.count == needleBytes.count
                        && needleBytes.withUnsafeBufferPointer { needle in
                            (0..<needle.count).allSatisfy { Self.lower(bytes[$0]) == needle[$0] }
                        }
                })
        {
            return same
        }
        return TextFold.fold(name) == needle
    }

    /// `fold(field).contains(needle)`.
    private func contains(_ field: String) -> Bool {
        if let needleBytes, let known = Self.withBytes(field, { Self.contains(needleBytes, in: $0) }) {
            return known
        }
        return TextFold.fold(field).contains(needle)
    }

    /// `fold(customer.fullName).contains(needle)`.
    private func fullNameContains(_ customer: borrowing Customer) -> Bool {
        if let needleBytes,
            let known = Self.withBytes(
                customer.firstName,
                { first in
                    Self.withBytes(customer.lastName) { last -> Bool? in
                        // The full name is the non-empty ones joined by a space.
                        if first.isEmpty { return Self.contains(needleBytes, in: last) }
                        if last.isEmpty { return Self.contains(needleBytes, in: first) }
                        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: first.count + 1 + last.count) { joined in
                            _ = joined.initialize(fromContentsOf: first)
                            joined[first.count] = 0x20
                            _ = UnsafeMutableBufferPointer(rebasing: joined[(first.count + 1)...]).initialize(fromContentsOf: last)
                            return Self.contains(needleBytes, in: UnsafeBufferPointer(joined))
                        }
                    }
                })
        {
            return known
        }
        return TextFold.fold(customer.fullName).contains(needle)
    }

    /// `fold(tags).split(separator: ",").contains { $0.trimmingSpaces == needle }`.
    private func tagMatches(_ tags: String) -> Bool {
        if let needleBytes, let known = Self.withBytes(tags, { Self.isTag(needleBytes, in: $0) }) {
            return known
        }
        return TextFold.fold(tags).split(separator: ",").contains { $0.trimmingSpaces == needle }
    }

    /// Whether a field contains the text, when that can be told from its bytes (printable ASCII); nil otherwise.
    @inline(__always)
    private static func contains(_ needle: [UInt8], in field: UnsafeBufferPointer<UInt8>) -> Bool? {
        FindIndex.isPrintable(field) ? search(needle, in: field) : nil
    }

    /// Whether a tag of the list is the text, when that can be told from the bytes; nil otherwise.
    @inline(__always)
    private static func isTag(_ needle: [UInt8], in tags: UnsafeBufferPointer<UInt8>) -> Bool? {
        guard FindIndex.isPrintable(tags) else { return nil }
        var start = 0
        while start <= tags.count {
            var end = start
            while end < tags.count && tags[end] != UInt8(ascii: ",") { end += 1 }
            // Empty pieces are left out by `split`; the others are trimmed of spaces.
            if end > start {
                var a = start
                var b = end
                while a < b && tags[a] == 0x20 { a += 1 }
                while b > a && tags[b - 1] == 0x20 { b -= 1 }
                if b - a == needle.count && (0..<(b - a)).allSatisfy({ lower(tags[a + $0]) == needle[$0] }) {
                    return true
                }
            }
            start = end + 1
        }
        return false
    }

    // MARK: Bytes

    /// `body` over the string's UTF-8.
    @inline(__always)
    private static func withBytes<R>(_ s: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        if let result = s.utf8.withContiguousStorageIfAvailable(body) { return result }
        // Not contiguous (not expected for native strings): make it so.
        var copy = s
        copy.makeContiguousUTF8()
        return copy.utf8.withContiguousStorageIfAvailable(body)!
    }

    @inline(__always)
    private static func lower(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
    }

    /// Whether `needle` (lowercase, not empty) occurs in `haystack` lowercased.
    @inline(__always)
    private static func search(_ needle: [UInt8], in haystack: UnsafeBufferPointer<UInt8>) -> Bool {
        let m = needle.count
        let n = haystack.count
        guard m <= n else { return false }
        return needle.withUnsafeBufferPointer { needle in
            let first = needle[0]
            var i = 0
            while i <= n - m {
                if lower(haystack[i]) == first {
                    var k = 1
                    while k < m && lower(haystack[i + k]) == needle[k] { k += 1 }
                    if k == m { return true }
                }
                i += 1
            }
            return false
        }
    }
}
