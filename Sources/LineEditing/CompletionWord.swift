/// The word under the cursor, as TAB completion sees it.
///
/// The word is the text after the last space before the cursor that is not
/// inside quotes. A leading quote (`"` or `'`) is kept apart: it is not part
/// of the text that candidates are matched against.
struct CompletionWord: Equatable {
    /// The word exactly as typed, including a leading quote.
    let typed: String
    /// The quote the word opens with, if any.
    let quote: Character?
    /// The text that candidates must start with (the word without its quote).
    var stem: String { quote == nil ? typed : String(typed.dropFirst()) }

    /// Extracts the word that ends at the cursor.
    init(textBeforeCursor text: String) {
        var openQuote: Character?
        var start = text.startIndex
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            let next = text.index(after: index)
            if let quote = openQuote {
                if character == quote { openQuote = nil }
            } else if character == "\"" || character == "'" {
                openQuote = character
            } else if character == " " || character == "\t" {
                start = next
            }
            index = next
        }
        typed = String(text[start...])
        if let first = typed.first, first == "\"" || first == "'" {
            quote = first
        } else {
            quote = nil
        }
    }
}
