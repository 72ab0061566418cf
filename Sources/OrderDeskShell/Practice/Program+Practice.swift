import Foundation
import LineEditing
import OrderDeskCore
import OrderDeskPractice
import OrderDeskStore

#if canImport(Glibc)
    import Glibc
#endif

/// The options of `orderdesk practice`.
public struct PracticeOptions: Sendable {
    /// The lesson to start: its number in the list or its id; nil for the first one not passed.
    public var lesson: String?
    /// `--list`: the lessons and this learner's standing in each.
    public var list: Bool
    /// `--verify`: run each lesson's `solution` in a sandbox and say whether it passes (for trainers).
    public var verify: Bool
    /// `--lessons DIR`: trainers' lesson files, after the built-in ones.
    public var lessonDirectories: [String]
    /// False with `--no-builtin`: only the trainers' lessons.
    public var builtIn: Bool
    /// `--keep`: leave the sandbox directory in place, and say where it is.
    public var keep: Bool
    public var agent: String?
    public var noColor: Bool
    /// A `--store` given anyway: noted, and never opened.
    public var ignoredStore: String?

    public init(
        lesson: String? = nil, list: Bool = false, verify: Bool = false, lessonDirectories: [String] = [], builtIn: Bool = true,
        keep: Bool = false, agent: String? = nil, noColor: Bool = false, ignoredStore: String? = nil
    ) {
        self.lesson = lesson
        self.list = list
        self.verify = verify
        self.lessonDirectories = lessonDirectories
        self.builtIn = builtIn
        self.keep = keep
        self.agent = agent
        self.noColor = noColor
        self.ignoredStore = ignoredStore
    }
}

extension Program {
    /// `orderdesk practice`: lessons in a sandbox, graded by `check`.
    ///
    /// Exit codes: 0 when every lesson started was passed (or for `--list`, or `--verify` with every
    /// solution passing); 1 when a lesson was left unpassed, a lesson file is broken, or a solution
    /// fails; 2 for a lesson that does not exist; 3 when the sandbox cannot be made.
    ///
    /// Practice never opens, locks or writes any store but its own sandbox: `--store`,
    /// `$ORDERDESK_STORE` and the demo store are never looked at.
    public static func practice(_ options: PracticeOptions) -> Int32 {
        let console = StandardConsole()
        let plain = Presenter(console: console, style: .plain)
        if let store = options.ignoredStore {
            plain.note("practice works in a sandbox of its own; \(Sanitizer.clean(store)) (--store) is not opened")
        }
        let library: LessonLibrary
        do { library = try LessonLibrary.load(directories: options.lessonDirectories, builtIn: options.builtIn) } catch {
            plain.error(error.message)
            return ExitStatus.failure.rawValue
        }
        let agent = Environment.agent(ProgramOptions(agent: options.agent))
        let style = TerminalColor.style(noColorFlag: options.noColor)
        var progress = PracticeProgress(path: Environment.practiceProgressFile, agent: agent)

        if options.list { return list(library, progress: &progress, agent: agent, console: console, style: style) }

        var selected: Int?
        if let selector = options.lesson {
            guard let i = library.index(of: selector) else {
                var message = "there is no lesson '\(Sanitizer.clean(selector))'"
                if let guess = Suggestion.closest(to: selector, in: library.lessons.map(\.id)) { message += "; did you mean '\(guess)'?" }
                plain.error(message + " Lessons go by number (1–\(library.lessons.count)) or id; 'orderdesk practice --list' lists them")
                return ExitStatus.usage.rawValue
            }
            selected = i
        }
        if options.verify { return verify(library, only: selected, agent: agent, console: console) }

        let index: Int
        if let selected {
            index = selected
        } else {
            let records = progress.records()
            guard let first = library.lessons.firstIndex(where: { records[$0.id]?.passed != true }) else {
                console.out(
                    "You have passed all \(library.lessons.count) lessons. Do one again with 'orderdesk practice N'; 'orderdesk practice --list' lists them."
                )
                return 0
            }
            index = first
        }

        let interactive = LineEditor.isInteractive
        if interactive { LineEditor.configureLocale() }
        let sandbox: Sandbox
        do { sandbox = try Sandbox() } catch {
            plain.error(error)
            return ExitStatus.storeUnusable.rawValue
        }
        let run = PracticeRun(library: library, console: console, style: style, agent: agent, progress: progress, sandbox: sandbox)
        var code: Int32
        do {
            try run.start(index)
            if interactive {
                code = run.live()
            } else {
                console.out(run.task)
                code = run.batch(LineReader.standardInput())
            }
            if code != ExitStatus.storeUnusable.rawValue { code = run.finish() }
        } catch {
            plain.error(error)
            code = ExitStatus.storeUnusable.rawValue
        }
        if options.keep {
            console.err("The sandbox is kept in \(sandbox.root) (one store per lesson, named by its id).")
        } else {
            sandbox.remove()
        }
        return code
    }

    /// `--list`: every lesson, with this learner's standing.
    static func list(_ library: LessonLibrary, progress: inout PracticeProgress, agent: String, console: any Console, style: Style) -> Int32
    {
        let records = progress.records()
        if let warning = progress.takeWarning() { console.err("note: " + warning) }
        var out = [style.bold("Practice lessons for \(Sanitizer.clean(agent)):")]
        let idWidth = library.lessons.map(\.id.count).max() ?? 0
        let titleWidth = min(50, library.lessons.map { Sanitizer.clean($0.title).count }.max() ?? 0)
        func pad(_ text: String, _ width: Int) -> String { text + String(repeating: " ", count: max(0, width - text.count)) }
        var passed = 0
        var next: Int?
        for (i, lesson) in library.lessons.enumerated() {
            let number = String(i + 1)
            let status: String
            if let r = records[lesson.id] {
                if r.passed {
                    passed += 1
                    let hints = r.bestHints ?? r.hintsUsed
                    status = style.green("passed") + (hints == 0 ? ", no hints" : ", \(hints) hint\(hints == 1 ? "" : "s")")
                } else {
                    status =
                        style.yellow("started") + ", not passed yet"
                        + (r.hintsUsed == 0 ? "" : " (\(r.hintsUsed) hint\(r.hintsUsed == 1 ? "" : "s") used)")
                }
            } else {
                status = style.dim("not started")
            }
            if next == nil && records[lesson.id]?.passed != true { next = i }
            let title = Sanitizer.clean(lesson.title)
            out.append(
                String(repeating: " ", count: max(0, 4 - number.count)) + number + "  " + pad(lesson.id, idWidth) + "  "
                    + pad(title.count > titleWidth ? String(title.prefix(titleWidth - 1)) + "…" : title, titleWidth) + "  " + status)
            if !lesson.teaches.isEmpty {
                out.append(
                    String(repeating: " ", count: 6) + style.dim("teaches: " + lesson.teaches.map(Sanitizer.clean).joined(separator: ", ")))
            }
        }
        out.append("")
        var summary = "\(passed) of \(library.lessons.count) passed."
        if let next { summary += " Next: orderdesk practice \(next + 1)" }
        out.append(summary)
        console.out(out.joined(separator: "\n"))
        return 0
    }

    /// `--verify`: each lesson's solution, run in a fresh sandbox: `check` must fail before it and pass after.
    static func verify(_ library: LessonLibrary, only: Int?, agent: String, console: any Console) -> Int32 {
        let sandbox: Sandbox
        do { sandbox = try Sandbox() } catch {
            Presenter(console: console, style: .plain).error(error)
            return ExitStatus.storeUnusable.rawValue
        }
        defer { sandbox.remove() }
        var failures = 0
        for i in library.lessons.indices where only == nil || only == i {
            let lesson = library.lessons[i]
            let label = "\(i + 1) \(lesson.id)"
            guard !lesson.solution.isEmpty else {
                console.out("skip  \(label): the file has no \"solution\"")
                continue
            }
            let recording = RecordingConsole()
            let run = PracticeRun(library: library, console: recording, style: .plain, agent: agent, progress: nil, sandbox: sandbox)
            do {
                try run.start(i)
                let before = try run.grade()
                run.batch(TextLines(name: "solution", lines: lesson.solution))
                let after = try run.grade()
                if before.passed {
                    failures += 1
                    console.out("FAIL  \(label): it passes before the learner does anything")
                } else if !after.passed || run.index != i {
                    failures += 1
                    var problems = after.items.compactMap { item -> String? in
                        switch item.status {
                        case .met: return nil
                        case .missing(let d): return "to do: " + item.label + (d.map { " (\($0))" } ?? "")
                        case .wrong(let d): return "wrong: " + d
                        }
                    }
                    problems += after.unexpected.map { "wrong: " + $0 }
                    console.out("FAIL  \(label): the solution does not pass it")
                    for p in problems { console.out("        " + p) }
                    for line in recording.errors.split(separator: "\n") { console.out("        " + line) }
                } else {
                    console.out("ok    \(label)")
                }
            } catch {
                failures += 1
                console.out("FAIL  \(label): \(error.message)")
            }
        }
        return failures == 0 ? 0 : 1
    }
}
