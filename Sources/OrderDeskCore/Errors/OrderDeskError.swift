/// Every failure OrderDesk reports, carrying the facts; turned into text in one place
/// (`OrderDeskError+Message.swift`).
public enum OrderDeskError: Error, Sendable, Equatable {
    // The command language.
    case unclosedQuote
    case unknownCommand(String, suggestion: String?)
    case unknownFlag(command: String, flag: String, suggestion: String?)
    case missingFlagValue(command: String, flag: String)
    case missingArgument(command: String, what: String)
    case unexpectedArgument(command: String, argument: String)
    case invalidValue(command: String, flag: String, value: String, expected: String)
    case conflictingFlags(command: String, String, String)

    // Orders and rules.
    case badOrderName(String)
    case unknownOrder(String)
    case badDate(String)
    case badAmount(String, currency: String, decimals: Int)
    case unknownSetting(String, suggestion: String?)
    case badSettingValue(key: String, value: String, allowed: [String])
    case unknownSKU(String, suggestion: String?)
    case alreadyCancelled(order: String, at: Timestamp, by: String, reason: CancelReason?)
    case fulfilled(order: String, status: String)
    case noteTooLong(length: Int, limit: Int)
    case unknownReason(String)
    case reasonRequired(order: String)
    case notCancelled(order: String, action: String)
    case nothingToRefund(order: String)
    case refundTooLarge(order: String, requested: String, available: String)
    case nothingToRestock(order: String)
    case restockTooMany(order: String, sku: String, requested: Int, available: Int)
    case skuNotOnOrder(order: String, sku: String)
    case alreadyRecreated(order: String, as: String)
    case shortStock(order: String, shortfalls: [StockShortfall])
    case badRating(String)
    case emptyText(command: String)

    // Files and the store.
    case fileUnreadable(path: String, reason: String)
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
    case storeIO(path: String, operation: String, reason: String)
    case notAvailableYet(String)
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
    /// The program's exit code for this failure: 3 when the store is unusable, else 1.
    public var exitCode: Int32 {
        switch self {
        case .storeCorrupt, .storeEdited, .storeTooNew, .storeLocked, .storeMissing, .storeIO: return 3
        default: return 1
        }
    }
}
