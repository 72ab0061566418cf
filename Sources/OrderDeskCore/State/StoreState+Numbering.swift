extension StoreState {
    /// The events that record `changes`, numbered one after another from this state's last event.
    ///
    /// The one place where events get their sequence numbers: every store (the file store's
    /// single and group commits, the memory store) numbers new events here.
    /// `batch` is the script line that made them, for changes made by a batch run.
    public func events(recording changes: [Change], agent: String, at now: Timestamp, batch: BatchOrigin? = nil) -> [Event] {
        changes.enumerated().map { offset, change in
            Event(seq: seq + 1 + offset, at: now, agent: agent, change: change, batch: batch)
        }
    }
}
