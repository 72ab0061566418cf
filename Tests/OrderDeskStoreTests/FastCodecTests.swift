import Foundation
import OrderDeskCore
import OrderDeskDemo
import OrderDeskPractice
import OrderDeskTestSupport
import Testing

@_spi(StoreTesting) @testable import OrderDeskStore

/// The fast reader and writer against the reference (Foundation's coders over the model's
/// `Codable` conformance): the same bytes out, the same states in, the same refusals.
///
/// No timings here: speed is measured by `scripts/bench/run` only.
@Suite("Fast store codec: differential tests against the Codable reference")
struct FastCodecTests {
    /// New codecs for each use: a codec is for one thread, and tests run in parallel.
    static var fast: StoreCodec { StoreCodec(.fast) }
    static var reference: StoreCodec { StoreCodec(.reference) }
    static let now = Timestamp(iso8601: "2026-11-26T17:58:12Z")!

    // MARK: Writing: byte for byte what JSONEncoder writes

    @Test(arguments: 0..<40)
    func demoStoresAreWrittenByteForByteAsTheReferenceWritesThem(seed: Int) throws {
        let state = DemoData.makeState(orders: 20 + seed * 9, seed: UInt64(seed), now: Self.now)
        try Self.checkSnapshot(state)
    }

    @Test(arguments: 0..<60)
    func oddValuesAreWrittenAndReadAsTheReferenceDoes(seed: Int) throws {
        var rng = TestRandom(seed: UInt64(seed) &* 7919 &+ 17)
        let base = DemoData.makeState(orders: 15 + seed % 25, seed: UInt64(seed % 7), now: Self.now)
        let state = Odd.state(from: base, &rng)
        try Self.checkSnapshot(state)
    }

    @Test func anEmptyStoreAndTheSampleStore() throws {
        try Self.checkSnapshot(StoreState())
        try Self.checkSnapshot(TrainingStore.make())
        try Self.checkSnapshot(
            StoreState(seq: 12, orders: [], inventory: ["": 0, "Ä-1": -3], settings: Settings(autoRestock: false, defaultRefund: .later)))
    }

    /// A customer without an id (0, "none": a CSV export has no customer ids) is written as
    /// `"id":null` by both writers and read back as 0; stores written before keep their ids.
    @Test func aCustomerWithoutAnIdIsWrittenAsNull() throws {
        let sample = TrainingStore.make()
        var orders = sample.orders
        orders[0].customer.id = 0
        let state = StoreState(seq: sample.seq, orders: orders, inventory: sample.inventory, settings: sample.settings)
        try Self.checkSnapshot(state)
        let bytes = try Self.fast.encodeSnapshot(state)
        #expect(String(decoding: bytes, as: UTF8.self).contains("\"id\":null"))
        let back = try FastStoreDecoder.snapshot(bytes)
        #expect(back.state.orders[0].customer.id == 0)
        #expect(back.state.orders[1].customer.id == sample.orders[1].customer.id)
    }

    @Test func aBiggerDemoStoreRoundTripsThroughTheSnapshotReader() throws {
        let state = DemoData.makeState(orders: 3_000, seed: 1, now: Self.now)
        let bytes = try Self.fast.encodeSnapshot(state)
        #expect(bytes == (try Self.reference.encodeSnapshot(state)))
        let snapshot = try SnapshotReader.check(bytes, file: "snapshot.json", codec: Self.fast)
        #expect(try Self.reference.encodeSnapshot(snapshot.state) == bytes)
        #expect(snapshot.state.orders == state.orders)
    }

    /// A member the reader skips is still checked: its escapes and its UTF-8 as if it were read
    /// (a lone surrogate, an unknown escape and a bad byte bail, so the reference decides).
    @Test(arguments: [
        (#"caf\u00e9 \n \ud83d\ude00 \/ ok"#, true), (#"\ud800 alone"#, false), (#"\x"#, false),
        (#"\u12"#, false), ("\u{FFFD} fine", true),
    ])
    func skippedStringsAreCheckedAsReadOnes(text: String, readable: Bool) throws {
        let event = Event(seq: 1, at: Self.now, agent: "ana", change: Fixture.autoRestockOff())
        let line = FastStoreEncoder.event(event)
        let withMember = [UInt8(ascii: "{")] + Array("\"zz\":\"\(text)\",".utf8) + line.dropFirst()
        #expect((try? FastStoreDecoder.event(withMember[...])) == (readable ? event : nil))
        var badByte = withMember
        badByte[7] = 0xC3
        badByte[8] = 0x28
        #expect((try? FastStoreDecoder.event(badByte[...])) == nil)
    }

    /// A big list of orders is read in two halves at once: the same orders as one reader gives,
    /// for open and cancelled orders alike; a document laid out otherwise (white space) is read
    /// in one; damage in the second half fails the read as it does in one.
    @Test func ordersReadInTwoHalvesGiveTheSameState() throws {
        let state = DemoData.makeState(orders: 3_000, seed: 4, now: Self.now)
        #expect(state.orders.contains { $0.isCancelled } && state.orders.contains { !$0.isCancelled })
        let bytes = try Self.fast.encodeSnapshot(state)
        let middle = bytes.count / 2
        #expect(
            bytes.withUnsafeBufferPointer { b in
                OrdersHalf.guess(from: b.baseAddress! + middle, to: b.baseAddress! + b.count)
            } != nil)
        let taken = OrdersHalf.taken.load(ordering: .relaxed)
        let halves = try FastStoreDecoder.snapshot(bytes[...], parallelMinimum: 1)
        #expect(OrdersHalf.taken.load(ordering: .relaxed) > taken)
        let one = try FastStoreDecoder.snapshot(bytes[...], parallelMinimum: .max)
        #expect(halves.state.orders == state.orders)
        #expect(halves.state.orders == one.state.orders)
        #expect(halves.state.outbox == one.state.outbox && halves.state.feedback == one.state.feedback)

        let pretty = try JSONSerialization.data(
            withJSONObject: try JSONSerialization.jsonObject(with: Data(bytes)), options: [.prettyPrinted, .sortedKeys])
        #expect(try FastStoreDecoder.snapshot(Array(pretty)[...], parallelMinimum: 1).state.orders == state.orders)

        var damaged = bytes
        let quote = damaged[(bytes.count * 3 / 4)...].firstIndex(of: UInt8(ascii: "\""))!
        damaged[quote] = UInt8(ascii: "{")
        #expect(throws: FastBail.self) { try FastStoreDecoder.snapshot(damaged[...], parallelMinimum: 1) }
        #expect(throws: FastBail.self) { try FastStoreDecoder.snapshot(damaged[...], parallelMinimum: .max) }
    }

    /// Writes `state` both ways (same bytes), then reads those bytes back both ways (same state,
    /// the fast reader without stepping aside).
    static func checkSnapshot(_ state: StoreState, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let written = try fast.encodeSnapshot(state)
        let expected = try reference.encodeSnapshot(state)
        #expect(written == expected, "\(firstDifference(written, expected))", sourceLocation: sourceLocation)
        let decoded = try #require(try? FastStoreDecoder.snapshot(expected), sourceLocation: sourceLocation)
        let referenceDecoded = try reference.decodeSnapshot(expected)
        #expect(try reference.encodeSnapshot(decoded.state) == expected, sourceLocation: sourceLocation)
        #expect(same(decoded, referenceDecoded), sourceLocation: sourceLocation)
    }

    // MARK: Journal lines

    @Test(arguments: 0..<30)
    func everyKindOfEventIsWrittenAndReadAsTheReferenceDoes(seed: Int) throws {
        var rng = TestRandom(seed: UInt64(seed) &+ 1000)
        for event in Odd.events(&rng) {
            try Self.checkEvent(event)
        }
    }

    @Test(arguments: 0..<8)
    func eventsFromRealCommandsOnADemoStore(seed: Int) throws {
        var state = DemoData.makeState(orders: 120, seed: UInt64(seed), now: Self.now)
        var events: [Event] = []
        let commands = Self.commandLines(for: state)
        for line in commands {
            guard let command = (try? Command.parse(line)) ?? nil else {
                Issue.record("does not parse: \(line)")
                continue
            }
            let context = Context(now: Self.now.adding(seconds: Int64(events.count)), agent: "ana")
            guard case .change(let plan) = try? Desk.run(command, state: state, context: context),
                let changes = try? plan.decide(state)
            else { continue }
            for change in changes {
                let event = Event(seq: state.seq + 1, at: context.now, agent: "ana", change: change)
                try state.apply(event)
                events.append(event)
            }
        }
        #expect(events.count > 10)
        for event in events { try Self.checkEvent(event) }
        try Self.checkSnapshot(state)
    }

    /// Cancels, refunds, restocks, recreations, notices, feedback and settings on some of a demo
    /// store's orders.
    static func commandLines(for state: StoreState) -> [String] {
        var lines: [String] = []
        for (i, order) in state.orders.enumerated() where i % 3 == 0 {
            let n = order.name
            switch i % 4 {
            case 0:
                lines.append("cancel \(n) --reason customer --note 'asked \"twice\" \\ ünï' --offer '10% off 😀' --yes")
                lines.append("recreate \(n) --yes")
            case 1:
                lines.append("cancel \(n) --reason inventory --refund later --no-restock --yes")
                lines.append("refund \(n) --rest --credit --yes")
                lines.append("restock \(n) --all")
            case 2:
                lines.append("notify \(n) 'Hello,\nyour parcel 📦 is late.\tSorry'")
                lines.append("feedback \(n) --rating 4 'Très bien, merci !'")
            default:
                lines.append("cancel \(n) --reason fraud --yes")
            }
        }
        lines += [
            "settings auto-restock off", "settings default-refund credit", "settings auto-restock on",
            "settings mail-from 'Kauppa Öy <shop@example.com>'", "settings mail-command '/usr/bin/msmtp -t'",
            "settings notice-language fi", "settings reply-to ''",
        ]
        return lines
    }

    static func checkEvent(_ event: Event, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let line = try fast.journalLine(event)
        let expected = try reference.journalLine(event)
        #expect(line == expected, "\(firstDifference(line, expected))", sourceLocation: sourceLocation)
        let body = expected.dropLast()
        try StoreCodec.checkChecksum(line.dropLast())
        let decoded = try #require(try? FastStoreDecoder.event(body), sourceLocation: sourceLocation)
        #expect(decoded == event, sourceLocation: sourceLocation)
        #expect(try reference.journalLine(decoded) == expected, sourceLocation: sourceLocation)
        #expect(try reference.decodeJournalLine(body) == decoded, sourceLocation: sourceLocation)
    }

    // MARK: Reading what other tools write

    @Test(arguments: 0..<24)
    func snapshotsRewrittenByOtherToolsReadTheSame(seed: Int) throws {
        var rng = TestRandom(seed: UInt64(seed) &+ 500)
        var state = DemoData.makeState(orders: 25, seed: UInt64(seed % 5), now: Self.now)
        if seed % 2 == 1 { state = Odd.state(from: state, &rng) }
        let original = try Self.reference.encodeSnapshot(state)
        var parser = MiniJSON.Parser(original)
        let tree = try parser.document()
        var style = MiniJSON.Style(seed: UInt64(seed))
        style.shuffle = true
        style.space = seed % 4
        style.escapeNonASCII = seed % 3 == 0
        style.escapeSlash = seed % 2 == 0
        style.explicitNulls = seed % 2 == 1
        style.unknownMembers = seed % 3 != 1
        let rewritten = style.write(tree)
        #expect(rewritten != original)

        // The fast reader takes these on itself: no stepping aside for jq-style output.
        let decoded = try #require(try? FastStoreDecoder.snapshot(rewritten))
        let referenceDecoded = try Self.reference.decodeSnapshot(rewritten)
        #expect(Self.same(decoded, referenceDecoded))
        #expect(try Self.reference.encodeSnapshot(decoded.state) == original)
        #expect(try Self.fast.encodeSnapshot(try Self.fast.decodeSnapshot(rewritten).state) == original)
    }

    @Test(arguments: 0..<10)
    func journalLinesRewrittenByOtherToolsReadTheSame(seed: Int) throws {
        var rng = TestRandom(seed: UInt64(seed) &+ 77)
        for event in Odd.events(&rng) {
            // The line without its checksum member; the rewritten line gets its own.
            let body = Array(try Self.reference.journalLine(event).dropLast(19)) + [UInt8(ascii: "}")]
            var parser = MiniJSON.Parser(body)
            let tree = try parser.document()
            var style = MiniJSON.Style(seed: UInt64(seed) &+ UInt64(bitPattern: Int64(event.seq)))
            style.shuffle = true
            style.space = seed % 4
            style.escapeNonASCII = seed % 2 == 0
            style.unknownMembers = true
            let rewritten = MiniJSON.withChecksum(style.write(tree))
            let decoded = try #require(try? FastStoreDecoder.event(rewritten[...]))
            #expect(decoded == event)
            #expect(try Self.fast.decodeJournalLine(rewritten[...]) == event)
            #expect(try Self.reference.decodeJournalLine(rewritten[...]) == event)
        }
    }

    /// Valid JSON the fast reader leaves to the reference still reads the same through the codec.
    @Test func unusualValidJSONIsLeftToTheReference() throws {
        let state = Fixture.state(seq: 4)
        let text = String(decoding: try Self.reference.encodeSnapshot(state), as: UTF8.self)
        let variants = [
            "\u{FEFF}" + text,  // a byte-order mark
            text.replacingOccurrences(of: "\"seq\":4", with: "\"seq\":4.0"),  // a whole number as 4.0
            text.replacingOccurrences(of: "\"seq\":4", with: "\"seq\":4e0"),
            text.replacingOccurrences(of: "\"version\":2", with: "\"vers\\u0069on\":2"),  // an escaped name
            text.replacingOccurrences(of: "{\"feedback\":[]", with: "{\"feedback\":[],\"seq\":4"),  // seq twice
        ]
        let expected = try Self.reference.encodeSnapshot(state)
        for variant in variants {
            let bytes = Array(variant.utf8)
            let viaFast = Result { try Self.fast.decodeSnapshot(bytes) }
            let viaReference = Result { try Self.reference.decodeSnapshot(bytes) }
            switch (viaFast, viaReference) {
            case (.success(let a), .success(let b)):
                #expect(Self.same(a, b))
                #expect(try Self.reference.encodeSnapshot(a.state) == expected)
            case (.failure(let a), .failure(let b)):
                #expect(a as? StoreCodec.Problem == b as? StoreCodec.Problem)
            default:
                Issue.record("fast and reference disagree on \(variant.prefix(60))")
            }
        }
    }

    // MARK: Damage: the same refusals, with the same positions

    @Test(arguments: 0..<6)
    func damagedSnapshotsAreRefusedExactlyAsTheReferenceRefusesThem(seed: Int) throws {
        var rng = TestRandom(seed: UInt64(seed) &+ 99)
        let base = DemoData.makeState(orders: 3, seed: UInt64(seed), now: Self.now)
        let state = seed % 2 == 0 ? base : Odd.state(from: base, &rng)
        let original = try Self.reference.encodeSnapshot(state)
        var accepted = 0
        for _ in 0..<400 {
            let bytes = Mutation.apply(original, &rng)
            switch (Result { try Self.fast.decodeSnapshot(bytes) }, Result { try Self.reference.decodeSnapshot(bytes) }) {
            case (.success(let a), .success(let b)):
                accepted += 1
                #expect(try Self.reference.encodeSnapshot(a.state) == (try Self.reference.encodeSnapshot(b.state)))
                #expect(a.format == b.format && a.version == b.version && a.seq == b.seq)
            case (.failure(let a), .failure(let b)):
                #expect(a as? StoreCodec.Problem == b as? StoreCodec.Problem)
            default:
                Issue.record("fast and reference disagree on: \(String(decoding: bytes, as: UTF8.self))")
            }
        }
        #expect(accepted > 0)
    }

    @Test(arguments: 0..<6)
    func damagedJournalLinesAreRefusedExactlyAsTheReferenceRefusesThem(seed: Int) throws {
        var rng = TestRandom(seed: UInt64(seed) &+ 4242)
        let events = Odd.events(&rng)
        var accepted = 0
        for round in 0..<600 {
            let event = events[round % events.count]
            let body = Array(try Self.reference.journalLine(event).dropLast(19)) + [UInt8(ascii: "}")]
            // A correct checksum on the damaged body, so that the damage reaches the decoder.
            let line = MiniJSON.withChecksum(Mutation.apply(body, &rng))
            switch (Result { try Self.fast.decodeJournalLine(line[...]) }, Result { try Self.reference.decodeJournalLine(line[...]) }) {
            case (.success(let a), .success(let b)):
                accepted += 1
                #expect(a == b)
                #expect(try Self.reference.journalLine(a) == (try Self.reference.journalLine(b)))
            case (.failure(let a), .failure(let b)):
                #expect(a as? StoreCodec.Problem == b as? StoreCodec.Problem)
            default:
                Issue.record("fast and reference disagree on: \(String(decoding: line, as: UTF8.self))")
            }
        }
        #expect(accepted > 0)
    }

    @Test func aMalformedSnapshotIsRefusedWithAPosition() throws {
        let bytes = Array(#"{"feedback":[],"format":"orderdesk-store","inventory":{},"orders":[{"id":1,]}"#.utf8)
        #expect(throws: StoreCodec.Problem(byte: 75, problem: "not valid JSON: expected a member name in quotes, found ']'")) {
            try Self.fast.decodeSnapshot(bytes)
        }
        #expect(throws: (any Error).self) { try FastStoreDecoder.snapshot(bytes) }
        #expect(throws: (any Error).self) { try FastStoreDecoder.snapshot([]) }
    }

    // MARK: Values

    @Test func moneyTextReadsAsMoneyReadsIt() {
        var rng = TestRandom(seed: 5)
        let alphabet = Array("0123456789.-+e ".utf8)
        var samples = [
            "", "-", ".", "-.", "0", "-0", "0.", ".5", "12.50", "1.0000000", "9223372036854775807",
            "9223372036854775808", "-9223372036854775807", "-9223372036854775808", "92233720368547758.07",
            "1.123456", "1.1234567", "00012", "1..2", "1.2.", "--1", "+1", "1e3", " 1",
        ]
        for _ in 0..<5_000 {
            samples.append(String(decoding: (0..<rng.below(14)).map { _ in alphabet[rng.below(alphabet.count)] }, as: UTF8.self))
        }
        for text in samples {
            let fast = Array(text.utf8).withUnsafeBufferPointer { FastValues.money($0) }
            let reference = Money(text)
            #expect(fast?.units == reference?.units && fast?.scale == reference?.scale, "\(text)")
        }
    }

    @Test func timesReadAsTimestampReadsThem() {
        var rng = TestRandom(seed: 6)
        var samples = [
            "2026-11-26T17:58:12Z", "2024-02-29T00:00:00Z", "2023-02-29T00:00:00Z", "2026-13-01T00:00:00Z",
            "2026-00-01T00:00:00Z", "2026-04-31T00:00:00Z", "2026-04-30T24:00:00Z", "2026-04-30T23:60:00Z",
            "2026-04-30T23:59:60Z", "2026-04-30T23:59:61Z", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59Z",
            "2026-04-30 23:59:59Z", "2026-04-30T23:59:59+01:00", "2026-04-30T23:59:59.5Z", "2026-04-30T23:59:59z",
        ]
        let alphabet = Array("0123456789-T:Z ".utf8)
        for _ in 0..<5_000 {
            var bytes = Array(samples[rng.below(12)].utf8)
            for _ in 0..<(1 + rng.below(2)) { bytes[rng.below(bytes.count)] = alphabet[rng.below(alphabet.count)] }
            samples.append(String(decoding: bytes, as: UTF8.self))
        }
        for text in samples {
            let reference = Timestamp(iso8601: text)
            if let fast = Array(text.utf8).withUnsafeBufferPointer({ FastValues.timestamp($0) }) {
                #expect(fast == reference, "\(text)")
            } else {
                // Only forms other than the one the store writes are left to Timestamp itself.
                #expect(reference == nil || text.utf8.count != 20 || text.contains(" ") || !text.hasSuffix("Z"), "\(text)")
            }
        }
    }

    @Test func stringsWithEveryEscapeReadAsTheReferenceReadsThem() throws {
        let texts = [
            #""\u0041\u00e9\u20ac\ud83d\ude00\n\t\"\\\/\b\f\r""#, #""\u0000""#, #""plain""#, "\"\u{7F}é😀\"",
            #""\ud800""#, #""\udc00\ud800""#, #""\ud83d\u0041""#, #""\x""#, #""\u12""#, "\"a\u{1}\"", "\"\u{FFFF}\"",
        ]
        for text in texts {
            var bytes = Array(text.utf8)
            let viaReference = try? JSONDecoder().decode(String.self, from: Data(bytes))
            let viaFast: String? = bytes.withUnsafeBufferPointer { buffer in
                var reader = FastReader(buffer)
                guard let s = try? reader.string(), reader.atEnd() else { return nil }
                return s
            }
            if let viaFast {
                #expect(viaReference.map { Array($0.utf8) } == Array(viaFast.utf8), "\(text)")
            }
            bytes = [0xC0, 0x80]
            #expect(bytes.withUnsafeBufferPointer { UTF8Check.isValid($0) } == false)
        }
        for bytes: [UInt8] in [[0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE0, 0x80, 0x80], [0xFF], [0xC3]] {
            #expect(bytes.withUnsafeBufferPointer { UTF8Check.isValid($0) } == false)
        }
        for bytes: [UInt8] in [[0xC3, 0xA9], [0xEF, 0xBF, 0xBF], [0xF4, 0x8F, 0xBF, 0xBF], [0xF0, 0x9F, 0x98, 0x80]] {
            #expect(bytes.withUnsafeBufferPointer { UTF8Check.isValid($0) })
        }
    }

    // MARK: Checksums

    /// The CRC-32 of slicing by 8 against the plain byte-at-a-time table, at every length and
    /// alignment, and the background one of a big buffer.
    @Test func checksumsAreTheByteAtATimeOnes() {
        func plain(_ bytes: ArraySlice<UInt8>) -> UInt32 {
            var c: UInt32 = 0xFFFF_FFFF
            for byte in bytes { c = CRC32.table[Int((c ^ UInt32(byte)) & 0xFF)] ^ (c >> 8) }
            return c ^ 0xFFFF_FFFF
        }
        var rng = TestRandom(seed: 11)
        let bytes = (0..<300).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        for start in 0..<9 {
            for end in start...bytes.count where end - start < 40 || end == bytes.count {
                #expect(CRC32.checksum(bytes[start..<end]) == plain(bytes[start..<end]))
            }
        }
        let big = (0..<(3 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 7) }
        #expect(CRC32.Pending(big[...]).value == plain(big[...]))
        #expect(CRC32.Pending(big[5..<1000]).value == plain(big[5..<1000]))
    }

    // MARK: find

    /// `find` as it would be written without an index: folded copies of every field (case and
    /// accents aside), the whole text or each of its words.
    static func referenceFind(_ text: String, limit: Int, _ state: StoreState) -> [String] {
        func trimmingSpaces(_ s: Substring) -> String {
            String(s.drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
        }
        func finds(_ text: String, _ o: Order) -> Bool {
            let needle = TextFold.fold(text)
            let number = needle.hasPrefix("#") ? String(needle.dropFirst()) : needle
            return TextFold.fold(o.name) == needle || String(o.orderNumber) == number || TextFold.fold(o.email).contains(needle)
                || TextFold.fold(o.customer.fullName).contains(needle)
                || o.lineItems.contains { TextFold.fold($0.sku).contains(needle) }
                || TextFold.fold(o.tags).split(separator: ",").contains { trimmingSpaces($0) == needle }
        }
        let words = TextFold.words(text)
        var found: [String] = []
        for o in state.orders.reversed() {
            let hit = finds(text, o) || (words.count > 1 && words.allSatisfy { finds($0, o) })
            if hit {
                found.append(o.name)
                if found.count == limit { break }
            }
        }
        return found
    }

    /// The names `find` gives, through the command itself.
    static func find(_ text: String, limit: Int, _ state: StoreState) throws -> [String] {
        let context = Context(now: now, agent: "ana")
        guard
            case .output(let json) = try Desk.run(
                Command(FindCommand(text: text, limit: limit, json: true)), state: state, context: context),
            let orders = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]]
        else { return ["(no JSON)"] }
        return orders.map { $0["name"] as? String ?? "?" }
    }

    static let findTexts = [
        "", "#", " ", ";", "`", "k", "i", "é", "e\u{301}", "\r", "a\r\nb", "-", "@example", "zzqx", "#1001", "1001",
        "MOREAU", "léa", "ÄRLIG", "tee-blk", "vip", "first-order", "first", ",", "😀", "k\u{301}", "ı", "ß", "ss", "\u{212A}",
        "İ", "i\u{307}", "straße", "mo", "a b", "O", "example.com", "\u{00AD}", "ﬁ", "fi", "zoe moreau", "moreau zoe",
        "Zoë Moreau", "lea", "arlig jons", "e", "eu", "ø",
    ]

    @Test(arguments: 0..<12)
    func findGivesWhatTheFieldByFieldTestGives(seed: Int) throws {
        var rng = TestRandom(seed: UInt64(seed) &+ 31)
        var state = DemoData.makeState(orders: 150, seed: UInt64(seed), now: Self.now)
        if seed % 2 == 1 {
            // Odd text in the searched fields, including what lowercases or normalizes to ASCII.
            let odd =
                Odd.strings + [
                    "İstanbul", "\u{212A}elvin", "semi\u{037E}colon", "grave\u{1FEF}", "mo\u{00AD}reau", "e\u{301}mile",
                    "ZOE\u{200D}", "ﬁne", "STRASSE", "Straße", "tee-blk-m\r\n", "Ｆｕｌｌ", "vip , first-order,,", " VIP ",
                ]
            let orders = state.orders.map { o -> Order in
                var o = o
                if rng.oneIn(3) { o.email = rng.pick(odd) + rng.pick(["", "@example.com"]) }
                if rng.oneIn(3) { o.customer.firstName = rng.pick(odd) }
                if rng.oneIn(3) { o.customer.lastName = rng.pick(odd) }
                if rng.oneIn(3) { o.tags = rng.pick(odd) + "," + rng.pick(odd) }
                // Never an empty name: no command makes one, and find cannot tell two such orders apart.
                if rng.oneIn(10) { o.name = rng.pick(odd.filter { !$0.isEmpty }) }
                for i in o.lineItems.indices where rng.oneIn(3) { o.lineItems[i].sku = rng.pick(odd) }
                return o
            }
            state = StoreState(
                seq: state.seq, orders: orders, inventory: state.inventory, feedback: state.feedback, settings: state.settings,
                outbox: state.outbox)
        }
        // Texts taken from the orders themselves, in odd case, besides the fixed ones.
        var texts = Self.findTexts
        for _ in 0..<40 {
            let o = state.orders[rng.below(state.orders.count)]
            let field = rng.pick([o.email, o.customer.fullName, o.tags, o.name, o.lineItems.first?.sku ?? ""])
            let chars = Array(field)
            guard !chars.isEmpty else { continue }
            let from = rng.below(chars.count)
            let piece = String(chars[from..<min(chars.count, from + 1 + rng.below(8))])
            texts.append(rng.oneIn(2) ? piece.uppercased() : piece)
        }
        for text in texts {
            for limit in [3, 1_000] {
                let got = try Self.find(text, limit: limit, state)
                let reference = Self.referenceFind(text, limit: limit, state)
                #expect(got == reference, "find \(text.debugDescription): \(got) against \(reference)")
            }
        }
        // A change after a search: the next search sees it (the index is made again).
        let original = state.orders[0]
        var copy = original
        copy.name = "#\(900_000 + seed)"
        copy.email = "new.customer\(seed)@example.org"
        copy.cancelledAt = nil
        let before = try Self.find("new.customer", limit: 1_000, state)
        let event = Event(
            seq: state.seq + 1, at: Self.now, agent: "ana",
            change: .ordersImported(ImportChange(source: "test", orders: [copy], inventory: [:])))
        try state.apply(event)
        let after = try Self.find("new.customer", limit: 1_000, state)
        #expect(after == Self.referenceFind("new.customer", limit: 1_000, state))
        #expect(after.count == before.count + 1)
    }

    // MARK: Helpers

    /// Same documents: compared through the reference's own bytes (which keep money's scale and
    /// a string's exact code points, where `==` would not) and through `==`.
    static func same(_ a: Snapshot, _ b: Snapshot) -> Bool {
        guard a.format == b.format, a.version == b.version, a.seq == b.seq, a.orders == b.orders,
            a.inventory == b.inventory, a.feedback == b.feedback, a.settings == b.settings, a.outbox == b.outbox
        else { return false }
        return (try? reference.encodeSnapshot(a.state)) == (try? reference.encodeSnapshot(b.state))
    }

    static func firstDifference(_ a: [UInt8], _ b: [UInt8]) -> String {
        guard let i = (0..<min(a.count, b.count)).first(where: { a[$0] != b[$0] }) ?? (a.count == b.count ? nil : min(a.count, b.count))
        else {
            return "same"
        }
        let from = max(0, i - 60)
        return
            "at byte \(i): fast …\(String(decoding: a[from..<min(a.count, i + 60)], as: UTF8.self))… reference …\(String(decoding: b[from..<min(b.count, i + 60)], as: UTF8.self))…"
    }
}

// MARK: - Generators

/// SplitMix64, for reproducible test data.
struct TestRandom {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    /// True one time in `n`.
    mutating func oneIn(_ n: Int) -> Bool { below(n) == 0 }
    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
}

/// Odd but legal values: what a store may hold after imports and agents' free text.
enum Odd {
    static let strings: [String] = [
        "", "plain", "Léa Moreau", "Ärlig", "とても良い品質です。", "emoji 😀👍🏽 family 👨‍👩‍👧 flag 🇸🇪",
        "quote \" backslash \\ slash / and \\\" both", "tab\tnewline\ncr\rform\u{0C}backspace\u{08}",
        "nul \u{0} bell \u{7} esc \u{1B} unit \u{1F} del \u{7F}", "separators \u{2028} \u{2029} bom \u{FEFF}",
        "e\u{301} decomposed and é composed", "\\u0041 is not an escape here", "</script><b>", "#1001",
        "a,b, c ,d", String(repeating: "long text ", count: 40), "\u{10FFFF}\u{E000}\u{FFFD}", " ", "\"", "\\",
        "crlf\r\nend", "ключ", "مرحبا", "null", "true", "0", "-1.5",
    ]
    static let moneys: [Money] = [
        .zero, Money(units: Int64.max, scale: 2), Money(units: Int64.min + 1, scale: 6), Money(units: -5, scale: 2),
        Money(units: 1, scale: 6), Money(units: 123_456_789, scale: 0), Money(units: -1, scale: 0),
        Money(units: 1250, scale: 2), Money(units: 125, scale: 1), Money(units: 100, scale: 3), Money(units: 7, scale: 4),
    ]
    static let times: [Timestamp] = [
        Timestamp(seconds: 0), Timestamp(seconds: -86_401), Timestamp(seconds: -1),
        Timestamp(iso8601: "9999-12-31T23:59:59Z")!, Timestamp(iso8601: "2024-02-29T12:00:00Z")!,
        Timestamp(iso8601: "0001-01-01T00:00:00Z")!, Timestamp(iso8601: "2026-11-26T17:58:12Z")!,
    ]
    static let ids: [Int64] = [0, 1, -1, Int64.max, Int64.min, 5_000_000_001_001]
    static let ints: [Int] = [0, 1, -1, Int.max, Int.min, 42, 1_000_000]

    static func string(_ rng: inout TestRandom) -> String {
        rng.oneIn(4) ? rng.pick(strings) + rng.pick(strings) : rng.pick(strings)
    }
    static func maybe<T>(_ rng: inout TestRandom, _ value: (inout TestRandom) -> T) -> T? {
        rng.oneIn(2) ? nil : value(&rng)
    }

    /// A state like `base`, with odd values sprinkled over its orders and records.
    static func state(from base: StoreState, _ rng: inout TestRandom) -> StoreState {
        var orders = base.orders.map { order(from: $0, &rng) }
        if !orders.isEmpty {
            var empty = orders[0]
            empty.lineItems = []
            empty.refunds = []
            empty.timeline = []
            empty.tags = ""
            (empty.note, empty.shippingAddress, empty.cancellation, empty.fulfillmentStatus) = (nil, nil, nil, nil)
            (empty.cancelledAt, empty.cancelReason, empty.closedAt, empty.recreatedAs, empty.recreatedFrom) = (nil, nil, nil, nil, nil)
            orders.append(empty)
        }
        var inventory = base.inventory
        for _ in 0..<3 { inventory[string(&rng)] = rng.pick(ints) }
        let feedback =
            base.feedback.map { f -> Feedback in
                var f = f
                if rng.oneIn(2) { f.text = string(&rng) }
                if rng.oneIn(3) { f.rating = rng.pick(ints) }
                if rng.oneIn(3) { f.at = rng.pick(times) }
                return f
            } + [
                Feedback(
                    id: rng.pick(ids), order: string(&rng), email: string(&rng), rating: rng.pick(ints), text: string(&rng),
                    agent: string(&rng), at: rng.pick(times))
            ]
        let outbox =
            base.outbox.map { n -> Notice in
                var n = n
                if rng.oneIn(2) { n.body = string(&rng) }
                if rng.oneIn(3) { n.subject = string(&rng) }
                return n
            } + [notice(&rng)]
        var settings = Settings(autoRestock: rng.oneIn(2), defaultRefund: rng.pick(RefundMode.allCases))
        settings.mailFrom = maybe(&rng) { (rng: inout TestRandom) in string(&rng) }
        settings.replyTo = maybe(&rng) { (rng: inout TestRandom) in string(&rng) }
        settings.mailBcc = maybe(&rng) { (rng: inout TestRandom) in string(&rng) }
        settings.mailCommand = maybe(&rng) { (rng: inout TestRandom) in string(&rng) }
        settings.noticeLanguage = maybe(&rng) { (rng: inout TestRandom) in string(&rng) }
        return StoreState(
            seq: rng.pick([0, 1, 7, 1_000_000, Int.max]), orders: orders, inventory: inventory, feedback: feedback,
            settings: settings, outbox: outbox)
    }

    static func order(from base: Order, _ rng: inout TestRandom) -> Order {
        var o = base
        if rng.oneIn(3) { o.email = string(&rng) }
        if rng.oneIn(4) { o.customer.firstName = string(&rng) }
        if rng.oneIn(4) { o.customer.lastName = string(&rng) }
        if rng.oneIn(6) { o.customer.id = rng.pick(ids) }
        if rng.oneIn(6) { o.id = rng.pick(ids) }
        if rng.oneIn(6) { o.orderNumber = rng.pick(ints) }
        if rng.oneIn(4) { o.currency = rng.pick(["EUR", "JPY", "bhd", "", "XYZ", "€"]) }
        if rng.oneIn(3) { o.totalPrice = rng.pick(moneys) }
        if rng.oneIn(4) { o.subtotalPrice = rng.pick(moneys) }
        if rng.oneIn(4) { o.taxesIncluded.toggle() }
        if rng.oneIn(3) { o.transactions.append(transaction(&rng)) }
        if rng.oneIn(5) { o.totalTax = rng.pick(moneys) }
        if rng.oneIn(5) { o.createdAt = rng.pick(times) }
        if rng.oneIn(3) { o.note = maybe(&rng) { (rng: inout TestRandom) in string(&rng) } }
        if rng.oneIn(3) { o.tags = string(&rng) }
        if rng.oneIn(4) { o.fulfillmentStatus = maybe(&rng) { (rng: inout TestRandom) in rng.pick(FulfillmentStatus.allCases) } }
        if rng.oneIn(4) { o.financialStatus = rng.pick(FinancialStatus.allCases) }
        if rng.oneIn(4) { o.cancelReason = maybe(&rng) { (rng: inout TestRandom) in rng.pick(CancelReason.allCases) } }
        if rng.oneIn(4) { o.cancelledAt = maybe(&rng) { (rng: inout TestRandom) in rng.pick(times) } }
        if rng.oneIn(4) { o.closedAt = maybe(&rng) { (rng: inout TestRandom) in rng.pick(times) } }
        if rng.oneIn(4) { o.recreatedAs = maybe(&rng) { (rng: inout TestRandom) in string(&rng) } }
        if rng.oneIn(4) { o.recreatedFrom = maybe(&rng) { (rng: inout TestRandom) in string(&rng) } }
        if rng.oneIn(4) { o.customerLocale = maybe(&rng) { (rng: inout TestRandom) in string(&rng) } }
        if rng.oneIn(4) {
            o.cancellation = maybe(&rng) { (rng: inout TestRandom) in
                CancellationRecord(
                    agent: string(&rng), reason: rng.pick(CancelReason.allCases),
                    note: maybe(&rng) { (rng: inout TestRandom) in string(&rng) },
                    refund: rng.pick(CancelRefund.allCases),
                    notified: rng.oneIn(2))
            }
        }
        if rng.oneIn(4) {
            o.shippingAddress = maybe(&rng) { (rng: inout TestRandom) in
                Address(name: string(&rng), address1: string(&rng), city: string(&rng), zip: string(&rng), country: string(&rng))
            }
        }
        for i in o.lineItems.indices where rng.oneIn(3) {
            o.lineItems[i].title = string(&rng)
            o.lineItems[i].sku = string(&rng)
            o.lineItems[i].variantTitle = maybe(&rng) { (rng: inout TestRandom) in string(&rng) }
            o.lineItems[i].price = rng.pick(moneys)
            o.lineItems[i].quantity = rng.pick(ints)
            o.lineItems[i].id = rng.pick(ids)
            o.lineItems[i].fulfillableQuantity = rng.pick(ints)
            o.lineItems[i].giftCard = rng.oneIn(2)
        }
        if rng.oneIn(3) { o.refunds.append(refund(&rng)) }
        if rng.oneIn(3) {
            o.timeline.append(
                TimelineEntry(
                    at: rng.pick(times), agent: maybe(&rng) { (rng: inout TestRandom) in string(&rng) },
                    seq: maybe(&rng) { (rng: inout TestRandom) in rng.pick(ints) }, message: string(&rng)))
        }
        return o
    }

    static func transaction(_ rng: inout TestRandom) -> Transaction {
        Transaction(
            id: rng.pick(ids), kind: rng.pick(TransactionKind.allCases), status: rng.pick(TransactionStatus.allCases),
            amount: rng.pick(moneys), currency: rng.pick(["EUR", "JPY", "", "€"]), gateway: string(&rng),
            parentId: maybe(&rng) { (rng: inout TestRandom) in rng.pick(ids) }, createdAt: rng.pick(times),
            transfer: maybe(&rng) { (rng: inout TestRandom) in string(&rng) })
    }

    static func refund(_ rng: inout TestRandom) -> Refund {
        let lines =
            rng.oneIn(2)
            ? []
            : [
                RefundLineItem(
                    lineItemId: rng.pick(ids), quantity: rng.pick(ints), restockType: rng.pick(RestockType.allCases),
                    subtotal: rng.pick(moneys), totalTax: rng.pick(moneys))
            ]
        let adjustments =
            rng.oneIn(2) ? [] : [OrderAdjustment(kind: string(&rng), amount: rng.pick(moneys), taxAmount: rng.pick(moneys))]
        return Refund(
            id: rng.pick(ids), createdAt: rng.pick(times), note: maybe(&rng) { (rng: inout TestRandom) in string(&rng) },
            transactions: rng.oneIn(4) ? [] : [transaction(&rng)], refundLineItems: lines, orderAdjustments: adjustments)
    }

    static func notice(_ rng: inout TestRandom) -> Notice {
        var n = Notice(
            id: rng.pick(ids), at: rng.pick(times), order: string(&rng), to: string(&rng), subject: string(&rng), body: string(&rng),
            agent: string(&rng))
        guard rng.oneIn(2) else { return n }  // half as notices were before delivery
        func text(_ rng: inout TestRandom) -> String? { maybe(&rng) { (rng: inout TestRandom) in string(&rng) } }
        n.status = maybe(&rng) { (rng: inout TestRandom) in rng.pick(NoticeStatus.allCases) }
        n.toName = text(&rng)
        n.language = text(&rng)
        n.reason = text(&rng)
        n.attempts = maybe(&rng) { (rng: inout TestRandom) in rng.pick(ints) }
        n.nextAttempt = maybe(&rng) { (rng: inout TestRandom) in rng.pick(times) }
        n.sentAt = maybe(&rng) { (rng: inout TestRandom) in rng.pick(times) }
        n.mta = text(&rng)
        n.messageId = text(&rng)
        n.from = text(&rng)
        n.replyTo = text(&rng)
        n.bcc = text(&rng)
        return n
    }

    static func delivery(_ rng: inout TestRandom) -> NoticeDelivery {
        func text(_ rng: inout TestRandom) -> String? { maybe(&rng) { (rng: inout TestRandom) in string(&rng) } }
        return NoticeDelivery(
            noticeId: rng.pick(ids), order: string(&rng), outcome: rng.pick(NoticeDelivery.Outcome.allCases), attempts: rng.pick(ints),
            reason: text(&rng), mta: text(&rng), nextAttempt: maybe(&rng) { (rng: inout TestRandom) in rng.pick(times) },
            messageId: string(&rng), from: string(&rng), replyTo: text(&rng), bcc: text(&rng))
    }

    static func restockLines(_ rng: inout TestRandom) -> [RestockLine] {
        (0..<rng.below(3)).map { _ in RestockLine(lineItemId: rng.pick(ids), sku: string(&rng), quantity: rng.pick(ints)) }
    }

    /// One event of every kind, optional members present or not, with odd values.
    static func events(_ rng: inout TestRandom) -> [Event] {
        let demo = DemoData.makeState(orders: 4, seed: rng.next() % 100, now: FastCodecTests.now)
        let someOrder = order(from: demo.orders[rng.below(demo.orders.count)], &rng)
        let changes: [Change] = [
            .settingChanged(SettingChange(key: string(&rng), value: string(&rng), previous: string(&rng))),
            .orderCancelled(
                Cancellation(
                    order: string(&rng), reason: rng.pick(CancelReason.allCases),
                    note: maybe(&rng) { (rng: inout TestRandom) in string(&rng) },
                    refundMode: rng.pick(CancelRefund.allCases), refund: maybe(&rng) { (rng: inout TestRandom) in refund(&rng) },
                    voids: rng.oneIn(2) ? [] : [transaction(&rng)], restocked: restockLines(&rng),
                    notice: maybe(&rng) { (rng: inout TestRandom) in notice(&rng) },
                    offer: maybe(&rng) { (rng: inout TestRandom) in string(&rng) })),
            .orderCancelled(
                Cancellation(
                    order: "#1001", reason: .customer, note: "n", refundMode: .now, refund: refund(&rng), voids: [],
                    restocked: restockLines(&rng), notice: notice(&rng), offer: "o")),
            .orderRefunded(
                RefundChange(
                    order: string(&rng), refund: refund(&rng), restocked: restockLines(&rng),
                    notice: maybe(&rng) { (rng: inout TestRandom) in notice(&rng) })),
            .orderReturned(RefundChange(order: string(&rng), refund: refund(&rng), restocked: restockLines(&rng), notice: notice(&rng))),
            .paymentRecorded(PaymentChange(order: string(&rng), transactions: [transaction(&rng), transaction(&rng)])),
            .orderRestocked(RestockChange(order: string(&rng), lines: restockLines(&rng))),
            .customerNotified(notice(&rng)),
            .feedbackLogged(
                Feedback(
                    id: rng.pick(ids), order: string(&rng), email: string(&rng), rating: rng.pick(ints), text: string(&rng),
                    agent: string(&rng), at: rng.pick(times))),
            .orderRecreated(
                Recreation(
                    original: string(&rng), order: someOrder, taken: restockLines(&rng),
                    moved: maybe(&rng) { (rng: inout TestRandom) in refund(&rng) },
                    notice: maybe(&rng) { (rng: inout TestRandom) in notice(&rng) })),
            .ordersImported(
                ImportChange(
                    source: string(&rng), orders: demo.orders.map { order(from: $0, &rng) },
                    inventory: [string(&rng): rng.pick(ints), "TEE": 3])),
            .ordersImported(ImportChange(source: "", orders: [], inventory: [:])),
            .noticeDelivery(delivery(&rng)), .noticeDelivery(delivery(&rng)), .noticeDelivery(delivery(&rng)),
        ]
        return changes.enumerated().map { i, change in
            Event(seq: rng.oneIn(3) ? rng.pick([1, Int.max, 0, -5]) : i + 1, at: rng.pick(times), agent: string(&rng), change: change)
        }
    }
}

/// Damage: random bytes replaced, dropped, added or repeated.
enum Mutation {
    static let interesting =
        Array("{}[]\":,\\-0123456789.eEnulltruefalse \n\t".utf8) + [0x00, 0x1F, 0x7F, 0x80, 0xC3, 0xA9, 0xED, 0xF0, 0xFF]

    static func apply(_ original: [UInt8], _ rng: inout TestRandom) -> [UInt8] {
        var bytes = original
        for _ in 0..<(1 + rng.below(3)) {
            guard !bytes.isEmpty else { break }
            let i = rng.below(bytes.count)
            switch rng.below(6) {
            case 0: bytes[i] = rng.pick(interesting)
            case 1: bytes[i] = UInt8(truncatingIfNeeded: rng.next())
            case 2: bytes.remove(at: i)
            case 3: bytes.insert(rng.pick(interesting), at: i)
            case 4:
                let j = min(bytes.count, i + 1 + rng.below(12))
                bytes.insert(contentsOf: bytes[i..<j], at: i)
            default:
                let j = min(bytes.count, i + 1 + rng.below(12))
                bytes.removeSubrange(i..<j)
            }
        }
        return bytes
    }
}

/// A small JSON tree that keeps strings and numbers exactly as written, and writes them back the
/// way other tools might: members shuffled, white space, `\u` escapes, `\/`, explicit nulls,
/// extra members.
enum MiniJSON {
    indirect enum Value {
        case object([(String, Value)])
        case array([Value])
        /// The escaped text between the quotes.
        case string([UInt8])
        case number([UInt8])
        case literal(String)
    }

    struct Failure: Error {}

    struct Parser {
        let bytes: [UInt8]
        var i = 0
        init(_ bytes: [UInt8]) { self.bytes = bytes }

        mutating func document() throws -> Value {
            let value = try self.value()
            space()
            guard i == bytes.count else { throw Failure() }
            return value
        }

        mutating func space() {
            while i < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[i]) { i += 1 }
        }

        mutating func value() throws -> Value {
            space()
            guard i < bytes.count else { throw Failure() }
            switch bytes[i] {
            case UInt8(ascii: "{"):
                i += 1
                var members: [(String, Value)] = []
                space()
                if bytes[i] == UInt8(ascii: "}") {
                    i += 1
                    return .object([])
                }
                while true {
                    space()
                    guard case .string(let name) = try value() else { throw Failure() }
                    space()
                    guard bytes[i] == UInt8(ascii: ":") else { throw Failure() }
                    i += 1
                    members.append((String(decoding: name, as: UTF8.self), try value()))
                    space()
                    i += 1
                    if bytes[i - 1] == UInt8(ascii: "}") { return .object(members) }
                }
            case UInt8(ascii: "["):
                i += 1
                var items: [Value] = []
                space()
                if bytes[i] == UInt8(ascii: "]") {
                    i += 1
                    return .array([])
                }
                while true {
                    items.append(try value())
                    space()
                    i += 1
                    if bytes[i - 1] == UInt8(ascii: "]") { return .array(items) }
                }
            case UInt8(ascii: "\""):
                i += 1
                let start = i
                while bytes[i] != UInt8(ascii: "\"") { i += bytes[i] == UInt8(ascii: "\\") ? 2 : 1 }
                i += 1
                return .string(Array(bytes[start..<(i - 1)]))
            case UInt8(ascii: "t"):
                i += 4
                return .literal("true")
            case UInt8(ascii: "f"):
                i += 5
                return .literal("false")
            case UInt8(ascii: "n"):
                i += 4
                return .literal("null")
            default:
                let start = i
                while i < bytes.count, Array("-+.eE0123456789".utf8).contains(bytes[i]) { i += 1 }
                return .number(Array(bytes[start..<i]))
            }
        }
    }

    struct Style {
        var rng: TestRandom
        var shuffle = false
        /// 0 none, 1 pretty, 2 random spaces, 3 tabs and CRLF.
        var space = 0
        var escapeNonASCII = false
        var escapeSlash = false
        var explicitNulls = false
        var unknownMembers = false

        init(seed: UInt64) { rng = TestRandom(seed: seed) }

        static let orderOptionals = [
            "cancel_reason", "cancellation", "cancelled_at", "closed_at", "fulfillment_status", "note", "recreated_as",
            "recreated_from", "shipping_address",
        ]

        mutating func write(_ value: Value) -> [UInt8] {
            var out: [UInt8] = []
            write(value, depth: 0, into: &out)
            return out
        }

        mutating func gap(_ depth: Int, into out: inout [UInt8]) {
            switch space {
            case 1: out += [0x0A] + Array(repeating: 0x20, count: depth * 2)
            case 2: out += Array(repeating: 0x20, count: rng.below(3))
            case 3: out += rng.oneIn(2) ? [0x0D, 0x0A, 0x09] : [0x09]
            default: break
            }
        }

        /// `map` for a dictionary's object (`inventory`), where an extra member would be an entry.
        mutating func write(_ value: Value, depth: Int, map: Bool = false, into out: inout [UInt8]) {
            switch value {
            case .object(var members):
                if explicitNulls && members.contains(where: { $0.0 == "line_items" }) {
                    for name in Self.orderOptionals where !members.contains(where: { $0.0 == name }) {
                        members.append((name, .literal("null")))
                    }
                }
                if unknownMembers && !map && rng.oneIn(3) {
                    members.append(
                        (
                            "x_extra_\(rng.below(100))",
                            .object([
                                (
                                    "n",
                                    .array([
                                        .number(Array("-1.5e+3".utf8)), .literal("true"), .literal("null"),
                                        .string(Array("\\u00e9\\n".utf8)), .object([]),
                                    ])
                                )
                            ])
                        ))
                }
                if shuffle {
                    for k in stride(from: members.count - 1, to: 0, by: -1) { members.swapAt(k, rng.below(k + 1)) }
                }
                out.append(UInt8(ascii: "{"))
                for (k, (name, member)) in members.enumerated() {
                    if k > 0 { out.append(UInt8(ascii: ",")) }
                    gap(depth + 1, into: &out)
                    out += [0x22] + Array(name.utf8) + [0x22]
                    gap(depth + 1, into: &out)
                    out.append(UInt8(ascii: ":"))
                    gap(depth + 1, into: &out)
                    write(member, depth: depth + 1, map: name == "inventory", into: &out)
                }
                gap(depth, into: &out)
                out.append(UInt8(ascii: "}"))
            case .array(let items):
                out.append(UInt8(ascii: "["))
                for (k, item) in items.enumerated() {
                    if k > 0 { out.append(UInt8(ascii: ",")) }
                    gap(depth + 1, into: &out)
                    write(item, depth: depth + 1, into: &out)
                }
                gap(depth, into: &out)
                out.append(UInt8(ascii: "]"))
            case .string(let raw):
                out.append(0x22)
                out += rewrite(raw)
                out.append(0x22)
            case .number(let raw):
                out += raw
            case .literal(let word):
                out += Array(word.utf8)
            }
        }

        /// The escaped text of a string, with non-ASCII as `\u` escapes and `/` as `\/` if asked.
        func rewrite(_ raw: [UInt8]) -> [UInt8] {
            var out: [UInt8] = []
            let text = String(decoding: raw, as: UTF8.self)
            for scalar in text.unicodeScalars {
                if scalar == "/" && escapeSlash {
                    out += Array(#"\/"#.utf8)
                } else if scalar.value >= 0x80 && escapeNonASCII {
                    for unit in String(scalar).utf16 {
                        let hex = String(unit, radix: 16)
                        out += Array(("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).utf8)
                    }
                } else {
                    out += Array(String(scalar).utf8)
                }
            }
            return out
        }
    }

    /// `{…}` with `,"crc":"…"` added before its closing brace, as the store writes a line.
    static func withChecksum(_ body: [UInt8]) -> [UInt8] {
        guard body.last == UInt8(ascii: "}") else { return body }
        let crc = CRC32.checksum(body)
        return Array(body.dropLast()) + Array(#","crc":""#.utf8) + Array(CRC32.hex(crc).utf8) + Array("\"}".utf8)
    }
}
