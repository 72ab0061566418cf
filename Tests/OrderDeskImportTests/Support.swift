import Foundation
import OrderDeskCore
import OrderDeskStore

@testable import OrderDeskImport

/// Fixtures and helpers shared by the import tests.
enum Fixture {
    /// `Tests/OrderDeskImportTests/Fixtures`, found from this source file.
    static let directory: String = {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").path
    }()

    static func path(_ name: String) -> String { directory + "/" + name }

    static func text(_ name: String) -> String {
        guard let data = FileManager.default.contents(atPath: path(name)) else {
            fatalError("missing fixture \(name) in \(directory)")
        }
        return String(decoding: data, as: UTF8.self)
    }

    static func bytes(_ name: String) -> [UInt8] {
        [UInt8](FileManager.default.contents(atPath: path(name)) ?? Data())
    }

    /// An order as read, given its ledger the way an import gives it (ids from 1).
    static func ledgered(_ item: ImportedOrder) -> Order {
        var order = item.order
        var next: Int64 = 0
        ShopifyImport.openLedger(&order, item) {
            next += 1
            return next
        }
        return order
    }

    /// The moment the tests import at.
    static let now = Timestamp(iso8601: "2026-05-01T09:00:00Z")!

    /// Reads a fixture, failing loudly when it has problems.
    static func read(_ name: String, format: ShopifyImport.Format? = nil) -> ShopifyImport.Result {
        ShopifyImport.read(text(name), format: format)
    }

    /// The orders of a fixture fitted into `state`.
    static func plan(_ name: String, into state: StoreState = StoreState(), stock: [String: Int]? = nil) -> ImportPlan {
        ShopifyImport.plan(read(name).orders, stock: stock, into: state, source: name, agent: "alice", now: now)
    }

    /// A state after importing fixtures one after the other, as commits would.
    static func state(importing names: [String], into start: StoreState = StoreState()) -> StoreState {
        var state = start
        for name in names {
            let plan = self.plan(name, into: state)
            precondition(plan.problems.isEmpty, "\(plan.problems)")
            if let change = plan.change {
                try! state.apply(Event(seq: state.seq + 1, at: now, agent: "alice", change: .ordersImported(change)))
            }
        }
        return state
    }
}

/// A store directory under the temporary directory, removed at the end of a test.
final class TemporaryDirectory {
    let path: String

    init() {
        path = NSTemporaryDirectory() + "orderdesk-import-\(UUID().uuidString)"
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// The bytes of a file in the directory, or empty.
    func contents(_ name: String) -> [UInt8] {
        [UInt8](FileManager.default.contents(atPath: path + "/" + name) ?? Data())
    }
}
