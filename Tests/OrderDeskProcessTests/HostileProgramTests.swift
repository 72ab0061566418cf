import Foundation
import OrderDeskTestSupport
import Testing

/// Hostile text through the real program: an import of a crafted file, `store verify`, and the
/// views afterwards print nothing raw.
@Suite struct HostileProgramTests {
    /// The program end to end: `orderdesk import` of a crafted file, then `store verify`,
    /// write nothing raw to stdout or stderr.
    @Test func theProgramPrintsAnImportedHostileFileInert() throws {
        let scratch = try ProgramScratch("hostile")
        defer { scratch.remove() }
        try scratch.makeSampleStore()
        try Data(HostileText.hostileImport(bad: false).utf8).write(to: URL(fileURLWithPath: scratch.path + "/evil.json"))
        try Data(HostileText.hostileImport(bad: true).utf8).write(to: URL(fileURLWithPath: scratch.path + "/bad.json"))
        for arguments in [
            ["import", "bad.json", "--store", scratch.store], ["import", "evil.json", "--dry-run", "--store", scratch.store],
            ["import", "evil.json", "--store", scratch.store], ["store", "verify", "--store", scratch.store],
        ] {
            let result = try scratch.orderdesk(arguments)
            let name = arguments.prefix(2).joined(separator: " ")
            #expect(result.exitCode == (arguments[1] == "bad.json" ? 1 : 0), "\(name): \(result)")
            HostileText.assertInert(result.stdout, color: false, name + " stdout")
            HostileText.assertInert(result.stderr, color: false, name + " stderr")
        }
        let result = try scratch.orderdesk(
            ["run", "-", "--store", scratch.store], stdin: "show #2001\ninventory\nfind evil\nlog\norders\nreport\n")
        #expect(result.exitCode == 0, "\(result)")
        HostileText.assertInert(result.stdout, color: false, "views after import")
        HostileText.assertInert(result.stderr, color: false, "views after import (stderr)")
    }

}
