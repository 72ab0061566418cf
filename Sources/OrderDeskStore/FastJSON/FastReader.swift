/// Thrown by the fast reader for anything it does not take on itself: damage, but also valid JSON
/// it leaves to the reference decoder (escaped member names, `1.0` for a whole number, a duplicate
/// member, a byte-order mark...). The codec then decodes the same bytes with Foundation's
/// `JSONDecoder`, whose result (or refusal, with its position) is the answer.
struct FastBail: Error {}

/// A pull reader over JSON bytes: the primitives the typed store decoder is made of.
///
/// It is strict: whatever it accepts is valid JSON (RFC 8259, UTF-8) and reads as Foundation's
/// `JSONDecoder` reads it. The caller keeps the bytes alive while it runs.
struct FastReader {
    let start: UnsafePointer<UInt8>
    let end: UnsafePointer<UInt8>
    /// The next byte to read.
    var p: UnsafePointer<UInt8>
    /// Nesting, for values skipped (unknown members); deeper than this is left to the reference.
    var depth = 0
    /// Bytes of a string with escapes, being unescaped.
    var scratch: [UInt8] = []
    /// Strings already made, to hand out again for the same bytes (a snapshot repeats many).
    var strings: StringCache?

    static let maximumDepth = 256

    /// `bytes` must not be empty (an empty document is not JSON: the caller bails first).
    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        let base = bytes.baseAddress!
        start = base
        end = base + bytes.count
        p = base
    }

    /// The offset of the next byte.
    var offset: Int { p - start }

    // MARK: Structure

    @inline(__always)
    mutating func skipSpace() {
        while p < end {
            let c = p.pointee
            if c > 0x20 { return }
            guard c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 else { return }
            p += 1
        }
    }

    /// The next byte after white space, not consumed; 0 at the end (never valid there anyway).
    @inline(__always)
    mutating func peek() -> UInt8 {
        skipSpace()
        return p < end ? p.pointee : 0
    }

    @inline(__always)
    mutating func expect(_ byte: UInt8) throws(FastBail) {
        skipSpace()
        guard p < end, p.pointee == byte else { throw FastBail() }
        p += 1
    }

    /// Reads `{`; true when a member follows, false when the object is empty (and read).
    @inline(__always)
    mutating func beginObject() throws(FastBail) -> Bool {
        try expect(UInt8(ascii: "{"))
        if peek() == UInt8(ascii: "}") {
            p += 1
            return false
        }
        return true
    }

    /// After a member: true when another follows (`,` read), false at the end (`}` read).
    @inline(__always)
    mutating func nextMember() throws(FastBail) -> Bool {
        skipSpace()
        guard p < end else { throw FastBail() }
        let c = p.pointee
        p += 1
        if c == UInt8(ascii: ",") { return true }
        if c == UInt8(ascii: "}") { return false }
        throw FastBail()
    }

    /// Reads `[`; true when an element follows, false when the array is empty (and read).
    @inline(__always)
    mutating func beginArray() throws(FastBail) -> Bool {
        try expect(UInt8(ascii: "["))
        if peek() == UInt8(ascii: "]") {
            p += 1
            return false
        }
        return true
    }

    /// After an element: true when another follows, false at the end (`]` read).
    @inline(__always)
    mutating func nextElement() throws(FastBail) -> Bool {
        skipSpace()
        guard p < end else { throw FastBail() }
        let c = p.pointee
        p += 1
        if c == UInt8(ascii: ",") { return true }
        if c == UInt8(ascii: "]") { return false }
        throw FastBail()
    }

    /// A member name and its `:`. Names with escapes are left to the reference decoder.
    @inline(__always)
    mutating func memberName() throws(FastBail) -> UnsafeBufferPointer<UInt8> {
        let name = try rawString()
        if name.escaped { throw FastBail() }
        try expect(UInt8(ascii: ":"))
        return name.bytes
    }

    /// Whether the document ends here (only white space left).
    mutating func atEnd() -> Bool {
        skipSpace()
        return p == end
    }

    // MARK: Strings

    /// The bytes between the quotes of the next string, unprocessed: checked for control
    /// characters and, when not ASCII, for valid UTF-8 (escapes are checked when unescaped).
    @inline(__always)
    mutating func rawString() throws(FastBail) -> (bytes: UnsafeBufferPointer<UInt8>, escaped: Bool) {
        skipSpace()
        guard p < end, p.pointee == UInt8(ascii: "\"") else { throw FastBail() }
        p += 1
        let first = p
        var high: UInt64 = 0
        var escaped = false
        while true {
            // Eight bytes at a time up to the first quote, backslash or control character.
            while end - p >= 8 {
                let word = UnsafeRawPointer(p).loadUnaligned(as: UInt64.self)
                let special = FastReader.specialBytes(word)
                if special == 0 {
                    high |= word
                    p += 8
                    continue
                }
                let k = special.trailingZeroBitCount >> 3
                high |= word & ((1 &<< UInt64(k &* 8)) &- 1)
                p += k
                break
            }
            guard p < end else { throw FastBail() }
            let c = p.pointee
            if c == UInt8(ascii: "\"") { break }
            if c == UInt8(ascii: "\\") {
                escaped = true
                guard end - p >= 2 else { throw FastBail() }
                p += 2
                continue
            }
            if c < 0x20 { throw FastBail() }
            high |= UInt64(c)
            p += 1
        }
        let bytes = UnsafeBufferPointer(start: first, count: p - first)
        p += 1
        if high & 0x8080_8080_8080_8080 != 0 && !escaped && !UTF8Check.isValid(bytes) { throw FastBail() }
        return (bytes, escaped)
    }

    /// The high bit of each of eight bytes (little-endian) that is a quote, a backslash or a
    /// control character. Bits above the lowest one may be wrong; the lowest one is always right.
    @inline(__always)
    static func specialBytes(_ word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let quote = word ^ (ones &* 0x22)
        let backslash = word ^ (ones &* 0x5C)
        let zeroQuote = (quote &- ones) & ~quote
        let zeroBackslash = (backslash &- ones) & ~backslash
        let control = (word &- (ones &* 0x20)) & ~word
        return (zeroQuote | zeroBackslash | control) & highs
    }

    /// The next string.
    @inline(__always)
    mutating func string() throws(FastBail) -> String {
        let raw = try rawString()
        if raw.escaped { return try unescape(raw.bytes) }
        if let strings { return strings.string(raw.bytes, readable: end - raw.bytes.baseAddress!) }
        return String(decoding: raw.bytes, as: UTF8.self)
    }

    /// The next value: a string, or `null` for nil.
    @inline(__always)
    mutating func optionalString() throws(FastBail) -> String? {
        if try null() { return nil }
        return try string()
    }

    /// The text of a string with escapes; nil never: anything wrong bails.
    mutating func unescape(_ bytes: UnsafeBufferPointer<UInt8>) throws(FastBail) -> String {
        scratch.removeAll(keepingCapacity: true)
        var i = 0
        let n = bytes.count
        while i < n {
            let c = bytes[i]
            guard c == UInt8(ascii: "\\") else {
                scratch.append(c)
                i += 1
                continue
            }
            i += 1
            guard i < n else { throw FastBail() }
            let e = bytes[i]
            i += 1
            switch e {
            case UInt8(ascii: "\""): scratch.append(0x22)
            case UInt8(ascii: "\\"): scratch.append(0x5C)
            case UInt8(ascii: "/"): scratch.append(0x2F)
            case UInt8(ascii: "b"): scratch.append(0x08)
            case UInt8(ascii: "f"): scratch.append(0x0C)
            case UInt8(ascii: "n"): scratch.append(0x0A)
            case UInt8(ascii: "r"): scratch.append(0x0D)
            case UInt8(ascii: "t"): scratch.append(0x09)
            case UInt8(ascii: "u"):
                Self.appendUTF8(try Self.unicodeEscape(bytes, at: &i), to: &scratch)
            default:
                throw FastBail()
            }
        }
        let text: String? = scratch.withUnsafeBufferPointer { buffer in
            UTF8Check.isValid(buffer) ? String(decoding: buffer, as: UTF8.self) : nil
        }
        guard let text else { throw FastBail() }
        return text
    }

    /// Checks a string with escapes as ``unescape(_:)`` reads it, without making the string:
    /// for values that are skipped (a notice's body, when an event's members are first found).
    /// The raw bytes are valid UTF-8 exactly when the text is (escapes are ASCII, and each one
    /// stands for ASCII or a whole character).
    func checkEscapes(_ bytes: UnsafeBufferPointer<UInt8>) throws(FastBail) {
        var i = 0
        let n = bytes.count
        var high: UInt8 = 0
        while i < n {
            let c = bytes[i]
            guard c == UInt8(ascii: "\\") else {
                high |= c
                i += 1
                continue
            }
            i += 1
            guard i < n else { throw FastBail() }
            let e = bytes[i]
            i += 1
            switch e {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"), UInt8(ascii: "n"),
                UInt8(ascii: "r"), UInt8(ascii: "t"):
                continue
            case UInt8(ascii: "u"):
                _ = try Self.unicodeEscape(bytes, at: &i)
            default:
                throw FastBail()
            }
        }
        if high & 0x80 != 0 && !UTF8Check.isValid(bytes) { throw FastBail() }
    }

    /// The character of a `\\uXXXX` escape whose hex digits start at `i` (a surrogate pair
    /// taken whole, a lone surrogate refused), `i` moved past it.
    private static func unicodeEscape(_ bytes: UnsafeBufferPointer<UInt8>, at i: inout Int) throws(FastBail) -> UInt32 {
        let n = bytes.count
        var scalar = try hex4(bytes, at: i)
        i += 4
        if scalar >= 0xD800 && scalar < 0xDC00 {
            guard i + 6 <= n, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") else {
                throw FastBail()
            }
            let low = try hex4(bytes, at: i + 2)
            guard low >= 0xDC00 && low < 0xE000 else { throw FastBail() }
            i += 6
            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
        } else if scalar >= 0xDC00 && scalar < 0xE000 {
            throw FastBail()
        }
        return scalar
    }

    private static func hex4(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int) throws(FastBail) -> UInt32 {
        guard i + 4 <= bytes.count else { throw FastBail() }
        var value: UInt32 = 0
        for k in 0..<4 {
            let c = bytes[i + k]
            let digit: UInt8
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = c - UInt8(ascii: "A") + 10
            default: throw FastBail()
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    private static func appendUTF8(_ scalar: UInt32, to out: inout [UInt8]) {
        switch scalar {
        case ..<0x80:
            out.append(UInt8(scalar))
        case ..<0x800:
            out.append(UInt8(0xC0 | scalar >> 6))
            out.append(UInt8(0x80 | scalar & 0x3F))
        case ..<0x10000:
            out.append(UInt8(0xE0 | scalar >> 12))
            out.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            out.append(UInt8(0x80 | scalar & 0x3F))
        default:
            out.append(UInt8(0xF0 | scalar >> 18))
            out.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            out.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            out.append(UInt8(0x80 | scalar & 0x3F))
        }
    }

    // MARK: Literals and numbers

    /// Reads `null` if it comes next.
    @inline(__always)
    mutating func null() throws(FastBail) -> Bool {
        guard peek() == UInt8(ascii: "n") else { return false }
        guard end - p >= 4, p[1] == UInt8(ascii: "u"), p[2] == UInt8(ascii: "l"), p[3] == UInt8(ascii: "l") else {
            throw FastBail()
        }
        p += 4
        return true
    }

    @inline(__always)
    mutating func bool() throws(FastBail) -> Bool {
        let c = peek()
        if c == UInt8(ascii: "t"), end - p >= 4, p[1] == UInt8(ascii: "r"), p[2] == UInt8(ascii: "u"),
            p[3] == UInt8(ascii: "e")
        {
            p += 4
            return true
        }
        if c == UInt8(ascii: "f"), end - p >= 5, p[1] == UInt8(ascii: "a"), p[2] == UInt8(ascii: "l"),
            p[3] == UInt8(ascii: "s"), p[4] == UInt8(ascii: "e")
        {
            p += 5
            return false
        }
        throw FastBail()
    }

    /// A whole number written plainly (`-12`); fractions, exponents and overflow bail.
    @inline(__always)
    mutating func int64() throws(FastBail) -> Int64 {
        skipSpace()
        var negative = false
        if p < end && p.pointee == UInt8(ascii: "-") {
            negative = true
            p += 1
        }
        guard p < end else { throw FastBail() }
        var magnitude: UInt64 = 0
        let first = p.pointee &- UInt8(ascii: "0")
        guard first < 10 else { throw FastBail() }
        p += 1
        if first != 0 {
            magnitude = UInt64(first)
            var digits = 1
            while p < end {
                let d = p.pointee &- UInt8(ascii: "0")
                if d >= 10 { break }
                digits += 1
                if digits > 19 { throw FastBail() }
                magnitude = magnitude &* 10 &+ UInt64(d)
                p += 1
            }
        }
        if p < end {
            let c = p.pointee
            if c == UInt8(ascii: ".") || c == UInt8(ascii: "e") || c == UInt8(ascii: "E") || c &- UInt8(ascii: "0") < 10 {
                throw FastBail()
            }
        }
        if negative {
            guard magnitude <= UInt64(Int64.max) + 1 else { throw FastBail() }
            return magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude)
        }
        guard magnitude <= UInt64(Int64.max) else { throw FastBail() }
        return Int64(magnitude)
    }

    @inline(__always)
    mutating func int() throws(FastBail) -> Int { Int(try int64()) }

    @inline(__always)
    mutating func optionalInt() throws(FastBail) -> Int? {
        if try null() { return nil }
        return try int()
    }

    // MARK: Skipping

    /// Skips any one value, checking it as strictly as it would be read.
    mutating func skipValue() throws(FastBail) {
        switch peek() {
        case UInt8(ascii: "\""):
            let raw = try rawString()
            if raw.escaped { try checkEscapes(raw.bytes) }
        case UInt8(ascii: "{"):
            depth += 1
            guard depth <= Self.maximumDepth else { throw FastBail() }
            if try beginObject() {
                repeat {
                    let name = try rawString()
                    if name.escaped { try checkEscapes(name.bytes) }
                    try expect(UInt8(ascii: ":"))
                    try skipValue()
                } while try nextMember()
            }
            depth -= 1
        case UInt8(ascii: "["):
            depth += 1
            guard depth <= Self.maximumDepth else { throw FastBail() }
            if try beginArray() {
                repeat { try skipValue() } while try nextElement()
            }
            depth -= 1
        case UInt8(ascii: "t"), UInt8(ascii: "f"):
            _ = try bool()
        case UInt8(ascii: "n"):
            _ = try null()
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            try skipNumber()
        default:
            throw FastBail()
        }
    }

    /// Skips a number of the JSON grammar.
    private mutating func skipNumber() throws(FastBail) {
        if p.pointee == UInt8(ascii: "-") { p += 1 }
        guard p < end else { throw FastBail() }
        if p.pointee == UInt8(ascii: "0") {
            p += 1
        } else {
            guard digits() > 0 else { throw FastBail() }
        }
        if p < end && p.pointee == UInt8(ascii: ".") {
            p += 1
            guard digits() > 0 else { throw FastBail() }
        }
        if p < end && (p.pointee == UInt8(ascii: "e") || p.pointee == UInt8(ascii: "E")) {
            p += 1
            if p < end && (p.pointee == UInt8(ascii: "+") || p.pointee == UInt8(ascii: "-")) { p += 1 }
            guard digits() > 0 else { throw FastBail() }
        }
        if p < end && p.pointee &- UInt8(ascii: "0") < 10 { throw FastBail() }
    }

    private mutating func digits() -> Int {
        var count = 0
        while p < end && p.pointee &- UInt8(ascii: "0") < 10 {
            p += 1
            count += 1
        }
        return count
    }
}

/// Strict UTF-8 validation (Unicode table 3-7): no overlong forms, no surrogates, nothing past U+10FFFF.
enum UTF8Check {
    static func isValid(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        let n = bytes.count
        while i < n {
            let c = bytes[i]
            if c < 0x80 {
                i += 1
                continue
            }
            func continuation(_ k: Int, _ low: UInt8 = 0x80, _ high: UInt8 = 0xBF) -> Bool {
                i + k < n && bytes[i + k] >= low && bytes[i + k] <= high
            }
            switch c {
            case 0xC2...0xDF:
                guard continuation(1) else { return false }
                i += 2
            case 0xE0:
                guard continuation(1, 0xA0), continuation(2) else { return false }
                i += 3
            case 0xE1...0xEC, 0xEE...0xEF:
                guard continuation(1), continuation(2) else { return false }
                i += 3
            case 0xED:
                guard continuation(1, 0x80, 0x9F), continuation(2) else { return false }
                i += 3
            case 0xF0:
                guard continuation(1, 0x90), continuation(2), continuation(3) else { return false }
                i += 4
            case 0xF1...0xF3:
                guard continuation(1), continuation(2), continuation(3) else { return false }
                i += 4
            case 0xF4:
                guard continuation(1, 0x80, 0x8F), continuation(2), continuation(3) else { return false }
                i += 4
            default:
                return false
            }
        }
        return true
    }
}
