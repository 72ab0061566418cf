import Foundation
import OrderDeskCore
import OrderDeskImport
import OrderDeskStore
import Testing

@testable import OrderDeskShell

/// A generated export in Shopify's full 79-column layout, for size and speed.
enum LargeImport {
    static let header =
        "Name,Email,Financial Status,Paid at,Fulfillment Status,Fulfilled at,Accepts Marketing,Currency,Subtotal,Shipping,Taxes,Total,Discount Code,Discount Amount,Shipping Method,Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem compare at price,Lineitem sku,Lineitem requires shipping,Lineitem taxable,Lineitem fulfillment status,Billing Name,Billing Street,Billing Address1,Billing Address2,Billing Company,Billing City,Billing Zip,Billing Province,Billing Country,Billing Phone,Shipping Name,Shipping Street,Shipping Address1,Shipping Address2,Shipping Company,Shipping City,Shipping Zip,Shipping Province,Shipping Country,Shipping Phone,Notes,Note Attributes,Cancelled at,Payment Method,Payment Reference,Refunded Amount,Vendor,Outstanding Balance,Employee,Location,Device ID,Id,Tags,Risk Level,Source,Lineitem discount,Tax 1 Name,Tax 1 Value,Tax 2 Name,Tax 2 Value,Tax 3 Name,Tax 3 Value,Tax 4 Name,Tax 4 Value,Tax 5 Name,Tax 5 Value,Phone,Receipt Number,Duties,Billing Province Name,Shipping Province Name,Payment ID,Payment Terms Name,Next Payment Due At,Payment References"

    /// `orders` orders of two line items each (the second on a continuation row), in four
    /// currencies, every seventh without a SKU on its second line, every fifth with a
    /// multi-line note, every eleventh cancelled and refunded.
    static func csv(orders: Int) -> String {
        let width = header.split(separator: ",").count
        var out = header + "\n"
        out.reserveCapacity(orders * 700)
        let currencies = [
            ("EUR", "19.50", "5.25", "44.25"), ("USD", "24.00", "6.00", "54.00"), ("JPY", "1600", "400", "3600"),
            ("GBP", "15.00", "4.00", "34.00"),
        ]
        for i in 0..<orders {
            let (currency, price, second, total) = currencies[i % 4]
            var row = Array(repeating: "", count: width)
            let day = 1 + i % 28
            let created = "2026-03-\(day < 10 ? "0" : "")\(day) \(10 + i % 12):\(10 + i % 50):0\(i % 10) +0200"
            let cancelled = i % 11 == 3
            row[0] = "#\(10_000 + i)"
            row[1] = "customer\(i % 5000)@example.com"
            row[2] = cancelled ? "refunded" : "paid"
            row[3] = created
            row[4] = "unfulfilled"
            row[7] = currency
            row[8] = total
            row[9] = "0.00"
            row[11] = total
            row[13] = "0"
            row[15] = created
            row[16] = "2"
            row[17] = "Ceramic Mug - White"
            row[18] = price
            row[20] = "MUG-\(i % 400)"
            row[21] = "true"
            row[22] = "true"
            row[23] = "pending"
            row[24] = "Customer \(i % 5000) Example"
            row[26] = "\(i % 300) Main Street"
            row[29] = "Springfield"
            row[34] = row[24]
            row[36] = row[26]
            row[39] = "Springfield"
            row[40] = "\(10_000 + i % 89_999)"
            row[42] = "US"
            row[44] = i % 5 == 0 ? "\"Leave at the door,\nring twice\"" : ""
            row[46] = cancelled ? "2026-03-29 10:00:00 +0200" : ""
            row[47] = "Shopify Payments"
            row[49] = cancelled ? total : "0.00"
            row[51] = "0.00"
            row[55] = String(7_000_000_000_000 + Int64(i))
            row[56] = i % 3 == 0 ? "\"vip, repeat\"" : ""
            row[58] = "web"
            out += row.joined(separator: ",") + "\n"
            var next = Array(repeating: "", count: width)
            next[0] = row[0]
            next[16] = "1"
            next[17] = "Linen Tea Towel"
            next[18] = second
            next[20] = i % 7 == 0 ? "" : "TOWEL-\(i % 300)"
            next[23] = "pending"
            out += next.joined(separator: ",") + "\n"
        }
        return out
    }
}

@Suite struct LargeImportTests {
    /// 2,000 orders here; set ORDERDESK_IMPORT_ORDERS=100000 to measure a large file.
    @Test func aLargeFileImportsInOneDurableStep() throws {
        let count = ProcessInfo.processInfo.environment["ORDERDESK_IMPORT_ORDERS"].flatMap { Int($0) } ?? 2_000
        let dir = TemporaryDirectory()
        _ = try FileStore.create(at: dir.path, state: StoreState())
        let file = dir.path + "-orders.csv"
        defer { try? FileManager.default.removeItem(atPath: file) }
        let clock = ContinuousClock()
        var text = ""
        let generated = clock.measure { text = LargeImport.csv(orders: count) }
        try text.write(toFile: file, atomically: true, encoding: .utf8)

        var read: ShopifyImport.Result?
        let parsing = clock.measure { read = ShopifyImport.read(bytes: Array(text.utf8)) }
        #expect(read?.problems == [])
        #expect(read?.orders.count == count)

        let console = RecordingConsole()
        var code: Int32 = -1
        let importing = clock.measure {
            code = Program.importOrders(
                ImportRequest(file: file), ProgramOptions(storePath: dir.path, agent: "alice"), console: console,
                progress: false)
        }
        #expect(code == 0)
        #expect(
            console.output.hasSuffix(
                "imported \(count) orders, skipped 0 duplicates, 700 new SKUs at stock 0 (MUG-0, MUG-1, MUG-10, MUG-100, MUG-101, MUG-102, MUG-103, MUG-104, MUG-105, MUG-106, and 690 more)\n"
            ) || count < 400)
        let journal = dir.contents("journal.jsonl")
        #expect(journal.filter { $0 == 0x0A }.count == 1)  // one event, one line

        var reopened: FileStore?
        let opening = clock.measure { reopened = try? FileStore.open(at: dir.path) }
        #expect(reopened?.state.orders.count == count)
        #expect(reopened?.state.seq == 1)

        var again: Int32 = -1
        let reimporting = clock.measure {
            again = Program.importOrders(
                ImportRequest(file: file), ProgramOptions(storePath: dir.path, agent: "alice"),
                console: RecordingConsole(), progress: false)
        }
        #expect(again == 0)
        #expect(dir.contents("journal.jsonl") == journal)

        var exported = ""
        let exporting = clock.measure { exported = ShopifyCSV.export(reopened?.state.orders ?? []) }
        #expect(exported.count > text.count / 4)

        print(
            """
            import of \(count) orders (\(text.utf8.count / 1024) KiB CSV, journal line \(journal.count / 1024) KiB): \
            generate \(generated), parse \(parsing), import command \(importing), reopen \(opening), \
            re-import \(reimporting), export \(exporting)
            """)
    }
}
