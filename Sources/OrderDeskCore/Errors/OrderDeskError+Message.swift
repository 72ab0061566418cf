/// The one place where failures become text: what was wrong, and how to put it right.
extension OrderDeskError: CustomStringConvertible {
    public var description: String { message }

    /// The message shown after `error: `.
    public var message: String {
        switch self {
        case .unclosedQuote:
            return "a quote is not closed; end the quoted text with the same quote mark"
        case .unknownCommand(let name, let suggestion):
            return "unknown command '\(name)'" + didYouMean(suggestion) + "; type 'help' for the list of commands"
        case .unknownFlag(let command, let flag, let suggestion):
            return "'\(command)' has no option '\(flag)'" + didYouMean(suggestion) + "; see 'help \(command)'"
        case .missingFlagValue(let command, let flag):
            return "'\(command) \(flag)' needs a value after it; see 'help \(command)'"
        case .missingArgument(let command, let what):
            return "'\(command)' needs \(what); see 'help \(command)'"
        case .unexpectedArgument(let command, let argument):
            return "'\(command)' does not take '\(argument)'; quote text that contains spaces, or see 'help \(command)'"
        case .invalidValue(let command, let flag, let value, let expected):
            return "'\(command) \(flag)' cannot be '\(value)'; use \(expected)"
        case .conflictingFlags(let command, let a, let b):
            return "'\(command)' cannot take both \(a) and \(b); choose one"
        case .badOrderName(let text):
            return "'\(text)' is not an order number; write it as #1001 or 1001"
        case .unknownOrder(let name):
            return "no order \(name) in this store; try 'find' or 'orders' to look it up"
        case .badDate(let text):
            return "'\(text)' is not a date; use YYYY-MM-DD, today, or a number of days back such as 7d"
        case .badAmount(let text, let currency, let decimals):
            let example =
                decimals == 0 ? "12" : "12." + String(repeating: "5", count: 1) + String(repeating: "0", count: max(0, decimals - 1))
            return
                "'\(text)' is not an amount in \(currency); write a positive decimal with at most \(decimals) decimal\(decimals == 1 ? "" : "s"), such as \(example)"
        case .unknownSetting(let key, let suggestion):
            return "no setting '\(key)'" + didYouMean(suggestion) + "; the settings are \(Settings.keys.joined(separator: ", "))"
        case .badSettingValue(let key, let value, let allowed):
            return "setting '\(key)' cannot be '\(value)'; use \(list(allowed))"
        case .unknownSKU(let sku, let suggestion):
            return "no SKU '\(sku)' in inventory" + didYouMean(suggestion) + "; 'inventory' lists them"
        case .alreadyCancelled(let order, let at, let by, let reason):
            let why = reason.map { " (reason: \($0.rawValue))" } ?? ""
            return
                "\(order) is already cancelled: by \(by) at \(at.iso8601)\(why); nothing was changed. To bring it back, use 'recreate \(order)'"
        case .fulfilled(let order, let status):
            return "\(order) is \(status) and cannot be cancelled: arrange a return and refund instead"
        case .noteTooLong(let length, let limit):
            return "the note is \(length) characters; shorten it to at most \(limit)"
        case .unknownReason(let text):
            return "'\(text)' is not a cancel reason; use one of \(list(CancelReason.allCases.map(\.rawValue)))"
        case .reasonRequired(let order):
            return "cancelling \(order) needs --reason in a batch; use one of \(list(CancelReason.allCases.map(\.rawValue)))"
        case .notCancelled(let order, let action):
            return "\(order) is not cancelled, so it cannot be \(action); an open order's items come back through a return"
        case .nothingToRefund(let order):
            return "\(order) has nothing left to refund: everything paid has been refunded already, or nothing was paid"
        case .refundTooLarge(let order, let requested, let available):
            return
                "cannot refund \(requested) on \(order): only \(available) was paid and not yet refunded; refund at most that, or use --rest"
        case .nothingToRestock(let order):
            return "\(order) has nothing left to restock: every unit is back in stock already"
        case .restockTooMany(let order, let sku, let requested, let available):
            return "cannot restock \(requested) of \(sku) on \(order): only \(available) can still go back"
        case .skuNotOnOrder(let order, let sku):
            return "\(order) has no line with SKU '\(sku)'; 'show \(order)' lists its lines"
        case .alreadyRecreated(let order, let newOrder):
            return "\(order) was already recreated as \(newOrder); see 'show \(newOrder)'"
        case .shortStock(let order, let shortfalls):
            let detail = shortfalls.map { "\($0.sku): need \($0.needed), have \($0.available)" }.joined(separator: "; ")
            return "not enough stock to recreate \(order) (\(detail)); restock first, or add --allow-oversell"
        case .badRating(let text):
            return "rating '\(text)' is not allowed; give a whole number from 1 to 5"
        case .emptyText(let command):
            return "'\(command)' needs some text; put it in quotes"
        case .fileUnreadable(let path, let reason):
            return "cannot read \(path): \(reason)"
        case .storeCorrupt(let file, let position, let problem, let quarantine):
            let copy = quarantine.map { "; a copy is in \($0)" } ?? ""
            return
                "the store is damaged: \(file), \(position): \(problem). Nothing was changed\(copy). Restore the file from a backup, or run 'orderdesk store verify' for a full report"
        case .storeEdited(let file, let position, let problem, let quarantine):
            let copy = quarantine.map { "; a copy is in \($0)" } ?? ""
            let directory = file.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
            return
                "\(file) was changed outside OrderDesk (or damaged): \(position): \(problem). The store was refused and nothing was changed\(copy). If the file was edited on purpose, check the edit, then run 'orderdesk store accept-edit --store \(directory.isEmpty ? "." : directory)' (it lists the orders the edit changes and records it in the audit log); otherwise restore the file from a backup"
        case .storeNotEdited(let file):
            return "\(file) carries its checksum as OrderDesk wrote it: there is no edit to accept"
        case .storeTooNew(let file, let version, let supported):
            return "\(file) is store version \(version), but this OrderDesk reads up to version \(supported); use a newer OrderDesk"
        case .storeLocked(let path):
            return "the store at \(path) is busy (locked by another process); try again in a moment"
        case .storeMissing(let path):
            return "no store at \(path); create one with 'orderdesk init \(path)' or point --store at an existing one"
        case .storeExists(let path):
            return "\(path) already holds a store; choose an empty or new directory"
        case .storeIO(let path, let operation, let reason):
            return "could not \(operation) \(path): \(reason); nothing was changed. Check the disk and the permissions, then try again"
        case .notAvailableYet(let what):
            return "'\(what)' is not available in this version of OrderDesk yet"
        }
    }

    private func didYouMean(_ suggestion: String?) -> String {
        suggestion.map { " (did you mean '\($0)'?)" } ?? ""
    }

    private func list(_ values: [String]) -> String {
        guard values.count > 1 else { return values.first ?? "" }
        return values.dropLast().joined(separator: ", ") + " or " + values.last!
    }
}
