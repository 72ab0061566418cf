import OrderDeskCore

/// A reason to refuse a store: which file, where, and what was wrong.
///
/// Loading produces it; ``FileStore`` turns it into an ``OrderDeskError`` after copying the file
/// into `quarantine/`, while ``FileStore/verify(at:)`` only lists it.
struct StoreDamage: Error, Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        /// Malformed, inconsistent or missing data.
        case corrupt
        /// A snapshot rewritten by another program: valid, but without its checksum or with one
        /// that does not match. Refused like damage, with a way to accept it.
        case edited
        /// A snapshot written by a newer OrderDesk.
        case tooNew(version: Int)
        /// A snapshot of an older store version, which opening upgrades (see `FileStore+Upgrade`).
        /// Not damage: reported as such only where no upgrade can be made.
        case older(version: Int)
    }

    /// The full path of the file at fault.
    var file: String
    /// `line 7 (byte 1234)`, `byte 0`, `field orders[3].total_price`...
    var position: String
    var problem: String
    var kind: Kind = .corrupt
    /// Whether the file exists, so that it can be copied to quarantine.
    var quarantinable = true

    /// Whether the file is merely newer than this program (not damaged, so not quarantined).
    var isTooNew: Bool {
        if case .tooNew = kind { return true }
        return false
    }

    /// The older store version of the snapshot, when it is one to upgrade.
    var olderVersion: Int? {
        if case .older(let version) = kind { return version }
        return nil
    }

    /// The error to report, given where the quarantine copy went (if anywhere).
    func error(quarantine: String?) -> OrderDeskError {
        switch kind {
        case .corrupt:
            return .storeCorrupt(file: file, position: position, problem: problem, quarantine: quarantine)
        case .edited:
            return .storeEdited(file: file, position: position, problem: problem, quarantine: quarantine)
        case .tooNew(let version):
            return .storeTooNew(file: file, version: version, supported: Snapshot.currentVersion)
        case .older:
            return .storeCorrupt(file: file, position: position, problem: problem, quarantine: quarantine)
        }
    }

    /// The position text for a journal line.
    static func linePosition(line: Int, byte: Int64) -> String { "line \(line) (byte \(byte))" }

    /// A damage report for a problem inside a journal line starting at `byte`.
    static func journal(
        _ file: String, line: Int, byte: Int64, _ problem: StoreCodec.Problem
    ) -> StoreDamage {
        var text = problem.problem
        if let field = problem.field { text = "field \(field): " + text }
        if let column = problem.byte { text += " (at column \(column + 1) of the line)" }
        return StoreDamage(file: file, position: linePosition(line: line, byte: byte), problem: text)
    }

    /// A damage report for a problem inside a whole document such as the snapshot.
    static func document(_ file: String, _ problem: StoreCodec.Problem) -> StoreDamage {
        let position: String
        if let byte = problem.byte {
            position = "byte \(byte)"
        } else if let field = problem.field {
            position = "field \(field)"
        } else {
            position = "byte 0"
        }
        return StoreDamage(file: file, position: position, problem: problem.problem)
    }
}
