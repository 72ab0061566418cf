/// Tunables and test hooks of a ``FileStore``.
struct FileStoreOptions: Sendable {
    /// How long to wait for the lock before reporting the store busy, in seconds.
    var lockTimeout: Double = 10
    /// Journal size in bytes past which a commit compacts the store.
    var compactionThreshold: Int64 = 16 << 20
    /// Test hook: stop compaction right after this step as if the process had died there, but
    /// in-process (files are left as they are, and the instance refuses further use).
    var simulatedCrashAfterStep: Int?
    /// Test hook: make appends fail with this `errno` after writing half of their bytes.
    var appendFault: Int32?

    /// The environment variable that makes compaction `_exit(99)` right after step N
    /// (0 = archived the journal, 1 = temp snapshot written, 2 = synced and closed,
    /// 3 = renamed and directory synced, 4 = fresh journal in place).
    static let stopAfterVariable = "ORDERDESK_TEST_COMPACT_STOP_AFTER"
}
