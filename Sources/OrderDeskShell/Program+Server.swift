import OrderDeskCore
import OrderDeskDemo
import OrderDeskStore

extension Program {
    /// `orderdesk init postgres://…`: the store's schema, its state (empty or demo orders), and
    /// the GRANTs an admin runs for agents and read-only roles (granted at once to the group
    /// roles `orderdesk_agent` and `orderdesk_reader` when they exist).
    static func initServerStore(at location: String, demo: Bool, orders: Int, seed: UInt64) -> Int32 {
        let console = StandardConsole()
        do {
            guard let address = try ServerAddress(location) else { return 2 }
            let state = demo ? DemoData.makeState(orders: orders, seed: seed, now: Clock.now()) : StoreState()
            let (created, granted) = try PostgresStore.create(address, state: state)
            console.out(
                "Created a store at \(created) (schema \(address.schema)) with \(state.orders.count) order\(state.orders.count == 1 ? "" : "s")."
            )
            if !granted.isEmpty {
                console.out("Granted access to the existing roles \(granted.joined(separator: " and ")).")
            }
            console.out("For agents and read-only roles, an admin runs (in psql, as the store's owner):\n")
            console.out(PostgresStore.grants(for: address))
            return 0
        } catch {
            Presenter(console: console, style: .plain).error(error)
            return error.exitCode
        }
    }

    /// `orderdesk store copy FROM TO`.
    public static func copyStore(from: String, to: String) -> Int32 {
        let console = StandardConsole()
        do {
            let summary = try StoreCopy.copy(from: from, to: to)
            console.out(
                "Copied \(summary.orders) order\(summary.orders == 1 ? "" : "s") and \(summary.events) event\(summary.events == 1 ? "" : "s") (sequence \(summary.seq)) from \(summary.from) to \(summary.to); both give the same orders, ledgers, inventory and audit log."
            )
            return 0
        } catch {
            Presenter(console: console, style: .plain).error(error)
            return error.exitCode
        }
    }
}
