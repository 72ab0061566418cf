import LineEditing
import OrderDeskCore
import OrderDeskStore

/// The live shell: one loop that reads a line, runs it, and prints what came of it.
final class LiveShell {
    let session: Session
    let editor: LineEditor
    let store: any OrderStore

    init(session: Session, store: any OrderStore, historyFile: String?) {
        self.session = session
        self.store = store
        editor = LineEditor(programName: "orderdesk", historyFile: historyFile)
        editor.completer = { [store] text in Completion.candidates(for: text, state: store.state) }
        session.prompter = EditorPrompter(editor)
        session.history = { [editor] in editor.history() }
    }

    var prompt: String {
        let style = session.style
        let name = store.isDemo ? "demo" : (store.location.split(separator: "/").last.map(String.init) ?? store.location)
        return style.cyan(name) + " " + style.green(Sanitizer.clean(session.agent)) + "> "
    }

    /// Runs until Ctrl-D or `quit`; returns the exit code.
    func run() -> Int32 {
        let console = session.console
        let count = store.state.orders.count
        console.out(
            session.style.bold("OrderDesk") + " — \(store.isDemo ? "demo store" : "store") \(store.location), \(count) order\(count == 1 ? "" : "s"). "
                + "Type 'help' for commands, TAB to complete, Ctrl-D to leave.")
        for warning in store.warnings { console.err(session.style.yellow("note: ") + warning) }
        while true {
            switch editor.readLine(prompt: prompt) {
            case .endOfInput:
                console.out("")
                return 0
            case .interrupted:
                continue
            case .line(let line):
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                if trimmed.isEmpty { continue }
                editor.record(trimmed)
                do {
                    let news = try store.refresh()
                    if !news.isEmpty { console.err(session.style.dim(Self.news(news))) }
                } catch {
                    console.err("error: " + error.message)
                    return error.exitCode
                }
                let result = session.execute(line, interactive: true)
                if let output = result.output, !output.isEmpty { console.out(output) }
                if let error = result.error {
                    if !result.reported { console.err(session.style.red("error: ") + error.message) }
                    if error.exitCode == 3 { return 3 }
                }
                if result.quit { return 0 }
            }
        }
    }

    /// "2 changes by bob since your last command".
    static func news(_ events: [Event]) -> String {
        var agents: [String] = []
        for e in events where !agents.contains(e.agent) { agents.append(Sanitizer.clean(e.agent)) }
        return "\(events.count) change\(events.count == 1 ? "" : "s") by \(agents.joined(separator: ", ")) since your last command"
    }
}

/// Questions asked through the line editor, without touching the history.
final class EditorPrompter: Prompter {
    let editor: LineEditor

    init(_ editor: LineEditor) { self.editor = editor }

    func ask(_ question: String) -> String? {
        switch editor.readLine(prompt: question) {
        case .line(let answer): return answer
        case .interrupted, .endOfInput: return nil
        }
    }
}
