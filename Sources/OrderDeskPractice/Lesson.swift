import OrderDeskCore

/// One practice lesson: a customer's message, the scene it happens in, and the goals that grade the work.
///
/// Lessons are data: one JSON file each. OrderDesk ships a course of them, and trainers write their
/// own (`orderdesk practice --lessons DIR`). A lesson file is one JSON object:
///
/// ```json
/// {
///   "version": 1,
///   "id": "changed-mind",
///   "title": "A customer changed their mind",
///   "from": "Jöns Ärlig <jons.arlig@example.com>",
///   "story": ["Hi, please cancel my order #1001 …", "Best, Jöns"],
///   "background": "The order has not been sent yet.",
///   "setup": ["cancel #1007 --reason customer --yes"],
///   "setup_agent": "bob",
///   "goals": [
///     {"order": "#1001", "cancelled": true, "reason": "customer", "refund": "now"},
///     {"stock": {"sku": "TEE-BLK-M", "equals": 14}},
///     {"notice": {"order": "#1001", "kind": "cancel"}, "label": "Jöns hears from us"}
///   ],
///   "hints": ["Look at the order first: show #1001", "…"],
///   "may_touch": ["#1002"],
///   "solution": ["cancel #1001 --reason customer --yes", "check"],
///   "debrief": "Refund now, restock and notify are the defaults of a customer cancel."
/// }
/// ```
///
/// | field | | |
/// |---|---|---|
/// | `version` | optional | the format version, `1` (a newer one is refused) |
/// | `id` | required | lowercase letters, digits and `-`, not only digits; unique among the lessons loaded; progress is kept by it |
/// | `title` | required | one line |
/// | `from` | optional | who wrote the message, shown as `From:` |
/// | `story` | required | the customer's message: a string, or a list of lines |
/// | `background` | optional | what else the agent knows (a colleague's or the warehouse's word): a string or a list of lines |
/// | `setup` | optional | command lines, in the shell's own language, applied to the training store before the lesson starts; each must change something |
/// | `setup_agent` | optional | who the setup's changes are recorded as (`log` shows it); default `trainer` |
/// | `goals` | required | at least one check on the result; see ``LessonGoal`` |
/// | `hints` | optional | given one at a time by `hint`, in order |
/// | `may_touch` | optional | orders the learner may change although no goal names them |
/// | `solution` | optional | lines that pass the lesson (practice commands such as `answer` and `check` included); for trainers and tests, never shown |
/// | `debrief` | optional | shown when the lesson is passed: the point of it |
/// | `teaches` | optional | the commands and options the lesson teaches (`"cancel"`, `"--dry-run"`, `"report --by"`), as `practice --list` shows them; each must be used by the solution |
/// | `files` | optional | files the learner finds in the lesson's folder, by name: `{"afternoon.txt": ["refund #1007 --rest --yes", …]}`; `source NAME` runs one |
///
/// Unknown fields are refused (a misspelt field would otherwise be silently ignored), and every
/// problem is reported as `FILE: FIELD: PROBLEM`, for example
/// `lessons/x.json: goals[2].refund.amount: "12,50" is not a decimal amount`.
///
/// A lesson is checked against the training store when it is read: its setup must run, the orders
/// and SKUs its goals name must exist, and at least one goal must still be unmet once the setup has
/// run (a lesson that passes before the learner does anything teaches nothing).
public struct Lesson: Sendable, Equatable {
    public var id: String
    public var title: String
    public var from: String?
    /// The customer's message, line by line.
    public var story: [String]
    public var background: [String]
    public var setup: [String]
    public var setupAgent: String
    public var goals: [LessonGoal]
    public var hints: [String]
    /// Order names (`#1002`) the learner may change besides those the goals name.
    public var mayTouch: [String]
    public var solution: [String]
    public var debrief: [String]
    /// The commands and options the lesson teaches, as `practice --list` shows them.
    public var teaches: [String]
    /// Files the learner finds in the lesson's folder: name and lines.
    public var files: [(name: String, lines: [String])]
    /// Where the lesson was read from, as it is named in messages.
    public var file: String

    /// The format version this program reads.
    public static let formatVersion = 1
    /// Who setup changes are recorded as, unless the lesson says otherwise.
    public static let defaultSetupAgent = "trainer"

    public init(
        id: String, title: String, from: String? = nil, story: [String], background: [String] = [], setup: [String] = [],
        setupAgent: String = Lesson.defaultSetupAgent, goals: [LessonGoal], hints: [String] = [], mayTouch: [String] = [],
        solution: [String] = [], debrief: [String] = [], teaches: [String] = [], files: [(name: String, lines: [String])] = [],
        file: String = "(lesson)"
    ) {
        self.id = id
        self.title = title
        self.from = from
        self.story = story
        self.background = background
        self.setup = setup
        self.setupAgent = setupAgent
        self.goals = goals
        self.hints = hints
        self.mayTouch = mayTouch
        self.solution = solution
        self.debrief = debrief
        self.teaches = teaches
        self.files = files
        self.file = file
    }

    public static func == (a: Lesson, b: Lesson) -> Bool {
        a.id == b.id && a.title == b.title && a.from == b.from && a.story == b.story && a.background == b.background
            && a.setup == b.setup && a.setupAgent == b.setupAgent && a.goals == b.goals && a.hints == b.hints && a.mayTouch == b.mayTouch
            && a.solution == b.solution && a.debrief == b.debrief && a.teaches == b.teaches && a.file == b.file
            && a.files.map(\.name) == b.files.map(\.name) && a.files.map(\.lines) == b.files.map(\.lines)
    }

    /// The worked answer: the solution's lines, without practice's `check`.
    public var workedAnswer: [String] {
        solution.filter { $0.lowercased().split(whereSeparator: \.isWhitespace) != ["check"] }
    }

    /// The question the learner answers with `answer TEXT`, if the lesson asks one.
    public var question: String? {
        for goal in goals { if case .answer(let question, _) = goal.check { return question } }
        return nil
    }

    /// Every order a goal names.
    public var goalOrders: [String] {
        var names: [String] = []
        for goal in goals { if let name = goal.check.order, !names.contains(name) { names.append(name) } }
        return names
    }
}

/// A lesson file that cannot be used: which file, which field, and what is wrong with it.
public struct LessonFileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file, as named to the user.
    public var file: String
    /// The field, `goals[2].refund.amount`; nil for the file as a whole.
    public var field: String?
    public var problem: String
    /// `LINE:COLUMN` of a syntax error.
    public var position: String?

    public init(file: String, field: String?, problem: String, position: String? = nil) {
        self.file = file
        self.field = field
        self.problem = problem
        self.position = position
    }

    /// `lessons/x.json: goals[2].refund.amount: "12,50" is not a decimal amount`, or
    /// `lessons/x.json:4:17: not valid JSON: …` for a syntax error.
    public var description: String {
        if let position { return "\(file):\(position): \(problem)" }
        guard let field, !field.isEmpty else { return "\(file): \(problem)" }
        return "\(file): \(field): \(problem)"
    }
}

extension Lesson {
    /// The fields a lesson file may have, in the order the documentation gives them.
    static let fields = [
        "version", "id", "title", "from", "story", "background", "setup", "setup_agent", "goals", "hints", "may_touch",
        "solution", "debrief", "teaches", "files",
    ]

    /// Reads a lesson file's text, and checks it against the training store.
    ///
    /// - Parameters:
    ///   - text: the file's contents.
    ///   - file: the file's name as messages should show it.
    ///   - training: the store the lesson's setup is applied to (``TrainingStore/make()``).
    public static func decode(_ text: String, file: String, training: StoreState = TrainingStore.make())
        throws(LessonFileError) -> Lesson
    {
        let json: LessonJSON
        do { json = try LessonJSON.parse(text) } catch {
            throw LessonFileError(
                file: file, field: nil, problem: "not valid JSON: " + error.problem, position: "\(error.line):\(error.column)")
        }
        let r = LessonReader(file: file)
        let top = try r.object(json, "", allowed: fields, what: "a lesson")

        if let v = top["version"] {
            let version = try r.integer(v, "version")
            guard version >= 1 else { throw r.fail("version", "must be 1") }
            guard version <= formatVersion else {
                throw r.fail(
                    "version",
                    "\(version) is newer than this OrderDesk reads (\(formatVersion)); update OrderDesk, or write the lesson for version \(formatVersion)"
                )
            }
        }
        let id = try r.string(r.required(top, "id", ""), "id")
        try r.checkID(id)
        let title = try r.line(r.required(top, "title", ""), "title", limit: 100)
        let from = try top["from"].map { v throws(LessonFileError) in try r.line(v, "from", limit: 200) }
        let story = try r.lines(r.required(top, "story", ""), "story")
        let background = try top["background"].map { v throws(LessonFileError) in try r.lines(v, "background") } ?? []
        let debrief = try top["debrief"].map { v throws(LessonFileError) in try r.lines(v, "debrief") } ?? []
        let hints = try top["hints"].map { v throws(LessonFileError) in try r.strings(v, "hints") } ?? []
        let setupAgent =
            try top["setup_agent"].map { v throws(LessonFileError) in try r.line(v, "setup_agent", limit: 60) } ?? defaultSetupAgent

        // The scene: setup lines must be commands of the shell's language that change the store.
        let setup = try top["setup"].map { v throws(LessonFileError) in try r.strings(v, "setup", allowEmpty: true) } ?? []
        let baseline: StoreState
        do {
            baseline = try LessonSetup.apply(setup, to: training, agent: setupAgent).state
        } catch {
            throw r.fail("setup[\(error.line)]", error.problem)
        }

        let goalsValue = try r.required(top, "goals", "")
        guard case .array(let goalItems) = goalsValue else { throw r.fail("goals", "must be a list of goals, not \(goalsValue.kind)") }
        guard !goalItems.isEmpty else { throw r.fail("goals", "the list is empty; a lesson needs at least one goal") }
        var goals: [LessonGoal] = []
        var questionAt: String?
        for (i, item) in goalItems.enumerated() {
            let goal = try LessonGoal.decode(item, "goals[\(i)]", r, baseline: baseline)
            if case .answer = goal.check {
                if let questionAt {
                    throw r.fail("goals[\(i)].answer", "a lesson asks at most one question, and \(questionAt) already asks one")
                }
                questionAt = "goals[\(i)]"
            }
            goals.append(goal)
        }

        let mayTouch =
            try top["may_touch"].map { v throws(LessonFileError) -> [String] in
                try r.strings(v, "may_touch", allowEmpty: true).enumerated().map { i, text throws(LessonFileError) in
                    try r.orderName(.string(text), "may_touch[\(i)]", baseline: baseline)
                }
            } ?? []

        let solution = try top["solution"].map { v throws(LessonFileError) in try r.strings(v, "solution", allowEmpty: true) } ?? []
        for (i, line) in solution.enumerated() {
            let words: [String]
            do { words = try Tokenizer.words(line) } catch { throw r.fail("solution[\(i)]", error.message) }
            guard let first = words.first, !PracticeCommand.names.contains(first.lowercased()) else { continue }
            do { _ = try Command.parse(line) } catch { throw r.fail("solution[\(i)]", error.message) }
        }

        let teaches = try top["teaches"].map { v throws(LessonFileError) in try r.strings(v, "teaches") } ?? []
        for (i, item) in teaches.enumerated() {
            let first = item.split(separator: " ").first.map(String.init) ?? ""
            guard first.hasPrefix("--") || CommandTable.spec(first.lowercased()) != nil else {
                throw r.fail("teaches[\(i)]", "\"\(Sanitizer.clean(item))\" is neither a command nor an option (--flag)")
            }
            // What a lesson teaches, its solution shows: one line holds every word of it (SKU=QTY: any SKU=QTY item).
            let used = solution.contains { line in
                let words = (try? Tokenizer.words(line)) ?? []
                return item.split(separator: " ").allSatisfy { piece in
                    words.contains(String(piece)) || (piece == "SKU=QTY" && words.contains { $0.contains("=") })
                }
            }
            guard solution.isEmpty || used else {
                throw r.fail(
                    "teaches[\(i)]", "\"\(Sanitizer.clean(item))\" is not used by the solution; a lesson teaches what its solution does")
            }
        }
        var files: [(name: String, lines: [String])] = []
        if let v = top["files"] {
            guard case .object(let members) = v else { throw r.fail("files", "must be an object of file names and lines") }
            for member in members {
                let name = member.key
                guard !name.isEmpty, name.count <= 60, !name.hasPrefix("."),
                    name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." })
                else {
                    throw r.fail("files", "\"\(Sanitizer.clean(name))\" is not a plain file name (letters, digits, - _ .)")
                }
                files.append((name, try r.lines(member.value, "files." + name)))
            }
        }

        let lesson = Lesson(
            id: id, title: title, from: from, story: story, background: background, setup: setup, setupAgent: setupAgent,
            goals: goals, hints: hints, mayTouch: mayTouch, solution: solution, debrief: debrief, teaches: teaches, files: files,
            file: file)
        let start = LessonGrade(lesson, LessonWork(baseline: baseline))
        for (i, item) in start.items.enumerated() {
            if case .wrong(let detail) = item.status {
                throw r.fail("goals[\(i)]", "can never be met: when the lesson starts (after the setup), \(detail)")
            }
        }
        if start.items.allSatisfy({ $0.status == .met }) {
            throw r.fail(
                "goals",
                "every goal is already met before the learner does anything, so the lesson would pass at once; add a goal the learner must reach"
            )
        }
        return lesson
    }
}

/// Reads the fields of a lesson file, naming the file and the field in every complaint.
struct LessonReader {
    let file: String

    func fail(_ field: String, _ problem: String) -> LessonFileError {
        LessonFileError(file: file, field: field.isEmpty ? nil : field, problem: problem)
    }

    static func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : path + "." + key }

    /// An object's members by key; refuses repeated and unknown keys (suggesting the likely one).
    func object(_ value: LessonJSON, _ path: String, allowed: [String], what: String) throws(LessonFileError) -> [String: LessonJSON] {
        guard case .object(let members) = value else {
            throw fail(path, "must be \(what) (a JSON object { … }), not \(value.kind)")
        }
        var result: [String: LessonJSON] = [:]
        for member in members {
            let field = Self.join(path, member.key)
            guard allowed.contains(member.key) else {
                var problem = "unknown field"
                if let guess = Suggestion.closest(to: member.key, in: allowed) { problem += "; did you mean \"\(guess)\"?" }
                problem += " (the fields here are \(allowed.joined(separator: ", ")))"
                throw fail(field, problem)
            }
            guard result[member.key] == nil else { throw fail(field, "appears twice; give it once") }
            result[member.key] = member.value
        }
        return result
    }

    func required(_ object: [String: LessonJSON], _ key: String, _ path: String) throws(LessonFileError) -> LessonJSON {
        guard let value = object[key] else { throw fail(Self.join(path, key), "is missing; it is required") }
        return value
    }

    func string(_ value: LessonJSON, _ field: String) throws(LessonFileError) -> String {
        guard case .string(let text) = value else {
            throw fail(field, "must be a string in double quotes, not \(value.kind) (\(value.shown))")
        }
        guard !text.allSatisfy(\.isWhitespace) else { throw fail(field, "is empty") }
        return text
    }

    /// A string of one line, at most `limit` characters.
    func line(_ value: LessonJSON, _ field: String, limit: Int) throws(LessonFileError) -> String {
        let text = try string(value, field)
        guard !text.contains(where: \.isNewline) else { throw fail(field, "must be one line") }
        guard text.count <= limit else { throw fail(field, "is \(text.count) characters; keep it to \(limit)") }
        return text
    }

    /// A text as lines: a string (its `\n`s split it), or a list of strings.
    func lines(_ value: LessonJSON, _ field: String) throws(LessonFileError) -> [String] {
        switch value {
        case .string:
            return try string(value, field).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        case .array(let items):
            guard !items.isEmpty else { throw fail(field, "is empty") }
            var out: [String] = []
            for (i, item) in items.enumerated() {
                guard case .string(let text) = item else { throw fail("\(field)[\(i)]", "must be a string, not \(item.kind)") }
                out += text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            }
            return out
        default:
            throw fail(field, "must be a string or a list of lines, not \(value.kind)")
        }
    }

    /// A list of non-empty strings.
    func strings(_ value: LessonJSON, _ field: String, allowEmpty: Bool = false) throws(LessonFileError) -> [String] {
        guard case .array(let items) = value else {
            throw fail(field, "must be a list of strings [\"…\", \"…\"], not \(value.kind)")
        }
        if items.isEmpty && !allowEmpty { throw fail(field, "is empty") }
        var out: [String] = []
        for (i, item) in items.enumerated() { out.append(try string(item, "\(field)[\(i)]")) }
        return out
    }

    func integer(_ value: LessonJSON, _ field: String) throws(LessonFileError) -> Int {
        guard case .number(let text) = value, let n = Int(text) else {
            throw fail(field, "\(value.shown) is not a whole number")
        }
        return n
    }

    func bool(_ value: LessonJSON, _ field: String) throws(LessonFileError) -> Bool {
        guard case .bool(let b) = value else { throw fail(field, "must be true or false, not \(value.shown)") }
        return b
    }

    func checkID(_ id: String) throws(LessonFileError) {
        let allowed = id.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
        guard allowed, id.first != "-", id.count <= 40 else {
            throw fail(
                "id",
                "\"\(Sanitizer.clean(id))\" must be lowercase letters, digits and '-', at most 40 characters, such as \"changed-mind\"")
        }
        guard !id.allSatisfy(\.isNumber) else {
            throw fail("id", "\"\(id)\" must not be only digits: numbers choose lessons by their place in the list")
        }
    }

    /// An order that exists once the setup has run, as its canonical name.
    func orderName(_ value: LessonJSON, _ field: String, baseline: StoreState) throws(LessonFileError) -> String {
        let text = try string(value, field)
        do { _ = try OrderName.parse(text) } catch {
            throw fail(field, "\"\(Sanitizer.clean(text))\" is not an order name; write it as #1001")
        }
        do { return try baseline.resolveOrder(text).name } catch {
            if case .ambiguousOrder = error { throw fail(field, Sanitizer.clean(error.message)) }
            let range = baseline.orders.isEmpty ? "none" : "\(baseline.orders.first!.name)–\(baseline.orders.last!.name)"
            throw fail(field, "there is no order \(Sanitizer.clean(text)) in the training store (its orders are \(range))")
        }
    }

    /// A decimal amount, written as a string ("12.50") or a number (12.50); never negative.
    func amount(_ value: LessonJSON, _ field: String, currency: String?) throws(LessonFileError) -> Money {
        let text: String
        switch value {
        case .string(let s): text = s
        case .number(let n): text = n
        default: throw fail(field, "must be an amount such as \"12.50\", not \(value.kind)")
        }
        guard let money = Money(text) else { throw fail(field, "\(value.shown) is not a decimal amount; write it like \"12.50\"") }
        guard !money.isNegative else { throw fail(field, "\(value.shown) is negative; amounts here are never below 0") }
        if let currency, money.scale > Currency.exponent(of: currency) {
            let d = Currency.exponent(of: currency)
            throw fail(field, "\(value.shown) has more decimals than \(currency) has (\(d))")
        }
        return money
    }

    /// One of a fixed set of words.
    func choice(_ value: LessonJSON, _ field: String, _ allowed: [String]) throws(LessonFileError) -> String {
        let text = try string(value, field)
        guard allowed.contains(text) else {
            var problem = "\"\(Sanitizer.clean(text))\" is not one of \(allowed.joined(separator: ", "))"
            if let guess = Suggestion.closest(to: text, in: allowed) { problem += "; did you mean \"\(guess)\"?" }
            throw fail(field, problem)
        }
        return text
    }
}

/// The commands practice adds to the shell's language.
public enum PracticeCommand {
    /// `task`, `hint`, `check`, `answer`, `reset`, `next`, and `quit`/`exit` (which practice handles itself).
    public static let names = ["task", "hint", "check", "answer", "reset", "next", "quit", "exit"]

    /// One line each, for `help` in practice.
    public static let summaries: [(String, String)] = [
        ("task", "show the customer's message and what you know again"),
        ("hint", "the next hint; the hints you use are counted"),
        ("check", "grade your work: what is done, what is still missing, what went wrong"),
        ("answer TEXT", "answer the lesson's question, when it asks one"),
        ("reset", "start the lesson over with a fresh sandbox"),
        ("next", "go on to the next lesson"),
        ("quit", "leave practice (Ctrl-D works too)"),
    ]
}
