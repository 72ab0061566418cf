/// Columns of text aligned by their width on a terminal (wide CJK characters count twice).
struct TextTable {
    enum Alignment { case left, right }
    var headers: [String]
    var alignments: [Alignment]
    var rows: [[String]] = []

    init(_ headers: [String], _ alignments: [Alignment]) {
        self.headers = headers
        self.alignments = alignments
    }

    mutating func add(_ row: [String]) { rows.append(row) }

    /// The table as lines; headers styled with `style`. Cells may hold ANSI escapes.
    func render(_ style: Style, indent: String = "") -> String {
        var widths = headers.map(displayWidth)
        for row in rows {
            for (i, cell) in row.enumerated() where i < widths.count {
                widths[i] = max(widths[i], displayWidth(cell))
            }
        }
        func line(_ cells: [String]) -> String {
            var out = indent
            for (i, cell) in cells.enumerated() {
                let pad = String(repeating: " ", count: max(0, widths[i] - displayWidth(cell)))
                let last = i == cells.count - 1
                switch alignments[i] {
                case .left: out += cell + (last ? "" : pad)
                case .right: out += pad + cell
                }
                if !last { out += "  " }
            }
            return out
        }
        var lines = [style.bold(line(headers))]
        lines += rows.map(line)
        return lines.joined(separator: "\n")
    }
}

/// Columns a string takes on a terminal, ignoring ANSI escapes.
func displayWidth(_ text: String) -> Int {
    var width = 0
    var inEscape = false
    for s in text.unicodeScalars {
        if inEscape {
            if s.value >= 0x40 && s.value <= 0x7E && s != "[" { inEscape = false }
            continue
        }
        if s == "\u{1B}" {
            inEscape = true
            continue
        }
        let v = s.value
        if v < 0x20 || (v >= 0x300 && v <= 0x36F) || v == 0x200D || (v >= 0xFE00 && v <= 0xFE0F) { continue }
        let wide =
            (v >= 0x1100 && v <= 0x115F) || (v >= 0x2E80 && v <= 0xA4CF) || (v >= 0xAC00 && v <= 0xD7A3)
            || (v >= 0xF900 && v <= 0xFAFF) || (v >= 0xFE30 && v <= 0xFE4F) || (v >= 0xFF00 && v <= 0xFF60)
            || (v >= 0xFFE0 && v <= 0xFFE6) || (v >= 0x1F300 && v <= 0x1FAFF) || (v >= 0x20000 && v <= 0x3FFFD)
        width += wide ? 2 : 1
    }
    return width
}

/// Cuts text to at most `limit` columns, with an ellipsis.
func truncated(_ text: String, _ limit: Int) -> String {
    guard displayWidth(text) > limit else { return text }
    var out = ""
    for c in text {
        if displayWidth(out + String(c)) > limit - 1 { break }
        out.append(c)
    }
    return out + "…"
}
