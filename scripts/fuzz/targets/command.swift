// libFuzzer target: the command-line tokenizer and parser (OrderDeskCore).
//
// Any input bytes, read as UTF-8 (invalid bytes become U+FFFD, as a terminal or a script file
// would hand them over). Besides "never crashes", it checks the properties the shell relies on:
// - `words` succeeds exactly when `scan` leaves no quote open, and returns the same words;
// - `quote` is read back unchanged by `words` (completion and history rely on it);
// - a line and the same words re-quoted (quoted words stay quoted) parse to the same command or
//   the same error;
// - every refusal has a message;
// - completion on the line (and on every prefix of a short line) does not crash.
import Glibc
import OrderDeskCore
import OrderDeskPractice

let completionState = TrainingStore.make()

func describe(_ line: String) -> String {
    do {
        guard let command = try Command.parse(line) else { return "nothing" }
        return "command \(command)"
    } catch {
        let message = error.message
        require(!message.isEmpty, "an error without a message: \(error)")
        return "error \(message)"
    }
}

/// A word in single quotes whatever it holds (`'` written as `'\''`), so it stays a quoted value.
func forceQuote(_ word: String) -> String {
    var quoted = String.UnicodeScalarView()
    quoted.append("'")
    for scalar in word.unicodeScalars {
        if scalar == "'" { quoted.append(contentsOf: "'\\''".unicodeScalars) } else { quoted.append(scalar) }
    }
    quoted.append("'")
    return String(quoted)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCommand(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let line = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let scan = Tokenizer.scan(line)
    do {
        let words = try Tokenizer.words(line)
        require(scan.openQuote == nil, "words() accepted a line with an open quote")
        require(words == scan.words, "words() and scan() disagree")
    } catch {
        require(scan.openQuote != nil, "words() refused a line with no open quote: \(error)")
    }
    for word in scan.words {
        let quoted = Tokenizer.quote(word)
        let back = try? Tokenizer.words(quoted)
        require(back == [word], "quote(\(word.debugDescription)) = \(quoted.debugDescription) reads back as \(String(describing: back))")
    }
    let original = describe(line)
    // Re-quoting keeps what was quoted quoted (a quoted '--x' is a value, not a flag). A bare word
    // that starts with "-" and would need quotes cannot be written bare again: skip those lines.
    if scan.openQuote == nil, let tokens = try? Tokenizer.tokens(line),
        !tokens.contains(where: { !$0.quoted && $0.text.hasPrefix("-") && Tokenizer.quote($0.text) != $0.text })
    {
        let requoted = tokens.map { $0.quoted ? forceQuote($0.text) : Tokenizer.quote($0.text) }.joined(separator: " ")
        let again = describe(requoted)
        require(original == again, "\(line.debugDescription) -> \(original)\nrequoted \(requoted.debugDescription) -> \(again)")
    }
    _ = Completion.candidates(for: line, state: completionState)
    if size <= 64 {
        var prefix = ""
        for character in line {
            prefix.append(character)
            _ = Completion.candidates(for: prefix, state: completionState)
        }
    }
    return 0
}
