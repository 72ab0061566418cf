/// Text cells of the CSV export made safe to open in a spreadsheet, and read back as they were.
///
/// OWASP's advice on CSV injection: a cell that begins with `=`, `+`, `-`, `@`, a tab or a
/// carriage return is taken as a formula by Excel, LibreOffice and Google Sheets
/// (`=HYPERLINK(…)`, `@SUM(…)`), so the export writes it with a single quote in front, which
/// spreadsheets show as text and do not display.
///
/// Only text that came from outside (names, emails, addresses, SKUs, titles, notes, tags) is
/// neutralised; the amounts, times, quantities and ids OrderDesk writes itself are not, so a
/// negative amount such as `-5.00` stays a number.
///
/// Round trip: ``neutralised(_:)`` also quotes a cell that already begins with `'`, and
/// ``restored(_:)`` (used by the import for every cell) takes one leading `'` away only when
/// a formula character or another `'` follows it. So every text survives export → import
/// unchanged (`=1+1` → `'=1+1` → `=1+1`; `'tis` → `''tis` → `'tis`), and a Shopify export's
/// own text is read as it is, except a cell beginning with `'=`, `'+`, `'-`, `'@` or `''`,
/// which loses that first quote. Shopify's quoted zip codes (`'02134`) lose their quote
/// through ``restoredZip(_:)``.
public enum CSVCell {
    /// The characters a spreadsheet takes as the start of a formula.
    static let formulaStarts: Set<Character> = ["=", "+", "-", "@", "\t", "\r"]

    /// The cell as written: with a `'` in front when it begins with a formula character or `'`.
    public static func neutralised(_ text: String) -> String {
        guard let first = text.unicodeScalars.first else { return text }
        return needsQuote(Character(first)) ? "'" + text : text
    }

    /// The cell as read: without the `'` that ``neutralised(_:)`` put in front.
    public static func restored(_ text: String) -> String {
        var scalars = text.unicodeScalars.makeIterator()
        guard scalars.next() == "'", let second = scalars.next(), needsQuote(Character(second)) else { return text }
        return String(text.unicodeScalars.dropFirst())
    }

    /// A zip code as read: Shopify writes `'02134` so that a spreadsheet keeps the leading zero.
    public static func restoredZip(_ text: String) -> String {
        text.hasPrefix("'") ? String(text.dropFirst()) : text
    }

    private static func needsQuote(_ c: Character) -> Bool { c == "'" || formulaStarts.contains(c) }
}
