/// What one call to ``LineEditor/readLine(prompt:)`` produced.
public enum LineInput: Equatable, Sendable {
    /// A line the user entered, without its trailing newline.
    case line(String)
    /// The user pressed Ctrl-C: the line was abandoned.
    case interrupted
    /// The user pressed Ctrl-D on an empty line, or input ended.
    case endOfInput
}
