import Foundation
import OrderDeskTestSupport
import Testing

/// `orderdesk store …` end to end: no test hooks in the shipped binary (issue 11), and an edited
/// snapshot refused until `store accept-edit` records it (issue 13).
@Suite struct StoreCommandTests {
    /// The environment variable that used to make the shipped binary `_exit(99)` mid-compaction
    /// does nothing now: the hook lives in the store's options, set only by tests.
    @Test func theShippedBinaryHasNoCompactionHook() throws {
        guard ProgramRunner.binary() != nil else { return }
        let dir = try ProgramScratch("no-hook")
        defer { dir.remove() }
        try dir.makeSampleStore()
        let change = try dir.orderdesk(["run", "-", "--store", dir.store], stdin: "cancel #1001 --reason customer\n")
        #expect(change.exitCode == 0, "\(change)")
        let compact = try dir.orderdesk(
            ["store", "compact", "--store", dir.store], environment: ["ORDERDESK_TEST_COMPACT_STOP_AFTER": "0"])
        #expect(compact.exitCode == 0, "\(compact)")
        #expect(dir.bytes(dir.journal).isEmpty, "the compaction ran to its end")
    }

    @Test func anEditedSnapshotIsRefusedUntilAcceptEditRecordsIt() throws {
        guard ProgramRunner.binary() != nil else { return }
        let dir = try ProgramScratch("accept-edit")
        defer { dir.remove() }
        try dir.makeSampleStore()
        let setup = try dir.orderdesk(
            ["run", "-", "--store", dir.store], stdin: "cancel #1001 --reason customer\nfeedback #1002 --rating 5 ok\n")
        #expect(setup.exitCode == 0, "\(setup)")
        #expect(try dir.orderdesk(["store", "compact", "--store", dir.store]).exitCode == 0)

        // As `jq '.orders[1].note = "edited"'` writes it: same document, no checksum trailer.
        var document = try #require(try JSONSerialization.jsonObject(with: Data(dir.bytes(dir.snapshot))) as? [String: Any])
        var orders = try #require(document["orders"] as? [[String: Any]])
        let name = try #require(orders[1]["name"] as? String)
        orders[1]["note"] = "edited by hand"
        document["orders"] = orders
        let edited = try JSONSerialization.data(withJSONObject: document, options: [.sortedKeys])
        try FileManager.default.removeItem(atPath: dir.snapshot)
        #expect(FileManager.default.createFile(atPath: dir.snapshot, contents: edited + Data("\n".utf8)))

        let refused = try dir.orderdesk(["run", "-", "--store", dir.store], stdin: "orders\n")
        #expect(refused.exitCode == 3, "\(refused)")
        #expect(refused.stderr.contains("orderdesk store accept-edit --store"), "\(refused)")
        #expect(try dir.orderdesk(["store", "verify", "--store", dir.store]).exitCode == 3)

        let preview = try dir.orderdesk(["store", "accept-edit", "--dry-run", "--store", dir.store])
        #expect(preview.exitCode == 0, "\(preview)")
        #expect(preview.stdout.contains("Changed orders: \(name)"), "\(preview)")
        #expect(preview.stdout.contains("Nothing was recorded"), "\(preview)")
        #expect(try dir.orderdesk(["run", "-", "--store", dir.store], stdin: "orders\n").exitCode == 3)

        let accepted = try dir.orderdesk(["store", "accept-edit", "--store", dir.store], agent: "carol")
        #expect(accepted.exitCode == 0, "\(accepted)")
        #expect(accepted.stdout.contains("store.edit_accepted"), "\(accepted)")
        #expect(try dir.orderdesk(["store", "verify", "--store", dir.store]).exitCode == 0)
        let log = try dir.orderdesk(["run", "-", "--store", dir.store], stdin: "log --limit 1\nshow \(name) --json\n")
        #expect(log.exitCode == 0, "\(log)")
        #expect(log.stdout.contains("carol") && log.stdout.contains("Snapshot edit accepted: \(name)"), "\(log)")
        #expect(log.stdout.contains("edited by hand"), "\(log)")

        let again = try dir.orderdesk(["store", "accept-edit", "--store", dir.store])
        #expect(again.exitCode == 1, "\(again)")
        #expect(again.stderr.contains("there is no edit to accept"), "\(again)")
    }
}
