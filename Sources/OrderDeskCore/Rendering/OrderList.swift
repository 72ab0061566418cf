/// A list of orders as a table, one line each.
enum OrderList {
    static func render(_ orders: [Order], context: Context, owed: Bool, empty: String) -> String {
        guard !orders.isEmpty else { return empty }
        let style = context.style
        var headers = ["Order", "Placed", "Customer", "Total", "Payment", "Fulfilment"]
        var align: [TextTable.Alignment] = [.left, .left, .left, .right, .left, .left]
        if owed {
            headers.append("Owed")
            align.append(.right)
        }
        var table = TextTable(headers, align)
        for o in orders {
            let name = o.isCancelled ? style.strike(o.name) : o.name
            var payment = o.financialStatus.rawValue
            if o.isCancelled { payment = style.red("CANCELLED") + " " + payment }
            var row = [
                name, context.show(o.createdAt), truncated(Sanitizer.clean(o.customer.fullName), 24),
                o.show(o.totalPrice), payment, o.fulfillmentStatus?.rawValue ?? "unfulfilled",
            ]
            if owed { row.append(style.yellow(o.show(o.refundOwed))) }
            table.add(row)
        }
        var text = table.render(style)
        if owed {
            var totals: [String: Money] = [:]
            for o in orders { totals[o.currency, default: .zero] += o.refundOwed }
            let sum = totals.keys.sorted().map { c in "\(totals[c]!.formatted(decimals: Currency.exponent(of: c))) \(c)" }
            text += "\n\(orders.count) order\(orders.count == 1 ? " owes" : "s owe") a refund: " + sum.joined(separator: ", ")
        }
        return text
    }
}
