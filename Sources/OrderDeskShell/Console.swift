#if canImport(Glibc)
    import Glibc
#endif

/// Where the shell's text goes: standard output for results, standard error for errors and notes.
public protocol Console: AnyObject {
    func out(_ text: String)
    func err(_ text: String)
}

/// The process's own stdout and stderr, written with write(2) so nothing is buffered across a crash.
public final class StandardConsole: Console {
    public init() {}

    public func out(_ text: String) { Self.write(1, text + "\n") }
    public func err(_ text: String) { Self.write(2, text + "\n") }

    /// Writes all bytes to a descriptor, retrying on EINTR and partial writes.
    static func write(_ fd: Int32, _ text: String) {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeMutableBytes { buffer in
                Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
            }
            if n < 0 {
                if errno == EINTR { continue }
                return
            }
            offset += n
        }
        bytes.removeAll()
    }
}

/// A console that keeps what was written, for tests and golden transcripts.
public final class RecordingConsole: Console {
    public private(set) var output = ""
    public private(set) var errors = ""
    /// Both streams interleaved, in order.
    public private(set) var transcript = ""

    public init() {}

    public func out(_ text: String) {
        output += text + "\n"
        transcript += text + "\n"
    }

    public func err(_ text: String) {
        errors += text + "\n"
        transcript += text + "\n"
    }
}

/// Asks the person at the terminal a question; nil when they gave up (Ctrl-D, Ctrl-C).
public protocol Prompter: AnyObject {
    func ask(_ question: String) -> String?
    /// Asks, with TAB completing one of `completions` where the prompter can.
    func ask(_ question: String, completions: [String]) -> String?
}

extension Prompter {
    public func ask(_ question: String, completions: [String]) -> String? { ask(question) }
}
