import Testing

@testable import OrderDeskCore

@Suite struct TokenizerTests {
    @Test(arguments: [
        ("show #1001", ["show", "#1001"]),
        ("  show   1001  ", ["show", "1001"]),
        ("cancel #1001 --note 'two words'", ["cancel", "#1001", "--note", "two words"]),
        (#"cancel #1001 --note "say \"hi\"""#, ["cancel", "#1001", "--note", #"say "hi""#]),
        (#"notify #1 it\'s"#, ["notify", "#1", "it's"]),
        ("# a comment", []),
        ("", []),
        ("orders # trailing comment", ["orders"]),
        ("find #vip", ["find"]),
        ("find a#b", ["find", "a#b"]),
        ("feedback #1001 --rating 5 'Jöns Ärlig: tack!'", ["feedback", "#1001", "--rating", "5", "Jöns Ärlig: tack!"]),
        ("a '' b", ["a", "", "b"]),
        ("x'y z'w", ["xy zw"]),
    ])
    func splitsLikeAShell(line: String, expected: [String]) throws {
        #expect(try Tokenizer.words(line) == expected)
    }

    @Test func unclosedQuoteIsAnError() {
        #expect(throws: OrderDeskError.unclosedQuote) { try Tokenizer.words("notify #1 'oops") }
        #expect(Tokenizer.scan("notify #1 'oo").openQuote == "'")
    }

    @Test func quoteRoundTrips() throws {
        for word in ["plain", "two words", "it's", "#1001", "", "a\"b", "tab\there"] {
            #expect(try Tokenizer.words(Tokenizer.quote(word)) == [word])
        }
    }
}
