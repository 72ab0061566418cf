/// Where a change made by a batch came from: the script, the line, and a hash of the script up
/// to and including that line.
///
/// A run of the same script (or of one that starts the same way, such as a script stopped
/// half-way and run again) finds the lines already committed by their number and hash, and skips
/// them: a stopped batch resumes without doing anything twice.
public struct BatchOrigin: Sendable, Hashable, Codable {
    /// The script's path as given, or `-` for stdin.
    public var script: String
    /// The line number, from 1.
    public var line: Int
    /// FNV-1a 64 of the script's bytes up to and including this line (line ends as `\n`), in hex.
    public var hash: String

    /// The member names in the store's JSON. Public and `CaseIterable` because the fast codec in
    /// OrderDeskStore is built from them: a key it does not handle is a compile error there.
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case script, line, hash
    }

    public init(script: String, line: Int, hash: String) {
        self.script = script
        self.line = line
        self.hash = hash
    }

    /// The key that identifies a line of a script, wherever the script lives.
    public var key: String { "\(line):\(hash)" }
}

/// A running hash of a script's lines, for ``BatchOrigin``.
public struct ScriptHash: Sendable {
    private var value: UInt64 = 0xcbf2_9ce4_8422_2325

    public init() {}

    /// Adds one line (without its line end).
    public mutating func add(_ line: String) {
        for byte in line.utf8 { mix(byte) }
        mix(0x0A)
    }

    private mutating func mix(_ byte: UInt8) {
        value ^= UInt64(byte)
        value = value &* 0x0000_0100_0000_01B3
    }

    /// The hash so far, as 16 hex digits.
    public var hex: String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
