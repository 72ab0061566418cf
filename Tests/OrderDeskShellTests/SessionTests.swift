import OrderDeskCore
import OrderDeskPractice
import OrderDeskStore
import OrderDeskTestSupport
import Testing

@testable import OrderDeskShell

/// The live dialogs, driven by scripted answers.
@Suite struct SessionTests {
    static func session(_ answers: [String], store: MemoryStore = MemoryStore(state: TrainingStore.make())) -> (
        Session, RecordingConsole, ScriptedPrompter
    ) {
        let console = RecordingConsole()
        let prompter = ScriptedPrompter(answers)
        let session = Session(
            store: store, console: console, agent: "alice", clock: { TrainingStore.now }, utcOffset: 0, style: .plain,
            prompter: prompter)
        return (session, console, prompter)
    }

    @Test func cancelAsksReasonShowsPreviewAndNoChangesNothing() {
        let store = MemoryStore(state: TrainingStore.make())
        let (session, console, prompter) = Self.session(["2", "n"], store: store)
        let result = session.execute("cancel #1001", interactive: true)
        #expect(result.output == "Nothing changed.")
        #expect(store.state.seq == 0)
        #expect(store.state.order(named: "#1001")?.isCancelled == false)
        #expect(console.output.contains("2. Items unavailable"))
        #expect(console.output.contains("1. Customer changed/canceled order"))
        #expect(console.output.contains("refund 67.40 EUR to shopify_payments now"))
        #expect(console.output.contains("TEE-BLK-M  12 → 14 (+2)"))
        #expect(prompter.questions == ["Reason [1-7]: ", "Cancel #1001? [y/N] "])
    }

    @Test func yesCancels() {
        let store = MemoryStore(state: TrainingStore.make())
        let (session, _, _) = Self.session(["inventory", "y"], store: store)
        let result = session.execute("cancel #1001 --offer '10% off'", interactive: true)
        #expect(result.error == nil)
        #expect(store.state.order(named: "#1001")?.cancelReason == .inventory)
        #expect(store.state.outbox.last?.body.contains("10% off") == true)
        #expect(result.output?.hasPrefix("#1001 cancelled (inventory: Items unavailable)") == true)
    }

    @Test func thePreviewsChoicesChangeTheCancelBeforeItIsConfirmed() {
        let store = MemoryStore(state: TrainingStore.make())
        // reason 1; restock off; refund → credit; a note; confirm.
        let (session, console, prompter) = Self.session(["1", "s", "r", "credit", "t", "called twice", "y"], store: store)
        let result = session.execute("cancel #1001", interactive: true)
        #expect(result.error == nil)
        #expect(
            prompter.questions == [
                "Reason [1-7]: ", "Cancel #1001? [y/N] ", "Cancel #1001? [y/N] ", "Refund [1-3]: ", "Cancel #1001? [y/N] ",
                "Note (Enter clears it): ", "Cancel #1001? [y/N] ",
            ])
        #expect(console.output.contains("Stock    not restocked"))
        #expect(console.output.contains("refund 67.40 EUR as store credit now"))
        guard case .orderCancelled(let c)? = result.events.first?.change else {
            Issue.record("no cancel event")
            return
        }
        #expect(c.reason == .customer)
        #expect(c.refundMode == .credit)
        #expect(c.restocked.isEmpty)
        #expect(c.note == "called twice")
        #expect(result.events.count == 1)
    }

    /// A store that counts what the pipeline asks of it.
    final class CountingStore: OrderStore {
        let inner: MemoryStore
        var refreshes = 0
        var commits = 0
        var decisions = 0
        init(_ inner: MemoryStore) { self.inner = inner }
        var state: StoreState { inner.state }
        var isDemo: Bool { false }
        var location: String { "counting" }
        var warnings: [String] = []
        func refresh() throws(OrderDeskError) -> [Event] {
            refreshes += 1
            return try inner.refresh()
        }
        func commit(
            agent: String, now: Timestamp, batch: BatchOrigin?, _ decide: (StoreState) throws(OrderDeskError) -> [Change]
        ) throws(OrderDeskError) -> [Event] {
            commits += 1
            return try inner.commit(agent: agent, now: now, batch: batch) { state throws(OrderDeskError) in
                self.decisions += 1
                return try decide(state)
            }
        }
        func auditLog() throws(OrderDeskError) -> [Event] { try inner.auditLog() }
    }

    /// One typed cancel passes the store once to catch up and once to commit, where the rules
    /// decide again under the lock; the reason is asked without running the rules on a made-up one.
    @Test func oneLiveCancelRefreshesOnceAndCommitsOnce() {
        let store = CountingStore(MemoryStore(state: TrainingStore.make()))
        let (session, _, _) = Self.session(["1", "y"], store: MemoryStore())
        let live = Session(
            store: store, console: RecordingConsole(), agent: "alice", clock: { TrainingStore.now }, utcOffset: 0, style: .plain,
            prompter: session.prompter)
        let result = live.execute("cancel #1001", interactive: true)
        #expect(result.error == nil)
        #expect(store.refreshes == 1)
        #expect(store.commits == 1 && store.decisions == 1)
        #expect(result.events.count == 1)
    }

    @Test func ctrlCAtAnyQuestionOfTheDialogChangesNothing() {
        // nil is Ctrl-C (or Ctrl-D): at the menu, at the confirmation, at a choice's question.
        for answers in [[], ["1"], ["1", "r"], ["1", "t"], ["1", "s"]] {
            let store = MemoryStore(state: TrainingStore.make())
            let (session, _, _) = Self.session(answers, store: store)
            let result = session.execute("cancel #1001", interactive: true)
            #expect(result.output == "Nothing changed.", "answers \(answers)")
            #expect(store.state.seq == 0, "answers \(answers)")
        }
    }

    @Test func aBadMenuAnswerAsksAgainAndEnterGivesUp() {
        let store = MemoryStore(state: TrainingStore.make())
        let (session, console, prompter) = Self.session(["9", ""], store: store)
        let result = session.execute("cancel #1001", interactive: true)
        #expect(result.output == "Nothing changed.")
        #expect(console.errors.contains("choose a number from 1 to 7"))
        #expect(prompter.questions.count == 2)
        #expect(store.state.seq == 0)
    }

    @Test func yesFlagSkipsTheQuestion() {
        let store = MemoryStore(state: TrainingStore.make())
        let (session, _, prompter) = Self.session([], store: store)
        _ = session.execute("cancel #1002 --reason customer --yes", interactive: true)
        #expect(prompter.questions.isEmpty)
        #expect(store.state.order(named: "#1002")?.financialStatus == .voided)
    }

    @Test func batchNeedsAReasonAndAsksNothing() {
        let store = MemoryStore(state: TrainingStore.make())
        let (session, _, prompter) = Self.session(["1", "y"], store: store)
        let result = session.execute("cancel #1001", interactive: false)
        #expect(result.error == .reasonRequired(order: "#1001"))
        #expect(prompter.questions.isEmpty)
    }

    @Test func theOtherAgentsCancelIsRefusedWithTheirName() {
        // Two sessions on one store: the second is checked against the current state at commit.
        let store = MemoryStore(state: TrainingStore.make())
        let (bobSession, _, _) = Self.session(["y"], store: store)
        let other = Session(
            store: store, console: RecordingConsole(), agent: "bob", clock: { TrainingStore.now }, utcOffset: 0, style: .plain)
        #expect(other.execute("cancel #1001 --reason customer", interactive: false).error == nil)
        let result = bobSession.execute("cancel #1001 --reason customer --yes", interactive: true)
        guard case .alreadyCancelled(_, _, let by, _)? = result.error else {
            Issue.record("expected a refusal, got \(String(describing: result.error))")
            return
        }
        #expect(by == "bob")
    }

    @Test func dryRunChangesNothingEverywhere() {
        let store = MemoryStore(state: TrainingStore.make())
        let (session, _, _) = Self.session([], store: store)
        for interactive in [true, false] {
            let result = session.execute("cancel #1001 --reason customer --dry-run", interactive: interactive)
            #expect(result.output?.contains("Dry run: nothing changed.") == true)
        }
        #expect(store.state.seq == 0)
    }
}
