// libFuzzer target: whole scripts against a MemoryStore, the way a batch runs them (issue 13).
//
// The first input byte picks a mode:
// - even: the rest is the script's bytes as they are (odd bytes, CR, NUL, invalid UTF-8);
// - odd: each byte of the rest picks from a grammar of valid and broken command lines (wrong
//   flags, flags where values belong, repeated flags, bad amounts, hostile text), joined by LF,
//   CRLF or a stray byte, so that mutations reach the rules and the store.
// Lines are split by ScriptLines (the shell's own rules), parsed, run by the core and committed to
// a MemoryStore as a batch line would be. Besides "never crashes", it checks:
// - a refused line (parse, rules or commit) changes nothing;
// - a dry run changes nothing, and a batch line never asks a question;
// - at the end, "store verify": replaying the audit log onto the starting state gives the state
//   the store holds, and that state writes as a snapshot that reads back the same.
import Glibc
import OrderDeskCore
import OrderDeskPractice

@testable import OrderDeskStore

nonisolated(unsafe) let codec = StoreCodec()
let start = TrainingStore.make()

let orders = ["#1001", "#1002", "#1003", "#1004", "#1005", "#1006", "#1007", "#1008", "#1009", "1001", "#0", "#99999999999999999999"]
let reasons = ["customer", "inventory", "fraud", "declined", "shipping", "staff", "other", "bored", "--dry-run"]
let amounts = ["0.01", "5", "12.50", ".5", "1e3", "-5", "99999", "0", "12,50", "67.40", "0.001"]
let skus = ["TEE-BLK-M", "MUG-WHT", "NOTE-A5", "SOCK-3PK", "mug-wht", "NOPE", "\u{1B}[2J"]
let texts = ["thanks", "it's late", "\u{1B}]52;c;x\u{07}", "--dry-run", "Zoë 渡辺", "", "a\\nb"]
let flags = [
    " --yes", " --dry-run", " --no-restock", " --restock", " --refund later", " --refund credit", " --refund now",
    " --no-notify", " --notify", " --offer 'x'", " --note --dry-run", " --note=--x", " --reason customer", " --yes --yes",
    " --allow-oversell", " --credit", " --rest", " --all", " --json", " --", " -5",
]
let templates: [@Sendable ([UInt8]) -> String] = [
    { "cancel \(pick(orders, $0, 0)) --reason \(pick(reasons, $0, 1))\(pick(flags, $0, 2))\(pick(flags, $0, 3))" },
    { "cancel \(pick(orders, $0, 0))\(pick(flags, $0, 1))" },
    { "refund \(pick(orders, $0, 0)) \(pick(amounts, $0, 1))\(pick(flags, $0, 2))" },
    { "refund \(pick(orders, $0, 0)) --rest\(pick(flags, $0, 1))" },
    { "restock \(pick(orders, $0, 0)) \(pick(skus, $0, 1))=\(Int($0.count > 2 ? $0[2] % 4 : 1))\(pick(flags, $0, 3))" },
    { "restock \(pick(orders, $0, 0)) --all" },
    { "recreate \(pick(orders, $0, 0))\(pick(flags, $0, 1))\(pick(flags, $0, 2))" },
    { "feedback \(pick(orders, $0, 0)) --rating \(Int($0.count > 1 ? $0[1] % 7 : 3)) '\(pick(texts, $0, 2))'" },
    { "notify \(pick(orders, $0, 0)) '\(pick(texts, $0, 1))'" },
    { "settings auto-restock \($0.first.map { $0 % 2 == 0 } == true ? "on" : "off")" },
    { "settings default-refund \(pick(["now", "credit", "later", "never"], $0, 0))" },
    { "show \(pick(orders, $0, 0))\(pick(flags, $0, 1))" },
    { "orders --status \(pick(["open", "cancelled", "refund-owed", "all", "x"], $0, 0))" },
    { _ in "feedback list" },
    { _ in "report --by reason" },
    { _ in "# a comment" },
    { "cancle \(pick(orders, $0, 0))" },
    { "cancel \(pick(orders, $0, 0)) --reason '\(pick(texts, $0, 1))" },
]
let separators: [[UInt8]] = [[0x0A], [0x0D, 0x0A], [0x0A], [0x0A, 0x0A], [0xFF, 0x0A], [0x00, 0x0A]]

func pick(_ list: [String], _ bytes: [UInt8], _ i: Int) -> String {
    list[Int(i < bytes.count ? bytes[i] : 0) % list.count]
}

/// The script of the grammar mode: each group of four bytes is one line.
func grammarScript(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
    var script: [UInt8] = []
    var chunk = Array(bytes)
    while !chunk.isEmpty {
        let piece = Array(chunk.prefix(5))
        chunk.removeFirst(min(5, chunk.count))
        script += Array(templates[Int(piece[0]) % templates.count](Array(piece.dropFirst())).utf8)
        script += separators[Int(piece.last ?? 0) % separators.count]
    }
    return script
}

func snapshotBytes(_ state: StoreState) -> [UInt8] {
    do { return try codec.encodeSnapshot(state) } catch { fail("the state does not write as a snapshot: \(error)") }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzScript(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let input = Array(UnsafeBufferPointer(start: data, count: size))
    let script = input[0] % 2 == 0 ? Array(input[1...]) : grammarScript(input[1...])
    let store = MemoryStore(state: start)
    var clock: Int64 = 0
    for item in ScriptLines.split(script) {
        guard case .line(let line) = item else { continue }
        clock += 60
        let context = Context(now: TrainingStore.now.adding(seconds: clock), agent: "fuzz")
        let before = store.state.seq
        let beforeBytes = snapshotBytes(store.state)
        func unchanged(_ why: String) {
            require(store.state.seq == before && snapshotBytes(store.state) == beforeBytes, "\(why) changed the store: \(line.debugDescription)")
        }
        let command: Command
        do throws(OrderDeskError) {
            guard let parsed = try Command.parse(line) else { continue }
            command = parsed
        } catch {
            require(!error.message.isEmpty, "a refusal without a message")
            unchanged("a refused line")
            continue
        }
        do throws(OrderDeskError) {
            switch try Desk.run(command, state: store.state, context: context) {
            case .ask:
                fail("a batch line asked a question: \(line.debugDescription)")
            case .change(let plan):
                if plan.dryRun {
                    _ = plan.preview
                    unchanged("a dry run")
                    continue
                }
                _ = try store.commit(agent: context.agent, now: context.now) { state throws(OrderDeskError) in
                    try plan.decide(state)
                }
            case .output, .quit, .source:
                unchanged("a read")
            }
        } catch {
            require(!error.message.isEmpty, "a refusal without a message")
            unchanged("a refused line")
        }
    }
    // "store verify": the audit log replays to the same state, which round-trips as a snapshot.
    var replayed = start
    do {
        for event in try store.auditLog() { try replayed.apply(event) }
    } catch {
        // An OrderDeskError or a ReplayError: either way the log does not replay.
        fail("the audit log does not replay: \(error)")
    }
    let bytes = snapshotBytes(store.state)
    require(snapshotBytes(replayed) == bytes, "replaying the audit log gives another state")
    do {
        let back = try codec.decodeSnapshot(bytes)
        require(back.seq == store.state.seq && back.orders.count == store.state.orders.count, "the snapshot reads back differently")
    } catch {
        fail("the snapshot does not read back: \(error)")
    }
    return 0
}
