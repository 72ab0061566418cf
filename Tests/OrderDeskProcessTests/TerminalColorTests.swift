import Foundation
import Testing

@testable import OrderDeskShell

/// Colour only when stdout is a terminal, `NO_COLOR` is unset, `TERM` is not `dumb` and
/// `--no-color` was not given; one function decides it for the whole program.
@Suite struct TerminalColorTests {
    @Test func theRules() {
        let xterm = ["TERM": "xterm-256color"]
        #expect(TerminalColor.wanted(noColorFlag: false, stdoutIsTerminal: true, environment: xterm))
        #expect(!TerminalColor.wanted(noColorFlag: false, stdoutIsTerminal: false, environment: xterm))
        #expect(!TerminalColor.wanted(noColorFlag: true, stdoutIsTerminal: true, environment: xterm))
        #expect(!TerminalColor.wanted(noColorFlag: false, stdoutIsTerminal: true, environment: ["TERM": "dumb"]))
        #expect(!TerminalColor.wanted(noColorFlag: false, stdoutIsTerminal: true, environment: ["TERM": "xterm", "NO_COLOR": "1"]))
        #expect(!TerminalColor.wanted(noColorFlag: false, stdoutIsTerminal: true, environment: ["TERM": "xterm", "NO_COLOR": ""]))
    }

    /// `orderdesk help cancel` on a terminal: coloured under xterm, plain under `TERM=dumb`
    /// (which used to get colour) and under `NO_COLOR`.
    @Test(.timeLimit(.minutes(1))) func helpOnATerminalHonoursTermDumb() throws {
        guard let binary = ProgramRunner.binary() else { return }
        let dir = try ProgramScratch("color")
        defer { dir.remove() }
        for (environment, coloured) in [
            (["TERM": "xterm-256color"], true), (["TERM": "dumb"], false), (["TERM": "xterm-256color", "NO_COLOR": "1"], false),
        ] {
            let pty = try PseudoTerminal(
                executable: binary, arguments: ["help", "cancel"],
                environment: environment.merging(["HOME": dir.home, "XDG_DATA_HOME": dir.home + "/data"]) { $1 })
            #expect(pty.waitForExit(timeout: 10) == 0)
            let output = String(decoding: pty.transcript, as: UTF8.self)
            #expect(output.contains("cancel ORDER"), "\(output)")
            #expect(output.contains("\u{1B}[") == coloured, "\(environment): \(output.debugDescription)")
        }
    }
}
