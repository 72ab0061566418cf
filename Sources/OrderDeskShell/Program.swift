import Foundation
import LineEditing
import OrderDeskCore
import OrderDeskDemo
import OrderDeskStore

/// The program's own options, shared by its subcommands.
public struct ProgramOptions: Sendable {
    public var storePath: String?
    public var agent: String?
    public var noColor: Bool

    public init(storePath: String? = nil, agent: String? = nil, noColor: Bool = false) {
        self.storePath = storePath
        self.agent = agent
        self.noColor = noColor
    }
}

/// The entry points the executable wires to: shell, run, init, store verify and compact.
///
/// Each returns the exit code: 0 success, 1 a command failed, 2 bad arguments, 3 store unusable.
public enum Program {
    /// The live shell when stdin and stdout are terminals; otherwise stdin as a batch.
    public static func shell(_ options: ProgramOptions) -> Int32 {
        let interactive = LineEditor.isInteractive
        if !interactive { return run(files: ["-"], options, batch: BatchOptions()) }
        LineEditor.configureLocale()
        let console = StandardConsole()
        let store: any OrderStore
        do { store = try openStore(options, console: console) } catch {
            console.err("error: " + error.message)
            return error.exitCode
        }
        let session = makeSession(store, console: console, options: options)
        let shell = LiveShell(session: session, store: store, historyFile: Environment.historyFile)
        return shell.run()
    }

    /// `orderdesk run FILE...`: each line committed on its own; stops at the first failure unless keep-going.
    public static func run(files: [String], _ options: ProgramOptions, batch: BatchOptions, dryRun: Bool = false) -> Int32 {
        let console = StandardConsole()
        var store: any OrderStore
        do { store = try openStore(options, console: console) } catch {
            console.err("error: " + error.message)
            return error.exitCode
        }
        if dryRun { store = MemoryStore(state: store.state, isDemo: store.isDemo, location: store.location) }
        let session = makeSession(store, console: console, options: options)
        var runOptions = batch
        runOptions.progress = isatty(2) == 1 && !batch.json
        let run = BatchRun(session: session, options: runOptions)
        let before = store.state.seq
        for warning in store.warnings { console.err("note: " + warning) }
        store.warnings = []
        for file in files {
            if file == "-" {
                let input = StandardInputLines()
                run.run(name: "stdin", total: nil, next: input.next, more: input.hasLine)
                if run.stopped { break }
                continue
            }
            let text: String
            do {
                text = try Session.readScript(file)
            } catch {
                console.err("error: " + OrderDeskError.fileUnreadable(path: file, reason: Session.reason(error)).message)
                return 1
            }
            run.run(name: file, text: text)
            if run.stopped { break }
        }
        if dryRun {
            let changes = store.state.seq - before
            console.err("dry run: \(changes) change\(changes == 1 ? "" : "s") would be made; the store was not touched")
        }
        if files != ["-"] || run.failed > 0 || run.succeeded > 1 { console.err(run.summary) }
        if let failure = run.failure { return failure.exitCode == 3 ? 3 : 1 }
        return 0
    }

    /// Whether `name` is a command of the shell's language (for `orderdesk help NAME`).
    public static func isShellCommand(_ name: String) -> Bool { CommandTable.spec(name) != nil }

    /// `orderdesk help COMMAND` for a shell command: its usage and examples.
    public static func commandHelp(_ name: String) -> Int32 {
        let context = Context(now: Clock.now(), agent: "", style: Style(color: isatty(1) == 1 && Environment.variables["NO_COLOR"] == nil))
        guard case .output(let text)? = try? Desk.run(.help(name), state: StoreState(), context: context) else { return 1 }
        StandardConsole().out(text)
        return 0
    }

    /// `orderdesk init DIR [--demo]`: a new store, empty or with demo data.
    public static func initStore(at path: String, demo: Bool, orders: Int, seed: UInt64) -> Int32 {
        let console = StandardConsole()
        let state = demo ? DemoData.makeState(orders: orders, seed: seed, now: Clock.now()) : StoreState()
        do {
            _ = try FileStore.create(at: path, state: state, isDemo: false)
        } catch {
            console.err("error: " + error.message)
            return error.exitCode
        }
        console.out("Created a store at \(path) with \(state.orders.count) order\(state.orders.count == 1 ? "" : "s").")
        return 0
    }

    /// `orderdesk store verify`.
    public static func verifyStore(_ options: ProgramOptions) -> Int32 {
        let console = StandardConsole()
        let path = Environment.storePath(options)
        let report = FileStore.verify(at: path)
        console.out(report.description)
        return report.isClean ? 0 : 3
    }

    /// `orderdesk store compact`.
    public static func compactStore(_ options: ProgramOptions) -> Int32 {
        let console = StandardConsole()
        do {
            let store = try FileStore.open(at: Environment.storePath(options))
            try store.compact()
            console.out("Compacted \(store.location) at sequence \(store.state.seq).")
            return 0
        } catch {
            console.err("error: " + error.message)
            return error.exitCode
        }
    }

    static func makeSession(_ store: any OrderStore, console: any Console, options: ProgramOptions) -> Session {
        let color = isatty(1) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil && !options.noColor
        return Session(
            store: store, console: console, agent: Environment.agent(options), clock: Clock.now,
            utcOffset: TimeZone.current.secondsFromGMT(), style: Style(color: color))
    }

    /// Opens the configured store, creating the per-user demo store on first use.
    static func openStore(_ options: ProgramOptions, console: any Console) throws(OrderDeskError) -> any OrderStore {
        let path = Environment.storePath(options)
        if Environment.isDemoPath(options) && !FileManager.default.fileExists(atPath: path + "/snapshot.json") {
            let state = DemoData.makeState(orders: 200, seed: 1, now: Clock.now())
            _ = try FileStore.create(at: path, state: state, isDemo: true)
            console.err("Created the demo store at \(path) (200 orders) for practice and exploring.")
        }
        return try FileStore.open(at: path)
    }
}

/// The wall clock, to the second.
enum Clock {
    static func now() -> Timestamp { Timestamp(seconds: Int64(Date().timeIntervalSince1970)) }
}

/// Where things live, from flags and the environment.
enum Environment {
    static var variables: [String: String] { ProcessInfo.processInfo.environment }

    static var home: String { variables["HOME"] ?? NSHomeDirectory() }

    /// `--store`, else `$ORDERDESK_STORE`, else the per-user demo store.
    static func storePath(_ options: ProgramOptions) -> String {
        if let path = options.storePath { return path }
        if let path = variables["ORDERDESK_STORE"], !path.isEmpty { return path }
        return demoPath
    }

    static func isDemoPath(_ options: ProgramOptions) -> Bool {
        options.storePath == nil && (variables["ORDERDESK_STORE"] ?? "").isEmpty
    }

    static var demoPath: String {
        let base = variables["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? home + "/.local/share"
        return base + "/orderdesk/demo"
    }

    /// `${XDG_STATE_HOME:-~/.local/state}/orderdesk/history`.
    static var historyFile: String {
        let base = variables["XDG_STATE_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? home + "/.local/state"
        return base + "/orderdesk/history"
    }

    /// `--agent`, else `$ORDERDESK_AGENT`, else `$USER`.
    static func agent(_ options: ProgramOptions) -> String {
        for candidate in [options.agent, variables["ORDERDESK_AGENT"], variables["USER"]] {
            if let name = candidate?.trimmingCharacters(in: .whitespaces), !name.isEmpty { return name }
        }
        return "agent"
    }
}

/// stdin's lines, read in chunks; knows whether the next line is already there.
final class StandardInputLines {
    private var buffer: [UInt8] = []
    private var start = 0
    private var ended = false
    private let regularFile: Bool

    init() {
        var info = stat()
        regularFile = isatty(0) != 1 && fstat(0, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
    }

    /// The next line without its newline; nil at the end.
    func next() -> String? {
        while true {
            if let newline = buffer[start...].firstIndex(of: 0x0A) {
                let line = String(decoding: buffer[start..<newline], as: UTF8.self)
                start = newline + 1
                return line
            }
            if ended {
                guard start < buffer.count else { return nil }
                let line = String(decoding: buffer[start...], as: UTF8.self)
                start = buffer.count
                return line
            }
            fill()
        }
    }

    /// Whether reading the next line will not wait for whoever feeds stdin: it is a regular file,
    /// or a whole line has already been read. A terminal or a pipe fed a line at a time is not
    /// waited for, so each line there is answered as soon as it comes.
    func hasLine() -> Bool {
        regularFile || ended || buffer[start...].contains(0x0A)
    }

    private func fill() {
        if start > 0 {
            buffer.removeFirst(start)
            start = 0
        }
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
            if count > 0 {
                buffer += chunk[..<count]
                return
            }
            if count < 0 && errno == EINTR { continue }
            ended = true
            return
        }
    }
}
