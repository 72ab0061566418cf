/// `settings [KEY [VALUE]]`: show or change a setting.
public struct SettingsCommand: DeskCommand {
    public static let spec = CommandSpec(
        "settings", summary: "show or change settings",
        usage: "settings [KEY [VALUE]]",
        details:
            "auto-restock on|off (default on): cancels put items back in stock unless told otherwise. default-refund now|credit|later (default now): how a cancel refunds unless told otherwise.",
        examples: ["settings", "settings auto-restock off", "settings default-refund later"],
        arguments: [.settingKey, .settingValue], isRead: true)

    public var key: String?
    public var value: String?
    public var json: Bool

    public init(_ inv: Invocation) throws(OrderDeskError) {
        key = inv.argument(0)
        value = inv.argument(1)
        json = inv.has("--json")
        if let key, !Settings.keys.contains(key) {
            throw .unknownSetting(key, suggestion: Suggestion.closest(to: key, in: Settings.keys))
        }
        if let key, let value, !Settings.allowedValues(of: key).contains(value) {
            throw .badSettingValue(key: key, value: value, allowed: Settings.allowedValues(of: key))
        }
        if json && value != nil { throw .conflictingFlags(command: "settings", "a new value", "--json") }
    }

    public var isChange: Bool { value != nil }

    public func run(_ state: StoreState, _ context: Context, _ sources: Sources) throws(OrderDeskError) -> Outcome {
        if let key, let value { return .change(Desk.settingsChange(key, value, context)) }
        return .output(try Desk.settings(key, json: json, state, context))
    }
}
