/// Splits a command line into words, like a shell.
///
/// `'…'` and `"…"` quote, `\` escapes, and a `#` at the start of a word begins a comment
/// unless a digit follows it (`#1001` is an order).
public enum Tokenizer {
    /// The words of a line; throws `.unclosedQuote` when a quote is left open.
    public static func words(_ line: String) throws(OrderDeskError) -> [String] {
        let result = scan(line)
        if result.openQuote != nil { throw .unclosedQuote }
        return result.words
    }

    /// The result of a lenient scan: the words, and the quote left open at the end, if any.
    public struct Scan: Sendable, Equatable {
        public var words: [String]
        /// True when the line ends in white space, so the next word has not started.
        public var endsInSpace: Bool
        public var openQuote: Character?
    }

    /// Scans without failing, for completion of a partly typed line.
    public static func scan(_ line: String) -> Scan {
        var words: [String] = []
        var current = ""
        var inWord = false
        var quote: Character?
        let iterator = Array(line)
        var i = 0
        while i < iterator.count {
            let c = iterator[i]
            if let q = quote {
                if c == q {
                    quote = nil
                } else if c == "\\" && q == "\"" && i + 1 < iterator.count
                    && (iterator[i + 1] == "\"" || iterator[i + 1] == "\\")
                {
                    i += 1
                    current.append(iterator[i])
                } else {
                    current.append(c)
                }
                i += 1
                continue
            }
            switch c {
            case " ", "\t", "\n", "\r":
                if inWord {
                    words.append(current)
                    current = ""
                    inWord = false
                }
            case "'", "\"":
                quote = c
                inWord = true
            case "\\":
                inWord = true
                if i + 1 < iterator.count {
                    i += 1
                    current.append(iterator[i])
                }
            case "#" where !inWord:
                let next = i + 1 < iterator.count ? iterator[i + 1] : " "
                if next.isASCII && next.isNumber {
                    inWord = true
                    current.append(c)
                } else {
                    return Scan(words: words, endsInSpace: true, openQuote: nil)
                }
            default:
                inWord = true
                current.append(c)
            }
            i += 1
        }
        let endsInSpace = !inWord && quote == nil
        if inWord { words.append(current) }
        return Scan(words: words, endsInSpace: endsInSpace, openQuote: quote)
    }

    /// Quotes a word so that `words` reads it back unchanged.
    public static func quote(_ word: String) -> String {
        let plain = !word.isEmpty && word.allSatisfy { $0.isLetter || $0.isNumber || "-_.,:/=@+%".contains($0) }
        if plain || (word.hasPrefix("#") && word.dropFirst().first?.isNumber == true && !word.contains(" ")) {
            return word
        }
        return "'" + word.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "'\\''") + "'"
    }
}
