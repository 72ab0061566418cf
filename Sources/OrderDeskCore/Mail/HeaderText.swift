/// Header values that mail software reads as meant, whatever text they carry (RFC 5322, RFC 2047).
///
/// Control characters (a CR or LF among them, escape sequences, bidi overrides) become spaces
/// first, so that not even a header decoded by the mail client holds a line break. Then text that
/// is printable ASCII goes as it is (a display name quoted when it has specials), and anything
/// else — letters outside ASCII (Zoë, 渡辺, Ελένη) — goes as RFC 2047 encoded words
/// (`=?utf-8?B?…?=`), base64 inside. So no text from a customer can end a header line or start another.
enum HeaderText {
    /// The text with every control character as a space, runs of spaces as one.
    static func withoutControls(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { Sanitizer.isControl($0) || $0 == "\t" }) else { return text }
        var out = String.UnicodeScalarView()
        for s in text.unicodeScalars {
            let space = Sanitizer.isControl(s) || s == "\t"
            if space && out.last == " " { continue }
            out.append(space ? " " : s)
        }
        return String(out).trimmingSpaces
    }

    /// The longest encoded word RFC 2047 allows.
    static let encodedWordLimit = 75

    /// An unstructured value (the subject): as it is when printable ASCII, else encoded words.
    /// `used` is how much of the first line the header's name takes (`Subject: ` is 9).
    static func unstructured(_ text: String, used: Int) -> String {
        let text = withoutControls(text)
        // A word too long for a line of 998 goes encoded, which splits anywhere.
        if isPlain(text) && !text.split(separator: " ").contains(where: { $0.utf8.count > 900 }) {
            return fold(text, used: used)
        }
        return encodedWords(text, used: used)
    }

    /// A display name and an address: `Zoë Martin <zoe@example.com>` as
    /// `=?utf-8?B?Wm/DqyBNYXJ0aW4=?= <zoe@example.com>`; just the address without a name.
    static func mailbox(name: String, address: String, used: Int) -> String {
        let name = withoutControls(name).trimmingSpaces
        guard !name.isEmpty else { return address }
        let phrase: String
        if isPlain(name) {
            phrase = isAtoms(name) ? name : quoted(name)
            let line = phrase + " <" + address + ">"
            if used + line.utf8.count <= 78 { return line }
            return phrase + "\n <" + address + ">"
        }
        phrase = encodedWords(name, used: used)
        let lines = phrase.split(separator: "\n")
        let lastLine = (lines.last.map { $0.utf8.count } ?? 0) + (lines.count == 1 ? used : 0)
        return phrase + (lastLine + address.utf8.count + 3 <= 78 ? " <" : "\n <") + address + ">"
    }

    /// Printable ASCII, no line breaks, and no run that looks like an encoded word.
    static func isPlain(_ text: String) -> Bool {
        text.utf8.allSatisfy { $0 >= 32 && $0 < 127 } && !text.contains("=?")
    }

    /// Words of atom characters separated by single spaces: needs no quotes in a phrase.
    static func isAtoms(_ text: String) -> Bool {
        text.split(separator: " ", omittingEmptySubsequences: false).allSatisfy { word in
            !word.isEmpty && word.utf8.allSatisfy { MailAddress.isAlphanumeric($0) || MailAddress.localSpecials.contains($0) }
        }
    }

    /// A quoted string: `"Kauppa, Oy"`, with `"` and `\` escaped.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for c in text {
            if c == "\"" || c == "\\" { out.append("\\") }
            out.append(c)
        }
        return out + "\""
    }

    /// Folds plain text at spaces so that lines stay within 78 characters where it has spaces
    /// (a fold puts a line break before a space that is there already).
    static func fold(_ text: String, used: Int) -> String {
        var lines: [String] = []
        var line: String?
        var room = 78 - used
        for word in text.split(separator: " ", omittingEmptySubsequences: false) {
            guard let current = line else {
                line = String(word)
                continue
            }
            if current.utf8.count + 1 + word.utf8.count > room && !current.trimmingSpaces.isEmpty {
                lines.append(current)
                line = String(word)
                room = 77
            } else {
                line = current + " " + word
            }
        }
        lines.append(line ?? "")
        return lines.joined(separator: "\n ")
    }

    /// Encoded words of the text's UTF-8, each within 75 characters and never splitting a
    /// character, on folded lines.
    static func encodedWords(_ text: String, used: Int) -> String {
        let prefix = "=?utf-8?B?"
        let overhead = prefix.utf8.count + 2
        // 4 base64 characters carry 3 bytes; the first line has less room.
        var words: [String] = []
        var chunk: [UInt8] = []
        var room = min(encodedWordLimit, 78 - used) - overhead
        for c in text {
            let bytes = Array(String(c).utf8)
            if (chunk.count + bytes.count + 2) / 3 * 4 > room && !chunk.isEmpty {
                words.append(prefix + Base64.encode(chunk) + "?=")
                chunk = []
                room = encodedWordLimit - overhead
            }
            chunk += bytes
        }
        if !chunk.isEmpty || words.isEmpty { words.append(prefix + Base64.encode(chunk) + "?=") }
        return words.joined(separator: "\n ")
    }
}

/// Base64 (RFC 4648), for encoded words.
enum Base64 {
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var i = 0
        while i < bytes.count {
            let b0 = bytes[i]
            let b1 = i + 1 < bytes.count ? bytes[i + 1] : 0
            let b2 = i + 2 < bytes.count ? bytes[i + 2] : 0
            out.append(alphabet[Int(b0 >> 2)])
            out.append(alphabet[Int((b0 & 0x03) << 4 | b1 >> 4)])
            out.append(i + 1 < bytes.count ? alphabet[Int((b1 & 0x0F) << 2 | b2 >> 6)] : UInt8(ascii: "="))
            out.append(i + 2 < bytes.count ? alphabet[Int(b2 & 0x3F)] : UInt8(ascii: "="))
            i += 3
        }
        return String(decoding: out, as: UTF8.self)
    }
}
