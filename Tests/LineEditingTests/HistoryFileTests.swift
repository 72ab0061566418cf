import Foundation
import Testing

@testable import LineEditing

@Suite struct HistoryFileTests {
    let directory = NSTemporaryDirectory() + "line-editing-tests-\(UUID().uuidString)"

    private func mode(of path: String) throws -> Int? {
        try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
    }

    @Test func recordedHistoryIsReloadedByANewEditor() throws {
        let file = directory + "/state/orderdesk/history"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let editor = LineEditor(programName: "orderdesk", historyFile: file)
        editor.record("add customer Jöns Ärlig ")
        editor.record("add customer Jöns Ärlig")
        editor.record("   ")
        editor.record("list\n")
        editor.record("add customer Jöns Ärlig")
        let expected = ["add customer Jöns Ärlig", "list", "add customer Jöns Ärlig"]
        #expect(editor.history() == expected)

        let reopened = LineEditor(programName: "orderdesk", historyFile: file)
        #expect(reopened.history() == expected)
        #expect(try mode(of: file) == 0o600)
        let text = try String(contentsOfFile: file, encoding: .utf8)
        #expect(text.hasPrefix("_HiStOrY_V2_\n"))
    }

    @Test func existingFileIsMadePrivate() throws {
        let file = directory + "/history"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(
            atPath: file, contents: Data("_HiStOrY_V2_\nold\n".utf8),
            attributes: [.posixPermissions: 0o644])
        let editor = LineEditor(programName: "orderdesk", historyFile: file)
        #expect(editor.history() == ["old"])
        editor.record("new")
        #expect(try mode(of: file) == 0o600)
        #expect(LineEditor(programName: "orderdesk", historyFile: file).history() == ["old", "new"])
    }

    @Test func historySizeIsCapped() {
        let file = directory + "/history"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let editor = LineEditor(programName: "orderdesk", historyFile: file, historySize: 3)
        for number in 1...5 { editor.record("command \(number)") }
        #expect(editor.history() == ["command 3", "command 4", "command 5"])
        #expect(LineEditor(programName: "orderdesk", historyFile: file, historySize: 3).history().count == 3)
    }

    @Test func unwritableOrNoFileKeepsHistoryInMemory() throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let blocker = directory + "/not-a-directory"
        _ = FileManager.default.createFile(atPath: blocker, contents: Data())
        let editor = LineEditor(programName: "orderdesk", historyFile: blocker + "/history")
        editor.record("kept")
        #expect(editor.history() == ["kept"])

        let memoryOnly = LineEditor(programName: "orderdesk", historyFile: nil)
        memoryOnly.record("only here")
        #expect(memoryOnly.history() == ["only here"])
    }
}
