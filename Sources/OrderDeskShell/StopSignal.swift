import OrderDeskCore
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// SIGINT, SIGTERM and SIGHUP during a batch: noted, so that the run finishes the group it is
/// writing, reports every line that is durable, says where to resume, and exits 130 or 143.
///
/// The handler only records the signal; the line loop looks at it between lines, and a read that
/// waits on a pipe returns early (the handler is installed without `SA_RESTART`). The signal is
/// kept in an atomic: a plain variable written by the handler while the loop reads it is a
/// simultaneous access, which Swift's exclusivity checking stops the program for.
enum StopSignal {
    private static let caught = Atomic<Int32>(0)

    /// The signal received, or 0.
    static var received: Int32 { caught.load(ordering: .relaxed) }

    /// Installs the handler for a batch run.
    static func install() {
        for signal in [SIGINT, SIGTERM, SIGHUP] {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { StopSignal.caught.store($0, ordering: .relaxed) }
            sigemptyset(&action.sa_mask)
            action.sa_flags = 0
            sigaction(signal, &action, nil)
        }
    }

    /// Whether a stop was asked for.
    static var requested: Bool { received != 0 }

    /// The exit status a stopped batch ends with: 130 after SIGINT, 143 after SIGTERM or SIGHUP.
    static var exitStatus: ExitStatus { received == SIGINT ? .interrupted : .terminated }

    /// The signal's name, for the closing words.
    static var name: String {
        switch received {
        case SIGINT: return "SIGINT"
        case SIGHUP: return "SIGHUP"
        default: return "SIGTERM"
        }
    }
}
