import OrderDeskCore

#if canImport(Glibc)
    import Glibc
#endif

/// The lines of a script file or of stdin, read in chunks as they come and split by
/// ``ScriptLines`` (the rules every input shares: `\n`, `\r\n`, UTF-8, 64 KiB at most).
final class LineReader {
    typealias Item = ScriptLines.Item

    /// How errors name the input: the path, or `stdin`.
    let label: String
    private let fd: Int32
    private let ownsDescriptor: Bool
    private let regularFile: Bool
    private var lines = ScriptLines()
    private var ended = false
    /// A stop signal came while waiting for input: no more lines are read.
    private var interrupted = false

    private init(name: String, fd: Int32, ownsDescriptor: Bool) {
        self.label = name
        self.fd = fd
        self.ownsDescriptor = ownsDescriptor
        var info = stat()
        regularFile = isatty(fd) != 1 && fstat(fd, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
    }

    deinit {
        if ownsDescriptor { close(fd) }
    }

    /// stdin's lines.
    static func standardInput() -> LineReader { LineReader(name: "stdin", fd: 0, ownsDescriptor: false) }

    /// Opens a script file (pipes and FIFOs too); `-` is stdin. Throws when it cannot be read.
    /// `shownAs` names it in messages (`FILE:LINE`) when that is not its path.
    static func open(_ path: String, shownAs: String? = nil) throws(OrderDeskError) -> LineReader {
        if path == "-" { return standardInput() }
        let name = shownAs ?? path
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            let reason = errno == ENOENT ? "no such file" : String(cString: strerror(errno))
            throw .fileUnreadable(path: name, reason: reason)
        }
        var info = stat()
        if fstat(fd, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR {
            close(fd)
            throw .fileUnreadable(path: name, reason: "it is a directory; give a script file")
        }
        return LineReader(name: name, fd: fd, ownsDescriptor: true)
    }

    /// The next line without its line ending; nil at the end.
    func next() -> Item? {
        while !interrupted {
            if let item = lines.next(ended: ended) { return item }
            if ended { return nil }
            fill()
        }
        return nil
    }

    /// Whether reading the next line will not wait for whoever feeds the input: a regular file,
    /// or a whole line already read. A terminal or a pipe fed a line at a time is never waited for.
    func hasLine() -> Bool {
        regularFile || ended || lines.hasLine
    }

    private func fill() {
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count > 0 {
                lines.append(chunk[..<count])
                return
            }
            if count < 0 && errno == EINTR {
                if StopSignal.requested {
                    interrupted = true
                    return
                }
                continue
            }
            ended = true
            return
        }
    }
}
