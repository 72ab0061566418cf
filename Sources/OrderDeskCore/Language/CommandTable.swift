/// The command language's table: every command the shell and batch files understand.
public enum CommandTable {
    static let statuses = OrderQuery.Status.allCases.map(\.rawValue)
    static let reasons = CancelReason.allCases.map(\.rawValue)
    static let refundModes = RefundMode.allCases.map(\.rawValue)

    /// Every command, in the order `help` lists them. A command exists once it is listed here.
    public static let commands: [any DeskCommand.Type] = [
        HelpCommand.self, OrdersCommand.self, FindCommand.self, ShowCommand.self, CancelCommand.self,
        RefundCommand.self, ReturnCommand.self, RestockCommand.self, PayCommand.self, CaptureCommand.self, RecreateCommand.self,
        FeedbackCommand.self, NotifyCommand.self,
        OutboxCommand.self, InventoryCommand.self, ReportCommand.self, LogCommand.self, SettingsCommand.self,
        HistoryCommand.self, SourceCommand.self, QuitCommand.self,
    ]

    /// All commands' specs, in the order `help` lists them.
    public static let all: [CommandSpec] = commands.map { $0.spec }

    /// The command type for a name or alias.
    public static func type(named name: String) -> (any DeskCommand.Type)? {
        commands.first { $0.spec.name == name || $0.spec.aliases.contains(name) }
    }

    /// The spec for a command name or alias.
    public static func spec(_ name: String) -> CommandSpec? { type(named: name)?.spec }

    /// Every name a command can be typed as.
    public static var names: [String] { all.flatMap { [$0.name] + $0.aliases } }
}
