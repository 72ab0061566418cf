/// Terminal styling: ANSI colour when on, plain text when off.
public struct Style: Sendable {
    public var color: Bool

    public init(color: Bool) { self.color = color }

    /// Plain text, for pipes, files and `NO_COLOR`.
    public static let plain = Style(color: false)

    func wrap(_ text: String, _ code: String) -> String {
        color && !text.isEmpty ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }

    public func bold(_ text: String) -> String { wrap(text, "1") }
    public func dim(_ text: String) -> String { wrap(text, "2") }
    public func red(_ text: String) -> String { wrap(text, "31") }
    public func green(_ text: String) -> String { wrap(text, "32") }
    public func yellow(_ text: String) -> String { wrap(text, "33") }
    public func cyan(_ text: String) -> String { wrap(text, "36") }
    /// Struck through, as Shopify shows a cancelled order.
    public func strike(_ text: String) -> String { wrap(text, "9") }
}

/// Removes terminal control sequences from untrusted text before it is printed.
public enum Sanitizer {
    /// The text with escape sequences and control characters removed (tabs and newlines become spaces).
    public static func clean(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var out = String.UnicodeScalarView()
        var scalars = text.unicodeScalars.makeIterator()
        while let s = scalars.next() {
            if s == "\u{1B}" || s == "\u{9B}" {
                // Skip an escape sequence: CSI (ESC [ ... final byte), OSC (ESC ] ... BEL/ST) or ESC + one char.
                var next = s == "\u{9B}" ? "[" : scalars.next()
                if next == "[" {
                    while let c = scalars.next(), !(c.value >= 0x40 && c.value <= 0x7E) {}
                } else if next == "]" || next == "P" || next == "_" || next == "^" {
                    while let c = scalars.next() {
                        if c == "\u{07}" || c == "\u{9C}" { break }
                        if c == "\u{1B}" {
                            next = scalars.next()
                            break
                        }
                    }
                }
                continue
            }
            if s == "\t" || s == "\n" || s == "\r" {
                out.append(" ")
            } else if !isControl(s) {
                out.append(s)
            }
        }
        return String(out)
    }

    static func isControl(_ s: Unicode.Scalar) -> Bool {
        s.value < 0x20 || s.value == 0x7F || (s.value >= 0x80 && s.value < 0xA0)
            || s.value == 0x2028 || s.value == 0x2029 || (s.value >= 0x202A && s.value <= 0x202E)
            || (s.value >= 0x2066 && s.value <= 0x2069)
    }
}
