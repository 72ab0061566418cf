import OrderDeskCore
import OrderDeskPractice
import Testing

@testable import OrderDeskShell

/// The built-in practice course, read in-process as the program reads it. The course run end to end
/// by the real binary is in `PracticeProgramTests` (OrderDeskProcessTests).
@Suite struct PracticeTests {
    /// The built-in course, as the program loads it.
    static let builtIn: [Lesson] = (try? LessonLibrary.load(directories: []).lessons) ?? []

    // MARK: - The built-in course

    @Test func theBuiltInCourseLoads() throws {
        let lessons = Self.builtIn
        #expect(lessons.count >= 8)
        #expect(Set(lessons.map(\.id)).count == lessons.count)
        for lesson in lessons {
            #expect(!lesson.hints.isEmpty, "\(lesson.id) has no hints")
            #expect(!lesson.solution.isEmpty, "\(lesson.id) has no solution")
            #expect(lesson.solution.last == "check", "\(lesson.id)'s solution does not end with check")
            #expect(lesson.file.hasPrefix("built-in lesson "), "\(lesson.file)")
        }
    }

    /// Between them the solutions use every command of the language, except `source` (it needs a
    /// script file, which a lesson cannot ship) and `quit` (practice's own).
    @Test func theSolutionsUseEveryCommand() throws {
        var used = Set<String>()
        for lesson in Self.builtIn {
            for line in lesson.solution {
                guard let first = try Tokenizer.words(line).first, let spec = CommandTable.spec(first) else { continue }
                used.insert(spec.name)
                if spec.name == "feedback", line.contains("feedback list") { used.insert("feedback list") }
            }
        }
        let all = Set(CommandTable.all.map(\.name)).subtracting(["source", "quit"]).union(["feedback list"])
        #expect(all.subtracting(used).isEmpty, "commands no solution uses: \(all.subtracting(used).sorted())")
    }
}
