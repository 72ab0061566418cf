/// `report`: cancellation rates, reasons and trends.
///
/// What the figures mean:
/// - **Period.** Whole local days (`Context.utcOffset`), from `--since` to `--until`, both included.
///   `--until` defaults to today, `--since` to 30 days before `--until` (so the default is the
///   31 days up to and including today). A `--since` after `--until` is refused.
/// - **What counts when.** An order counts as *placed* by its creation date (`created_at` in the
///   period) and as *cancelled* by its cancel date (`cancelled_at` in the period), so an order placed
///   last month and cancelled today is one of today's cancellations. The rate is therefore
///   "cancellations in the period ÷ orders placed in the period", the way a store's daily figures read.
/// - **Figures.** Orders placed; cancelled; the cancellation rate, cancelled ÷ placed × 100 to one
///   decimal; cancellations per reason (an order cancelled with no reason counts as `other`), split
///   into customer-initiated (`customer`) and merchant-initiated (the other six); refunded now (to the
///   original method) and to store credit, the refund transactions of the orders cancelled in the
///   period; still owed, the `refund_owed` of those orders; units restocked on them; orders recreated,
///   orders placed in the period with `recreated_from` (mistakes reversed); and the feedback *logged*
///   in the period: count, average rating and CSAT% (the share of 4s and 5s), each to one decimal.
/// - **Money** is summed per currency, exactly, and never across currencies.
/// - **No data.** A rate of no orders, or an average of no ratings, has no value: `—` in text, `null`
///   in JSON, an empty cell in CSV.
/// - **`--by`.** `reason`: a row per reason, all seven. `day`: a row per day of the period, with the
///   orders placed that day, the cancellations made that day and the rate. `week`: the same per ISO
///   week (Monday to Sunday), counting only the days inside the period. `agent`: the period's
///   cancellations per agent who made them, most first.
extension Desk {
    static func report(_ q: ReportQuery, _ state: StoreState, _ context: Context) throws(OrderDeskError) -> String {
        let period = try ReportPeriod(since: q.since, until: q.until, context: context)
        let report = Report(period, by: q.by, state)
        switch q.format {
        case .text: return ReportView.text(report, style: context.style)
        case .json: return JSONText.encode(ReportView.JSON(report), pretty: context.prettyJSON)
        case .csv: return ReportView.csv(report)
        }
    }
}

/// The days a report covers: whole local days, both ends included.
struct ReportPeriod: Equatable {
    /// The first second of the first day.
    var start: Timestamp
    /// How many days; at least 1.
    var days: Int
    /// Seconds east of UTC, for the days' names.
    var offset: Int

    static let secondsPerDay: Int64 = 86_400

    /// `--since` to `--until`, with their defaults; refuses a start after the end.
    init(since: DateSpec?, until: DateSpec?, context: Context) throws(OrderDeskError) {
        let offset = context.utcOffset
        let last = (until ?? .daysAgo(0)).start(now: context.now, offset: offset)
        let first = since?.start(now: context.now, offset: offset) ?? last.adding(seconds: -30 * Self.secondsPerDay)
        guard first <= last else {
            throw .invalidValue(
                command: "report", flag: "--since", value: first.day(offset: offset),
                expected: "a day on or before --until (\(last.day(offset: offset)))")
        }
        self.init(start: first, days: Int((last.seconds - first.seconds) / Self.secondsPerDay) + 1, offset: offset)
    }

    init(start: Timestamp, days: Int, offset: Int) {
        self.start = start
        self.days = days
        self.offset = offset
    }

    /// The last second of the last day.
    var end: Timestamp { start.adding(seconds: Int64(days) * Self.secondsPerDay - 1) }

    func contains(_ t: Timestamp) -> Bool { start <= t && t <= end }

    /// Which day of the period (0 is the first) a moment inside it falls on.
    func dayIndex(of t: Timestamp) -> Int { Int(floorDiv(t.seconds - start.seconds, Self.secondsPerDay)) }

    /// The local day number (days since 1970-01-01) of the period's `i`th day.
    func localDay(_ i: Int) -> Int { Int(floorDiv(start.seconds + Int64(offset), Self.secondsPerDay)) + i }

    /// The `i`th day as `YYYY-MM-DD`.
    func dayText(_ i: Int) -> String { Self.text(localDay: localDay(i)) }

    static func text(localDay: Int) -> String { Timestamp(seconds: Int64(localDay) * secondsPerDay).day(offset: 0) }

    /// The weekday of the `i`th day: `Mon` … `Sun`.
    func weekday(_ i: Int) -> String {
        ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][Self.mondayBased(localDay(i))]
    }

    /// 0 for Monday … 6 for Sunday (1970-01-01 was a Thursday).
    static func mondayBased(_ localDay: Int) -> Int { ((localDay + 3) % 7 + 7) % 7 }

    /// The ISO week of a local day, `2026-W47`: weeks start on Monday and belong to the year of their Thursday.
    static func isoWeek(_ localDay: Int) -> String {
        let thursday = localDay - mondayBased(localDay) + 3
        let year = Timestamp.civilFromDays(thursday).year
        let week = (thursday - Timestamp.daysFromCivil(year: year, month: 1, day: 1)) / 7 + 1
        return "\(year)-W\(week < 10 ? "0" : "")\(week)"
    }
}

/// A figure to one decimal (a rate, an average), or none when it has no meaning: the rate of no
/// orders, the average of no ratings. Computed from whole numbers, rounded half up: never NaN.
struct OneDecimal: Equatable {
    /// The value times ten; nil when there is no value.
    var tenths: Int?

    /// `numerator ÷ denominator` to one decimal; none when the denominator is 0.
    init(_ numerator: Int, over denominator: Int) {
        tenths = denominator == 0 ? nil : (numerator * 20 + denominator) / (2 * denominator)
    }

    /// `12.5`, or nil when there is no value.
    var text: String? { tenths.map { "\($0 / 10).\($0 % 10)" } }

    /// The value as a number for JSON (a percentage or a rating, never money).
    var number: Double? { tenths.map { Double($0) / 10 } }
}

/// The report's figures for a cohort of orders and the feedback of the same days.
struct ReportFigures {
    var placed = 0
    var cancelled = 0
    /// The cohort's cancellations per reason; every reason is present.
    var byReason: [CancelReason: Int] = Dictionary(uniqueKeysWithValues: CancelReason.allCases.map { ($0, 0) })
    /// Refund transactions to the original method on cancelled orders, per currency.
    var refundedNow: [String: Money] = [:]
    /// Refund transactions to store credit on cancelled orders, per currency.
    var refundedCredit: [String: Money] = [:]
    /// Money still owed back, per currency.
    var refundOwed: [String: Money] = [:]
    var unitsRestocked = 0
    var recreated = 0
    var feedbackCount = 0
    var ratingTotal = 0
    /// Ratings of 4 or 5.
    var satisfied = 0

    /// The figures of the orders placed and the orders cancelled in a period, and its feedback.
    init(placed placedOrders: [Order], cancelled cancelledOrders: [Order], feedback: [Feedback] = []) {
        placed = placedOrders.count
        recreated = placedOrders.filter { $0.recreatedFrom != nil }.count
        for o in cancelledOrders {
            if o.refundOwed.isPositive { refundOwed[o.currency, default: .zero] += o.refundOwed }
            cancelled += 1
            byReason[o.cancellation?.reason ?? o.cancelReason ?? .other, default: 0] += 1
            unitsRestocked += o.lineItems.reduce(0) { $0 + $1.restocked }
            for t in o.refunds.flatMap(\.transactions) where t.succeeded && t.transfer == nil && !t.amount.isZero {
                if t.gateway == Gateway.storeCredit {
                    refundedCredit[o.currency, default: .zero] += t.amount
                } else {
                    refundedNow[o.currency, default: .zero] += t.amount
                }
            }
        }
        feedbackCount = feedback.count
        ratingTotal = feedback.reduce(0) { $0 + $1.rating }
        satisfied = feedback.filter { $0.rating >= 4 }.count
    }

    var customerInitiated: Int { byReason.filter { $0.key.isCustomerInitiated }.values.reduce(0, +) }
    var merchantInitiated: Int { cancelled - customerInitiated }
    /// Cancelled ÷ placed × 100.
    var rate: OneDecimal { OneDecimal(cancelled * 100, over: placed) }
    var averageRating: OneDecimal { OneDecimal(ratingTotal, over: feedbackCount) }
    /// The share of 4s and 5s, in percent.
    var csat: OneDecimal { OneDecimal(satisfied * 100, over: feedbackCount) }
}

/// One row of a `--by` breakdown.
struct ReportRow: Equatable {
    /// The group: a reason (`inventory`), a day (`2026-11-20`), an ISO week (`2026-W47`) or an agent.
    var group: String
    /// For people: the reason's label, the day's weekday, the week's days; nil for an agent.
    var label: String?
    /// Orders placed in the group's days; nil for reasons and agents, where it has no meaning.
    var placed: Int?
    var cancelled: Int
    var customerInitiated: Int
    var merchantInitiated: Int

    /// A row of cancellations; `placed` for groups of days.
    init(_ group: String, label: String?, placed: Int?, cancelled orders: [Order]) {
        self.group = group
        self.label = label
        self.placed = placed
        cancelled = orders.count
        customerInitiated = orders.filter { ($0.cancelReason ?? .other).isCustomerInitiated }.count
        merchantInitiated = cancelled - customerInitiated
    }

    /// Cancelled ÷ placed × 100; nil where `placed` is.
    var rate: OneDecimal? { placed.map { OneDecimal(cancelled * 100, over: $0) } }
}

/// Everything `report` shows, computed once for the three formats.
struct Report {
    var period: ReportPeriod
    var figures: ReportFigures
    var grouping: ReportQuery.Grouping?
    var rows: [ReportRow]

    init(_ period: ReportPeriod, by grouping: ReportQuery.Grouping?, _ state: StoreState) {
        self.period = period
        self.grouping = grouping
        let placed = state.orders.filter { period.contains($0.createdAt) }
        let cancelled = state.orders.filter { $0.cancelledAt.map(period.contains) ?? false }
        figures = ReportFigures(placed: placed, cancelled: cancelled, feedback: state.feedback.filter { period.contains($0.at) })
        let placedByDay = Dictionary(grouping: placed) { period.dayIndex(of: $0.createdAt) }
        let cancelledByDay = Dictionary(grouping: cancelled) { period.dayIndex(of: $0.cancelledAt!) }
        switch grouping {
        case nil:
            rows = []
        case .reason:
            rows = CancelReason.allCases.map { reason in
                let orders = cancelled.filter { ($0.cancelReason ?? .other) == reason }
                return ReportRow(reason.rawValue, label: reason.label, placed: nil, cancelled: orders)
            }
        case .day:
            rows = (0..<period.days).map { i in
                ReportRow(
                    period.dayText(i), label: period.weekday(i), placed: placedByDay[i]?.count ?? 0, cancelled: cancelledByDay[i] ?? [])
            }
        case .week:
            // Consecutive days share a week until a Monday starts the next one.
            var weeks: [(first: Int, last: Int)] = []
            for i in 0..<period.days {
                if i == 0 || ReportPeriod.mondayBased(period.localDay(i)) == 0 {
                    weeks.append((i, i))
                } else {
                    weeks[weeks.count - 1].last = i
                }
            }
            rows = weeks.map { week in
                let days = week.first...week.last
                return ReportRow(
                    ReportPeriod.isoWeek(period.localDay(week.first)),
                    label: "\(period.dayText(week.first)) – \(period.dayText(week.last))",
                    placed: days.reduce(0) { $0 + (placedByDay[$1]?.count ?? 0) },
                    cancelled: days.flatMap { cancelledByDay[$0] ?? [] })
            }
        case .agent:
            let byAgent = Dictionary(grouping: cancelled) { $0.cancellation?.agent ?? "(unknown)" }
            rows = byAgent.map { ReportRow($0.key, label: nil, placed: nil, cancelled: $0.value) }
                .sorted { $0.cancelled != $1.cancelled ? $0.cancelled > $1.cancelled : $0.group < $1.group }
        }
    }
}
