import OrderDeskCore

/// Reads Shopify's orders exports (CSV or Admin REST JSON) into orders.
///
/// Pure: text or bytes in, orders and problems out; no files, no store. Reading collects every
/// problem in the file (with its CSV line or JSON path) so that the command can refuse the
/// whole file and list them all. Fitting the orders into a store (ids, duplicates, stock) is
/// ``ShopifyImport/plan(_:stock:into:source:agent:now:)``, run inside the store's commit.
public enum ShopifyImport {
    /// The two file formats.
    public enum Format: String, Sendable, CaseIterable {
        /// Admin → Orders → Export: one row per line item.
        case csv = "shopify-csv"
        /// The Admin REST API: `{"orders": [...]}`, `{"order": {...}}`, a bare order (a webhook
        /// body), a list of orders, or JSON Lines of any of them.
        case json = "shopify-json"
    }

    /// What reading a file gave.
    public struct Result: Sendable {
        /// The format read (detected when none was given); nil when it could not be told.
        public var format: Format?
        /// The orders, in file order. Ids the file did not give are 0 (see ``ImportedOrder``).
        public var orders: [ImportedOrder]
        /// Every problem found; when there is any, nothing may be imported.
        public var problems: [ImportProblem]
        /// Every warning of the orders read (see ``ImportedOrder/warnings``).
        public var warnings: [ImportProblem] { orders.flatMap(\.warnings) }
    }

    /// The timeline message of the payment an imported order's `Paid at` records; the CSV
    /// export reads `Paid at` back from it.
    public static let paidMessage = "Paid in Shopify"

    /// Tells the format from the content: JSON starts with `{` or `[`; the CSV export's header
    /// has a `Name` column. Nil when it is neither.
    public static func detectFormat(_ text: String) -> Format? {
        for scalar in text.unicodeScalars {
            if scalar == "\u{FEFF}" || scalar.properties.isWhitespace { continue }
            if scalar == "{" || scalar == "[" { return .json }
            break
        }
        let firstLine = text.prefix { $0 != "\n" && $0 != "\r\n" && $0 != "\r" }
        let names = firstLine.split(separator: ",").map { String($0).trimmed.trimmingQuotes.lowercased() }
        return names.contains("name") ? .csv : nil
    }

    /// Reads a file's bytes: it must be UTF-8 text (a byte-order mark is allowed).
    public static func read(
        bytes: some Collection<UInt8>, format: Format? = nil, progress: ((Int) -> Void)? = nil
    ) -> Result {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            return Result(
                format: format, orders: [],
                problems: [ImportProblem(.file, "is not UTF-8 text; export it from Shopify again, or save it as UTF-8")])
        }
        return read(text, format: format, progress: progress)
    }

    /// Reads an orders export in the given format, or the detected one. `progress` is called
    /// now and then with the number of orders read so far.
    public static func read(_ text: String, format: Format? = nil, progress: ((Int) -> Void)? = nil) -> Result {
        guard let format = format ?? detectFormat(text) else {
            let problem =
                text.allSatisfy(\.isWhitespace)
                ? "is empty"
                : "is neither Shopify's orders CSV export (a header with a Name column) nor Admin API JSON ({\"orders\": [...]}); say which with --format shopify-csv or --format shopify-json"
            return Result(format: nil, orders: [], problems: [ImportProblem(.file, problem)])
        }
        switch format {
        case .csv:
            let (orders, problems) = ShopifyCSVReader.read(text, progress: progress)
            return Result(format: .csv, orders: orders, problems: problems)
        case .json:
            let (orders, problems) = ShopifyJSONReader.read(text, progress: progress)
            return Result(format: .json, orders: orders, problems: problems)
        }
    }
}

/// An order read from a file, before it is fitted into a store.
///
/// Ids the file did not give are 0: the order's own id when the CSV has no `Id`, line item ids
/// (the CSV has none), refund ids, and customer ids. ``ShopifyImport/plan(_:stock:into:source:agent:now:)``
/// gives them ids unique in the store.
public struct ImportedOrder: Sendable, Hashable {
    public var order: Order
    /// Where the order is in the file (its first CSV line, or its JSON path), for messages.
    public var location: ImportProblem.Location
    /// What the source says is still to pay (`total_outstanding`, `Outstanding Balance`), when it says.
    public var outstanding: Money?
    /// The payment method the source names (`payment_gateway_names`, `Payment Method`), when it does.
    public var gateway: String?
    /// What the source says that is odd but Shopify wrote (a refund above the total): imported
    /// as it is, and listed after the import's summary.
    public var warnings: [ImportProblem]
    /// Whether the source gives the refunds only as the total refunded so far (the CSV export's
    /// `Refunded Amount`), without their ids, lines or restocks.
    public var refundsAsTotal: Bool
    /// Indices of the lines the source says are partly fulfilled without saying how many units
    /// (the CSV export's `partial`): read as 1, and taken as "some but not all" when compared.
    public var partialLines: Set<Int>

    public init(
        order: Order, location: ImportProblem.Location, outstanding: Money? = nil, gateway: String? = nil,
        warnings: [ImportProblem] = [], refundsAsTotal: Bool = false, partialLines: Set<Int> = []
    ) {
        self.order = order
        self.location = location
        self.outstanding = outstanding
        self.gateway = gateway
        self.warnings = warnings
        self.refundsAsTotal = refundsAsTotal
        self.partialLines = partialLines
    }

    /// Whether the file gave the order's Shopify id.
    public var hasID: Bool { order.id != 0 }
}

extension String {
    /// The text without one pair of surrounding double quotes.
    var trimmingQuotes: String {
        guard count >= 2, hasPrefix("\""), hasSuffix("\"") else { return self }
        return String(dropFirst().dropLast())
    }
}
