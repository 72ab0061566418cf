import Foundation
import LineEditing
import OrderDeskCore

/// Where a surface's lines come from: a script file, stdin, a text, or the person at the terminal.
protocol LineSource: AnyObject {
    /// How errors name the input (`orders.txt`, `stdin`); nil for lines typed live.
    var name: String? { get }

    /// The next line, a refused one, or nil at the end.
    func next() -> LineReader.Item?

    /// Whether the next line is already there (a batch then commits it with the ones before).
    func hasLine() -> Bool
}

extension LineReader: LineSource {
    var name: String? { Optional(label) }
}

/// The lines of a text held in memory (practice solutions, tests), split as a file's are.
final class TextLines: LineSource {
    let name: String?
    private var items: IndexingIterator<[LineReader.Item]>

    init(name: String, lines: [String]) {
        self.name = name
        items = lines.map { LineReader.Item.line($0) }.makeIterator()
    }

    init(name: String, text: String) {
        self.name = name
        items = ScriptLines.split(Array(text.utf8)).makeIterator()
    }

    func next() -> LineReader.Item? { items.next() }

    func hasLine() -> Bool { true }
}

/// Lines typed at the live prompt, each recorded in the history. Ctrl-C clears the line and asks again.
final class EditorLines: LineSource {
    let editor: LineEditor
    let prompt: () -> String
    var name: String? { nil }

    init(editor: LineEditor, prompt: @escaping () -> String) {
        self.editor = editor
        self.prompt = prompt
    }

    func next() -> LineReader.Item? {
        while true {
            switch editor.readLine(prompt: prompt()) {
            case .endOfInput:
                return nil
            case .interrupted:
                continue
            case .line(let line):
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                if trimmed.isEmpty { continue }
                editor.record(trimmed)
                return .line(line)
            }
        }
    }

    func hasLine() -> Bool { false }
}
