import CSV
import Foundation
import OrderDeskCore

/// Writes orders as Shopify's orders export CSV, for `orders --csv`: the same column names the
/// import reads, so that CSV → store → CSV keeps every imported field.
public enum ShopifyCSV {
    /// The columns written, in the order Shopify's export has them.
    public static let columns = [
        Column.name, Column.email, Column.financialStatus, Column.paidAt, Column.fulfillmentStatus, Column.currency,
        Column.subtotal, Column.shipping, Column.taxes, Column.total, Column.discountAmount, Column.createdAt,
        Column.lineQuantity, Column.lineName, Column.linePrice, Column.lineSKU, Column.lineFulfillmentStatus,
        Column.billingName, Column.shippingName, Column.shippingAddress1, Column.shippingCity, Column.shippingZip,
        Column.shippingCountry, Column.notes, Column.cancelledAt, Column.refundedAmount, Column.outstandingBalance,
        Column.id, Column.tags, Column.paymentMethod,
    ]

    /// The export: a header row, then one row per line item. An order's first row carries its
    /// fields; its other rows only `Name` and the line-item columns. Times are written as
    /// Shopify does (`2026-04-05 21:06:21 +0400`) at `utcOffset` seconds east of UTC; amounts
    /// with the currency's decimals (`1200` JPY, `12.50` EUR).
    ///
    /// Text cells that a spreadsheet would take for a formula are neutralised (see ``CSVCell``);
    /// the amounts, times and ids written here are not.
    ///
    /// Fields OrderDesk does not keep are derived: `Paid at` from the timeline's payment
    /// entry (see ``ShopifyImport/paidMessage``), `Outstanding Balance` from the ledger
    /// (``Order/outstanding``: what the customer still owes; once cancelled, as Shopify writes it,
    /// the part of the total never paid: all of it for a voided order).
    public static func export(_ orders: [Order], utcOffset: Int = 0) -> String {
        let stream = ByteSink(toMemory: ())
        do {
            let writer = try CSVWriter(stream: stream)
            try writer.write(row: columns)
            for order in orders {
                let first = orderFields(order, utcOffset: utcOffset)
                let lines = order.lineItems.isEmpty ? [nil] : order.lineItems.map { Optional($0) }
                for (i, line) in lines.enumerated() {
                    var row = i == 0 ? first : [order.name] + Array(repeating: "", count: columns.count - 1)
                    if let line {
                        row[12] = String(line.quantity)
                        row[13] = CSVCell.neutralised(line.variantTitle.map { "\(line.title) - \($0)" } ?? line.title)
                        row[14] = line.price.formatted(decimals: order.decimals)
                        row[15] = CSVCell.neutralised(line.sku)
                        row[16] = lineStatus(line)
                    }
                    try writer.write(row: row)
                }
            }
        } catch {
            // Writing to memory does not fail; a failure here would be a bug in the writer.
            preconditionFailure("CSV export to memory failed: \(error)")
        }
        stream.bytes.append(0x0A)
        return String(decoding: stream.bytes, as: UTF8.self)
    }

    static func orderFields(_ o: Order, utcOffset: Int) -> [String] {
        let d = o.decimals
        func money(_ m: Money) -> String { m.formatted(decimals: d) }
        func time(_ t: Timestamp?) -> String { t.map { shopifyTime($0, utcOffset: utcOffset) } ?? "" }
        let paidAt = o.timeline.first { $0.message == ShopifyImport.paidMessage }?.at
        // Shopify's balance: once cancelled, what was never paid stays written (a voided order's
        // whole total), though the desk no longer collects it (``Order/outstanding`` is 0).
        let outstanding = o.isCancelled ? max(.zero, o.totalPrice - o.amountPaid) : o.outstanding
        let a = o.shippingAddress
        let text = CSVCell.neutralised
        return [
            o.name, text(o.email), o.financialStatus.rawValue, time(paidAt), o.fulfillmentStatus?.rawValue ?? "unfulfilled",
            o.currency, money(o.subtotalPrice), money(o.totalShippingPrice), money(o.totalTax), money(o.totalPrice),
            money(o.totalDiscounts), time(o.createdAt),
            "", "", "", "", "",
            text(o.customer.fullName), text(a?.name ?? ""), text(a?.address1 ?? ""), text(a?.city ?? ""), text(a?.zip ?? ""),
            text(a?.country ?? ""), text(o.note ?? ""), time(o.cancelledAt), money(o.amountRefunded), money(outstanding),
            String(o.id), text(o.tags), text(paymentMethod(o)),
        ]
    }

    /// The gateway the customer paid (or was to pay) with; empty when the source never said.
    static func paymentMethod(_ o: Order) -> String {
        let gateway = o.transactions.first { $0.kind != .void && $0.kind != .refund }?.gateway ?? ""
        return gateway == Gateway.unknown ? "" : gateway
    }

    /// `pending`, `fulfilled`, `partial` or `restocked`, as the import reads them back.
    static func lineStatus(_ line: LineItem) -> String {
        if line.quantity > 0 && line.fulfilledQuantity >= line.quantity { return "fulfilled" }
        if line.fulfilledQuantity > 0 { return "partial" }
        if line.quantity > 0 && line.restocked >= line.quantity { return "restocked" }
        return "pending"
    }

    /// `2026-04-05 21:06:21 +0400` for a moment at an offset from UTC.
    public static func shopifyTime(_ t: Timestamp, utcOffset: Int) -> String {
        let local = Timestamp(seconds: t.seconds + Int64(utcOffset)).iso8601  // 2026-04-05T21:06:21Z
        let sign = utcOffset < 0 ? "-" : "+"
        let minutes = abs(utcOffset) / 60
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : String(n) }
        return local.prefix(10) + " " + local.dropFirst(11).prefix(8) + " " + sign + two(minutes / 60) + two(minutes % 60)
    }
}

/// An output stream that keeps the bytes written to it in an array.
///
/// CSV.swift writes one byte per `write` call; Foundation's memory stream on Linux makes that
/// cost about 20% of a 100k-order export, this one next to nothing.
final class ByteSink: OutputStream {
    var bytes: [UInt8] = []

    required init(toMemory: ()) {
        super.init(toMemory: ())
    }

    override var streamStatus: Stream.Status { .open }
    override var hasSpaceAvailable: Bool { true }
    override func open() {}
    override func close() {}

    override func write(_ buffer: UnsafePointer<UInt8>, maxLength len: Int) -> Int {
        bytes.append(contentsOf: UnsafeBufferPointer(start: buffer, count: len))
        return len
    }
}
