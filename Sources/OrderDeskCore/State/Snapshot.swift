/// The snapshot file's document: the whole state as of `seq`.
public struct Snapshot: Sendable, Codable {
    /// Always `orderdesk-store`.
    public var format: String
    public var version: Int
    public var seq: Int
    public var orders: [Order]
    public var inventory: [String: Int]
    public var feedback: [Feedback]
    public var settings: Settings
    public var outbox: [Notice]

    /// The format name written in every snapshot.
    public static let formatName = "orderdesk-store"
    /// The store version this program writes. Version 2 holds the money as Shopify-shaped
    /// transactions; a version-1 store is upgraded when it is opened (see OrderDeskStore).
    public static let currentVersion = 2

    /// The member names in the store's JSON. Public and `CaseIterable` because the fast codec in
    /// OrderDeskStore is built from them: a key it does not handle is a compile error there.
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case format, version, seq, orders, inventory, feedback, settings, outbox
    }

    public init(_ state: StoreState) {
        format = Snapshot.formatName
        version = Snapshot.currentVersion
        seq = state.seq
        orders = state.orders
        inventory = state.inventory
        feedback = state.feedback
        settings = state.settings
        outbox = state.outbox
    }

    /// The state this snapshot describes.
    public var state: StoreState {
        StoreState(
            seq: seq, orders: orders, inventory: inventory, feedback: feedback, settings: settings,
            outbox: outbox)
    }
}
