import OrderDeskCore

/// A group commit in progress: the journal lines decided and applied in memory, not yet written.
struct PendingGroup {
    var bytes: [UInt8] = []
    var events = 0
    var firstSeq: Int?
    var lastSeq: Int?
    /// Set when a change of the group could not be recorded: the whole group is dropped.
    var failure: OrderDeskError?
}

extension FileStore {
    /// Group commit: one `LOCK_EX`, one append and one `fdatasync` for many changes.
    ///
    /// The changes are decided one after another against the state in memory, each seeing the
    /// ones before it; their lines are written together by ``endGroup()``. Every journal line
    /// has its own checksum, so a crash in the middle of that write leaves a prefix of the group.
    public func beginGroup() throws(OrderDeskError) {
        if let broken { throw broken }
        guard group == nil else { return }
        try lock.acquire(.exclusive, timeout: options.lockTimeout, store: location)
        do {
            removeStaleTemporariesOnce()
            unreported += try catchUp()
            // Before the state in memory runs ahead of the journal: a compaction snapshots it.
            try finishInterruptedCompaction()
        } catch {
            lock.release()
            throw error
        }
        group = PendingGroup()
    }

    public func endGroup() throws(OrderDeskError) {
        guard let pending = group else { return }
        group = nil
        defer { lock.release() }
        if let failure = pending.failure {
            reloadAfterFailedGroup()
            throw failure
        }
        guard !pending.bytes.isEmpty else { return }
        let start: Int64
        do {
            start = try append(pending.bytes, finishingCompaction: false)
        } catch {
            // `append` cut the journal back: the state in memory is ahead of it.
            reloadAfterFailedGroup()
            throw error
        }
        if let problem = journal.recorded(
            bytes: pending.bytes.count, events: pending.events, firstSeq: pending.firstSeq, lastSeq: pending.lastSeq,
            at: start)
        {
            warnings.append(problem)
        }
        if journal.cursor.offset >= options.compactionThreshold {
            do {
                try compactLocked()
            } catch {
                warnings.append("the store could not be compacted (the change was saved): \(error.message)")
            }
        }
    }

    /// ``commit(agent:now:_:)`` inside a group: decide, encode, apply in memory; no write.
    func commitInGroup(
        agent: String, now: Timestamp, batch: BatchOrigin?, _ decide: (StoreState) throws(OrderDeskError) -> [Change]
    ) throws(OrderDeskError) -> [Event] {
        if let failure = group?.failure { throw failure }
        let changes = try decide(state)
        guard !changes.isEmpty else { return [] }
        let (events, bytes) = try journal.lines(recording: changes, after: state, agent: agent, now: now, batch: batch, codec: codec)
        for event in events {
            do {
                try state.apply(event)
            } catch {
                // The change does not fit the state: a bug in the rules. The state may be partly
                // changed, so the whole group is dropped when it ends.
                let failure = OrderDeskError.storeIO(
                    path: layout.journal, operation: "record the change in",
                    reason: "event \(error.seq) does not fit the store (\(error.problem)); it was taken back")
                group?.failure = failure
                throw failure
            }
        }
        group?.bytes += bytes
        group?.events += events.count
        if group?.firstSeq == nil { group?.firstSeq = events.first?.seq }
        group?.lastSeq = events.last?.seq
        return events
    }

    /// Reads the store again after a group that was not written (still under `LOCK_EX`).
    private func reloadAfterFailedGroup() {
        do {
            adopt(try Self.load(layout, codec: codec))
        } catch {
            broken = .storeIO(
                path: location, operation: "read", reason: "the store must be opened again after a failed change")
        }
    }
}
