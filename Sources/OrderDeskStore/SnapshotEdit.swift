import OrderDeskCore

/// What an edit of `snapshot.json` made outside OrderDesk changed, as `orderdesk store accept-edit`
/// shows it before recording it.
///
/// The edit is compared with the snapshot as OrderDesk last wrote it: `snapshot.written.json`, a
/// hard link to each snapshot the store writes (so it costs no space until the snapshot is
/// replaced by an edit), brought forward to the edited snapshot's sequence number with the
/// archived events. When that copy is missing (a store older than it, a file system without hard
/// links) or was changed too (an editor that wrote the file in place), the orders cannot be
/// listed, and ``unlisted`` says why.
public struct SnapshotEdit: Sendable, Equatable {
    /// Orders present before and after whose content differs, by name.
    public var changedOrders: [String] = []
    /// Orders the edit added.
    public var addedOrders: [String] = []
    /// Orders the edit removed.
    public var removedOrders: [String] = []
    /// Other parts that differ: `seq`, `inventory`, `settings`, `feedback`, `outbox`.
    public var parts: [String] = []
    /// Why the changes could not be listed, when they could not.
    public var unlisted: String?
    /// The event that recorded the edit; nil for a dry run.
    public var event: Event?

    public init() {}

    /// Every order the edit touched, by name: changed, added, removed.
    public var orders: [String] { changedOrders + addedOrders + removedOrders }

    /// Compares the snapshot as written (`before`) with the edited one (`after`).
    static func between(_ before: StoreState, _ after: StoreState) -> SnapshotEdit {
        var edit = SnapshotEdit()
        for order in after.orders {
            if let old = before.order(named: order.name) {
                if old != order { edit.changedOrders.append(order.name) }
            } else {
                edit.addedOrders.append(order.name)
            }
        }
        edit.removedOrders = before.orders.map(\.name).filter { after.order(named: $0) == nil }
        if before.seq != after.seq { edit.parts.append("seq") }
        if before.inventory != after.inventory { edit.parts.append("inventory") }
        if before.settings != after.settings { edit.parts.append("settings") }
        if before.feedback != after.feedback { edit.parts.append("feedback") }
        if before.outbox != after.outbox { edit.parts.append("outbox") }
        return edit
    }

    /// The change recording the edit in the journal.
    var change: Change {
        .snapshotEditAccepted(SnapshotEditAccepted(orders: orders, parts: parts, listed: unlisted == nil))
    }
}
