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
            Presenter(console: console, style: .plain).error(error)
            return error.exitCode
        }
        let session = makeSession(store, console: console, options: options)
        let shell = LiveShell(session: session, store: store, historyFile: Environment.historyFile)
        return shell.run()
    }

    /// `orderdesk run FILE...`: every file is opened first (a missing one is exit 2 and nothing
    /// runs), then their lines run through the one line loop; stops at the first failure unless keep-going.
    public static func run(files: [String], _ options: ProgramOptions, batch: BatchOptions, dryRun: Bool = false) -> Int32 {
        let console = StandardConsole()
        let presenter = Presenter(console: console, style: .plain)
        var readers: [LineReader] = []
        for file in files {
            do throws(OrderDeskError) { readers.append(try LineReader.open(file)) } catch {
                presenter.error(error.message + "; nothing was run")
                return ExitStatus.usage.rawValue
            }
        }
        var store: any OrderStore
        do { store = try openStore(options, console: console) } catch {
            presenter.error(error)
            return error.exitCode
        }
        let real = store
        if dryRun { store = MemoryStore(state: store.state, isDemo: store.isDemo, location: store.location) }
        let session = makeSession(store, console: console, options: options)
        // A batch's notices go in the background while it goes on committing.
        session.courier = Courier()
        if dryRun {
            session.mailHold = "dry run"
            session.templates = TemplateFolder.load(storeDirectory: real.location, isFileStore: real is FileStore)
        }
        var runOptions = batch
        runOptions.progress = isatty(2) == 1 && !batch.json
        let run = LineLoop(session: session, options: runOptions)
        run.resumable = true
        run.committedEarlier = { (agent) throws(OrderDeskError) in try real.scriptLinesDone(by: agent) }
        session.resume = (batch.again, run.committedEarlier)
        let before = store.state.seq
        StopSignal.install()
        for reader in readers where !run.stopped { run.run(reader) }
        if StopSignal.requested { presenter.note(run.resumeAdvice) }
        if dryRun {
            let changes = store.state.seq - before
            console.err("dry run: \(changes) change\(changes == 1 ? "" : "s") would be made; the store was not touched")
        }
        if files != ["-"] || run.failed > 0 || run.succeeded > 1 || run.skipped > 0 || StopSignal.requested {
            console.err(run.summary)
        }
        return run.exitStatus.rawValue
    }

    /// Whether `name` is a command of the shell's language (for `orderdesk help NAME`).
    public static func isShellCommand(_ name: String) -> Bool { CommandTable.spec(name) != nil }

    /// `orderdesk help COMMAND` for a shell command: its usage and examples.
    public static func commandHelp(_ name: String) -> Int32 {
        let context = Context(now: Clock.now(), agent: "", style: TerminalColor.style())
        guard case .output(let text)? = try? Desk.run(Command(HelpCommand(topic: name)), state: StoreState(), context: context) else {
            return 1
        }
        StandardConsole().out(text)
        return 0
    }

    /// `orderdesk init DIR [--demo]`: a new store, empty or with demo data. For a `postgres://`
    /// address: the schema, and the GRANTs for agent and read-only roles.
    public static func initStore(at path: String, demo: Bool, orders: Int, seed: UInt64) -> Int32 {
        let console = StandardConsole()
        if ServerAddress.isServer(path) { return initServerStore(at: path, demo: demo, orders: orders, seed: seed) }
        do {
            try checkInitDirectory(path)
        } catch {
            Presenter(console: console, style: .plain).error(error)
            return error.exitCode
        }
        let state = demo ? DemoData.makeState(orders: orders, seed: seed, now: Clock.now()) : StoreState()
        do {
            _ = try FileStore.create(at: path, state: state, isDemo: false)
        } catch {
            Presenter(console: console, style: .plain).error(error)
            return error.exitCode
        }
        console.out("Created a store at \(path) with \(state.orders.count) order\(state.orders.count == 1 ? "" : "s").")
        return 0
    }

    /// `orderdesk store verify`: exit 3 when the store is unusable, 1 when its files are sound but
    /// orders break a money invariant (the store opens all the same), 0 when all is well.
    public static func verifyStore(_ options: ProgramOptions) -> Int32 {
        let console = StandardConsole()
        let path = Environment.storePath(options)
        let report: VerifyReport
        do {
            if let address = try ServerAddress(path) {
                report = PostgresStore.verify(address)
            } else {
                report = FileStore.verify(at: path)
            }
        } catch {
            Presenter(console: console, style: .plain).error(error)
            return error.exitCode
        }
        console.out(report.description)
        if !report.isClean { return 3 }
        return report.money.isEmpty ? 0 : 1
    }

    /// `orderdesk store compact`.
    public static func compactStore(_ options: ProgramOptions) -> Int32 {
        let console = StandardConsole()
        if ServerAddress.isServer(Environment.storePath(options)) {
            console.out("A store on a server needs no compaction: the server keeps its tables (VACUUM is the admin's).")
            return 0
        }
        do {
            let store = try FileStore.open(at: Environment.storePath(options))
            try store.compact()
            console.out("Compacted \(store.location) at sequence \(store.state.seq).")
            return 0
        } catch {
            Presenter(console: console, style: .plain).error(error)
            return error.exitCode
        }
    }

    static func makeSession(_ store: any OrderStore, console: any Console, options: ProgramOptions) -> Session {
        var agent = Environment.agent(options)
        if let authenticated = store.authenticatedAgent {
            if let typed = options.agent, typed != authenticated {
                console.err(
                    "note: --agent \(Sanitizer.clean(typed)) is not used on a server store: changes are recorded as '\(Sanitizer.clean(authenticated))', who logged in"
                )
            }
            agent = authenticated
        }
        let session = Session(
            store: store, console: console, agent: agent, clock: Clock.now,
            utcOffset: TimeZone.current.secondsFromGMT(), style: TerminalColor.style(noColorFlag: options.noColor))
        if store.isDemo { session.mailHold = "demo store" }
        session.templates = TemplateFolder.load(storeDirectory: store.location, isFileStore: store is FileStore)
        if case .failure(let problem) = session.templates {
            console.err(
                "warning: notice template \(Sanitizer.clean(problem.message)); commands that notify customers are refused until it is fixed"
            )
        }
        return session
    }

    /// Opens the configured store, creating the per-user demo store on first use.
    static func openStore(_ options: ProgramOptions, console: any Console) throws(OrderDeskError) -> any OrderStore {
        let path = Environment.storePath(options)
        if Environment.isDemoPath(options) && !FileManager.default.fileExists(atPath: path + "/snapshot.json") {
            try checkDemoStore(path)
            let state = DemoData.makeState(orders: 200, seed: 1, now: Clock.now())
            _ = try FileStore.create(at: path, state: state, isDemo: true)
            console.err("Created the demo store at \(path) (200 orders) for practice and exploring.")
        }
        return try StoreCopy.open(path, cacheDirectory: Environment.serverCache)
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

    /// `${XDG_CACHE_HOME:-~/.cache}/orderdesk/servers`: the last state seen of each server store,
    /// so that a start reads only what changed since.
    static var serverCache: String {
        let base = variables["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? home + "/.cache"
        return base + "/orderdesk/servers"
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
