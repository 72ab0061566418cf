import OrderDeskCore

/// A JSON value as a lesson file holds it.
///
/// Lesson files are written by hand, by trainers, so they are read with a small parser of their own
/// rather than Foundation's: objects keep their keys in the order written (and a repeated key is
/// reported, not silently dropped), numbers keep the text they were written with (`12.50` stays
/// `12.50`, never a binary float), `true` is never confused with `1`, and a syntax error says the
/// line and column.
public indirect enum LessonJSON: Sendable, Equatable {
    case object([Member])
    case array([LessonJSON])
    case string(String)
    /// A number, as written.
    case number(String)
    case bool(Bool)
    case null

    /// One `"key": value` of an object.
    public struct Member: Sendable, Equatable {
        public var key: String
        public var value: LessonJSON
    }

    /// Where a text stops being JSON, and why.
    public struct SyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
        /// 1-based line and column (in characters) of the problem.
        public var line: Int
        public var column: Int
        public var problem: String
        public var description: String { "\(line):\(column): \(problem)" }
    }

    /// Parses one JSON document (a UTF-8 byte-order mark is allowed).
    public static func parse(_ text: String) throws(SyntaxError) -> LessonJSON {
        var parser = Parser(Array(text.unicodeScalars))
        parser.skipSpace()
        if parser.peek == "\u{FEFF}" {
            parser.index += 1
            parser.skipSpace()
        }
        guard !parser.atEnd else { throw parser.error("the file is empty; a lesson is a JSON object { … }") }
        let value = try parser.value(depth: 0)
        parser.skipSpace()
        guard parser.atEnd else { throw parser.error("unexpected text after the end of the JSON value") }
        return value
    }

    /// What kind of value this is, in words, for messages: `a string`, `a number`.
    public var kind: String {
        switch self {
        case .object: return "an object"
        case .array: return "a list"
        case .string: return "a string"
        case .number: return "a number"
        case .bool: return "true or false"
        case .null: return "null"
        }
    }

    /// The value as it appears in a file, shortened, for messages: `"12,50"`, `12.5`, `[…]`.
    public var shown: String {
        switch self {
        case .object: return "{…}"
        case .array: return "[…]"
        case .string(let s):
            let cut = s.count > 40 ? String(s.prefix(39)) + "…" : s
            return "\"" + Sanitizer.clean(cut) + "\""
        case .number(let n): return n
        case .bool(let b): return b ? "true" : "false"
        case .null: return "null"
        }
    }

    private struct Parser {
        let scalars: [Unicode.Scalar]
        var index = 0

        init(_ scalars: [Unicode.Scalar]) { self.scalars = scalars }

        var atEnd: Bool { index >= scalars.count }
        var peek: Unicode.Scalar? { atEnd ? nil : scalars[index] }

        /// The deepest nesting accepted: far more than any lesson needs, and no stack overflow.
        static let maxDepth = 64

        func error(_ problem: String, at position: Int? = nil) -> SyntaxError {
            let end = min(position ?? index, scalars.count)
            var line = 1
            var column = 1
            for i in 0..<end {
                if scalars[i] == "\n" {
                    line += 1
                    column = 1
                } else {
                    column += 1
                }
            }
            return SyntaxError(line: line, column: column, problem: problem)
        }

        mutating func skipSpace() {
            while let c = peek, c == " " || c == "\t" || c == "\n" || c == "\r" { index += 1 }
        }

        mutating func value(depth: Int) throws(SyntaxError) -> LessonJSON {
            guard depth < Self.maxDepth else { throw error("the values are nested too deeply") }
            skipSpace()
            guard let c = peek else { throw error("the file ends where a value should be") }
            switch c {
            case "{": return try object(depth: depth)
            case "[": return try array(depth: depth)
            case "\"": return .string(try string())
            case "t": return try literal("true", .bool(true))
            case "f": return try literal("false", .bool(false))
            case "n": return try literal("null", .null)
            case "-", "0"..."9": return .number(try number())
            case "'": throw error("strings are written in double quotes \"…\", not single quotes")
            default:
                throw error("expected a value (a string in double quotes, a number, true, false, null, [ or {), found '\(Self.show(c))'")
            }
        }

        mutating func object(depth: Int) throws(SyntaxError) -> LessonJSON {
            index += 1
            var members: [Member] = []
            skipSpace()
            if peek == "}" {
                index += 1
                return .object(members)
            }
            while true {
                skipSpace()
                guard peek == "\"" else {
                    if peek == "}" { throw error("a comma before '}' leaves an empty member; remove the last comma") }
                    throw error(atEnd ? "the file ends inside an object; close it with '}'" : "expected a field name in double quotes")
                }
                let key = try string()
                skipSpace()
                guard peek == ":" else { throw error("expected ':' after the field name \"\(key)\"") }
                index += 1
                let value = try value(depth: depth + 1)
                members.append(Member(key: key, value: value))
                skipSpace()
                switch peek {
                case ",": index += 1
                case "}":
                    index += 1
                    return .object(members)
                case nil: throw error("the file ends inside an object; close it with '}'")
                default: throw error("expected ',' or '}' after the value of \"\(key)\"")
                }
            }
        }

        mutating func array(depth: Int) throws(SyntaxError) -> LessonJSON {
            index += 1
            var items: [LessonJSON] = []
            skipSpace()
            if peek == "]" {
                index += 1
                return .array(items)
            }
            while true {
                skipSpace()
                if peek == "]" { throw error("a comma before ']' leaves an empty item; remove the last comma") }
                items.append(try value(depth: depth + 1))
                skipSpace()
                switch peek {
                case ",": index += 1
                case "]":
                    index += 1
                    return .array(items)
                case nil: throw error("the file ends inside a list; close it with ']'")
                default: throw error("expected ',' or ']' after a list item")
                }
            }
        }

        mutating func literal(_ word: String, _ result: LessonJSON) throws(SyntaxError) -> LessonJSON {
            let start = index
            for expected in word.unicodeScalars {
                guard peek == expected else {
                    throw error("expected a value; did you mean \(word)? (strings need double quotes)", at: start)
                }
                index += 1
            }
            return result
        }

        mutating func number() throws(SyntaxError) -> String {
            let start = index
            if peek == "-" { index += 1 }
            func digits() -> Int {
                var n = 0
                while let c = peek, ("0"..."9").contains(c) {
                    index += 1
                    n += 1
                }
                return n
            }
            let integerStart = index
            guard digits() > 0 else { throw error("a number needs digits after '-'") }
            if scalars[integerStart] == "0" && index - integerStart > 1 {
                throw error("a number cannot start with 0 (write it as a string if it is a code)", at: start)
            }
            if peek == "." {
                index += 1
                guard digits() > 0 else { throw error("a number needs digits after the decimal point") }
            }
            if peek == "e" || peek == "E" {
                index += 1
                if peek == "+" || peek == "-" { index += 1 }
                guard digits() > 0 else { throw error("a number needs digits in its exponent") }
            }
            return String(String.UnicodeScalarView(scalars[start..<index]))
        }

        mutating func string() throws(SyntaxError) -> String {
            let start = index
            index += 1
            var out = String.UnicodeScalarView()
            while true {
                guard let c = peek else { throw error("the string is not closed; end it with \"", at: start) }
                index += 1
                switch c {
                case "\"":
                    return String(out)
                case "\\":
                    guard let e = peek else { throw error("the string is not closed; end it with \"", at: start) }
                    index += 1
                    switch e {
                    case "\"": out.append("\"")
                    case "\\": out.append("\\")
                    case "/": out.append("/")
                    case "b": out.append("\u{08}")
                    case "f": out.append("\u{0C}")
                    case "n": out.append("\n")
                    case "r": out.append("\r")
                    case "t": out.append("\t")
                    case "u":
                        var code = try hex4()
                        if (0xD800...0xDBFF).contains(code) {
                            guard peek == "\\", index + 1 < scalars.count, scalars[index + 1] == "u" else {
                                throw error("a \\u escape of a high surrogate must be followed by a low one")
                            }
                            index += 2
                            let low = try hex4()
                            guard (0xDC00...0xDFFF).contains(low) else {
                                throw error("a \\u escape of a high surrogate must be followed by a low one")
                            }
                            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                        }
                        guard let scalar = Unicode.Scalar(code) else { throw error("\\u escape of a lone surrogate") }
                        out.append(scalar)
                    default:
                        throw error("'\\\(Self.show(e))' is not an escape; use \\\\ for a backslash, \\n for a new line, \\\" for a quote")
                    }
                case "\n":
                    throw error("a string cannot run over a line end; write \\n for a new line")
                default:
                    if c.value < 0x20 { throw error("a control character inside a string; write it as an escape such as \\t") }
                    out.append(c)
                }
            }
        }

        mutating func hex4() throws(SyntaxError) -> UInt32 {
            var code: UInt32 = 0
            for _ in 0..<4 {
                guard let c = peek, let digit = Self.hexDigit(c) else { throw error("\\u needs four hexadecimal digits") }
                code = code * 16 + digit
                index += 1
            }
            return code
        }

        static func hexDigit(_ c: Unicode.Scalar) -> UInt32? {
            switch c {
            case "0"..."9": return c.value - 48
            case "a"..."f": return c.value - 97 + 10
            case "A"..."F": return c.value - 65 + 10
            default: return nil
            }
        }

        static func show(_ c: Unicode.Scalar) -> String {
            guard c.value < 0x20 || c.value == 0x7F else { return String(c) }
            let hex = String(c.value, radix: 16, uppercase: true)
            return "U+" + String(repeating: "0", count: 4 - hex.count) + hex
        }
    }
}
