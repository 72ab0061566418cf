import Glibc

/// Tunables and test hooks of a ``FileStore``.
///
/// The hooks are set only by tests (in-process, or through the `StoreHarness` program under
/// `Tests/`): `orderdesk` itself always opens stores with the defaults.
@_spi(StoreTesting) public struct FileStoreOptions: Sendable {
    /// How long to wait for the lock before reporting the store busy, in seconds.
    var lockTimeout: Double = 10
    /// Journal size in bytes past which a commit compacts the store: 16 MiB, or
    /// `$ORDERDESK_COMPACT_BYTES` (an operator's setting, documented in the README; the torture
    /// tests set it small so that kills land in compactions too).
    var compactionThreshold: Int64 = FileStoreOptions.thresholdFromEnvironment ?? 16 << 20
    /// Test hook: stop compaction right after this step as if the process had died there, but
    /// in-process (files are left as they are, and the instance refuses further use).
    var simulatedCrashAfterStep: Int?
    /// Test hook: make appends fail with this `errno` after writing half of their bytes.
    var appendFault: Int32?
    /// Test hook: `_exit(99)` right after compaction step N, as if the process was killed there
    /// (0 = archived the journal, 1 = temp snapshot written, 2 = synced and closed,
    /// 3 = renamed and directory synced, 4 = fresh journal in place). For kill tests in a child.
    /// Both hooks stop an upgrade from version 1 after the same steps (0 = the version-1 files
    /// kept in `archive/`; see `FileStore+Upgrade`).
    public var exitAfterStep: Int?

    public init() {}

    /// The environment variable that sets the compaction threshold in bytes.
    static let thresholdVariable = "ORDERDESK_COMPACT_BYTES"

    static var thresholdFromEnvironment: Int64? {
        guard let text = getenv(thresholdVariable), let bytes = Int64(String(cString: text)), bytes > 0 else { return nil }
        return bytes
    }
}
