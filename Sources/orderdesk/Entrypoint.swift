import ArgumentParser
import OrderDeskShell

#if canImport(Glibc)
    import Glibc
#endif

/// The program's own flags, shared by the subcommands that open a store.
struct StoreOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "The store: a directory, or postgres://… for a store on a PostgreSQL server (default: $ORDERDESK_STORE, else the demo store).",
            valueName: "DIR|URL"))
    var store: String?

    @Option(name: .long, help: ArgumentHelp("Who is working (default: $ORDERDESK_AGENT, else $USER).", valueName: "NAME"))
    var agent: String?

    @Flag(name: .long, help: "No colour, even on a terminal.")
    var noColor = false

    var program: ProgramOptions { ProgramOptions(storePath: store, agent: agent, noColor: noColor) }

    /// `--store ''` and `--agent ''` are refused (exit 2), not replaced by a default.
    func validate() throws {
        do { try Program.check(program) } catch { throw ValidationError(error.message) }
    }
}

/// `orderdesk`: the live shell, or stdin as a batch when it is not a terminal.
struct Shell: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shell", abstract: "Open the live shell (reads stdin as a batch when it is not a terminal).")

    @OptionGroup var options: StoreOptions

    func run() throws { throw ExitCode(Program.shell(options.program)) }
}

/// `orderdesk run FILE...`.
struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run command files as a batch; FILE - is stdin.")

    @Argument(help: ArgumentHelp("Command files, one command per line.", valueName: "FILE"))
    var files: [String]

    @Flag(help: "Run the remaining lines after a failure (exit 1 if any failed).") var keepGoing = false
    @Flag(help: "Run against a scratch copy; report what would change.") var dryRun = false
    @Flag(help: "Print each line before its result.") var echo = false
    @Flag(help: "Print one JSON object per command.") var json = false
    @Flag(help: "Also run lines that an earlier run of the same script already committed (they are skipped otherwise).")
    var again = false
    @OptionGroup var options: StoreOptions

    func validate() throws {
        if files.isEmpty { throw ValidationError("give at least one command file, or - for stdin") }
    }

    func run() throws {
        let batch = BatchOptions(keepGoing: keepGoing, echo: echo, json: json, again: again)
        throw ExitCode(Program.run(files: files, options.program, batch: batch, dryRun: dryRun))
    }
}

/// `orderdesk init DIR [--demo]`.
struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Create a store, empty or with demo data.")

    @Argument(help: ArgumentHelp("Where to create the store: a directory, or postgres://… for a server.", valueName: "DIR|URL"))
    var directory: String
    @Flag(help: "Fill it with realistic demo orders.") var demo = false
    @Option(help: "How many demo orders (default 200).") var orders: Int = 200
    @Option(help: "Seed for the demo data; the same seed gives the same store.") var seed: UInt64 = 1

    func validate() throws {
        if orders < 0 || orders > 10_000_000 { throw ValidationError("--orders must be from 0 to 10000000") }
        if !demo && orders != 200 { throw ValidationError("--orders goes with --demo") }
    }

    func run() throws { throw ExitCode(Program.initStore(at: directory, demo: demo, orders: orders, seed: seed)) }
}

/// `orderdesk store verify|compact|accept-edit`.
struct StoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store", abstract: "Check, compact or copy the store, or accept an edit of its snapshot.",
        subcommands: [Verify.self, Compact.self, AcceptEdit.self, Copy.self])

    struct Copy: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Copy a store, all or nothing, into an empty target (a directory or postgres://…), and check both give the same state.",
            discussion:
                "Moves a team from a file store to a server (or back): orders with their ledgers, inventory, feedback, settings, outbox and the whole audit log. The target must hold no store."
        )
        @Argument(help: ArgumentHelp("The store to copy.", valueName: "FROM")) var from: String
        @Argument(help: ArgumentHelp("Where to copy it (must hold no store).", valueName: "TO")) var to: String
        func run() throws { throw ExitCode(Program.copyStore(from: from, to: to)) }
    }

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the store's integrity and every order's money and report; changes nothing.",
            discussion:
                "Exit 0 when all is well, 1 when the files are sound but orders break a money invariant (more refunded than captured, say), 3 when the store is unusable. A store of version 1 is checked as opening it will upgrade it, without writing."
        )
        @OptionGroup var options: StoreOptions
        func run() throws { throw ExitCode(Program.verifyStore(options.program)) }
    }

    struct Compact: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Fold the journal into a new snapshot.")
        @OptionGroup var options: StoreOptions
        func run() throws { throw ExitCode(Program.compactStore(options.program)) }
    }

    struct AcceptEdit: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "accept-edit",
            abstract: "List what an edit of snapshot.json made outside OrderDesk changed, and record it in the audit log.")
        @OptionGroup var options: StoreOptions
        @Flag(name: .long, help: "Only list what the edit changed; record nothing.") var dryRun = false
        func run() throws { throw ExitCode(Program.acceptStoreEdit(options.program, dryRun: dryRun)) }
    }
}

/// The program: a thin layer that wires flags to `Program`.
@main
struct OrderDesk: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "orderdesk",
        abstract: "OrderDesk: look up, cancel, refund and restock orders, Shopify style.",
        discussion: "Inside the shell, 'help' lists its commands; 'orderdesk help COMMAND' shows one (e.g. orderdesk help cancel).",
        version: "0.1.0",
        subcommands: [Shell.self, Run.self, Practice.self, Init.self, Import.self, StoreCommand.self],
        defaultSubcommand: Shell.self)

    /// Parses the arguments; bad program arguments exit 2, as the contract says.
    static func main() {
        // `orderdesk help cancel`: the shell's own commands have help too.
        let arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.count == 2, arguments[0] == "help", Program.isShellCommand(arguments[1]),
            !configuration.subcommands.contains(where: { $0._commandName == arguments[1] })
        {
            Glibc.exit(Program.commandHelp(arguments[1]))
        }
        // `orderdesk help bogus`: not the general help with exit 0, but an error with a guess.
        let subcommands = configuration.subcommands.map { $0._commandName } + ["help"]
        if arguments.count >= 2, arguments[0] == "help", !arguments[1].hasPrefix("-"), !Program.isShellCommand(arguments[1]),
            !subcommands.contains(arguments[1])
        {
            Glibc.exit(Program.unknownHelpTopic(arguments[1], subcommands: subcommands))
        }
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let code as ExitCode {
            Glibc.exit(code.rawValue)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                Glibc.exit(0)
            }
            FileHandleWriter.err(fullMessage(for: error))
            Glibc.exit(2)
        }
    }
}

/// Writes a line to stderr.
enum FileHandleWriter {
    static func err(_ text: String) {
        let line = text + "\n"
        _ = line.withCString { write(2, $0, strlen($0)) }
    }
}
