import Foundation
import OrderDeskCore
import OrderDeskStore
import Testing

@testable import OrderDeskShell

/// The program's exit codes and arguments as the contract says: 0 ok, 1 a command failed,
/// 2 bad program arguments, 3 the store is unusable.
@Suite struct ProgramArgumentsTests {
    /// `orderdesk help bogus` printed the general help and exited 0.
    @Test func helpOnAnUnknownTopicFailsWithAGuess() throws {
        let dir = try ProgramScratch("help")
        defer { dir.remove() }
        let typo = try dir.orderdesk(["help", "cancle"])
        #expect(typo.exitCode == 1, "\(typo)")
        #expect(typo.stdout.isEmpty)
        #expect(typo.stderr.contains("there is no help on 'cancle' (did you mean 'cancel'?)"), "\(typo)")
        let bogus = try dir.orderdesk(["help", "bogus"])
        #expect(bogus.exitCode == 1 && bogus.stdout.isEmpty, "\(bogus)")
        let subcommandTypo = try dir.orderdesk(["help", "imprt"])
        #expect(subcommandTypo.exitCode == 1 && subcommandTypo.stderr.contains("did you mean 'import'?"), "\(subcommandTypo)")
        // Known topics still answer.
        for topic in ["cancel", "run", "import", "store"] {
            let known = try dir.orderdesk(["help", topic])
            #expect(known.exitCode == 0 && !known.stdout.isEmpty, "help \(topic): \(known)")
        }
    }

    /// `init` into a non-empty directory said "choose an empty directory" and created the store anyway.
    @Test func initRefusesADirectoryThatHoldsOtherFiles() throws {
        let dir = try ProgramScratch("init")
        defer { dir.remove() }
        let target = dir.path + "/photos"
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
        try Data("keep me".utf8).write(to: URL(fileURLWithPath: target + "/holiday.jpg"))
        let result = try dir.orderdesk(["init", target, "--demo", "--orders", "3"])
        #expect(result.exitCode == 1, "\(result)")
        #expect(result.stderr.contains("is not empty and holds no store; nothing was created"), "\(result)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: target) == ["holiday.jpg"])
        // An empty directory and a new one are fine; a store is refused as before.
        let empty = dir.path + "/empty"
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        #expect(try dir.orderdesk(["init", empty]).exitCode == 0)
        #expect(try dir.orderdesk(["init", dir.path + "/new/store"]).exitCode == 0)
        let again = try dir.orderdesk(["init", empty])
        #expect(again.exitCode == 1 && again.stderr.contains("already holds a store"), "\(again)")
    }

    /// A demo store whose snapshot was deleted said "already holds a store" with exit 1.
    @Test func aDemoStoreWithoutItsSnapshotIsUnusable() throws {
        let dir = try ProgramScratch("demo")
        defer { dir.remove() }
        let first = try dir.orderdesk(["run", "-"], stdin: "orders --limit 1\n")
        #expect(first.exitCode == 0, "\(first)")
        let demo = dir.home + "/data/orderdesk/demo"
        try FileManager.default.removeItem(atPath: demo + "/snapshot.json")
        let result = try dir.orderdesk(["run", "-"], stdin: "orders --limit 1\n")
        #expect(result.exitCode == 3, "\(result)")
        #expect(result.stderr.contains("is incomplete: snapshot.json is missing"), "\(result)")
        #expect(!FileManager.default.fileExists(atPath: demo + "/snapshot.json"))
    }

    /// `--store ''` became `.`; `--agent ''` became $USER.
    @Test(arguments: [["--store", ""], ["--store", " "], ["--agent", ""], ["--agent", "  "], ["--agent", "eve\u{1B}[2J"]])
    func emptyProgramOptionsAreBadArguments(option: [String]) throws {
        let dir = try ProgramScratch("options")
        defer { dir.remove() }
        try dir.makeSampleStore()
        let store = option[0] == "--store" ? [] : ["--store", dir.store]
        for command in [["run", "-"], ["store", "verify"]] {
            let result = try dir.orderdesk(command + option + store, stdin: "cancel #1001 --reason customer --yes\n")
            #expect(result.exitCode == 2, "\(command) \(option): \(result)")
            #expect(result.stderr.contains("\(option[0]) cannot be"), "\(result)")
        }
        #expect(dir.journalLines().isEmpty)
        if option[0] == "--agent" {
            let practice = try dir.orderdesk(["practice", "--list"] + option)
            #expect(practice.exitCode == 2, "practice \(option): \(practice)")
        }
    }

    /// `orderdesk help --help` is still the program's help, not an unknown topic.
    @Test func helpWithAFlagIsLeftToTheArgumentParser() throws {
        let dir = try ProgramScratch("help-flag")
        defer { dir.remove() }
        let result = try dir.orderdesk(["help", "--help"])
        #expect(!result.stderr.contains("there is no help on"), "\(result)")
    }

    /// A directory holding only a store's lock (left by an earlier attempt) is not "other files".
    @Test func initAcceptsADirectoryWithOnlyALeftOverLock() throws {
        let dir = try ProgramScratch("init-lock")
        defer { dir.remove() }
        try FileManager.default.createDirectory(atPath: dir.store, withIntermediateDirectories: true)
        try Data().write(to: URL(fileURLWithPath: dir.lockFile))
        let result = try dir.orderdesk(["init", dir.store])
        #expect(result.exitCode == 0, "\(result)")
    }

    /// `run a.txt missing.txt` applied a.txt, then failed with 1; `run missing.txt a.txt
    /// --keep-going` ran nothing, also with 1. Every file is opened first: exit 2, nothing runs.
    @Test(arguments: [["a.txt", "missing.txt"], ["missing.txt", "a.txt", "--keep-going"], ["a.txt", "."]])
    func everyScriptIsOpenedBeforeAnyLineRuns(arguments: [String]) throws {
        let dir = try ProgramScratch("run-files")
        defer { dir.remove() }
        try dir.makeSampleStore()
        try dir.script("a.txt", ["cancel #1001 --reason customer --yes"])
        let result = try dir.orderdesk(["run"] + arguments + ["--store", dir.store])
        #expect(result.exitCode == 2, "\(result)")
        #expect(result.stderr.contains("nothing was run"), "\(result)")
        #expect(dir.journalLines().isEmpty, "a line ran")
    }
}
