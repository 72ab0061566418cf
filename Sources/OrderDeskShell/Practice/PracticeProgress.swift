import Foundation
import OrderDeskCore
import OrderDeskPractice

#if canImport(Glibc)
    import Glibc
#endif

/// Each learner's progress, kept in `${XDG_STATE_HOME:-~/.local/state}/orderdesk/practice.json`.
///
/// The file belongs to the user (mode 0600, its folder 0700) and holds one record per agent name
/// (`--agent`, else `$ORDERDESK_AGENT`, else `$USER`) and lesson id, so trainees sharing one login
/// under their own agent names keep their own progress:
///
/// ```json
/// {
///   "format": "orderdesk-practice",
///   "version": 1,
///   "agents": {
///     "alice": {
///       "changed-mind": {"status": "passed", "attempts": 2, "hints_used": 1, "best_hints": 1,
///                        "started_at": "2026-01-05T09:12:00Z", "passed_at": "2026-01-05T09:20:41Z"}
///     }
///   }
/// }
/// ```
///
/// `status` is `started` or `passed` (a pass is never taken back); `attempts` counts starts and
/// resets; `hints_used` is the hints seen in the latest attempt and `best_hints` the fewest hints of
/// a passing attempt. Times are the wall clock's, for the record only: grading never reads them.
/// Each change re-reads the file and writes it anew (a temporary file renamed over it), so two
/// practice sessions of one user do not undo each other's records. A file that cannot be read is
/// set aside as `practice.json.bad` and practice starts afresh, with a note.
struct PracticeProgress {
    struct Record: Codable, Equatable {
        var status: String
        var attempts: Int
        var hintsUsed: Int
        var bestHints: Int?
        var startedAt: String?
        var passedAt: String?

        enum CodingKeys: String, CodingKey {
            case status, attempts
            case hintsUsed = "hints_used"
            case bestHints = "best_hints"
            case startedAt = "started_at"
            case passedAt = "passed_at"
        }

        var passed: Bool { status == "passed" }
    }

    struct File: Codable {
        var format = "orderdesk-practice"
        var version = 1
        var agents: [String: [String: Record]] = [:]
    }

    let path: String
    let agent: String
    /// A problem met reading the file, to show once.
    private(set) var warning: String?

    init(path: String, agent: String) {
        self.path = path
        self.agent = agent
    }

    /// This agent's records, by lesson id.
    mutating func records() -> [String: Record] {
        read().agents[agent] ?? [:]
    }

    /// Changes this agent's record of a lesson and saves the file at once.
    mutating func update(_ lesson: String, _ change: (inout Record) -> Void) {
        var file = read()
        var record = file.agents[agent]?[lesson] ?? Record(status: "started", attempts: 0, hintsUsed: 0)
        change(&record)
        file.agents[agent, default: [:]][lesson] = record
        write(file)
    }

    /// The wall-clock time, for the record.
    static func stamp() -> String { Timestamp(seconds: Int64(Date().timeIntervalSince1970)).iso8601 }

    private mutating func read() -> File {
        guard let data = FileManager.default.contents(atPath: path) else { return File() }
        do {
            let file = try JSONDecoder().decode(File.self, from: data)
            guard file.format == "orderdesk-practice", file.version == 1 else {
                throw OrderDeskError.storeTooNew(file: path, version: file.version, supported: 1)
            }
            return file
        } catch {
            let aside = path + ".bad"
            _ = try? FileManager.default.removeItem(atPath: aside)
            _ = try? FileManager.default.moveItem(atPath: path, toPath: aside)
            warning = "the practice progress in \(path) could not be read, so it was set aside as \(aside); progress starts afresh"
            return File()
        }
    }

    private mutating func write(_ file: File) {
        let folder = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(
                atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            var data = try encoder.encode(file)
            data.append(0x0A)
            let temporary = "\(path).tmp.\(getpid())"
            guard FileManager.default.createFile(atPath: temporary, contents: data, attributes: [.posixPermissions: 0o600]) else {
                throw CocoaError(.fileWriteUnknown)
            }
            guard rename(temporary, path) == 0 else {
                let reason = String(cString: strerror(errno))
                unlink(temporary)
                throw OrderDeskError.storeIO(path: path, operation: "save", reason: reason)
            }
        } catch {
            let reason = (error as? OrderDeskError)?.message ?? Session.reason(error)
            warning = "practice progress could not be saved in \(path) (\(reason))"
        }
    }

    /// Takes the warning to show it once.
    mutating func takeWarning() -> String? {
        defer { warning = nil }
        return warning
    }
}

extension Environment {
    /// `${XDG_STATE_HOME:-~/.local/state}/orderdesk`.
    static var stateFolder: String {
        let base = variables["XDG_STATE_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? home + "/.local/state"
        return base + "/orderdesk"
    }

    /// The learner's progress: `…/orderdesk/practice.json`.
    static var practiceProgressFile: String { stateFolder + "/practice.json" }

    /// Practice keeps its own line history, so `hint` and `check` do not crowd the shell's.
    static var practiceHistoryFile: String { stateFolder + "/practice-history" }
}
