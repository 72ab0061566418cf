import OrderDeskCore
import OrderDeskTestSupport
import Testing

/// Applying events: a change is applied to its order where it is, and an event that does not fit
/// is refused with the state left exactly as it was.
@Suite struct ReplayTests {
    static func event(_ change: Change, seq: Int = 1) -> Event {
        Event(seq: seq, at: Fixture.now, agent: "ana", change: change)
    }

    @Test func aCancelIsAppliedToItsOrder() throws {
        var state = Fixture.state()
        try state.apply(Self.event(Fixture.cancelFirst()))
        let order = try #require(state.order(named: "#1001"))
        #expect(order.isCancelled && order.refunds.count == 1 && order.lineItems[0].restocked == 2)
        #expect(state.inventory["TEE-BLK-M"] == 6)
        #expect(order.timeline.last?.message.hasPrefix("Cancelled (customer") == true)
    }

    /// Each check that can refuse a cancel or a refund, the last ones after others passed: the
    /// order, the inventory and the sequence number are as before.
    @Test(arguments: ["restock", "refund", "void"])
    func aRefusedEventChangesNothing(part: String) throws {
        guard case .orderCancelled(var cancel) = Fixture.cancelFirst() else { return }
        switch part {
        case "restock": cancel.restocked.append(RestockLine(lineItemId: 999, sku: "NOPE", quantity: 1))
        case "refund": cancel.refund?.transactions[0].currency = "JPY"
        default: cancel.voids = [Fixture.state().orders[0].transactions[0]]
        }
        var state = Fixture.state()
        let before = Fixture.fingerprint(state)
        #expect(throws: ReplayError.self) { try state.apply(Self.event(.orderCancelled(cancel))) }
        #expect(Fixture.fingerprint(state) == before)

        guard case .orderCancelled(let good) = Fixture.cancelFirst(), var refund = good.refund else { return }
        refund.id = 7101
        let change = RefundChange(
            order: "#1001", refund: refund, restocked: [RestockLine(lineItemId: 999, sku: "NOPE", quantity: 1)], notice: nil)
        #expect(throws: ReplayError.self) { try state.apply(Self.event(.orderRefunded(change))) }
        #expect(Fixture.fingerprint(state) == before)
    }
}
