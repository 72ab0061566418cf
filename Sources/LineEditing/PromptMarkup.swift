/// Marks the escape sequences in a prompt so that libedit does not count them as visible.
///
/// libedit's `EL_PROMPT_ESC` takes a marker character: text between two markers
/// is written to the terminal but takes no room on screen. Without it, colour codes
/// make libedit misplace the cursor.
enum PromptMarkup {
    /// The marker character passed to `EL_PROMPT_ESC`.
    static let marker: Character = "\u{01}"
    /// The marker as a C character.
    static let markerByte = CChar(1)

    /// Wraps every ANSI escape sequence (CSI such as SGR colours, OSC, or two-byte) in markers.
    static func mark(_ prompt: String) -> String {
        let scalars = Array(prompt.unicodeScalars)
        var result = String.UnicodeScalarView()
        var index = 0
        while index < scalars.count {
            guard scalars[index] == "\u{1B}" else {
                result.append(scalars[index])
                index += 1
                continue
            }
            let end = endOfEscape(in: scalars, from: index)
            result.append(contentsOf: String(marker).unicodeScalars)
            result.append(contentsOf: scalars[index..<end])
            result.append(contentsOf: String(marker).unicodeScalars)
            index = end
        }
        return String(result)
    }

    /// The index just past the escape sequence starting at `start`.
    private static func endOfEscape(in scalars: [Unicode.Scalar], from start: Int) -> Int {
        var index = start + 1
        guard index < scalars.count else { return index }
        switch scalars[index] {
        case "[":  // CSI: parameters, then a final byte in 0x40...0x7E
            index += 1
            while index < scalars.count, !(0x40...0x7E).contains(scalars[index].value) { index += 1 }
            return min(index + 1, scalars.count)
        case "]":  // OSC: ends with BEL or ESC \
            index += 1
            while index < scalars.count {
                if scalars[index] == "\u{07}" { return index + 1 }
                if scalars[index] == "\u{1B}", index + 1 < scalars.count, scalars[index + 1] == "\\" { return index + 2 }
                index += 1
            }
            return index
        default:
            return index + 1
        }
    }
}
