/// The one place where failures become text: what was wrong, and how to put it right.
extension OrderDeskError: CustomStringConvertible {
    public var description: String { message }

    /// The message shown after `error: `.
    public var message: String {
        switch self {
        case .unclosedQuote:
            return "a quote is not closed; end the quoted text with the same quote mark"
        case .unknownCommand(let name, let suggestion):
            return "unknown command '\(shown(name))'" + didYouMean(suggestion) + "; type 'help' for the list of commands"
        case .naturalWord(let name, let hint):
            return "unknown command '\(shown(name))' — \(hint)"
        case .unknownFlag(let command, let flag, let suggestion):
            return "'\(command)' has no option '\(shown(flag))'" + didYouMean(suggestion) + "; see 'help \(command)'"
        case .missingFlagValue(let command, let flag):
            return "'\(command) \(flag)' needs a value after it; see 'help \(command)'"
        case .flagAsValue(let command, let flag, let value):
            return
                "'\(command) \(flag)' needs a value right after it, but '\(value)' is an option; put the value after \(flag), or write \(flag)=\(value) (or quote it) if you mean that text"
        case .repeatedFlag(let command, let flag):
            return "'\(command)' was given \(flag) twice; give it once, with the value you mean"
        case .missingArgument(let command, let what):
            return "'\(command)' needs \(what); see 'help \(command)'"
        case .unexpectedArgument(let command, let argument):
            return "'\(command)' does not take '\(shown(argument))'; quote text that contains spaces, or see 'help \(command)'"
        case .invalidValue(let command, let flag, let value, let expected):
            return "'\(command) \(shown(flag))' cannot be '\(shown(value))'; use \(expected)"
        case .conflictingFlags(let command, let a, let b):
            return "'\(command)' cannot take both \(a) and \(b); choose one"
        case .badOrderName(let text):
            return
                "'\(shown(text))' is not an order name; write it as the shop does (#1001, Her2065) or its number (1001), without spaces"
        case .unknownOrder(let name):
            return "no order \(shown(name)) in this store; try 'find' or 'orders' to look it up"
        case .ambiguousOrder(let text, let names):
            let shownNames = names.map(shown)
            let list =
                shownNames.count <= 2
                ? shownNames.joined(separator: " or ")
                : shownNames.dropLast().joined(separator: ", ") + " or " + shownNames.last!
            return "more than one order has the number \(shown(text)): did you mean \(list)? Write the full name"
        case .badDate(let text):
            return "'\(shown(text))' is not a date; use YYYY-MM-DD, today, yesterday, or a number of days back such as 7d"
        case .badAmount(let text, let currency, let decimals):
            if decimals == 0 {
                return "'\(shown(text))' is not an amount in \(currency); \(currency) has whole amounts only, such as 1200"
            }
            let example = "12.5" + String(repeating: "0", count: max(0, decimals - 1))
            return
                "'\(shown(text))' is not an amount in \(currency); write a positive decimal with at most \(decimals) decimal\(decimals == 1 ? "" : "s"), such as \(example)"
        case .unknownSetting(let key, let suggestion):
            return "no setting '\(shown(key))'" + didYouMean(suggestion) + "; the settings are \(Settings.keys.joined(separator: ", "))"
        case .badSettingValue(let key, let value, let allowed):
            return "setting '\(key)' cannot be '\(shown(value))'; use \(list(allowed))"
        case .badSettingText(let key, let value, let problem):
            return "setting '\(key)' cannot be '\(shown(value))': \(problem)"
        case .noTemplatesInLanguage(let language, let available):
            return
                "there are no notice templates in '\(shown(language))'; the languages are \(list(available)) (add KIND.\(shown(language)).txt files to the store's templates folder for another)"
        case .noticeTemplate(let problem):
            return "notice template \(Sanitizer.clean(problem.message)); fix the template, or remove it to use the built-in one"
        case .unknownNotice(let id):
            return "no notice '\(shown(id))' in the outbox; 'outbox' lists them with their ids"
        case .noticeNotPending(let id, let status):
            return "notice \(id) is \(status): only queued or failed notices are sent again"
        case .unknownSKU(let sku, let suggestion):
            return "no SKU '\(shown(sku))' in inventory" + didYouMean(suggestion) + "; 'inventory' lists them"
        case .alreadyCancelled(let order, let at, let by, let reason):
            let why = reason.map { " (reason: \($0.rawValue))" } ?? ""
            return
                "\(order) is already cancelled: by \(Sanitizer.clean(by)) at \(at.iso8601)\(why); nothing was changed. To bring it back, use 'recreate \(order)'"
        case .fulfilled(let order, let status):
            return
                "\(order) is \(status) and cannot be cancelled: take the items back with 'return \(order) SKU[=QTY]...' (it refunds them and, for units not yet shipped, removes them from the order)"
        case .noteTooLong(let length, let limit):
            return "the note is \(length) characters; shorten it to at most \(limit)"
        case .unknownReason(let text):
            return "'\(shown(text))' is not a cancel reason; use one of \(list(CancelReason.allCases.map(\.rawValue)))"
        case .reasonRequired(let order):
            return "cancelling \(order) needs --reason in a batch; use one of \(list(CancelReason.allCases.map(\.rawValue)))"
        case .notCancelled(let order, let action):
            return "\(order) is not cancelled, so it cannot be \(action); an open order's items come back through a return"
        case .nothingToRefund(let order):
            return "\(order) has nothing left to refund: everything paid has been refunded already, or nothing was paid"
        case .paymentMoved(let order, let to):
            return
                "\(order) has nothing left to refund: its payment moved to \(to) when it was recreated; refund on \(to) instead ('refund \(to) AMOUNT')"
        case .nothingOutstanding(let order):
            return "\(order) owes nothing: it is paid in full (or cancelled); 'show \(order)' shows its payments"
        case .paymentTooLarge(let order, let requested, let outstanding):
            return "cannot collect \(requested) on \(order): only \(outstanding) is outstanding; give at most that, or leave the amount out"
        case .authorizationOpen(let order, let amount):
            return
                "\(order) has \(amount) authorized and not yet captured; collect it with 'capture \(order)' rather than recording a payment beside it"
        case .nothingToCapture(let order, let status):
            return
                "\(order) has no authorization to capture (it is \(status.rawValue)); a payment received another way is recorded with 'pay \(order)'"
        case .orderCancelled(let order, let action):
            return "\(order) is cancelled, so it cannot be \(action); 'recreate \(order)' brings it back as a new order"
        case .returnTooMany(let order, let sku, let requested, let available):
            return
                "cannot return \(requested) of \(Sanitizer.clean(sku)) on \(order): only \(available) can still be returned or removed; give at most that"
        case .nothingToReturn(let order):
            return "'return \(order)' needs the SKUs coming back, such as 'return \(order) SKU=1'; 'show \(order)' lists its lines"
        case .shippingTooLarge(let order, let requested, let available):
            return "cannot refund \(requested) of shipping on \(order): only \(available) of shipping is left to refund"
        case .unitsMoved(let order, let to):
            return
                "\(order)'s units that were not restocked went to \(to) when it was recreated, so they cannot go back to stock from \(order)"
        case .refundTooLarge(let order, let requested, let available):
            return
                "cannot refund \(requested) on \(order): only \(available) was paid and not yet refunded; refund at most that, or use --rest"
        case .nothingToRestock(let order):
            return "\(order) has nothing left to restock: every unit is back in stock already"
        case .restockTooMany(let order, let sku, let requested, let available):
            return "cannot restock \(requested) of \(Sanitizer.clean(sku)) on \(order): only \(available) can still go back"
        case .skuNotOnOrder(let order, let sku):
            return "\(order) has no line with SKU '\(shown(sku))'; 'show \(order)' lists its lines"
        case .alreadyRecreated(let order, let newOrder):
            return "\(order) was already recreated as \(newOrder); see 'show \(newOrder)'"
        case .recreateNeedsForce(let order, let reason):
            let why = reason == .fraud ? "as fraudulent" : "because the payment was declined"
            return
                "\(order) was cancelled \(why); a new order would go to the same payment details. Check with the customer first, then add --force if it should be recreated"
        case .shortStock(let order, let shortfalls):
            let detail = shortfalls.map { "\(Sanitizer.clean($0.sku)): need \($0.needed), have \($0.available)" }.joined(separator: "; ")
            return "not enough stock to recreate \(order) (\(detail)); restock first, or add --allow-oversell"
        case .badRating(let text):
            return "rating '\(shown(text))' is not allowed; give a whole number from 1 to 5"
        case .emptyText(let command):
            return "'\(command)' needs some text; put it in quotes"
        case .textTooLong(let what, let length, let limit):
            return "\(what) is \(length) characters; shorten it to at most \(limit)"
        case .controlCharacter(let what, let scalar):
            let code = String(scalar, radix: 16, uppercase: true)
            return
                "\(what) holds a control character (U+\(String(repeating: "0", count: max(0, 4 - code.count)) + code)); remove it and type the text again"
        case .repeatedSKU(let order, let sku):
            return
                "\(shown(sku)) is named more than once for \(order); name each SKU once with the total, such as \(shown(sku))=2"
        case .unknownHelpTopic(let topic, let suggestion):
            return
                "there is no help on '\(shown(topic))'" + didYouMean(suggestion)
                + "; 'orderdesk --help' lists the program's commands, 'orderdesk help help' the shell's"
        case .badProgramOption(let flag, let value, let expected):
            return "\(flag) cannot be '\(shown(value))'; give \(expected)"
        case .fileUnreadable(let path, let reason):
            return "cannot read \(Sanitizer.clean(path)): \(reason)"
        case .lineNotUTF8(let column):
            return "this line is not UTF-8 text (byte \(column) is not a character); nothing on it was run. Save the file as UTF-8"
        case .lineTooLong(let limit):
            return "this line is longer than \(limit / 1024) KiB, so it was not run; is this a script file?"
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
        case .directoryNotEmpty(let path):
            return
                "\(Sanitizer.clean(path)) is not empty and holds no store; nothing was created. Choose an empty or new directory"
        case .storeIncomplete(let path, let missing):
            return
                "the store at \(Sanitizer.clean(path)) is incomplete: \(missing) is missing. Nothing was changed. Restore it from a backup, or move the directory away to start afresh"
        case .storeIO(let path, let operation, let reason):
            return "could not \(operation) \(path): \(reason); nothing was changed. Check the disk and the permissions, then try again"
        case .serverUnreachable(let store, let server, let reason):
            return
                "cannot reach the store's server at \(server) (\(store)): \(reason); check that the server is running and the address, then try again"
        case .serverReadOnly(let store, let role, let privilege):
            return
                "the role '\(role)' may read \(store) but not change it: it lacks \(privilege); nothing was changed. Ask the store's admin for the agent GRANTs that 'orderdesk init' printed"
        case .serverFailed(let store, let operation, let reason):
            return "could not \(operation) \(store): \(reason); nothing was changed"
        case .commitInDoubt(let store, let reason):
            return
                "the connection to \(store) was lost while the change was being committed (\(reason)); whether it was recorded is not known yet. OrderDesk looks it up by the change's id when the server is back and says which; do not repeat the change before then"
        case .unsupportedHere(let what):
            return "'\(what)' is not available here; run it in the orderdesk shell or with 'orderdesk run'"
        }
    }

    /// A value someone typed, cleaned and cut short for the message.
    private func shown(_ text: String) -> String { Sanitizer.excerpt(text) }

    private func didYouMean(_ suggestion: String?) -> String {
        suggestion.map { " (did you mean '\($0)'?)" } ?? ""
    }

    private func list(_ values: [String]) -> String {
        guard values.count > 1 else { return values.first ?? "" }
        return values.dropLast().joined(separator: ", ") + " or " + values.last!
    }
}
