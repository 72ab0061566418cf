import Foundation
import OrderDeskCore
import OrderDeskPractice
import Testing

@_spi(StoreTesting) @testable import OrderDeskStore

/// After many changes and a compaction, the store keeps its modes, and a symlinked store path stays a link.
@Suite struct PermissionsTests {
    static func mode(_ path: String) -> Int {
        var st = stat()
        guard lstat(path, &st) == 0 else { return -1 }
        return Int(st.st_mode & 0o777)
    }

    @Test func modesAndSymlinkSurviveAThousandChanges() throws {
        let base = NSTemporaryDirectory() + "orderdesk-perm-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: base) }
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        let real = base + "/real-store"
        let link = base + "/store-link"
        _ = try FileStore.create(at: real, state: TrainingStore.make())
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: real)

        let store = try FileStore.open(at: link)
        for i in 0..<1_000 {
            _ = try store.commit(agent: "perm", now: TrainingStore.now.adding(seconds: Int64(i))) { state throws(OrderDeskError) in
                [
                    .feedbackLogged(
                        Feedback(
                            id: state.largestID + 1, order: "#1001", email: "a@example.com", rating: i % 5 + 1, text: "n\(i)",
                            agent: "perm", at: TrainingStore.now))
                ]
            }
        }
        try store.compact()
        let reopened = try FileStore.open(at: link)
        #expect(reopened.state.seq == 1_000)
        #expect(reopened.state.feedback.count == 1_001)

        #expect(Self.mode(real) == 0o700)
        var checked = 0
        let files = FileManager.default.enumerator(atPath: real)
        while let name = files?.nextObject() as? String {
            let path = real + "/" + name
            var isDir: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: path, isDirectory: &isDir)
            #expect(Self.mode(path) == (isDir.boolValue ? 0o700 : 0o600), "\(name) has mode \(String(Self.mode(path), radix: 8))")
            checked += 1
        }
        #expect(checked >= 4, "snapshot, journal, lock and the archive were checked")
        let destination = try FileManager.default.destinationOfSymbolicLink(atPath: link)
        #expect(destination == real, "the symlinked store path is still a link to the same directory")
        print("permissions: 1000 changes, compacted, \(checked) entries checked, link intact")
    }
}
