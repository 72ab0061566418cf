/// `report` drawn for people (text) and given as data (JSON, CSV), all three from the same `Report`.
enum ReportView {
    /// The widest bar, in blocks; the largest count of a list gets it.
    static let barWidth = 30

    // MARK: Text

    /// The title with the period, the figures, the reasons split by initiator, then the `--by` table.
    /// Counts get bars only with colour on (a terminal), so plain output stays stable in pipes.
    static func text(_ r: Report, style: Style) -> String {
        let f = r.figures
        let p = r.period
        let days = "\(p.days) day\(p.days == 1 ? "" : "s")"
        var out = [style.bold("Cancellations report: \(p.dayText(0)) to \(p.dayText(p.days - 1)) (\(days))"), ""]
        out += aligned([
            ("Orders placed", String(f.placed)),
            ("Cancelled", "\(f.cancelled)  rate \(percent(f.rate))"),
            ("Refunded now", amounts(f.refundedNow)),
            ("Refunded to credit", amounts(f.refundedCredit)),
            ("Still owed", amounts(f.refundOwed)),
            ("Units restocked", String(f.unitsRestocked)),
            ("Orders recreated", String(f.recreated)),
            ("Feedback", "\(f.feedbackCount)  average \(f.averageRating.text ?? "—"), CSAT \(percent(f.csat))"),
        ])

        // The split, with the reasons that occurred under each side.
        let widest = f.byReason.values.max() ?? 0
        var reasons: [(String, String)] = []
        for customer in [true, false] {
            let side = CancelReason.allCases.filter { $0.isCustomerInitiated == customer }
            let total = customer ? f.customerInitiated : f.merchantInitiated
            reasons.append((customer ? "Customer-initiated" : "Merchant-initiated", String(total)))
            for reason in side where f.byReason[reason]! > 0 {
                let n = f.byReason[reason]!
                reasons.append(("  " + reason.label, String(n) + (style.color ? "  " + bar(n, of: widest, style) : "")))
            }
        }
        out += ["", style.bold("Reasons")] + aligned(reasons)

        if let grouping = r.grouping {
            out += ["", style.bold("By \(grouping.rawValue)"), table(r.rows, grouping, style)]
        }
        return out.joined(separator: "\n")
    }

    /// The `--by` rows as a table; the cancelled counts as bars on a terminal.
    static func table(_ rows: [ReportRow], _ grouping: ReportQuery.Grouping, _ style: Style) -> String {
        guard !rows.isEmpty else { return "  No cancellations in this period." }
        let ofDays = grouping == .day || grouping == .week
        var headers = [grouping.rawValue.prefix(1).uppercased() + grouping.rawValue.dropFirst()]
        switch grouping {
        case .reason: headers.append("Label")
        case .day: headers.append("")
        case .week: headers.append("Days")
        case .agent: break
        }
        if ofDays { headers.append("Placed") }
        headers.append("Cancelled")
        if ofDays { headers.append("Rate") }
        headers += ["By customer", "By merchant"]
        if style.color { headers.append("") }
        var alignments = [TextTable.Alignment](repeating: .right, count: headers.count)
        alignments[0] = .left
        if grouping != .agent { alignments[1] = .left }
        if style.color { alignments[headers.count - 1] = .left }

        var table = TextTable(headers, alignments)
        let widest = rows.map(\.cancelled).max() ?? 0
        for row in rows {
            var cells = [Sanitizer.clean(row.group)]
            if grouping != .agent { cells.append(row.label ?? "") }
            if ofDays { cells.append(String(row.placed ?? 0)) }
            cells.append(String(row.cancelled))
            if ofDays { cells.append(row.rate.map(percent) ?? "—") }
            cells += [String(row.customerInitiated), String(row.merchantInitiated)]
            if style.color { cells.append(bar(row.cancelled, of: widest, style)) }
            table.add(cells)
        }
        return table.render(style, indent: "  ")
    }

    /// Label and value lines, the values lined up.
    static func aligned(_ pairs: [(String, String)]) -> [String] {
        let width = pairs.map { displayWidth($0.0) }.max() ?? 0
        return pairs.map { "  " + $0.0 + String(repeating: " ", count: width - displayWidth($0.0) + 2) + $0.1 }
    }

    /// `14.3%`, or `—` when there is no value.
    static func percent(_ value: OneDecimal) -> String { value.text.map { $0 + "%" } ?? "—" }

    /// `12.50 EUR, 3.00 USD` (by currency code), or `none`.
    static func amounts(_ sums: [String: Money]) -> String {
        guard !sums.isEmpty else { return "none" }
        return sums.keys.sorted().map { "\(text(sums[$0]!, $0)) \(Sanitizer.clean($0))" }.joined(separator: ", ")
    }

    /// An amount with its currency's decimals: `30.00`, `3600`.
    static func text(_ amount: Money, _ currency: String) -> String {
        amount.formatted(decimals: Currency.exponent(of: currency))
    }

    /// A bar of blocks for `n`, the largest count `widest` getting `barWidth` blocks; none for 0.
    static func bar(_ n: Int, of widest: Int, _ style: Style) -> String {
        guard n > 0, widest > 0 else { return "" }
        let blocks = max(1, (n * barWidth * 2 + widest) / (2 * widest))
        return style.cyan(String(repeating: "█", count: blocks))
    }

    // MARK: JSON

    /// The JSON document: the figures under snake_case keys; rates and averages as numbers, `null`
    /// when there is no value; money as decimal strings per currency; `rows` empty without `--by`.
    struct JSON: Encodable {
        var since: String
        var until: String
        var days: Int
        var ordersPlaced: Int
        var cancelled: Int
        var cancellationRate: OneDecimal
        /// Every reason, zeros included.
        var byReason: [String: Int]
        var customerInitiated: Int
        var merchantInitiated: Int
        var refundedNow: [String: String]
        var refundedCredit: [String: String]
        var refundOwed: [String: String]
        var unitsRestocked: Int
        var recreated: Int
        var feedback: FeedbackJSON
        /// The grouping, when `--by` was given.
        var by: String?
        var rows: [Row]

        struct FeedbackJSON: Encodable {
            var count: Int
            var averageRating: OneDecimal
            var csatPercent: OneDecimal

            enum CodingKeys: String, CodingKey {
                case count
                case averageRating = "average_rating"
                case csatPercent = "csat_percent"
            }
        }

        /// A `--by` row; `label`, `placed` and `cancellation_rate` are left out where they do not apply.
        struct Row: Encodable {
            var group: String
            var label: String?
            var placed: Int?
            var cancelled: Int
            var cancellationRate: OneDecimal?
            var customerInitiated: Int
            var merchantInitiated: Int

            enum CodingKeys: String, CodingKey {
                case group, label, placed, cancelled
                case cancellationRate = "cancellation_rate"
                case customerInitiated = "customer_initiated"
                case merchantInitiated = "merchant_initiated"
            }
        }

        enum CodingKeys: String, CodingKey {
            case since, until, days, cancelled, recreated, feedback, by, rows
            case ordersPlaced = "orders_placed"
            case cancellationRate = "cancellation_rate"
            case byReason = "by_reason"
            case customerInitiated = "customer_initiated"
            case merchantInitiated = "merchant_initiated"
            case refundedNow = "refunded_now"
            case refundedCredit = "refunded_credit"
            case refundOwed = "refund_owed"
            case unitsRestocked = "units_restocked"
        }

        init(_ r: Report) {
            let f = r.figures
            func money(_ sums: [String: Money]) -> [String: String] {
                Dictionary(uniqueKeysWithValues: sums.map { ($0.key, ReportView.text($0.value, $0.key)) })
            }
            since = r.period.dayText(0)
            until = r.period.dayText(r.period.days - 1)
            days = r.period.days
            ordersPlaced = f.placed
            cancelled = f.cancelled
            cancellationRate = f.rate
            byReason = Dictionary(uniqueKeysWithValues: f.byReason.map { ($0.key.rawValue, $0.value) })
            customerInitiated = f.customerInitiated
            merchantInitiated = f.merchantInitiated
            refundedNow = money(f.refundedNow)
            refundedCredit = money(f.refundedCredit)
            refundOwed = money(f.refundOwed)
            unitsRestocked = f.unitsRestocked
            recreated = f.recreated
            feedback = FeedbackJSON(count: f.feedbackCount, averageRating: f.averageRating, csatPercent: f.csat)
            by = r.grouping?.rawValue
            rows = r.rows.map {
                Row(
                    group: $0.group, label: $0.label, placed: $0.placed, cancelled: $0.cancelled, cancellationRate: $0.rate,
                    customerInitiated: $0.customerInitiated, merchantInitiated: $0.merchantInitiated)
            }
        }
    }

    // MARK: CSV

    /// CSV with RFC 4180 quoting and LF line ends; an empty cell where there is no value.
    ///
    /// Without `--by`: a header and one `all` row with every figure. Reasons are columns
    /// `reason_customer` … `reason_other`; money is a column per figure and currency, such as
    /// `refund_owed_GBP`, for every currency any money figure has (`0.00` where that figure has none).
    /// With `--by`: a header `group,label,placed,cancelled,cancellation_rate,customer_initiated,merchant_initiated`
    /// and a row per group (`placed` and the rate are empty for reasons and agents).
    static func csv(_ r: Report) -> String {
        let f = r.figures
        var lines: [[String]]
        if r.grouping == nil {
            let currencies = Set(f.refundedNow.keys).union(f.refundedCredit.keys).union(f.refundOwed.keys).sorted()
            let money: [(String, [String: Money])] = [
                ("refunded_now", f.refundedNow), ("refunded_credit", f.refundedCredit), ("refund_owed", f.refundOwed),
            ]
            var header = ["group", "since", "until", "days", "orders_placed", "cancelled", "cancellation_rate"]
            header += ["customer_initiated", "merchant_initiated"] + CancelReason.allCases.map { "reason_" + $0.rawValue }
            header += money.flatMap { name, _ in currencies.map { "\(name)_\(Sanitizer.clean($0))" } }
            header += ["units_restocked", "recreated", "feedback_count", "average_rating", "csat_percent"]
            var row = [
                "all", r.period.dayText(0), r.period.dayText(r.period.days - 1), String(r.period.days), String(f.placed),
                String(f.cancelled), f.rate.text ?? "", String(f.customerInitiated), String(f.merchantInitiated),
            ]
            row += CancelReason.allCases.map { String(f.byReason[$0]!) }
            row += money.flatMap { _, sums in currencies.map { text(sums[$0] ?? .zero, $0) } }
            row += [
                String(f.unitsRestocked), String(f.recreated), String(f.feedbackCount), f.averageRating.text ?? "",
                f.csat.text ?? "",
            ]
            lines = [header, row]
        } else {
            lines = [["group", "label", "placed", "cancelled", "cancellation_rate", "customer_initiated", "merchant_initiated"]]
            lines += r.rows.map { row in
                [
                    Sanitizer.clean(row.group), row.label ?? "", row.placed.map(String.init) ?? "", String(row.cancelled),
                    row.rate?.text ?? "", String(row.customerInitiated), String(row.merchantInitiated),
                ]
            }
        }
        return lines.map { $0.map(csvField).joined(separator: ",") }.joined(separator: "\n")
    }

    /// A CSV field, quoted when it holds a comma, a quote or a line break (quotes doubled).
    static func csvField(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\""
    }
}

/// A rate or an average in JSON: a number, or `null` when there is no value.
extension OneDecimal: Encodable {
    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if let number { try container.encode(number) } else { try container.encodeNil() }
    }
}
