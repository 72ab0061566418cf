import Foundation
import OrderDeskCore

#if canImport(Glibc)
    import Glibc
#endif

/// Checks of the program's own arguments, made before anything runs: exit code 2 when they
/// are wrong, as the contract says.
extension Program {
    /// `--store ''` and `--agent ''` (or an agent name with a control character, or longer than
    /// ``InputRules/agentLimit``) are refused rather than quietly replaced by a default.
    public static func check(_ options: ProgramOptions) throws(OrderDeskError) {
        if let store = options.storePath, store.trimmingCharacters(in: .whitespaces).isEmpty {
            throw .badProgramOption(flag: "--store", value: store, expected: "a store directory, such as --store ./shop")
        }
        if let agent = options.agent {
            if agent.trimmingCharacters(in: .whitespaces).isEmpty {
                throw .badProgramOption(
                    flag: "--agent", value: agent, expected: "your name as the log should show it, such as --agent alice")
            }
            do { try InputRules.agentName(agent) } catch {
                throw .badProgramOption(
                    flag: "--agent", value: agent,
                    expected: "a name of one line and at most \(InputRules.agentLimit) characters, such as --agent alice")
            }
        }
    }

    /// `orderdesk help TOPIC` for a topic that is neither a shell command nor one of
    /// `subcommands`: says so with the nearest name, exit code 1.
    public static func unknownHelpTopic(_ topic: String, subcommands: [String]) -> Int32 {
        let names = CommandTable.names + subcommands.filter { !CommandTable.names.contains($0) }
        let error = OrderDeskError.unknownHelpTopic(topic, suggestion: Suggestion.closest(to: topic, in: names))
        Presenter(console: StandardConsole(), style: .plain).error(error)
        return 1
    }

    /// Where `init` may create a store: a new directory, an empty one, or one holding only a
    /// store's own files (then `FileStore.create` decides: a store there is refused). A
    /// directory holding anything else is refused, so that `init` never scatters store files
    /// among someone else's.
    static func checkInitDirectory(_ path: String) throws(OrderDeskError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else { return }
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        let storeNames: Set<String> = ["store.lock", "snapshot.json", "journal.jsonl", "demo", "quarantine", "archive"]
        let others = entries.filter { !storeNames.contains($0) && !$0.hasPrefix("snapshot.json.tmp") }
        if !others.isEmpty { throw .directoryNotEmpty(path: path) }
    }

    /// A store directory that lost its snapshot while its journal or lock is still there: the
    /// demo store must not be silently made again over it.
    static func checkDemoStore(_ path: String) throws(OrderDeskError) {
        let manager = FileManager.default
        guard !manager.fileExists(atPath: path + "/snapshot.json") else { return }
        // What a demo store holds besides its snapshot: the journal, the lock and the marker.
        if ["journal.jsonl", "store.lock", "demo"].contains(where: { manager.fileExists(atPath: path + "/" + $0) }) {
            throw .storeIncomplete(path: path, missing: "snapshot.json")
        }
    }
}
