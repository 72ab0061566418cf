import CSV
import Foundation
import OrderDeskCore
import OrderDeskPractice
import OrderDeskShell
import OrderDeskStore
import Testing

@testable import OrderDeskImport

/// `orders --csv` is safe to open in a spreadsheet: text cells that would start a formula are
/// neutralised with a leading `'` (OWASP's advice on CSV injection), the amounts OrderDesk
/// writes are not, and an export imported again gives back the text as it was.
@Suite struct CSVExportSafetyTests {
    /// Text cells a spreadsheet would run: every formula start, and the quote itself.
    static let formulas = [
        "=HYPERLINK(\"https://evil.example\",\"Click\")", "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)", "\tTabbed",
        "\rReturned", "'tis the season", "''", "'=already quoted",
    ]

    /// The sample orders with a formula in every text field of #1001.
    static func orders() -> [Order] {
        var orders = TrainingStore.make().orders
        var o = orders[0]
        o.customer.firstName = formulas[0]
        o.customer.lastName = ""
        o.email = formulas[3]
        o.note = formulas[1]
        o.tags = formulas[2]
        o.lineItems[0].sku = formulas[0]
        o.lineItems[0].title = formulas[4]
        o.lineItems[0].variantTitle = nil
        o.lineItems[1].title = formulas[6]
        o.lineItems[1].variantTitle = nil
        o.lineItems[1].sku = formulas[8]
        o.shippingAddress = Address(name: formulas[5], address1: formulas[6], city: "-Lyon", zip: "-0213", country: "@FR")
        orders[0] = o
        return orders
    }

    /// The export, written to a file and read back with CSV.swift's reader, as a spreadsheet would.
    static func readBack(_ text: String) throws -> (header: [String], rows: [[String]]) {
        let path = NSTemporaryDirectory() + "orderdesk-export-" + UUID().uuidString + ".csv"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let stream = try #require(InputStream(fileAtPath: path))
        let reader = try CSVReader(stream: stream, hasHeaderRow: true)
        var rows: [[String]] = []
        while let row = reader.next() { rows.append(row) }
        return (reader.headerRow ?? [], rows)
    }

    @Test func noTextCellStartsAFormula() throws {
        let (header, rows) = try Self.readBack(ShopifyCSV.export(Self.orders()))
        #expect(header == ShopifyCSV.columns)
        let starts: Set<Character> = ["=", "+", "-", "@", "\t", "\r"]
        for row in rows {
            for (i, cell) in row.enumerated() {
                guard let first = cell.first else { continue }
                #expect(!starts.contains(first), "\(header[i]) = \(cell.debugDescription) would run as a formula")
            }
        }
        let first = try #require(rows.first)
        func cell(_ column: String, _ row: [String] = first) -> String { row[header.firstIndex(of: column)!] }
        #expect(cell(Column.billingName) == "'" + Self.formulas[0])
        #expect(cell(Column.email) == "'@SUM(A1:A9)")
        #expect(cell(Column.notes) == "'+1+cmd|' /C calc'!A0")
        #expect(cell(Column.tags) == "'-2+3")
        #expect(cell(Column.lineSKU) == "'" + Self.formulas[0])
        #expect(cell(Column.lineName) == "'\tTabbed")
        #expect(cell(Column.shippingName) == "'\rReturned")
        #expect(cell(Column.shippingCity) == "'-Lyon")
        #expect(cell(Column.shippingZip) == "'-0213")
        #expect(cell(Column.shippingCountry) == "'@FR")
        // A text that starts with a quote gets one more, so that the import can tell them apart.
        #expect(cell(Column.shippingAddress1) == "''tis the season")
        #expect(cell(Column.lineName, rows[1]) == "''tis the season")
        #expect(cell(Column.lineSKU, rows[1]) == "''=already quoted")
        // Amounts, times and ids are OrderDesk's own: never quoted.
        let o = Self.orders()[0]
        #expect(cell(Column.total) == o.totalPrice.formatted(decimals: 2) && cell(Column.linePrice) == "25.00")
        #expect(cell(Column.createdAt).first?.isNumber == true && cell(Column.id).allSatisfy(\.isNumber))
    }

    /// Export → import gives every text back as it was, the quotes taken off again.
    @Test func anExportImportedAgainKeepsTheText() throws {
        let orders = Self.orders()
        let read = ShopifyImport.read(bytes: Array(ShopifyCSV.export(orders).utf8), format: .csv)
        #expect(read.problems.isEmpty, "\(read.problems)")
        let back = try #require(read.orders.first { $0.order.name == "#1001" }).order
        let o = orders[0]
        #expect(back.customer.fullName == o.customer.fullName)
        #expect(back.email == o.email && back.note == o.note && back.tags == o.tags)
        #expect(back.lineItems.map(\.sku) == o.lineItems.map(\.sku))
        #expect(back.lineItems.map(\.title) == o.lineItems.map(\.title))
        #expect(back.shippingAddress?.name == "\rReturned")
        #expect(back.shippingAddress?.address1 == "'tis the season" && back.shippingAddress?.city == "-Lyon")
        #expect(back.shippingAddress?.zip == "-0213" && back.shippingAddress?.country == "@FR")
    }

    /// The import reads Shopify's own quoted zip codes (`'02134`) without the quote, and leaves a
    /// text that merely begins with a quote as it is.
    @Test func shopifysQuotesAreReadAsShopifyMeansThem() {
        #expect(CSVCell.restoredZip("'02134") == "02134")
        #expect(CSVCell.restored("'tis") == "'tis")
        #expect(CSVCell.restored("'=1+1") == "=1+1" && CSVCell.restored("''x") == "'x")
        for text in Self.formulas + ["", "plain", "'", "-5.00"] {
            #expect(CSVCell.restored(CSVCell.neutralised(text)) == text, "\(text.debugDescription)")
        }
    }

    /// `orders --csv` in the shell writes the neutralised export.
    @Test func ordersCSVInTheShellIsNeutralised() throws {
        let state = StoreState(orders: Self.orders(), inventory: TrainingStore.make().inventory)
        let session = Session(
            store: MemoryStore(state: state), console: RecordingConsole(), agent: "alice", clock: { TrainingStore.now },
            utcOffset: 0, style: .plain)
        let result = session.execute("orders --csv", interactive: false)
        #expect(result.error == nil)
        let (header, rows) = try Self.readBack(result.output ?? "")
        let row = try #require(rows.first { $0.first == "#1001" })
        #expect(row[header.firstIndex(of: Column.billingName)!] == "'" + Self.formulas[0])
    }
}
