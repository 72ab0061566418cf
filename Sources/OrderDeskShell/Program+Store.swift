import Foundation
import OrderDeskCore
import OrderDeskStore

extension Program {
    /// `orderdesk store accept-edit`: lists what an edit of `snapshot.json` made outside OrderDesk
    /// changed and records it in the audit log as a `store.edit_accepted` event by the agent, then
    /// rewrites the snapshot with its checksum. With `dryRun`, only lists. Exit 0 when accepted
    /// (or listed), 1 when there is no edit, 3 when the store cannot be used.
    public static func acceptStoreEdit(_ options: ProgramOptions, dryRun: Bool) -> Int32 {
        let console = StandardConsole()
        let path = Environment.storePath(options)
        if ServerAddress.isServer(path) {
            Presenter(console: console, style: .plain).error(
                "a store on a server has no snapshot file to edit; change it with OrderDesk's commands (the events table is append-only)")
            return ExitStatus.usage.rawValue
        }
        do {
            let edit = try FileStore.acceptEdit(
                at: path, agent: Environment.agent(options), now: Clock.now(), dryRun: dryRun)
            console.out(describe(edit))
            if let event = edit.event {
                console.out("Accepted the edit as event \(event.seq) (store.edit_accepted) and wrote the snapshot again with its checksum.")
            } else {
                console.out("Nothing was recorded (dry run). Run again without --dry-run to accept the edit.")
            }
            return 0
        } catch {
            Presenter(console: console, style: .plain).error(error)
            return error.exitCode
        }
    }

    /// The lines that list what an edit changed.
    static func describe(_ edit: SnapshotEdit) -> String {
        if let reason = edit.unlisted {
            return "The orders the edit changed cannot be listed: \(Sanitizer.clean(reason))."
        }
        var lines: [String] = []
        func list(_ label: String, _ names: [String]) {
            guard !names.isEmpty else { return }
            lines.append("\(label): " + names.map(Sanitizer.clean).joined(separator: ", "))
        }
        list("Changed orders", edit.changedOrders)
        list("Added orders", edit.addedOrders)
        list("Removed orders", edit.removedOrders)
        list("Other parts changed", edit.parts)
        if lines.isEmpty { lines.append("The edit changes nothing OrderDesk reads (only the layout of the file).") }
        return lines.joined(separator: "\n")
    }
}
