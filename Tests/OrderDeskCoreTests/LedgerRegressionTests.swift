import OrderDeskTestSupport
import Testing

@testable import OrderDeskCore

/// Bugs the ledger property tests (``LedgerPropertyTests``) found, each pinned by the smallest
/// sequence of commands that shows it.
@Suite struct LedgerRegressionTests {
    /// One unfulfilled order #1001: 2 × TEE at 25.00 and 1 × MUG at 12.50, 4.90 shipping (67.40 EUR).
    static func store(_ status: FinancialStatus = .paid) -> StoreState {
        var o = Order(
            id: 1, orderNumber: 1001, email: "ann@example.com", createdAt: Timestamp(seconds: 1_700_000_000), currency: "EUR",
            customer: Customer(id: 2, email: "ann@example.com", firstName: "Ann", lastName: "Berg"),
            lineItems: [
                LineItem(id: 3, sku: "TEE", title: "Tee", quantity: 2, price: Money("25.00")!),
                LineItem(id: 4, sku: "MUG", title: "Mug", quantity: 1, price: Money("12.50")!),
            ], shipping: Money("4.90")!)
        var nextID: Int64 = 10
        o.openLedger(status, nextID: &nextID)
        return StoreState(orders: [o], inventory: ["TEE": 10, "MUG": 1])
    }

    /// Was: a cancel that restocks put back every unfulfilled unit not yet restocked, so a unit an
    /// earlier `return --no-restock` had taken off the order (and kept out of stock) went back to
    /// stock with the cancel. Now the cancel restocks only the units still on the order; the
    /// removed one can still be restocked by hand.
    @Test func aCancelDoesNotRestockUnitsAReturnTookOffWithoutRestocking() throws {
        var desk = Desktop(Self.store())
        try desk.run("return #1001 MUG=1 --no-restock --no-notify --yes")
        #expect(desk.state.inventory["MUG"] == 1)
        try desk.run("cancel #1001 --reason customer --restock --no-notify --yes")
        #expect(desk.state.inventory["MUG"] == 1, "the returned mug stays out of stock")
        #expect(desk.state.inventory["TEE"] == 12)
        #expect(desk.order("#1001").lineItems.map(\.restocked) == [2, 0])
        try desk.run("restock #1001 MUG")
        #expect(desk.state.inventory["MUG"] == 2)
        #expect(LedgerAudit.findings(in: desk.state).isEmpty)
    }
}
