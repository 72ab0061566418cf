import ArgumentParser
import OrderDeskShell

/// `orderdesk practice [LESSON]`: onboarding practice in a sandbox.
struct Practice: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Onboarding practice: guided lessons in a sandbox store.")

    @Argument(help: ArgumentHelp("The lesson to start.", valueName: "LESSON")) var lesson: String?

    func run() throws {
        FileHandleWriter.err("error: 'orderdesk practice' is not available in this version yet")
        throw ExitCode(1)
    }
}
