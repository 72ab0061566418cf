/// A moment in time, to the second, kept as seconds since 1970-01-01T00:00:00Z.
///
/// Stored as UTC ISO-8601 (`2026-11-26T17:58:12Z`); shown in local time.
public struct Timestamp: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// Seconds since the Unix epoch.
    public var seconds: Int64

    public init(seconds: Int64) { self.seconds = seconds }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool { lhs.seconds < rhs.seconds }

    /// The timestamp `n` seconds later.
    public func adding(seconds n: Int64) -> Timestamp { Timestamp(seconds: seconds + n) }

    /// UTC ISO-8601 with a `Z` suffix.
    public var iso8601: String { Timestamp.format(seconds, offset: 0, separator: "T", zone: "Z") }

    public var description: String { iso8601 }

    /// Local display text `YYYY-MM-DD HH:MM` for a UTC offset in seconds.
    public func display(offset: Int) -> String {
        let text = Timestamp.format(seconds + Int64(offset), offset: 0, separator: " ", zone: "")
        return String(text.prefix(16))
    }

    /// The calendar day `YYYY-MM-DD` for a UTC offset in seconds.
    public func day(offset: Int) -> String {
        String(Timestamp.format(seconds + Int64(offset), offset: 0, separator: " ", zone: "").prefix(10))
    }

    /// Parses `YYYY-MM-DDTHH:MM:SS` with `Z` or `±HH:MM`/`±HHMM`, a space allowed for the `T`
    /// and before the zone (Shopify's CSV writes `2026-04-05 21:06:21 +0400`).
    public init?(iso8601 text: String) {
        let b = Array(text.utf8)
        func number(_ from: Int, _ count: Int) -> Int? {
            guard from + count <= b.count else { return nil }
            var v = 0
            for i in from..<(from + count) {
                let c = b[i]
                guard c >= 48, c <= 57 else { return nil }
                v = v * 10 + Int(c - 48)
            }
            return v
        }
        guard b.count >= 19, b[4] == 45, b[7] == 45, b[10] == 84 || b[10] == 32,
            b[13] == 58, b[16] == 58,
            let year = number(0, 4), let month = number(5, 2), let day = number(8, 2),
            let hour = number(11, 2), let minute = number(14, 2), let second = number(17, 2),
            (1...12).contains(month), day >= 1, day <= Timestamp.daysIn(month: month, year: year),
            hour < 24, minute < 60, second < 61
        else { return nil }
        var i = 19
        if i < b.count, b[i] == 46 {  // fractional seconds are dropped
            i += 1
            while i < b.count, b[i] >= 48, b[i] <= 57 { i += 1 }
        }
        if i < b.count, b[i] == 32 { i += 1 }
        var offset = 0
        if i == b.count {
            offset = 0
        } else if b[i] == 90, i + 1 == b.count {
            offset = 0
        } else if b[i] == 43 || b[i] == 45 {
            let sign = b[i] == 45 ? -1 : 1
            guard let oh = number(i + 1, 2) else { return nil }
            var j = i + 3
            if j < b.count, b[j] == 58 { j += 1 }
            guard let om = number(j, 2), j + 2 == b.count else { return nil }
            offset = sign * (oh * 3600 + om * 60)
        } else {
            return nil
        }
        let days = Timestamp.daysFromCivil(year: year, month: month, day: day)
        seconds = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second) - Int64(offset)
    }

    /// Midnight UTC of a calendar day, or nil when it is not a real date.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), day >= 1, day <= Timestamp.daysIn(month: month, year: year)
        else { return nil }
        seconds = Int64(Timestamp.daysFromCivil(year: year, month: month, day: day)) * 86_400
    }

    /// Year, month and day of this moment in UTC.
    public var civil: (year: Int, month: Int, day: Int) {
        Timestamp.civilFromDays(Int(floorDiv(seconds, 86_400)))
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let value = Timestamp(iso8601: text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "\"\(text)\" is not an ISO-8601 time")
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(iso8601)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    // Howard Hinnant's days_from_civil and civil_from_days.
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civilFromDays(_ z0: Int) -> (year: Int, month: Int, day: Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    static func format(_ secs: Int64, offset: Int, separator: Character, zone: String) -> String {
        let days = Int(floorDiv(secs, 86_400))
        let rest = Int(secs - Int64(days) * 86_400)
        let (y, m, d) = civilFromDays(days)
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        var year = String(y)
        while year.count < 4 { year = "0" + year }
        return "\(year)-\(two(m))-\(two(d))\(separator)\(two(rest / 3600)):\(two(rest / 60 % 60)):\(two(rest % 60))\(zone)"
    }
}

func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
    let q = a / b
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
}
