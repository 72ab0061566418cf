import OrderDeskShell

/// Scripted answers, for tests of the live dialogs.
public final class ScriptedPrompter: Prompter {
    private var answers: [String]
    public private(set) var questions: [String] = []

    public init(_ answers: [String]) { self.answers = answers }

    public func ask(_ question: String) -> String? {
        questions.append(question)
        return answers.isEmpty ? nil : answers.removeFirst()
    }
}
