import Foundation
import OrderDeskCore
import Testing

@testable import OrderDeskImport

/// Every real Shopify file in `Fixtures/real` that is an order export imports into an empty store,
/// and each order's money is what EXPECTED.md (worked out by hand from the file) says: total,
/// subtotal, tax, shipping, discounts, taxes included, captured, refunded, outstanding.
@Suite struct RealFixtureMoneyTests {
    /// One order's row of EXPECTED.md; nil where the file does not say (`n/a`, `—`, `?`).
    struct Expected {
        var file: String
        var order: String
        var total: Money
        var subtotal: Money?
        var tax: Money?
        var taxesIncluded: Bool?
        var shipping: Money?
        var discounts: Money?
        var captured: Money?
        var refunded: Money?
        var outstanding: Money?
    }

    /// Files that are not orders and are refused for it (a refund resource).
    static let notOrders = ["admin-rest-refund-2016-refund-level-restock-ruby-client.json"]

    /// Files whose orders have names with a prefix or suffix (`SBL1069`), checked on their own.
    static let prefixedNames = ["order-bare-2023-name-prefix-without-hash.json"]

    /// The leading amount of a cell (`47.54 (GOOD_FRIENDS)` → 47.54), nil for `n/a`, `—`, `?`.
    static func amount(_ cell: String) -> Money? {
        let word = cell.split(separator: " ").first.map(String.init) ?? ""
        if word == "null" { return .zero }
        return Money(word)
    }

    /// The order tables of EXPECTED.md, by file.
    static let expected: [Expected] = {
        let text = RealFixtureFilesTests.text(RealFixtureFilesTests.expectedName)
        var rows: [Expected] = []
        var file = ""
        var header: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line.hasPrefix("## ") {
                file = String(line.dropFirst(3)).trimmingCharacters(in: .whitespaces)
                header = []
                continue
            }
            guard line.hasPrefix("|") else { continue }
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).dropFirst().dropLast()
                .map { $0.trimmingCharacters(in: .whitespaces) }
            if cells.first == "Order" {
                header = cells
                continue
            }
            guard !header.isEmpty, cells.count == header.count, !(cells.first ?? "").hasPrefix("---") else { continue }
            var row: [String: String] = [:]
            for (k, v) in zip(header, cells) { row[k] = v }
            guard let total = amount(row["Total"] ?? "") else { continue }
            let incl = row["Tax incl."] ?? "?"
            rows.append(
                Expected(
                    file: file, order: row["Order"] ?? "", total: total, subtotal: amount(row["Subtotal"] ?? ""),
                    tax: amount(row["Tax"] ?? ""), taxesIncluded: incl == "yes" ? true : incl == "no" ? false : nil,
                    shipping: amount(row["Shipping"] ?? ""), discounts: amount(row["Discounts"] ?? ""),
                    captured: amount(row["Captured"] ?? ""), refunded: amount(row["Refunded"] ?? ""),
                    outstanding: amount(row["Outstanding"] ?? "")))
        }
        return rows
    }()

    static var orderFiles: [String] {
        RealFixtureFilesTests.fixtureNames.filter { !notOrders.contains($0) && !prefixedNames.contains($0) }
    }

    @Test func expectedHasAnOrderRowForEveryOrderFile() {
        for name in RealFixtureFilesTests.fixtureNames where !Self.notOrders.contains(name) {
            #expect(Self.expected.contains { $0.file == name }, "EXPECTED.md has no order rows for \(name)")
        }
    }

    @Test(arguments: orderFiles) func importsWithTheMoneyTheFileSays(_ name: String) throws {
        let read = Fixture.read("real/" + name)
        #expect(read.problems == [], "\(name)")
        let plan = Fixture.plan("real/" + name)
        #expect(plan.problems == [], "\(name)")
        let rows = Self.expected.filter { $0.file == name }
        #expect(!rows.isEmpty)
        #expect(plan.orders.count == rows.count, "\(name): \(plan.orders.map(\.name))")
        for row in rows {
            guard let o = plan.orders.first(where: { $0.name == row.order }) else {
                Issue.record("\(name): no order \(row.order) among \(plan.orders.map(\.name))")
                continue
            }
            let what = "\(name) \(row.order)"
            #expect(o.totalPrice == row.total, "\(what) total")
            if let v = row.subtotal { #expect(o.subtotalPrice == v, "\(what) subtotal") }
            if let v = row.tax { #expect(o.totalTax == v, "\(what) tax") }
            if let v = row.shipping { #expect(o.totalShippingPrice == v, "\(what) shipping") }
            if let v = row.discounts { #expect(o.totalDiscounts == v, "\(what) discounts") }
            if let v = row.taxesIncluded { #expect(o.taxesIncluded == v, "\(what) taxes included") }
            // A balance below zero (a converted payment a few cents over) is counted as the total
            // paid, as Shopify counts it: nothing is owed back for it.
            if let v = row.captured {
                let rounding = row.outstanding?.isNegative == true
                #expect(o.amountPaid == (rounding ? row.total : v), "\(what) captured")
                if rounding { #expect(o.refundOwed.isZero, "\(what) owes nothing back") }
            }
            if let v = row.refunded { #expect(o.amountRefunded == v, "\(what) refunded") }
            // The ledger owes nothing below zero (a negative balance is rounding in the buyer's favour),
            // and nothing once cancelled.
            if let v = row.outstanding {
                let owed = o.isCancelled || !v.isPositive ? Money.zero : v
                #expect(o.outstanding == owed, "\(what) outstanding")
            }
        }
    }
}

extension RealFixtureMoneyTests {
    /// A shop's names with a prefix import as the shop wrote them, with the money the file says.
    @Test(arguments: prefixedNames) func aPrefixedNameImportsWithItsMoney(_ name: String) throws {
        #expect(Fixture.read("real/" + name).problems == [])
        try importsWithTheMoneyTheFileSays(name)
    }
}
