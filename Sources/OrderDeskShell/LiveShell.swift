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
    /// Extra commands of a caller's own (practice); nil in the normal shell.
    var hook: LineHook?
    /// The prompt's first word instead of the store's name (practice).
    var promptName: (() -> String)?
    /// Printed instead of the usual greeting (practice).
    var greet: (() -> Void)?

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
        let storeName = store.isDemo ? "demo" : store.shortName
        let name = promptName?() ?? Sanitizer.clean(storeName)
        return style.cyan(name) + " " + style.green(Sanitizer.clean(session.agent)) + "> "
    }

    /// Runs until Ctrl-D or `quit`; returns the exit code.
    func run() -> Int32 {
        // A Ctrl-C while a command runs must not end the session: the line editor catches it while
        // reading (it clears the line) and restores this afterwards, so a running command finishes.
        let previousInterrupt = signal(SIGINT, SIG_IGN)
        defer { signal(SIGINT, previousInterrupt) }
        let count = store.state.orders.count
        if let greet {
            greet()
        } else {
            let what = "\(store.isDemo ? "demo store" : "store") \(store.location), \(count) order\(count == 1 ? "" : "s")"
            session.console.out(
                session.style.bold("OrderDesk") + " — \(what). " + "Type 'help' for commands, TAB to complete, Ctrl-D to leave.")
        }
        session.announcesNews = true
        defer { session.announcesNews = false }
        let loop = LineLoop(session: session, options: BatchOptions(keepGoing: true, prettyJSON: true))
        loop.hook = hook
        loop.run(EditorLines(editor: editor) { [unowned self] in self.prompt })
        if let code = loop.leaveCode { return code }
        return loop.failure?.isStoreUnusable == true ? ExitStatus.storeUnusable.rawValue : ExitStatus.success.rawValue
    }
}

/// Questions asked through the line editor, without touching the history.
final class EditorPrompter: Prompter {
    let editor: LineEditor

    init(_ editor: LineEditor) { self.editor = editor }

    func ask(_ question: String) -> String? { ask(question, completions: []) }

    /// Asks with TAB completing `completions` (the choices), then puts the shell's completion back.
    func ask(_ question: String, completions: [String]) -> String? {
        let saved = editor.completer
        editor.completer = { text in completions.filter { $0.lowercased().hasPrefix(text.lowercased()) } }
        defer { editor.completer = saved }
        switch editor.readLine(prompt: question) {
        case .line(let answer): return answer
        case .interrupted, .endOfInput: return nil
        }
    }
}
