import Foundation
import OrderDeskCore
import OrderDeskPractice

/// The lessons practice offers, in order: the built-in course, then trainers' own.
///
/// - **Built-in lessons** ship with the program as resources of this module
///   (`Practice/Lessons/*.json`, read through `Bundle.module`), in file-name order.
/// - **Trainers' lessons** come from `--lessons DIR` (the flag may be repeated): every `*.json` file in
///   the directory, in file-name order, after the built-in ones; other files are ignored.
///   `--no-builtin` leaves the built-in lessons out, for a course of the trainer's own.
/// - Every file is read and checked in full before practice starts: a broken file is refused with
///   `FILE: FIELD: PROBLEM`, and so is an id used twice.
/// - A lesson is chosen by its number in this list (`3`) or its id (`refund-later-in-parts`).
struct LessonLibrary {
    var lessons: [Lesson]

    /// The name of the resource folder that holds the built-in lessons.
    static let resourceFolder = "Lessons"

    /// Why the lessons could not be loaded.
    enum Failure: Error {
        case file(LessonFileError)
        case directory(path: String, problem: String)
        case builtInMissing(String)

        var message: String {
            switch self {
            case .file(let error): return error.description
            case .directory(let path, let problem): return "\(path): \(problem)"
            case .builtInMissing(let problem): return problem
            }
        }
    }

    /// Reads the built-in lessons (unless `builtIn` is false) and those in `directories`.
    static func load(directories: [String], builtIn: Bool = true) throws(Failure) -> LessonLibrary {
        var lessons: [Lesson] = []
        let training = TrainingStore.make()
        if builtIn {
            guard let folder = builtInFolder() else {
                throw .builtInMissing(
                    "the built-in lessons are missing: the resource bundle \(bundleName) should be next to the orderdesk program (\(Bundle.main.bundleURL.path)); install it there, or use --lessons DIR --no-builtin"
                )
            }
            lessons += try read(folder: folder, shownAs: { "built-in lesson " + $0 }, training: training)
        }
        for directory in directories {
            let shown = directory.hasSuffix("/") ? String(directory.dropLast()) : directory
            let found = try read(folder: directory, shownAs: { shown + "/" + $0 }, training: training)
            guard !found.isEmpty else {
                throw .directory(path: directory, problem: "has no lesson files (*.json)")
            }
            lessons += found
        }
        var seen: [String: String] = [:]
        for lesson in lessons {
            if let other = seen[lesson.id] {
                throw .file(
                    LessonFileError(
                        file: lesson.file, field: "id",
                        problem: "\"\(lesson.id)\" is already the id of \(other); give each lesson its own id"))
            }
            seen[lesson.id] = lesson.file
        }
        return LessonLibrary(lessons: lessons)
    }

    /// The `*.json` files of a folder, read in file-name order.
    static func read(folder: String, shownAs: (String) -> String, training: StoreState) throws(Failure) -> [Lesson] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory) else {
            throw .directory(path: folder, problem: "no such directory")
        }
        guard isDirectory.boolValue else {
            throw .directory(path: folder, problem: "is not a directory; --lessons takes a directory of *.json lesson files")
        }
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: folder) } catch {
            throw .directory(path: folder, problem: "cannot be read (\(Session.reason(error)))")
        }
        var lessons: [Lesson] = []
        for name in names.filter({ $0.hasSuffix(".json") && !$0.hasPrefix(".") }).sorted() {
            let path = (folder as NSString).appendingPathComponent(name)
            let shown = shownAs(name)
            guard let data = FileManager.default.contents(atPath: path) else {
                throw .file(LessonFileError(file: shown, field: nil, problem: "cannot be read"))
            }
            guard let text = String(data: data, encoding: .utf8) else {
                throw .file(LessonFileError(file: shown, field: nil, problem: "is not UTF-8 text"))
            }
            do { lessons.append(try Lesson.decode(text, file: shown, training: training)) } catch { throw .file(error) }
        }
        return lessons
    }

    /// The folder of built-in lessons inside the module's resource bundle, read through `Bundle.module`.
    ///
    /// `swift build` puts the bundle next to the program (debug and release alike), and an
    /// installation must copy it there too. `Bundle.module` stops the program when it finds no
    /// bundle, so its presence is checked first and a missing bundle is reported instead.
    static func builtInFolder() -> String? {
        let beside = Bundle.main.bundleURL.appendingPathComponent(bundleName).path
        guard FileManager.default.fileExists(atPath: beside) else { return nil }
        return Bundle.module.url(forResource: resourceFolder, withExtension: nil)?.path
    }

    /// The resource bundle's name, as SwiftPM makes it: `<package>_<target>.resources`.
    static let bundleName = "OrderDesk_OrderDeskShell.resources"

    /// The lesson a selector names: its number in the list, or its id (or an unambiguous start of one).
    func index(of selector: String) -> Int? {
        if let n = Int(selector) { return (1...max(1, lessons.count)).contains(n) && n <= lessons.count ? n - 1 : nil }
        let wanted = selector.lowercased()
        if let i = lessons.firstIndex(where: { $0.id == wanted }) { return i }
        let matches = lessons.indices.filter { lessons[$0].id.hasPrefix(wanted) }
        return matches.count == 1 ? matches[0] : nil
    }
}
