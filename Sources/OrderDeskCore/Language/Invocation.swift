/// A command line checked against its spec: arguments, flag values and switches.
public struct Invocation: Sendable {
    /// The command the line names.
    public let type: any DeskCommand.Type
    public var spec: CommandSpec { type.spec }
    public let arguments: [String]
    public let values: [String: String]
    public let switches: Set<String>

    /// Checks the words of a line against the command table (words taken as typed, unquoted).
    public static func parse(_ words: [String]) throws(OrderDeskError) -> Invocation {
        try parse(words.map { Tokenizer.Token($0) })
    }

    /// Checks a line's tokens against the command table.
    ///
    /// Strict on purpose: a flag that takes a value never takes a word that is itself a flag
    /// (`--note --dry-run` is refused; write `--note=--dry-run` or quote it), and a flag given
    /// twice is refused rather than the last one silently winning.
    public static func parse(_ tokens: [Tokenizer.Token]) throws(OrderDeskError) -> Invocation {
        guard let name = tokens.first?.text else { throw .missingArgument(command: "", what: "a command") }
        guard let type = CommandTable.type(named: name) else { throw OrderDeskError.unknown(command: name) }
        let spec = type.spec
        var arguments: [String] = []
        var values: [String: String] = [:]
        var switches: Set<String> = []
        var i = 1
        var onlyArguments = false
        while i < tokens.count {
            let token = tokens[i]
            let word = token.text
            i += 1
            if word == "--" && !onlyArguments && !token.quoted {
                onlyArguments = true
                continue
            }
            guard !onlyArguments, !token.quoted, word.hasPrefix("-"), word.count > 1, Money(word) == nil else {
                arguments.append(word)
                continue
            }
            var flagName = word
            var inlineValue: String?
            if let eq = word.firstIndex(of: "="), word.hasPrefix("--") {
                flagName = String(word[..<eq])
                inlineValue = String(word[word.index(after: eq)...])
            }
            guard let flag = spec.flag(flagName) else {
                throw .unknownFlag(
                    command: spec.name, flag: flagName,
                    suggestion: Suggestion.closest(to: flagName, in: spec.flags.map(\.name)))
            }
            if values[flag.name] != nil || switches.contains(flag.name) {
                throw .repeatedFlag(command: spec.name, flag: flag.name)
            }
            if let kind = flag.value {
                let value: String
                if let inlineValue {
                    value = inlineValue
                } else {
                    guard i < tokens.count else { throw .missingFlagValue(command: spec.name, flag: flag.name) }
                    let next = tokens[i]
                    if !next.quoted && next.text.hasPrefix("--") && next.text.count > 2 {
                        throw .flagAsValue(command: spec.name, flag: flag.name, value: next.text)
                    }
                    value = next.text
                    i += 1
                }
                if case .choice(let allowed) = kind, !allowed.contains(value) {
                    if flag.name == "--reason" { throw .unknownReason(value) }
                    if flag.name == "--rating" { throw .badRating(value) }
                    throw .invalidValue(
                        command: spec.name, flag: flag.name, value: value,
                        expected: allowed.joined(separator: ", "))
                }
                values[flag.name] = value
            } else {
                if inlineValue != nil {
                    throw .invalidValue(command: spec.name, flag: flag.name, value: inlineValue!, expected: "the flag alone, with no value")
                }
                switches.insert(flag.name)
            }
        }
        let limit = spec.repeatsLast ? Int.max : spec.arguments.count
        if arguments.count > limit {
            throw .unexpectedArgument(command: spec.name, argument: arguments[limit])
        }
        return Invocation(type: type, arguments: arguments, values: values, switches: switches)
    }

    /// The positional argument at `index`, if given.
    public func argument(_ index: Int) -> String? { index < arguments.count ? arguments[index] : nil }

    /// Whether a switch was given.
    public func has(_ flag: String) -> Bool { switches.contains(flag) }

    /// A positional argument that must be there.
    func required(_ index: Int, _ what: String) throws(OrderDeskError) -> String {
        guard let value = argument(index) else { throw .missingArgument(command: spec.name, what: what) }
        return value
    }

    /// A whole-number flag value, at least 1.
    func number(_ flag: String) throws(OrderDeskError) -> Int? {
        guard let text = values[flag] else { return nil }
        guard let n = Int(text), n >= 0 else {
            throw .invalidValue(command: spec.name, flag: flag, value: text, expected: "a whole number such as 20")
        }
        return n
    }

    /// A date flag value.
    func date(_ flag: String) throws(OrderDeskError) -> DateSpec? {
        guard let text = values[flag] else { return nil }
        return try DateSpec.parse(text)
    }

    /// Refuses two switches given together.
    func exclusive(_ a: String, _ b: String) throws(OrderDeskError) {
        if has(a) && has(b) { throw .conflictingFlags(command: spec.name, a, b) }
    }

    /// A tri-state switch pair: true, false, or nil when neither was given.
    func toggle(_ on: String, _ off: String) throws(OrderDeskError) -> Bool? {
        try exclusive(on, off)
        return has(on) ? true : has(off) ? false : nil
    }
}

/// An order as typed: a name as the shop writes it (`#1001`, `Her2065`, `#N13073`, `1042-EU`) or
/// its number (`1001`). Parsing only checks the text; ``StoreState/resolveOrder(_:)`` finds the order.
public enum OrderName {
    /// The longest name taken: Shopify's prefix and suffix are at most 20 characters each.
    public static let maxLength = 64

    /// The text as typed, or `.badOrderName` for one that cannot be a name: empty, too long, or
    /// with spaces, control or other invisible characters.
    public static func parse(_ text: String) throws(OrderDeskError) -> String {
        guard isValid(text) else { throw .badOrderName(text) }
        return text
    }

    /// Whether text can be an order name: 1 to ``maxLength`` printable characters, none a space.
    public static func isValid(_ text: String) -> Bool {
        guard !text.isEmpty, text.count <= maxLength else { return false }
        return text.unicodeScalars.allSatisfy { s in
            switch s.properties.generalCategory {
            case .control, .format, .spaceSeparator, .lineSeparator, .paragraphSeparator, .surrogate, .privateUse,
                .unassigned:
                return false
            default: return true
            }
        }
    }

    /// The number typed for an order (`1001` or `#1001`), or nil when the text is a name.
    public static func number(_ text: String) -> Int? {
        let digits = text.hasPrefix("#") ? text.dropFirst() : Substring(text)
        guard !digits.isEmpty, digits.count <= 18, digits.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        return Int(digits)
    }

    /// The order number inside a name as a shop writes it: its longest run of digits, the first of
    /// equally long runs (`Her2065` → 2065, `#N13073` → 13073, `#1042-R1` → 1042), or nil when it
    /// has none (or one too long for a number).
    public static func embeddedNumber(_ name: String) -> Int? {
        var best: Substring = ""
        var i = name.startIndex
        while i < name.endIndex {
            guard name[i].isASCII, name[i].isNumber else {
                i = name.index(after: i)
                continue
            }
            var j = i
            while j < name.endIndex, name[j].isASCII, name[j].isNumber { j = name.index(after: j) }
            if name.distance(from: i, to: j) > best.count { best = name[i..<j] }
            i = j
        }
        guard !best.isEmpty, best.count <= 18 else { return nil }
        return Int(best)
    }
}

/// A day as typed: `YYYY-MM-DD`, `today`, or days back such as `7d`.
public enum DateSpec: Sendable, Equatable {
    case day(year: Int, month: Int, day: Int)
    case daysAgo(Int)

    /// Parses the three forms, or throws `.badDate`.
    public static func parse(_ text: String) throws(OrderDeskError) -> DateSpec {
        if text == "today" { return .daysAgo(0) }
        if text == "yesterday" { return .daysAgo(1) }
        if text.hasSuffix("d"), let n = Int(text.dropLast()), n >= 0, n < 100_000 { return .daysAgo(n) }
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
            Timestamp(year: y, month: m, day: d) != nil
        else { throw .badDate(text) }
        return .day(year: y, month: m, day: d)
    }

    /// The first second of this day in local time (`offset` seconds east of UTC).
    public func start(now: Timestamp, offset: Int) -> Timestamp {
        switch self {
        case .day(let y, let m, let d):
            return Timestamp(year: y, month: m, day: d)!.adding(seconds: Int64(-offset))
        case .daysAgo(let n):
            let local = now.seconds + Int64(offset)
            let midnight = floorDiv(local, 86_400) * 86_400
            return Timestamp(seconds: midnight - Int64(n) * 86_400 - Int64(offset))
        }
    }

    /// The last second of this day in local time.
    public func end(now: Timestamp, offset: Int) -> Timestamp {
        start(now: now, offset: offset).adding(seconds: 86_399)
    }
}
