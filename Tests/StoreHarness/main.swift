// StoreHarness: a small program for the process-level crash tests, so that the shipped
// `orderdesk` carries no test hooks. It opens a store with a test hook set in its options and
// runs one store operation:
//
//     StoreHarness compact STORE --exit-after-step N
//
// compacts STORE and `_exit(99)`s right after compaction step N (0 = journal archived, 1 = temp
// snapshot written, 2 = synced and closed, 3 = renamed, 4 = fresh journal), as if killed there.
// Exit 0 when the compaction finished, 2 on bad arguments, the store's exit code on a refusal.
import Glibc
import OrderDeskCore
@_spi(StoreTesting) import OrderDeskStore

/// Writes a line to stderr.
func complain(_ text: String) {
    let bytes = Array((text + "\n").utf8)
    _ = bytes.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
}

let arguments = Array(CommandLine.arguments.dropFirst())
guard arguments.count == 4, arguments[0] == "compact", arguments[2] == "--exit-after-step", let step = Int(arguments[3])
else {
    complain("usage: StoreHarness compact STORE --exit-after-step N")
    exit(2)
}
var options = FileStoreOptions()
options.exitAfterStep = step
do {
    let store = try FileStore.open(at: arguments[1], options: options)
    try store.compact()
    print("Compacted \(store.location) at sequence \(store.state.seq).")
    exit(0)
} catch {
    complain("error: " + error.message)
    exit(error.exitCode)
}
