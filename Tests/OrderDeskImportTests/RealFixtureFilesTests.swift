import Foundation
import Testing

/// The set of real Shopify files in `Fixtures/real` is intact: every file says where it came from,
/// parses as what it claims to be, has a row in EXPECTED.md, and carries no personal data of the kind
/// that was replaced when it was committed. Importing them is the importer's tests' business, not this.
@Suite struct RealFixtureFilesTests {
    /// `Tests/OrderDeskImportTests/Fixtures/real`, found from this source file.
    static let directory: String = {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures").appendingPathComponent("real").path
    }()

    static let originSuffix = ".origin.txt"
    static let expectedName = "EXPECTED.md"

    static var allNames: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted()
    }

    /// The fixtures themselves: everything but the sidecars and EXPECTED.md.
    static var fixtureNames: [String] {
        allNames.filter { !$0.hasSuffix(originSuffix) && $0 != expectedName && !$0.hasPrefix(".") }
    }

    static func text(_ name: String) -> String {
        String(decoding: FileManager.default.contents(atPath: directory + "/" + name) ?? Data(), as: UTF8.self)
    }

    /// Every substring of `text` that `pattern` matches, as its first capture group (or the whole match).
    static func matches(_ pattern: String, in text: String) -> [String] {
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return [] }
        let ns = text as NSString
        return regex.matches(in: text, range: NSRange(location: 0, length: ns.length)).map { match in
            let range =
                match.numberOfRanges > 1 && match.range(at: 1).location != NSNotFound
                ? match.range(at: 1) : match.range
            return ns.substring(with: range)
        }
    }

    @Test func thereAreRealFixturesOfBothFormats() {
        let names = Self.fixtureNames
        #expect(names.count >= 12, "only \(names.count) fixtures in \(Self.directory)")
        #expect(names.contains { $0.hasSuffix(".csv") })
        #expect(names.contains { $0.hasSuffix(".json") })
        #expect(names.allSatisfy { $0.hasSuffix(".csv") || $0.hasSuffix(".json") }, "unexpected files: \(names)")
    }

    @Test func everyFixtureHasItsOriginAndEveryOriginItsFixture() {
        let all = Set(Self.allNames)
        for name in Self.fixtureNames {
            #expect(all.contains(name + Self.originSuffix), "\(name) has no \(name)\(Self.originSuffix)")
            let origin = Self.text(name + Self.originSuffix)
            #expect(origin.contains("Repository:"), "\(name)\(Self.originSuffix) does not name its repository")
            #expect(origin.contains("Path:"), "\(name)\(Self.originSuffix) does not name the path in it")
        }
        for name in Self.allNames where name.hasSuffix(Self.originSuffix) {
            let fixture = String(name.dropLast(Self.originSuffix.count))
            #expect(all.contains(fixture), "\(name) describes a file that is not there")
        }
    }

    @Test func everyFixtureHasARowInExpected() {
        let expected = Self.text(Self.expectedName)
        #expect(!expected.isEmpty, "\(Self.expectedName) is missing")
        for name in Self.fixtureNames {
            #expect(expected.contains(name), "\(Self.expectedName) has no row for \(name)")
        }
    }

    @Test func everyJSONFixtureParses() {
        for name in Self.fixtureNames where name.hasSuffix(".json") {
            let data = FileManager.default.contents(atPath: Self.directory + "/" + name) ?? Data()
            do {
                _ = try JSONSerialization.jsonObject(with: data)
            } catch {
                Issue.record("\(name) is not JSON: \(error)")
            }
        }
    }

    @Test func everyCSVFixtureStartsWithAShopifyOrdersExportHeader() {
        for name in Self.fixtureNames where name.hasSuffix(".csv") {
            let firstLine = Self.text(name).split(separator: "\n", maxSplits: 1).first.map(String.init) ?? ""
            #expect(firstLine.hasPrefix("Name,Email,"), "\(name) starts with \(firstLine.prefix(40))")
            let columns = firstLine.split(separator: ",", omittingEmptySubsequences: false).count
            #expect(columns == 75 || columns == 79, "\(name) has \(columns) header columns")
        }
    }

    /// Emails were replaced with addresses at the documentation domains; anything else is a real address.
    @Test func noEmailOutsideTheExampleDomains() {
        let allowed: Set<String> = ["example.com", "example.org", "example.net", "shopify.com"]
        for name in Self.fixtureNames + [Self.expectedName] {
            for domain in Self.matches(#"[A-Za-z0-9._%+-]+@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)"#, in: Self.text(name)) {
                #expect(allowed.contains(domain.lowercased()), "\(name) has an address at \(domain)")
            }
        }
    }

    /// Buyers' IP addresses (browser_ip, "IP address:" in notes) were replaced with documentation
    /// addresses (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24) or Shopify's own 0.0.0.0.
    @Test func noBuyerIPAddressOutsideTheDocumentationRanges() {
        let documentation = ["192.0.2.", "198.51.100.", "203.0.113."]
        let pattern = #"(?:"|IP address: )(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})(?:"|\s|$)"#
        for name in Self.fixtureNames {
            for address in Self.matches(pattern, in: Self.text(name)) {
                let ok = address == "0.0.0.0" || documentation.contains { address.hasPrefix($0) }
                #expect(ok, "\(name) has the IP address \(address)")
            }
        }
    }
}
