import OrderDeskCore

/// A message as ``MessageFact`` reads it: folded sentences of words, and the numbers in it.
public struct MessageText: Sendable {
    /// Each sentence's words, folded (case and accents aside), apostrophes kept inside words.
    public let sentences: [[String]]
    /// Every value each number in the text may stand for (`3,600` → 3600 and 3.6).
    public let numbers: [Double]
    /// The numbers written without separators (`1003`, `#1003`), for order numbers.
    public let integers: [Double]

    public init(_ text: String) {
        let folded = TextFold.fold(text).map { c -> Character in c == "’" || c == "‘" || c == "`" ? "'" : c }
        var sentences: [[String]] = []
        var words: [String] = []
        var word = ""
        func endWord() {
            while word.hasSuffix("'") { word.removeLast() }
            if !word.isEmpty { words.append(word) }
            word = ""
        }
        func endSentence() {
            endWord()
            if !words.isEmpty { sentences.append(words) }
            words = []
        }
        for (i, c) in folded.enumerated() {
            if c.isLetter || c.isNumber {
                word.append(c)
            } else if c == "'" && !word.isEmpty {
                word.append(c)
            } else if c == "." || c == "," {
                // Inside a number (47.40, 3,600) a separator is part of the word; elsewhere a full stop ends a sentence.
                let next = i + 1 < folded.count ? folded[i + 1] : " "
                if let last = word.last, last.isNumber, next.isNumber {
                    word.append(c)
                } else {
                    if c == "." { endSentence() } else { endWord() }
                }
            } else if c == "!" || c == "?" || c == ";" || c == ":" || c.isNewline {
                endSentence()
            } else {
                endWord()
            }
        }
        endSentence()
        self.sentences = sentences
        var numbers: [Double] = []
        var integers: [Double] = []
        for sentence in sentences {
            for w in sentence {
                for run in Self.numberRuns(in: w) {
                    numbers += Self.values(of: run)
                    if run.allSatisfy(\.isNumber), let n = Double(run) { integers.append(n) }
                }
            }
        }
        self.numbers = numbers
        self.integers = integers
    }

    /// The runs of digits and inner separators in a word (`her2065` → `2065`, `47,40` → `47,40`).
    static func numberRuns(in word: String) -> [String] {
        var runs: [String] = []
        var run = ""
        for c in word {
            if c.isASCII && c.isNumber || (!run.isEmpty && (c == "." || c == ",")) {
                run.append(c)
            } else {
                while let last = run.last, !last.isNumber { run.removeLast() }
                if !run.isEmpty { runs.append(run) }
                run = ""
            }
        }
        while let last = run.last, !last.isNumber { run.removeLast() }
        if !run.isEmpty { runs.append(run) }
        return runs
    }

    /// What a run of digits and separators may mean: the last separator before one or two
    /// digits is a decimal point, before three digits either a decimal point or a thousands
    /// separator; the others are thousands separators.
    static func values(of run: String) -> [Double] {
        let parts = run.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "." || $0 == "," }).map(String.init)
        guard parts.count > 1 else { return Double(run).map { [$0] } ?? [] }
        let whole = parts.joined()
        var out: [Double] = []
        let last = parts.last!
        let head = parts.dropLast().joined()
        if last.count <= 3, let d = Double(head + "." + last) { out.append(d) }
        if last.count == 3, let d = Double(whole) { out.append(d) }
        return out
    }

    /// Whether the text states a phrasing (see ``MessageFact``); `=word` matches that word only.
    public func says(_ phrasing: String) -> Bool {
        let exactAll = phrasing.hasPrefix("=")
        var pattern: [(word: String, exact: Bool, gap: Bool)] = []
        for token in phrasing.drop(while: { $0 == "=" }).split(whereSeparator: \.isWhitespace) {
            if token == "*" {
                pattern.append(("", false, true))
                continue
            }
            for w in MessageText(String(token)).sentences.flatMap({ $0 }) { pattern.append((w, exactAll || w.count < 4, false)) }
        }
        guard !pattern.isEmpty else { return false }
        for sentence in sentences {
            for start in sentence.indices where match(pattern, 0, sentence, start) && !negated(sentence, start) { return true }
        }
        return false
    }

    private func match(_ pattern: [(word: String, exact: Bool, gap: Bool)], _ p: Int, _ words: [String], _ w: Int) -> Bool {
        guard p < pattern.count else { return true }
        let item = pattern[p]
        if item.gap {
            for skip in 0...3 where w + skip <= words.count && match(pattern, p + 1, words, w + skip) { return true }
            return false
        }
        guard w < words.count else { return false }
        let word = words[w]
        guard item.exact ? word == item.word : word.hasPrefix(item.word) else { return false }
        return match(pattern, p + 1, words, w + 1)
    }

    /// Whether the words before `start` negate what follows: `not`, `never`, `cannot` or a
    /// `…n't` up to four words before, `no` or `without` just before.
    func negated(_ words: [String], _ start: Int) -> Bool {
        let negators: Set<String> = ["not", "never", "cannot", "neither", "nor"]
        for back in 1...4 where start - back >= 0 {
            let w = words[start - back]
            if negators.contains(w) || w.hasSuffix("n't") { return true }
            if back == 1 && (w == "no" || w == "without") { return true }
        }
        return false
    }

    /// Whether a word (or words, folded) stands in the text on its own.
    public func hasWord(_ folded: String) -> Bool {
        let target = MessageText(folded).sentences.flatMap { $0 }
        guard !target.isEmpty else { return false }
        for sentence in sentences where sentence.count >= target.count {
            for start in 0...(sentence.count - target.count) where Array(sentence[start..<(start + target.count)]) == target {
                return true
            }
        }
        return false
    }

    /// Whether the text names the amount in any form a person types it.
    public func mentions(amount: Money) -> Bool {
        guard let target = Double(amount.description) else { return false }
        return numbers.contains { abs($0 - target) < 0.0005 }
    }
}
