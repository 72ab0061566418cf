/// Finds where a text stops being valid JSON, so that a damaged file can be reported
/// with a byte position (Foundation's decoder only says "not valid JSON").
///
/// Only run on the failure path; it does not build any values.
struct JSONSyntax {
    /// Where the text went wrong: the byte offset and what was found there.
    struct Failure: Error, Sendable {
        var offset: Int
        var problem: String
    }

    private let bytes: [UInt8]
    private var index = 0
    private var depth = 0
    private static let maximumDepth = 512

    private init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// The first syntax error in `bytes`, or nil when they hold exactly one JSON value.
    static func firstError(in bytes: [UInt8]) -> Failure? {
        var parser = JSONSyntax(bytes)
        do throws(Failure) {
            parser.skipSpace()
            try parser.value()
            parser.skipSpace()
            if parser.index < bytes.count {
                throw Failure(offset: parser.index, problem: "unexpected \(parser.describe(parser.index)) after the end of the document")
            }
            return nil
        } catch {
            return error
        }
    }

    private func describe(_ at: Int) -> String {
        guard at < bytes.count else { return "end of data" }
        let byte = bytes[at]
        if byte >= 0x21 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        let hex = String(byte, radix: 16)
        return "byte 0x" + (hex.count < 2 ? "0" + hex : hex)
    }

    private func fail(_ expected: String) -> Failure {
        Failure(offset: index, problem: "expected \(expected), found \(describe(index))")
    }

    private mutating func skipSpace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    private mutating func value() throws(Failure) {
        guard index < bytes.count else { throw fail("a value") }
        switch bytes[index] {
        case UInt8(ascii: "{"): try object()
        case UInt8(ascii: "["): try array()
        case UInt8(ascii: "\""): try string()
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try number()
        default: throw fail("a value")
        }
    }

    private mutating func nest() throws(Failure) {
        depth += 1
        if depth > Self.maximumDepth {
            throw Failure(offset: index, problem: "nested more than \(Self.maximumDepth) levels deep")
        }
    }

    private mutating func object() throws(Failure) {
        try nest()
        index += 1
        skipSpace()
        if index < bytes.count && bytes[index] == UInt8(ascii: "}") {
            index += 1
            depth -= 1
            return
        }
        while true {
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw fail("a member name in quotes") }
            try string()
            skipSpace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw fail("':'") }
            index += 1
            skipSpace()
            try value()
            skipSpace()
            guard index < bytes.count else { throw fail("',' or '}'") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                skipSpace()
                continue
            }
            if bytes[index] == UInt8(ascii: "}") {
                index += 1
                depth -= 1
                return
            }
            throw fail("',' or '}'")
        }
    }

    private mutating func array() throws(Failure) {
        try nest()
        index += 1
        skipSpace()
        if index < bytes.count && bytes[index] == UInt8(ascii: "]") {
            index += 1
            depth -= 1
            return
        }
        while true {
            try value()
            skipSpace()
            guard index < bytes.count else { throw fail("',' or ']'") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                skipSpace()
                continue
            }
            if bytes[index] == UInt8(ascii: "]") {
                index += 1
                depth -= 1
                return
            }
            throw fail("',' or ']'")
        }
    }

    private mutating func string() throws(Failure) {
        let start = index
        index += 1
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                return
            case UInt8(ascii: "\\"):
                index += 1
                guard index < bytes.count else { continue }
                switch bytes[index] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
                    UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    index += 1
                case UInt8(ascii: "u"):
                    for k in 1...4 {
                        guard index + k < bytes.count, bytes[index + k].isHexDigit else {
                            index += k
                            throw fail("a hex digit in a \\u escape")
                        }
                    }
                    index += 5
                default:
                    throw Failure(offset: index, problem: "bad escape \\\(describe(index)) in a string")
                }
            case 0..<0x20:
                throw Failure(offset: index, problem: "a control character (\(describe(index))) inside a string")
            case 0x80...:
                let length: Int
                switch byte {
                case 0xC2...0xDF: length = 2
                case 0xE0...0xEF: length = 3
                case 0xF0...0xF4: length = 4
                default: throw Failure(offset: index, problem: "invalid UTF-8 (\(describe(index)))")
                }
                for k in 1..<length {
                    guard index + k < bytes.count, bytes[index + k] & 0xC0 == 0x80 else {
                        throw Failure(offset: index, problem: "invalid UTF-8 (\(describe(index)))")
                    }
                }
                index += length
            default:
                index += 1
            }
        }
        throw Failure(offset: bytes.count, problem: "the data ends inside a string (opened at byte \(start))")
    }

    private mutating func literal(_ word: String) throws(Failure) {
        for expected in word.utf8 {
            guard index < bytes.count, bytes[index] == expected else { throw fail("'\(word)'") }
            index += 1
        }
    }

    private mutating func number() throws(Failure) {
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count, bytes[index].isDigit else { throw fail("a digit") }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
        } else {
            while index < bytes.count && bytes[index].isDigit { index += 1 }
        }
        if index < bytes.count && bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard index < bytes.count, bytes[index].isDigit else { throw fail("a digit after '.'") }
            while index < bytes.count && bytes[index].isDigit { index += 1 }
        }
        if index < bytes.count && (bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E")) {
            index += 1
            if index < bytes.count && (bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-")) {
                index += 1
            }
            guard index < bytes.count, bytes[index].isDigit else { throw fail("a digit in the exponent") }
            while index < bytes.count && bytes[index].isDigit { index += 1 }
        }
    }
}

extension UInt8 {
    fileprivate var isDigit: Bool { self >= UInt8(ascii: "0") && self <= UInt8(ascii: "9") }
    fileprivate var isHexDigit: Bool {
        isDigit || (self >= UInt8(ascii: "a") && self <= UInt8(ascii: "f"))
            || (self >= UInt8(ascii: "A") && self <= UInt8(ascii: "F"))
    }
}
