import Foundation

/// CRC-32 (IEEE 802.3, the zlib/PNG polynomial), table-driven.
///
/// Used as each journal line's checksum. `CRC32.checksum("123456789".utf8)` is `0xCBF43926`.
struct CRC32 {
    /// The running register, before the final inversion.
    private var register: UInt32 = 0xFFFF_FFFF

    /// The 256 entries for the reflected polynomial 0xEDB88320.
    static let table: [UInt32] = (0..<256).map { index in
        var c = UInt32(index)
        for _ in 0..<8 {
            c = (c & 1) != 0 ? (0xEDB8_8320 ^ (c >> 1)) : (c >> 1)
        }
        return c
    }

    /// Eight tables for "slicing by 8": table `k` gives the effect of a byte followed by `k`
    /// zero bytes, so that eight bytes are folded in at once (the same CRC, several times faster,
    /// which matters for a snapshot's checksum: the whole file).
    nonisolated(unsafe) static let slices: UnsafeMutablePointer<UInt32> = {
        let t = UnsafeMutablePointer<UInt32>.allocate(capacity: 8 * 256)
        for i in 0..<256 { t[i] = table[i] }
        for k in 1..<8 {
            for i in 0..<256 {
                let previous = t[(k - 1) * 256 + i]
                t[k * 256 + i] = (previous >> 8) ^ t[Int(previous & 0xFF)]
            }
        }
        return t
    }()

    init() {}

    /// Feeds more bytes.
    mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard var p = bytes.baseAddress else { return }
        var n = bytes.count
        var c = register
        let t = Self.slices
        while n >= 8 {
            let low = p.loadUnaligned(as: UInt32.self).littleEndian ^ c
            let high = p.loadUnaligned(fromByteOffset: 4, as: UInt32.self).littleEndian
            let fromLow =
                t[7 * 256 + Int(low & 0xFF)] ^ t[6 * 256 + Int((low >> 8) & 0xFF)]
                ^ t[5 * 256 + Int((low >> 16) & 0xFF)] ^ t[4 * 256 + Int(low >> 24)]
            let fromHigh =
                t[3 * 256 + Int(high & 0xFF)] ^ t[2 * 256 + Int((high >> 8) & 0xFF)]
                ^ t[1 * 256 + Int((high >> 16) & 0xFF)] ^ t[Int(high >> 24)]
            c = fromLow ^ fromHigh
            p += 8
            n -= 8
        }
        while n > 0 {
            c = t[Int((c ^ UInt32(p.load(as: UInt8.self))) & 0xFF)] ^ (c >> 8)
            p += 1
            n -= 1
        }
        register = c
    }

    /// Feeds more bytes.
    mutating func update(_ bytes: some Sequence<UInt8>) {
        let done: Void? = bytes.withContiguousStorageIfAvailable { buffer in
            update(UnsafeRawBufferPointer(buffer))
        }
        guard done == nil else { return }
        var c = register
        Self.table.withUnsafeBufferPointer { t in
            for byte in bytes {
                c = t[Int((c ^ UInt32(byte)) & 0xFF)] ^ (c >> 8)
            }
        }
        register = c
    }

    /// The checksum of everything fed so far.
    var value: UInt32 { register ^ 0xFFFF_FFFF }

    /// The checksum of one run of bytes.
    static func checksum(_ bytes: some Sequence<UInt8>) -> UInt32 {
        var crc = CRC32()
        crc.update(bytes)
        return crc.value
    }

    /// Eight lower-case hex digits, as written in the journal.
    static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 8 - digits.count) + digits
    }
}

extension CRC32 {
    /// The checksum of a large buffer, worked out on another thread while the caller goes on:
    /// a snapshot's checksum is computed on a second core while the snapshot is decoded.
    /// Small buffers are done on the spot.
    final class Pending: @unchecked Sendable {
        private let condition = NSCondition()
        private var result: UInt32?

        init(_ bytes: ArraySlice<UInt8>) {
            guard bytes.count >= 1 << 20 else {
                result = CRC32.checksum(bytes)
                return
            }
            Thread.detachNewThread { [self] in
                let value = CRC32.checksum(bytes)
                condition.lock()
                result = value
                condition.signal()
                condition.unlock()
            }
        }

        /// The checksum, once it is ready.
        var value: UInt32 {
            condition.lock()
            defer { condition.unlock() }
            while result == nil { condition.wait() }
            return result!
        }
    }
}
