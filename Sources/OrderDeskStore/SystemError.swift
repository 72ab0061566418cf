import Glibc
import OrderDeskCore

/// A failed system call: what was being done, to which path, and `errno`.
struct SystemError: Error, Sendable {
    /// The verb phrase for the message: `open`, `write to`, `rename`...
    var operation: String
    var path: String
    var code: Int32

    /// The C library's text for the error number.
    var reason: String { String(cString: strerror(code)) }

    /// The same failure as OrderDesk reports it.
    var storeError: OrderDeskError { .storeIO(path: path, operation: operation, reason: reason) }
}
