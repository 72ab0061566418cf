/// The filters of `orders`.
public struct OrderQuery: Sendable, Equatable {
    public enum Status: String, Sendable, CaseIterable {
        case open, unfulfilled, fulfilled, cancelled
        case refundOwed = "refund-owed"
        case recreated, all
    }
    public var status: Status
    public var customer: String?
    public var sku: String?
    public var since: DateSpec?
    public var until: DateSpec?
    public var limit: Int
    public var json: Bool
    /// Shopify's orders export CSV, every matching order unless `--limit` says otherwise.
    public var csv: Bool = false
}

/// The filters of `feedback list`.
public struct FeedbackQuery: Sendable, Equatable {
    public var order: String?
    public var since: DateSpec?
    public var limit: Int?
    public var json: Bool
}

/// The period and grouping of `report`.
public struct ReportQuery: Sendable, Equatable {
    public enum Grouping: String, Sendable { case reason, day, week, agent }
    public enum Format: Sendable { case text, json, csv }
    public var since: DateSpec?
    public var until: DateSpec?
    public var by: Grouping?
    public var format: Format
}
