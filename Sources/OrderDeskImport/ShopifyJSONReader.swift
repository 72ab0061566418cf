import Foundation
import OrderDeskCore

/// Reads Shopify Admin REST JSON in every shape Shopify sends: `{"orders": [...]}` (a list
/// response), `{"order": {...}}`, a bare order object (a webhook body; its path is `$`), a list of
/// orders (OrderDesk's own `orders --json`), or JSON Lines, one of those a line (as webhook
/// collectors write them; paths start with `line N: `).
///
/// The document is parsed with `JSONSerialization` and walked field by field, so that every
/// problem is reported with its path (`orders[3].line_items[0].quantity`) and unknown fields are
/// ignored. Amounts may be decimal strings (`"12.50"`) or JSON numbers, with no more decimals than
/// the currency uses; `null` counts as absent; an order-level amount missing in the shop's currency
/// is taken from its `*_set.shop_money`. A refund above the total (another exchange rate) is a
/// warning, not a problem. A refund's older `"restock": true` (before `restock_type`) restocks
/// its lines: unshipped units as `cancel`, shipped ones as `return`.
enum ShopifyJSONReader {
    static func read(_ text: String, progress: ((Int) -> Void)?) -> ([ImportedOrder], [ImportProblem]) {
        var text = text
        if text.unicodeScalars.first == "\u{FEFF}" { text.unicodeScalars.removeFirst() }
        let root: Any
        do {
            root = try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
        } catch {
            if let lines = jsonLines(text) { return readLines(lines, progress: progress) }
            return ([], [ImportProblem(.file, "is not valid JSON: \(Self.detail(error))")])
        }
        var walker = Walker()
        var items: [(Any, String)] = []
        let (found, problem) = orderValues(root, prefix: "")
        if let problem { return ([], [problem]) }
        items = found
        var orders: [ImportedOrder] = []
        orders.reserveCapacity(items.count)
        for (i, (value, path)) in items.enumerated() {
            if let order = walker.order(value, path: path) { orders.append(order) }
            if let progress, (i + 1) % 5_000 == 0 { progress(i + 1) }
        }
        return (orders, walker.fields.problems)
    }

    static func detail(_ error: Error) -> String {
        let ns = error as NSError
        return (ns.userInfo[NSDebugDescriptionErrorKey] as? String) ?? ns.localizedDescription
    }

    /// The orders of a parsed document, each with its path: `{"orders": [...]}`, `{"order": {...}}`,
    /// a list of orders, or a bare order object (a webhook body, `$`). `prefix` starts each path
    /// (`line 3: ` in JSON Lines).
    static func orderValues(_ root: Any, prefix: String) -> ([(Any, String)], ImportProblem?) {
        func fail(_ problem: ImportProblem) -> ([(Any, String)], ImportProblem?) { ([], problem) }
        let here: ImportProblem.Location = prefix.isEmpty ? .file : .path(String(prefix.dropLast(2)))
        if let object = root as? [String: Any] {
            if let list = object["orders"] {
                guard let array = list as? [Any] else {
                    return fail(ImportProblem(.path(prefix + "orders"), "is \(Walker.kind(list)); expected a list of orders"))
                }
                return (array.enumerated().map { ($0.element, prefix + "orders[\($0.offset)]") }, nil)
            }
            if let one = object["order"] { return ([(one, prefix + "order")], nil) }
            if isBareOrder(object) { return ([(object, prefix + "$")], nil) }
            if let refund = object["refund"] as? [String: Any] {
                let of = (refund["order_id"] as? NSNumber).map { " of order id \($0)" } ?? ""
                return fail(
                    ImportProblem(
                        here,
                        "is a refund ({\"refund\": ...})\(of), not an order; import the order itself (its refunds come with it)"))
            }
            return fail(
                ImportProblem(
                    here,
                    "has neither \"orders\" nor \"order\" at the top level, and is not an order itself; expected Shopify's Admin API response {\"orders\": [...]} or {\"order\": {...}}, an order object (a webhook body), or a list of orders"
                ))
        }
        if let array = root as? [Any] {
            return (array.enumerated().map { ($0.element, prefix + "[\($0.offset)]") }, nil)
        }
        return fail(
            ImportProblem(here, "is \(Walker.kind(root)), not Shopify's {\"orders\": [...]}, {\"order\": {...}} or an order object"))
    }

    /// Whether an object is an order itself: it has an order's line items, or its name or number
    /// together with its total.
    static func isBareOrder(_ object: [String: Any]) -> Bool {
        if object["line_items"] is [Any] { return true }
        return (object["name"] != nil || object["order_number"] != nil) && object["total_price"] != nil
    }

    /// JSON Lines (one order, a webhook body, a line), as collectors write them: the non-blank
    /// lines with their 1-based numbers, when there are two or more and the first is an object on
    /// its own. Nil for anything else (then the file is reported as invalid JSON).
    static func jsonLines(_ text: String) -> [(Int, Substring)]? {
        var lines: [(Int, Substring)] = []
        for (i, line) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
            if !trimmed.isEmpty { lines.append((i + 1, line)) }
        }
        guard lines.count >= 2, let first = lines.first,
            (try? JSONSerialization.jsonObject(with: Data(first.1.utf8))) is [String: Any]
        else { return nil }
        return lines
    }

    static func readLines(_ lines: [(Int, Substring)], progress: ((Int) -> Void)?) -> ([ImportedOrder], [ImportProblem]) {
        var walker = Walker()
        var orders: [ImportedOrder] = []
        var problems: [ImportProblem] = []
        for (i, (number, line)) in lines.enumerated() {
            let prefix = "line \(number): "
            let value: Any
            do {
                value = try JSONSerialization.jsonObject(with: Data(line.utf8))
            } catch {
                problems.append(ImportProblem(.path("line \(number)"), "is not valid JSON: \(detail(error))"))
                continue
            }
            let (items, problem) = orderValues(value, prefix: prefix)
            if let problem { problems.append(problem) }
            for (item, path) in items {
                if let order = walker.order(item, path: path) { orders.append(order) }
            }
            if let progress, (i + 1) % 5_000 == 0 { progress(orders.count) }
        }
        return (orders, problems + walker.fields.problems)
    }

    struct Walker {
        var fields = FieldReader()
        /// Paths of the orders by id and by name, to refuse the same order twice.
        var ids: [Int64: String] = [:]
        var names: [String: String] = [:]

        static func kind(_ value: Any) -> String {
            if value is NSNull { return "null" }
            if value is String { return "text" }
            if isBool(value) { return "true/false" }
            if value is NSNumber { return "a number" }
            if value is [Any] { return "a list" }
            if value is [String: Any] { return "an object" }
            return "something else"
        }

        /// Whether a parsed value is `true` or `false` (a boolean NSNumber; `1` and `0` are not).
        static func isBool(_ value: Any) -> Bool {
            guard let n = value as? NSNumber else { return false }
            return String(cString: n.objCType) == "c"
        }

        static func isWhole(_ number: NSNumber) -> Bool {
            switch String(cString: number.objCType) {
            case "d", "f": return false
            default: return true
            }
        }

        /// A member, with null taken as absent.
        static func member(_ object: [String: Any], _ key: String) -> Any? {
            guard let value = object[key], !(value is NSNull) else { return nil }
            return value
        }

        mutating func wrongKind(_ value: Any, _ path: String, expected: String) {
            fields.fail(.path(path), "is \(Self.kind(value)); expected \(expected)")
        }

        /// Text; a number is written out as text (ids, zip codes); anything else is a problem.
        mutating func text(_ object: [String: Any], _ key: String, _ path: String) -> String? {
            guard let value = Self.member(object, key) else { return nil }
            if let s = value as? String { return s }
            if !Self.isBool(value), let n = value as? NSNumber, Self.isWhole(n) { return n.stringValue }
            wrongKind(value, path + "." + key, expected: "text")
            return nil
        }

        mutating func requiredText(_ object: [String: Any], _ key: String, _ path: String) -> String? {
            guard Self.member(object, key) != nil else {
                fields.fail(.path(path + "." + key), "is missing")
                return nil
            }
            return text(object, key, path)
        }

        /// An amount: a decimal string, as Shopify writes most amounts, or a JSON number (refund
        /// line items' `subtotal` and `total_tax`, webhook bodies); `null` is taken as absent.
        mutating func money(
            _ object: [String: Any], _ key: String, _ path: String, currency: String?, required: Bool = false
        ) -> Money? {
            let at = path + "." + key
            guard let value = Self.member(object, key) else {
                if required { fields.fail(.path(at), "is missing") }
                return nil
            }
            if let s = value as? String {
                return fields.money(s.trimmed, currency: currency, at: .path(at), label: "")
            }
            if !Self.isBool(value), let n = value as? NSNumber {
                // Shopify writes some amounts as JSON numbers (refund line subtotals, webhook
                // bodies of newer API versions): the shortest decimal that reads back as the number.
                let text = Self.isWhole(n) ? n.stringValue : "\(n.doubleValue)"
                return fields.money(text, currency: currency, at: .path(at), label: "")
            }
            wrongKind(value, at, expected: "an amount such as \"12.50\"")
            return nil
        }

        /// An order-level amount: `key` (the shop's currency), else `key_set.shop_money.amount`
        /// (the presentment sets of API versions from 2019 on).
        mutating func shopMoney(
            _ object: [String: Any], _ key: String, _ path: String, currency: String?, required: Bool = false
        ) -> Money? {
            if Self.member(object, key) != nil { return money(object, key, path, currency: currency) }
            if let set = Self.member(object, key + "_set") as? [String: Any],
                let shop = Self.member(set, "shop_money") as? [String: Any], Self.member(shop, "amount") != nil
            {
                return money(shop, "amount", path + "." + key + "_set.shop_money", currency: currency)
            }
            if required { fields.fail(.path(path + "." + key), "is missing") }
            return nil
        }

        mutating func timestamp(_ object: [String: Any], _ key: String, _ path: String, required: Bool = false) -> Timestamp? {
            guard let s = required ? requiredText(object, key, path) : text(object, key, path) else { return nil }
            return fields.timestamp(s.trimmed, at: .path(path + "." + key), label: "", example: "2026-04-05T21:06:21+04:00")
        }

        mutating func id(_ object: [String: Any], _ key: String, _ path: String) -> Int64? {
            guard let value = Self.member(object, key) else { return nil }
            let at = path + "." + key
            if let s = value as? String { return fields.id(s, at: .path(at), label: "") }
            if !Self.isBool(value), let n = value as? NSNumber, Self.isWhole(n) {
                return fields.id(n.stringValue, at: .path(at), label: "")
            }
            wrongKind(value, at, expected: "an id (a whole number)")
            return nil
        }

        mutating func quantity(_ object: [String: Any], _ key: String, _ path: String, required: Bool = true) -> Int? {
            let at = path + "." + key
            guard let value = Self.member(object, key) else {
                if required { fields.fail(.path(at), "is missing") }
                return nil
            }
            if !Self.isBool(value), let n = value as? NSNumber, Self.isWhole(n) {
                return fields.quantity(n.stringValue, at: .path(at), label: "")
            }
            if let s = value as? String { return fields.quantity(s, at: .path(at), label: "") }
            fields.fail(.path(at), "\(value is NSNumber ? "\(value)" : Self.kind(value)) is not a whole number")
            return nil
        }

        mutating func object(_ object: [String: Any], _ key: String, _ path: String) -> [String: Any]? {
            guard let value = Self.member(object, key) else { return nil }
            guard let o = value as? [String: Any] else {
                wrongKind(value, path + "." + key, expected: "an object")
                return nil
            }
            return o
        }

        mutating func list(_ object: [String: Any], _ key: String, _ path: String) -> [Any]? {
            guard let value = Self.member(object, key) else { return nil }
            guard let a = value as? [Any] else {
                wrongKind(value, path + "." + key, expected: "a list")
                return nil
            }
            return a
        }

        // MARK: The order

        mutating func order(_ value: Any, path: String) -> ImportedOrder? {
            guard let o = value as? [String: Any] else {
                wrongKind(value, path, expected: "an order object")
                return nil
            }
            let before = fields.problems.count

            var parsedName: (name: String, number: Int)?
            if let name = text(o, "name", path) {
                parsedName = fields.orderName(name.trimmed, at: .path(path + ".name"), label: "")
                // Shopify's own number wins over the digits of the name (a prefix may hold digits too).
                if let found = parsedName, let number = Self.member(o, "order_number") as? NSNumber, !Self.isBool(number),
                    Self.isWhole(number), number.int64Value > 0, number.int64Value <= Int64(Int32.max)
                {
                    parsedName = (found.name, Int(number.int64Value))
                }
            } else if let number = text(o, "order_number", path) {
                parsedName = fields.orderName("#" + number, at: .path(path + ".order_number"), label: "")
            } else {
                fields.fail(.path(path + ".name"), "is missing (and there is no order_number)")
            }
            if let parsedName {
                if let first = names[parsedName.name] {
                    fields.fail(.path(path + ".name"), "\(parsedName.name) is also the name of \(first)")
                } else {
                    names[parsedName.name] = path
                }
            }
            let id = self.id(o, "id", path)
            if let id {
                if let first = ids[id] {
                    fields.fail(.path(path + ".id"), "\(id) is also the id of \(first)")
                } else {
                    ids[id] = path
                }
            }
            let currency = requiredText(o, "currency", path).flatMap {
                fields.currency($0.trimmed, at: .path(path + ".currency"), label: "")
            }
            let createdAt = timestamp(o, "created_at", path, required: true)
            let financial = requiredText(o, "financial_status", path).flatMap {
                fields.financialStatus($0.trimmed, at: .path(path + ".financial_status"), label: "")
            }
            let fulfillment = fields.fulfillmentStatus(
                (text(o, "fulfillment_status", path) ?? "").trimmed, at: .path(path + ".fulfillment_status"), label: "")
            let cancelledAt = timestamp(o, "cancelled_at", path)
            let cancelReason = text(o, "cancel_reason", path).flatMap {
                fields.cancelReason($0.trimmed, at: .path(path + ".cancel_reason"), label: "")
            }
            let closedAt = timestamp(o, "closed_at", path)
            let total = shopMoney(o, "total_price", path, currency: currency, required: true)
            let subtotal = shopMoney(o, "subtotal_price", path, currency: currency)
            let tax = shopMoney(o, "total_tax", path, currency: currency) ?? .zero
            let discounts = shopMoney(o, "total_discounts", path, currency: currency) ?? .zero
            let shipping = shippingPrice(o, path, currency: currency)
            let note = text(o, "note", path).flatMap { $0.trimmed.isEmpty ? nil : $0 }
            var tags = ""
            if let list = Self.member(o, "tags") as? [Any] {
                tags = list.compactMap { $0 as? String }.joined(separator: ", ")
            } else {
                tags = text(o, "tags", path) ?? ""
            }
            let customerObject = object(o, "customer", path)
            let email =
                text(o, "email", path) ?? text(o, "contact_email", path)
                ?? customerObject.flatMap { text($0, "email", path + ".customer") } ?? ""
            let customer = self.customer(customerObject, billing: object(o, "billing_address", path), email: email, path: path)
            let address = object(o, "shipping_address", path).map { self.address($0, path + ".shipping_address") }

            var lines: [LineItem] = []
            /// Lines that say themselves how many units were restocked (OrderDesk's `restocked`).
            var explicitRestock: Set<Int64> = []
            if let items = list(o, "line_items", path) {
                var lineIDs: Set<Int64> = []
                for (i, item) in items.enumerated() {
                    let itemPath = path + ".line_items[\(i)]"
                    guard let line = lineItem(item, itemPath, currency: currency) else { continue }
                    if let object = item as? [String: Any], Self.member(object, "restocked") != nil {
                        explicitRestock.insert(line.id)
                    }
                    if line.id != 0 && !lineIDs.insert(line.id).inserted {
                        fields.fail(.path(itemPath + ".id"), "\(line.id) is also the id of another line item of this order")
                    }
                    lines.append(line)
                }
            } else if Self.member(o, "line_items") == nil {
                fields.fail(.path(path + ".line_items"), "is missing")
            }
            var refunds: [Refund] = []
            let beforeRefunds = fields.problems.count
            if let list = list(o, "refunds", path) {
                for (i, item) in list.enumerated() {
                    if let refund = refund(
                        item, path + ".refunds[\(i)]", currency: currency, lines: &lines, explicitRestock: explicitRestock)
                    {
                        refunds.append(refund)
                    }
                }
            }
            let refunded = refunds.reduce(Money.zero) { $0 + $1.amount }
            let refundsRead = fields.problems.count == beforeRefunds
            var warnings: [ImportProblem] = []
            if refundsRead, let total, refunded > total {
                // Shopify refunds in the buyer's currency at the rate of the day: a refund can
                // come to more than the total in the shop's. Taken as Shopify says, with a word.
                warnings.append(
                    ImportProblem(
                        .path(path + ".refunds"),
                        "refunds come to \(refunded) \(currency ?? ""), more than total_price \(total) (a refund at another exchange rate?); imported as Shopify has them"
                    ))
            }
            if refundsRead, let financial, financial == .refunded || financial == .partiallyRefunded, refunded.isZero {
                fields.fail(
                    .path(path + ".refunds"),
                    "financial_status is \(financial.rawValue) but no successful refund transaction is given; include the order's refunds with their transactions"
                )
            }
            guard fields.problems.count == before, let parsedName, let currency, let createdAt, let financial,
                let fulfillment, let total
            else { return nil }

            var order = Order(
                id: id ?? 0, orderNumber: parsedName.number, email: email, createdAt: createdAt, currency: currency,
                customer: customer, lineItems: lines, shipping: shipping ?? .zero, tax: tax, discounts: discounts,
                taxesIncluded: Self.member(o, "taxes_included") as? Bool ?? false, fulfillmentStatus: fulfillment, tags: tags,
                note: note, shippingAddress: address)
            order.financialStatus = financial
            order.name = parsedName.name
            order.totalPrice = total
            if let subtotal { order.subtotalPrice = subtotal }
            order.cancelledAt = cancelledAt
            order.cancelReason = cancelledAt == nil ? nil : cancelReason
            order.closedAt = closedAt
            order.refunds = refunds
            // The customer's language (`fi`, `en-GB`): notices are written in it. Only a tag of
            // letters, digits, `-` and `_` is kept.
            order.customerLocale = (Self.member(o, "customer_locale") as? String).flatMap { locale in
                let tag = locale.trimmed
                return !tag.isEmpty && tag.count <= 35
                    && tag.unicodeScalars.allSatisfy({
                        $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "_")
                    })
                    ? tag : nil
            }
            var timeline: [TimelineEntry] = []
            if let at = cancelledAt {
                let reason = cancelReason.map { ": \($0.label)" } ?? ""
                timeline.append(TimelineEntry(at: at, agent: nil, seq: nil, message: "Cancelled in Shopify\(reason)"))
            }
            for r in refunds where r.amount.isPositive {
                timeline.append(
                    TimelineEntry(at: r.createdAt, agent: nil, seq: nil, message: "Refunded \(order.show(r.amount)) in Shopify"))
            }
            order.timeline = timeline.enumerated().sorted { ($0.element.at, $0.offset) < ($1.element.at, $1.offset) }
                .map(\.element)
            let outstanding = shopMoney(o, "total_outstanding", path, currency: currency)
            let gateway =
                ((Self.member(o, "payment_gateway_names") as? [Any])?.first as? String).flatMap { $0.trimmed.isEmpty ? nil : $0.trimmed }
                ?? text(o, "gateway", path).flatMap { $0.trimmed.isEmpty ? nil : $0.trimmed }
            return ImportedOrder(
                order: order, location: .path(path), outstanding: outstanding, gateway: gateway, warnings: warnings)
        }

        /// `total_shipping_price` (OrderDesk's), else `total_shipping_price_set.shop_money.amount`,
        /// else the sum of `shipping_lines[].price`.
        mutating func shippingPrice(_ o: [String: Any], _ path: String, currency: String?) -> Money? {
            if Self.member(o, "total_shipping_price") != nil {
                return money(o, "total_shipping_price", path, currency: currency)
            }
            if let set = object(o, "total_shipping_price_set", path),
                let shop = object(set, "shop_money", path + ".total_shipping_price_set")
            {
                return money(shop, "amount", path + ".total_shipping_price_set.shop_money", currency: currency)
            }
            guard let lines = list(o, "shipping_lines", path) else { return nil }
            var sum = Money.zero
            for (i, line) in lines.enumerated() {
                let at = path + ".shipping_lines[\(i)]"
                guard let l = line as? [String: Any] else {
                    wrongKind(line, at, expected: "a shipping line object")
                    continue
                }
                if let price = money(l, "price", at, currency: currency) { sum += price }
            }
            return sum
        }

        mutating func customer(_ c: [String: Any]?, billing: [String: Any]?, email: String, path: String) -> Customer {
            let at = path + ".customer"
            if let c {
                return Customer(
                    id: id(c, "id", at) ?? 0, email: text(c, "email", at) ?? email,
                    firstName: text(c, "first_name", at) ?? "", lastName: text(c, "last_name", at) ?? "")
            }
            if let b = billing {
                let bp = path + ".billing_address"
                return Customer(
                    id: 0, email: email, firstName: text(b, "first_name", bp) ?? "", lastName: text(b, "last_name", bp) ?? "")
            }
            return Customer(id: 0, email: email, firstName: "", lastName: "")
        }

        mutating func address(_ a: [String: Any], _ path: String) -> Address {
            var name = text(a, "name", path) ?? ""
            if name.isEmpty {
                name = [text(a, "first_name", path) ?? "", text(a, "last_name", path) ?? ""].filter { !$0.isEmpty }
                    .joined(separator: " ")
            }
            return Address(
                name: name, address1: text(a, "address1", path) ?? "", city: text(a, "city", path) ?? "",
                zip: text(a, "zip", path) ?? "", country: text(a, "country_code", path) ?? text(a, "country", path) ?? "")
        }

        mutating func lineItem(_ value: Any, _ path: String, currency: String?) -> LineItem? {
            guard let l = value as? [String: Any] else {
                wrongKind(value, path, expected: "a line item object")
                return nil
            }
            let before = fields.problems.count
            let id = self.id(l, "id", path) ?? 0
            let sku = (text(l, "sku", path) ?? "").trimmed
            var title = text(l, "title", path) ?? text(l, "name", path) ?? ""
            title = title.trimmed
            if title.isEmpty { fields.fail(.path(path + ".title"), "is missing or empty") }
            let variant = text(l, "variant_title", path).flatMap { $0.trimmed.isEmpty ? nil : $0.trimmed }
            let quantity = self.quantity(l, "quantity", path)
            let price = shopMoney(l, "price", path, currency: currency, required: true)
            var fulfilled = 0
            if Self.member(l, "fulfilled_quantity") != nil {
                fulfilled = self.quantity(l, "fulfilled_quantity", path) ?? 0
            } else {
                switch (text(l, "fulfillment_status", path) ?? "").lowercased() {
                case "fulfilled": fulfilled = quantity ?? 0
                case "partial":
                    let open = self.quantity(l, "fulfillable_quantity", path, required: false) ?? 0
                    fulfilled = max(0, min((quantity ?? 0) - open, (quantity ?? 0)))
                default: break
                }
            }
            let restocked = self.quantity(l, "restocked", path, required: false) ?? 0
            guard fields.problems.count == before, let quantity, let price else { return nil }
            return LineItem(
                id: id, sku: sku, title: title, variantTitle: variant, quantity: quantity, price: price,
                fulfilledQuantity: min(fulfilled, quantity), restocked: min(restocked, quantity))
        }

        /// A refund; its restocked units are added to the lines they name (unless the lines say
        /// themselves, with OrderDesk's `restocked`).
        mutating func refund(
            _ value: Any, _ path: String, currency: String?, lines: inout [LineItem], explicitRestock: Set<Int64>
        ) -> Refund? {
            guard let r = value as? [String: Any] else {
                wrongKind(value, path, expected: "a refund object")
                return nil
            }
            let before = fields.problems.count
            let id = self.id(r, "id", path) ?? 0
            let createdAt = timestamp(r, "created_at", path, required: true)
            let note = text(r, "note", path).flatMap { $0.trimmed.isEmpty ? nil : $0 }
            var transactions: [Transaction] = []
            for (i, t) in (list(r, "transactions", path) ?? []).enumerated() {
                let at = path + ".transactions[\(i)]"
                guard let t = t as? [String: Any] else {
                    wrongKind(t, at, expected: "a transaction object")
                    continue
                }
                let kind = (text(t, "kind", at) ?? "refund").lowercased()
                let status = (text(t, "status", at) ?? "success").lowercased()
                let amount = money(t, "amount", at, currency: currency, required: true)
                guard kind == "refund", status == "success", let amount else { continue }
                let gateway = (text(t, "gateway", at) ?? "").lowercased()
                let credit = gateway.contains("store_credit") || gateway.contains("store-credit")
                transactions.append(
                    Transaction(
                        id: 0, kind: .refund, amount: amount, currency: currency ?? "",
                        gateway: credit ? Gateway.storeCredit : gateway, createdAt: createdAt ?? Timestamp(seconds: 0)))
            }
            var refundLines: [RefundLineItem] = []
            let restockAll = Self.member(r, "restock").map { Self.isBool($0) && ($0 as? Bool) == true } ?? false
            /// Units of each line this refund took off the order so far.
            var removedBefore: [Int64: Int] = [:]
            for (i, item) in (list(r, "refund_line_items", path) ?? []).enumerated() {
                let at = path + ".refund_line_items[\(i)]"
                guard let item = item as? [String: Any] else {
                    wrongKind(item, at, expected: "a refund line item object")
                    continue
                }
                let lineID = self.id(item, "line_item_id", at)
                if lineID == nil && Self.member(item, "line_item_id") == nil {
                    fields.fail(.path(at + ".line_item_id"), "is missing")
                }
                let quantity = self.quantity(item, "quantity", at)
                // Before refund line items had `restock_type` (API before 2017), the refund said
                // `"restock": true` for all of its lines: unshipped units come off the order
                // (cancel), shipped ones come back (return).
                var restockType = (text(item, "restock_type", at) ?? "").lowercased()
                if restockType.isEmpty {
                    restockType = restockAll ? "" : "no_restock"
                }
                let subtotal =
                    Self.member(item, "subtotal") != nil ? money(item, "subtotal", at, currency: currency) : nil
                let totalTax =
                    Self.member(item, "total_tax") != nil ? money(item, "total_tax", at, currency: currency) : nil
                guard let lineID, let quantity else { continue }
                guard let index = lines.firstIndex(where: { $0.id == lineID }) else {
                    fields.fail(.path(at + ".line_item_id"), "\(lineID) is not a line item of this order")
                    continue
                }
                if restockType.isEmpty {
                    let line = lines[index]
                    let removed = removedBefore[lineID, default: 0]
                    restockType = line.quantity - line.fulfilledQuantity - removed >= quantity ? "cancel" : "return"
                }
                if restockType == "cancel" { removedBefore[lineID, default: 0] += quantity }
                refundLines.append(
                    RefundLineItem(
                        lineItemId: lineID, quantity: quantity,
                        restockType: restockType == "cancel" ? .cancel : restockType == "no_restock" ? .noRestock : .return,
                        subtotal: subtotal ?? .zero, totalTax: totalTax ?? .zero))
                if ["cancel", "return", "legacy_restock"].contains(restockType), !explicitRestock.contains(lineID) {
                    lines[index].restocked = min(lines[index].quantity, lines[index].restocked + quantity)
                }
            }
            guard fields.problems.count == before, let createdAt else { return nil }
            return Refund(id: id, createdAt: createdAt, note: note, transactions: transactions, refundLineItems: refundLines)
        }
    }
}
