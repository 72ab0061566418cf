import Foundation

/// Runs the mail command with a message on its standard input, the sendmail way: the words of
/// the command go to `posix_spawn` as they are (never through a shell), the message is written
/// to the child's stdin, what it says on stdout and stderr is kept (the first 4 KiB), and its exit
/// status is the answer. A command that has not finished after `timeout` seconds is killed.
enum MailPipe {
    /// What came of one run.
    struct Result: Sendable {
        /// The exit status; nil when the command could not be started, was killed by a signal or timed out.
        var exit: Int32?
        /// What it wrote (stdout and stderr together), or why it could not run.
        var output: String
        var timedOut = false
    }

    /// The most output kept.
    static let keep = 4096

    private static let spawning = NSLock()

    static func run(_ argv: [String], input: [UInt8], timeout: Double = 60) -> Result {
        guard let program = argv.first else { return Result(exit: nil, output: "the mail command is empty") }
        var toChild: [Int32] = [-1, -1]
        var fromChild: [Int32] = [-1, -1]
        // Pipes are made close-on-exec and the child spawned under one lock, so that a child
        // spawned meanwhile by another thread never holds this one's pipe ends (and its EOF).
        spawning.lock()
        guard pipe(&toChild) == 0 else {
            spawning.unlock()
            return Result(exit: nil, output: "pipe: \(String(cString: strerror(errno)))")
        }
        guard pipe(&fromChild) == 0 else {
            close(toChild[0])
            close(toChild[1])
            spawning.unlock()
            return Result(exit: nil, output: "pipe: \(String(cString: strerror(errno)))")
        }
        for fd in toChild + fromChild { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, toChild[0], 0)
        posix_spawn_file_actions_adddup2(&actions, fromChild[1], 1)
        posix_spawn_file_actions_adddup2(&actions, fromChild[1], 2)
        // The child starts with default signal handling and an empty mask whatever the shell set.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        var all = sigset_t()
        sigfillset(&all)
        sigdelset(&all, SIGKILL)
        sigdelset(&all, SIGSTOP)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        var cArgs: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        defer { for p in cArgs { free(p) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, program, &actions, &attributes, &cArgs, environ)
        close(toChild[0])
        close(fromChild[1])
        spawning.unlock()
        // Mail is never in a hurry: the command runs below the desk's priority, so that the
        // commits going on meanwhile keep the processor.
        if spawned == 0 { _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), id_t(pid), 10) }
        guard spawned == 0 else {
            close(toChild[1])
            close(fromChild[0])
            return Result(exit: nil, output: "the mail command could not be run: \(program): \(String(cString: strerror(spawned)))")
        }

        // Writing to a child that exits early must not kill the shell: SIGPIPE is blocked on this
        // thread while the message goes, and one it raised is taken back before unblocking.
        var pipeSignal = sigset_t()
        sigemptyset(&pipeSignal)
        sigaddset(&pipeSignal, SIGPIPE)
        var previous = sigset_t()
        pthread_sigmask(SIG_BLOCK, &pipeSignal, &previous)
        defer {
            var pending = sigset_t()
            sigpending(&pending)
            if sigismember(&pending, SIGPIPE) == 1 {
                var zero = timespec(tv_sec: 0, tv_nsec: 0)
                _ = sigtimedwait(&pipeSignal, nil, &zero)
            }
            pthread_sigmask(SIG_SETMASK, &previous, nil)
        }

        let deadline = Date().addingTimeInterval(timeout)
        var written = 0
        var inputOpen = true
        var output: [UInt8] = []
        var outputOpen = true
        var buffer = [UInt8](repeating: 0, count: 4096)
        _ = fcntl(toChild[1], F_SETFL, fcntl(toChild[1], F_GETFL) | O_NONBLOCK)
        if input.isEmpty {
            close(toChild[1])
            inputOpen = false
        }
        while inputOpen || outputOpen {
            let left = deadline.timeIntervalSinceNow
            if left <= 0 { break }
            var fds: [pollfd] = []
            if inputOpen { fds.append(pollfd(fd: toChild[1], events: Int16(POLLOUT), revents: 0)) }
            if outputOpen { fds.append(pollfd(fd: fromChild[0], events: Int16(POLLIN), revents: 0)) }
            let ready = poll(&fds, nfds_t(fds.count), Int32(min(left, 1) * 1000) + 1)
            if ready < 0 && errno != EINTR { break }
            for fd in fds where fd.revents != 0 {
                if fd.fd == toChild[1] {
                    let n = input.withUnsafeBytes { raw in write(fd.fd, raw.baseAddress! + written, input.count - written) }
                    if n > 0 { written += n }
                    if (n < 0 && errno != EAGAIN && errno != EINTR) || written == input.count {
                        close(toChild[1])
                        inputOpen = false
                    }
                } else {
                    let n = read(fd.fd, &buffer, buffer.count)
                    if n > 0 {
                        if output.count < keep { output += buffer[0..<min(n, keep - output.count)] }
                    } else if n == 0 || (errno != EAGAIN && errno != EINTR) {
                        outputOpen = false
                    }
                }
            }
        }
        if inputOpen { close(toChild[1]) }
        close(fromChild[0])
        // Wait for the child until the deadline; then it is killed.
        var status: Int32 = 0
        var timedOut = false
        while true {
            let r = waitpid(pid, &status, WNOHANG)
            if r == pid { break }
            if r < 0 && errno != EINTR { return Result(exit: nil, output: "waitpid: \(String(cString: strerror(errno)))") }
            if Date() >= deadline {
                kill(pid, SIGKILL)
                _ = waitpid(pid, &status, 0)
                timedOut = true
                break
            }
            usleep(1000)
        }
        let said = String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        if timedOut {
            return Result(
                exit: nil, output: "no answer from the mail command in \(Int(timeout)) s" + (said.isEmpty ? "" : ": \(said)"),
                timedOut: true)
        }
        if status & 0x7f == 0 { return Result(exit: (status >> 8) & 0xff, output: said) }
        return Result(exit: nil, output: "the mail command was killed by signal \(status & 0x7f)" + (said.isEmpty ? "" : ": \(said)"))
    }
}
