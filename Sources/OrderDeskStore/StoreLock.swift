import Glibc
import OrderDeskCore

/// The store's `store.lock`, held with `flock`: exclusive for a change, shared for a read.
///
/// Each instance opens its own descriptor (its own open file description), so two
/// instances contend for the lock even inside one process. The file is opened read-only,
/// which `flock` allows for both modes, so a read-only store can still be read.
final class StoreLock {
    /// Shared for reading, exclusive for changing.
    enum Mode {
        case shared, exclusive

        var flag: Int32 { self == .shared ? LOCK_SH : LOCK_EX }
    }

    let path: String
    private let fd: Int32
    /// The mode held now, if any.
    private(set) var held: Mode?

    /// Opens the lock file, creating it (mode 0600) when `create` is set and it is missing.
    init(path: String, create: Bool) throws(SystemError) {
        self.path = path
        if let fd = try POSIX.openIfPresent(path, O_RDONLY) {
            self.fd = fd
        } else if create {
            self.fd = try POSIX.open(path, O_RDONLY | O_CREAT, mode: 0o600, operation: "create")
        } else {
            throw SystemError(operation: "open", path: path, code: ENOENT)
        }
    }

    deinit {
        POSIX.closeQuietly(fd)
    }

    /// Takes the lock, polling with `LOCK_NB` until `timeout` seconds have passed.
    /// Throws ``OrderDeskError/storeLocked(path:)`` when another process keeps it.
    func acquire(_ mode: Mode, timeout: Double, store: String) throws(OrderDeskError) {
        guard held == nil else {
            // A nested call (say, a refresh from inside a commit's decision) would deadlock.
            throw .storeIO(path: path, operation: "lock", reason: "this session already holds the lock (a nested store call)")
        }
        let deadline = POSIX.monotonicSeconds() + timeout
        var pause: UInt32 = 1_000
        while true {
            if flock(fd, mode.flag | LOCK_NB) == 0 {
                held = mode
                return
            }
            let code = errno
            if code == EINTR { continue }
            guard code == EWOULDBLOCK else {
                throw SystemError(operation: "lock", path: path, code: code).storeError
            }
            if POSIX.monotonicSeconds() >= deadline { throw OrderDeskError.storeLocked(path: store) }
            usleep(pause)
            pause = min(pause * 2, 50_000)
        }
    }

    /// Gives the lock back.
    func release() {
        guard held != nil else { return }
        _ = flock(fd, LOCK_UN)
        held = nil
    }
}
