/// Limits on the text the desk keeps or sends: customers never get a control character or a
/// 30 MB message, and staff notes stay one clean line.
///
/// - Text that goes to customers: a `notify` body (at most ``noticeLimit`` characters; newlines
///   and tabs allowed) and a cancel `--offer` (at most ``offerLimit``, one line).
/// - Text that stays with the store: staff notes (`--note`, at most ``noteLimit``, one line),
///   feedback text (at most ``feedbackLimit``; newlines and tabs allowed) and agent names (at
///   most ``agentLimit``, one line).
///
/// NUL, ESC, the other C0 and C1 controls, DEL, line and paragraph separators and bidi
/// overrides are refused everywhere (``Sanitizer/isControl(_:)`` says which).
public enum InputRules {
    /// The longest `notify` body, in characters.
    public static let noticeLimit = 10_000
    /// The longest `--offer`, in characters.
    public static let offerLimit = 255
    /// The longest staff note: Shopify's limit.
    public static let noteLimit = 255
    /// The longest feedback text, in characters.
    public static let feedbackLimit = 10_000
    /// The longest agent name, in characters.
    public static let agentLimit = 64

    /// An agent name as `--agent` or the environment gives it: one line, at most ``agentLimit``.
    public static func agentName(_ name: String) throws(OrderDeskError) {
        try line(name, what: "the agent name", limit: agentLimit)
    }

    /// Text of several lines: newlines and tabs allowed, other controls refused.
    public static func body(_ text: String, what: String, limit: Int) throws(OrderDeskError) {
        try length(text, what: what, limit: limit)
        if let bad = text.unicodeScalars.first(where: { $0 != "\n" && $0 != "\t" && Sanitizer.isControl($0) }) {
            throw .controlCharacter(what: what, scalar: bad.value)
        }
    }

    /// Text of one line: every control refused.
    public static func line(_ text: String, what: String, limit: Int) throws(OrderDeskError) {
        try length(text, what: what, limit: limit)
        if let bad = text.unicodeScalars.first(where: Sanitizer.isControl) {
            throw .controlCharacter(what: what, scalar: bad.value)
        }
    }

    private static func length(_ text: String, what: String, limit: Int) throws(OrderDeskError) {
        // The UTF-8 size bounds the count from above: no need to count a short text's characters.
        guard text.utf8.count > limit else { return }
        let count = text.count
        if count > limit { throw .textTooLong(what: what, length: count, limit: limit) }
    }
}
