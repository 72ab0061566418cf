/// The body of a message: as it is when it is 7-bit text with short lines, else quoted-printable
/// (RFC 2045), which keeps every line within 76 characters whatever the text.
enum MessageBody {
    /// The `Content-Transfer-Encoding` and the encoded body, with `\n` line ends.
    static func encode(_ text: String) -> (encoding: String, body: String) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let plain = lines.allSatisfy { line in
            line.utf8.count <= 78 && line.utf8.allSatisfy { ($0 >= 32 && $0 < 127) || $0 == 9 }
                && line.last != " " && line.last != "\t"
        }
        if plain { return ("7bit", text) }
        return ("quoted-printable", lines.map { quotedPrintable(Array($0.utf8)) }.joined(separator: "\n"))
    }

    /// One line of text as quoted-printable lines of at most 76 characters (soft breaks `=`).
    static func quotedPrintable(_ bytes: [UInt8]) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        var width = 0
        for (i, b) in bytes.enumerated() {
            let last = i == bytes.count - 1
            var piece: [UInt8]
            // Spaces and tabs are encoded at the end of a line, where transports may drop them;
            // `=` always; anything outside printable ASCII always (a CR or control character too).
            if (b >= 33 && b <= 126 && b != UInt8(ascii: "=")) || ((b == 32 || b == 9) && !last) {
                piece = [b]
            } else {
                piece = [UInt8(ascii: "="), hex[Int(b >> 4)], hex[Int(b & 15)]]
            }
            // Room for a soft break `=` after the piece unless it ends the line.
            if width + piece.count > (last ? 76 : 75) {
                out += [UInt8(ascii: "="), UInt8(ascii: "\n")]
                width = 0
            }
            out += piece
            width += piece.count
        }
        return String(decoding: out, as: UTF8.self)
    }
}
