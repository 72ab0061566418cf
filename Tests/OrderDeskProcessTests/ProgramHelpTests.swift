import Foundation
import Testing

/// `orderdesk --help`, `--version` and `help COMMAND`, for the program's and the shell's commands.
@Suite struct ProgramHelpTests {
    @Test func helpForAShellCommand() throws {
        guard ProgramRunner.binary() != nil else { return }
        let dir = try ProgramScratch("help")
        defer { dir.remove() }
        let cancel = try dir.orderdesk(["help", "cancel"])
        #expect(cancel.exitCode == 0, "\(cancel)")
        #expect(cancel.stdout.contains("usage: cancel ORDER") && cancel.stdout.contains("examples:"), "\(cancel)")
        let run = try dir.orderdesk(["help", "run"])
        #expect(run.exitCode == 0 && run.stdout.contains("USAGE: orderdesk run"), "\(run)")
        let top = try dir.orderdesk(["--help"])
        #expect(top.exitCode == 0 && top.stdout.contains("orderdesk help COMMAND"), "\(top)")
        let version = try dir.orderdesk(["--version"])
        #expect(version.exitCode == 0 && !version.stdout.isEmpty, "\(version)")
        #expect(!FileManager.default.fileExists(atPath: dir.path + "/home/.local/share/orderdesk/demo"), "help opens no store")
    }
}
