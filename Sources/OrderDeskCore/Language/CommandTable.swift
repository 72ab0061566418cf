/// The command language's table: every command the shell and batch files understand.
public enum CommandTable {
    static let statuses = ["open", "unfulfilled", "fulfilled", "cancelled", "refund-owed", "recreated", "all"]
    static let reasons = CancelReason.allCases.map(\.rawValue)
    static let refundModes = RefundMode.allCases.map(\.rawValue)

    /// All commands, in the order `help` lists them.
    public static let all: [CommandSpec] = [
        CommandSpec(
            "help", summary: "list the commands, or show one command's usage",
            usage: "help [COMMAND]", examples: ["help", "help cancel"], arguments: [.command]),
        CommandSpec(
            "orders", summary: "list orders, newest first",
            usage: "orders [--status S] [--customer TEXT] [--sku SKU] [--since D] [--until D] [--limit N]",
            details:
                "S is open, unfulfilled, fulfilled, cancelled, refund-owed (oldest first, with amounts), recreated or all. D is YYYY-MM-DD, today, yesterday, or days back such as 7d. 20 orders unless --limit says otherwise.",
            examples: ["orders --status open", "orders --status refund-owed", "orders --customer zoe --since 30d"],
            flags: [
                FlagSpec("--status", .choice(statuses), help: "only orders in this state"),
                FlagSpec("--customer", .text, help: "customer name or email contains TEXT"),
                FlagSpec("--sku", .sku, help: "has a line with this SKU"),
                FlagSpec("--since", .date, help: "placed on or after this day"),
                FlagSpec("--until", .date, help: "placed on or before this day"),
                FlagSpec("--limit", .number, help: "at most N orders"),
                FlagSpec("--csv", help: "print Shopify's orders export CSV (every match unless --limit)"),
            ], isRead: true),
        CommandSpec(
            "find", summary: "search orders by number, email, name, SKU or tag",
            usage: "find TEXT [--limit N]", examples: ["find 1001", "find zoe@example.com", "find MUG-WHT"],
            flags: [FlagSpec("--limit", .number, help: "at most N orders")], arguments: [.text], isRead: true),
        CommandSpec(
            "show", summary: "everything about one order, with its timeline",
            usage: "show ORDER", examples: ["show #1001", "show 1001 --json"], arguments: [.order], isRead: true),
        CommandSpec(
            "cancel", summary: "cancel an order: reason, refund, restock, notify",
            usage:
                "cancel ORDER [--reason R] [--refund now|credit|later] [--restock|--no-restock] [--notify|--no-notify] [--offer TEXT] [--note TEXT] [--yes] [--dry-run]",
            details:
                "R is customer, inventory, fraud, declined, shipping, staff or other. Refund and restock default to the settings default-refund and auto-restock; the customer is notified unless the reason is fraud. The live shell asks for a missing reason, shows a preview and asks to confirm; a batch needs --reason.",
            examples: [
                "cancel #1001 --reason customer", "cancel #1002 --reason inventory --offer '10% off your next order'",
                "cancel #1003 --reason fraud --refund now --dry-run",
            ],
            flags: [
                FlagSpec("--reason", .choice(reasons), help: "why the order is cancelled"),
                FlagSpec("--refund", .choice(refundModes), help: "refund now, as store credit, or later"),
                FlagSpec("--restock", help: "put the items back in stock"),
                FlagSpec("--no-restock", help: "leave stock as it is"),
                FlagSpec("--notify", help: "send the customer a notice"),
                FlagSpec("--no-notify", help: "send no notice"),
                FlagSpec("--offer", .text, help: "an offer to include in the notice"),
                FlagSpec("--note", .text, help: "staff note, at most 255 characters, never shown to the customer"),
                FlagSpec("--yes", help: "do not ask for confirmation"),
                FlagSpec("--dry-run", help: "show what would happen and change nothing"),
            ], arguments: [.cancellableOrder]),
        CommandSpec(
            "refund", summary: "refund part or the rest of what was paid",
            usage: "refund ORDER (AMOUNT|--rest) [--credit] [--note TEXT] [--yes]",
            details:
                "AMOUNT is in the order's currency: 12.50, or whole amounts such as 1200 for JPY. A leading point is read as a fraction: .5 is 0.50.",
            examples: ["refund #1001 12.50", "refund #1001 --rest --credit"],
            flags: [
                FlagSpec("--rest", help: "refund everything paid and not yet refunded"),
                FlagSpec("--credit", help: "as store credit instead of to the original payment method"),
                FlagSpec("--note", .text, help: "a note kept with the refund"),
                FlagSpec("--yes", help: "do not ask for confirmation"),
            ], arguments: [.order, .amount]),
        CommandSpec(
            "restock", summary: "put a cancelled order's items back in stock",
            usage: "restock ORDER [SKU[=QTY]...|--all]",
            examples: ["restock #1001 --all", "restock #1001 MUG-WHT=1"],
            flags: [FlagSpec("--all", help: "every unit not yet restocked")],
            arguments: [.cancelledOrder, .skuQuantity], repeatsLast: true),
        CommandSpec(
            "recreate", summary: "reverse a mistaken cancel with a new, linked order",
            usage: "recreate ORDER [--notify|--no-notify] [--note TEXT] [--allow-oversell] [--yes] [--dry-run]",
            examples: ["recreate #1001", "recreate #1001 --no-notify --dry-run"],
            flags: [
                FlagSpec("--notify", help: "tell the customer the new number (default)"),
                FlagSpec("--no-notify", help: "send no notice"),
                FlagSpec("--note", .text, help: "a note on the new order"),
                FlagSpec("--allow-oversell", help: "go ahead even when stock is short"),
                FlagSpec("--yes", help: "do not ask for confirmation"),
                FlagSpec("--dry-run", help: "show what would happen and change nothing"),
            ], arguments: [.cancelledOrder]),
        CommandSpec(
            "feedback", summary: "log what a customer said, or list the log",
            usage: "feedback ORDER --rating N [TEXT]  |  feedback list [--order ORDER] [--since D] [--limit N]",
            examples: ["feedback #1001 --rating 5 'Quick refund, thanks!'", "feedback list --since 7d"],
            flags: [
                FlagSpec("--rating", .choice(["1", "2", "3", "4", "5"]), help: "1 (bad) to 5 (great)"),
                FlagSpec("--order", .order, help: "with list: only this order"),
                FlagSpec("--since", .date, help: "with list: on or after this day"),
                FlagSpec("--limit", .number, help: "with list: at most N entries"),
                FlagSpec("--json", help: "with list: print JSON"),
            ], arguments: [.order, .text]),
        CommandSpec(
            "notify", summary: "send the customer a message",
            usage: "notify ORDER TEXT",
            details: "TEXT is at most 10,000 characters, in quotes; control characters are refused.",
            examples: ["notify #1001 'Your refund is on its way.'"],
            arguments: [.order, .text]),
        CommandSpec(
            "outbox", summary: "messages sent to customers",
            usage: "outbox [--order ORDER] [--limit N]", examples: ["outbox", "outbox --order #1001"],
            flags: [
                FlagSpec("--order", .order, help: "only this order's messages"),
                FlagSpec("--limit", .number, help: "at most N messages"),
            ], isRead: true),
        CommandSpec(
            "inventory", summary: "stock levels",
            usage: "inventory [SKU] [--low N]", examples: ["inventory", "inventory --low 3", "inventory MUG-WHT"],
            flags: [FlagSpec("--low", .number, help: "only SKUs with N or fewer units")],
            arguments: [.sku], isRead: true),
        CommandSpec(
            "report", summary: "cancellation rates, reasons and trends",
            usage: "report [--since D] [--until D] [--by reason|day|week|agent] [--csv]",
            examples: ["report", "report --since 7d --by day"],
            flags: [
                FlagSpec("--since", .date, help: "from this day (default: 30 days back)"),
                FlagSpec("--until", .date, help: "to this day (default: today)"),
                FlagSpec("--by", .choice(["reason", "day", "week", "agent"]), help: "a row per group"),
                FlagSpec("--csv", help: "print CSV"),
            ], isRead: true),
        CommandSpec(
            "log", summary: "the audit trail: who did what, when",
            usage: "log [ORDER] [--agent NAME] [--limit N]", examples: ["log", "log #1001", "log --agent alice"],
            flags: [
                FlagSpec("--agent", .agent, help: "only this agent's changes"),
                FlagSpec("--limit", .number, help: "the last N events (default 20)"),
            ], arguments: [.order], isRead: true),
        CommandSpec(
            "settings", summary: "show or change settings",
            usage: "settings [KEY [VALUE]]",
            details:
                "auto-restock on|off (default on): cancels put items back in stock unless told otherwise. default-refund now|credit|later (default now): how a cancel refunds unless told otherwise.",
            examples: ["settings", "settings auto-restock off", "settings default-refund later"],
            arguments: [.settingKey, .settingValue], isRead: true),
        CommandSpec(
            "history", summary: "this user's command history",
            usage: "history [N]", examples: ["history", "history 5"], arguments: [.number]),
        CommandSpec(
            "source", summary: "run a script file with batch rules",
            usage: "source FILE", examples: ["source morning.txt"], arguments: [.file]),
        CommandSpec("quit", aliases: ["exit"], summary: "leave the shell (Ctrl-D works too)", usage: "quit"),
    ]

    /// The spec for a command name or alias.
    public static func spec(_ name: String) -> CommandSpec? {
        all.first { $0.name == name || $0.aliases.contains(name) }
    }

    /// Every name a command can be typed as.
    public static var names: [String] { all.flatMap { [$0.name] + $0.aliases } }
}
