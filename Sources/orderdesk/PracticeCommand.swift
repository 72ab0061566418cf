import ArgumentParser
import OrderDeskShell

/// `orderdesk practice [LESSON]`: onboarding practice in a sandbox.
struct Practice: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Onboarding practice: guided lessons in a sandbox store, graded by the shell.",
        discussion: """
            Each lesson is a customer's message to act on in a sandbox: a fresh copy of the training store \
            in a temporary directory. Practice never opens any other store, whatever --store or \
            $ORDERDESK_STORE say. Besides the shell's commands, practice understands task, hint, check, \
            answer TEXT, reset, next and quit. When stdin is not a terminal its lines are read as a batch, \
            so a scripted solution can be piped in. Progress is kept per agent in \
            ${XDG_STATE_HOME:-~/.local/state}/orderdesk/practice.json.
            """)

    @Argument(help: ArgumentHelp("The lesson to start, by number or id (default: the first one not passed).", valueName: "LESSON"))
    var lesson: String?

    @Flag(help: "List the lessons, with your standing in each.") var list = false

    @Option(
        name: .customLong("lessons"),
        help: ArgumentHelp("A directory of trainers' lesson files (*.json), after the built-in lessons; may be repeated.", valueName: "DIR")
    )
    var lessonDirectories: [String] = []

    @Flag(name: .customLong("no-builtin"), help: "Leave out the built-in lessons (use with --lessons).") var noBuiltin = false

    @Flag(help: "Keep the sandbox directory at the end, and print where it is.") var keep = false

    @Flag(help: "For trainers: run each lesson's \"solution\" in a sandbox and report whether it passes.") var verify = false

    @Option(name: .long, help: ArgumentHelp("Who is practising (default: $ORDERDESK_AGENT, else $USER).", valueName: "NAME"))
    var agent: String?

    @Flag(name: .long, help: "No colour, even on a terminal.") var noColor = false

    /// Accepted so that a habitual --store does not stop practice; it is never opened.
    @Option(name: .long, help: .hidden) var store: String?

    func validate() throws {
        if list && lesson != nil { throw ValidationError("--list shows every lesson; give either --list or a LESSON") }
        if list && verify { throw ValidationError("give either --list or --verify") }
        if noBuiltin && lessonDirectories.isEmpty {
            throw ValidationError("--no-builtin leaves no lessons without --lessons DIR")
        }
        // `--agent ''` is refused (exit 2), not replaced by $USER.
        do { try Program.check(ProgramOptions(agent: agent)) } catch { throw ValidationError(error.message) }
    }

    func run() throws {
        let options = PracticeOptions(
            lesson: lesson, list: list, verify: verify, lessonDirectories: lessonDirectories, builtIn: !noBuiltin, keep: keep,
            agent: agent, noColor: noColor, ignoredStore: store)
        throw ExitCode(Program.practice(options))
    }
}
