import Foundation
import OrderDeskCore
import OrderDeskPractice
import OrderDeskStore
import OrderDeskTestSupport
import Testing

@testable import OrderDeskShell

/// Text that came from customers prints inert: no escape sequence, control character or bidi
/// override from a name, note or message reaches the terminal, in any view.
@Suite struct TerminalSafetyTests {
    /// ESC sequences, OSC 52 (clipboard), OSC 8 (links), CR, backspace, bidi overrides, C1 CSI.
    static let hostile = [
        "\u{1B}[2J\u{1B}[31mred", "\u{1B}]52;c;cm0gLXJmIH4=\u{07}", "\u{1B}]8;;https://evil.example\u{1B}\\click\u{1B}]8;;\u{1B}\\",
        "over\rwrite", "back\u{08}\u{08}space", "\u{202E}txt.exe", "\u{2066}iso\u{2069}", "c1\u{9B}31m", "bell\u{07}",
    ]

    /// The store of the sample orders with hostile text in every field that came from outside:
    /// names, email, note, tags, a title, a SKU (on the order and in stock), feedback, a notice
    /// in the outbox, and the agent names of the feedback and the notice.
    static func hostileStore() -> MemoryStore {
        let base = TrainingStore.make()
        var orders = base.orders
        let evil = hostile.joined(separator: " ")
        orders[0].customer.firstName = "Jöns " + hostile[0]
        orders[0].customer.lastName = hostile[5] + " Ärlig"
        orders[0].note = evil
        orders[0].tags = "vip," + hostile[1]
        orders[0].lineItems[0].title = "Tee " + hostile[2]
        orders[0].lineItems[1].sku = hostileSKU
        orders[0].email = "jons\u{1B}[8m@example.com"
        var inventory = base.inventory
        inventory[hostileSKU] = 3
        var feedback = base.feedback
        feedback.append(
            Feedback(
                id: 9_999, order: "#1001", email: orders[0].email, rating: 1, text: evil, agent: "bob" + hostile[3], at: TrainingStore.now))
        let notice = Notice(
            id: 9_998, at: TrainingStore.now, order: "#1001", to: orders[0].email, subject: "Re: " + hostile[0],
            body: evil + "\n" + evil, agent: "eve" + hostile[6])
        let state = StoreState(
            orders: orders, inventory: inventory, feedback: feedback, settings: base.settings, outbox: [notice])
        return MemoryStore(state: state)
    }

    /// A SKU that clears the screen and writes the clipboard.
    static let hostileSKU = "MUG\u{1B}[2J\u{1B}]52;c;cm0=\u{07}-WHT\u{9B}1m"
    /// An agent name that rewrites the line and sets the window title.
    static let hostileAgent = "mallory\r\u{1B}]0;pwned\u{07}\u{202E}"

    /// Every read command, every change's preview and summary, and every error that quotes what
    /// was typed, with hostile text in the store, in the agent's name and on the command line.
    @Test(arguments: [false, true])
    func everyViewPrintsHostileTextInert(color: Bool) {
        let store = Self.hostileStore()
        let session = Session(
            store: store, console: RecordingConsole(), agent: Self.hostileAgent, clock: { TrainingStore.now }, utcOffset: 0,
            style: Style(color: color))
        // Changes made by an agent with a hostile name, showing hostile SKUs in their summaries.
        for change in [
            "cancel #1001 --reason customer --dry-run", "cancel #1001 --reason customer --refund later --no-restock --note 'staff note'",
            "restock #1001 --all", "refund #1001 5.00", "feedback #1001 --rating 2 'fine'", "notify #1001 'Hello'",
            "recreate #1001 --dry-run", "recreate #1001 --allow-oversell",
        ] {
            let result = session.execute(change, interactive: false)
            #expect(result.error == nil, "\(change): \(result.error?.message ?? "")")
            HostileText.assertInert(result.output ?? "", color: color, change)
        }
        for view in [
            "show #1001", "show #1001-R1", "orders", "orders --status cancelled", "orders --sku mug", "find jöns", "find vip", "find mug",
            "feedback list", "feedback list --order #1001", "log", "log #1001", "outbox", "outbox --order #1001", "inventory",
            "inventory --low 5", "report", "report --by agent", "report --by reason", "history",
        ] {
            let result = session.execute(view, interactive: false)
            #expect(result.error == nil, "\(view): \(result.error?.message ?? "")")
            HostileText.assertInert(result.output ?? "", color: color, view)
        }
        // --json escapes every control, and still says the same.
        for view in [
            "show #1001 --json", "orders --json", "find jöns --json", "feedback list --json", "log --json", "outbox --json",
            "inventory --json",
        ] {
            let result = session.execute(view, interactive: false)
            #expect(result.error == nil, "\(view): \(result.error?.message ?? "")")
            HostileText.assertInert(result.output ?? "", color: false, view)
            #expect((try? JSONSerialization.jsonObject(with: Data((result.output ?? "").utf8))) != nil, "\(view) is not JSON")
        }
        let json = session.execute("show #1001 --json", interactive: false).output ?? ""
        let order = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        #expect((order?["note"] as? String)?.contains("c1\u{9B}31m") == true, "the JSON keeps the text as it is")
        // Errors quote what was typed: cleaned, and cut short.
        let typed = Self.hostile.joined()
        for line in [
            "show '#\(typed)'", "inventory '\(typed)'", "restock #1001 '\(typed)=1'", "cancel #1001 '--\(typed)'",
            "orders --since '\(typed)'", "refund #1002 '\(typed)'", "settings '\(typed)'", "feedback #1001 --rating '\(typed)'",
            "'\(typed)'", "cancel #1002 --reason '\(typed)'", "orders --status '\(typed)'",
        ] {
            let result = session.execute(line, interactive: false)
            #expect(result.error != nil, "\(line) was accepted")
            HostileText.assertInert(result.error?.message ?? "", color: false, "error of \(line)")
        }
        // The words themselves survive, only the controls go.
        let show = session.execute("show #1001", interactive: false).output ?? ""
        #expect(show.contains("Jöns") && show.contains("Ärlig") && show.contains("txt.exe") && show.contains("click"))
        #expect(show.contains("MUG") && show.contains("-WHT"))
    }

    /// The import summary (with and without `--dry-run`) and its list of problems print the
    /// file's SKUs and values inert.
    @Test(arguments: [false, true])
    func importSummaryAndErrorsPrintHostileTextInert(dryRun: Bool) throws {
        let directory = NSTemporaryDirectory() + "orderdesk-hostile-import-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        _ = try FileStore.create(at: directory + "/store", state: TrainingStore.make())
        let options = ProgramOptions(storePath: directory + "/store", agent: "alice")
        for bad in [false, true] {
            let file = directory + "/evil\u{1B}[2J\(bad ? "-bad" : "").json"
            try Data(HostileText.hostileImport(bad: bad).utf8).write(to: URL(fileURLWithPath: file))
            let console = RecordingConsole()
            let code = Program.importOrders(
                ImportRequest(file: file, dryRun: dryRun), options, console: console, progress: false)
            #expect(code == (bad ? 1 : 0), "\(console.transcript)")
            HostileText.assertInert(console.output, color: false, "import\(dryRun ? " --dry-run" : "") stdout")
            HostileText.assertInert(console.errors, color: false, "import\(dryRun ? " --dry-run" : "") stderr")
            if !bad { #expect(console.output.contains("EVIL") && console.output.contains("-SKU"), "\(console.output)") }
        }
        if !dryRun {
            // The imported order then shows inert in every view too.
            let store = try FileStore.open(at: directory + "/store")
            let session = Session(
                store: store, console: RecordingConsole(), agent: "alice", clock: { TrainingStore.now }, utcOffset: 0, style: .plain)
            for view in ["show #2001", "orders", "find evil", "inventory", "log", "report"] {
                let result = session.execute(view, interactive: false)
                #expect(result.error == nil, "\(view)")
                HostileText.assertInert(result.output ?? "", color: false, "\(view) after import")
            }
        }
    }

    @Test func sanitizerKeepsOrdinaryTextAsItIs() {
        for text in ["Jöns Ärlig", "渡辺 さくら", "Zoë — 15% off", "Łukasz Wiśniewski", "emoji 🎉 ok"] {
            #expect(Sanitizer.clean(text) == text)
        }
    }
}
