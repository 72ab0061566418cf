/// An exact decimal amount of money: `units / 10^scale`, never a floating-point number.
///
/// The scale is the number of decimals the amount was written with, so "12.50" keeps
/// its two decimals. Arithmetic aligns scales; equality ignores trailing zeros.
public struct Money: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The value in units of `10^-scale`.
    public let units: Int64
    /// Digits after the decimal point.
    public let scale: Int

    /// Zero, with no decimals.
    public static let zero = Money(units: 0, scale: 0)

    /// Creates an amount of `units / 10^scale`.
    public init(units: Int64, scale: Int) {
        precondition(scale >= 0 && scale <= 6, "money scale out of range")
        self.units = units
        self.scale = scale
    }

    /// Parses a plain decimal such as `12.50`, `-3`, `0.5`; nil for anything else.
    public init?(_ text: some StringProtocol) {
        var bytes = Substring(text).utf8[...]
        var negative = false
        if bytes.first == UInt8(ascii: "-") {
            negative = true
            bytes = bytes.dropFirst()
        }
        guard !bytes.isEmpty else { return nil }
        var units: Int64 = 0
        var scale = 0
        var seenPoint = false
        var digits = 0
        for byte in bytes {
            if byte == UInt8(ascii: ".") {
                if seenPoint { return nil }
                seenPoint = true
                continue
            }
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            let (m, o1) = units.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(Int64(byte - UInt8(ascii: "0")))
            if o1 || o2 { return nil }
            units = a
            digits += 1
            if seenPoint { scale += 1 }
        }
        guard digits > 0, scale <= 6 else { return nil }
        if seenPoint && scale == 0 { return nil }
        self.init(units: negative ? -units : units, scale: scale)
    }

    /// Minor units of a currency with the given exponent; nil when precision would be lost.
    public func units(atScale target: Int) -> Int64? {
        if target >= scale {
            var value = units
            for _ in 0..<(target - scale) {
                let (m, o) = value.multipliedReportingOverflow(by: 10)
                if o { return nil }
                value = m
            }
            return value
        }
        var value = units
        for _ in 0..<(scale - target) {
            if value % 10 != 0 { return nil }
            value /= 10
        }
        return value
    }

    /// The same amount written with at least `target` decimals.
    public func rescaled(to target: Int) -> Money {
        guard target > scale, let value = units(atScale: target) else { return self }
        return Money(units: value, scale: target)
    }

    /// The amount with trailing zero decimals removed.
    var normalized: Money {
        var value = units
        var s = scale
        while s > 0 && value % 10 == 0 {
            value /= 10
            s -= 1
        }
        return Money(units: value, scale: s)
    }

    public var isZero: Bool { units == 0 }
    public var isNegative: Bool { units < 0 }
    public var isPositive: Bool { units > 0 }

    /// Both amounts at the larger scale. Arithmetic never traps: a value too large for 64 bits
    /// saturates (only a hostile file could hold one; the rules refuse such amounts long before).
    static func aligned(_ a: Money, _ b: Money) -> (Int64, Int64, Int) {
        let s = max(a.scale, b.scale)
        return (a.units(atScale: s) ?? (a.units < 0 ? .min : .max), b.units(atScale: s) ?? (b.units < 0 ? .min : .max), s)
    }

    public static func + (lhs: Money, rhs: Money) -> Money {
        let (x, y, s) = aligned(lhs, rhs)
        let (sum, overflow) = x.addingReportingOverflow(y)
        return Money(units: overflow ? (x < 0 ? .min : .max) : sum, scale: s)
    }

    public static func - (lhs: Money, rhs: Money) -> Money {
        let (x, y, s) = aligned(lhs, rhs)
        let (difference, overflow) = x.subtractingReportingOverflow(y)
        return Money(units: overflow ? (x < 0 ? .min : .max) : difference, scale: s)
    }

    public static func += (lhs: inout Money, rhs: Money) { lhs = lhs + rhs }
    public static func -= (lhs: inout Money, rhs: Money) { lhs = lhs - rhs }

    /// The amount times a whole quantity.
    public static func * (lhs: Money, rhs: Int) -> Money {
        let (product, overflow) = lhs.units.multipliedReportingOverflow(by: Int64(rhs))
        return Money(units: overflow ? ((lhs.units < 0) != (rhs < 0) ? .min : .max) : product, scale: lhs.scale)
    }

    public static func < (lhs: Money, rhs: Money) -> Bool {
        let (x, y, _) = aligned(lhs, rhs)
        return x < y
    }

    public static func == (lhs: Money, rhs: Money) -> Bool {
        let (x, y, _) = aligned(lhs, rhs)
        return x == y
    }

    public func hash(into hasher: inout Hasher) {
        let n = normalized
        hasher.combine(n.units)
        hasher.combine(n.scale)
    }

    /// The smaller of two amounts.
    public static func min(_ a: Money, _ b: Money) -> Money { a < b ? a : b }

    /// The canonical decimal text, with the scale it was written at (`12.50`).
    public var description: String { Money.text(units: units, scale: scale) }

    /// The decimal text with at least `decimals` digits after the point (a currency's exponent).
    public func formatted(decimals: Int) -> String {
        let m = rescaled(to: decimals)
        return Money.text(units: m.units, scale: m.scale)
    }

    static func text(units: Int64, scale: Int) -> String {
        let negative = units < 0
        let magnitude = units.magnitude
        var digits = String(magnitude)
        if scale > 0 {
            if digits.count <= scale {
                digits = String(repeating: "0", count: scale - digits.count + 1) + digits
            }
            digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -scale))
        }
        return negative ? "-" + digits : digits
    }
}

extension Money: Codable {
    /// Money is stored as a decimal string, as Shopify does (`"12.50"`).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let value = Money(text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "\"\(text)\" is not a decimal amount")
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// Facts about currencies needed for exact amounts.
public enum Currency {
    /// The number of decimals a currency uses (ISO 4217 minor unit).
    public static func exponent(of code: String) -> Int {
        switch code.uppercased() {
        case "JPY", "KRW", "ISK", "CLP", "VND", "UGX", "PYG", "XAF", "XOF", "XPF":
            return 0
        case "BHD", "KWD", "OMR", "JOD", "TND", "IQD", "LYD":
            return 3
        default:
            return 2
        }
    }
}
