import OrderDeskPractice
import OrderDeskTestSupport
import Testing

@testable import OrderDeskCore

/// Names as shops write them (issue 14): any Shopify order name is valid, and an order is found by
/// its full name or by its number when only one order has it.
@Suite struct OrderNameTests {
    /// A shop with a prefix (`Her2065`), one with a letter after `#` (`#N13073`), a suffix
    /// (`1042-EU`), and one classic `#2066` whose number no other order has. Made-up buyers.
    static func shop() -> StoreState {
        func order(_ id: Int64, _ name: String, _ number: Int) -> Order {
            var o = Order(
                id: id, orderNumber: number, email: "buyer\(id)@example.com", createdAt: Timestamp(iso8601: "2026-11-01T10:00:00Z")!,
                currency: "EUR", customer: Customer(id: id + 100, email: "buyer\(id)@example.com", firstName: "Test", lastName: "Buyer"),
                lineItems: [LineItem(id: id + 200, sku: "SOAP", title: "Soap", quantity: 1, price: Money("5.00")!)])
            o.name = name
            return o
        }
        return StoreState(
            orders: [order(1, "Her2065", 2065), order(2, "#N13073", 13073), order(3, "1042-EU", 1042), order(4, "#2066", 2066)],
            inventory: ["SOAP": 10])
    }

    @Test func anyPrintableNameWithoutSpacesIsValid() throws {
        for name in ["#1001", "1001", "Her2065", "#N13073", "#glow1042", "1042-EU", "#1042-R1", "Commande№7"] {
            #expect(try OrderName.parse(name) == name, "kept as typed")
        }
        for bad in ["", "a b", "#1\u{1B}[2J", "#10\u{202E}01", "tab\there", String(repeating: "9", count: 65)] {
            #expect(throws: OrderDeskError.badOrderName(bad)) { try OrderName.parse(bad) }
        }
    }

    @Test func theNumberInAName() {
        #expect(OrderName.embeddedNumber("Her2065") == 2065)
        #expect(OrderName.embeddedNumber("#N13073") == 13073)
        #expect(OrderName.embeddedNumber("#glow1042") == 1042)
        #expect(OrderName.embeddedNumber("1042-EU") == 1042)
        #expect(OrderName.embeddedNumber("#1042-R1") == 1042)
        #expect(OrderName.embeddedNumber("ABC") == nil)
        #expect(OrderName.number("#2065") == 2065 && OrderName.number("2065") == 2065 && OrderName.number("Her2065") == nil)
    }

    @Test func aFullNameOrAnUnambiguousNumberFindsTheOrder() throws {
        let state = Self.shop()
        #expect(try state.resolveOrder("Her2065").name == "Her2065")
        #expect(try state.resolveOrder("her2065").name == "Her2065", "letters in any case")
        #expect(try state.resolveOrder("2065").name == "Her2065", "the number alone")
        #expect(try state.resolveOrder("#2065").name == "Her2065", "no order is named #2065")
        #expect(try state.resolveOrder("#n13073").name == "#N13073")
        #expect(try state.resolveOrder("13073").name == "#N13073")
        #expect(try state.resolveOrder("1042").name == "1042-EU")
        #expect(try state.resolveOrder("2066").name == "#2066")
        #expect(throws: OrderDeskError.unknownOrder("Her9999")) { try state.resolveOrder("Her9999") }
        #expect(throws: OrderDeskError.unknownOrder("4242")) { try state.resolveOrder("4242") }
    }

    @Test func aNumberTwoNamesShareIsRefusedWithTheNames() throws {
        var desk = Desktop(Self.shop())
        try desk.run("cancel Her2065 --reason customer --yes")
        try desk.run("recreate 2065 --yes")
        #expect(desk.state.order(named: "Her2065-R1")?.orderNumber == 2065)
        let error = OrderDeskError.ambiguousOrder("2065", names: ["Her2065", "Her2065-R1"])
        #expect(throws: error) { try desk.read("show 2065") }
        #expect(throws: error) { try desk.run("notify 2065 'Hello'") }
        #expect(error.message == "more than one order has the number 2065: did you mean Her2065 or Her2065-R1? Write the full name")
        // The exact name wins over the number.
        #expect(try desk.read("show Her2065").hasPrefix("Her2065 "))
        #expect(try desk.read("show her2065-r1").hasPrefix("Her2065-R1 "))
        // An order named exactly #2066 is what 2066 means, even beside its recreation.
        try desk.run("cancel 2066 --reason customer --yes")
        try desk.run("recreate #2066 --yes")
        #expect(try desk.state.resolveOrder("2066").name == "#2066")
        #expect(desk.state.order(named: "#2066-R1") != nil)
    }

    @Test func recreationsTakeDraftStyleNames() throws {
        var desk = Desktop(Self.shop())
        #expect(desk.state.recreationName(of: "#1042") == "#1042-R1")
        #expect(desk.state.recreationName(of: "1042-EU") == "1042-EU-R1")
        try desk.run("cancel #N13073 --reason customer --refund later --yes")
        try desk.run("recreate #N13073 --yes")
        try desk.run("cancel #N13073-R1 --reason customer --refund later --yes")
        try desk.run("recreate #N13073-R1 --yes")
        #expect(desk.state.order(named: "#N13073-R2")?.recreatedFrom == "#N13073-R1")
        #expect(desk.state.order(named: "#N13073-R2")?.orderNumber == 13073)
        #expect(desk.state.recreationName(of: "#N13073") == "#N13073-R3", "never a name already taken")
    }

    @Test func findCompletionAndTheCommandLineTakePrefixedNames() throws {
        let state = Self.shop()
        let desk = Desktop(state)
        #expect(try desk.read("find 2065").contains("Her2065"))
        #expect(try desk.read("find HER2065").contains("Her2065"))
        #expect(try desk.read("find 13073").contains("#N13073"))
        #expect(try desk.read("find #2066").contains("#2066"))
        #expect(try desk.read("find 02066") == "Nothing matches '02066'.")
        #expect(Completion.candidates(for: "show He", state: state) == ["Her2065"])
        #expect(Completion.candidates(for: "show #N", state: state) == ["#N13073"])
        #expect(Completion.candidates(for: "show 10", state: state) == ["1042-EU"])
        #expect(Completion.candidates(for: "restock Her2065 ", state: state).contains("SOAP"))
        // `#N13073` is an order on the command line, not a comment; `# note` and `#note` still are.
        #expect(try Tokenizer.words("show #N13073 # a note") == ["show", "#N13073"])
        #expect(try Tokenizer.words("show #glow1042 #todo") == ["show", "#glow1042"])
        #expect(Tokenizer.quote("#N13073") == "#N13073")
    }
}
