import Foundation
import OrderDeskCore

extension PostgresStore {
    public func commit(
        agent _: String, now: Timestamp, batch: BatchOrigin?, _ decide: (StoreState) throws(OrderDeskError) -> [Change]
    ) throws(OrderDeskError) -> [Event] {
        if group != nil {
            if let failure = group?.failure { throw failure }
            let changes = try decide(state)
            guard !changes.isEmpty else { return [] }
            let events = state.events(recording: changes, agent: agent, at: now, batch: batch)
            group?.before.keepLists(of: state, before: events)
            // Applied in place (see below); an event that does not fit (a bug in the rules) may
            // leave the state partly changed, so the whole group is dropped when it ends.
            for event in events {
                do { try state.apply(event) } catch {
                    let failure = OrderDeskError.storeIO(
                        path: location, operation: "record the change in",
                        reason: "event \(error.seq) does not fit the store (\(error.problem))")
                    group?.failure = failure
                    throw failure
                }
            }
            group?.events += events
            if let pending = group, pending.events.count - pending.sent >= Self.partMinimum, !connection.isBusy {
                try sendPart()
            }
            return events
        }
        try refuseWithoutPrivilege()
        try resolveInDoubt()
        try rereadIfBehind()
        try begin()
        let changes: [Change]
        do {
            changes = try decide(state)
        } catch {
            rollback()
            throw error
        }
        guard !changes.isEmpty else {
            rollback()
            return []
        }
        let events = state.events(recording: changes, agent: agent, at: now, batch: batch)
        // Applied in place, keeping of the state before only what is written by difference:
        // keeping all of it made every change (and every group) copy every order, about 28 ms at
        // 100k orders. When the change then does not commit, the state is read again.
        let before = ServerRows.Before(state, for: events)
        do throws(OrderDeskError) {
            for event in events {
                do { try state.apply(event) } catch {
                    throw OrderDeskError.storeIO(
                        path: location, operation: "record the change in",
                        reason: "event \(error.seq) does not fit the store (\(error.problem))")
                }
            }
            try write(events, from: before, to: state)
        } catch {
            rollback()
            reread()
            throw error
        }
        return events
    }

    /// After a change that was applied in memory but did not commit (or may not have): reads the
    /// state again (the local cache and the events after it); when the server is away, on the next call.
    func reread() {
        if connection.isBroken { try? connection.reconnect() }
        do {
            try load()
            behind = false
        } catch {
            behind = true
        }
    }

    /// Reads the state again when a failed change left it ahead of the server.
    func rereadIfBehind() throws(OrderDeskError) {
        guard behind else { return }
        if connection.isBroken { try? connection.reconnect() }
        try load()
        behind = false
    }

    public func beginGroup() throws(OrderDeskError) {
        guard group == nil else { return }
        try refuseWithoutPrivilege()
        try resolveInDoubt()
        try rereadIfBehind()
        try begin()
        group = Group(before: ServerRows.Before(state, for: nil), events: [], changeID: UUID().uuidString.lowercased())
    }

    public func endGroup() throws(OrderDeskError) {
        guard let pending = group else { return }
        group = nil
        var failure = pending.failure
        if failure == nil {
            do { try connection.awaitSent() } catch { failure = storeError(error, operation: "record the change in") }
        }
        if let failure {
            rollback()
            reread()
            throw failure
        }
        guard !pending.events.isEmpty else {
            rollback()
            return
        }
        do {
            try write(pending.events, from: pending.before, to: state, changeID: pending.changeID, group: true, sent: pending.sent)
        } catch {
            rollback()
            reread()
            throw error
        }
    }

    /// Sends the group's unsent events and the rows they changed, without waiting: the server
    /// writes them (in the group's transaction) while the next lines are decided. The part
    /// before is collected first; a failure drops the group, as an event that does not fit does.
    func sendPart() throws(OrderDeskError) {
        guard var pending = group else { return }
        do throws(PGFailure) {
            try connection.awaitSent()
            let rows = ServerRows(events: Array(pending.events[pending.sent...]), before: pending.before, after: state)
            try connection.sendPrepared(rows.statement(schema: address.schema), rows.parameters(changeID: pending.changeID))
        } catch {
            let failure = storeError(error, operation: "record the change in")
            group?.failure = failure
            throw failure
        }
        pending.sent = pending.events.count
        pending.before = ServerRows.Before(state, for: nil)
        group = pending
    }

    // MARK: Steps

    /// A change is refused before anything is asked of the server when the role cannot make it.
    func refuseWithoutPrivilege() throws(OrderDeskError) {
        if let missingPrivilege { throw .serverReadOnly(store: location, role: role, privilege: missingPrivilege) }
    }

    /// Opens the change's transaction: locks the head row (changes go one at a time, as under the
    /// file store's exclusive lock) and catches up with what others committed, in one round trip.
    func begin() throws(OrderDeskError) {
        let caught = try withReconnect("begin a change in") { () throws(PGFailure) -> [Event] in
            if self.connection.inTransaction { _ = try? self.connection.execute("ROLLBACK") }
            // One round trip: the result is the last statement's, the events after the state.
            let result = try self.connection.execute(
                "BEGIN; SELECT seq FROM \(self.table("head")) FOR UPDATE; \(self.eventsAfterState)")
            do throws(PGFailure) {
                return try self.applyEvents(result)
            } catch {
                self.rollback()
                throw error
            }
        }
        unreported += caught
    }

    /// Ends the transaction without keeping anything.
    func rollback() {
        if connection.inTransaction { _ = try? connection.execute("ROLLBACK") }
    }

    /// Writes `events` and the rows they changed, and commits. When the connection is lost on
    /// the way, finds out by the change's id whether the server committed it. For a group, a
    /// "not committed" is also said in the notes: the batch runs its lines again, one by one.
    /// `sent`: how many of a group's events went already (``sendPart()``).
    func write(
        _ events: [Event], from before: ServerRows.Before, to after: StoreState, changeID: String = UUID().uuidString.lowercased(),
        group: Bool = false, sent: Int = 0
    ) throws(OrderDeskError) {
        do throws(PGFailure) {
            _ = commitHook?(.beforeCommit)
            // The rows and COMMIT in one round trip.
            if sent < events.count {
                let rows = ServerRows(events: Array(events[sent...]), before: before, after: after)
                try connection.executePreparedAndCommit(rows.statement(schema: address.schema), rows.parameters(changeID: changeID))
            } else {
                try connection.execute("COMMIT")
            }
            if commitHook?(.afterCommit) == true {
                throw PGFailure(sqlState: nil, message: "the acknowledgement was lost (test)", connectionLost: true, server: "")
            }
        } catch {
            guard error.connectionLost else {
                rollback()
                throw storeError(error, operation: "record the change in")
            }
            inDoubt = InDoubt(changeID: changeID, events: events)
            try settleLostCommit(reason: error.message, group: group)
        }
    }

    /// After a lost connection during a commit: connects again (for a few seconds, while a
    /// server restarts) and looks the change up. Committed: returned as done. Not committed: refused, nothing changed. Server still away: in doubt,
    /// looked up by the next call.
    func settleLostCommit(reason: String, group: Bool = false) throws(OrderDeskError) {
        let deadline = Date().addingTimeInterval(reconnectWindow)
        while true {
            do {
                try connection.reconnect()
                break
            } catch {
                if Date() >= deadline { throw .commitInDoubt(store: location, reason: reason) }
                usleep(200_000)
            }
        }
        guard let pending = inDoubt else { return }
        let committed = try lookUp(pending.changeID)
        inDoubt = nil
        // Committed: done, as it was written (it followed the state under the head lock), and said so.
        if committed {
            warnings.append(
                "the connection was lost while the change was being committed (\(reason)); looked it up by its id once the server was back: it was committed"
            )
            return
        }
        if group {
            let what = pending.events.count == 1 ? "a change was" : "\(pending.events.count) changes were"
            warnings.append(
                "the connection was lost while \(what) being committed (\(reason)); looked it up by its id once the server was back: it was not committed, so its lines run again"
            )
        }
        throw .serverFailed(
            store: location, operation: "record the change in",
            reason: "the connection was lost (\(reason)) before the server committed it")
    }

    /// Whether a change with this id was committed.
    func lookUp(_ changeID: String) throws(OrderDeskError) -> Bool {
        let result = try withReconnect("look up a change in") { () throws(PGFailure) in
            try self.connection.execute(
                "SELECT 1 FROM \(self.table("events")) WHERE change_id = $1::uuid LIMIT 1", [changeID])
        }
        return result.rowCount > 0
    }

    /// A change left in doubt by an earlier call: looked up now, and the outcome said in ``warnings``.
    func resolveInDoubt() throws(OrderDeskError) {
        guard let pending = inDoubt else { return }
        let committed: Bool
        do {
            if connection.isBroken { try connection.reconnect() }
            committed = try lookUp(pending.changeID)
        } catch {
            throw .commitInDoubt(store: location, reason: "the server is still away")
        }
        inDoubt = nil
        let what = pending.events.count == 1 ? "the change" : "the \(pending.events.count) changes"
        let first = pending.events.first.map { "\($0.type) \($0.change.orderNames.first ?? "")" } ?? ""
        if committed {
            warnings.append("\(what) left in doubt when the connection was lost (\(first)) was committed after all")
        } else {
            warnings.append("\(what) left in doubt when the connection was lost (\(first)) was not committed; nothing was changed")
        }
    }

    /// How long a lost commit waits for the server to come back, by default, before leaving the
    /// change in doubt: 10 s, or `ORDERDESK_RECONNECT_SECONDS`.
    static var defaultReconnectWindow: TimeInterval {
        if let text = ProcessInfo.processInfo.environment["ORDERDESK_RECONNECT_SECONDS"], let seconds = Double(text) { return seconds }
        return 10
    }
}
