import Glibc
import OrderDeskCore

/// Byte-exact copies of files found corrupt, kept in the store's `quarantine/` directory.
///
/// Names are `<UTC time>-<crc32 of the content>-<file name>`, for example
/// `20261126T175812Z-3fa2c1d0-journal.jsonl`. A file already quarantined with the same content
/// is not copied again: its existing copy is reported.
enum Quarantine {
    /// Copies `file` into `quarantine/` of the store; returns the copy's path, or nil when it could
    /// not be made (a read-only store, a full disk): the refusal stands either way.
    static func copy(_ file: String, layout: StoreLayout, now: Timestamp = Timestamp(seconds: Int64(time(nil))))
        -> String?
    {
        guard let bytes = try? POSIX.readFile(file) else { return nil }
        let name = file.split(separator: "/").last.map(String.init) ?? file
        let hash = CRC32.hex(CRC32.checksum(bytes))
        let suffix = "-\(hash)-\(name)"
        // The same damaged file again: point at the copy made before.
        if let existing = try? POSIX.listDirectory(layout.quarantine) {
            for candidate in existing where candidate.hasSuffix(suffix) && !StoreLayout.isTemporary(candidate) {
                let path = layout.quarantine + "/" + candidate
                if let info = try? POSIX.status(path), Int(info.st_size) == bytes.count { return path }
            }
        }
        do throws(SystemError) {
            if try POSIX.makeDirectory(layout.quarantine) {
                try POSIX.fsyncDirectory(layout.directory)
            }
            let stamp = now.iso8601.filter { $0 != "-" && $0 != ":" }
            let target = layout.quarantine + "/" + stamp + suffix
            try POSIX.replaceDurably(
                target, with: bytes, temporary: layout.temporary(for: target), directory: layout.quarantine)
            return target
        } catch {
            return nil
        }
    }
}
