/// Removes terminal control sequences from untrusted text before it is printed.
public enum Sanitizer {
    /// The text with escape sequences and control characters removed (tabs and newlines become spaces).
    /// ``clean(_:)`` line by line: the line breaks stay.
    public static func cleanLines(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { clean(String($0)) }.joined(separator: "\n")
    }

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

    /// Text someone typed, as an error message quotes it: cleaned, and cut to `limit` characters
    /// with an ellipsis, so that a 10,000-character word does not fill the screen.
    public static func excerpt(_ text: String, limit: Int = 40) -> String {
        let clean = clean(text)
        guard clean.count > limit else { return clean }
        return String(clean.prefix(limit)) + "…"
    }

    /// Whether a scalar is a control character, a line or paragraph separator, or a bidi
    /// override or isolate: what must never reach a terminal or a customer as is.
    public static func isControl(_ s: Unicode.Scalar) -> Bool {
        s.value < 0x20 || s.value == 0x7F || (s.value >= 0x80 && s.value < 0xA0)
            || s.value == 0x2028 || s.value == 0x2029 || (s.value >= 0x202A && s.value <= 0x202E)
            || (s.value >= 0x2066 && s.value <= 0x2069)
    }
}
