import OrderDeskCore

/// The one place where the shell's results become text: output, errors, notes and news.
///
/// Errors are `error: MESSAGE` when typed and `FILE:LINE: error: MESSAGE` in a script, as the
/// command contract says; notes from the store are `note: …`. Every surface prints through here.
struct Presenter {
    let console: any Console
    let style: Style

    /// A command's text for stdout.
    func output(_ text: String?) {
        if let text, !text.isEmpty { console.out(text) }
    }

    /// An error, with the place it came from (`orders.txt:12`) in a script.
    func error(_ error: OrderDeskError, at place: String? = nil) {
        self.error(error.message, at: place)
    }

    /// An error message of the shell's own, with its place in a script.
    func error(_ message: String, at place: String? = nil) {
        if let place {
            console.err("\(Sanitizer.clean(place)): error: \(message)")
        } else {
            console.err(style.red("error: ") + message)
        }
    }

    /// Something noticed that did not stop the work (a torn journal tail cut, a failed compaction).
    func note(_ text: String) {
        console.err(style.yellow("note: ") + text)
    }

    /// "2 changes by bob since your last command".
    func news(_ events: [Event]) {
        guard !events.isEmpty else { return }
        var agents: [String] = []
        for e in events where !agents.contains(Sanitizer.clean(e.agent)) { agents.append(Sanitizer.clean(e.agent)) }
        let count = events.count
        console.err(
            style.dim("\(count) change\(count == 1 ? "" : "s") by \(agents.joined(separator: ", ")) since your last command"))
    }
}
