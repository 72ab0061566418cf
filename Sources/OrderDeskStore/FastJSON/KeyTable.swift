import Glibc

/// The member names of one type, for finding a member's field number fast.
///
/// The store writes members in sorted order, so the member after field `k` is usually the
/// name listed after it: that guess is compared first, straight against the document's bytes
/// (the name and its closing quote, eight bytes at a time), then every name.
///
/// Made once and never freed; copies share the storage and cost nothing (no reference counting).
struct KeyTable: @unchecked Sendable {
    /// One name: its bytes followed by the closing quote and the colon (`name":`, the compact
    /// form the store writes), as up to three masked words.
    struct Entry {
        var length: Int
        var bytes: UnsafeMutablePointer<UInt8>
        var words: (UInt64, UInt64, UInt64)
        var masks: (UInt64, UInt64, UInt64)
        /// Words used: `(length + 2 + 7) / 8`, or -1 when the name is too long for them.
        var wordCount: Int
    }

    private let entries: UnsafeMutablePointer<Entry>
    let count: Int

    /// `names` in the caller's field order; they need not be sorted.
    init(_ names: [String]) {
        count = names.count
        entries = UnsafeMutablePointer<Entry>.allocate(capacity: max(1, names.count))
        for (k, name) in names.enumerated() {
            let utf8 = Array(name.utf8)
            let bytes = UnsafeMutablePointer<UInt8>.allocate(capacity: utf8.count + 1)
            bytes.initialize(from: utf8, count: utf8.count)
            bytes[utf8.count] = UInt8(ascii: "\"")
            var words: [UInt64] = [0, 0, 0]
            var masks: [UInt64] = [0, 0, 0]
            let quoted = utf8 + [UInt8(ascii: "\""), UInt8(ascii: ":")]
            let fits = quoted.count <= 24
            if fits {
                for (i, byte) in quoted.enumerated() {
                    words[i / 8] |= UInt64(byte) << UInt64((i % 8) * 8)
                    masks[i / 8] |= 0xFF << UInt64((i % 8) * 8)
                }
            }
            entries[k] = Entry(
                length: utf8.count, bytes: bytes, words: (words[0], words[1], words[2]),
                masks: (masks[0], masks[1], masks[2]), wordCount: fits ? (quoted.count + 7) / 8 : -1)
        }
    }

    /// Whether the bytes at `p` (just after an opening quote) are name `k`, its closing quote and
    /// a colon right after it. Reads 24 bytes from `p`: the caller makes sure they are there.
    @inline(__always)
    func isAt(_ p: UnsafePointer<UInt8>, _ k: Int) -> Bool {
        let e = entries + k
        let raw = UnsafeRawPointer(p)
        if raw.loadUnaligned(as: UInt64.self) & e.pointee.masks.0 != e.pointee.words.0 { return false }
        let n = e.pointee.wordCount
        if n == 1 { return true }
        if n < 0 { return false }
        if raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self) & e.pointee.masks.1 != e.pointee.words.1 { return false }
        if n == 2 { return true }
        return raw.loadUnaligned(fromByteOffset: 16, as: UInt64.self) & e.pointee.masks.2 == e.pointee.words.2
    }

    /// The length of name `k` in bytes.
    @inline(__always)
    func length(_ k: Int) -> Int { entries[k].length }

    /// The field number of a member name (without quotes), or -1 for a name the type does not
    /// have. `guess` is the field tried first; it becomes the one after the field found.
    @inline(__always)
    func field(_ name: UnsafeBufferPointer<UInt8>, guess: inout Int) -> Int {
        let n = name.count
        if guess < count, matches(name, n, guess) {
            let found = guess
            guess += 1
            return found
        }
        for k in 0..<count where matches(name, n, k) {
            guess = k + 1
            return k
        }
        return -1
    }

    @inline(__always)
    private func matches(_ name: UnsafeBufferPointer<UInt8>, _ n: Int, _ k: Int) -> Bool {
        let e = entries[k]
        return e.length == n && (n == 0 || memcmp(name.baseAddress!, e.bytes, n) == 0)
    }
}
