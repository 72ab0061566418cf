import Foundation
import OrderDeskCore

/// The live shell's side of the core's questions: a numbered menu, and the preview with the
/// choices the agent can still change before confirming.
///
/// Ctrl-C or Ctrl-D at any question leaves the command with nothing changed.
struct Dialog {
    let console: any Console
    let prompter: any Prompter
    let presenter: Presenter

    /// The agent's answer to a question (an option's value); nil when they leave it.
    func ask(_ question: Question) -> String? {
        var menu = [question.title]
        for (i, option) in question.options.enumerated() { menu.append("  \(i + 1). \(option.label)") }
        console.out(menu.joined(separator: "\n"))
        let count = question.options.count
        while true {
            guard
                let answer = prompter.ask("\(question.name) [1-\(count)]: ", completions: question.options.map(\.value))?
                    .trimmingCharacters(in: .whitespaces), !answer.isEmpty
            else { return nil }
            if let option = question.option(for: answer) { return option.value }
            presenter.error("choose a number from 1 to \(count), or press Enter to leave the order as it is")
        }
    }

    /// What the agent made of a plan's preview.
    enum Confirmation {
        case confirmed
        case declined
        /// A choice was changed: the command as it now stands.
        case revised(Command)
    }

    /// Shows the preview and its choices, and asks to confirm.
    func confirm(_ plan: Plan) -> Confirmation {
        console.out(plan.preview)
        let choices = plan.choices
        if !choices.isEmpty {
            let keys = choices.map { "\($0.key) \($0.name) (\(Sanitizer.clean($0.value)))" }.joined(separator: " · ")
            console.out(presenter.style.dim("  Change   \(keys); y confirms, n or Enter leaves"))
        }
        while true {
            guard let answer = prompter.ask(plan.question + " [y/N] ", completions: [])?.trimmingCharacters(in: .whitespaces).lowercased()
            else {
                return .declined
            }
            switch answer {
            case "y", "yes": return .confirmed
            case "", "n", "no": return .declined
            default: break
            }
            guard answer.count == 1, let choice = choices.first(where: { String($0.key) == answer }) else {
                let letters = choices.map { String($0.key) }
                presenter.error(
                    "type y to confirm, or n or Enter to leave"
                        + (letters.isEmpty ? "" : "; to change a choice: " + letters.joined(separator: ", ")))
                continue
            }
            let name = choice.name.prefix(1).uppercased() + choice.name.dropFirst()
            switch choice.kind {
            case .toggle:
                return .revised(choice.revise(""))
            case .options(let options):
                // Only the live shell asks this, so a batch's refusal (`unanswered`) is never used.
                let question = Question(
                    title: "\(name) (currently \(Sanitizer.clean(choice.value))):", name: name, options: options,
                    unanswered: .missingArgument(command: "", what: choice.name), answer: choice.revise)
                guard let value = ask(question) else { return .declined }
                return .revised(question.answer(value))
            case .text:
                guard let text = prompter.ask("\(name) (Enter clears it): ", completions: []) else { return .declined }
                return .revised(choice.revise(text.trimmingCharacters(in: .whitespaces)))
            }
        }
    }
}
