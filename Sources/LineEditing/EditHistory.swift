import CLibedit
import Foundation

/// The command history: a libedit `History`, optionally kept in a file.
///
/// The file is in libedit's own format and is rewritten after every entry
/// (through a temporary file and a rename, mode 0600), so a killed session keeps
/// what was typed. When the file cannot be written, history still works in memory.
final class EditHistory {
    /// The libedit history, for `EL_HIST`.
    let handle: OpaquePointer
    /// Where the history is saved, if anywhere.
    let file: String?

    /// Creates an empty history capped at `size` entries and loads `file` if it exists.
    init(file: String?, size: Int) {
        handle = history_init()
        self.file = file
        var event = HistEvent()
        _ = le_history_int(handle, &event, H_SETSIZE, Int32(clamping: max(size, 1)))
        _ = le_history_int(handle, &event, H_SETUNIQUE, 1)
        if let file, FileManager.default.fileExists(atPath: file) {
            _ = le_history_string(handle, &event, H_LOAD, file)
        }
    }

    deinit { history_end(handle) }

    /// Adds an entry (trimmed; empty ignored; a repeat of the last one dropped) and saves.
    func add(_ line: String) {
        let entry = line.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !entry.isEmpty else { return }
        var event = HistEvent()
        _ = le_history_string(handle, &event, H_ENTER, entry)
        save()
    }

    /// The entries, oldest first.
    func entries() -> [String] {
        var event = HistEvent()
        var result: [String] = []
        guard le_history_none(handle, &event, H_LAST) == 0 else { return [] }
        repeat {
            if let text = event.str { result.append(String(cString: text)) }
        } while le_history_none(handle, &event, H_PREV) == 0
        return result
    }

    /// Writes the whole history to the file, replacing it atomically with mode 0600.
    @discardableResult
    func save() -> Bool {
        guard let file else { return false }
        let directory = (file as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try? FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700])
        }
        let temporary = "\(file).\(getpid()).tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { return false }
        guard fchmod(descriptor, 0o600) == 0, let stream = fdopen(descriptor, "w") else {
            close(descriptor)
            unlink(temporary)
            return false
        }
        var event = HistEvent()
        let written = le_history_file(handle, &event, H_SAVE_FP, stream)
        let flushed = fflush(stream) == 0 && fsync(descriptor) == 0
        fclose(stream)
        guard written >= 0, flushed, rename(temporary, file) == 0 else {
            unlink(temporary)
            return false
        }
        return true
    }
}
