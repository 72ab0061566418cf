import OrderDeskCore

/// Reads `snapshot.json` and checks that it is a store this program can use.
enum SnapshotReader {
    /// Reads and checks the snapshot; nil when there is none.
    static func read(_ layout: StoreLayout, codec: StoreCodec) throws(LoadFailure)
        -> (snapshot: Snapshot, identity: FileIdentity)?
    {
        guard let (bytes, info) = try LoadFailure.wrap({ () throws(SystemError) in
            try POSIX.readFileWithInfo(layout.snapshot)
        }) else { return nil }
        do {
            return (try check(bytes, file: layout.snapshot, codec: codec), FileIdentity(info))
        } catch {
            throw .damage(error)
        }
    }

    /// Decodes a snapshot document and refuses a wrong format, a newer version, a negative
    /// sequence number or an order name used twice.
    static func check(_ bytes: [UInt8], file: String, codec: StoreCodec) throws(StoreDamage) -> Snapshot {
        let current = Snapshot.currentVersion
        guard !bytes.isEmpty else {
            throw StoreDamage(file: file, position: "byte 0", problem: "the file is empty")
        }
        let snapshot: Snapshot
        do {
            snapshot = try codec.decodeSnapshot(bytes)
        } catch {
            // Say "too new" or "not a store" rather than a detail of a format we do not know.
            if let header = codec.decodeHeader(bytes) {
                if let version = header.version, version > current {
                    throw StoreDamage(
                        file: file, position: "field version",
                        problem: "store version \(version) is newer than \(current)", kind: .tooNew(version: version))
                }
                if let format = header.format, format != Snapshot.formatName {
                    throw wrongFormat(format, file: file)
                }
            }
            throw StoreDamage.document(file, error)
        }
        guard snapshot.format == Snapshot.formatName else { throw wrongFormat(snapshot.format, file: file) }
        guard snapshot.version <= current else {
            throw StoreDamage(
                file: file, position: "field version",
                problem: "store version \(snapshot.version) is newer than \(current)",
                kind: .tooNew(version: snapshot.version))
        }
        guard snapshot.version >= 1 else {
            throw StoreDamage(
                file: file, position: "field version", problem: "\(snapshot.version) is not a store version")
        }
        guard snapshot.seq >= 0 else {
            throw StoreDamage(
                file: file, position: "field seq", problem: "the sequence number \(snapshot.seq) is negative")
        }
        var names = Set<String>()
        for (index, order) in snapshot.orders.enumerated() where !names.insert(order.name).inserted {
            throw StoreDamage(
                file: file, position: "field orders[\(index)].name",
                problem: "order \(order.name) appears more than once")
        }
        return snapshot
    }

    private static func wrongFormat(_ format: String, file: String) -> StoreDamage {
        StoreDamage(
            file: file, position: "field format",
            problem: "the format is \"\(format)\", not \"\(Snapshot.formatName)\": this is not an OrderDesk store")
    }
}
