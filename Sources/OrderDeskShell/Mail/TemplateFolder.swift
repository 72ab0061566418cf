import Foundation
import OrderDeskCore

/// The shop's own notice templates: `templates/KIND.LANG.txt` in the store's directory, read
/// when a session starts and checked then (see ``NoticeTemplates/loading(_:folder:)``).
enum TemplateFolder {
    /// The built-in templates with the folder's files over them; the built-in ones alone when
    /// the store is not a directory or has no `templates/` folder.
    static func load(storeDirectory: String, isFileStore: Bool) -> Result<NoticeTemplates, TemplateProblem> {
        guard isFileStore else { return .success(.builtIn) }
        let folder = storeDirectory + "/templates"
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return .success(.builtIn) }
        var files: [(name: String, text: String)] = []
        for name in names.sorted() where !name.hasPrefix(".") {
            guard let data = FileManager.default.contents(atPath: folder + "/" + name) else {
                return .failure(TemplateProblem(file: folder + "/" + name, line: 0, text: "cannot be read"))
            }
            guard let text = String(data: data, encoding: .utf8) else {
                return .failure(TemplateProblem(file: folder + "/" + name, line: 0, text: "is not UTF-8 text"))
            }
            files.append((name, text))
        }
        do throws(TemplateProblem) {
            return .success(try NoticeTemplates.loading(files, folder: folder))
        } catch {
            return .failure(error)
        }
    }
}
