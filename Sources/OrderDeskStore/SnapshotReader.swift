import OrderDeskCore

/// Reads `snapshot.json` and checks that it is a store this program can use.
///
/// A snapshot carries a checksum, as every journal line does: JSON alone cannot tell a flipped
/// bit in a price, a count or a name from the real thing. So that the document stays exactly the
/// documented JSON (same keys, readable by `jq` and any JSON parser), the checksum is written as
/// JSON whitespace after it: the document and its newline, then 32 spaces and tabs giving the
/// CRC-32 of those bytes bit by bit (most significant first, tab = 1), then a newline.
///
/// Every snapshot this program writes has the trailer, and a store's snapshot must have it: one
/// without it (rewritten by a tool such as `jq`, or written by the OrderDesk of before 2026-11-26
/// that had no checksum) or with one that does not match (edited with `sed`, or damaged) is
/// refused as ``StoreDamage/Kind/edited``, which `orderdesk store accept-edit` resolves after the
/// agent checked it. ``check(_:file:codec:requireSeal:)`` without `requireSeal` reads a document
/// alone (tests, fuzzing, `accept-edit` reading the edit).
enum SnapshotReader {
    /// 32 bits plus the newline that ends the file.
    static let trailerLength = 33

    /// Appends the checksum trailer to an encoded snapshot document.
    static func seal(_ encoded: consuming [UInt8]) -> [UInt8] {
        var bytes = consume encoded  // no copy of a whole snapshot: appended to in place
        if bytes.last != 0x0A { bytes.append(0x0A) }
        let crc = CRC32.checksum(bytes)
        for bit in (0..<32).reversed() {
            bytes.append((crc >> UInt32(bit)) & 1 == 1 ? 0x09 : 0x20)
        }
        bytes.append(0x0A)
        return bytes
    }

    /// The checksum a sealed file carries, and where its trailer starts.
    struct Seal {
        var offset: Int
        var crc: UInt32
    }

    /// Splits a snapshot file into the document (with its newline) and the checksum trailer,
    /// when the file ends with one: a newline, 32 spaces or tabs, a newline.
    ///
    /// Throws when the file ends in a trailer's worth of white space that is not a well-formed
    /// trailer (a damaged one: a tab turned into a carriage return is still valid JSON).
    static func unseal(_ bytes: [UInt8], file: String) throws(StoreDamage) -> (document: ArraySlice<UInt8>, seal: Seal?) {
        let n = bytes.count
        guard n > trailerLength + 1 else { return (bytes[...], nil) }
        let tail = bytes[(n - trailerLength - 1)..<n]
        guard tail.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) else { return (bytes[...], nil) }
        let bits = bytes[(n - trailerLength)..<(n - 1)]
        guard bytes[n - 1] == 0x0A, bytes[n - trailerLength - 1] == 0x0A, bits.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) else {
            throw StoreDamage(
                file: file, position: "byte \(n - trailerLength - 1)",
                problem: "the checksum after the document is damaged (it must be a newline, 32 spaces or tabs, and a newline)")
        }
        let crc = bits.reduce(UInt32(0)) { $0 << 1 | ($1 == 0x09 ? 1 : 0) }
        // A slice, not a copy: the document may be a gigabyte.
        return (bytes[0..<(n - trailerLength)], Seal(offset: n - trailerLength, crc: crc))
    }

    /// Checks the trailer's checksum against the document it was split from.
    /// `computed` is the document's checksum when already worked out.
    static func checkSeal(_ seal: Seal, document: ArraySlice<UInt8>, file: String, computed: UInt32? = nil) throws(StoreDamage) {
        let actual = computed ?? CRC32.checksum(document)
        guard actual == seal.crc else {
            throw StoreDamage(
                file: file, position: "byte \(seal.offset)",
                problem:
                    "bad checksum: the checksum after the document says \(CRC32.hex(seal.crc)) but the content gives \(CRC32.hex(actual)); the file was changed or damaged after it was written",
                kind: .edited)
        }
    }

    /// Reads and checks the snapshot; nil when there is none.
    static func read(_ layout: StoreLayout, codec: StoreCodec) throws(LoadFailure)
        -> (snapshot: Snapshot, identity: FileIdentity)?
    {
        guard
            let (bytes, info) = try LoadFailure.wrap({ () throws(SystemError) in
                try POSIX.readFileWithInfo(layout.snapshot)
            })
        else { return nil }
        do {
            return (try check(bytes, file: layout.snapshot, codec: codec, requireSeal: true), FileIdentity(info))
        } catch {
            throw .damage(error)
        }
    }

    /// Decodes a snapshot document and refuses a wrong format, a newer version, a negative
    /// sequence number, an order name used twice or a checksum that does not match; with
    /// `requireSeal` (a store's snapshot), also a document without its checksum trailer.
    static func check(_ bytes: [UInt8], file: String, codec: StoreCodec, requireSeal: Bool = false) throws(StoreDamage)
        -> Snapshot
    {
        let current = Snapshot.currentVersion
        guard !bytes.isEmpty else {
            throw StoreDamage(file: file, position: "byte 0", problem: "the file is empty")
        }
        let (document, seal) = try unseal(bytes, file: file)
        // Worked out on another core while the document is decoded.
        let checksum = seal.map { _ in CRC32.Pending(document) }
        let snapshot: Snapshot
        do {
            snapshot = try codec.decodeSnapshot(document)
        } catch {
            // Say "too new" or "not a store" rather than a detail of a format we do not know.
            if let header = codec.decodeHeader(document) {
                if let version = header.version, version > current {
                    throw StoreDamage(
                        file: file, position: "field version",
                        problem: "store version \(version) is newer than \(current)", kind: .tooNew(version: version))
                }
                if let version = header.version, version >= 1, version < current, header.format == Snapshot.formatName {
                    throw older(version, file: file)
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
        // A store of an older version whose document happens to decode (say, one without orders).
        guard snapshot.version >= current else { throw older(snapshot.version, file: file) }
        guard snapshot.seq >= 0 else {
            throw StoreDamage(
                file: file, position: "field seq", problem: "the sequence number \(snapshot.seq) is negative")
        }
        var names = Set<String>(minimumCapacity: snapshot.orders.count)
        for index in snapshot.orders.indices where !names.insert(snapshot.orders[index].name).inserted {
            throw StoreDamage(
                file: file, position: "field orders[\(index)].name",
                problem: "order \(snapshot.orders[index].name) appears more than once")
        }
        // Last, so that a newer or foreign file is named as such, and a field that does not decode
        // is named precisely, before the plain "it was changed".
        if let seal {
            try checkSeal(seal, document: document, file: file, computed: checksum?.value)
        } else if requireSeal {
            throw StoreDamage(
                file: file, position: "byte \(bytes.count)",
                problem:
                    "the file ends without OrderDesk's checksum (the line of spaces and tabs after the document), so it was rewritten by another program, for example edited with jq",
                kind: .edited)
        }
        return snapshot
    }

    /// A snapshot of an older version: opening the store upgrades it (`FileStore+Upgrade`).
    /// Checked before the checksum, which the upgrade checks on its own terms.
    static func older(_ version: Int, file: String) -> StoreDamage {
        StoreDamage(
            file: file, position: "field version",
            problem:
                "store version \(version) is older than \(Snapshot.currentVersion): OrderDesk upgrades it when it opens the store (any command but 'store verify'), keeping the version-\(version) files in \(StoreLayout.archiveName)/",
            kind: .older(version: version), quarantinable: false)
    }

    private static func wrongFormat(_ format: String, file: String) -> StoreDamage {
        StoreDamage(
            file: file, position: "field format",
            problem: "the format is \"\(format)\", not \"\(Snapshot.formatName)\": this is not an OrderDesk store")
    }
}
