/// One notice template: a subject line and body lines with named fields, as a shop writes them.
///
/// The file's first line is `Subject: …`, the second is empty, the rest is the body. `{order}`
/// puts a field's value in; `{{` and `}}` are braces. A line may start with conditions in
/// brackets, `[paid]`, `[!first_name]`, `[reason=fraud]`, `[!returned=1]`, several separated by
/// commas: the line is kept only when they all hold. A line that uses a field with no value in
/// this notice (no offer, nothing owed) is left out too. Blank lines left side by side by the
/// lines left out become one. Unknown fields and conditions are refused when the file is read,
/// with its name and line.
public struct NoticeTemplate: Sendable, Hashable {
    /// Where it came from, for problems: `templates/cancel.fi.txt` or `built-in cancel.fi`.
    public var file: String
    public var kind: NoticeKind
    public var language: String
    var subject: [Piece]
    var lines: [Line]

    enum Piece: Sendable, Hashable {
        case text(String)
        case field(String)
    }

    struct Condition: Sendable, Hashable {
        var field: String
        var value: String?
        var negated: Bool

        func holds(_ values: [String: String]) -> Bool {
            let present = value.map { values[field] == $0 } ?? (values[field] != nil)
            return present != negated
        }
    }

    struct Line: Sendable, Hashable {
        var conditions: [Condition]
        var pieces: [Piece]
    }

    /// Reads a template; refuses a missing subject and unknown fields, with the file and line.
    public init(file: String, kind: NoticeKind, language: String, text: String) throws(TemplateProblem) {
        self.file = file
        self.kind = kind
        self.language = language
        var rows = text.split(separator: "\n", omittingEmptySubsequences: false).map { row in
            row.last == "\r" ? String(row.dropLast()) : String(row)
        }
        if rows.last == "" { rows.removeLast() }
        guard let first = rows.first, first.hasPrefix("Subject:") else {
            throw TemplateProblem(file: file, line: 1, text: "the first line must be the subject: Subject: …")
        }
        let known = Set(kind.fields)
        subject = try Self.pieces(String(first.dropFirst(8)).trimmingSpaces, kind: kind, file: file, line: 1)
        guard !subject.isEmpty else { throw TemplateProblem(file: file, line: 1, text: "the subject is empty") }
        guard rows.count >= 2, rows[1].trimmingSpaces.isEmpty else {
            throw TemplateProblem(file: file, line: 2, text: "the line after the subject must be empty")
        }
        var lines: [Line] = []
        for (i, row) in rows.enumerated().dropFirst(2) {
            var rest = Substring(row)
            var conditions: [Condition] = []
            if rest.hasPrefix("["), let close = rest.firstIndex(of: "]") {
                for part in rest[rest.index(after: rest.startIndex)..<close].split(separator: ",") {
                    var word = Substring(String(part).trimmingSpaces)
                    let negated = word.hasPrefix("!")
                    if negated { word = word.dropFirst() }
                    var value: String?
                    if let eq = word.firstIndex(of: "=") {
                        value = String(word[word.index(after: eq)...])
                        word = word[..<eq]
                    }
                    guard known.contains(String(word)) else {
                        throw TemplateProblem(file: file, line: i + 1, text: Self.unknown(String(word), kind: kind, in: "condition"))
                    }
                    conditions.append(Condition(field: String(word), value: value, negated: negated))
                }
                rest = rest[rest.index(after: close)...]
                if rest.first == " " { rest = rest.dropFirst() }
            }
            lines.append(
                Line(conditions: conditions, pieces: try Self.pieces(String(rest), kind: kind, file: file, line: i + 1)))
        }
        self.lines = lines
    }

    static func unknown(_ name: String, kind: NoticeKind, in what: String) -> String {
        "unknown field \(what == "field" ? "{\(name)}" : "'\(name)' in a condition"); a \(kind.rawValue) notice has: "
            + kind.fields.joined(separator: ", ")
    }

    static func pieces(_ text: String, kind: NoticeKind, file: String, line: Int) throws(TemplateProblem) -> [Piece] {
        let known = Set(kind.fields)
        var out: [Piece] = []
        var literal = ""
        var i = text.startIndex
        while i < text.endIndex {
            let c = text[i]
            let next = text.index(after: i)
            if c == "{" && next < text.endIndex && text[next] == "{" {
                literal.append("{")
                i = text.index(after: next)
            } else if c == "}" && next < text.endIndex && text[next] == "}" {
                literal.append("}")
                i = text.index(after: next)
            } else if c == "{" {
                guard let close = text[next...].firstIndex(of: "}") else {
                    throw TemplateProblem(file: file, line: line, text: "a { is not closed (write {{ for a brace)")
                }
                let name = String(text[next..<close])
                guard known.contains(name) else {
                    throw TemplateProblem(file: file, line: line, text: unknown(name, kind: kind, in: "field"))
                }
                if !literal.isEmpty { out.append(.text(literal)) }
                literal = ""
                out.append(.field(name))
                i = text.index(after: close)
            } else if c == "}" {
                throw TemplateProblem(file: file, line: line, text: "a } without its { (write }} for a brace)")
            } else {
                literal.append(c)
                i = next
            }
        }
        if !literal.isEmpty { out.append(.text(literal)) }
        return out
    }

    /// The subject and body for these values (a field without a value is not in `values`).
    public func render(_ values: [String: String]) -> (subject: String, body: String) {
        var subject = ""
        for piece in self.subject {
            switch piece {
            case .text(let t): subject += t
            case .field(let name): subject += values[name] ?? ""
            }
        }
        // Written straight into one string (this runs for every cancel of a batch): a line that
        // uses a missing field is left out, blank lines left side by side become one, and none
        // is kept at the end.
        var body = ""
        var lastWasBlank = true
        var blankWaiting = false
        lines: for line in lines where line.conditions.allSatisfy({ $0.holds(values) }) {
            var text = ""
            for piece in line.pieces {
                switch piece {
                case .text(let t): text += t
                case .field(let name):
                    guard let v = values[name] else { continue lines }
                    text += v
                }
            }
            if text.utf8.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }) {
                if !lastWasBlank { blankWaiting = true }
                lastWasBlank = true
                continue
            }
            if !body.isEmpty { body += blankWaiting ? "\n\n" : "\n" }
            body += text
            blankWaiting = false
            lastWasBlank = false
        }
        return (subject, body)
    }
}

/// A template that cannot be used: its file, the line, and what is wrong.
public struct TemplateProblem: Error, Sendable, Hashable {
    public var file: String
    /// 0 when the problem is the file as a whole (a template missing).
    public var line: Int
    public var text: String

    public init(file: String, line: Int, text: String) {
        self.file = file
        self.line = line
        self.text = text
    }

    public var message: String { line > 0 ? "\(file):\(line): \(text)" : "\(file): \(text)" }
}
