import OrderDeskCore

extension PostgresStore {
    /// `orderdesk store verify` on a server: the events numbered without gaps up to `head`, each
    /// each line decoding to the event its columns and body describe; the state tables decoding to a store at
    /// that sequence number; every order's money (``LedgerAudit``). Changes nothing.
    public static func verify(_ address: ServerAddress) -> VerifyReport {
        var report = VerifyReport(path: redacted(address))
        report.isServer = true
        report.version = Snapshot.currentVersion
        let store: PostgresStore
        do {
            store = try open(address, cacheDirectory: nil)
        } catch {
            report.problems.append(VerifyReport.Problem(file: report.path, position: "opening", problem: error.message))
            return report
        }
        report.path = store.location
        let events = store.table("events")
        do {
            let result = try store.connection.execute("SELECT seq, agent, type, line, body = line::jsonb FROM \(events) ORDER BY seq")
            var previous: Int?
            for row in 0..<result.rowCount {
                let seq = result.text(row, 0).flatMap(Int.init) ?? -1
                if let previous, seq != previous + 1 {
                    report.problems.append(
                        VerifyReport.Problem(file: events, position: "seq \(seq)", problem: "events \(previous + 1)…\(seq - 1) are missing")
                    )
                }
                previous = seq
                do {
                    let event = try store.decodeEvent(result, row, column: 3)
                    if event.seq != seq || event.agent != result.text(row, 1) || event.type != result.text(row, 2)
                        || result.text(row, 4) != "t"
                    {
                        report.problems.append(
                            VerifyReport.Problem(
                                file: events, position: "seq \(seq)",
                                problem: "the line does not match the row's seq, agent, type and body"))
                    }
                } catch {
                    report.problems.append(VerifyReport.Problem(file: events, position: "seq \(seq)", problem: error.message))
                }
            }
            report.events = result.rowCount
            if let previous, previous != store.state.seq {
                report.problems.append(
                    VerifyReport.Problem(
                        file: store.table("head"), position: "seq",
                        problem: "head is at \(store.state.seq) but the last event is \(previous)"))
            }
            let names = try store.connection.execute("SELECT name FROM \(store.table("orders")) WHERE name IS DISTINCT FROM doc->>'name'")
            for row in 0..<names.rowCount {
                report.problems.append(
                    VerifyReport.Problem(
                        file: store.table("orders"), position: names.text(row, 0) ?? "",
                        problem: "the name column and the document disagree"))
            }
        } catch {
            report.problems.append(VerifyReport.Problem(file: events, position: "reading", problem: error.message))
        }
        report.orders = store.state.orders.count
        report.seq = store.state.seq
        report.snapshotSeq = store.state.seq
        report.moneyChecked = true
        report.money = LedgerAudit.findings(in: store.state).map { VerifyReport.MoneyProblem(order: $0.order, problem: $0.problem) }
        return report
    }
}
