import OrderDeskCore

/// What practice prints: the task, a hint, the grade. Lesson text comes from files, so every line
/// of it is cleaned of control characters and escape sequences before it reaches the terminal.
public enum LessonText {
    /// The task: title, the customer's message, what the agent knows, the question, and how to get help.
    public static func task(_ lesson: Lesson, number: Int, of total: Int, style: Style) -> String {
        var out = [style.bold("Lesson \(number) of \(total): \(Sanitizer.clean(lesson.title))")]
        out.append("")
        if let from = lesson.from { out.append(style.dim("From: ") + Sanitizer.clean(from)) }
        for line in lesson.story { out.append("  │ " + Sanitizer.clean(line)) }
        if !lesson.background.isEmpty {
            out.append("")
            out.append(style.dim("What you know:"))
            for line in lesson.background { out.append("  " + Sanitizer.clean(line)) }
        }
        if let question = lesson.question {
            out.append("")
            out.append(style.bold("Question: ") + Sanitizer.clean(question) + style.dim("  (reply with: answer TEXT)"))
        }
        out.append("")
        out.append(style.dim("Work as in the shell: this is a sandbox, a copy of the training store, so nothing real changes."))
        out.append(style.dim("Practice adds: task, hint, check, answer TEXT, reset, next, quit."))
        return out.joined(separator: "\n")
    }

    /// How many rungs the hint ladder has: the lesson's hints, then the worked answer (when the
    /// lesson has a solution).
    public static func rungs(_ lesson: Lesson) -> Int {
        lesson.hints.count + (lesson.workedAnswer.isEmpty ? 0 : 1)
    }

    /// Rung `index` (0-based) of the hint ladder, or a note that there are no more. The last
    /// rung is the worked answer: the lines that pass the lesson.
    public static func hint(_ lesson: Lesson, index: Int, style: Style) -> String {
        let total = rungs(lesson)
        guard total > 0 else { return "This lesson has no hints. Type 'check' to see what is still missing." }
        guard index < total else {
            return
                "No more hints: you have seen all \(total), the worked answer last. Type 'check' to see what is still missing, or 'reset' to start over."
        }
        let head = style.yellow("Hint \(index + 1) of \(total): ")
        guard index == lesson.hints.count else { return head + Sanitizer.clean(lesson.hints[index]) }
        var out = [head + "the worked answer. These lines pass the lesson (on a fresh sandbox: 'reset' first if you are stuck):"]
        for line in lesson.workedAnswer { out.append("    " + Sanitizer.clean(line)) }
        out.append("Type them yourself: reading them teaches less than working them out.")
        return out.joined(separator: "\n")
    }

    /// The grade, as `check` prints it.
    public static func grade(_ grade: LessonGrade, _ lesson: Lesson, hintsUsed: Int, style: Style) -> String {
        var out = ["Checking \"\(Sanitizer.clean(lesson.title))\":"]
        for item in grade.items where item.isShown {
            let label = Sanitizer.clean(item.label)
            switch item.status {
            case .met: out.append("  " + style.green("✓ done ") + "  " + label)
            case .missing(let detail):
                out.append(
                    "  " + style.yellow("… to do") + "  " + label + (detail.map { style.dim(" (" + Sanitizer.clean($0) + ")") } ?? ""))
            case .wrong(let detail): out.append("  " + style.red("✗ wrong") + "  " + Sanitizer.clean(detail))
            }
        }
        for text in grade.unexpected { out.append("  " + style.red("✗ wrong") + "  " + Sanitizer.clean(text)) }
        let (met, total) = grade.tasks
        if grade.passed {
            let hints = hintsUsed == 0 ? "no hints" : "\(hintsUsed) hint\(hintsUsed == 1 ? "" : "s")"
            let goals = total == 1 ? "The goal is met" : "All \(total) goals met"
            out.append(style.green(style.bold("Passed!")) + " \(goals), with \(hints).")
            if !lesson.debrief.isEmpty {
                out.append("")
                for line in lesson.debrief { out.append("  " + Sanitizer.clean(line)) }
            }
            out.append("")
            out.append("Type 'next' for the next lesson, or 'quit' to leave.")
        } else if grade.hasWrong {
            out.append(
                "Not passed: \(met) of \(total) goal\(total == 1 ? "" : "s") met, and something went wrong. Type 'reset' to start over with a fresh sandbox."
            )
        } else {
            out.append("Not passed yet: \(met) of \(total) goal\(total == 1 ? "" : "s") met. Keep going, or type 'hint'.")
        }
        return out.joined(separator: "\n")
    }

    /// `help` in practice: the practice commands.
    public static func help(style: Style) -> String {
        var out = [style.bold("practice:")]
        let width = PracticeCommand.summaries.map(\.0.count).max() ?? 0
        for (name, summary) in PracticeCommand.summaries { out.append("  " + name.padding(width) + "  " + summary) }
        return out.joined(separator: "\n")
    }
}
