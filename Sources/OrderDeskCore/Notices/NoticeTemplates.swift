/// The templates notices are written from: the built-in English and Finnish ones, with the
/// shop's own files over them (`templates/KIND.LANG.txt` in the store's directory).
public struct NoticeTemplates: Sendable, Hashable {
    var templates: [String: NoticeTemplate]

    /// The languages with a template for every kind of notice.
    public var languages: [String] {
        Set(templates.values.map(\.language)).sorted()
    }

    /// The template of a kind in a language, if there is one.
    public func template(_ kind: NoticeKind, _ language: String) -> NoticeTemplate? {
        templates["\(kind.rawValue).\(language)"]
    }

    /// The built-in templates only.
    public static let builtIn: NoticeTemplates = {
        var all: [String: NoticeTemplate] = [:]
        for (language, texts) in [("en", BuiltInTemplates.english), ("fi", BuiltInTemplates.finnish)] {
            for kind in NoticeKind.allCases {
                guard let text = texts[kind] else { preconditionFailure("built-in \(kind.rawValue).\(language) is missing") }
                do throws(TemplateProblem) {
                    all["\(kind.rawValue).\(language)"] = try NoticeTemplate(
                        file: "built-in \(kind.rawValue).\(language)", kind: kind, language: language, text: text)
                } catch {
                    preconditionFailure(error.message)
                }
            }
        }
        return NoticeTemplates(templates: all)
    }()

    /// The built-in templates with a shop's files over them: `files` are file names
    /// (`cancel.fi.txt`) with their text, `folder` is how problems name where they are. A file
    /// whose name is not `KIND.LANG.txt`, a template with an unknown field, and a language that
    /// has some kinds and not others are refused, naming the file (and the line).
    public static func loading(_ files: [(name: String, text: String)], folder: String) throws(TemplateProblem) -> NoticeTemplates {
        var all = builtIn.templates
        var languages = Set<String>()
        for (name, text) in files.sorted(by: { $0.name < $1.name }) {
            let path = folder.isEmpty ? name : folder + "/" + name
            let parts = name.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count == 3, parts[2] == "txt" else {
                throw TemplateProblem(file: path, line: 0, text: "a template is named KIND.LANG.txt (cancel.fi.txt)")
            }
            guard let kind = NoticeKind(rawValue: String(parts[0])) else {
                throw TemplateProblem(
                    file: path, line: 0,
                    text: "unknown kind of notice '\(parts[0])'; the kinds are "
                        + NoticeKind.allCases.map(\.rawValue).joined(separator: ", "))
            }
            let language = String(parts[1])
            guard Settings.problem(key: "notice-language", value: language) == nil else {
                throw TemplateProblem(file: path, line: 0, text: "'\(language)' is not a language code (en, fi)")
            }
            all["\(kind.rawValue).\(language)"] = try NoticeTemplate(file: path, kind: kind, language: language, text: text)
            languages.insert(language)
        }
        for language in languages.sorted() {
            for kind in NoticeKind.allCases where all["\(kind.rawValue).\(language)"] == nil {
                let path = (folder.isEmpty ? "" : folder + "/") + "\(kind.rawValue).\(language).txt"
                throw TemplateProblem(
                    file: path, line: 0,
                    text: "missing: the folder has templates in '\(language)', so every kind of notice needs one ("
                        + NoticeKind.allCases.map(\.rawValue).joined(separator: ", ") + ")")
            }
        }
        return NoticeTemplates(templates: all)
    }

    /// The language a customer is written to: their order's locale (`fi`, `fi-FI`, `de_AT`) when
    /// there are templates in it, else the shop's `notice-language`, else English.
    public func language(locale: String?, shopDefault: String) -> String {
        if let locale {
            let primary = String(locale.split(whereSeparator: { $0 == "-" || $0 == "_" }).first ?? "").lowercased()
            if template(.cancel, primary) != nil { return primary }
        }
        return template(.cancel, shopDefault) != nil ? shopDefault : "en"
    }
}

/// How notices are written and whether they may be sent from where the command runs.
public struct NoticeSetup: Sendable {
    /// The templates, or why they cannot be used (then every command that notifies fails with it).
    public var templates: Result<NoticeTemplates, TemplateProblem>
    /// Why nothing made here is ever sent (`demo store`, `practice sandbox`, `dry run`); nil
    /// where notices are queued for delivery.
    public var hold: String?

    public init(templates: Result<NoticeTemplates, TemplateProblem> = .success(.builtIn), hold: String? = nil) {
        self.templates = templates
        self.hold = hold
    }
}
