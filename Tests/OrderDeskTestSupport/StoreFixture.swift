import Foundation
import Glibc
import OrderDeskCore

@_spi(StoreTesting) @testable import OrderDeskStore

/// A fresh temporary directory for one test, removed again by ``remove()``.
public struct TemporaryDirectory {
    public let path: String

    public init() {
        let base = FileManager.default.temporaryDirectory.path
        path = base + "/orderdesk-store-tests-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// The store directory inside it (not created).
    public var store: String { path + "/store" }

    public func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// Hand-built states, changes and file helpers for the store tests.
public enum Fixture {
    public static let now = Timestamp(iso8601: "2026-11-26T17:58:12Z")!

    /// Two orders, some inventory, settings with auto-restock on.
    public static func state(seq: Int = 0) -> StoreState {
        let placed = Timestamp(iso8601: "2026-11-20T10:00:00Z")!
        var first = Order(
            id: 9001, orderNumber: 1001, email: "ana@example.com", createdAt: placed, currency: "EUR",
            customer: Customer(id: 501, email: "ana@example.com", firstName: "Ana", lastName: "Lima"),
            lineItems: [
                LineItem(id: 101, sku: "TEE-BLK-M", title: "Tee", variantTitle: "Black / M", quantity: 2, price: Money("25.00")!),
                LineItem(id: 102, sku: "MUG-WHT", title: "Mug", quantity: 1, price: Money("12.50")!),
            ], shipping: Money("4.90")!, note: "Leave at the door")
        var nextID: Int64 = 8001
        first.openLedger(.paid, nextID: &nextID)
        first.timeline = [TimelineEntry(at: placed, agent: nil, seq: nil, message: "Order placed")]
        var second = Order(
            id: 9002, orderNumber: 1002, email: "bo@example.org", createdAt: placed.adding(seconds: 3600),
            currency: "JPY",
            customer: Customer(id: 502, email: "bo@example.org", firstName: "Bo", lastName: "Ek"),
            lineItems: [LineItem(id: 103, sku: "HOOD-GRY-L", title: "Hoodie", quantity: 1, price: Money("5900")!)])
        second.openLedger(.authorized, nextID: &nextID)
        return StoreState(
            seq: seq, orders: [first, second], inventory: ["TEE-BLK-M": 4, "MUG-WHT": 0, "HOOD-GRY-L": 7],
            settings: Settings(autoRestock: true, defaultRefund: .now))
    }

    public static func autoRestockOff() -> Change {
        .settingChanged(SettingChange(key: "auto-restock", value: "off", previous: "on"))
    }

    public static func autoRestockOn() -> Change {
        .settingChanged(SettingChange(key: "auto-restock", value: "on", previous: "off"))
    }

    public static func defaultRefund(_ mode: String) -> Change {
        .settingChanged(SettingChange(key: "default-refund", value: mode, previous: "now"))
    }

    /// Cancels #1001 with a full refund and both tees back in stock.
    public static func cancelFirst() -> Change {
        let refund = Refund(
            id: 7001, createdAt: now, note: "customer asked",
            transactions: [
                Transaction(
                    id: 7002, kind: .refund, amount: Money("67.40")!, currency: "EUR", gateway: "shopify_payments", parentId: 8001,
                    createdAt: now)
            ])
        return .orderCancelled(
            Cancellation(
                order: "#1001", reason: .customer, note: "changed mind", refundMode: .now, refund: refund, voids: [],
                restocked: [RestockLine(lineItemId: 101, sku: "TEE-BLK-M", quantity: 2)], notice: nil, offer: nil))
    }

    /// Feedback on #1002, an order-level change that is always allowed.
    public static func feedback(_ id: Int64, rating: Int = 5) -> Change {
        .feedbackLogged(
            Feedback(
                id: id, order: "#1002", email: "bo@example.org", rating: rating, text: "Quick reply, thanks",
                agent: "ana", at: now))
    }

    /// A change that names an order that does not exist (replay refuses it).
    public static func cancelMissing() -> Change {
        .orderCancelled(
            Cancellation(
                order: "#9999", reason: .other, note: nil, refundMode: .later, refund: nil, voids: [], restocked: [], notice: nil,
                offer: nil))
    }

    /// Commits each change as its own event.
    @discardableResult
    public static func commit(_ store: some OrderStore, _ changes: [Change], agent: String = "ana") throws -> [Event] {
        var all: [Event] = []
        for change in changes {
            all += try store.commit(agent: agent, now: now) { _ throws(OrderDeskError) in [change] }
        }
        return all
    }

    /// A deterministic fingerprint of a state: its snapshot document with sorted keys.
    public static func fingerprint(_ state: StoreState) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try! encoder.encode(Snapshot(state))
    }

    public static func bytes(_ path: String) -> [UInt8]? {
        FileManager.default.contents(atPath: path).map { [UInt8]($0) }
    }

    public static func write(_ path: String, _ bytes: [UInt8]) {
        try! Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    public static func append(_ path: String, _ bytes: [UInt8]) {
        let handle = FileHandle(forWritingAtPath: path)!
        handle.seekToEndOfFile()
        handle.write(Data(bytes))
        try! handle.close()
    }

    /// A file's CRC-32 and size, to show it was not touched.
    public static func digest(_ path: String) -> String? {
        bytes(path).map { "\($0.count):\(CRC32.hex(CRC32.checksum($0)))" }
    }

    /// Every file under a directory with its digest, to show nothing at all was written.
    public static func tree(_ path: String, excluding: Set<String> = []) -> [String: String] {
        var result: [String: String] = [:]
        guard let names = FileManager.default.subpaths(atPath: path) else { return result }
        for name in names where !excluding.contains(where: { name.hasPrefix($0) }) {
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: path + "/" + name, isDirectory: &isDirectory)
            result[name] = isDirectory.boolValue ? "dir" : digest(path + "/" + name)
        }
        return result
    }

    public static func lines(_ path: String) -> [String] {
        String(decoding: bytes(path) ?? [], as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            .map(String.init)
    }

    public static func mode(_ path: String) -> mode_t? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return info.st_mode & 0o777
    }

    public static func linkCount(_ path: String) -> Int {
        var info = stat()
        guard stat(path, &info) == 0 else { return -1 }
        return Int(info.st_nlink)
    }

    public static func files(_ path: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted()
    }

    /// The journal line the store would write for an event.
    public static func line(_ event: Event) -> [UInt8] {
        try! StoreCodec().journalLine(event)
    }
}
