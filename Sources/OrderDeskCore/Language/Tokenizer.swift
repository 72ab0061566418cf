/// Splits a command line into words, like a shell.
///
/// `'…'` and `"…"` quote, `\` escapes, and a `#` at the start of a word begins a comment
/// unless the word has a digit in it (`#1001`, `#N13073` are orders).
public enum Tokenizer {
    /// The words of a line; throws `.unclosedQuote` when a quote is left open.
    public static func words(_ line: String) throws(OrderDeskError) -> [String] {
        try tokens(line).map(\.text)
    }

    /// One word of a line, and whether any of it was quoted or escaped (`'--x'` is a value, not a flag).
    public struct Token: Sendable, Equatable {
        public var text: String
        public var quoted: Bool

        public init(_ text: String, quoted: Bool = false) {
            self.text = text
            self.quoted = quoted
        }
    }

    /// The tokens of a line; throws `.unclosedQuote` when a quote is left open.
    public static func tokens(_ line: String) throws(OrderDeskError) -> [Token] {
        let result = scan(line)
        if result.openQuote != nil { throw .unclosedQuote }
        return zip(result.words, result.quoted).map { Token($0, quoted: $1) }
    }

    /// The result of a lenient scan: the words, and the quote left open at the end, if any.
    public struct Scan: Sendable, Equatable {
        public var words: [String]
        /// True when the line ends in white space, so the next word has not started.
        public var endsInSpace: Bool
        /// For each word, whether any of it was quoted or escaped.
        public var quoted: [Bool] = []
        public var openQuote: Character?
    }

    /// Scans without failing, for completion of a partly typed line.
    ///
    /// The line is read by Unicode scalar, not by `Character`: a quote, backslash, `#` or white
    /// space followed by a combining mark (or `\r\n`, one `Character`) still counts, so that what
    /// the shell sees is what `quote` protects.
    public static func scan(_ line: String) -> Scan {
        var words: [String] = []
        var quotedWords: [Bool] = []
        var current = String.UnicodeScalarView()
        var inWord = false
        var wordQuoted = false
        var quote: Unicode.Scalar?
        let scalars = Array(line.unicodeScalars)
        var i = 0
        while i < scalars.count {
            let c = scalars[i]
            if let q = quote {
                if c == q {
                    quote = nil
                } else if c == "\\" && q == "\"" && i + 1 < scalars.count
                    && (scalars[i + 1] == "\"" || scalars[i + 1] == "\\")
                {
                    i += 1
                    current.append(scalars[i])
                } else {
                    current.append(c)
                }
                i += 1
                continue
            }
            switch c {
            case " ", "\t", "\n", "\r":
                if inWord {
                    words.append(String(current))
                    quotedWords.append(wordQuoted)
                    current = String.UnicodeScalarView()
                    inWord = false
                    wordQuoted = false
                }
            case "'", "\"":
                quote = c
                inWord = true
                wordQuoted = true
            case "\\":
                inWord = true
                wordQuoted = true
                if i + 1 < scalars.count {
                    i += 1
                    current.append(scalars[i])
                }
            case "#" where !inWord:
                if Self.isOrderName(after: i, in: scalars) {
                    inWord = true
                    current.append(c)
                } else {
                    return Scan(words: words, endsInSpace: true, quoted: quotedWords, openQuote: nil)
                }
            default:
                inWord = true
                current.append(c)
            }
            i += 1
        }
        let endsInSpace = !inWord && quote == nil
        if inWord {
            words.append(String(current))
            quotedWords.append(wordQuoted)
        }
        return Scan(words: words, endsInSpace: endsInSpace, quoted: quotedWords, openQuote: quote.map(Character.init))
    }

    /// Quotes a word so that `words` reads it back unchanged.
    ///
    /// A word is left bare only when it holds nothing the tokenizer treats specially (checked per
    /// Unicode scalar, as `scan` reads); an order such as `#1001` stays bare too.
    public static func quote(_ word: String) -> String {
        let plain =
            !word.isEmpty && word.allSatisfy { $0.isLetter || $0.isNumber || "-_.,:/=@+%".contains($0) }
            && !word.unicodeScalars.contains(where: isSpecial)
        let rest = String(word.unicodeScalars.dropFirst())
        let order =
            word.unicodeScalars.first == "#" && rest.unicodeScalars.contains { ("0"..."9").contains($0) }
            && quote(rest) == rest
        if plain || order { return word }
        var quoted = String.UnicodeScalarView()
        quoted.append("'")
        for scalar in word.unicodeScalars {
            if scalar == "'" {
                quoted.append(contentsOf: "'\\''".unicodeScalars)
            } else {
                quoted.append(scalar)
            }
        }
        quoted.append("'")
        return String(quoted)
    }

    /// Whether the `#` at `i` begins an order name rather than a comment: the word it starts
    /// (up to white space or a quote) has a digit in it, as every Shopify order name has
    /// (`#1001`, `#N13073`, `#glow1042`); `# note` and `#todo` are comments.
    static func isOrderName(after i: Int, in scalars: [Unicode.Scalar]) -> Bool {
        var j = i + 1
        while j < scalars.count {
            switch scalars[j] {
            case " ", "\t", "\n", "\r", "'", "\"", "\\", "#": return false
            case "0"..."9": return true
            default: j += 1
            }
        }
        return false
    }

    /// Scalars that end a word, quote, escape or start a comment.
    private static func isSpecial(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case " ", "\t", "\n", "\r", "'", "\"", "\\", "#": return true
        default: return false
        }
    }
}
