/// A number in an answer, with the precision it was written to: `42.9%` is 42.9 to one decimal.
///
/// Two numbers match when they agree within the rounding of the less precise one, so for an
/// accepted `42.9%` the answers `43`, `42.9`, `42,9`, `42.9 %` and `42.86` all count, and `42`
/// or `42.5` do not. A comma may stand for the decimal point (`42,9`); before three digits it is
/// read both ways (`3,600` is 3600 or 3.6).
public struct AnswerNumber: Sendable, Equatable {
    public var value: Double
    /// Digits after the decimal point.
    public var decimals: Int
    /// Written with `%`.
    public var percent: Bool

    /// An accepted answer that is a number and nothing else (`42.9%`, `3600`); nil otherwise.
    public init?(_ text: String) {
        var t = Substring(text.filter { !$0.isWhitespace })
        var percent = false
        if t.hasSuffix("%") {
            percent = true
            t = t.dropLast()
        }
        guard !t.isEmpty, t.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "." || $0 == ",") }), t.first!.isNumber,
            let first = Self.forms(String(t)).first
        else { return nil }
        self = first
        self.percent = percent
    }

    init(value: Double, decimals: Int, percent: Bool) {
        self.value = value
        self.decimals = decimals
        self.percent = percent
    }

    /// Every reading of every number in a text.
    public static func all(in text: String) -> [AnswerNumber] {
        var out: [AnswerNumber] = []
        for sentence in MessageText(text).sentences {
            for word in sentence {
                for run in MessageText.numberRuns(in: word) { out += forms(run) }
            }
        }
        return out
    }

    /// The readings of a run of digits and separators.
    static func forms(_ run: String) -> [AnswerNumber] {
        let parts = run.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "." || $0 == "," }).map(String.init)
        guard parts.count > 1 else { return Double(run).map { [AnswerNumber(value: $0, decimals: 0, percent: false)] } ?? [] }
        var out: [AnswerNumber] = []
        let last = parts.last!
        let head = parts.dropLast().joined()
        if let d = Double(head + "." + last) { out.append(AnswerNumber(value: d, decimals: last.count, percent: false)) }
        if last.count == 3, let d = Double(parts.joined()) { out.append(AnswerNumber(value: d, decimals: 0, percent: false)) }
        return out
    }

    /// Whether the two agree within the rounding of the less precise one.
    public func matches(_ other: AnswerNumber) -> Bool {
        var unit = 1.0
        for _ in 0..<min(decimals, other.decimals) { unit /= 10 }
        return abs(value - other.value) <= unit / 2 + 1e-9
    }
}
