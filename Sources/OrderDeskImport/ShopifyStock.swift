import CSV
import OrderDeskCore

/// Reads Shopify's inventory export (Products → Inventory → Export) into stock levels per SKU.
///
/// Columns: `Handle`, `SKU`, and `Available` or `On hand`. Newer exports name them
/// `Available (not editable)` and `On hand (current)`; those are taken too, `Available` first.
/// A SKU stocked at several locations has one row per location: the levels are added up.
/// Rows without a SKU, and `not stocked` levels, are passed over (they cannot be matched to
/// order lines).
public enum ShopifyStock {
    /// What reading an inventory export gave.
    public struct Result: Sendable {
        /// Units per SKU.
        public var levels: [String: Int]
        /// Rows passed over because they have no SKU.
        public var rowsWithoutSKU: Int
        public var problems: [ImportProblem]
    }

    public static func read(bytes: some Collection<UInt8>) -> Result {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            return Result(levels: [:], rowsWithoutSKU: 0, problems: [ImportProblem(.file, "is not UTF-8 text")])
        }
        return read(text)
    }

    public static func read(_ text: String) -> Result {
        var text = text
        if text.unicodeScalars.first == "\u{FEFF}" { text.unicodeScalars.removeFirst() }
        var result = Result(levels: [:], rowsWithoutSKU: 0, problems: [])
        let reader: CSVReader
        do {
            reader = try CSVReader(string: text, hasHeaderRow: false)
        } catch {
            result.problems.append(ImportProblem(.file, "could not be read as CSV: \(error)"))
            return result
        }
        guard let header = reader.next(), !(header.count == 1 && header[0].trimmed.isEmpty) else {
            result.problems.append(ImportProblem(.file, "is empty; expected Shopify's inventory export with a header row"))
            return result
        }
        let names = header.map { $0.trimmed.lowercased() }
        func column(_ exact: String, prefix: String) -> (Int, String)? {
            if let i = names.firstIndex(of: exact) { return (i, header[i].trimmed) }
            if let i = names.firstIndex(where: { $0.hasPrefix(prefix) && !$0.contains("(new)") }) {
                return (i, header[i].trimmed)
            }
            return nil
        }
        guard let sku = names.firstIndex(of: "sku"),
            let (level, levelName) = column("available", prefix: "available (") ?? column("on hand", prefix: "on hand (")
        else {
            var missing: [String] = []
            if !names.contains("sku") { missing.append("SKU") }
            if column("available", prefix: "available (") == nil && column("on hand", prefix: "on hand (") == nil {
                missing.append("Available or On hand")
            }
            result.problems.append(
                ImportProblem(
                    .line(1),
                    "the header has no \(missing.joined(separator: " and ")) column; is this Shopify's inventory export (Products → Inventory → Export)?"
                ))
            return result
        }
        var fields = FieldReader()
        var line = 1 + ShopifyCSVReader.lineBreaks(in: header)
        var lastStart = 1
        var lastSpansLines = false
        while let row = reader.next() {
            let start = line + 1
            line = start + ShopifyCSVReader.lineBreaks(in: row)
            if row.allSatisfy({ $0.isEmpty }) { continue }
            lastStart = start
            lastSpansLines = line > start
            guard row.count == header.count else {
                fields.fail(
                    .line(start),
                    "the row has \(row.count) field\(row.count == 1 ? "" : "s") but the header has \(header.count); a quote may be missing or extra"
                )
                continue
            }
            let code = row[sku].trimmed
            let text = row[level].trimmed
            guard !code.isEmpty else {
                result.rowsWithoutSKU += 1
                continue
            }
            if text.isEmpty || text.lowercased() == "not stocked" { continue }
            let negative = text.hasPrefix("-")
            let digits = negative ? String(text.dropFirst()) : text
            guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), let n = Int(digits), n <= 1_000_000_000
            else {
                fields.fail(.line(start), "\(levelName) \(FieldReader.quoted(text)) is not a whole number of units")
                continue
            }
            result.levels[code, default: 0] += negative ? -n : n
        }
        if lastSpansLines && ShopifyCSVReader.hasUnclosedQuote(text) {
            fields.fail(.line(lastStart), ShopifyCSVReader.unclosedQuoteMessage)
        }
        result.problems += fields.problems
        return result
    }
}
