import Foundation
import OrderDeskCore
import OrderDeskImport
import OrderDeskStore
import Testing

@testable import OrderDeskShell

/// `orderdesk import` end to end, on a store directory.
@Suite struct ImportCommandTests {
    /// A new empty store in a temporary directory.
    static func store() throws -> TemporaryDirectory {
        let dir = TemporaryDirectory()
        _ = try FileStore.create(at: dir.path, state: StoreState())
        return dir
    }

    /// Runs the import; returns the exit code and what was written.
    static func run(
        _ file: String, store: String, format: String? = nil, stock: String? = nil, dryRun: Bool = false
    ) -> (code: Int32, out: String, err: String) {
        let console = RecordingConsole()
        let code = Program.importOrders(
            ImportRequest(file: file, format: format, stockFile: stock, dryRun: dryRun),
            ProgramOptions(storePath: store, agent: "alice"), console: console, progress: false)
        return (code, console.output, console.errors)
    }

    @Test func importsAFileInOneDurableStepAndSaysWhat() throws {
        let dir = try Self.store()
        let file = Fixture.path("orders.csv")
        let result = Self.run(file, store: dir.path, stock: Fixture.path("inventory.csv"))
        #expect(result.code == 0)
        #expect(result.err == "")
        #expect(
            result.out
                == "\(file): imported 7 orders, skipped 0 duplicates, 4 new SKUs at stock 0 (BEANIE-CHR, CANDLE-BW, OUD-INC, SOCK-WL-M), 5 stock levels from the stock file\n"
        )
        let store = try FileStore.open(at: dir.path)
        #expect(store.state.seq == 1)
        #expect(store.state.orders.count == 7)
        #expect(store.state.inventory["MUG-WHT"] == 15)
        #expect(store.state.inventory["SOCK-WL-M"] == 0)
        let log = try store.auditLog()
        #expect(log.count == 1)
        #expect(log[0].type == "orders.imported")
        #expect(log[0].agent == "alice")
        let journal = dir.contents("journal.jsonl")
        #expect(journal.filter { $0 == 0x0A }.count == 1)  // one line: one event for the whole file
    }

    @Test func warningsAreListedAfterTheSummaryAndImportAnyway() throws {
        let dir = try Self.store()
        let file = Fixture.path("real/export-75-columns-eur-tax-included-refund-above-total.csv")
        let result = Self.run(file, store: dir.path)
        #expect(result.code == 0)
        #expect(result.err == "")
        let lines = result.out.split(separator: "\n").map(String.init)
        #expect(lines.count == 2)
        #expect(lines.first?.hasPrefix("\(file): imported 5 orders") == true)
        #expect(
            lines.last
                == "\(file):7: warning: Refunded Amount 184.60 is more than the Total 184.23 (a refund at another exchange rate?); imported as Shopify has it"
        )
        #expect(try FileStore.open(at: dir.path).state.orders.count == 5)
        // A dry run says the same.
        let other = try Self.store()
        let dry = Self.run(file, store: other.path, dryRun: true)
        #expect(dry.out.split(separator: "\n").last.map(String.init) == lines.last)
    }

    @Test func importingAgainIsANoOp() throws {
        let dir = try Self.store()
        let file = Fixture.path("orders-list.json")
        #expect(Self.run(file, store: dir.path).code == 0)
        let journal = dir.contents("journal.jsonl")
        let snapshot = dir.contents("snapshot.json")
        let again = Self.run(file, store: dir.path)
        #expect(again.code == 0)
        #expect(again.out == "\(file): imported 0 orders, skipped 3 duplicates, 0 new SKUs at stock 0\n")
        #expect(dir.contents("journal.jsonl") == journal)
        #expect(dir.contents("snapshot.json") == snapshot)
        #expect(try FileStore.open(at: dir.path).state.seq == 1)
    }

    @Test func dryRunReportsAndWritesNothing() throws {
        let dir = try Self.store()
        let snapshot = dir.contents("snapshot.json")
        let file = Fixture.path("order-single.json")
        let result = Self.run(file, store: dir.path, dryRun: true)
        #expect(result.code == 0)
        #expect(result.out == "\(file): would import 1 order, skip 0 duplicates, 2 new SKUs at stock 0 (BEANIE-CHR, TOWEL-LIN)\n")
        #expect(result.err == "dry run: nothing was written to the store\n")
        #expect(dir.contents("snapshot.json") == snapshot)
        #expect(dir.contents("journal.jsonl").isEmpty)
        #expect(try FileStore.open(at: dir.path).state.orders.isEmpty)
    }

    @Test func aFileWithProblemsImportsNothingAndListsThemAll() throws {
        let dir = try Self.store()
        #expect(Self.run(Fixture.path("orders-reordered.csv"), store: dir.path).code == 0)
        let journal = dir.contents("journal.jsonl")
        let file = Fixture.path("orders-errors.csv")
        let result = Self.run(file, store: dir.path)
        #expect(result.code == 1)
        #expect(result.out == "")
        let lines = result.err.split(separator: "\n").map(String.init)
        #expect(lines.count == 11)
        #expect(lines.contains("\(file):14: Lineitem quantity \"two\" is not a whole number"))
        #expect(lines.last == "error: nothing was imported from \(file); put right the 10 problems above and import it again")
        #expect(dir.contents("journal.jsonl") == journal)
        #expect(try FileStore.open(at: dir.path).state.orders.count == 2)
    }

    @Test func aClashWithTheStoreImportsNothing() throws {
        let dir = try Self.store()
        #expect(Self.run(Fixture.path("orders.csv"), store: dir.path).code == 0)
        let other = dir.path + "-other.csv"
        defer { try? FileManager.default.removeItem(atPath: other) }
        try """
        Name,Id,Created at,Currency,Total,Financial Status,Lineitem quantity,Lineitem name,Lineitem price
        #1500,42,2026-01-01 00:00:00 +0000,EUR,1.00,paid,1,Pen,1.00
        #1001,43,2026-01-01 00:00:00 +0000,EUR,1.00,paid,1,Pen,1.00
        """.write(toFile: other, atomically: true, encoding: .utf8)
        let result = Self.run(other, store: dir.path)
        #expect(result.code == 1)
        #expect(result.err.hasPrefix("\(other):3: the store already has an order #1001 with another Id (5934567890101, not 43)"))
        let store = try FileStore.open(at: dir.path)
        #expect(store.state.seq == 1)
        #expect(store.state.order(named: "#1500") == nil)  // all or nothing
    }

    @Test func argumentsAndUnreadableFiles() throws {
        let dir = try Self.store()
        let bad = Self.run(Fixture.path("orders.csv"), store: dir.path, format: "excel")
        #expect(bad.code == 2)
        #expect(bad.err == "error: --format must be shopify-csv or shopify-json, not 'excel'\n")
        let missing = Self.run(dir.path + "/nope.csv", store: dir.path)
        #expect(missing.code == 1)
        #expect(missing.err.hasPrefix("error: cannot read \(dir.path)/nope.csv"))
        let forced = Self.run(Fixture.path("orders.csv"), store: dir.path, format: "shopify-json")
        #expect(forced.code == 1)
        #expect(forced.err.contains("orders.csv: is not valid JSON"))
        let noStore = Self.run(Fixture.path("orders.csv"), store: dir.path + "/missing")
        #expect(noStore.code == 3)
    }

    @Test func twoImportsAtOnceInsertEachOrderOnce() throws {
        let dir = try Self.store()
        let file = Fixture.path("orders.csv")
        let results = ResultBox()
        let path = dir.path
        DispatchQueue.concurrentPerform(iterations: 2) { _ in
            let r = Self.run(file, store: path)
            results.add(r.code, r.out)
        }
        #expect(results.codes == [0, 0])
        let outs = results.outputs.sorted()
        #expect(outs[0].contains("imported 0 orders, skipped 7 duplicates"))
        #expect(outs[1].contains("imported 7 orders, skipped 0 duplicates"))
        let store = try FileStore.open(at: dir.path)
        #expect(store.state.orders.count == 7)
        #expect(store.state.seq == 1)
    }

    @Test func theDecisionIsMadeAgainstTheCurrentStateInsideTheCommit() throws {
        let dir = try Self.store()
        let early = try FileStore.open(at: dir.path)  // opened before the other import
        #expect(Self.run(Fixture.path("orders.csv"), store: dir.path).code == 0)
        #expect(early.state.orders.isEmpty)  // stale
        let orders = Fixture.read("orders.csv").orders
        var plan: ImportPlan?
        let events = try early.commit(agent: "bob", now: Fixture.now) { state in
            let p = ShopifyImport.plan(orders, into: state, source: "orders.csv", agent: "bob", now: Fixture.now)
            plan = p
            return p.change.map { [.ordersImported($0)] } ?? []
        }
        #expect(events.isEmpty)
        #expect(plan?.duplicates.count == 7)
        #expect(early.state.orders.count == 7)
    }

    @Test func importedOrdersCanBeCancelledRefundedAndRecreated() throws {
        let dir = try Self.store()
        #expect(Self.run(Fixture.path("orders.csv"), store: dir.path).code == 0)
        let store = try FileStore.open(at: dir.path)
        let console = RecordingConsole()
        let session = Session(
            store: store, console: console, agent: "bob", clock: { Fixture.now }, utcOffset: 0, style: .plain)
        func run(_ line: String) -> Session.LineResult {
            let result = session.execute(line, interactive: false)
            #expect(result.error == nil, "\(line): \(String(describing: result.error))")
            return result
        }
        _ = run("cancel #1001 --reason customer --refund now --yes")
        let cancelled = store.state.order(named: "#1001")!
        #expect(cancelled.financialStatus == .refunded)
        #expect(cancelled.amountRefunded == Money("58.90")!)
        #expect(store.state.inventory["MUG-WHT"] == 2)  // restocked from 0
        _ = run("refund #1006 --rest")
        #expect(store.state.order(named: "#1006")!.refundOwed.isZero)
        #expect(store.state.order(named: "#1006")!.financialStatus == .refunded)
        _ = run("refund #1004 5.00")
        #expect(store.state.order(named: "#1004")!.amountRefunded == Money("15.00")!)
        _ = run("recreate #1003 --no-notify --yes")
        let recreated = store.state.order(named: "#1003-R1")!
        #expect(recreated.recreatedFrom == "#1003")
        #expect(recreated.lineItems.count == 3)
        #expect(recreated.id > 5_934_567_890_107)
        _ = run("recreate #1001 --no-notify --yes")
        #expect(store.state.order(named: "#1001-R1")?.financialStatus == .pending)
        let refused = session.execute("cancel #1002 --reason customer --yes", interactive: false)
        #expect(refused.error == .fulfilled(order: "#1002", status: "fulfilled"))
        let lineIDs = store.state.orders.flatMap { $0.lineItems.map(\.id) }
        let refundIDs = store.state.orders.flatMap { $0.refunds.map(\.id) }
        #expect(Set(lineIDs).count == lineIDs.count)
        #expect(Set(refundIDs).count == refundIDs.count)
        #expect(Set(store.state.orders.map(\.id)).count == store.state.orders.count)
    }

    @Test func ordersCSVWritesShopifysExportOfTheMatchingOrders() throws {
        let state = Fixture.state(importing: ["orders.csv"])
        let store = MemoryStore(state: state)
        let session = Session(
            store: store, console: RecordingConsole(), agent: "bob", clock: { Fixture.now }, utcOffset: 4 * 3600, style: .plain)
        let all = session.execute("orders --csv", interactive: false)
        #expect(all.error == nil)
        let text = try #require(all.output)
        #expect(text.hasPrefix(ShopifyCSV.columns.joined(separator: ",") + "\n"))
        #expect(!text.hasSuffix("\n"))
        #expect(text.contains("#1001,zoe.lefevre@example.fr,paid,2026-04-05 21:06:25 +0400,unfulfilled,EUR,54.00"))
        let back = ShopifyImport.read(text)
        #expect(back.problems == [])
        #expect(Set(back.orders.map(\.order.name)) == Set(state.orders.map(\.name)))
        let cancelled = session.execute("orders --status cancelled --csv", interactive: false).output ?? ""
        #expect(Set(ShopifyImport.read(cancelled).orders.map(\.order.name)) == ["#1003", "#1005", "#1006"])
        let two = session.execute("orders --csv --limit 2", interactive: false).output ?? ""
        #expect(ShopifyImport.read(two).orders.count == 2)
        let both = session.execute("orders --csv --json", interactive: false)
        #expect(both.error == .conflictingFlags(command: "orders", "--json", "--csv"))
    }

    @Test func manySKUlessAndManyCurrencyOrdersFromAGeneratedExport() throws {
        let text = LargeImport.csv(orders: 300)
        let read = ShopifyImport.read(text)
        #expect(read.problems == [])
        #expect(read.orders.count == 300)
        #expect(Set(read.orders.map(\.order.currency)) == ["EUR", "USD", "JPY", "GBP"])
    }
}

/// Collects results from concurrent runs.
final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var codes: [Int32] = []
    private(set) var outputs: [String] = []

    func add(_ code: Int32, _ output: String) {
        lock.lock()
        codes.append(code)
        outputs.append(output)
        lock.unlock()
    }
}
