import Foundation
import OrderDeskCore
import OrderDeskPractice
import OrderDeskStore

#if canImport(Glibc)
    import Glibc
#endif

/// Where a practice run works: a temporary directory of its own, holding one store per lesson.
///
/// The directory is made with `mkdtemp` under `$TMPDIR` (else `/tmp`), mode 0700:
/// `orderdesk-practice-XXXXXX/<lesson-id>/` is a complete store (snapshot, journal, lock), created
/// fresh from the training store with the lesson's setup committed on top, as its setup agent, so
/// that `log` shows who did what. Practice opens no other store, ever: not `--store`, not
/// `$ORDERDESK_STORE`, not the demo store. The directory is removed at the end unless `--keep`.
final class Sandbox {
    /// The temporary directory.
    let root: String

    init() throws(OrderDeskError) {
        var base = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        while base.count > 1 && base.hasSuffix("/") { base.removeLast() }
        var template = Array((base + "/orderdesk-practice-XXXXXX").utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw .storeIO(path: base, operation: "make a practice sandbox in", reason: String(cString: strerror(errno)))
        }
        root = String(cString: made)
    }

    /// The store directory of a lesson.
    func location(of lesson: Lesson) -> String { root + "/" + lesson.id }

    /// The folder of the lesson's files (`source NAME` looks there): `<lesson-id>-files`.
    func files(of lesson: Lesson) -> String { root + "/" + lesson.id + "-files" }

    /// Writes the lesson's files afresh into its folder.
    func writeFiles(of lesson: Lesson) throws(OrderDeskError) {
        let folder = files(of: lesson)
        do {
            if FileManager.default.fileExists(atPath: folder) { try FileManager.default.removeItem(atPath: folder) }
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            for file in lesson.files {
                let text = file.lines.joined(separator: "\n") + "\n"
                guard FileManager.default.createFile(atPath: folder + "/" + file.name, contents: Data(text.utf8)) else {
                    throw CocoaError(.fileWriteUnknown)
                }
            }
        } catch {
            throw .storeIO(path: folder, operation: "write the lesson's files in", reason: Session.reason(error))
        }
    }

    /// A fresh store for the lesson (replacing any earlier one), with its setup committed, and its files.
    func makeStore(for lesson: Lesson) throws(OrderDeskError) -> FileStore {
        try writeFiles(of: lesson)
        let path = location(of: lesson)
        if FileManager.default.fileExists(atPath: path) {
            do { try FileManager.default.removeItem(atPath: path) } catch {
                throw .storeIO(path: path, operation: "clear the practice sandbox", reason: Session.reason(error))
            }
        }
        let store = try FileStore.create(at: path, state: TrainingStore.make())
        for (i, line) in lesson.setup.enumerated() {
            let context = LessonSetup.context(line: i, agent: lesson.setupAgent)
            let changes: [Change]
            do { changes = try LessonSetup.changes(line, state: store.state, context: context) } catch {
                throw .fileUnreadable(path: lesson.file, reason: "setup[\(i)]: \(error.problem)")
            }
            _ = try store.commit(agent: lesson.setupAgent, now: context.now) { _ in changes }
        }
        return store
    }

    /// Removes the directory and everything in it.
    func remove() {
        try? FileManager.default.removeItem(atPath: root)
    }
}

/// The store a practice session works on: the current lesson's sandbox store, swapped for a fresh
/// one on `reset` and `next` without the shell noticing.
final class SandboxStore: OrderStore {
    var inner: FileStore

    init(_ inner: FileStore) { self.inner = inner }

    var state: StoreState { inner.state }
    var isDemo: Bool { false }
    var location: String { inner.location }
    var warnings: [String] {
        get { inner.warnings }
        set { inner.warnings = newValue }
    }

    func refresh() throws(OrderDeskError) -> [Event] { try inner.refresh() }

    func commit(
        agent: String, now: Timestamp, batch: BatchOrigin?, _ decide: (StoreState) throws(OrderDeskError) -> [Change]
    ) throws(OrderDeskError) -> [Event] {
        try inner.commit(agent: agent, now: now, batch: batch, decide)
    }

    func auditLog() throws(OrderDeskError) -> [Event] { try inner.auditLog() }
}

/// The training store's clock: 2026-11-20 12:00 UTC when a lesson starts, a minute more at each command.
final class PracticeClock: @unchecked Sendable {
    private var ticks: Int64 = 0

    /// Back to the start, for a new lesson or a reset.
    func restart() { ticks = 0 }

    /// The time for the next command.
    func next() -> Timestamp {
        defer { ticks += 1 }
        return TrainingStore.now.adding(seconds: ticks * 60)
    }
}
