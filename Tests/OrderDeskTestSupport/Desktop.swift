import OrderDeskCore
import OrderDeskPractice

/// Runs lines against a state the way the shell does, committing changes in memory.
public struct Desktop {
    public var state: StoreState
    public var now: Timestamp
    public var agent = "tester"
    public var events: [Event] = []

    public init(_ state: StoreState = TrainingStore.make(), now: Timestamp = TrainingStore.now) {
        self.state = state
        self.now = now
    }

    public var context: Context { Context(now: now, agent: agent) }

    /// Output of a read command.
    public func read(_ line: String) throws -> String {
        guard let command = try Command.parse(line), case .output(let text) = try Desk.run(command, state: state, context: context)
        else { fatalError("not a read: \(line)") }
        return text
    }

    /// The plan of a change, not committed.
    public func plan(_ line: String) throws -> Plan {
        guard let command = try Command.parse(line), case .change(let plan) = try Desk.run(command, state: state, context: context)
        else { fatalError("not a change: \(line)") }
        return plan
    }

    /// Commits a change; returns the new events. Throws the refusal, leaving the state as it was.
    @discardableResult
    public mutating func run(_ line: String) throws -> [Event] {
        let plan = try plan(line)
        let changes = try plan.decide(state)
        var next = state
        var made: [Event] = []
        for change in changes {
            let event = Event(seq: next.seq + 1, at: now, agent: agent, change: change)
            try next.apply(event)
            made.append(event)
        }
        state = next
        events += made
        return made
    }

    /// Applies a change as its own event (a delivery's outcome, which no command makes).
    @discardableResult
    public mutating func apply(_ change: Change) throws -> Event {
        let event = Event(seq: state.seq + 1, at: now, agent: agent, change: change)
        try state.apply(event)
        events.append(event)
        return event
    }

    public func order(_ name: String) -> Order { state.order(named: name)! }
}
