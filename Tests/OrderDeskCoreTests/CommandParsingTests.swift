import OrderDeskPractice
import Testing

@testable import OrderDeskCore

@Suite struct CommandParsingTests {
    /// Lines every command accepts.
    @Test(arguments: [
        "help", "help cancel", "orders", "orders --status refund-owed --limit 5", "orders --customer zoe --since 7d --until today",
        "orders --sku MUG-WHT --json", "find zoe", "find 1001 --limit 3", "show #1001", "show 1001 --json",
        "cancel #1001 --reason customer", "cancel 1001 --reason fraud --refund credit --no-restock --no-notify --note 'x' --yes",
        "cancel #1 --reason inventory --offer '10% off' --dry-run", "refund #1001 12.50", "refund #1001 --rest --credit --note hi --yes",
        "restock #1007 --all", "restock #1007 NOTE-A5=1 MUG-WHT", "recreate #1007 --no-notify --allow-oversell --dry-run",
        "feedback #1001 --rating 5 'great'", "feedback #1001 --rating 1", "feedback list --order #1001 --since 30d --limit 3 --json",
        "notify #1001 'hello there'", "outbox --order #1001 --limit 2", "inventory", "inventory MUG-WHT --low 3 --json",
        "report --since 30d --by reason --csv", "report --json", "log #1001 --agent alice --limit 5", "settings", "settings auto-restock",
        "settings default-refund later", "settings --json", "history", "history 5", "source morning.txt", "quit", "exit",
        "cancel #1001 --reason=customer", "cancel #1001 --reason customer --note=--dry-run",
        "cancel #1001 --reason customer --note '--dry-run'", "recreate #1007 --note \\--dry-run",
    ])
    func accepts(line: String) throws {
        #expect(try Command.parse(line) != nil)
    }

    /// Lines refused, with the error that explains them.
    @Test(arguments: [
        ("cancle #1001", OrderDeskError.unknownCommand("cancle", suggestion: "cancel")),
        ("ordrs", .unknownCommand("ordrs", suggestion: "orders")),
        ("zzzzzz", .unknownCommand("zzzzzz", suggestion: nil)),
        ("cancel #1001 --reasn customer", .unknownFlag(command: "cancel", flag: "--reasn", suggestion: "--reason")),
        ("cancel #1001 --reason bored", .unknownReason("bored")),
        ("cancel #1001 --reason", .missingFlagValue(command: "cancel", flag: "--reason")),
        ("cancel #1001 --restock --no-restock", .conflictingFlags(command: "cancel", "--restock", "--no-restock")),
        ("cancel #1001 --notify --no-notify", .conflictingFlags(command: "cancel", "--notify", "--no-notify")),
        ("cancel #1001 --yes --dry-run", .conflictingFlags(command: "cancel", "--yes", "--dry-run")),
        ("cancel #1001 --no-notify --offer x", .conflictingFlags(command: "cancel", "--offer", "--no-notify")),
        ("cancel", .missingArgument(command: "cancel", what: "an order number such as #1001")),
        ("cancel 'a b'", .badOrderName("a b")),
        ("cancel #1001 extra", .unexpectedArgument(command: "cancel", argument: "extra")),
        ("refund #1001", .missingArgument(command: "refund", what: "an amount such as 12.50, or --rest")),
        ("refund #1001 5 --rest", .conflictingFlags(command: "refund", "an amount", "--rest")),
        ("restock #1007", .missingArgument(command: "restock", what: "SKU[=QTY] items or --all")),
        ("restock #1007 --all X", .conflictingFlags(command: "restock", "--all", "a list of SKUs")),
        ("restock #1007 X=0", .invalidValue(command: "restock", flag: "X", value: "0", expected: "a whole number of units, at least 1")),
        ("feedback #1001 --rating 6", .badRating("6")),
        ("feedback #1001 --rating 0", .badRating("0")),
        ("feedback #1001", .missingArgument(command: "feedback", what: "--rating N, a whole number from 1 to 5")),
        (
            "orders --status weird",
            .invalidValue(
                command: "orders", flag: "--status", value: "weird",
                expected: "open, unfulfilled, fulfilled, cancelled, refund-owed, recreated, all")
        ),
        ("orders --limit many", .invalidValue(command: "orders", flag: "--limit", value: "many", expected: "a whole number such as 20")),
        ("orders --since tomorrowish", .badDate("tomorrowish")),
        ("settings auto-restok", .unknownSetting("auto-restok", suggestion: "auto-restock")),
        ("settings auto-restock maybe", .badSettingValue(key: "auto-restock", value: "maybe", allowed: ["on", "off"])),
        ("help cancle", .unknownCommand("cancle", suggestion: "cancel")),
        ("show", .missingArgument(command: "show", what: "an order number such as #1001")),
        ("notify #1001 '  '", .emptyText(command: "notify")),
        ("report --json --csv", .conflictingFlags(command: "report", "--json", "--csv")),
        // A flag where a value belongs is refused, so a dry run never really runs (issue 13).
        ("cancel #1298 --reason customer --note --dry-run", .flagAsValue(command: "cancel", flag: "--note", value: "--dry-run")),
        ("cancel #1298 --reason customer --offer --dry-run", .flagAsValue(command: "cancel", flag: "--offer", value: "--dry-run")),
        ("recreate #1298 --note --dry-run", .flagAsValue(command: "recreate", flag: "--note", value: "--dry-run")),
        ("cancel #1298 --reason --yes", .flagAsValue(command: "cancel", flag: "--reason", value: "--yes")),
        // The same flag twice is refused; the last one does not silently win.
        ("cancel #1 --reason fraud --reason customer", .repeatedFlag(command: "cancel", flag: "--reason")),
        ("cancel #1 --reason staff --refund now --refund later", .repeatedFlag(command: "cancel", flag: "--refund")),
        ("cancel #1 --reason staff --yes --yes", .repeatedFlag(command: "cancel", flag: "--yes")),
        ("orders --limit 5 --limit=6", .repeatedFlag(command: "orders", flag: "--limit")),
        (
            "cancel #1001 --reason customer --yes=1",
            .invalidValue(command: "cancel", flag: "--yes", value: "1", expected: "the flag alone, with no value")
        ),
    ])
    func refuses(line: String, error: OrderDeskError) {
        #expect(throws: error) { try Command.parse(line) }
    }

    @Test func aQuotedOrInlineValueMayLookLikeAFlag() throws {
        for line in ["cancel #1 --reason other --note '--dry-run'", "cancel #1 --reason other --note=--dry-run"] {
            let cancel = try #require(try Command.parse(line)?.as(CancelCommand.self))
            #expect(cancel.note == "--dry-run")
            #expect(cancel.dryRun == false)
        }
    }

    /// The words new staff try point to the right command; typos still get "did you mean".
    @Test(arguments: [
        ("undo #1001", "recreate"), ("uncancel 1001", "recreate"), ("search zoe", "find"), ("delete #1001", "cancel"),
        ("email #1001 hi", "notify"), ("help undo", "recreate"), ("refund-all #1001", "refund"), ("void #1002", "cancel"),
        ("remove #1001", "cancel"), ("charge #1004", "pay"), ("exchange #1003", "return"), ("bye", "quit"),
        ("script afternoon.txt", "source"),
    ])
    func naturalWordsPointToTheRightCommand(line: String, command: String) {
        do {
            _ = try Command.parse(line)
            Issue.record("\(line) was accepted")
        } catch {
            guard case .naturalWord = error else {
                Issue.record("\(line): \(error)")
                return
            }
            #expect(error.message.contains("use '\(command)'") && error.message.contains("see 'help \(command)'"), "\(error.message)")
        }
        #expect(throws: OrderDeskError.unknownCommand("cancle", suggestion: "cancel")) { try Command.parse("cancle #1001") }
    }

    /// The issue's words, exactly: `undo` points to `recreate`.
    @Test func undoPointsToRecreate() {
        #expect(throws: (any Error).self) { try Command.parse("undo #1001") }
        do { _ = try Command.parse("undo #1001") } catch {
            #expect(error.message.hasPrefix("unknown command 'undo' — to reverse a cancel, use 'recreate'"), "\(error.message)")
        }
    }

    @Test func naturalWordsAreNotCommands() {
        for entry in NaturalWords.table {
            #expect(CommandTable.type(named: entry.command) != nil, "\(entry.command)")
            for word in entry.words { #expect(CommandTable.type(named: word) == nil, "\(word) is a command") }
        }
    }

    @Test func everyCommandIsRegisteredOnceAndParsesItsOwnName() throws {
        let names = CommandTable.commands.map { $0.spec.name }
        #expect(Set(names).count == names.count)
        for type in CommandTable.commands {
            #expect(CommandTable.type(named: type.spec.name) == type)
        }
    }

    @Test func noteLimitIs255Characters() throws {
        let ok = String(repeating: "é", count: 255)
        #expect(try Command.parse("cancel #1 --reason other --note '\(ok)'") != nil)
        #expect(throws: OrderDeskError.noteTooLong(length: 256, limit: 255)) {
            try Command.parse("cancel #1 --reason other --note '\(ok)x'")
        }
    }

    @Test func ordersNormalise() throws {
        guard let show = try Command.parse("show 01001")?.as(ShowCommand.self) else {
            Issue.record("not a show")
            return
        }
        // The text is kept as typed; the desk resolves it: `01001` is the number 1001.
        #expect(show.order == "01001")
        #expect(try TrainingStore.make().resolveOrder(show.order).name == "#1001")
    }

    @Test func negativeAmountsAreArgumentsNotFlags() {
        // "-5" is not a flag; the amount is refused by the rules, not the parser.
        #expect((try? Command.parse("refund #1001 -5")) != nil)
    }

    @Test func everyMessageSaysHowToFixIt() {
        let samples: [OrderDeskError] = [
            .unknownCommand("x", suggestion: nil), .unknownOrder("#9"), .badDate("x"), .unclosedQuote,
            .refundTooLarge(order: "#1", requested: "5 EUR", available: "1 EUR"), .fulfilled(order: "#1", status: "fulfilled"),
        ]
        for e in samples {
            #expect(e.message.contains(";") || e.message.contains(":"), "\(e.message)")
            #expect(!e.message.isEmpty)
        }
        #expect(OrderDeskError.fulfilled(order: "#1", status: "fulfilled").message.contains("'return #1 SKU[=QTY]...'"))
    }
}

@Suite struct SuggestionTests {
    @Test func suggestsCloseWords() {
        #expect(Suggestion.closest(to: "cancle", in: CommandTable.names) == "cancel")
        #expect(Suggestion.closest(to: "inventroy", in: CommandTable.names) == "inventory")
        #expect(Suggestion.closest(to: "qwertyuiop", in: CommandTable.names) == nil)
        #expect(Suggestion.distance("abc", "acb") == 1)
    }
}
