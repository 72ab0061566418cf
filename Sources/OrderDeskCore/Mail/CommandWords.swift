/// Splits a configured command (`settings mail-command`) into the program and its arguments, the
/// way a shell splits words, without a shell: the words go to `posix_spawn` as they are, so
/// nothing in them is ever run as shell text.
///
/// Words are separated by spaces and tabs; `'…'` keeps everything inside as it is; `"…"` too,
/// except that a backslash there escapes the next character (`\"`, `\\`), as it does outside
/// quotes. No variables, globs, pipes or redirections: `$`, `*`, `|` and `>` are plain characters.
public enum CommandWords {
    /// Why a command cannot be split.
    public struct Problem: Error, Sendable, Equatable {
        public var text: String
    }

    public static func split(_ command: String) throws(Problem) -> [String] {
        var words: [String] = []
        var word = ""
        var inWord = false
        var quote: Character?
        var escaped = false
        for c in command {
            if c.isNewline || (c.asciiValue.map { $0 < 32 && $0 != 9 } ?? false) {
                throw Problem(text: "the command has a line break or a control character")
            }
            if escaped {
                word.append(c)
                escaped = false
                continue
            }
            switch quote {
            case "'":
                if c == "'" { quote = nil } else { word.append(c) }
            case "\"":
                if c == "\"" {
                    quote = nil
                } else if c == "\\" {
                    escaped = true
                } else {
                    word.append(c)
                }
            default:
                if c == " " || c == "\t" {
                    if inWord { words.append(word) }
                    word = ""
                    inWord = false
                } else if c == "'" || c == "\"" {
                    quote = c
                    inWord = true
                } else if c == "\\" {
                    escaped = true
                    inWord = true
                } else {
                    word.append(c)
                    inWord = true
                }
            }
        }
        if quote != nil { throw Problem(text: "a quote is not closed") }
        if escaped { throw Problem(text: "the command ends with a backslash") }
        if inWord { words.append(word) }
        return words
    }
}
