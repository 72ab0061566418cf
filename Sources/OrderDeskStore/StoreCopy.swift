import Foundation
import Glibc
import OrderDeskCore

/// Opening a store by its address, and `orderdesk store copy FROM TO` between the two kinds.
public enum StoreCopy {
    /// Opens the store at `location`: a `postgres://` address or a directory.
    public static func open(_ location: String, cacheDirectory: String?) throws(OrderDeskError) -> any OrderStore {
        if let address = try ServerAddress(location) {
            return try PostgresStore.open(address, cacheDirectory: cacheDirectory)
        }
        return try FileStore.open(at: location)
    }

    /// What a copy did.
    public struct Summary: Sendable {
        public var from: String
        public var to: String
        public var orders: Int
        public var events: Int
        public var seq: Int
    }

    /// Copies the store at `from` into `to`, which must hold no store (an empty or new directory,
    /// or a schema without one), all or nothing; then opens both afresh and checks that they give
    /// the same state (orders with their ledgers, inventory, feedback, settings, outbox, sequence
    /// number) and the same audit log. When they do not, the copy is removed again.
    public static func copy(from: String, to: String) throws(OrderDeskError) -> Summary {
        let source = try open(from, cacheDirectory: nil)
        let state = source.state
        let events = try source.auditLog()
        let target: String
        if let address = try ServerAddress(to) {
            target = try PostgresStore.create(address, state: state, events: events).location
        } else {
            try copyToDirectory(to, state: state, events: events)
            target = to
        }
        do throws(OrderDeskError) {
            let copied = try open(to, cacheDirectory: nil)
            let again = try open(from, cacheDirectory: nil)
            let codec = StoreCodec()
            let sameState = (try? codec.encodeSnapshot(copied.state)) == (try? codec.encodeSnapshot(again.state))
            let copiedLog = try copied.auditLog()
            let sourceLog = try again.auditLog()
            guard sameState && copiedLog == sourceLog else {
                throw OrderDeskError.storeIO(
                    path: target, operation: "copy the store to",
                    reason:
                        "the copy does not give the same state and audit log as \(source.location) (the source changed during the copy?)")
            }
        } catch {
            remove(to)
            throw error
        }
        return Summary(from: source.location, to: target, orders: state.orders.count, events: events.count, seq: state.seq)
    }

    /// A file store holding `state`, with `events` archived as its audit log: made in a new
    /// directory beside `path`, then renamed into place.
    static func copyToDirectory(_ path: String, state: StoreState, events: [Event]) throws(OrderDeskError) {
        var isDirectory: ObjCBool = false
        let manager = FileManager.default
        if manager.fileExists(atPath: path, isDirectory: &isDirectory) {
            let entries = (try? manager.contentsOfDirectory(atPath: path)) ?? ["?"]
            guard isDirectory.boolValue, entries.isEmpty else { throw .storeExists(path: path) }
        }
        let temporary = path + ".copying-\(getpid())"
        try? manager.removeItem(atPath: temporary)
        do throws(OrderDeskError) {
            _ = try FileStore.create(at: temporary, state: state)
            let layout = StoreLayout(temporary)
            if let first = events.first, let last = events.last {
                let codec = StoreCodec()
                var bytes: [UInt8] = []
                for event in events {
                    do { bytes += try codec.journalLine(event) } catch {
                        throw OrderDeskError.storeIO(path: temporary, operation: "write the audit log of", reason: error.problem)
                    }
                }
                try FileStore.io { () throws(SystemError) in
                    _ = try POSIX.makeDirectory(layout.archive)
                    try POSIX.createDurably(layout.archiveFile(first: first.seq, last: last.seq), bytes)
                    try POSIX.fsyncDirectory(layout.archive)
                }
            }
            try FileStore.io { () throws(SystemError) in
                if try POSIX.status(path) != nil { _ = rmdir(path) }
                try POSIX.rename(temporary, to: path)
            }
        } catch {
            try? manager.removeItem(atPath: temporary)
            throw error
        }
    }

    /// Removes a copy that failed its check.
    static func remove(_ location: String) {
        if let address = try? ServerAddress(location), let connection = try? PostgresStore.connect(address) {
            _ = try? connection.execute("DROP SCHEMA \(address.schema) CASCADE")
        } else if ServerAddress.isServer(location) == false {
            try? FileManager.default.removeItem(atPath: location)
        }
    }
}
