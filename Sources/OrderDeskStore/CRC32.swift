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

    init() {}

    /// Feeds more bytes.
    mutating func update(_ bytes: UnsafeRawBufferPointer) {
        var c = register
        Self.table.withUnsafeBufferPointer { t in
            for byte in bytes {
                c = t[Int((c ^ UInt32(byte)) & 0xFF)] ^ (c >> 8)
            }
        }
        register = c
    }

    /// Feeds more bytes.
    mutating func update(_ bytes: some Sequence<UInt8>) {
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
