import OrderDeskCore

/// Reads the whole history: the journals kept in `archive/` by compaction, then the live journal.
///
/// Read only on demand (`log`, the timeline), never while loading. A crash during compaction can
/// leave an event both in an archive and in the journal: events are kept once per sequence number.
enum AuditLogReader {
    /// Every event, oldest first. Call under a lock.
    ///
    /// Events from before an upgrade from version 1 (the kept version-1 journal, and journals
    /// archived by compactions of version 1) are translated to version 2 against `state`, the
    /// store as it is now (see ``V1Translator/folded(_:in:)``).
    static func read(_ layout: StoreLayout, codec: StoreCodec, state: StoreState) throws(LoadFailure) -> [Event] {
        var events: [Int: Event] = [:]
        let names = try LoadFailure.wrap { () throws(SystemError) in try POSIX.listDirectory(layout.archive) }
        let v1Through = Self.v1Through(names)
        var files = try LoadFailure.wrap { () throws(SystemError) in try archiveFiles(layout) }.map {
            (path: $0.path, v1: StoreLayout.holdsV1Lines(name(of: $0.path), v1Through: v1Through))
        }
        files.append((layout.journal, false))
        for file in files {
            guard let bytes = try LoadFailure.wrap({ () throws(SystemError) in try POSIX.readFile(file.path) }) else {
                continue
            }
            do {
                for event in try decode(
                    bytes, file: file.path, v1: file.v1, archived: file.path != layout.journal, codec: codec, state: state)
                {
                    events[event.seq] = event
                }
            } catch {
                throw .damage(error)
            }
        }
        return events.keys.sorted().compactMap { events[$0] }
    }

    /// The events of a journal file's bytes. Lines of version 1 are translated; an archived file
    /// not known to hold them whose lines do not read as version 2 is tried as version 1 too
    /// (an archive from a version-1 store whose kept snapshot was removed).
    private static func decode(
        _ bytes: [UInt8], file: String, v1: Bool, archived: Bool, codec: StoreCodec, state: StoreState
    ) throws(StoreDamage) -> [Event] {
        if !v1 {
            do {
                return try JournalScanner.scan(bytes, firstLine: 1, baseByte: 0, file: file, codec: codec).entries.map(\.event)
            } catch {
                guard archived, let events = try? V1Store.scan(bytes, file: file) else { throw error }
                return events.map { V1Translator.folded($0, in: state) }
            }
        }
        return try V1Store.scan(bytes, file: file).map { V1Translator.folded($0, in: state) }
    }

    /// The last event of the store when it was upgraded from version 1, told by the names of the
    /// files the upgrade kept in `archive/`; nil for a store that was never upgraded.
    static func v1Through(_ archiveNames: [String]) -> Int? {
        var through: Int?
        for name in archiveNames {
            if let seq = StoreLayout.v1SnapshotSeq(of: name) {
                through = max(through ?? seq, seq)
            } else if name.hasPrefix(StoreLayout.v1Prefix), let range = StoreLayout.archiveRange(of: name) {
                through = max(through ?? range.upperBound, range.upperBound)
            }
        }
        return through
    }

    private static func name(of path: String) -> String {
        String(path.split(separator: "/").last ?? "")
    }

    /// The archived events with sequence numbers in `after+1...through`, as far as the archive
    /// holds them; damaged lines are skipped. For telling an agent what a compaction folded in.
    static func archivedEvents(_ layout: StoreLayout, codec: StoreCodec, after: Int, through: Int) -> [Event] {
        guard after < through, let files = try? archiveFiles(layout) else { return [] }
        var events: [Int: Event] = [:]
        let v1Through = Self.v1Through((try? POSIX.listDirectory(layout.archive)) ?? [])
        for file in files where file.range.overlaps((after + 1)...through) {
            // Events from before an upgrade are never news to an instance of version 2.
            guard !StoreLayout.holdsV1Lines(name(of: file.path), v1Through: v1Through),
                let bytes = try? POSIX.readFile(file.path)
            else { continue }
            for line in JournalScanner.lines(in: bytes, firstLine: 1, baseByte: 0) where line.terminated {
                guard let event = try? codec.decodeJournalLine(bytes[line.range]),
                    event.seq > after, event.seq <= through
                else { continue }
                events[event.seq] = event
            }
        }
        return events.keys.sorted().compactMap { events[$0] }
    }

    /// The archive files with the sequence range in their names, oldest first.
    static func archiveFiles(_ layout: StoreLayout) throws(SystemError) -> [(path: String, range: ClosedRange<Int>)] {
        try POSIX.listDirectory(layout.archive)
            .compactMap { name in StoreLayout.archiveRange(of: name).map { (layout.archive + "/" + name, $0) } }
            .sorted { ($0.range.lowerBound, $0.range.upperBound, $0.path) < ($1.range.lowerBound, $1.range.upperBound, $1.path) }
    }
}
