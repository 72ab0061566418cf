import Foundation
import LineEditing
import OrderDeskCore
import OrderDeskPractice
import OrderDeskStore

/// One practice run: the lesson being worked on, its sandbox, and the extra commands.
///
/// Lines are the shell's own (run by a ``Session`` on the sandbox store), plus:
///
/// | command | |
/// |---|---|
/// | `task` | the customer's message and what the agent knows, again |
/// | `hint` | the next hint; hints seen are counted (a reset does not give them back) |
/// | `check` | grades the work now: done, still to do, wrong; the lesson is passed when everything is met |
/// | `answer TEXT` | the answer to the lesson's question (the latest answer counts) |
/// | `reset` | a fresh sandbox for the same lesson |
/// | `next` | the next lesson in the list (the current one stays unpassed if it was) |
/// | `quit`, `exit`, Ctrl-D | leave |
///
/// `help` lists the shell's commands and these. Live, they come through the live shell's hook;
/// from a pipe or file, ``batch(name:_:)`` reads every line with the same meaning, carrying on
/// after a refused command (mistakes are part of practising; `check` is the judge).
final class PracticeRun {
    let library: LessonLibrary
    let console: any Console
    let style: Style
    let agent: String
    let sandbox: Sandbox
    /// Where progress is recorded; nil when nothing is recorded (`--verify`).
    var progress: PracticeProgress?

    private let clock = PracticeClock()
    private(set) var store: SandboxStore!
    private(set) var session: Session!
    /// The lesson being worked on, as an index into the library.
    private(set) var index = 0
    /// The state and journal position when the lesson (or its reset) started.
    private var baseline = StoreState()
    private var baselineSeq = 0
    private var commands: [[String]] = []
    private var answers: [String] = []
    private var hintsUsed = 0
    /// Lines of this run, for `history` in a batch.
    private var lines: [String] = []
    /// Where the line being run came from in a batch (`stdin:6`), for its errors; nil when typed.
    private var place: String?
    /// The lessons started in this run, and whether each was passed (in this run, or before).
    private(set) var outcomes: [(id: String, passed: Bool)] = []

    init(library: LessonLibrary, console: any Console, style: Style, agent: String, progress: PracticeProgress?, sandbox: Sandbox) {
        self.library = library
        self.console = console
        self.style = style
        self.agent = agent
        self.progress = progress
        self.sandbox = sandbox
    }

    var lesson: Lesson { library.lessons[index] }

    // MARK: Lessons

    /// Starts lesson `index` in a fresh sandbox; `reset` starts the same one over.
    func start(_ index: Int, reset: Bool = false) throws(OrderDeskError) {
        let lesson = library.lessons[index]
        let fresh = try sandbox.makeStore(for: lesson)
        if let store {
            store.inner = fresh
        } else {
            let store = SandboxStore(fresh)
            let session = Session(
                store: store, console: console, agent: agent, clock: clock.next, utcOffset: TrainingStore.utcOffset, style: style)
            session.history = { [unowned self] in self.lines }
            session.mailHold = "practice sandbox"
            self.store = store
            self.session = session
        }
        self.index = index
        clock.restart()
        baseline = store.state
        baselineSeq = baseline.seq
        commands = []
        answers = []
        if !reset { hintsUsed = 0 }
        // A lesson passed before stays passed: working it again is practice, not a new test.
        if !outcomes.contains(where: { $0.id == lesson.id }) { outcomes.append((lesson.id, progressRecord(lesson.id)?.passed ?? false)) }
        session.sourceFolder = sandbox.files(of: lesson)
        let hints = hintsUsed
        record(lesson.id) { r in
            r.attempts += 1
            r.hintsUsed = hints
            if r.startedAt == nil { r.startedAt = PracticeProgress.stamp() }
        }
    }

    /// The task, as the learner sees it at the start and on `task`.
    var task: String { LessonText.task(lesson, number: index + 1, of: library.lessons.count, style: style) }

    /// What the learner did so far in this lesson.
    func work() throws(OrderDeskError) -> LessonWork {
        let events = try store.auditLog().filter { $0.seq > baselineSeq }
        return LessonWork(baseline: baseline, state: store.state, events: events, commands: commands, answers: answers)
    }

    /// The lesson's grade now.
    func grade() throws(OrderDeskError) -> LessonGrade { LessonGrade(lesson, try work()) }

    /// Whether the current lesson was passed in this run.
    var passedCurrent: Bool { outcomes.first { $0.id == lesson.id }?.passed ?? false }

    // MARK: Lines

    /// A practice command handled (and what came of it), or nil for a line for the session.
    enum Handled {
        case done
        case failed
        case leave
    }

    /// Handles a practice command; nil when the line is the session's.
    func handle(_ line: String) -> Handled? {
        let words = (try? Tokenizer.words(line)) ?? Tokenizer.scan(line).words
        guard let first = words.first?.lowercased() else { return nil }
        func noArguments() -> Bool {
            guard words.count > 1 else { return true }
            fail("'\(first)' takes nothing after it")
            return false
        }
        switch first {
        case "task":
            guard noArguments() else { return .failed }
            console.out(task)
        case "hint":
            guard noArguments() else { return .failed }
            console.out(LessonText.hint(lesson, index: hintsUsed, style: style))
            if hintsUsed < LessonText.rungs(lesson) {
                hintsUsed += 1
                let used = hintsUsed
                record(lesson.id) { $0.hintsUsed = used }
            }
        case "check":
            guard noArguments() else { return .failed }
            return check()
        case "answer":
            let text = Self.rest(of: line)
            guard !text.isEmpty else {
                fail("'answer' needs your answer after it, such as: answer #1002")
                return .failed
            }
            guard let question = lesson.question else {
                console.out("This lesson asks no question: do what the story asks, then type 'check'.")
                return .done
            }
            answers.append(text)
            console.out(
                "Your answer to \"\(Sanitizer.clean(question))\": \(Sanitizer.clean(text)). Type 'check' to see whether it is right.")
        case "reset":
            guard noArguments() else { return .failed }
            do { try start(index, reset: true) } catch {
                fail(error.message)
                return .leave
            }
            console.out(style.bold("Started over") + " with a fresh sandbox.\n")
            console.out(task)
        case "next":
            guard noArguments() else { return .failed }
            let from = index
            if !passedCurrent && !(progressRecord(lesson.id)?.passed ?? false) {
                console.out(style.dim("Lesson \(from + 1) is not passed; come back to it with: orderdesk practice \(from + 1)"))
            }
            guard from + 1 < library.lessons.count else {
                console.out("That was the last lesson. Well done: 'orderdesk practice --list' shows where you stand.")
                return .leave
            }
            do { try start(from + 1) } catch {
                fail(error.message)
                return .leave
            }
            console.out("")
            console.out(task)
        case "quit", "exit":
            guard noArguments() else { return .failed }
            return .leave
        case "help":
            if words.count == 1 {
                let result = session.execute("help", interactive: false)
                console.out((result.output ?? "") + "\n\n" + LessonText.help(style: style))
                return .done
            }
            guard
                let entry = PracticeCommand.summaries.first(where: {
                    $0.0.split(separator: " ").first.map(String.init) == words[1].lowercased()
                })
            else {
                return nil
            }
            console.out(
                style.bold("usage: ") + entry.0 + "\n\n" + entry.1.prefix(1).uppercased() + entry.1.dropFirst() + ". Practice only.")
        default:
            return nil
        }
        return .done
    }

    /// An error of a practice command: `stdin:6: error: …` in a batch, `error: …` when typed.
    private func fail(_ message: String) {
        session.presenter.error(message, at: place)
    }

    /// `check`: the grade, and the pass recorded when everything is met.
    func check() -> Handled {
        let grade: LessonGrade
        do { grade = try self.grade() } catch {
            fail(error.message)
            return .failed
        }
        console.out(LessonText.grade(grade, lesson, hintsUsed: hintsUsed, style: style))
        guard grade.passed else { return .done }
        if let i = outcomes.firstIndex(where: { $0.id == lesson.id }) { outcomes[i].passed = true }
        let hints = hintsUsed
        record(lesson.id) { r in
            if !r.passed { r.passedAt = PracticeProgress.stamp() }
            r.status = "passed"
            r.bestHints = min(r.bestHints ?? hints, hints)
        }
        return .done
    }

    /// Notes a line the session ran: its words, when it succeeded, for `ran` goals.
    func ran(_ line: String, _ result: Session.LineResult) {
        guard result.error == nil, let words = try? Tokenizer.words(line), !words.isEmpty else { return }
        commands.append(words)
    }

    /// The text after a line's first word, trimmed.
    static func rest(of line: String) -> String {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard let space = trimmed.firstIndex(where: \.isWhitespace) else { return "" }
        return trimmed[space...].trimmingCharacters(in: .whitespaces)
    }

    // MARK: Loops

    /// Lines from a pipe or a file, with the same meaning as typed, run as they come; carries on
    /// after a refused line. Returns 3 when the sandbox became unusable, else 0 (``finish()`` gives
    /// the exit code).
    @discardableResult
    func batch(_ source: any LineSource) -> Int32 {
        let loop = LineLoop(session: session, options: BatchOptions(keepGoing: true, prettyJSON: true))
        loop.hook = lineHook
        loop.run(source)
        return loop.failure?.isStoreUnusable == true ? ExitStatus.storeUnusable.rawValue : ExitStatus.success.rawValue
    }

    /// Practice's own commands, seen by the line loop before the session's.
    private var lineHook: LineHook {
        LineHook(
            intercept: { [unowned self] line, place in
                if place != nil { self.lines.append(line.trimmingCharacters(in: .whitespaces)) }
                self.place = place
                defer { self.place = nil }
                switch self.handle(line) {
                case nil: return .pass
                case .done, .failed: return .handled
                case .leave: return .leave(0)
                }
            },
            ran: { [unowned self] line, result in self.ran(line, result) })
    }

    /// The live shell on the sandbox, with `practice` in the prompt and the extra commands.
    func live() -> Int32 {
        let shell = LiveShell(session: session, store: store, historyFile: Environment.practiceHistoryFile)
        let complete = shell.editor.completer
        shell.editor.completer = { text in
            var candidates = complete?(text) ?? []
            let scan = Tokenizer.scan(text)
            if scan.words.count <= 1 && !scan.endsInSpace {
                let word = scan.words.first ?? ""
                candidates += PracticeCommand.names.filter { $0.hasPrefix(word) && !candidates.contains($0) }
            }
            return candidates
        }
        shell.promptName = { [unowned self] in "practice \(self.index + 1)" }
        shell.greet = { [unowned self] in
            self.console.out(self.task)
            self.console.out(self.style.dim("Type 'help' for the commands, TAB to complete, Ctrl-D to leave."))
        }
        shell.hook = lineHook
        return shell.run()
    }

    /// Closing words, and the exit code: 0 when every lesson started in this run was passed, else 1.
    func finish() -> Int32 {
        // A lesson passed before (reopened to practise it again) is still passed: nothing to warn about.
        if !passedCurrent {
            let number = index + 1
            if let grade = try? grade(), grade.passed {
                console.err(
                    "Everything in lesson \(number) is done, but it was not checked, so it is not recorded as passed: type 'check' before you leave (orderdesk practice \(number))."
                )
            } else {
                console.err("Lesson \(number) (\(lesson.id)) is not passed yet; pick it up again with: orderdesk practice \(number)")
            }
        }
        if var progress, let warning = progress.takeWarning() { console.err("note: " + warning) }
        return outcomes.allSatisfy(\.passed) ? 0 : 1
    }

    // MARK: Progress

    private func record(_ lesson: String, _ change: (inout PracticeProgress.Record) -> Void) {
        guard progress != nil else { return }
        progress!.update(lesson, change)
        if let warning = progress!.takeWarning() { console.err(style.yellow("note: ") + warning) }
    }

    private func progressRecord(_ lesson: String) -> PracticeProgress.Record? {
        guard progress != nil else { return nil }
        return progress!.records()[lesson]
    }
}
