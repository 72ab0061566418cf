/// Every failure OrderDesk reports, carrying the facts; turned into text in one place
/// (`OrderDeskError+Message.swift`).
public enum OrderDeskError: Error, Sendable, Equatable {
    // The command language.
    case unclosedQuote
    case unknownCommand(String, suggestion: String?)
    /// A word people try for a command that has another name here (`undo`), with the pointer.
    case naturalWord(String, hint: String)
    case unknownFlag(command: String, flag: String, suggestion: String?)
    case missingFlagValue(command: String, flag: String)
    case flagAsValue(command: String, flag: String, value: String)
    case repeatedFlag(command: String, flag: String)
    case missingArgument(command: String, what: String)
    case unexpectedArgument(command: String, argument: String)
    case invalidValue(command: String, flag: String, value: String, expected: String)
    case conflictingFlags(command: String, String, String)

    // Orders and rules.
    case badOrderName(String)
    case unknownOrder(String)
    /// A number (`2065`) that more than one order's name has (`Her2065`, `Her2065-R1`): the names.
    case ambiguousOrder(String, names: [String])
    case badDate(String)
    case badAmount(String, currency: String, decimals: Int)
    case unknownSetting(String, suggestion: String?)
    case badSettingValue(key: String, value: String, allowed: [String])
    /// A free-text setting (`mail-from`, `mail-command`…) given a value it cannot take, and why.
    case badSettingText(key: String, value: String, problem: String)
    /// `settings notice-language` for a language with no templates.
    case noTemplatesInLanguage(String, available: [String])
    /// A notice template that cannot be used (its file, line and problem): the command that
    /// would send the notice is refused.
    case noticeTemplate(TemplateProblem)
    /// `outbox show ID` or `outbox send ID` for an id not in the outbox.
    case unknownNotice(String)
    /// `outbox send ID` for a notice that is not waiting to be sent, with its state.
    case noticeNotPending(id: Int64, status: String)
    case unknownSKU(String, suggestion: String?)
    case alreadyCancelled(order: String, at: Timestamp, by: String, reason: CancelReason?)
    case fulfilled(order: String, status: String)
    case noteTooLong(length: Int, limit: Int)
    case unknownReason(String)
    case reasonRequired(order: String)
    case notCancelled(order: String, action: String)
    case nothingToRefund(order: String)
    /// The order's payment moved to the order that recreated it: refund that one instead.
    case paymentMoved(order: String, to: String)
    /// `pay` or `capture` on an order that owes nothing (or for more than it owes).
    case nothingOutstanding(order: String)
    case paymentTooLarge(order: String, requested: String, outstanding: String)
    /// `pay` on an order whose payment is authorized: it is captured instead.
    case authorizationOpen(order: String, amount: String)
    /// `capture` on an order with no authorization left to capture.
    case nothingToCapture(order: String, status: FinancialStatus)
    /// `pay` or `return` on a cancelled order.
    case orderCancelled(order: String, action: String)
    /// `return` of more units of a SKU than the order has left to return or remove.
    case returnTooMany(order: String, sku: String, requested: Int, available: Int)
    /// `return` with no SKU.
    case nothingToReturn(order: String)
    /// A refund of shipping larger than the shipping not yet refunded.
    case shippingTooLarge(order: String, requested: String, available: String)
    /// `restock` on a cancelled order whose held units went to the order that recreated it.
    case unitsMoved(order: String, to: String)
    case refundTooLarge(order: String, requested: String, available: String)
    case nothingToRestock(order: String)
    case restockTooMany(order: String, sku: String, requested: Int, available: Int)
    case skuNotOnOrder(order: String, sku: String)
    case alreadyRecreated(order: String, as: String)
    /// An order cancelled for fraud or a declined payment: recreating it needs `--force`.
    case recreateNeedsForce(order: String, reason: CancelReason)
    case shortStock(order: String, shortfalls: [StockShortfall])
    case badRating(String)
    case emptyText(command: String)
    /// Text the desk would keep or send is longer than it allows (`what`: "the notice text").
    case textTooLong(what: String, length: Int, limit: Int)
    /// Text the desk would keep or send holds a control character (NUL, ESC, a bidi override…).
    case controlCharacter(what: String, scalar: UInt32)
    /// One SKU named twice in one `restock`.
    case repeatedSKU(order: String, sku: String)
    /// `orderdesk help TOPIC` for a topic that is neither a command nor a program subcommand.
    case unknownHelpTopic(String, suggestion: String?)
    /// A program option given a value it cannot take (`--store ''`); exit code 2.
    case badProgramOption(flag: String, value: String, expected: String)

    // Files and the store.
    case fileUnreadable(path: String, reason: String)
    /// A script line with a byte that is not UTF-8 text, at this column (bytes, from 1).
    case lineNotUTF8(column: Int)
    /// A script line longer than the limit, in bytes.
    case lineTooLong(limit: Int)
    case storeCorrupt(file: String, position: String, problem: String, quarantine: String?)
    /// A snapshot changed by another program (its checksum is missing or does not match): it may
    /// be an edit made on purpose, which `orderdesk store accept-edit` records.
    case storeEdited(file: String, position: String, problem: String, quarantine: String?)
    case storeTooNew(file: String, version: Int, supported: Int)
    /// `store accept-edit` on a snapshot that carries a good checksum.
    case storeNotEdited(file: String)
    case storeLocked(path: String)
    case storeMissing(path: String)
    case storeExists(path: String)
    /// A directory holds something that is not a store: `init` does not write into it.
    case directoryNotEmpty(path: String)
    /// A store directory with some of its files gone (`missing`: the file that is not there).
    case storeIncomplete(path: String, missing: String)
    case storeIO(path: String, operation: String, reason: String)
    /// The store's PostgreSQL server cannot be reached: where libpq tried, and its reason.
    case serverUnreachable(store: String, server: String, reason: String)
    /// A server store refused a change: the role that logged in lacks a privilege.
    case serverReadOnly(store: String, role: String, privilege: String)
    /// A statement on the store's server failed (not a refusal of the change itself).
    case serverFailed(store: String, operation: String, reason: String)
    /// The connection was lost while a change was being committed: whether it was recorded is
    /// found out (by the change's id) when the store is next reached.
    case commitInDoubt(store: String, reason: String)
    /// A feature the caller did not wire in (for example `--csv` without a CSV writer).
    case unsupportedHere(String)
}

/// A SKU that does not have the units a change needs.
public struct StockShortfall: Sendable, Equatable, Hashable {
    public var sku: String
    public var needed: Int
    public var available: Int

    public init(sku: String, needed: Int, available: Int) {
        self.sku = sku
        self.needed = needed
        self.available = available
    }
}

extension OrderDeskError {
    /// The refusal of a word that is no command: a pointer for the words people try, else
    /// "did you mean" the closest command.
    static func unknown(command name: String) -> OrderDeskError {
        if let hint = NaturalWords.hint(for: name) { return .naturalWord(name, hint: hint) }
        return .unknownCommand(name, suggestion: Suggestion.closest(to: name, in: CommandTable.names))
    }

    /// The program's exit code for this failure: 3 when the store is unusable, 2 for a bad
    /// program option, else 1.
    public var exitStatus: ExitStatus {
        if isStoreUnusable { return .storeUnusable }
        if case .badProgramOption = self { return .usage }
        return .failure
    }

    /// The program's exit code for this failure, as a number.
    public var exitCode: Int32 { exitStatus.rawValue }

    /// Whether the next command may well work: a server store that could not be reached, refused a
    /// change for want of a privilege, or lost its connection while committing. A batch stops on
    /// them as on every unusable store; the live shell goes on, and its next command reconnects.
    public var isRecoverable: Bool {
        switch self {
        case .serverUnreachable, .serverReadOnly, .serverFailed, .commitInDoubt: return true
        default: return false
        }
    }

    /// Whether the store cannot be used any more: every surface stops on such a failure.
    public var isStoreUnusable: Bool {
        switch self {
        case .storeCorrupt, .storeEdited, .storeTooNew, .storeLocked, .storeMissing, .storeIO, .storeIncomplete,
            .serverUnreachable, .serverReadOnly, .serverFailed, .commitInDoubt:
            return true
        default: return false
        }
    }
}

/// How the program ends, as the command contract numbers it.
public enum ExitStatus: Int32, Sendable {
    /// Everything succeeded.
    case success = 0
    /// A command failed (in a batch, a line failed).
    case failure = 1
    /// Bad program arguments.
    case usage = 2
    /// The store is unusable: corrupt, newer, locked, or not writable.
    case storeUnusable = 3
    /// A batch stopped by SIGINT, after reporting every durable line.
    case interrupted = 130
    /// A batch stopped by SIGTERM or SIGHUP, after reporting every durable line.
    case terminated = 143
}
