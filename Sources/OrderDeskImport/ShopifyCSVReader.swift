import CSV
import OrderDeskCore

/// The column names of Shopify's orders export that OrderDesk reads and writes.
enum Column {
    static let name = "Name"
    static let email = "Email"
    static let financialStatus = "Financial Status"
    static let paidAt = "Paid at"
    static let fulfillmentStatus = "Fulfillment Status"
    static let currency = "Currency"
    static let subtotal = "Subtotal"
    static let shipping = "Shipping"
    static let taxes = "Taxes"
    static let total = "Total"
    static let discountAmount = "Discount Amount"
    static let createdAt = "Created at"
    static let lineQuantity = "Lineitem quantity"
    static let lineName = "Lineitem name"
    static let linePrice = "Lineitem price"
    static let lineSKU = "Lineitem sku"
    static let lineFulfillmentStatus = "Lineitem fulfillment status"
    static let billingName = "Billing Name"
    static let shippingName = "Shipping Name"
    static let shippingStreet = "Shipping Street"
    static let shippingAddress1 = "Shipping Address1"
    static let shippingCity = "Shipping City"
    static let shippingZip = "Shipping Zip"
    static let shippingCountry = "Shipping Country"
    static let notes = "Notes"
    static let cancelledAt = "Cancelled at"
    static let refundedAmount = "Refunded Amount"
    static let outstandingBalance = "Outstanding Balance"
    static let id = "Id"
    static let tags = "Tags"
    static let paymentMethod = "Payment Method"

    /// Every column the import reads.
    static let read = [
        name, email, financialStatus, paidAt, fulfillmentStatus, currency, subtotal, shipping, taxes, total,
        discountAmount, createdAt, lineQuantity, lineName, linePrice, lineSKU, lineFulfillmentStatus, billingName,
        shippingName, shippingStreet, shippingAddress1, shippingCity, shippingZip, shippingCountry, notes, cancelledAt,
        refundedAmount, outstandingBalance, id, tags, paymentMethod,
    ]

    /// Columns without which a file is not an orders export.
    static let required = [name, financialStatus, currency, total, createdAt, lineQuantity, lineName, linePrice]
}

/// Reads Shopify's orders CSV export with CSV.swift.
///
/// - One row per line item: an order's first row carries its fields, the following rows with
///   the same `Name` only the line-item columns (anything else on them is ignored).
/// - Columns may come in any order and are matched without regard to case; unknown ones are
///   ignored; of the known ones only those in ``Column/required`` must be there.
/// - Problems are reported with the line the row starts on (the header is line 1), counting
///   the line breaks inside quoted fields, so that the number matches an editor's.
enum ShopifyCSVReader {
    static func read(_ text: String, progress: ((Int) -> Void)?) -> ([ImportedOrder], [ImportProblem]) {
        var text = text
        if text.unicodeScalars.first == "\u{FEFF}" { text.unicodeScalars.removeFirst() }
        let reader: CSVReader
        do {
            reader = try CSVReader(string: text, hasHeaderRow: false)
        } catch {
            return ([], [ImportProblem(.file, "could not be read as CSV: \(error)")])
        }
        guard let header = reader.next(), !(header.count == 1 && header[0].trimmed.isEmpty) else {
            return ([], [ImportProblem(.file, "is empty; expected Shopify's orders export with a header row")])
        }
        var columns: [String: Int] = [:]
        for (i, title) in header.enumerated() {
            let key = title.trimmed.lowercased()
            if columns[key] == nil { columns[key] = i }
        }
        let missing = Column.required.filter { columns[$0.lowercased()] == nil }
        if !missing.isEmpty {
            let list = missing.joined(separator: ", ")
            return (
                [],
                [
                    ImportProblem(
                        .line(1),
                        "the header has no \(list) column\(missing.count == 1 ? "" : "s"); is this Shopify's orders export (Orders → Export)?"
                    )
                ]
            )
        }
        var state = State(columns: columns, width: header.count)
        var line = 1 + lineBreaks(in: header)
        var rows = 0
        var lastStart = 1
        var lastSpansLines = false
        while let row = reader.next() {
            let start = line + 1
            line = start + lineBreaks(in: row)
            if row.allSatisfy({ $0.isEmpty }) { continue }
            lastStart = start
            lastSpansLines = line > start
            state.row(row, line: start)
            rows += 1
            if let progress, rows % 10_000 == 0 { progress(state.orders.count) }
        }
        if let error = reader.error {
            state.fields.fail(.file, "could not be read as CSV: \(error)")
        }
        state.finish()
        if lastSpansLines && hasUnclosedQuote(text) { state.fields.fail(.line(lastStart), unclosedQuoteMessage) }
        return (state.orders, state.fields.problems)
    }

    /// Whether a quoted field may run to the end of the file: CSV.swift then reads the rest of
    /// the file into that field without a word. Quotes come in pairs (`""` inside a field, one
    /// to open and one to close), so an odd count means one is missing. The readers ask only
    /// when the last record spans lines, as such a field does, so that a stray inch mark in an
    /// unquoted field (`10" tablet`) is not taken for one.
    static func hasUnclosedQuote(_ text: String) -> Bool {
        var count = 0
        for byte in text.utf8 where byte == UInt8(ascii: "\"") { count += 1 }
        return count % 2 == 1
    }

    static let unclosedQuoteMessage =
        "a quoted field that starts on this row is never closed (a \" is missing), so the rest of the file was read into it"

    /// Line breaks inside a row's fields (only quoted fields have them): CRLF, LF or CR.
    static func lineBreaks(in row: [String]) -> Int {
        var count = 0
        for field in row {
            var previousCR = false
            for byte in field.utf8 {
                if byte == 13 {
                    count += 1
                    previousCR = true
                } else {
                    if byte == 10 && !previousCR { count += 1 }
                    previousCR = false
                }
            }
        }
        return count
    }

    /// The order being read: its first row's fields and the line items so far.
    struct Draft {
        var line: Int
        var name: String
        var number: Int
        var order: Order?
        var lines: [LineItem] = []
        var subtotal: Money?
        var refunded: Money?
        var paidAt: Timestamp?
        /// `Outstanding Balance`, when the export has the column: what the ledger's payments leave unpaid.
        var outstanding: Money?
        var currency: String?
        /// `Payment Method`, when the export has it: the first of its methods.
        var gateway: String?
        /// What the row says that is odd but Shopify wrote (see ``ImportedOrder/warnings``).
        var warnings: [ImportProblem] = []
        /// Indices of the lines whose `Lineitem fulfillment status` is `partial` (how many is not said).
        var partialLines: Set<Int> = []
        var failed: Bool
    }

    struct State {
        let columns: [String: Int]
        let width: Int
        var fields = FieldReader()
        var orders: [ImportedOrder] = []
        var current: Draft?
        /// The first line of each order name seen, to refuse an order split apart.
        var seen: [String: Int] = [:]
        /// Order ids seen, to refuse the same Id twice.
        var ids: [Int64: Int] = [:]

        /// `columns` holds the header's names in lower case; kept here by ``Column`` name, so
        /// that looking a column up costs no case folding per row.
        init(columns: [String: Int], width: Int) {
            var known: [String: Int] = [:]
            for name in Column.read { known[name] = columns[name.lowercased()] }
            self.columns = known
            self.width = width
        }

        func index(_ column: String) -> Int? { columns[column] }

        mutating func row(_ row: [String], line: Int) {
            let at = ImportProblem.Location.line(line)
            let columns = self.columns
            // Every cell without the quote the export puts before formula characters (CSVCell).
            func value(_ column: String) -> String {
                guard let i = columns[column], i < row.count else { return "" }
                return CSVCell.restored(row[i].trimmed)
            }
            let nameText = value(Column.name)
            let continues = current != nil && !nameText.isEmpty && nameText == current!.name
            if row.count != width {
                fields.fail(
                    at,
                    "the row has \(row.count) field\(row.count == 1 ? "" : "s") but the header has \(width); a quote may be missing or extra"
                )
                if continues {
                    current!.failed = true
                } else {
                    begin(failedRow: nameText, line: line)
                }
                return
            }
            guard !nameText.isEmpty else {
                fields.fail(at, "Name is empty; every row needs its order's Name")
                return
            }
            if continues {
                var draft = current!
                if !lineItem(value, at: at, into: &draft) { draft.failed = true }
                current = draft
                return
            }
            finish()
            guard let parsed = fields.orderName(nameText, at: at, label: "Name ") else {
                begin(failedRow: nameText, line: line)
                return
            }
            if let first = seen[parsed.name] {
                fields.fail(
                    at,
                    "order \(parsed.name) appears again; its first row is line \(first), and an order's rows must come together")
                current = Draft(line: line, name: nameText, number: parsed.number, failed: true)
                return
            }
            seen[parsed.name] = line
            var draft = Draft(line: line, name: nameText, number: parsed.number, failed: false)
            let orderOK = orderFields(
                value,
                raw: { column in
                    guard let i = columns[column], i < row.count else { return nil }
                    return CSVCell.restored(row[i])
                }, at: at, into: &draft)
            // An order without line items (the export writes one row with empty line-item columns).
            let noLine = [Column.lineQuantity, Column.lineName, Column.linePrice].allSatisfy { value($0).isEmpty }
            let lineOK = noLine || lineItem(value, at: at, into: &draft)
            draft.failed = !orderOK || !lineOK
            current = draft
        }

        /// Starts an order whose first row is already wrong, so that its other rows add no noise.
        mutating func begin(failedRow name: String, line: Int) {
            finish()
            if !name.isEmpty, seen[name] == nil { seen[name] = line }
            current = name.isEmpty ? nil : Draft(line: line, name: name, number: 0, failed: true)
        }

        /// The order's own fields from its first row; false when any is wrong.
        mutating func orderFields(
            _ value: (String) -> String, raw: (String) -> String?, at: ImportProblem.Location, into draft: inout Draft
        ) -> Bool {
            let before = fields.problems.count
            func required(_ column: String) -> String? {
                let text = value(column)
                if text.isEmpty {
                    fields.fail(at, "\(column) is empty; the first row of order \(draft.name) needs it")
                    return nil
                }
                return text
            }
            func optional(_ column: String) -> String? {
                let text = value(column)
                return text.isEmpty ? nil : text
            }
            var id: Int64?
            if let text = optional(Column.id), let n = fields.id(text, at: at, label: "Id ") {
                if let first = ids[n] {
                    fields.fail(at, "Id \(n) is also the Id of the order on line \(first)")
                } else {
                    ids[n] = at.lineNumber
                    id = n
                }
            }
            let currency = required(Column.currency).flatMap { fields.currency($0, at: at, label: "Currency ") }
            draft.currency = currency
            func money(_ column: String) -> Money? {
                optional(column).flatMap { fields.money($0, currency: currency, at: at, label: column + " ") }
            }
            let createdAt = required(Column.createdAt).flatMap { fields.timestamp($0, at: at, label: "Created at ") }
            let financial = required(Column.financialStatus).flatMap {
                fields.financialStatus($0, at: at, label: "Financial Status ")
            }
            let fulfillment = fields.fulfillmentStatus(value(Column.fulfillmentStatus), at: at, label: "Fulfillment Status ")
            let paidAt = optional(Column.paidAt).flatMap { fields.timestamp($0, at: at, label: "Paid at ") }
            let cancelledText = optional(Column.cancelledAt)
            let cancelledAt = cancelledText.flatMap { fields.timestamp($0, at: at, label: "Cancelled at ") }
            let total = required(Column.total).flatMap {
                fields.money($0, currency: currency, at: at, label: "Total ")
            }
            let subtotal = money(Column.subtotal)
            let shipping = money(Column.shipping) ?? .zero
            let taxes = money(Column.taxes) ?? .zero
            let discounts = money(Column.discountAmount) ?? .zero
            let refunded = money(Column.refundedAmount)
            // Negative when a payment in another currency came to a little more than the total.
            let outstanding = optional(Column.outstandingBalance).flatMap {
                fields.money($0, currency: currency, at: at, label: Column.outstandingBalance + " ", negative: true)
            }
            guard fields.problems.count == before, let currency, let createdAt, let financial, let fulfillment, let total
            else { return false }

            if let refunded, refunded > total {
                // Shopify refunds in the buyer's currency at the day's rate: the refund can come to
                // more than the total in the shop's. Taken as Shopify says, with a word.
                draft.warnings.append(
                    ImportProblem(
                        at,
                        "Refunded Amount \(refunded) is more than the Total \(total) (a refund at another exchange rate?); imported as Shopify has it"
                    ))
            }
            if let outstanding, outstanding.isNegative {
                draft.warnings.append(
                    ImportProblem(
                        at,
                        "Outstanding Balance \(outstanding) means \(Money.zero - outstanding) more than the Total was paid (rounding of a payment in another currency?); counted as paid in full, nothing owed back, as Shopify does"
                    ))
            }
            let refundedColumn = index(Column.refundedAmount) != nil
            let refundedAmount = refunded ?? (refundedColumn ? .zero : nil)
            if financial == .refunded || financial == .partiallyRefunded, let refundedAmount, refundedAmount.isZero {
                fields.fail(at, "Financial Status is \(financial.rawValue) but Refunded Amount is 0; give the amount refunded")
                return false
            }

            let email = value(Column.email)
            let billing = value(Column.billingName)
            let (first, last) = Self.splitName(billing)
            let customer = Customer(id: 0, email: email, firstName: first, lastName: last)
            var address: Address?
            let street = optional(Column.shippingAddress1) ?? value(Column.shippingStreet)
            let parts = [
                value(Column.shippingName), street, value(Column.shippingCity), CSVCell.restoredZip(value(Column.shippingZip)),
                value(Column.shippingCountry),
            ]
            if parts.contains(where: { !$0.isEmpty }) {
                address = Address(name: parts[0], address1: parts[1], city: parts[2], zip: parts[3], country: parts[4])
            }
            let note = raw(Column.notes).flatMap { $0.trimmed.isEmpty ? nil : $0 }
            // The export has no taxes-included column: tax is inside when the Total leaves no room
            // for it (Total = Subtotal + Shipping while Taxes are above zero).
            let taxesIncluded = taxes.isPositive && subtotal.map { total == $0 + shipping && total != $0 + shipping + taxes } == true
            var order = Order(
                id: id ?? 0, orderNumber: draft.number, email: email, createdAt: createdAt, currency: currency,
                customer: customer, lineItems: [], shipping: shipping, tax: taxes, discounts: discounts,
                taxesIncluded: taxesIncluded, fulfillmentStatus: fulfillment, tags: value(Column.tags), note: note,
                shippingAddress: address)
            // The name as the shop wrote it (`SBL1069`, `#N13073`), not `#` and the number.
            order.name = draft.name
            order.financialStatus = financial
            order.totalPrice = total
            order.cancelledAt = cancelledAt
            draft.subtotal = subtotal
            // Without the column, a refunded order was refunded in full.
            draft.refunded = refundedAmount ?? (financial == .refunded ? total : nil)
            draft.paidAt = paidAt
            draft.outstanding = outstanding
            // `Stripe + Clover Payments + manual`: the first method paid with.
            draft.gateway = optional(Column.paymentMethod).flatMap {
                $0.split(separator: " + ").first.map { String($0).trimmed }.flatMap { $0.isEmpty ? nil : $0 }
            }
            draft.order = order
            return true
        }

        /// The line-item columns of a row; false when any is wrong.
        mutating func lineItem(_ value: (String) -> String, at: ImportProblem.Location, into draft: inout Draft) -> Bool {
            let before = fields.problems.count
            let quantityText = value(Column.lineQuantity)
            let title = value(Column.lineName)
            let priceText = value(Column.linePrice)
            if quantityText.isEmpty { fields.fail(at, "Lineitem quantity is empty; every row is one line item") }
            if title.isEmpty { fields.fail(at, "Lineitem name is empty; every row is one line item") }
            if priceText.isEmpty { fields.fail(at, "Lineitem price is empty; every row is one line item") }
            let quantity = quantityText.isEmpty ? nil : fields.quantity(quantityText, at: at, label: "Lineitem quantity ")
            let price =
                priceText.isEmpty ? nil : fields.money(priceText, currency: draft.currency, at: at, label: "Lineitem price ")
            let status = value(Column.lineFulfillmentStatus).lowercased()
            var fulfilled = 0
            var restocked = 0
            switch status {
            case "", "pending", "unfulfilled": break
            case "fulfilled": fulfilled = quantity ?? 0
            // How many is not said: at least one unit, never all of them.
            case "partial":
                fulfilled = (quantity ?? 0) > 1 ? 1 : 0
                draft.partialLines.insert(draft.lines.count)
            case "restocked": restocked = quantity ?? 0
            default:
                fields.fail(
                    at,
                    "Lineitem fulfillment status \(FieldReader.quoted(status)) is not one of pending, fulfilled, partial, restocked"
                )
            }
            guard fields.problems.count == before, let quantity, let price else { return false }
            draft.lines.append(
                LineItem(
                    id: 0, sku: value(Column.lineSKU), title: title, quantity: quantity, price: price,
                    fulfilledQuantity: fulfilled, restocked: restocked))
            return true
        }

        /// Ends the order being read and keeps it if nothing was wrong.
        mutating func finish() {
            guard let draft = current else { return }
            current = nil
            guard !draft.failed, var order = draft.order else { return }
            order.lineItems = draft.lines
            let exponent = Currency.exponent(of: order.currency)
            order.subtotalPrice =
                draft.subtotal ?? draft.lines.reduce(Money.zero) { $0 + $1.price * $1.quantity }.rescaled(to: exponent)
            var timeline: [TimelineEntry] = []
            if let paid = draft.paidAt {
                timeline.append(TimelineEntry(at: paid, agent: nil, seq: nil, message: ShopifyImport.paidMessage))
            }
            if let at = order.cancelledAt {
                timeline.append(TimelineEntry(at: at, agent: nil, seq: nil, message: "Cancelled in Shopify"))
            }
            if let refunded = draft.refunded, refunded.isPositive {
                // The export says how much, not when: the cancel, else the payment, else the order.
                let when = order.cancelledAt ?? draft.paidAt ?? order.createdAt
                order.refunds = [
                    Refund(
                        id: 0, createdAt: when, note: nil,
                        transactions: [
                            Transaction(id: 0, kind: .refund, amount: refunded, currency: order.currency, gateway: "", createdAt: when)
                        ])
                ]
                timeline.append(
                    TimelineEntry(at: when, agent: nil, seq: nil, message: "Refunded \(order.show(refunded)) in Shopify"))
            }
            order.timeline = timeline.enumerated().sorted { ($0.element.at, $0.offset) < ($1.element.at, $1.offset) }.map(\.element)
            orders.append(
                ImportedOrder(
                    order: order, location: .line(draft.line), outstanding: draft.outstanding, gateway: draft.gateway,
                    warnings: draft.warnings, refundsAsTotal: true, partialLines: draft.partialLines))
        }

        /// `Billing Name` as first and last name: the last word is the last name.
        static func splitName(_ full: String) -> (String, String) {
            guard let space = full.lastIndex(of: " ") else { return (full, "") }
            return (String(full[..<space]).trimmed, String(full[full.index(after: space)...]))
        }
    }
}

extension ImportProblem.Location {
    /// The CSV line, or 0.
    var lineNumber: Int {
        if case .line(let n) = self { return n }
        return 0
    }
}
