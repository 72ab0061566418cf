import Testing
@testable import OrderDeskCore

@Suite struct ReportTests {
    @Test func peek() throws {
        let desk = Desktop()
        for line in ["report", "report --json", "report --csv", "report --by reason", "report --by week --since 2026-11-01", "report --by agent --csv", "report --since 2026-11-15 --by day --json", "report --since 2026-01-01 --until 2026-01-02"] {
            print("=== \(line)\n" + (try desk.read(line)))
        }
        let context = Context(now: SampleStore.now, agent: "t", style: Style(color: true))
        guard case .output(let t) = try Desk.run(try Command.parse("report --by reason")!, state: desk.state, context: context) else { return }
        print(t)
    }
}
