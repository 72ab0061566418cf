/// TAB completion that knows the command language: commands, flags, flag values, orders and SKUs.
public enum Completion {
    /// The most candidates offered at once.
    public static let limit = 200

    /// Full-word candidates for the word under the cursor, in display order.
    public static func candidates(for textBeforeCursor: String, state: StoreState) -> [String] {
        let scan = Tokenizer.scan(textBeforeCursor)
        var words = scan.words
        let current = scan.endsInSpace ? "" : (words.popLast() ?? "")
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
            guard let first = positionals.first, let name = try? OrderName.parse(first), let order = state.order(named: name) else {
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

    /// Order names matching a prefix, most recent first; `#1001` or `1001` as the prefix was typed.
    static func orders(_ state: StoreState, prefix: String, _ include: (Order) -> Bool) -> [String] {
        let hash = prefix.isEmpty || prefix.hasPrefix("#")
        var out: [String] = []
        for o in state.orders.reversed() {
            let text = hash ? o.name : String(o.name.dropFirst())
            if text.hasPrefix(prefix) && include(o) {
                out.append(text)
                if out.count == limit { break }
            }
        }
        return out
    }
}
