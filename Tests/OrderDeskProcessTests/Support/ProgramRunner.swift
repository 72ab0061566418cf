import Foundation
import OrderDeskCore
import OrderDeskPractice
import OrderDeskStore
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Runs the built `orderdesk` executable as a child process, for end-to-end tests of the program:
/// exit codes, stdout, stderr and the files it leaves behind.
///
/// - The binary is found next to the test bundle (SwiftPM puts both in `.build/<triple>/debug`);
///   `ORDERDESK_BINARY` overrides. When it is missing, ``binary()`` records an issue saying to run
///   `swift build --build-tests`.
/// - stdout and stderr go to temporary files (no pipe to fill up and deadlock); stdin is a file,
///   or a pipe that stays open until ``Launched/send(_:)``, so that several processes can be
///   started first and released together.
/// - The environment is built from scratch: `HOME`, `XDG_*` in a temporary directory,
///   `NO_COLOR=1`, `ORDERDESK_AGENT`; nothing is inherited from the test process.
/// - Every wait is bounded; a child that overstays is killed with `SIGKILL` (by its pid).
enum ProgramRunner {
    /// What a finished run came to.
    struct Result: CustomStringConvertible {
        /// The exit status, or 128 + the signal for a child killed by a signal.
        var exitCode: Int32
        var stdout: String
        var stderr: String
        /// The child ran past its timeout and was killed.
        var timedOut: Bool

        var description: String {
            "exit \(exitCode)\(timedOut ? " (timed out, killed)" : "")\n--- stdout\n\(stdout)--- stderr\n\(stderr)---"
        }

        /// stdout split into lines, without the empty one after the last newline.
        var stdoutLines: [String] {
            stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).filter { !$0.isEmpty }
        }
    }

    struct LaunchError: Error, CustomStringConvertible {
        var description: String
    }

    // MARK: Finding the binary

    /// Where `orderdesk` is, or nil (with an issue recorded) when it has not been built.
    static func binary(sourceLocation: SourceLocation = #_sourceLocation) -> String? {
        if let found = located { return found }
        Issue.record(
            """
            the orderdesk executable was not found next to the test bundle (looked in: \
            \(searchedDirectories.joined(separator: ", "))); run `swift build --build-tests` \
            (with the same --scratch-path) before `swift test --skip-build`, or set ORDERDESK_BINARY
            """, sourceLocation: sourceLocation)
        return nil
    }

    /// Where the `StoreHarness` test program is (built beside `orderdesk`), or nil (with an issue
    /// recorded) when it has not been built.
    static func harness(sourceLocation: SourceLocation = #_sourceLocation) -> String? {
        // Beside the orderdesk under test (which may be a release build), else beside the tests.
        let beside = located.map { ($0 as NSString).deletingLastPathComponent }
        for directory in [beside].compactMap({ $0 }) + searchedDirectories {
            let candidate = directory + "/StoreHarness"
            if isExecutable(candidate) { return candidate }
        }
        Issue.record(
            "the StoreHarness executable was not found beside orderdesk; run `swift build --build-tests`", sourceLocation: sourceLocation)
        return nil
    }

    private static let located: String? = {
        if let path = ProcessInfo.processInfo.environment["ORDERDESK_BINARY"], isExecutable(path) { return path }
        for directory in searchedDirectories {
            let candidate = directory + "/orderdesk"
            if isExecutable(candidate) { return candidate }
        }
        return nil
    }()

    /// The directories that may hold the executable: those of the test bundle, however it was named.
    ///
    /// Under `swift test` on Linux, `CommandLine.arguments[0]` is the test bundle itself
    /// (`.build/<triple>/debug/<Package>PackageTests.xctest`, an executable file), possibly
    /// relative to the working directory. `/proc/self/exe` and `Bundle.main` say the same, resolved.
    private static let searchedDirectories: [String] = {
        var executables: [String] = []
        if let first = CommandLine.arguments.first, !first.isEmpty {
            let absolute =
                first.hasPrefix("/") ? first : FileManager.default.currentDirectoryPath + "/" + first
            executables.append(absolute)
        }
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            executables.append(exe)
        }
        if let main = Bundle.main.executablePath { executables.append(main) }
        var directories: [String] = []
        func add(_ directory: URL) {
            let path = directory.standardizedFileURL.path
            if !directories.contains(path) { directories.append(path) }
        }
        for executable in executables {
            let url = URL(fileURLWithPath: executable)
            add(url.deletingLastPathComponent())
            add(url.resolvingSymlinksInPath().deletingLastPathComponent())
            // A bundle directory (`X.xctest/Contents/MacOS/X` elsewhere): the directory holding it.
            var walk = url
            while walk.pathComponents.count > 1 {
                if walk.pathExtension == "xctest" { add(walk.deletingLastPathComponent()) }
                walk = walk.deletingLastPathComponent()
            }
        }
        return directories
    }()

    private static func isExecutable(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
            && FileManager.default.isExecutableFile(atPath: path)
    }

    // MARK: Environment

    /// A clean environment for the child: everything per-user points into `home`.
    static func environment(home: String, agent: String = "alice", extra: [String: String] = [:]) -> [String: String] {
        var environment = [
            "PATH": "/usr/local/bin:/usr/bin:/bin",
            "LANG": "C.UTF-8",
            "TZ": "UTC",
            "HOME": home,
            "XDG_DATA_HOME": home + "/data",
            "XDG_STATE_HOME": home + "/state",
            "USER": "tester",
            "NO_COLOR": "1",
            "ORDERDESK_AGENT": agent,
        ]
        environment.merge(extra) { _, new in new }
        return environment
    }

    // MARK: Running

    /// What the child reads on stdin.
    enum Input {
        /// `/dev/null`.
        case none
        /// This text, from a file (so stdin is a regular file, not a terminal).
        case text(String)
        /// A pipe kept open until ``Launched/send(_:)`` writes to it and closes it.
        case held
    }

    /// Runs `orderdesk ARGUMENTS` to the end (or the timeout) and returns what it did.
    static func run(
        _ arguments: [String], environment: [String: String], stdin: String? = nil, directory: String? = nil,
        timeout: TimeInterval = 20, executable: String? = nil
    ) throws -> Result {
        let launched = try Launched(
            arguments: arguments, environment: environment, input: stdin.map(Input.text) ?? .none, directory: directory,
            executable: executable)
        return launched.wait(timeout: timeout)
    }

    /// A started child process.
    final class Launched: @unchecked Sendable {
        let process = Process()
        private let finished = DispatchSemaphore(value: 0)
        private let scratch: String
        private var stdinWriter: Int32 = -1
        private var result: Result?

        /// Starts `orderdesk ARGUMENTS` (or another `executable`). Throws when the binary is
        /// missing or cannot be started.
        init(
            arguments: [String], environment: [String: String], input: Input, directory: String? = nil,
            executable: String? = nil
        ) throws {
            ProgramRunner.ignoreBrokenPipes
            guard let binary = executable ?? ProgramRunner.located else {
                throw LaunchError(description: "orderdesk has not been built; run `swift build --build-tests`")
            }
            scratch = NSTemporaryDirectory() + "orderdesk-run-" + UUID().uuidString
            try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)

            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments = arguments
            process.environment = environment
            if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }

            // Descriptors opened close-on-exec: a sibling child started meanwhile must not inherit
            // them (an inherited pipe writer would keep another child from ever seeing end of input).
            // Process dup2()s them onto 0, 1, 2, which clears the flag on those.
            let out = try Self.openFile(scratch + "/stdout", O_WRONLY | O_CREAT | O_TRUNC)
            let err = try Self.openFile(scratch + "/stderr", O_WRONLY | O_CREAT | O_TRUNC)
            let inputFD: Int32
            switch input {
            case .none:
                inputFD = try Self.openFile("/dev/null", O_RDONLY)
            case .text(let text):
                let path = scratch + "/stdin"
                try Data(text.utf8).write(to: URL(fileURLWithPath: path))
                inputFD = try Self.openFile(path, O_RDONLY)
            case .held:
                var fds: [Int32] = [-1, -1]
                // (pipe2 is not visible from Swift; a child spawned between these calls would only
                // hold a copy for its own short life.)
                guard pipe(&fds) == 0 else {
                    throw LaunchError(description: "pipe: \(String(cString: strerror(errno)))")
                }
                _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
                _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
                inputFD = fds[0]
                stdinWriter = fds[1]
            }
            let stdoutHandle = FileHandle(fileDescriptor: out, closeOnDealloc: true)
            let stderrHandle = FileHandle(fileDescriptor: err, closeOnDealloc: true)
            let stdinHandle = FileHandle(fileDescriptor: inputFD, closeOnDealloc: true)
            process.standardOutput = stdoutHandle
            process.standardError = stderrHandle
            process.standardInput = stdinHandle
            let finished = self.finished
            process.terminationHandler = { _ in finished.signal() }
            do {
                try process.run()
            } catch {
                if stdinWriter >= 0 { close(stdinWriter) }
                try? FileManager.default.removeItem(atPath: scratch)
                throw LaunchError(description: "cannot start \(binary): \(error)")
            }
            // The child has its own copies now.
            try? stdoutHandle.close()
            try? stderrHandle.close()
            try? stdinHandle.close()
        }

        deinit {
            if stdinWriter >= 0 { close(stdinWriter) }
            if result == nil, process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                _ = finished.wait(timeout: .now() + 5)
            }
            try? FileManager.default.removeItem(atPath: scratch)
        }

        var pid: pid_t { process.processIdentifier }

        /// Writes `text` to a held stdin and closes it (end of input).
        func send(_ text: String) {
            guard stdinWriter >= 0 else { return }
            var bytes = Array(text.utf8)
            var offset = 0
            while offset < bytes.count {
                let n = bytes.withUnsafeMutableBytes { write(stdinWriter, $0.baseAddress! + offset, $0.count - offset) }
                if n < 0 {
                    if errno == EINTR { continue }
                    break  // EPIPE: the child is gone; its result will say why
                }
                offset += n
            }
            bytes.removeAll()
            close(stdinWriter)
            stdinWriter = -1
        }

        /// Whether the child has `path` open (Linux `/proc`); false once it has exited.
        func hasOpen(_ path: String) -> Bool {
            let target = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
            let fdDirectory = "/proc/\(pid)/fd"
            guard let entries = try? FileManager.default.contentsOfDirectory(atPath: fdDirectory) else { return false }
            for entry in entries {
                if let link = try? FileManager.default.destinationOfSymbolicLink(atPath: fdDirectory + "/" + entry),
                    link == target
                {
                    return true
                }
            }
            return false
        }

        /// Waits until the child has `path` open, or has exited, or `timeout` has passed.
        @discardableResult
        func waitUntilOpen(_ path: String, timeout: TimeInterval = 10) -> Bool {
            let deadline = Date().addingTimeInterval(timeout)
            while Date() < deadline {
                if hasOpen(path) { return true }
                if !process.isRunning { return false }
                usleep(2_000)
            }
            return false
        }

        /// Sends SIGKILL (a simulated crash); ``wait(timeout:)`` then reports it.
        func crash() {
            if process.isRunning { kill(pid, SIGKILL) }
        }

        /// Waits for the child to end (killing it after `timeout`), and returns what it did.
        func wait(timeout: TimeInterval = 20) -> Result {
            if let result { return result }
            var timedOut = false
            if finished.wait(timeout: .now() + timeout) == .timedOut {
                timedOut = true
                kill(pid, SIGKILL)
                if finished.wait(timeout: .now() + 10) == .timedOut {
                    let result = Result(exitCode: -1, stdout: "", stderr: "the child did not end even after SIGKILL", timedOut: true)
                    self.result = result
                    return result
                }
            }
            if stdinWriter >= 0 {
                close(stdinWriter)
                stdinWriter = -1
            }
            let status = process.terminationStatus
            let code = process.terminationReason == .uncaughtSignal ? 128 + status : status
            let result = Result(
                exitCode: code, stdout: Self.readText(scratch + "/stdout"), stderr: Self.readText(scratch + "/stderr"),
                timedOut: timedOut)
            self.result = result
            return result
        }

        private static func openFile(_ path: String, _ flags: Int32) throws -> Int32 {
            let fd = open(path, flags | O_CLOEXEC, 0o600)
            guard fd >= 0 else {
                throw LaunchError(description: "open \(path): \(String(cString: strerror(errno)))")
            }
            return fd
        }

        private static func readText(_ path: String) -> String {
            guard let data = FileManager.default.contents(atPath: path) else { return "" }
            return String(decoding: data, as: UTF8.self)
        }
    }

    /// Writing to the pipe of a child that already exited must fail with EPIPE, not kill the tests.
    private static let ignoreBrokenPipes: Void = { _ = signal(SIGPIPE, SIG_IGN) }()
}

/// A temporary directory for one test, with helpers for a store inside it; ``remove()`` deletes it.
struct ProgramScratch {
    let path: String

    init(_ label: String = "test") throws {
        path = NSTemporaryDirectory() + "orderdesk-program-\(label)-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path + "/home", withIntermediateDirectories: true)
    }

    var home: String { path + "/home" }
    /// The store directory (not created until a store is made).
    var store: String { path + "/store" }
    var journal: String { store + "/journal.jsonl" }
    var snapshot: String { store + "/snapshot.json" }
    var lockFile: String { store + "/store.lock" }
    var quarantine: String { store + "/quarantine" }

    func remove() { try? FileManager.default.removeItem(atPath: path) }

    /// Writes a script file into the directory and returns its name (programs run in this directory).
    @discardableResult
    func script(_ name: String, _ lines: [String]) throws -> String {
        let file = path + "/" + name
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: file))
        return name
    }

    func bytes(_ file: String) -> [UInt8] {
        FileManager.default.contents(atPath: file).map { [UInt8]($0) } ?? []
    }

    /// The journal's complete (newline-terminated) lines.
    func journalLines() -> [String] {
        let text = String(decoding: bytes(journal), as: UTF8.self)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines.removeLast()  // what follows the last newline: "" or a torn tail
        return lines
    }

    /// Each complete journal line parsed as a JSON object (a line that does not parse gives `[:]`).
    func journalEvents() -> [[String: Any]] {
        journalLines().map { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] ?? [:]
        }
    }

    /// The `seq` of every complete journal line, in file order.
    func journalSeqs() -> [Int] {
        journalEvents().compactMap { $0["seq"] as? Int }
    }
}

extension ProgramScratch {
    /// Creates the store with the eight sample orders (#1001…#1008) at sequence 0.
    func makeSampleStore() throws {
        _ = try FileStore.create(at: store, state: TrainingStore.make())
    }

    /// Runs `orderdesk ARGUMENTS` with this directory's home and the given agent.
    func orderdesk(
        _ arguments: [String], stdin: String? = nil, agent: String = "alice", environment extra: [String: String] = [:],
        timeout: TimeInterval = 20
    ) throws -> ProgramRunner.Result {
        try ProgramRunner.run(
            arguments, environment: ProgramRunner.environment(home: home, agent: agent, extra: extra), stdin: stdin,
            directory: path, timeout: timeout)
    }

    /// Runs one read command with `--json` against the store as a stdin batch and parses its output.
    func query(_ line: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> Any? {
        let result = try orderdesk(["run", "-", "--store", store], stdin: line + "\n")
        #expect(result.exitCode == 0, "\(line)\n\(result)", sourceLocation: sourceLocation)
        guard let object = try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) else {
            Issue.record("'\(line)' did not print JSON:\n\(result)", sourceLocation: sourceLocation)
            return nil
        }
        return object
    }

    /// `show ORDER --json`.
    func order(_ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
        (try query("show \(name) --json", sourceLocation: sourceLocation) as? [String: Any]) ?? [:]
    }
}

extension [String: Any] {
    /// Whether the order object says it is cancelled (`cancelled_at` set).
    var isCancelled: Bool {
        guard let value = self["cancelled_at"] else { return false }
        return !(value is NSNull)
    }
}
