import Foundation
import Testing

/// Script files as people save them: CRLF line ends, a last line without a newline, bytes that
/// are not UTF-8, absurdly long lines, and a list of files of which one is missing (issue 13).
@Suite struct ScriptLinesTests {
    @Test func crlfScriptsRunLineByLineInRunAndSource() throws {
        guard ProgramRunner.binary() != nil else { return }
        let dir = try ProgramScratch("crlf")
        defer { dir.remove() }
        try dir.makeSampleStore()
        let file = dir.path + "/w.txt"
        try Data("feedback #1002 --rating 4 one\r\nshow #1002\r\nfeedback #1002 --rating 5 two".utf8).write(to: URL(fileURLWithPath: file))

        let run = try dir.orderdesk(["run", file, "--store", dir.store])
        #expect(run.exitCode == 0, "\(run)")
        #expect(run.stderr.contains("3 lines succeeded, 0 failed"), "\(run)")
        #expect(dir.journalEvents().count == 2)

        // --again: the run above committed these lines, and a source in a run would skip them.
        let sourced = try dir.orderdesk(["run", "-", "--again", "--store", dir.store], stdin: "source \(file)\n")
        #expect(sourced.exitCode == 0, "\(sourced)")
        #expect(sourced.stdout.contains("w.txt: 3 lines ran"), "\(sourced)")
        #expect(dir.journalEvents().count == 4)
    }

    @Test func aLineThatIsNotUTF8IsRefusedWithItsFileAndLine() throws {
        guard ProgramRunner.binary() != nil else { return }
        let dir = try ProgramScratch("utf8")
        defer { dir.remove() }
        try dir.makeSampleStore()
        let file = dir.path + "/bad.txt"
        var bytes = Array("feedback #1002 --rating 4 ok\n".utf8)
        bytes += Array("feedback #1002 --rating 4 caf".utf8) + [0xE9] + Array("\n".utf8)
        try Data(bytes).write(to: URL(fileURLWithPath: file))

        let run = try dir.orderdesk(["run", file, "--store", dir.store])
        #expect(run.exitCode == 1, "\(run)")
        #expect(run.stderr.contains("bad.txt:2: error: this line is not UTF-8 text (byte 30"), "\(run)")
        #expect(dir.journalEvents().count == 1)
    }

    @Test func aLineLongerThan64KiBIsRefusedWithoutStoppingTheReader() throws {
        guard ProgramRunner.binary() != nil else { return }
        let dir = try ProgramScratch("long")
        defer { dir.remove() }
        try dir.makeSampleStore()
        let file = dir.path + "/long.txt"
        let text = "notify #1002 '" + String(repeating: "x", count: 200_000) + "'\nfeedback #1002 --rating 4 after\n"
        try Data(text.utf8).write(to: URL(fileURLWithPath: file))

        let run = try dir.orderdesk(["run", file, "--keep-going", "--store", dir.store])
        #expect(run.exitCode == 1, "\(run)")
        #expect(run.stderr.contains("long.txt:1: error: this line is longer than 64 KiB"), "\(run)")
        #expect(dir.journalEvents().map { $0["type"] as? String } == ["feedback.logged"])
    }

    @Test func everyFileIsCheckedBeforeAnyLineRuns() throws {
        guard ProgramRunner.binary() != nil else { return }
        let dir = try ProgramScratch("files")
        defer { dir.remove() }
        try dir.makeSampleStore()
        let good = try dir.script("a.txt", ["feedback #1002 --rating 4 ok"])
        for files in [[good, dir.path + "/missing.txt"], [dir.path + "/missing.txt", good]] {
            let run = try dir.orderdesk(["run"] + files + ["--keep-going", "--store", dir.store])
            #expect(run.exitCode == 2, "\(run)")
            #expect(run.stderr.contains("missing.txt: no such file; nothing was run"), "\(run)")
            #expect(dir.journalEvents().isEmpty)
        }
    }
}
