import CLibedit
import Foundation

/// Line editor over libedit for a live terminal session.
///
/// Emacs key bindings, Ctrl-R incremental search, history (up arrow), TAB
/// completion through ``completer``, and the user's `~/.editrc` (lines may be
/// prefixed with the program name). Reads stdin, writes stdout.
///
/// When stdin or stdout is not a terminal, ``readLine(prompt:)`` falls back to
/// plain line reading without a prompt. SIGINT (Ctrl-C) and SIGTSTP (Ctrl-Z) are
/// caught only while a line is being read; the previous dispositions are
/// restored afterwards, so a Ctrl-C while a command runs is the caller's business.
public final class LineEditor {
    /// Called on TAB with the text before the cursor; returns full candidate words for the word under the cursor.
    ///
    /// Candidates are shown in the order given. They are plain words without
    /// quotes: the editor adds quotes when a candidate contains a space, and
    /// closes a quote the user opened. Candidates that do not start with the
    /// word under the cursor are ignored (ignoring case if none matches exactly).
    /// One candidate is inserted with a trailing space; several insert their
    /// longest common prefix, or are listed below the line; none beeps.
    public var completer: ((_ textBeforeCursor: String) -> [String])?

    private let programName: String
    private let store: EditHistory
    private var editLine: OpaquePointer?
    private var promptText: UnsafeMutablePointer<CChar>?

    /// Creates an editor; `programName` is the `~/.editrc` prefix, `historyFile` nil means no persistent history.
    ///
    /// Loads the history file if it exists. Needs no terminal: libedit itself is
    /// set up on the first interactive ``readLine(prompt:)``.
    public init(programName: String, historyFile: String?, historySize: Int = 1000) {
        self.programName = programName
        store = EditHistory(file: historyFile, size: historySize)
    }

    deinit {
        if let editLine { el_end(editLine) }
        free(promptText)
    }

    /// Reads one line, without its trailing newline.
    ///
    /// `prompt` may contain ANSI colour escapes. Ctrl-C abandons the line and
    /// returns ``LineInput/interrupted``; Ctrl-D on an empty line returns
    /// ``LineInput/endOfInput`` (after moving to a new line). The line is not
    /// added to the history: call ``record(_:)`` for that.
    public func readLine(prompt: String) -> LineInput {
        guard Self.isInteractive, let editLine = editLine ?? makeEditLine() else {
            return Swift.readLine(strippingNewline: true).map(LineInput.line) ?? .endOfInput
        }
        free(promptText)
        promptText = strdup(PromptMarkup.mark(prompt))

        let catching = le_signals_begin() == 0
        defer { if catching { le_signals_end() } }
        var count: Int32 = 0
        let text = el_gets(editLine, &count)
        if le_take_interrupt() != 0 { return .interrupted }
        guard let text, count > 0 else {
            le_write_stdout("\n")
            return .endOfInput
        }
        var line = String(cString: text)
        while line.hasSuffix("\n") || line.hasSuffix("\r") { line.removeLast() }
        return .line(line)
    }

    /// Adds a command to the history and saves the history file at once.
    ///
    /// The line is trimmed; an empty line is ignored and a repeat of the last
    /// entry dropped. The file is replaced with mode 0600 (parent directories are
    /// created, mode 0700); if it cannot be written, the history stays in memory.
    public func record(_ line: String) {
        store.add(line)
    }

    /// The history, oldest first.
    public func history() -> [String] {
        store.entries()
    }

    /// True when both stdin and stdout are terminals.
    public static var isInteractive: Bool {
        isatty(STDIN_FILENO) != 0 && isatty(STDOUT_FILENO) != 0
    }

    /// Sets the character locale from the environment, falling back to C.UTF-8, so that UTF-8 input works.
    ///
    /// Call once at startup. ``readLine(prompt:)`` calls it too if the locale is
    /// still single-byte (Swift never calls `setlocale`).
    public static func configureLocale() {
        if setlocale(LC_CTYPE, "") == nil || le_locale_is_multibyte() == 0 {
            setlocale(LC_CTYPE, "C.UTF-8")
        }
    }

    // MARK: - libedit setup and callbacks

    private func makeEditLine() -> OpaquePointer? {
        if le_locale_is_multibyte() == 0 { Self.configureLocale() }
        guard let editLine = le_init(programName) else { return nil }
        le_set_clientdata(editLine, Unmanaged.passUnretained(self).toOpaque())
        le_set_editor(editLine, "emacs")
        le_set_signal(editLine, 0)
        le_set_prompt_esc(
            editLine,
            { editLine in
                guard let editor = LineEditor.owner(of: editLine) else { return nil }
                return editor.promptText
            }, PromptMarkup.markerByte)
        le_set_history(editLine, store.handle)
        le_install_reader(editLine)
        le_add_function(
            editLine, "orderdesk-complete", "Complete the word under the cursor",
            { editLine, _ in
                guard let editLine, let editor = LineEditor.owner(of: editLine) else { return UInt8(CC_ERROR) }
                return editor.complete(in: editLine)
            })
        le_bind(editLine, "^I", "orderdesk-complete")
        el_source(editLine, nil)  // ~/.editrc; fails quietly without HOME or file
        self.editLine = editLine
        return editLine
    }

    private static func owner(of editLine: OpaquePointer?) -> LineEditor? {
        guard let editLine, let data = le_get_clientdata(editLine) else { return nil }
        return Unmanaged<LineEditor>.fromOpaque(data).takeUnretainedValue()
    }

    /// Handles TAB: plans the completion and applies it to the line.
    private func complete(in editLine: OpaquePointer) -> UInt8 {
        guard let completer, let info = el_line(editLine)?.pointee, let buffer = info.buffer,
            let cursor = info.cursor
        else { return UInt8(CC_ERROR) }
        let bytes = UnsafeRawBufferPointer(start: buffer, count: cursor - buffer)
        let textBeforeCursor = String(decoding: bytes, as: UTF8.self)

        switch CompletionPlan.make(textBeforeCursor: textBeforeCursor, candidates: completer(textBeforeCursor)) {
        case .beep:
            return UInt8(CC_ERROR)
        case .insert(let text):
            return el_insertstr(editLine, text) == 0 ? UInt8(CC_REFRESH) : UInt8(CC_ERROR)
        case .replace(let count, let text):
            el_deletestr(editLine, Int32(count))
            return el_insertstr(editLine, text) == 0 ? UInt8(CC_REFRESH) : UInt8(CC_ERROR)
        case .list(let candidates):
            let width = Int(le_terminal_columns())
            let lines = CompletionListing.lines(for: candidates, width: width > 0 ? width : 80)
            le_write_stdout("\r\n" + lines.map { $0 + "\r\n" }.joined())
            return UInt8(CC_REDISPLAY)
        }
    }
}
