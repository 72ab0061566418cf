import OrderDeskCore

/// Reads the whole history: the journals kept in `archive/` by compaction, then the live journal.
///
/// Read only on demand (`log`, the timeline), never while loading. A crash during compaction can
/// leave an event both in an archive and in the journal: events are kept once per sequence number.
enum AuditLogReader {
    /// Every event, oldest first. Call under a lock.
    static func read(_ layout: StoreLayout, codec: StoreCodec) throws(LoadFailure) -> [Event] {
        var events: [Int: Event] = [:]
        var files = try LoadFailure.wrap { () throws(SystemError) in try archiveFiles(layout) }.map(\.path)
        files.append(layout.journal)
        for file in files {
            guard let bytes = try LoadFailure.wrap({ () throws(SystemError) in try POSIX.readFile(file) }) else {
                continue
            }
            do {
                let chunk = try JournalScanner.scan(bytes, firstLine: 1, baseByte: 0, file: file, codec: codec)
                for entry in chunk.entries { events[entry.event.seq] = entry.event }
            } catch {
                throw .damage(error)
            }
        }
        return events.keys.sorted().compactMap { events[$0] }
    }

    /// The archived events with sequence numbers in `after+1...through`, as far as the archive
    /// holds them; damaged lines are skipped. For telling an agent what a compaction folded in.
    static func archivedEvents(_ layout: StoreLayout, codec: StoreCodec, after: Int, through: Int) -> [Event] {
        guard after < through, let files = try? archiveFiles(layout) else { return [] }
        var events: [Int: Event] = [:]
        for file in files where file.range.overlaps((after + 1)...through) {
            guard let bytes = try? POSIX.readFile(file.path) else { continue }
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
