import OrderDeskCore

#if canImport(Glibc)
    import Glibc
#endif

/// The lines of a script file or of stdin, read in chunks as they come.
///
/// `\n`, `\r\n` and a last line without a newline all end a line, in every input. A line that is
/// not UTF-8, or is longer than ``maximumLength``, comes back as a refusal with its number; the
/// rest of a long line is skipped without being kept in memory, so `run /dev/zero` cannot take
/// the machine's memory.
final class LineReader {
    /// One line, or why it cannot be used.
    enum Item {
        case line(String)
        case refused(OrderDeskError)
    }

    /// The longest line accepted: 64 KiB.
    static let maximumLength = 65_536

    /// How errors name the input: the path, or `stdin`.
    let label: String
    private let fd: Int32
    private let ownsDescriptor: Bool
    private let regularFile: Bool
    private var buffer: [UInt8] = []
    private var start = 0
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
    static func open(_ path: String) throws(OrderDeskError) -> LineReader {
        if path == "-" { return standardInput() }
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            let reason = errno == ENOENT ? "no such file" : String(cString: strerror(errno))
            throw .fileUnreadable(path: path, reason: reason)
        }
        var info = stat()
        if fstat(fd, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR {
            close(fd)
            throw .fileUnreadable(path: path, reason: "it is a directory; give a script file")
        }
        return LineReader(name: path, fd: fd, ownsDescriptor: true)
    }

    /// The next line without its line ending; nil at the end.
    func next() -> Item? {
        var skippedLong = false
        while !interrupted {
            if let newline = buffer[start...].firstIndex(of: 0x0A) {
                defer { start = newline + 1 }
                if skippedLong { return .refused(.lineTooLong(limit: Self.maximumLength)) }
                return line(buffer[start..<newline])
            }
            if ended {
                guard start < buffer.count || skippedLong else { return nil }
                defer { start = buffer.count }
                if skippedLong { return .refused(.lineTooLong(limit: Self.maximumLength)) }
                return line(buffer[start...])
            }
            if buffer.count - start > Self.maximumLength {
                // Too long already: drop what is buffered and skip to the end of the line.
                skippedLong = true
                buffer.removeAll(keepingCapacity: true)
                start = 0
            }
            fill()
        }
        return nil
    }

    /// Whether reading the next line will not wait for whoever feeds the input: a regular file,
    /// or a whole line already read. A terminal or a pipe fed a line at a time is never waited for.
    func hasLine() -> Bool {
        regularFile || ended || buffer[start...].contains(0x0A)
    }

    private func line(_ bytes: ArraySlice<UInt8>) -> Item {
        var bytes = bytes
        if bytes.last == 0x0D { bytes.removeLast() }
        guard bytes.count <= Self.maximumLength else { return .refused(.lineTooLong(limit: Self.maximumLength)) }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            let valid = Self.validPrefix(bytes)
            return .refused(.lineNotUTF8(column: valid + 1))
        }
        return .line(text)
    }

    /// How many bytes at the start of `bytes` are whole UTF-8 characters.
    static func validPrefix(_ bytes: ArraySlice<UInt8>) -> Int {
        var low = 0
        var high = bytes.count
        while low < high {
            let mid = (low + high + 1) / 2
            if String(validating: bytes.prefix(mid), as: UTF8.self) != nil { low = mid } else { high = mid - 1 }
        }
        return low
    }

    private func fill() {
        if start > 0 {
            buffer.removeFirst(start)
            start = 0
        }
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count > 0 {
                buffer += chunk[..<count]
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
