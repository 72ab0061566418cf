/// The text of `help` and `help COMMAND`.
enum Help {
    static func text(for name: String?, style: Style) -> String {
        if let name, let spec = CommandTable.spec(name) {
            var out = [style.bold("usage: ") + spec.usage, "", spec.summary.prefix(1).uppercased() + spec.summary.dropFirst() + "."]
            if !spec.details.isEmpty { out += ["", spec.details.wrapped(width: 78, indent: "")] }
            if !spec.flags.isEmpty {
                out.append("")
                let width = spec.flags.map { flagLabel($0).count }.max() ?? 0
                for f in spec.flags { out.append("  " + flagLabel(f).padding(width) + "  " + f.help) }
            }
            if !spec.examples.isEmpty {
                out += ["", style.bold("examples:")] + spec.examples.map { "  " + $0 }
            }
            return out.joined(separator: "\n")
        }
        let width = CommandTable.all.map(\.name.count).max() ?? 0
        var out = [style.bold("commands:")]
        for spec in CommandTable.all { out.append("  " + spec.name.padding(width) + "  " + spec.summary) }
        out += [
            "", "Orders are named #1001 or 1001. Type 'help COMMAND' for its usage and examples; TAB completes.",
            "Quote text with '…' or \"…\"; for an apostrophe use double quotes: \"it's\" (or it\\'s).",
        ]
        return out.joined(separator: "\n")
    }

    static func flagLabel(_ f: FlagSpec) -> String {
        guard let kind = f.value else { return f.name }
        switch kind {
        case .choice(let values): return "\(f.name) \(values.joined(separator: "|"))"
        case .date: return "\(f.name) D"
        case .number: return "\(f.name) N"
        case .order: return "\(f.name) ORDER"
        case .sku: return "\(f.name) SKU"
        case .agent: return "\(f.name) NAME"
        default: return "\(f.name) TEXT"
        }
    }
}
