/// `settings [KEY [VALUE]]`: show or change a setting.
public struct SettingsCommand: DeskCommand {
    public static let spec = CommandSpec(
        "settings", summary: "show or change settings",
        usage: "settings [KEY [VALUE]]",
        details:
            "auto-restock on|off (default on): cancels put items back in stock unless told otherwise. default-refund now|credit|later (default now): how a cancel refunds unless told otherwise. mail-from 'Name <address>': the sender of notices; nothing is sent until it is set. reply-to, mail-bcc: optional Reply-To and a copy to the team. mail-command (default '/usr/sbin/sendmail -t -oi'): the command each message is piped to. notice-language (default en): the language of notices when the order has no customer locale. An empty value ('') unsets or restores the default.",
        examples: [
            "settings", "settings auto-restock off", "settings default-refund later", "settings mail-from 'Kauppa Oy <shop@example.com>'",
            "settings notice-language fi",
        ],
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
        if let key, let value, Settings.textKeys.contains(key) {
            if let problem = Settings.problem(key: key, value: value) {
                throw .badSettingText(key: key, value: value, problem: problem)
            }
        } else if let key, let value, !Settings.allowedValues(of: key).contains(value) {
            throw .badSettingValue(key: key, value: value, allowed: Settings.allowedValues(of: key))
        }
        if json && value != nil { throw .conflictingFlags(command: "settings", "a new value", "--json") }
    }

    public var isChange: Bool { value != nil }

    public func run(_ state: StoreState, _ context: Context, _ sources: Sources) throws(OrderDeskError) -> Outcome {
        if let key, let value {
            if key == "notice-language", !value.isEmpty, case .success(let templates) = context.notices.templates,
                !templates.languages.contains(value)
            {
                throw .noTemplatesInLanguage(value, available: templates.languages)
            }
            return .change(Desk.settingsChange(key, value, context))
        }
        return .output(try Desk.settings(key, json: json, state, context))
    }
}
