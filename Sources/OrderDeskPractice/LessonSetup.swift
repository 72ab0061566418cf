import OrderDeskCore

/// A lesson's setup: lines of the command language, run as a batch against the training store.
public enum LessonSetup {
    /// A setup line that cannot be used.
    public struct Failure: Error, Sendable, Equatable {
        /// The index of the line in `setup` (0-based, as the field `setup[N]` is written).
        public var line: Int
        public var problem: String
    }

    /// The changes one setup line makes to `state`, decided as `commit` would; no line may only read.
    public static func changes(_ line: String, state: StoreState, context: Context) throws(Failure) -> [Change] {
        do {
            guard let command = try Command.parse(line) else { return [] }
            switch try Desk.run(command, state: state, context: context) {
            case .change(let plan):
                if plan.dryRun {
                    throw Failure(line: 0, problem: "--dry-run changes nothing; setup lines set the scene by changing the training store")
                }
                return try plan.decide(state)
            case .output:
                throw Failure(
                    line: 0,
                    problem:
                        "'\(Sanitizer.clean(line))' changes nothing; setup lines set the scene with changes (cancel, refund, restock, notify, feedback, recreate, settings KEY VALUE)"
                )
            case .quit, .source, .ask, .send:
                throw Failure(
                    line: 0, problem: "'\(Sanitizer.clean(line))' cannot be used in a setup; setup lines set the scene with changes")
            }
        } catch let error as OrderDeskError {
            throw Failure(line: 0, problem: error.message)
        } catch let failure as Failure {
            throw failure
        } catch {
            throw Failure(line: 0, problem: "\(error)")
        }
    }

    /// The context setup line `index` runs in: the setup agent, a minute per line from ``TrainingStore/setupStart``.
    public static func context(line index: Int, agent: String) -> Context {
        Context(now: TrainingStore.setupStart.adding(seconds: Int64(index) * 60), agent: agent, utcOffset: TrainingStore.utcOffset)
    }

    /// Applies every setup line to `state`, in memory: the state the lesson starts from, and the events.
    public static func apply(_ lines: [String], to state: StoreState, agent: String) throws(Failure) -> (state: StoreState, events: [Event])
    {
        var state = state
        var events: [Event] = []
        for (i, line) in lines.enumerated() {
            let context = context(line: i, agent: agent)
            let changes: [Change]
            do { changes = try Self.changes(line, state: state, context: context) } catch {
                throw Failure(line: i, problem: error.problem)
            }
            for change in changes {
                let event = Event(seq: state.seq + 1, at: context.now, agent: agent, change: change)
                do { try state.apply(event) } catch {
                    throw Failure(line: i, problem: "the change does not fit the training store (\(error.problem))")
                }
                events.append(event)
            }
        }
        return (state, events)
    }
}
