/// Splits a script's bytes into lines, as they arrive: the rules every input shares.
///
/// `\n` and `\r\n` end a line, and so does the end of the input; a line that is not UTF-8, or
/// longer than ``maximumLength`` bytes, comes back as a refusal. A long line's bytes are dropped
/// as they come, so a file without line ends (`/dev/zero`) never fills memory.
public struct ScriptLines: Sendable {
    /// One line, or why it cannot be used.
    public enum Item: Sendable, Equatable {
        case line(String)
        case refused(OrderDeskError)
    }

    /// The longest line accepted: 64 KiB.
    public static let maximumLength = 65_536

    private var buffer: [UInt8] = []
    private var start = 0
    /// The line being read is already too long: its bytes are being skipped.
    private var skipping = false

    public init() {}

    /// Adds bytes read from the input.
    public mutating func append(_ bytes: some Sequence<UInt8>) {
        if start > 0 && start == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            start = 0
        }
        buffer.append(contentsOf: bytes)
        if !skipping && buffer.count - start > Self.maximumLength && !buffer[start...].contains(0x0A) {
            skipping = true
        }
        if skipping, let newline = buffer[start...].firstIndex(of: 0x0A) {
            // Keep the line end, so that `next` reports the refusal there.
            buffer.removeSubrange(start..<newline)
        } else if skipping {
            buffer.removeSubrange(start...)
        }
    }

    /// Whether a whole line is waiting.
    public var hasLine: Bool { buffer[start...].contains(0x0A) }

    /// The next whole line; at the end of the input (`ended`), also the last one without a line end.
    public mutating func next(ended: Bool) -> Item? {
        if let newline = buffer[start...].firstIndex(of: 0x0A) {
            defer {
                start = newline + 1
                compact()
            }
            if skipping {
                skipping = false
                return .refused(.lineTooLong(limit: Self.maximumLength))
            }
            return Self.item(buffer[start..<newline])
        }
        guard ended, start < buffer.count || skipping else { return nil }
        defer {
            start = buffer.count
            compact()
        }
        if skipping {
            skipping = false
            return .refused(.lineTooLong(limit: Self.maximumLength))
        }
        return Self.item(buffer[start...])
    }

    /// Every line of a whole text.
    public static func split(_ bytes: some Sequence<UInt8>) -> [Item] {
        var lines = ScriptLines()
        lines.append(bytes)
        var items: [Item] = []
        while let item = lines.next(ended: true) { items.append(item) }
        return items
    }

    private mutating func compact() {
        if start > 65_536 || start == buffer.count {
            buffer.removeSubrange(..<start)
            start = 0
        }
    }

    private static func item(_ bytes: ArraySlice<UInt8>) -> Item {
        var bytes = bytes
        if bytes.last == 0x0D { bytes.removeLast() }
        guard bytes.count <= maximumLength else { return .refused(.lineTooLong(limit: maximumLength)) }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            return .refused(.lineNotUTF8(column: validPrefix(bytes) + 1))
        }
        return .line(text)
    }

    /// How many bytes at the start of `bytes` are whole UTF-8 characters.
    static func validPrefix(_ bytes: ArraySlice<UInt8>) -> Int {
        var low = 0
        var high = bytes.count
        while low < high {
            let mid = (low + high + 1) / 2
            if String(validating: bytes.prefix(mid), as: UTF8.self) != nil { low = mid } else { high = mid - 1 }
        }
        return low
    }
}
