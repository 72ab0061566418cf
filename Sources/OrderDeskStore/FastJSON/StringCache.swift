/// Strings already made from a document's bytes, handed out again when the same bytes come back:
/// a snapshot repeats product titles, variants, cities, agents and timeline messages thousands
/// of times. A hit costs a hash and a compare instead of UTF-8 validation and, for text longer
/// than 15 bytes, an allocation; the repeats then share one buffer.
///
/// Direct-mapped: each slot holds the last string whose bytes hashed there. Only for text of at
/// most 64 bytes whose bytes are already known to be valid UTF-8.
final class StringCache {
    private static let slotBits = 13
    private static let slotCount = 1 << slotBits
    private static let maximumLength = 64

    /// Eight words of key bytes per slot, zero-padded.
    private let keys: UnsafeMutablePointer<UInt64>
    /// Each slot's key length in bytes, -1 when empty.
    private let lengths: UnsafeMutablePointer<Int>
    private let values: UnsafeMutablePointer<String>

    init() {
        keys = .allocate(capacity: Self.slotCount * 8)
        lengths = .allocate(capacity: Self.slotCount)
        lengths.initialize(repeating: -1, count: Self.slotCount)
        values = .allocate(capacity: Self.slotCount)
        values.initialize(repeating: "", count: Self.slotCount)
    }

    deinit {
        values.deinitialize(count: Self.slotCount)
        values.deallocate()
        lengths.deallocate()
        keys.deallocate()
    }

    /// The string of `bytes` (valid UTF-8, no escapes). `readable` is how many bytes may be read
    /// from `bytes`' start (at least its count): whole words are loaded, past its end.
    @inline(__always)
    func string(_ bytes: UnsafeBufferPointer<UInt8>, readable: Int) -> String {
        let n = bytes.count
        let wordCount = (n + 7) >> 3
        guard n > 0, n <= Self.maximumLength, readable >= wordCount << 3 else {
            return String(decoding: bytes, as: UTF8.self)
        }
        let raw = UnsafeRawPointer(bytes.baseAddress!)
        var words: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
        var hash: UInt64 = UInt64(n) &* 0x9E37_79B9_7F4A_7C15
        withUnsafeMutableBytes(of: &words) { w in
            let word = w.baseAddress!.assumingMemoryBound(to: UInt64.self)
            for i in 0..<wordCount {
                var value = raw.loadUnaligned(fromByteOffset: i << 3, as: UInt64.self)
                if i == wordCount - 1 && n & 7 != 0 { value &= (1 &<< UInt64((n & 7) << 3)) &- 1 }
                word[i] = value
                hash = (hash ^ value) &* 0xBF58_476D_1CE4_E5B9
                hash ^= hash >> 29
            }
        }
        let slot = Int(truncatingIfNeeded: hash >> UInt64(64 - Self.slotBits))
        let key = keys + slot << 3
        return withUnsafeBytes(of: &words) { w in
            let word = w.baseAddress!.assumingMemoryBound(to: UInt64.self)
            if lengths[slot] == n {
                var same = true
                for i in 0..<wordCount where key[i] != word[i] {
                    same = false
                    break
                }
                if same { return values[slot] }
            }
            let made = String(decoding: bytes, as: UTF8.self)
            for i in 0..<wordCount { key[i] = word[i] }
            lengths[slot] = n
            values[slot] = made
            return made
        }
    }
}
