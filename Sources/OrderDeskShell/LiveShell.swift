import LineEditing
import OrderDeskCore
import OrderDeskStore

#if canImport(Glibc)
    import Glibc
#endif

/// The live shell: one loop that reads a line, runs it, and prints what came of it.
final class LiveShell {
    let session: Session
    let editor: LineEditor
    let store: any OrderStore
    /// Extra commands and a prompt name of a caller's own (practice); nil in the normal shell.
    var hook: LiveShellHook?

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
        let storeName = store.isDemo ? "demo" : (store.location.split(separator: "/").last.map(String.init) ?? store.location)
        let name = hook?.promptName() ?? storeName
        return style.cyan(name) + " " + style.green(Sanitizer.clean(session.agent)) + "> "
    }

    /// Runs until Ctrl-D or `quit`; returns the exit code.
    func run() -> Int32 {
        // A Ctrl-C while a command runs must not end the session: the line editor catches it while
        // reading (it clears the line) and restores this afterwards, so a running command finishes.
        let previousInterrupt = signal(SIGINT, SIG_IGN)
        defer { signal(SIGINT, previousInterrupt) }
        let console = session.console
        let count = store.state.orders.count
        if let hook {
            hook.greet()
        } else {
            let what = "\(store.isDemo ? "demo store" : "store") \(store.location), \(count) order\(count == 1 ? "" : "s")"
            console.out(
                session.style.bold("OrderDesk") + " — \(what). " + "Type 'help' for commands, TAB to complete, Ctrl-D to leave.")
        }
        while true {
            for note in session.drainStoreNotes() { console.err(session.style.yellow("note: ") + note) }
            switch editor.readLine(prompt: prompt) {
            case .endOfInput:
                return 0
            case .interrupted:
                continue
            case .line(let line):
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                if trimmed.isEmpty { continue }
                editor.record(trimmed)
                if let hook {
                    switch hook.intercept(trimmed) {
                    case .pass: break
                    case .handled: continue
                    case .leave(let code): return code
                    }
                }
                do {
                    let news = try store.refresh()
                    if !news.isEmpty { console.err(session.style.dim(Self.news(news))) }
                } catch {
                    console.err("error: " + error.message)
                    return error.exitCode
                }
                let result = session.execute(line, interactive: true)
                if let output = result.output, !output.isEmpty { console.out(output) }
                hook?.ran(line, result)
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

/// What a caller adds to the live shell: commands of its own, seen before the session, and the
/// prompt's first word. Practice uses it for `task`, `hint`, `check`… and the `practice` prompt.
struct LiveShellHook {
    enum Interception {
        /// Not the hook's: the session runs the line.
        case pass
        /// The hook dealt with the line.
        case handled
        /// Leave the shell with this exit code.
        case leave(Int32)
    }

    /// The prompt's first word, instead of the store's name.
    var promptName: () -> String
    /// Printed instead of the usual greeting.
    var greet: () -> Void
    /// Sees each non-empty line before the session does.
    var intercept: (String) -> Interception
    /// Sees each line the session ran, with what came of it (before its error is printed).
    var ran: (String, Session.LineResult) -> Void
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
