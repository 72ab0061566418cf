import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// The text `find` searches for substrings (each order's email, the customer's full name and the
/// SKUs), with A–Z lowercased, back to back in one buffer: one pass over a few megabytes (`memchr`
/// for the text's rarest byte) instead of lowercased copies of every field of every order.
///
/// Built on the first `find` of a state and kept with it (``StoreState`` drops it when orders
/// change). Only a filter: ``FindMatcher`` decides, exactly as the field-by-field test would.
struct FindIndex: Sendable {
    /// What an order's indexed fields hold.
    enum Kind: UInt8, Sendable {
        /// Only printable ASCII once folded: a match in its text is a match of the field-by-field test.
        case printable
        /// Other bytes too once folded (other scripts, control characters, joiners): no match in
        /// its text means no match; a match must be confirmed by the field-by-field test.
        case other
    }

    /// Every order's fields, each followed by a 0 byte (never in a searched text).
    private(set) var text: [UInt8] = []
    /// Where each order's fields start in `text`; one more entry for the end.
    private(set) var starts: [Int] = [0]
    private(set) var kinds: [Kind] = []
    /// How often each byte occurs in (a sample of) `text`, to look for a text's rarest byte.
    private var frequencies = [Int](repeating: 0, count: 256)

    init(_ orders: [Order]) {
        text.reserveCapacity(orders.count * 96)
        kinds.reserveCapacity(orders.count)
        starts.reserveCapacity(orders.count + 1)
        orders.withUnsafeBufferPointer { orders in
            for i in orders.indices {
                var kind = Kind.printable
                add(orders[i].email, &kind)
                let first = orders[i].customer.firstName
                let last = orders[i].customer.lastName
                // The full name: the non-empty ones, joined by a space.
                if first.isEmpty {
                    add(last, &kind)
                } else if last.isEmpty {
                    add(first, &kind)
                } else if FindIndex.isPrintable(first) && FindIndex.isPrintable(last) {
                    add(first, &kind, end: false)
                    text.append(0x20)
                    add(last, &kind)
                } else {
                    add(orders[i].customer.fullName, &kind)
                }
                for line in orders[i].lineItems.indices { add(orders[i].lineItems[line].sku, &kind) }
                kinds.append(kind)
                starts.append(text.count)
            }
        }
        // Byte frequencies from every eighth byte: only to pick a text's rarest byte.
        text.withUnsafeBufferPointer { text in
            var i = 0
            while i < text.count {
                frequencies[Int(text[i])] += 1
                i += 8
            }
        }
    }

    /// Adds a field: printable ASCII with A–Z lowercased in place; any other text folded
    /// (``TextFold``: lowercased, without accents), so that an ASCII word found in the folded
    /// field is found in the index too.
    private mutating func add(_ field: String, _ kind: inout Kind, end: Bool = true) {
        if FindIndex.isPrintable(field) {
            let added: Void? = field.utf8.withContiguousStorageIfAvailable { bytes in add(bytes) }
            if added == nil {
                var copy = field
                copy.makeContiguousUTF8()
                copy.withUTF8 { bytes in add(bytes) }
            }
        } else {
            var folded = TextFold.fold(field)
            folded.withUTF8 { bytes in
                if !FindIndex.isPrintable(bytes) { kind = .other }
                add(bytes)
            }
        }
        if end { text.append(0) }
    }

    private mutating func add(_ bytes: UnsafeBufferPointer<UInt8>) {
        let start = text.count
        text.append(contentsOf: bytes)
        text.withUnsafeMutableBufferPointer { text in
            FindIndex.lowercase(UnsafeMutableBufferPointer(rebasing: text[start...]))
        }
    }

    /// Whether a string is printable ASCII.
    static func isPrintable(_ field: String) -> Bool {
        if let known = field.utf8.withContiguousStorageIfAvailable({ isPrintable($0) }) { return known }
        return field.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
    }

    /// Whether every byte is printable ASCII, eight at a time.
    @inline(__always)
    static func isPrintable(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        var i = 0
        let n = bytes.count
        let raw = UnsafeRawPointer(bytes.baseAddress)
        while i + 8 <= n, let raw {
            let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            // A byte below 0x20 borrows, one at 0x7F or above carries or has its high bit set.
            if ((w &- ones &* 0x20) | w | (w &+ ones)) & (ones &* 0x80) != 0 { return false }
            i += 8
        }
        while i < n {
            let b = bytes[i]
            if b < 0x20 || b >= 0x7F { return false }
            i += 1
        }
        return true
    }

    /// A–Z to a–z in place, eight bytes at a time; other bytes unchanged.
    @inline(__always)
    static func lowercase(_ bytes: UnsafeMutableBufferPointer<UInt8>) {
        let ones: UInt64 = 0x0101_0101_0101_0101
        var i = 0
        let n = bytes.count
        guard let raw = UnsafeMutableRawPointer(bytes.baseAddress) else { return }
        while i + 8 <= n {
            let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            let low = w & (ones &* 0x7F)
            let atLeastA = low &+ ones &* (0x80 - 0x41)
            let aboveZ = low &+ ones &* (0x80 - 0x5B)
            let upper = atLeastA & ~aboveZ & ~w & (ones &* 0x80)
            raw.storeBytes(of: w | (upper >> 2), toByteOffset: i, as: UInt64.self)
            i += 8
        }
        while i < n {
            let b = bytes[i]
            if b >= 0x41 && b <= 0x5A { bytes[i] = b | 0x20 }
            i += 1
        }
    }

    /// For each order, whether its indexed text contains `needle` (lowercase bytes, not empty).
    func hits(_ needle: [UInt8]) -> [Bool] {
        var hits = [Bool](repeating: false, count: kinds.count)
        guard !needle.isEmpty, !text.isEmpty else { return hits }
        // Look for the needle's rarest byte, then at the whole needle around it.
        var rarest = 0
        for k in needle.indices where frequencies[Int(needle[k])] < frequencies[Int(needle[rarest])] { rarest = k }
        let m = needle.count
        text.withUnsafeBufferPointer { text in
            needle.withUnsafeBufferPointer { needle in
                let base = text.baseAddress!
                let n = text.count
                let key = Int32(needle[rarest])
                var from = rarest  // where the rarest byte of a match starting at or after 0 can be
                var order = 0
                while from < n {
                    guard let found = memchr(base + from, key, n - from) else { break }
                    let at = UnsafePointer<UInt8>(found.assumingMemoryBound(to: UInt8.self)) - base
                    let start = at - rarest
                    if start + m <= n && memcmp(base + start, needle.baseAddress!, m) == 0 {
                        while starts[order + 1] <= start { order += 1 }
                        hits[order] = true
                        // On to the next order: one hit is enough.
                        from = starts[order + 1] + rarest
                    } else {
                        from = at + 1
                    }
                }
            }
        }
        return hits
    }

}

/// A state's ``FindIndex``, made on first use. A state that changes its orders gets a new, empty
/// one, so that copies of the state each keep the index of their own orders.
final class FindIndexCache: Sendable {
    private let index = Mutex<FindIndex?>(nil)

    func index(for orders: [Order]) -> FindIndex {
        index.withLock { cached in
            if let cached { return cached }
            let made = FindIndex(orders)
            cached = made
            return made
        }
    }
}
