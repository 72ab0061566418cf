// Shared by every fuzz target (scripts/fuzz/build compiles it with each one).
import Glibc

/// Checks a property; on failure prints why (optimized builds drop precondition messages) and
/// aborts, which libFuzzer records as a crash.
func require(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fail(message()) }
}

/// Prints why a property failed and aborts.
func fail(_ message: String) -> Never {
    let text = Array("fuzz property failed: \(message)\n".utf8)
    _ = text.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    abort()
}
