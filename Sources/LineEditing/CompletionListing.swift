/// Lays out completion candidates in columns that fit the terminal, like `ls`.
struct CompletionListing {
    /// The most candidates shown; the rest are summed up in a last line.
    static let limit = 100

    /// The lines to print: candidates in the given order, running down the columns.
    static func lines(for candidates: [String], width: Int, limit: Int = Self.limit) -> [String] {
        let shown = Array(candidates.prefix(limit))
        guard !shown.isEmpty else { return [] }
        let columnWidth = (shown.map(\.count).max() ?? 0) + 2
        let columns = max(1, min(shown.count, max(width, 1) / columnWidth))
        let rows = (shown.count + columns - 1) / columns

        var lines: [String] = []
        for row in 0..<rows {
            var line = ""
            for column in 0..<columns {
                let index = column * rows + row
                guard index < shown.count else { break }
                let item = shown[index]
                let isLast = column == columns - 1 || index + rows >= shown.count
                line += isLast ? item : item + String(repeating: " ", count: columnWidth - item.count)
            }
            lines.append(line)
        }
        if candidates.count > shown.count {
            lines.append("… \(candidates.count - shown.count) more")
        }
        return lines
    }
}
