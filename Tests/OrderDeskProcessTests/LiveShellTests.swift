import Foundation
import OrderDeskCore
import OrderDeskDemo
import OrderDeskPractice
import OrderDeskStore
import Testing

/// The live shell end to end: the real `orderdesk` binary in a pseudo-terminal, driven key by key.
///
/// Each test gets its own temporary HOME, XDG state and data homes and store (the sample store,
/// or a 50-order demo store), runs the binary built next to the test bundle, and waits at most
/// ``timeout`` seconds for anything. Assertions are on effects (a command's output, the store's
/// journal, the history file), not on the echoed line: libedit redraws only what changed.
@Suite(.serialized, .timeLimit(.minutes(1)))
struct LiveShellTests {
    typealias Key = PseudoTerminal.Key

    /// The longest any single wait may take.
    static let timeout = 10.0
    /// The prompt on a store in a directory named `shop`, as agent alice, without colour.
    static let prompt = "shop alice> "
    /// The same prompt in colour: libedit writes the escapes the prompt markers delimit, not the markers.
    static let colorPrompt = "\u{1B}[36mshop\u{1B}[0m \u{1B}[32malice\u{1B}[0m> "

    // MARK: - Completion

    @Test func tabCompletesACommandName() throws {
        try Self.withShell { _, pty in
            try #require(pty.expectPrompt(Self.prompt))
            // Without the completion ("w" and a space) the line would be `sho1001`, an unknown command.
            pty.sendKeys("sho", Key.tab, "1001", Key.enter)
            #expect(pty.expectOutput("Customer   Jöns Ärlig <jons.arlig@example.com>"))
            #expect(pty.outputSinceMark.contains("\n#1001  paid · unfulfilled"))
            #expect(pty.outputSinceMark.contains("Placed "))
            #expect(!pty.outputSinceMark.contains("error"))
            try Self.leave(pty, prompt: Self.prompt)
        }
    }

    @Test func tabCompletesTheOnlyMatchingOrderNumber() throws {
        // Orders #1001…#1050: #1050 is the only one starting with #105.
        let state = DemoData.makeState(orders: 50, seed: 7, now: TrainingStore.now)
        try #require(state.orders.count == 50 && state.orders.last?.name == "#1050")
        try Self.withShell(state) { _, pty in
            try #require(pty.expectPrompt(Self.prompt))
            pty.sendKeys("show #105", Key.tab, Key.enter)
            #expect(pty.expectOutput("Placed "))
            #expect(pty.outputSinceMark.contains("\n#1050  "))
            #expect(!pty.outputSinceMark.contains("error"))

            // Typed without the '#', it completes without one.
            try #require(pty.expectPrompt(Self.prompt))
            pty.sendKeys("show 105", Key.tab, Key.enter)
            #expect(pty.expectOutput("Placed "))
            #expect(pty.outputSinceMark.contains("\n#1050  "))
            #expect(!pty.outputSinceMark.contains("error"))
            try Self.leave(pty, prompt: Self.prompt)
        }
    }

    @Test func tabListsOrderCandidatesMostRecentFirstAndKeepsTheLine() throws {
        try Self.withShell { _, pty in
            try #require(pty.expectPrompt(Self.prompt))
            pty.sendKeys("show #100", Key.tab)
            #expect(pty.expectOutput("#1008  #1007  #1006  #1005  #1004  #1003  #1002  #1001"))
            // The line is redrawn under the list and still holds `show #100`: one more digit makes #1003.
            try #require(pty.expectPrompt(Self.prompt))
            pty.sendKeys("3", Key.enter)
            #expect(pty.expectOutput("Customer   Sam Lee <sam.lee@example.net>"))
            #expect(pty.outputSinceMark.contains("\n#1003  paid · fulfilled"))

            // `cancel` offers only what can be cancelled: not #1003 (fulfilled), #1006 (partly), #1007 (cancelled).
            try #require(pty.expectPrompt(Self.prompt))
            pty.sendKeys("cancel #100", Key.tab)
            #expect(pty.expectOutput("#1008  #1005  #1004  #1002  #1001\r"))
            try #require(pty.expectPrompt(Self.prompt))
            pty.sendKeys("2 --reason customer --dry-run", Key.enter)
            #expect(pty.expectOutput("Dry run: nothing changed."))
            #expect(pty.outputSinceMark.contains("Cancel #1002 — Zoë Dubois"))
            try Self.leave(pty, prompt: Self.prompt)
        }
    }

    @Test func tabCompletesASKU() throws {
        try Self.withShell { _, pty in
            try #require(pty.expectPrompt(Self.prompt))
            pty.sendKeys("inventory MU", Key.tab, Key.enter)
            #expect(pty.expectOutput("Enamel Mug — White"))
            #expect(pty.outputSinceMark.contains("\nMUG-WHT "))
            #expect(!pty.outputSinceMark.contains("Organic Tee"))  // one SKU shown, not the whole stock list
            #expect(!pty.outputSinceMark.contains("error"))

            // No SKU starts with `mu`; MUG-WHT does ignoring case, and LineEditing would replace the word
            // (CompletionPlan's case fallback), but Completion.candidates already drops it with a case-sensitive hasPrefix.
            try #require(pty.expectPrompt(Self.prompt))
            pty.sendKeys("inventory mu", Key.tab, Key.enter)
            let first = pty.firstOf(["Enamel Mug — White", "error: "], timeout: Self.timeout)
            #expect(first == "Enamel Mug — White", "TAB fixes the letter case of a SKU: `inventory mu` becomes MUG-WHT")
            try Self.leave(pty, prompt: Self.prompt)
        }
    }

    // MARK: - History and keys

    @Test func upArrowRecallsTheLastCommand() throws {
        try Self.withShell { _, pty in
            try #require(pty.expectPrompt(Self.prompt))
            pty.sendKeys("inventory --low 3", Key.enter)
            #expect(pty.expectOutput("Hoodie — Grey / L"))
            try #require(pty.expectPrompt(Self.prompt))
            pty.sendKeys(Key.up, Key.enter)
            #expect(pty.expectOutput("Hoodie — Grey / L"))
            #expect(pty.outputSinceMark.contains("Enamel Mug — White"))
            #expect(pty.output.occurrences(of: "Hoodie — Grey / L") == 2)
            try Self.leave(pty, prompt: Self.prompt)
        }
    }

    @Test func ctrlDOnAnEmptyLineExitsWithZero() throws {
        try Self.withShell { _, pty in
            try #require(pty.expectPrompt(Self.prompt))
            pty.send(Key.ctrlD)
            #expect(pty.waitForExit(timeout: Self.timeout) == 0)
        }
    }

    @Test func ctrlCWhileACommandRunsDoesNotEndTheSession() throws {
        try Self.withShell { sandbox, pty in
            // `source` of a FIFO blocks until the test writes to it: a command that is still running.
            let fifo = sandbox.root + "/slow.fifo"
            #expect(mkfifo(fifo, 0o600) == 0)
            try #require(pty.expectPrompt(Self.prompt))
            pty.sendKeys("source \(fifo)", Key.enter)
            Thread.sleep(forTimeInterval: 0.5)
            pty.send(Key.ctrlC)
            Thread.sleep(forTimeInterval: 0.3)
            // Non-blocking: with no reader left (the shell died of the Ctrl-C), this fails at once.
            var writer: Int32 = -1
            for _ in 0..<20 where writer < 0 {
                writer = open(fifo, O_WRONLY | O_NONBLOCK)
                if writer < 0 { Thread.sleep(forTimeInterval: 0.1) }
            }
            try #require(writer >= 0, "the shell is no longer reading the script: the Ctrl-C ended it")
            _ = "feedback #1001 --rating 5 'still here'\n".withCString { write(writer, $0, strlen($0)) }
            close(writer)
            #expect(pty.expectOutput("1 line ran"))
            try #require(pty.expectPrompt(Self.prompt))
            pty.sendKeys("feedback list --order #1001", Key.enter)
            #expect(pty.expectOutput("still here"))
            try Self.leave(pty, prompt: Self.prompt)
        }
    }

    @Test func ctrlCClearsAPartLineAndTheShellCarriesOn() throws {
        try Self.withShell { _, pty in
            try #require(pty.expectPrompt(Self.prompt))
            pty.send("show #10")
            #expect(pty.expectOutput("show #10"))  // typed, so that the Ctrl-C meets a non-empty line
            pty.send(Key.ctrlC)
            // A new prompt, and the half line is gone: were it kept, the next line would be `show #10inventory …`.
            try #require(pty.expectPrompt(Self.prompt))
            pty.sendKeys("inventory --low 3", Key.enter)
            #expect(pty.expectOutput("Hoodie — Grey / L"))
            #expect(!pty.outputSinceMark.contains("error"))
            try Self.leave(pty, prompt: Self.prompt)  // still running, and leaves cleanly
        }
    }

    @Test func historyFileIsPrivateHoldsTheCommandsAndServesTheNextSession() throws {
        try Self.withShell { sandbox, pty in
            try #require(pty.expectPrompt(Self.prompt))
            pty.sendKeys("inventory --low 3", Key.enter)
            #expect(pty.expectOutput("Hoodie — Grey / L"))
            try #require(pty.expectPrompt(Self.prompt))
            pty.sendKeys("find jöns", Key.enter)
            #expect(pty.expectOutput("Jöns Ärlig"))
            // The dialog's answers are not commands: they stay out of the history.
            try #require(pty.expectPrompt(Self.prompt))
            pty.sendKeys("cancel #1001", Key.enter)
            try #require(pty.expectPrompt("Reason [1-7]: "))
            pty.sendKeys("2", Key.enter)
            try #require(pty.expectPrompt("Cancel #1001? [y/N] "))
            pty.sendKeys("n", Key.enter)
            #expect(pty.expectOutput("Nothing changed."))
            try Self.leave(pty, prompt: Self.prompt)

            var info = stat()
            try #require(stat(sandbox.historyFile, &info) == 0, "no history file at \(sandbox.historyFile)")
            #expect(info.st_mode & 0o777 == 0o600, "history file mode is \(String(info.st_mode & 0o777, radix: 8))")
            var folder = stat()
            try #require(stat((sandbox.historyFile as NSString).deletingLastPathComponent, &folder) == 0)
            #expect(folder.st_mode & 0o777 == 0o700, "history folder mode is \(String(folder.st_mode & 0o777, radix: 8))")

            let text = try String(contentsOfFile: sandbox.historyFile, encoding: .utf8)
            let lines = text.split(separator: "\n").map(String.init)
            #expect(lines.first == "_HiStOrY_V2_")
            #expect(lines.contains("inventory\\040--low\\0403"))  // libedit's own encoding of spaces
            #expect(lines.dropFirst().map(Self.unvis) == ["inventory --low 3", "find jöns", "cancel #1001"])

            // A new session loads the file: two steps up is `find jöns`.
            let next = try sandbox.launch()
            try #require(next.expectPrompt(Self.prompt))
            next.sendKeys(Key.up, Key.up, Key.enter)
            #expect(next.expectOutput("Jöns Ärlig"))
            #expect(next.outputSinceMark.contains("#1001"))
            try Self.leave(next, prompt: Self.prompt)
        }
    }

    // MARK: - The cancel dialog

    @Test func cancelDialogAsksReasonPreviewsAndConfirms() throws {
        try Self.withShell { sandbox, pty in
            #expect(sandbox.journalSize == 0)
            try #require(pty.expectPrompt(Self.prompt))
            pty.sendKeys("cancel #1001", Key.enter)
            try #require(pty.expectPrompt("Reason [1-7]: "))
            let menu = pty.output
            #expect(menu.contains("Why is the order being cancelled?"))
            #expect(menu.contains("1. Customer changed/canceled order"))
            #expect(menu.contains("2. Items unavailable"))
            #expect(menu.contains("7. "))
            pty.sendKeys("2", Key.enter)
            try #require(pty.expectPrompt("Cancel #1001? [y/N] "))
            let preview = pty.output
            #expect(preview.contains("Reason   Items unavailable (inventory)"))
            #expect(preview.contains("Money    refund 67.40 EUR to shopify_payments now"))
            #expect(preview.contains("Stock    TEE-BLK-M  12 → 14 (+2)"))
            #expect(preview.contains("Notice   to jons.arlig@example.com"))
            pty.sendKeys("n", Key.enter)
            #expect(pty.expectOutput("Nothing changed."))
            try #require(pty.expectPrompt(Self.prompt))
            #expect(sandbox.journalSize == 0, "answering n must not write the journal")

            pty.sendKeys("show #1001", Key.enter)
            #expect(pty.expectOutput("Customer   Jöns Ärlig"))
            try #require(pty.expectPrompt(Self.prompt))
            #expect(!pty.output.contains("CANCELLED"))

            pty.sendKeys("cancel #1001", Key.enter)
            try #require(pty.expectPrompt("Reason [1-7]: "))
            pty.sendKeys("1", Key.enter)
            try #require(pty.expectPrompt("Cancel #1001? [y/N] "))
            pty.sendKeys("y", Key.enter)
            #expect(pty.expectOutput("#1001 cancelled (customer: Customer changed/canceled order)"))
            try #require(pty.expectPrompt(Self.prompt))
            let journal = (try? String(contentsOfFile: sandbox.journal, encoding: .utf8)) ?? ""
            #expect(journal.hasSuffix("\n") && journal.occurrences(of: "\n") == 1, "journal: \(journal)")

            pty.sendKeys("show #1001", Key.enter)
            #expect(pty.expectOutput("CANCELLED"))
            #expect(pty.expectOutput("by alice: Customer changed/canceled order (customer)"))
            try Self.leave(pty, prompt: Self.prompt)

            let store = try FileStore.open(at: sandbox.store)
            let order = try #require(store.state.order(named: "#1001"))
            #expect(order.isCancelled)
            #expect(order.cancelReason == .customer)
            #expect(order.cancellation?.agent == "alice")
        }
    }

    /// `return`, `pay` and `capture` preview and ask in the live shell as `cancel` does; the
    /// return's choices change it before it is confirmed.
    @Test func returnAndPayPreviewAndConfirm() throws {
        try Self.withShell { sandbox, pty in
            try #require(pty.expectPrompt(Self.prompt))
            pty.sendKeys("return #1003 POSTER-A2 --shipping 5.00", Key.enter)
            try #require(pty.expectPrompt("Take back 1 unit on #1003? [y/N] "))
            let preview = pty.output
            #expect(preview.contains("POSTER-A2 ×1 returned (shipped): 18.00 USD"))
            #expect(preview.contains("Shipping 5.00 USD refunded"))
            #expect(preview.contains("refund 23.00 USD to shopify_payments"))
            #expect(preview.contains("POSTER-A2  7 → 8 (+1)"))
            #expect(preview.contains("r refund (now) · s restock (yes) · m notify (yes)"))
            pty.sendKeys("s", Key.enter)
            try #require(pty.expectPrompt("Take back 1 unit on #1003? [y/N] "))
            #expect(pty.output.contains("Stock    not restocked"))
            #expect(sandbox.journalSize == 0, "changing a choice writes nothing")
            pty.sendKeys("y", Key.enter)
            try #require(pty.expectPrompt(Self.prompt))
            #expect(pty.output.contains("#1003: Returned 1 unit; refunded 23.00 USD to shopify_payments; not restocked"))

            pty.sendKeys("pay #1004 --method bank_transfer", Key.enter)
            try #require(pty.expectPrompt("Record payment of 3600 JPY on #1004? [y/N] "))
            #expect(pty.output.contains("sale 3600 JPY via bank_transfer"))
            pty.sendKeys("y", Key.enter)
            try #require(pty.expectPrompt(Self.prompt))
            #expect(pty.output.contains("paid in full; it is now paid."))
            pty.send(Key.ctrlD)
            #expect(pty.waitForExit(timeout: Self.timeout) == 0)

            let store = try FileStore.open(at: sandbox.store)
            let returned = try #require(store.state.order(named: "#1003"))
            #expect(returned.refunds.last?.refundLineItems.map(\.restockType) == [.noRestock])
            #expect(returned.lineItems[0].restocked == 0)
            #expect(store.state.order(named: "#1004")?.financialStatus == .paid)
        }
    }

    @Test func cancelDialogGivesUpOnCtrlCEnterOrCtrlDAndChangesNothing() throws {
        try Self.withShell { sandbox, pty in
            try #require(pty.expectPrompt(Self.prompt))
            // Ctrl-C at the menu.
            pty.sendKeys("cancel #1001", Key.enter)
            try #require(pty.expectPrompt("Reason [1-7]: "))
            pty.send(Key.ctrlC)
            #expect(pty.expectOutput("Nothing changed."))
            // A wrong number asks again; Enter on an empty answer gives up.
            try #require(pty.expectPrompt(Self.prompt))
            pty.sendKeys("cancel #1001", Key.enter)
            try #require(pty.expectPrompt("Reason [1-7]: "))
            pty.sendKeys("9", Key.enter)
            #expect(pty.expectOutput("choose a number from 1 to 7"))
            try #require(pty.expectPrompt("Reason [1-7]: "))
            pty.send(Key.enter)
            #expect(pty.expectOutput("Nothing changed."))
            // Ctrl-D at the confirmation gives up the dialog, not the shell.
            try #require(pty.expectPrompt(Self.prompt))
            pty.sendKeys("cancel #1001", Key.enter)
            try #require(pty.expectPrompt("Reason [1-7]: "))
            pty.sendKeys("2", Key.enter)
            try #require(pty.expectPrompt("Cancel #1001? [y/N] "))
            pty.send(Key.ctrlD)
            #expect(pty.expectOutput("Nothing changed."))
            try #require(pty.expectPrompt(Self.prompt))
            #expect(sandbox.journalSize == 0)
            pty.sendKeys("show #1001", Key.enter)
            #expect(pty.expectOutput("Customer   Jöns Ärlig"))
            #expect(!pty.output.contains("CANCELLED"))
            try Self.leave(pty, prompt: Self.prompt)
        }
    }

    @Test func thePreviewLetsTheAgentChangeRestockAndRefundBeforeConfirming() throws {
        try Self.withShell { sandbox, pty in
            try #require(pty.expectPrompt(Self.prompt))
            pty.sendKeys("cancel #1001", Key.enter)
            try #require(pty.expectPrompt("Reason [1-7]: "))
            pty.sendKeys("1", Key.enter)
            try #require(pty.expectPrompt("Cancel #1001? [y/N] "))
            #expect(pty.output.contains("r refund (now)"))
            #expect(pty.output.contains("s restock (yes)"))
            // s flips restock: a new preview without stock changes.
            pty.sendKeys("s", Key.enter)
            try #require(pty.expectPrompt("Cancel #1001? [y/N] "))
            #expect(pty.output.contains("Stock    not restocked"))
            #expect(pty.output.contains("s restock (no)"))
            // r asks which refund, with TAB completing the choices.
            pty.sendKeys("r", Key.enter)
            try #require(pty.expectPrompt("Refund [1-3]: "))
            pty.sendKeys("la", Key.tab, Key.enter)
            try #require(pty.expectPrompt("Cancel #1001? [y/N] "))
            #expect(pty.output.contains("refund later: 67.40 EUR will be owed"))
            // Ctrl-C at a choice's question changes nothing.
            pty.sendKeys("t", Key.enter)
            try #require(pty.expectPrompt("Note (Enter clears it): "))
            pty.send(Key.ctrlC)
            #expect(pty.expectOutput("Nothing changed."))
            try #require(pty.expectPrompt(Self.prompt))
            #expect(sandbox.journalSize == 0, "Ctrl-C in the dialog must not write the journal")

            // Again, changing both and confirming: the event has the changed choices.
            pty.sendKeys("cancel #1001 --reason customer", Key.enter)
            try #require(pty.expectPrompt("Cancel #1001? [y/N] "))
            pty.sendKeys("s", Key.enter)
            try #require(pty.expectPrompt("Cancel #1001? [y/N] "))
            pty.sendKeys("r", Key.enter)
            try #require(pty.expectPrompt("Refund [1-3]: "))
            pty.sendKeys("3", Key.enter)
            try #require(pty.expectPrompt("Cancel #1001? [y/N] "))
            pty.sendKeys("y", Key.enter)
            #expect(pty.expectOutput("#1001 cancelled (customer"))
            try Self.leave(pty, prompt: Self.prompt)

            let journal = (try? String(contentsOfFile: sandbox.journal, encoding: .utf8)) ?? ""
            #expect(journal.contains("\"refund_mode\":\"later\""), "journal: \(journal)")
            #expect(journal.contains("\"restocked\":[]"), "journal: \(journal)")
            let order = try #require(try FileStore.open(at: sandbox.store).state.order(named: "#1001"))
            #expect(order.refundOwed == Money("67.40"))
            #expect(order.lineItems.allSatisfy { $0.restocked == 0 })
        }
    }

    @Test func cancelRefusesAnOrderThatCannotBeCancelledBeforeAskingTheReason() throws {
        let refusals = [
            ("cancel #1003", "error: #1003 is fulfilled and cannot be cancelled"),
            ("cancel #1006", "error: #1006 is partly fulfilled and cannot be cancelled"),
            ("cancel #1007", "error: #1007 is already cancelled: by alice"),
            ("cancel #9999", "error: no order #9999 in this store"),
        ]
        try Self.withShell { sandbox, pty in
            for (line, refusal) in refusals {
                try #require(pty.expectPrompt(Self.prompt))
                pty.sendKeys(line, Key.enter)
                let first = pty.firstOf([refusal, "Reason [1-7]: "], timeout: Self.timeout)
                #expect(first == refusal, "\(line): the refusal must come at once, not after the reason menu")
                if first == "Reason [1-7]: " {
                    pty.send(Key.enter)  // give up the menu, to go on
                    #expect(pty.expectOutput("Nothing changed."))
                }
            }
            try Self.leave(pty, prompt: Self.prompt)
            #expect(sandbox.journalSize == 0)
        }
    }

    // MARK: - Text and colour

    @Test func nonASCIIInputAndEditingWork() throws {
        try Self.withShell { _, pty in
            try #require(pty.expectPrompt(Self.prompt))
            pty.sendKeys("find jöns", Key.enter)
            #expect(pty.expectOutput("Jöns Ärlig"))
            #expect(pty.outputSinceMark.contains("\n#1001  "))

            try #require(pty.expectPrompt(Self.prompt))
            pty.sendKeys("find 渡辺", Key.enter)
            #expect(pty.expectOutput("さくら 渡辺"))
            #expect(pty.outputSinceMark.contains("\n#1004  "))

            // Moving over and deleting multibyte characters: `find Søxren` → three left, delete the x.
            try #require(pty.expectPrompt(Self.prompt))
            pty.sendKeys("find Søxren", Key.left, Key.left, Key.left, Key.backspace, Key.enter)
            #expect(pty.expectOutput("Søren Højgaard"))
            #expect(pty.outputSinceMark.contains("\n#1005  "))
            #expect(!pty.outputSinceMark.contains("Nothing matches"))
            try Self.leave(pty, prompt: Self.prompt)
        }
    }

    @Test func editingWorksWithAColourPrompt() throws {
        try Self.withShell(color: true) { _, pty in
            try #require(pty.expectPrompt(Self.colorPrompt))
            pty.sendKeys("sho", Key.tab, "#1009", Key.backspace, "1", Key.enter)
            #expect(pty.expectOutput("Customer   Jöns Ärlig"))
            #expect(pty.outputSinceMark.contains("\u{1B}[1m#1001\u{1B}[0m"))  // the output is in colour too

            try #require(pty.expectPrompt(Self.colorPrompt))
            pty.sendKeys("show #100", Key.tab)
            #expect(pty.expectOutput("#1008  #1007  #1006"))
            try #require(pty.expectPrompt(Self.colorPrompt))  // redrawn under the list
            pty.sendKeys("5", Key.enter)
            #expect(pty.expectOutput("Customer   Søren Højgaard"))

            try #require(pty.expectPrompt(Self.colorPrompt))
            pty.sendKeys("find xyz", Key.ctrlA, Key.right, Key.right, Key.right, Key.right, Key.right, "jöns ", Key.ctrlE)
            pty.sendKeys(Key.backspace, Key.backspace, Key.backspace, Key.backspace, Key.enter)
            #expect(pty.expectOutput("Jöns Ärlig"))

            try #require(pty.expectPrompt(Self.colorPrompt))
            pty.sendKeys(Key.up, Key.up, Key.enter)
            #expect(pty.expectOutput("Customer   Søren Højgaard"))
            // The prompt markers (\u{01}) delimit the escapes for libedit and must never reach the screen.
            #expect(!pty.output.contains("\u{01}"))
            try Self.leave(pty, prompt: Self.colorPrompt)
        }
    }

    // MARK: - Harness

    /// Runs `body` with a shell on a fresh store in a fresh sandbox; kills what is left and removes the sandbox afterwards.
    fileprivate static func withShell(
        _ state: StoreState = TrainingStore.make(), color: Bool = false,
        sourceLocation: SourceLocation = #_sourceLocation,
        _ body: (LiveShellSandbox, PseudoTerminal) throws -> Void
    ) throws {
        guard let binary = Self.binary else {
            Issue.record(
                """
                the orderdesk binary was not found next to the test bundle \
                (arguments[0] = \(CommandLine.arguments.first ?? "?")); build it with `swift build --build-tests`, \
                or set ORDERDESK_TEST_BINARY
                """, sourceLocation: sourceLocation)
            return
        }
        let sandbox = try LiveShellSandbox(state: state, binary: binary)
        defer { sandbox.close() }
        let pty = try sandbox.launch(color: color)
        try body(sandbox, pty)
    }

    /// Waits for the next prompt, presses Ctrl-D and expects a clean exit.
    static func leave(_ pty: PseudoTerminal, prompt: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        try #require(pty.expectPrompt(prompt, sourceLocation: sourceLocation), sourceLocation: sourceLocation)
        pty.send(Key.ctrlD)
        #expect(pty.waitForExit(timeout: timeout) == 0, "exit status after Ctrl-D", sourceLocation: sourceLocation)
    }

    /// Decodes libedit's history encoding (strvis: `\ooo` octal bytes, `\\` a backslash).
    static func unvis(_ line: String) -> String {
        let source = Array(line.utf8)
        let backslash = UInt8(ascii: "\\")
        func isOctal(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "7")).contains(byte) }
        var bytes: [UInt8] = []
        var i = 0
        while i < source.count {
            if source[i] == backslash, i + 3 < source.count, source[(i + 1)...(i + 3)].allSatisfy(isOctal) {
                bytes.append(source[(i + 1)...(i + 3)].reduce(0) { $0 &* 8 &+ ($1 - UInt8(ascii: "0")) })
                i += 4
            } else if source[i] == backslash, i + 1 < source.count, source[i + 1] == backslash {
                bytes.append(backslash)
                i += 2
            } else {
                bytes.append(source[i])
                i += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The `orderdesk` executable built with the tests, found next to the test bundle.
    ///
    /// Under `swift test` on Linux, `CommandLine.arguments[0]` is `<scratch>/debug/OrderDeskPackageTests.xctest`
    /// (an executable); on macOS the bundle is a folder, `….xctest/Contents/MacOS/…`. The binary is a sibling
    /// of the bundle. `ORDERDESK_TEST_BINARY` overrides the lookup.
    static let binary: String? = {
        let fileManager = FileManager.default
        func isExecutableFile(_ path: String) -> Bool {
            var isDirectory: ObjCBool = false
            return fileManager.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
                && fileManager.isExecutableFile(atPath: path)
        }
        if let path = ProcessInfo.processInfo.environment["ORDERDESK_TEST_BINARY"], !path.isEmpty {
            return isExecutableFile(path) ? path : nil
        }
        var starts: [String] = []
        if let first = CommandLine.arguments.first { starts.append(first) }
        if let own = try? fileManager.destinationOfSymbolicLink(atPath: "/proc/self/exe") { starts.append(own) }
        if let own = Bundle.main.executablePath { starts.append(own) }
        starts += Bundle.allBundles.map(\.bundlePath).filter { $0.hasSuffix(".xctest") }
        for start in starts {
            let url = URL(fileURLWithPath: start).standardizedFileURL
            var folders = [url.deletingLastPathComponent()]
            // The folder holding the .xctest bundle, wherever inside it we are.
            let parts = url.pathComponents
            if let bundle = parts.lastIndex(where: { $0.hasSuffix(".xctest") }) {
                folders.insert(URL(fileURLWithPath: NSString.path(withComponents: Array(parts[..<bundle]))), at: 0)
            }
            for folder in folders {
                let candidate = folder.appendingPathComponent("orderdesk").path
                if isExecutableFile(candidate) { return candidate }
            }
        }
        return nil
    }()
}

/// One test's world: HOME, XDG folders and a store in a temporary folder, and the shells started in it.
private final class LiveShellSandbox {
    let root: String
    let binary: String
    private var terminals: [PseudoTerminal] = []
    private var closed = false

    var home: String { root + "/home" }
    var stateHome: String { root + "/state" }
    var dataHome: String { root + "/data" }
    /// The store; its folder name, `shop`, is the prompt's first word.
    var store: String { root + "/shop" }
    var journal: String { store + "/journal.jsonl" }
    var historyFile: String { stateHome + "/orderdesk/history" }

    /// The journal's size in bytes, or -1 if it is missing.
    var journalSize: Int64 {
        var info = stat()
        return stat(journal, &info) == 0 ? Int64(info.st_size) : -1
    }

    init(state: StoreState, binary: String) throws {
        var template = Array((NSTemporaryDirectory() + "/orderdesk-live.XXXXXX").utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw PseudoTerminal.LaunchError(description: "cannot make a temporary folder: \(String(cString: strerror(errno)))")
        }
        root = URL(fileURLWithPath: String(cString: made)).standardizedFileURL.path
        self.binary = binary
        for folder in [home, stateHome, dataHome] {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        _ = try FileStore.create(at: store, state: state)
    }

    deinit { close() }

    /// Starts `orderdesk --store <store>` in a new terminal, 120×30, with a controlled environment.
    func launch(color: Bool = false) throws -> PseudoTerminal {
        var environment = [
            "HOME": home, "XDG_STATE_HOME": stateHome, "XDG_DATA_HOME": dataHome, "XDG_CONFIG_HOME": home + "/.config",
            "ORDERDESK_AGENT": "alice", "LANG": "C.UTF-8", "TERM": "xterm-256color",
        ]
        if !color { environment["NO_COLOR"] = "1" }
        let terminal = try PseudoTerminal(executable: binary, arguments: ["--store", store], environment: environment)
        terminals.append(terminal)
        return terminal
    }

    /// Kills any shell still running and removes the folder.
    func close() {
        guard !closed else { return }
        closed = true
        for terminal in terminals { _ = terminal.waitForExit(timeout: 0) }
        terminals.removeAll()
        try? FileManager.default.removeItem(atPath: root)
    }
}

extension PseudoTerminal {
    /// ``waitForPrompt(_:timeout:)`` that records an issue with the end of the screen when the prompt does not come.
    func expectPrompt(
        _ prompt: String, timeout: Double = LiveShellTests.timeout, sourceLocation: SourceLocation = #_sourceLocation
    ) -> Bool {
        if waitForPrompt(prompt, timeout: timeout) { return true }
        Issue.record("no prompt \(Self.visible(prompt)) within \(timeout) s; output since mark:\n\(tail)", sourceLocation: sourceLocation)
        return false
    }

    /// Waits for `text` in the output since the mark; records an issue with the end of the screen if it does not come.
    func expectOutput(
        _ text: String, timeout: Double = LiveShellTests.timeout, sourceLocation: SourceLocation = #_sourceLocation
    ) -> Bool {
        if waitFor(text, timeout: timeout, sinceMark: true) { return true }
        Issue.record("no \(Self.visible(text)) within \(timeout) s; output since mark:\n\(tail)", sourceLocation: sourceLocation)
        return false
    }

    /// Waits until one of `texts` appears in the output since the mark; returns the one that appears first there.
    fileprivate func firstOf(_ texts: [String], timeout: Double) -> String? {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let since = outputSinceMark
            let hits = texts.compactMap { text in since.range(of: text).map { (text, $0.lowerBound) } }
            if let first = hits.min(by: { $0.1 < $1.1 }) { return first.0 }
            if Date() >= deadline { return nil }
            waitFor(texts.first ?? "", timeout: 0.02, sinceMark: true)  // reads what came meanwhile
        }
    }

    /// The last part of the output since the mark, with control characters made visible.
    private var tail: String { Self.visible(String(outputSinceMark.suffix(1500))) }

    private static func visible(_ text: String) -> String {
        text.unicodeScalars.map { scalar in
            switch scalar {
            case "\n": return "\n"
            case "\u{1B}": return "⎋"
            case "\r": return "␍"
            case _ where scalar.value < 0x20: return "^" + String(UnicodeScalar(UInt8(scalar.value) + 0x40))
            default: return String(scalar)
            }
        }.joined()
    }
}

extension String {
    /// How many times `needle` occurs, without overlaps.
    fileprivate func occurrences(of needle: String) -> Int {
        components(separatedBy: needle).count - 1
    }
}
