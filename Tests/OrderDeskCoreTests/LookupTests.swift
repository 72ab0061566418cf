import Foundation
import OrderDeskPractice
import OrderDeskTestSupport
import Testing

@testable import OrderDeskCore

@Suite struct LookupTests {
    let desk = Desktop()

    func names(_ text: String) -> [String] {
        text.split(separator: "\n").dropFirst().compactMap { $0.split(separator: " ").first.map(String.init) }
    }

    @Test func ordersNewestFirstWithFilters() throws {
        #expect(names(try desk.read("orders")) == ["#1008", "#1007", "#1006", "#1005", "#1004", "#1003", "#1002", "#1001"])
        #expect(names(try desk.read("orders --limit 2")) == ["#1008", "#1007"])
        #expect(names(try desk.read("orders --status cancelled")) == ["#1007"])
        #expect(names(try desk.read("orders --status fulfilled")) == ["#1003"])
        #expect(names(try desk.read("orders --status unfulfilled")) == ["#1008", "#1005", "#1004", "#1002", "#1001"])
        #expect(names(try desk.read("orders --status open")).count == 7)
        #expect(names(try desk.read("orders --customer ZOË")) == ["#1002"])
        #expect(names(try desk.read("orders --sku mug-wht")) == ["#1006", "#1004", "#1001"])
        #expect(names(try desk.read("orders --since 2026-11-12 --until 2026-11-14")) == ["#1007", "#1006"])
        #expect(names(try desk.read("orders --since 7d")) == ["#1008", "#1007"])
    }

    @Test func refundOwedListsAmountsOldestFirst() throws {
        let text = try desk.read("orders --status refund-owed")
        #expect(text.contains("30.00 GBP"))
        #expect(text.contains("1 order owes a refund: 30.00 GBP"))
    }

    @Test func findMatchesNumberEmailNameSkuTag() throws {
        #expect(names(try desk.read("find 1004")) == ["#1004"])
        #expect(names(try desk.read("find #1004")) == ["#1004"])
        #expect(names(try desk.read("find SAM.LEE@")) == ["#1003"])
        #expect(names(try desk.read("find højgaard")) == ["#1005"])
        #expect(names(try desk.read("find 渡辺")) == ["#1004"])
        #expect(names(try desk.read("find hood-gry")) == ["#1002"])
        #expect(names(try desk.read("find VIP")) == ["#1001"])
        #expect(try desk.read("find nobody-at-all").hasPrefix("Nothing matches"))
    }

    /// `find` as people type: case and accents aside, several words in any order, quoted or not.
    @Test func findAsPeopleType() throws {
        let training = TrainingStore.make()
        var orders = training.orders
        orders[1].customer.lastName = "Moreau"
        let state = StoreState(
            seq: training.seq, orders: orders, inventory: training.inventory, feedback: training.feedback, settings: training.settings,
            outbox: training.outbox)
        let desk = Desktop(state, now: TrainingStore.now)
        for text in [
            "'zoe moreau'", "moreau zoe", "'Zoë Moreau'", "ZOE MOREAU", "zoe", "'moreau, zoë'", "\"zoë  moreau\"", "Zoë",
            "moreau", "'zoe moreau' --limit 5",
        ] {
            #expect(names(try desk.read("find " + text)) == ["#1002"], "find \(text)")
        }
        #expect(names(try desk.read("find jons arlig")) == ["#1001"])
        #expect(names(try desk.read("find soren hojgaard")) == ["#1005"])
        #expect(names(try desk.read("find ayse yilmaz")) == ["#1006"])
        #expect(names(try desk.read("find mug jons")) == ["#1001"])
        // Every word must find the order: a word no order has finds nothing.
        #expect(try desk.read("find zoe nobody").hasPrefix("Nothing matches"))
        #expect(TextFold.fold("Zoë Ärlig Højgaard Yılmaz STRAßE İstanbul \u{212A}") == "zoe arlig hojgaard yilmaz strasse istanbul k")
        #expect(TextFold.fold("e\u{301}mile") == "emile")
        #expect(TextFold.fold("さくら 渡辺") == "さくら 渡辺")
    }

    @Test func showHasEverything() throws {
        let text = try desk.read("show #1007")
        for part in [
            "#1007", "CANCELLED", "Wei Chen <chen.wei@example.com>", "NOTE-A5", "Notebook A5", "Owed", "30.00",
            "by alice", "Customer changed/canceled order", "Ordered twice by mistake", "Timeline", "Order placed",
        ] {
            #expect(text.contains(part), "show lacks \(part)")
        }
        let feedback = try desk.read("show 1003")
        #expect(feedback.contains("★★★★★") && feedback.contains("Fast delivery!"))
        #expect(try desk.read("show #1004").contains("3600"))
        #expect(throws: OrderDeskError.unknownOrder("#9999")) { try desk.read("show #9999") }
    }

    @Test func cancelledOrdersAreStruckThroughInColour() throws {
        let plain = try desk.read("show #1007")
        #expect(!plain.contains("\u{1B}["))
        let context = Context(now: TrainingStore.now, agent: "t", style: Style(color: true))
        guard case .output(let text) = try Desk.run(Command(ShowCommand(order: "#1007")), state: desk.state, context: context) else {
            Issue.record("no output")
            return
        }
        #expect(text.contains("\u{1B}[9m#1007"))
    }

    @Test func customerTextIsSanitised() throws {
        for line in ["show #1008", "orders", "find mallory"] {
            let text = try desk.read(line)
            #expect(!text.contains("\u{1B}"), "\(line) prints an escape")
            #expect(!text.contains("\u{07}"))
            #expect(!text.contains("\r"))
        }
        #expect(Sanitizer.clean("a\u{1B}[31mb\u{1B}]0;title\u{07}c\u{9B}2Jd\u{202E}e") == "abcde")
        #expect(Sanitizer.clean("Jöns Ärlig 渡辺") == "Jöns Ärlig 渡辺")
    }

    @Test func inventoryAndLowStock() throws {
        let all = try desk.read("inventory")
        #expect(all.contains("HOOD-GRY-L") && all.contains("Hoodie — Grey / L"))
        let low = try desk.read("inventory --low 3")
        #expect(low.contains("MUG-WHT") && low.contains("HOOD-GRY-L") && !low.contains("TEE-BLK-M"))
        #expect(throws: OrderDeskError.unknownSKU("MUG-WTH", suggestion: "MUG-WHT")) { try desk.read("inventory MUG-WTH") }
    }

    @Test func jsonUsesTheStoreFieldNames() throws {
        let show = try JSONSerialization.jsonObject(with: Data(try desk.read("show #1001 --json").utf8)) as? [String: Any]
        #expect(show?["name"] as? String == "#1001")
        #expect(show?["total_price"] as? String == "67.40")
        #expect(show?["financial_status"] as? String == "paid")
        #expect((show?["line_items"] as? [[String: Any]])?.first?["sku"] as? String == "TEE-BLK-M")
        let orders = try JSONSerialization.jsonObject(with: Data(try desk.read("orders --json --limit 3").utf8)) as? [Any]
        #expect(orders?.count == 3)
        let inventory = try JSONSerialization.jsonObject(with: Data(try desk.read("inventory --json").utf8)) as? [String: Int]
        #expect(inventory?["MUG-WHT"] == 3)
        let settings = try JSONSerialization.jsonObject(with: Data(try desk.read("settings --json").utf8)) as? [String: Any]
        #expect(settings?["auto_restock"] as? Bool == true)
        for line in ["outbox --json", "feedback list --json", "log --json", "find zoe --json"] {
            #expect(try JSONSerialization.jsonObject(with: Data(try desk.read(line).utf8)) is [Any], "\(line)")
        }
    }

    @Test func settingsReadAndWrite() throws {
        var d = desk
        #expect(try d.read("settings").contains("auto-restock = on"))
        try d.run("settings auto-restock off")
        #expect(try d.read("settings auto-restock").hasPrefix("auto-restock = off"))
        #expect(try d.run("settings auto-restock off").isEmpty, "setting the same value again records nothing")
    }

    @Test func helpListsEveryCommand() throws {
        let text = try desk.read("help")
        for spec in CommandTable.all { #expect(text.contains(spec.name)) }
        let cancel = try desk.read("help cancel")
        #expect(cancel.contains("usage: cancel ORDER") && cancel.contains("examples:") && cancel.contains("--reason"))
    }
}

@Suite struct CompletionTests {
    let state = TrainingStore.make()

    @Test func completesCommandsFlagsAndValues() {
        #expect(Completion.candidates(for: "can", state: state) == ["cancel"])
        #expect(Completion.candidates(for: "cancel #1001 --re", state: state) == ["--reason", "--refund", "--restock"])
        #expect(Completion.candidates(for: "cancel #1001 --reason ", state: state) == CancelReason.allCases.map(\.rawValue))
        #expect(Completion.candidates(for: "cancel #1001 --refund c", state: state) == ["credit"])
        #expect(Completion.candidates(for: "orders --status re", state: state) == ["refund-owed", "recreated"])
        #expect(Completion.candidates(for: "settings ", state: state) == Settings.keys)
        #expect(Completion.candidates(for: "settings mail-", state: state) == ["mail-from", "mail-bcc", "mail-command"])
        #expect(Completion.candidates(for: "outbox ", state: state).prefix(2) == ["send", "show"])
        #expect(Completion.candidates(for: "outbox --status f", state: state) == ["failed"])
        #expect(Completion.candidates(for: "settings default-refund ", state: state) == ["now", "credit", "later"])
        #expect(Completion.candidates(for: "inventory MUG", state: state) == ["MUG-WHT"])
        #expect(Completion.candidates(for: "inventory mu", state: state) == ["MUG-WHT"])
        #expect(Completion.candidates(for: "SHO", state: state) == ["show"])
    }

    @Test func completesOrdersMostRecentFirst() {
        #expect(Completion.candidates(for: "show #100", state: state).prefix(3) == ["#1008", "#1007", "#1006"])
        #expect(Completion.candidates(for: "show 100", state: state).first == "1008")
        // Only orders that can be cancelled after `cancel`, only cancelled ones after `restock`.
        #expect(Completion.candidates(for: "cancel #", state: state) == ["#1008", "#1005", "#1004", "#1002", "#1001"])
        #expect(Completion.candidates(for: "restock #", state: state) == ["#1007"])
        #expect(Completion.candidates(for: "restock #1007 ", state: state) == ["NOTE-A5"])
    }
}
