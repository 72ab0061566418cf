import Foundation
import OrderDeskCore
import OrderDeskImport
import OrderDeskStore

/// What `orderdesk import` was asked to do.
public struct ImportRequest: Sendable {
    /// The orders export: Shopify's orders CSV or Admin API JSON.
    public var file: String
    /// `shopify-csv` or `shopify-json`; nil to tell from the content.
    public var format: String?
    /// Shopify's inventory export, for the levels of SKUs new to the store.
    public var stockFile: String?
    /// Report what would be imported; write nothing.
    public var dryRun: Bool

    /// The values `--format` takes.
    public static let formats = ShopifyImport.Format.allCases.map(\.rawValue)

    public init(file: String, format: String? = nil, stockFile: String? = nil, dryRun: Bool = false) {
        self.file = file
        self.format = format
        self.stockFile = stockFile
        self.dryRun = dryRun
    }
}

extension Program {
    /// `orderdesk import FILE [--format F] [--stock FILE] [--dry-run]`: Shopify orders in, all or nothing.
    ///
    /// 1. Reads the whole file (and the stock file) before touching the store. Any problem in
    ///    either: every problem is listed with its CSV line or JSON path, nothing is imported,
    ///    exit 1.
    /// 2. Fits the orders into the store's current state inside one commit, under the store's
    ///    exclusive lock (duplicates skipped, ids given, stock for new SKUs), and writes them as
    ///    one journal event: one durable step, whatever the number of orders. An order that
    ///    clashes with the store's (same name, another order) refuses the whole file.
    /// 3. Prints `FILE: imported N orders, skipped M duplicates, K new SKUs at stock 0 (...)`.
    ///
    /// With `dryRun`, step 2 is worked out against the current state and reported, and nothing
    /// is written. A progress line goes to stderr when it is a terminal (`progress` overrides).
    public static func importOrders(
        _ request: ImportRequest, _ options: ProgramOptions, console: any Console = StandardConsole(), progress: Bool? = nil
    ) -> Int32 {
        var format: ShopifyImport.Format?
        if let name = request.format {
            guard let f = ShopifyImport.Format(rawValue: name) else {
                Presenter(console: console, style: .plain).error(
                    "--format must be \(ImportRequest.formats.joined(separator: " or ")), not '\(Sanitizer.excerpt(name))'")
                return 2
            }
            format = f
        }
        let showProgress = progress ?? (isatty(2) == 1)
        // Every line below that quotes the file's name or content goes through the sanitizer:
        // the name as `file`, problems through `ImportProblem.text`, SKUs through `summary`.
        let file = Sanitizer.clean(request.file)
        let status = ProgressLine(enabled: showProgress)

        // 1. Read everything first: a bad file never touches the store.
        let bytes: [UInt8]
        do { bytes = try readFile(request.file) } catch {
            Presenter(console: console, style: .plain).error(
                OrderDeskError.fileUnreadable(path: request.file, reason: Session.reason(error)))
            return 1
        }
        status.show("Reading \(file)…")
        let read = ShopifyImport.read(bytes: bytes, format: format) { count in
            status.show("Reading \(file): \(count) orders…")
        }
        var problems = read.problems.map { $0.text(file: request.file) }
        var stock: [String: Int]?
        if let stockFile = request.stockFile {
            do {
                let result = ShopifyStock.read(bytes: try readFile(stockFile))
                stock = result.levels
                problems += result.problems.map { $0.text(file: stockFile) }
            } catch {
                status.clear()
                Presenter(console: console, style: .plain).error(
                    OrderDeskError.fileUnreadable(path: stockFile, reason: Session.reason(error)))
                return 1
            }
        }
        status.clear()
        if !problems.isEmpty { return refuse(problems, request, console: console) }

        // 2. Fit the orders into the store's current state, in one commit.
        let store: any OrderStore
        do { store = try openStore(options, console: console) } catch {
            Presenter(console: console, style: .plain).error(error)
            return error.exitCode
        }
        for warning in store.warnings { console.err("note: " + warning) }
        let source = URL(fileURLWithPath: request.file).lastPathComponent
        let agent = Environment.agent(options)
        let now = Clock.now()
        if request.dryRun {
            let plan = ShopifyImport.plan(
                read.orders, stock: stock, into: store.state, source: source, agent: agent, now: now)
            if !plan.problems.isEmpty { return refuse(plan.problems.map { $0.text(file: request.file) }, request, console: console) }
            console.out("\(file): " + Sanitizer.clean(plan.summary(dryRun: true)))
            printWarnings(plan, request, console: console)
            console.err("dry run: nothing was written to the store")
            return 0
        }
        var plan: ImportPlan?
        status.show("Saving \(read.orders.count) orders to \(Sanitizer.clean(store.location))…")
        do {
            _ = try store.commit(agent: agent, now: now) { state throws(OrderDeskError) in
                let decided = ShopifyImport.plan(read.orders, stock: stock, into: state, source: source, agent: agent, now: now)
                plan = decided
                guard decided.problems.isEmpty else { return [] }
                return decided.changes
            }
        } catch {
            status.clear()
            Presenter(console: console, style: .plain).error(error)
            return error.exitCode
        }
        status.clear()
        guard let plan else { return 1 }
        if !plan.problems.isEmpty { return refuse(plan.problems.map { $0.text(file: request.file) }, request, console: console) }

        // 3. Say what happened.
        console.out("\(file): " + Sanitizer.clean(plan.summary()))
        printWarnings(plan, request, console: console)
        return 0
    }

    /// The plan's conflicts and warnings, after the summary: `orders.csv:7: warning: Refunded Amount ...`.
    static func printWarnings(_ plan: ImportPlan, _ request: ImportRequest, console: any Console) {
        for line in afterSummary(plan, file: request.file) { console.out(line) }
    }

    /// The lines printed after an import's summary: each conflict (`orders.json: orders[2]:
    /// conflict: order #1003: ...`), then each warning, with its row or JSON path.
    public static func afterSummary(_ plan: ImportPlan, file: String) -> [String] {
        plan.conflicts.map { conflict in
            var line = conflict
            line.message = "conflict: " + conflict.message
            return line.text(file: file)
        }
            + plan.warnings.map { warning in
                var line = warning
                line.message = "warning: " + warning.message
                return line.text(file: file)
            }
    }

    /// Lists every problem, then says that nothing was imported. Exit code 1.
    static func refuse(_ problems: [String], _ request: ImportRequest, console: any Console) -> Int32 {
        for problem in problems { console.err(Sanitizer.clean(problem)) }
        let count = problems.count == 1 ? "the problem" : "the \(problems.count) problems"
        Presenter(console: console, style: .plain).error(
            "nothing was imported from \(Sanitizer.clean(request.file)); put right \(count) above and import it again")
        return 1
    }

    /// A file's bytes; pipes and `/dev/stdin` work too.
    static func readFile(_ path: String) throws -> [UInt8] {
        let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        return [UInt8](try handle.readToEnd() ?? Data())
    }
}

/// One line on a terminal's stderr, rewritten in place; silent when not enabled.
final class ProgressLine {
    let enabled: Bool
    private var shown = false

    init(enabled: Bool) { self.enabled = enabled }

    func show(_ text: String) {
        guard enabled else { return }
        StandardConsole.write(2, "\r\u{1B}[K" + text)
        shown = true
    }

    func clear() {
        guard enabled, shown else { return }
        StandardConsole.write(2, "\r\u{1B}[K")
        shown = false
    }
}

extension Context {
    /// This context with `orders --csv` writing Shopify's orders export, times at the
    /// context's UTC offset (as Shopify writes them in the shop's time zone).
    func withShopifyCSV() -> Context {
        var context = self
        let offset = utcOffset
        context.ordersCSV = { orders in
            var text = ShopifyCSV.export(orders, utcOffset: offset)
            if text.hasSuffix("\n") { text.removeLast() }
            return text
        }
        return context
    }
}
