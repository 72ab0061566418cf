/// The parts every preview shares: labelled rows, the stock changes, the notice.
///
/// Cancel, recreate, restock (and later return) previews are built from these, so the same
/// thing looks the same in each.
enum PreviewView {
    /// The width of the label column: "  Money    ".
    static let labelWidth = 9

    /// A labelled row: `  Money    refund 12.00 EUR now …`.
    static func row(_ label: String, _ text: String) -> String {
        "  " + label.padding(labelWidth) + text
    }

    /// A row continuing the one above, under its text.
    static func continued(_ text: String) -> String {
        String(repeating: " ", count: 2 + labelWidth) + text
    }

    /// Stock per SKU, before → after, aligned: positive quantities go back to stock, negative
    /// ones are taken. Lines of one SKU are added up, in the order they first appear.
    static func stock(_ changes: [(sku: String, quantity: Int)], inventory: [String: Int], style: Style, none: String) -> [String] {
        var bySKU: [(sku: String, quantity: Int)] = []
        for change in changes where change.quantity != 0 {
            if let i = bySKU.firstIndex(where: { $0.sku == change.sku }) {
                bySKU[i].quantity += change.quantity
            } else {
                bySKU.append(change)
            }
        }
        guard !bySKU.isEmpty else { return [row("Stock", none)] }
        let width = bySKU.map { displayWidth(Sanitizer.clean($0.sku)) }.max() ?? 0
        return bySKU.enumerated().map { i, change in
            let before = inventory[change.sku] ?? 0
            let after = before + change.quantity
            let sign = change.quantity > 0 ? "+" : "−"
            let oversold = after < 0 ? style.red("  oversold") : ""
            let text = Sanitizer.clean(change.sku).padding(width) + "  \(before) → \(after) (\(sign)\(abs(change.quantity)))" + oversold
            return i == 0 ? row("Stock", text) : continued(text)
        }
    }

    /// The notice as the customer will read it, or that there is none.
    static func notice(_ notice: Notice?, style: Style, body: Bool = true) -> [String] {
        guard let notice else { return [row("Notice", "none: the customer is not notified")] }
        let to = notice.to.isEmpty ? "(no email on the order)" : Sanitizer.clean(notice.to)
        let language = notice.language.map { " (\(Sanitizer.clean($0)))" } ?? ""
        var out = [row("Notice", "to \(to): \"\(Sanitizer.clean(notice.subject))\"" + language)]
        switch notice.status {
        case .held?, .undeliverable?: out.append(continued(style.yellow("not sent: " + Sanitizer.clean(notice.reason ?? ""))))
        default: break
        }
        if body {
            for line in notice.body.split(separator: "\n", omittingEmptySubsequences: false) {
                out.append(style.dim(continued("│ " + Sanitizer.clean(String(line)))))
            }
        }
        return out
    }

    /// What became of a notice after its change, for the line after "cancelled": "queued.",
    /// "not sent: the order has no email address.", "not sent: demo store.".
    static func noticeState(_ notice: Notice) -> String {
        switch notice.status {
        case .held?, .undeliverable?: return "not sent: \(Sanitizer.clean(notice.reason ?? "")); kept in the outbox."
        default: return "queued in the outbox."
        }
    }
}
