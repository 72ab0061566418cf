/// Text as people type it when they search: lowercased, without accents (`Zoë` → `zoe`,
/// `Søren Højgaard` → `soren hojgaard`, `Yılmaz` → `yilmaz`, `straße` → `strasse`).
///
/// Pure and table-driven (no locale, no Foundation): letters of Latin-1 and Latin Extended-A map
/// to their base letters, other Latin letters with marks to the letter their Unicode name gives,
/// and combining marks (U+0300–U+036F) are dropped. The four characters that lowercase to, or are
/// canonically equivalent to, ASCII (`İ`, the Kelvin sign, the Greek question mark, the Greek
/// varia) fold to that ASCII, so a folded text that holds an ASCII word holds its bytes too.
/// Other scripts (さくら, 渡辺) are only lowercased.
public enum TextFold {
    /// The text lowercased and without accents.
    public static func fold(_ text: String) -> String {
        var ascii = true
        for byte in text.utf8 where byte >= 0x80 {
            ascii = false
            break
        }
        if ascii { return text.lowercased() }
        var out = String.UnicodeScalarView()
        for scalar in text.lowercased().unicodeScalars {
            let v = scalar.value
            if v < 0x80 {
                out.append(scalar)
            } else if (0x300...0x36F).contains(v) {
                continue
            } else if let base = base(of: scalar) {
                out.append(contentsOf: base.unicodeScalars)
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }

    /// The words of a search text: split at spaces, tabs and commas (`Moreau, Zoë`), folded.
    public static func words(_ text: String) -> [String] {
        fold(text).split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "," }).map(String.init)
    }

    /// The ASCII a lowercase letter with marks stands for; nil to keep the character.
    static func base(of scalar: Unicode.Scalar) -> String? {
        let v = Int(scalar.value)
        switch v {
        case 0xDF: return "ss"
        case 0xE6: return "ae"
        case 0xF0: return "d"
        case 0xFE: return "th"
        case 0xF7, 0xD7: return nil
        case 0xC0...0xFF:
            let letters = Array("aaaaaaaceeeeiiiidnooooo-ouuuuyty")
            let c = letters[(v - 0xC0) % 32]
            return c == "-" ? nil : String(c)
        case 0x100...0x17F:
            let letters = Array(
                "aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiiijjjjkkkllllllllllnnnnnnnnnoooooooorrrrrrssssssssttttttuuuuuuuuuuuuwwyyyzzzzzzs"
            )
            if v == 0x132 || v == 0x133 { return "ij" }
            if v == 0x152 || v == 0x153 { return "oe" }
            return String(letters[v - 0x100])
        case 0x37E: return ";"
        case 0x1FEF: return "`"
        case 0x212A: return "k"
        case 0x180...0x24F, 0x1E00...0x1EFF:
            // LATIN SMALL LETTER O WITH HORN → o
            guard let name = scalar.properties.name, name.hasPrefix("LATIN SMALL LETTER ") else { return nil }
            let rest = name.dropFirst("LATIN SMALL LETTER ".count)
            guard let letter = rest.first, rest.dropFirst().hasPrefix(" WITH ") else { return nil }
            return String(letter).lowercased()
        default: return nil
        }
    }
}
