import Foundation

/// Runs a program under a new pseudo-terminal, for tests of live terminal sessions.
///
/// The child is a session leader whose controlling terminal is the pty, so Ctrl-C
/// sent as a byte reaches it as SIGINT. All waits are bounded; `deinit` kills and
/// reaps the child. Typical use:
///
///     let pty = try PseudoTerminal(executable: path, environment: ["HOME": home])
///     #expect(pty.waitForPrompt("orderdesk> "))
///     pty.send("list" + PseudoTerminal.Key.enter)
///     #expect(pty.waitFor("2 orders"))
///
/// Before each key, wait for the prompt (``waitForPrompt(_:timeout:)``): libedit
/// drops keys typed while the terminal is still in line mode.
final class PseudoTerminal {
    /// Key sequences to pass to ``send(_:)``.
    enum Key {
        static let enter = "\r"
        static let tab = "\t"
        static let up = "\u{1B}[A"
        static let down = "\u{1B}[B"
        static let right = "\u{1B}[C"
        static let left = "\u{1B}[D"
        static let backspace = "\u{7F}"
        static let ctrlA = "\u{01}"
        static let ctrlC = "\u{03}"
        static let ctrlD = "\u{04}"
        static let ctrlE = "\u{05}"
        static let ctrlR = "\u{12}"
        static let ctrlU = "\u{15}"
        static let ctrlZ = "\u{1A}"
    }

    /// Why the child could not be started.
    struct LaunchError: Error, CustomStringConvertible {
        let description: String
    }

    /// The child's process id.
    let pid: pid_t
    /// Everything the child wrote so far, as raw bytes.
    private(set) var transcript: [UInt8] = []
    /// Offset in ``transcript`` from which ``outputSinceMark`` and ``waitForPrompt(_:timeout:)`` look.
    private(set) var mark = 0

    private let master: Int32
    private var exitStatus: Int32?

    /// The environment every child gets unless `environment` overrides it.
    static let baseEnvironment = ["TERM": "xterm-256color", "LANG": "C.UTF-8", "PATH": "/usr/local/bin:/usr/bin:/bin"]

    /// Starts `executable` with `arguments` on a pty of the given size.
    ///
    /// The child's environment is ``baseEnvironment`` with `environment` laid over it;
    /// nothing is inherited from the test process (set `HOME` to a temporary directory).
    init(
        executable: String, arguments: [String] = [], environment: [String: String] = [:],
        columns: Int = 120, rows: Int = 30
    ) throws {
        var master: Int32 = -1
        var slave: Int32 = -1
        var size = winsize(ws_row: UInt16(rows), ws_col: UInt16(columns), ws_xpixel: 0, ws_ypixel: 0)
        guard openpty(&master, &slave, nil, nil, &size) == 0 else {
            throw LaunchError(description: "cannot open a pty: \(String(cString: strerror(errno)))")
        }
        defer { close(slave) }  // the child opens the slave by name; ours goes once it runs
        var name = [CChar](repeating: 0, count: 256)
        guard ttyname_r(slave, &name, name.count) == 0 else {
            close(master)
            throw LaunchError(description: "cannot name the pty")
        }
        let slavePath = name.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        _ = fcntl(master, F_SETFD, FD_CLOEXEC)
        _ = fcntl(slave, F_SETFD, FD_CLOEXEC)
        _ = fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK)

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // Opened after setsid(), so the pty becomes the child's controlling terminal.
        posix_spawn_file_actions_addopen(&actions, 0, slavePath, O_RDWR, 0)
        posix_spawn_file_actions_adddup2(&actions, 0, 1)
        posix_spawn_file_actions_adddup2(&actions, 0, 2)
        Self.addCloseFrom(3, to: &actions)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        var defaultSignals = sigset_t()
        sigemptyset(&defaultSignals)
        for signal in [SIGINT, SIGQUIT, SIGTERM, SIGPIPE, SIGCHLD, SIGTSTP, SIGTTIN, SIGTTOU] {
            sigaddset(&defaultSignals, signal)
        }
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &defaultSignals)
        let setsid: Int32 = 0x80  // POSIX_SPAWN_SETSID, not imported into Swift
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | setsid))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let fullEnvironment = Self.baseEnvironment.merging(environment) { $1 }
        let envp = fullEnvironment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for pointer in argv + envp { free(pointer) } }

        var child: pid_t = 0
        let result = posix_spawn(&child, executable, &actions, &attributes, argv, envp)
        guard result == 0 else {
            close(master)
            throw LaunchError(description: "cannot start \(executable): \(String(cString: strerror(result)))")
        }
        self.pid = child
        self.master = master
    }

    deinit {
        if exitStatus == nil {
            kill(pid, SIGKILL)
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        }
        close(master)
    }

    // MARK: Output

    /// Everything the child wrote so far (invalid UTF-8 repaired).
    var output: String { String(decoding: transcript, as: UTF8.self) }

    /// What the child wrote after ``mark``.
    var outputSinceMark: String { String(decoding: transcript[mark...], as: UTF8.self) }

    /// Moves ``mark`` to the end of the output read so far.
    func setMark() {
        pump(timeout: 0)
        mark = transcript.count
    }

    // MARK: Input

    /// Writes text to the terminal as typed keys (UTF-8).
    func send(_ text: String) {
        sendBytes(Array(text.utf8))
    }

    /// Writes several keys in a row, e.g. `sendKeys("ord", Key.tab)`.
    func sendKeys(_ keys: String...) {
        keys.forEach(send)
    }

    /// Writes raw bytes to the terminal.
    func sendBytes(_ bytes: [UInt8]) {
        var offset = 0
        let deadline = Self.now + 5
        while offset < bytes.count && Self.now < deadline {
            let written = bytes[offset...].withUnsafeBytes { write(master, $0.baseAddress, $0.count) }
            if written > 0 {
                offset += written
            } else if written < 0 && errno != EAGAIN && errno != EINTR {
                return
            } else {
                pump(timeout: 0.01)
            }
        }
    }

    // MARK: Waiting

    /// Waits until the output (since ``mark`` if `sinceMark`) contains `substring`.
    @discardableResult
    func waitFor(_ substring: String, timeout: Double = 5, sinceMark: Bool = false) -> Bool {
        waitUntil(timeout: timeout) { self.position(of: substring, from: sinceMark ? self.mark : 0) != nil }
    }

    /// Waits until the terminal is out of line mode (ICANON clear), as it is while a line editor reads.
    @discardableResult
    func waitForLineModeOff(timeout: Double = 5) -> Bool {
        waitUntil(timeout: timeout) {
            var modes = termios()
            return tcgetattr(self.master, &modes) == 0 && modes.c_lflag & tcflag_t(ICANON) == 0
        }
    }

    /// Waits for `prompt` in the output since ``mark`` and for the line editor to be reading,
    /// then moves ``mark`` past it. Call before typing each line.
    @discardableResult
    func waitForPrompt(_ prompt: String, timeout: Double = 5) -> Bool {
        let deadline = Self.now + timeout
        guard waitFor(prompt, timeout: timeout, sinceMark: true),
            waitForLineModeOff(timeout: max(0, deadline - Self.now))
        else { return false }
        setMark()
        return true
    }

    /// Waits for the child to exit; returns its exit code (128 + signal if killed by one),
    /// or nil if it was still running after `timeout`, in which case it is killed.
    func waitForExit(timeout: Double = 5) -> Int32? {
        if let exitStatus { return exitStatus }
        let finished = waitUntil(timeout: timeout) { self.reap(options: WNOHANG) }
        if !finished {
            kill(pid, SIGKILL)
            _ = reap(options: 0)
            return nil
        }
        pump(timeout: 0)
        return exitStatus
    }

    // MARK: Internals

    private static var now: Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    private func waitUntil(timeout: Double, _ condition: () -> Bool) -> Bool {
        let deadline = Self.now + timeout
        while true {
            pump(timeout: 0)
            if condition() { return true }
            let left = deadline - Self.now
            if left <= 0 { return false }
            pump(timeout: min(left, 0.02))
        }
    }

    /// Reads whatever the child wrote, waiting at most `timeout` seconds for the first bytes.
    private func pump(timeout: Double) {
        var descriptor = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
        guard poll(&descriptor, 1, Int32(timeout * 1000)) > 0 else { return }
        var buffer = [UInt8](repeating: 0, count: 4096)
        var readAny = false
        while true {
            let count = buffer.withUnsafeMutableBytes { read(master, $0.baseAddress, $0.count) }
            guard count > 0 else { break }  // EAGAIN, or EIO once the child has gone
            transcript.append(contentsOf: buffer[0..<count])
            readAny = true
        }
        // After the child is gone, poll reports a hang-up at once: don't spin.
        if !readAny && timeout > 0 { usleep(UInt32(timeout * 1_000_000)) }
    }

    private func position(of substring: String, from start: Int) -> Int? {
        let needle = Array(substring.utf8)
        guard !needle.isEmpty else { return start }
        guard transcript.count - start >= needle.count else { return nil }
        for index in start...(transcript.count - needle.count)
        where transcript[index..<(index + needle.count)].elementsEqual(needle) {
            return index
        }
        return nil
    }

    /// Reaps the child if it has exited; records its status.
    private func reap(options: Int32) -> Bool {
        var status: Int32 = 0
        var result: pid_t
        repeat { result = waitpid(pid, &status, options) } while result < 0 && errno == EINTR
        guard result == pid else { return false }
        let signal = status & 0x7F
        exitStatus = signal == 0 ? (status >> 8) & 0xFF : 128 + signal
        return true
    }

    /// Closes inherited descriptors from `lowest` up in the child (glibc 2.34+, looked up at run time).
    private static func addCloseFrom(_ lowest: Int32, to actions: inout posix_spawn_file_actions_t) {
        typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
        guard let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") else { return }  // nil: RTLD_DEFAULT
        _ = unsafeBitCast(symbol, to: CloseFrom.self)(&actions, lowest)
    }
}
