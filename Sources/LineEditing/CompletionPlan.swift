/// What TAB should do to the line, given the word under the cursor and the candidates.
///
/// Pure logic, kept apart from libedit so that it can be tested without a terminal.
enum CompletionPlan: Equatable {
    /// Insert this text at the cursor.
    case insert(String)
    /// Delete this many Unicode scalars before the cursor, then insert the text.
    /// Used when the typed word must change, e.g. to add quotes or fix letter case.
    case replace(deletingScalars: Int, with: String)
    /// Nothing to insert: show these candidates.
    case list([String])
    /// No candidate fits.
    case beep

    /// Plans the completion of the word that ends at the cursor.
    ///
    /// Candidates are plain words, without quotes; they are shown in the given order.
    /// Those that do not start with the word are dropped; if none starts with it
    /// exactly, those that start with it ignoring case are kept.
    static func make(textBeforeCursor: String, candidates: [String]) -> CompletionPlan {
        let word = CompletionWord(textBeforeCursor: textBeforeCursor)
        let matches = matching(candidates, stem: word.stem)
        guard let first = matches.first else { return .beep }

        let completed: String
        if matches.count == 1 {
            completed = quoted(first, quote: word.quote, closed: true) + " "
        } else {
            let prefix = commonPrefix(matches)
            guard prefix.count > word.stem.count else { return .list(matches) }
            completed = quoted(prefix, quote: word.quote, closed: false)
        }
        return edit(from: word.typed, to: completed)
    }

    /// The longest common prefix of the strings, compared character by character.
    static func commonPrefix(_ strings: [String]) -> String {
        guard let first = strings.first else { return "" }
        var prefix = Substring(first)
        for string in strings.dropFirst() {
            prefix = prefix.prefix(zip(prefix, string).prefix { $0 == $1 }.count)
        }
        return String(prefix)
    }

    private static func matching(_ candidates: [String], stem: String) -> [String] {
        var seen = Set<String>()
        let unique = candidates.filter { seen.insert($0).inserted }
        let exact = unique.filter { $0.hasPrefix(stem) }
        if !exact.isEmpty { return exact }
        let lowered = stem.lowercased()
        return unique.filter { $0.lowercased().hasPrefix(lowered) }
    }

    /// The text as it should appear on the line: quoted if it was typed with a
    /// quote or if it contains a space.
    private static func quoted(_ text: String, quote: Character?, closed: Bool) -> String {
        guard let mark = quote ?? (text.contains(" ") ? "\"" : nil) else { return text }
        return String(mark) + text + (closed ? String(mark) : "")
    }

    /// The smallest edit turning the typed word into the completed one.
    private static func edit(from typed: String, to completed: String) -> CompletionPlan {
        let old = Array(typed.unicodeScalars)
        let new = Array(completed.unicodeScalars)
        if new.starts(with: old) {
            var rest = String.UnicodeScalarView()
            rest.append(contentsOf: new[old.count...])
            return .insert(String(rest))
        }
        return .replace(deletingScalars: old.count, with: completed)
    }
}
