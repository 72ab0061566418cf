import Foundation
import OrderDeskCore
import OrderDeskPractice
import OrderDeskStore
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

    static func hostileStore() -> MemoryStore {
        let base = TrainingStore.make()
        var orders = base.orders
        let evil = hostile.joined(separator: " ")
        orders[0].customer.firstName = "Jöns " + hostile[0]
        orders[0].customer.lastName = hostile[5] + " Ärlig"
        orders[0].note = evil
        orders[0].tags = "vip," + hostile[1]
        orders[0].lineItems[0].title = "Tee " + hostile[2]
        orders[0].email = "jons\u{1B}[8m@example.com"
        var feedback = base.feedback
        feedback.append(
            Feedback(
                id: 9_999, order: "#1001", email: orders[0].email, rating: 1, text: evil, agent: "bob" + hostile[3], at: TrainingStore.now))
        let state = StoreState(orders: orders, inventory: base.inventory, feedback: feedback, settings: base.settings)
        return MemoryStore(state: state)
    }

    /// Our own output may hold SGR colour codes only when colour is on; never anything else.
    static func assertInert(_ text: String, color: Bool, _ view: String) {
        var scalars = text.unicodeScalars.makeIterator()
        while let s = scalars.next() {
            if s == "\u{1B}" && color {
                // Only ESC [ digits ; … m is ours.
                var sequence = ""
                while let c = scalars.next() {
                    sequence.unicodeScalars.append(c)
                    if c.value >= 0x40 && c.value <= 0x7E && c != "[" { break }
                }
                #expect(
                    sequence.hasPrefix("[") && sequence.hasSuffix("m")
                        && sequence.dropFirst().dropLast().allSatisfy { $0.isNumber || $0 == ";" },
                    "\(view): escape \(sequence.debugDescription)")
                continue
            }
            let v = s.value
            let control =
                (v < 0x20 && s != "\n") || v == 0x7F || (0x80..<0xA0).contains(v) || (0x202A...0x202E).contains(v)
                || (0x2066...0x2069).contains(v)
            #expect(!control, "\(view) prints U+\(String(v, radix: 16, uppercase: true))")
        }
    }

    @Test(arguments: [false, true])
    func everyViewPrintsHostileTextInert(color: Bool) {
        let store = Self.hostileStore()
        let session = Session(
            store: store, console: RecordingConsole(), agent: "alice", clock: { TrainingStore.now }, utcOffset: 0,
            style: Style(color: color))
        // Make a notice and a log entry carrying hostile text too.
        let notify = session.execute(
            "notify #1001 '\(Self.hostile.joined(separator: " ").replacingOccurrences(of: "'", with: ""))'", interactive: false)
        #expect(notify.error == nil)
        #expect(session.execute("cancel #1001 --reason customer --note 'staff \u{1B}[5m note'", interactive: false).error == nil)
        for view in [
            "show #1001", "orders", "find jöns", "find vip", "feedback list", "log", "outbox", "orders --status cancelled", "inventory",
        ] {
            let result = session.execute(view, interactive: false)
            #expect(result.error == nil, "\(view)")
            Self.assertInert(result.output ?? "", color: color, view)
        }
        // The words themselves survive, only the controls go.
        let show = session.execute("show #1001", interactive: false).output ?? ""
        #expect(show.contains("Jöns") && show.contains("Ärlig") && show.contains("txt.exe") && show.contains("click"))
    }

    @Test func sanitizerKeepsOrdinaryTextAsItIs() {
        for text in ["Jöns Ärlig", "渡辺 さくら", "Zoë — 15% off", "Łukasz Wiśniewski", "emoji 🎉 ok"] {
            #expect(Sanitizer.clean(text) == text)
        }
    }
}
