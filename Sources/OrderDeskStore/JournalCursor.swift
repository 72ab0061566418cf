import OrderDeskCore

/// How far a store has read its journal, so that catching up reads only what is new.
struct JournalCursor: Sendable, Equatable {
    /// The journal file read, or nil when there was none yet.
    var identity: FileIdentity?
    /// Bytes of complete, good lines read.
    var offset: Int64 = 0
    /// Lines read (for line numbers in messages).
    var lines: Int = 0
    /// Sequence numbers of the first and last events in the file.
    var firstSeq: Int?
    var lastSeq: Int?
    /// Where an ignored torn tail starts, once reported.
    var tornAt: Int64?

    init(identity: FileIdentity? = nil) { self.identity = identity }

    /// Applies the events of a chunk read at this cursor to `state`, checking that sequence
    /// numbers follow on, skipping those the snapshot already holds; returns the applied events.
    ///
    /// On damage, `state` may be partly changed: the caller discards it.
    mutating func absorb(_ chunk: JournalScanner.Chunk, into state: inout StoreState, file: String)
        throws(StoreDamage) -> [Event]
    {
        var applied: [Event] = []
        for entry in chunk.entries {
            let seq = entry.event.seq
            let position = StoreDamage.linePosition(line: entry.line, byte: entry.byte)
            if let last = lastSeq {
                guard seq == last + 1 else {
                    throw StoreDamage(
                        file: file, position: position,
                        problem: "sequence gap: event \(seq) follows event \(last); expected \(last + 1)")
                }
            } else {
                guard seq >= 1, seq <= state.seq + 1 else {
                    throw StoreDamage(
                        file: file, position: position,
                        problem: seq < 1
                            ? "sequence number \(seq) is not positive"
                            : "sequence gap: the journal starts at event \(seq) but the snapshot ends at event \(state.seq), so events \(state.seq + 1) to \(seq - 1) are missing"
                    )
                }
                firstSeq = seq
            }
            lastSeq = seq
            guard seq > state.seq else { continue }
            do {
                try state.apply(entry.event)
            } catch {
                throw StoreDamage(
                    file: file, position: position,
                    problem: "event \(seq) (\(entry.event.type)) does not fit the store: \(error.problem)")
            }
            applied.append(entry.event)
        }
        offset += Int64(chunk.goodLength)
        lines += chunk.entries.count
        return applied
    }
}
