import Foundation
import OrderDeskCore

#if canImport(Glibc)
    import Glibc
#endif

/// The one place that decides whether the program's output is coloured.
///
/// Colour only when stdout is a terminal, `NO_COLOR` is not set (to anything, as
/// <https://no-color.org> asks), `TERM` is not `dumb`, and `--no-color` was not given.
enum TerminalColor {
    /// Whether to colour, from the facts; pure, for tests.
    static func wanted(noColorFlag: Bool, stdoutIsTerminal: Bool, environment: [String: String]) -> Bool {
        stdoutIsTerminal && !noColorFlag && environment["NO_COLOR"] == nil && environment["TERM"] != "dumb"
    }

    /// Whether to colour this process's stdout.
    static func wanted(noColorFlag: Bool = false) -> Bool {
        wanted(noColorFlag: noColorFlag, stdoutIsTerminal: isatty(1) == 1, environment: ProcessInfo.processInfo.environment)
    }

    /// The style for this process's stdout.
    static func style(noColorFlag: Bool = false) -> Style { Style(color: wanted(noColorFlag: noColorFlag)) }
}
