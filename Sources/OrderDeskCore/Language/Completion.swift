/// TAB completion that knows the command language: commands, flags, flag values, orders and SKUs.
public enum Completion {
    /// The most candidates offered at once.
    public static let limit = 200

    /// Full-word candidates for the word under the cursor, in display order.
    public static func candidates(for textBeforeCursor: String, state: StoreState) -> [String] {
        var scan = Tokenizer.scan(textBeforeCursor)
        var current: String
        if let typing = typedHashWord(textBeforeCursor) {
            // `#N` of `#N13073` being typed: a comment to the tokenizer until a digit comes.
            scan = Tokenizer.scan(String(textBeforeCursor.unicodeScalars.dropLast(typing.unicodeScalars.count)))
            current = typing
        } else {
            current = ""
        }
        var words = scan.words
        if current.isEmpty { current = scan.endsInSpace ? "" : (words.popLast() ?? "") }
        guard let name = words.first else {
            return CommandTable.names.filter { matches($0, current) }
        }
        guard let spec = CommandTable.spec(name) else { return [] }
        if current.hasPrefix("-") {
            let used = Set(words)
            return spec.flags.map(\.name).filter { matches($0, current) && !used.contains($0) }
        }
        // Walk the words typed so far: which positional comes next, or which flag wants a value.
        var positionals: [String] = []
        var pendingFlag: FlagSpec?
        for word in words.dropFirst() {
            if let flag = pendingFlag {
                _ = flag
                pendingFlag = nil
            } else if word.hasPrefix("-"), let flag = spec.flag(word) {
                if flag.value != nil { pendingFlag = flag }
            } else {
                positionals.append(word)
            }
        }
        let kind: ArgumentKind
        if let flag = pendingFlag, let value = flag.value {
            kind = value
        } else if positionals.count < spec.arguments.count {
            kind = spec.arguments[positionals.count]
        } else if spec.repeatsLast, let last = spec.arguments.last {
            kind = last
        } else {
            return []
        }
        var values = self.values(kind, state: state, spec: spec, positionals: positionals, prefix: current)
        if spec.name == "feedback" && positionals.isEmpty && pendingFlag == nil { values.insert("list", at: 0) }
        return Array(values.filter { matches($0, current) }.prefix(limit))
    }

    /// A candidate fits the typed prefix regardless of letter case (`mu` finds `MUG-WHT`);
    /// the editor prefers exact-case matches when there are any.
    static func matches(_ candidate: String, _ prefix: String) -> Bool {
        candidate.hasPrefix(prefix) || candidate.lowercased().hasPrefix(prefix.lowercased())
    }

    static func values(_ kind: ArgumentKind, state: StoreState, spec: CommandSpec, positionals: [String], prefix: String) -> [String] {
        switch kind {
        case .choice(let values): return values
        case .command: return CommandTable.names
        case .settingKey: return Settings.keys
        case .settingValue: return positionals.first.map(Settings.allowedValues(of:)) ?? []
        case .sku: return state.inventory.keys.sorted()
        case .order: return orders(state, prefix: prefix) { _ in true }
        case .cancellableOrder: return orders(state, prefix: prefix) { !$0.isCancelled && !$0.hasFulfilment }
        case .cancelledOrder: return orders(state, prefix: prefix) { $0.isCancelled }
        case .skuQuantity:
            guard let first = positionals.first, let order = try? state.resolveOrder(first) else {
                return []
            }
            var seen: [String] = []
            for line in order.lineItems where !line.sku.isEmpty && !seen.contains(line.sku) { seen.append(line.sku) }
            return seen
        case .agent:
            var agents = Set<String>()
            for o in state.orders.suffix(5000) { if let a = o.cancellation?.agent { agents.insert(a) } }
            return agents.sorted()
        case .text, .number, .date, .amount, .file:
            return []
        }
    }

    /// The last word when it starts with `#`, has no digit yet and so reads as a comment (`#N`,
    /// `#glow`), which completion takes as the start of an order name; nil otherwise.
    static func typedHashWord(_ text: String) -> String? {
        let scalars = Array(text.unicodeScalars)
        guard let hash = scalars.lastIndex(of: "#"), hash + 1 < scalars.count else { return nil }
        let tail = scalars[(hash + 1)...]
        guard !tail.contains(where: { " \t\n\r'\"\\#".unicodeScalars.contains($0) || ("0"..."9").contains($0) }) else { return nil }
        let before = Tokenizer.scan(String(String.UnicodeScalarView(scalars[..<hash])))
        guard before.endsInSpace, before.openQuote == nil, !before.words.isEmpty else { return nil }
        return String(String.UnicodeScalarView(scalars[hash...]))
    }

    /// Order names matching a prefix, most recent first; `#1001` or `1001` as the prefix was typed
    /// (a name the shop writes without `#`, such as `Her2065`, is offered as it is).
    static func orders(_ state: StoreState, prefix: String, _ include: (Order) -> Bool) -> [String] {
        let hash = prefix.isEmpty || prefix.hasPrefix("#")
        var out: [String] = []
        for o in state.orders.reversed() {
            let text = hash || !o.name.hasPrefix("#") ? o.name : String(o.name.dropFirst())
            if text.hasPrefix(prefix) && include(o) {
                out.append(text)
                if out.count == limit { break }
            }
        }
        return out
    }
}
