import OrderDeskCore

/// One thing wrong with an import file, and where: a CSV line or a JSON path.
///
/// An import is all or nothing, so a reader collects every problem instead of stopping at
/// the first one; the command lists them all and imports nothing.
public struct ImportProblem: Sendable, Hashable, CustomStringConvertible {
    /// Where in the file the problem is.
    public enum Location: Sendable, Hashable {
        /// A CSV line, 1-based; the header is line 1. For a record with a multi-line quoted
        /// field, the line the record starts on.
        case line(Int)
        /// A JSON path such as `orders[3].line_items[0].quantity`.
        case path(String)
        /// The file as a whole.
        case file
    }

    public var location: Location
    /// What is wrong, in plain words (`Lineitem quantity "two" is not a whole number`).
    public var message: String

    public init(_ location: Location, _ message: String) {
        self.location = location
        self.message = message
    }

    /// The problem as printed: `orders.csv:14: Lineitem quantity "two" is not a whole number`,
    /// `orders.json: orders[3].total_price: "12,50" is not an amount such as 12.50`.
    ///
    /// The file's text (a JSON path holds its keys) goes through ``Sanitizer/clean(_:)``: a
    /// crafted file cannot send escape sequences to the terminal through a message.
    public func text(file: String) -> String {
        switch location {
        case .line(let n): return Sanitizer.clean("\(file):\(n): \(message)")
        case .path(let path): return Sanitizer.clean("\(file): \(path): \(message)")
        case .file: return Sanitizer.clean("\(file): \(message)")
        }
    }

    public var description: String { text(file: "(input)") }
}

/// Checking and converting the text of one field; shared by the CSV and JSON readers.
///
/// Each function returns the value, or nil after appending a problem. `label` is what the
/// message calls the field: a CSV column name followed by a space, or empty for JSON (whose
/// problems already start with the path).
struct FieldReader {
    var problems: [ImportProblem] = []

    mutating func fail(_ at: ImportProblem.Location, _ message: String) {
        problems.append(ImportProblem(at, message))
    }

    /// A value quoted for a message: control characters (C0, C1, bidi overrides) made visible
    /// as `\u{1b}`, long values shortened.
    static func quoted(_ value: String) -> String {
        var text = ""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case "\"": text += "\\\""
            default:
                if Sanitizer.isControl(scalar) {
                    text += "\\u{\(String(scalar.value, radix: 16))}"
                } else {
                    text.unicodeScalars.append(scalar)
                }
            }
        }
        if text.count > 60 { text = String(text.prefix(57)) + "..." }
        return "\"" + text + "\""
    }

    /// An amount in a currency: a plain decimal (`12.50`, `1200`), not negative, with no more
    /// decimals than the currency uses. Returned at exactly the currency's exponent.
    /// With `negative`, an amount below zero is taken too (an Outstanding Balance of -0.01).
    mutating func money(
        _ text: String, currency: String?, at: ImportProblem.Location, label: String, negative: Bool = false
    ) -> Money? {
        guard let value = Money(text) else {
            fail(at, "\(label)\(Self.quoted(text)) is not an amount such as 12.50")
            return nil
        }
        if value.isNegative && !negative {
            fail(at, "\(label)\(Self.quoted(text)) is negative; Shopify writes this amount as a positive number")
            return nil
        }
        guard let currency else { return value }
        let exponent = Currency.exponent(of: currency)
        guard let units = value.units(atScale: exponent) else {
            let decimals = exponent == 1 ? "1 decimal" : "\(exponent) decimals"
            fail(at, "\(label)\(Self.quoted(text)) has more decimals than \(currency) uses (\(decimals))")
            return nil
        }
        return Money(units: units, scale: exponent)
    }

    /// A whole number of units, 0 or more.
    mutating func quantity(_ text: String, at: ImportProblem.Location, label: String) -> Int? {
        guard let n = Int(text), text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else {
            if let n = Int(text), n < 0 {
                fail(at, "\(label)\(Self.quoted(text)) is negative; a quantity is 0 or more")
            } else {
                fail(at, "\(label)\(Self.quoted(text)) is not a whole number")
            }
            return nil
        }
        guard n <= 1_000_000_000 else {
            fail(at, "\(label)\(Self.quoted(text)) is too large for a quantity")
            return nil
        }
        return n
    }

    /// A time as Shopify writes it: `2026-04-05 21:06:21 +0400` (CSV) or `2026-04-05T21:06:21+04:00` (JSON).
    mutating func timestamp(
        _ text: String, at: ImportProblem.Location, label: String, example: String = "2026-04-05 21:06:21 +0400"
    ) -> Timestamp? {
        guard let value = Timestamp(iso8601: text) else {
            fail(at, "\(label)\(Self.quoted(text)) is not a date and time such as \(example)")
            return nil
        }
        return value
    }

    /// A currency code: three letters (`EUR`), returned in capitals.
    mutating func currency(_ text: String, at: ImportProblem.Location, label: String) -> String? {
        let code = text.uppercased()
        guard code.utf8.count == 3, code.utf8.allSatisfy({ $0 >= 65 && $0 <= 90 }) else {
            fail(at, "\(label)\(Self.quoted(text)) is not a currency code such as EUR or JPY")
            return nil
        }
        return code
    }

    /// A Shopify id: a positive whole number.
    mutating func id(_ text: String, at: ImportProblem.Location, label: String) -> Int64? {
        guard let n = Int64(text), n > 0, text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else {
            fail(at, "\(label)\(Self.quoted(text)) is not an id (a positive whole number)")
            return nil
        }
        return n
    }

    /// An order name as the shop writes it (`#1001`, `Her2065`, `#N13073`, `1042-EU`), with the
    /// number in it.
    mutating func orderName(_ text: String, at: ImportProblem.Location, label: String) -> (name: String, number: Int)? {
        guard OrderName.isValid(text) else {
            fail(
                at,
                "\(label)\(Self.quoted(text)) is not an order name: a name is 1 to \(OrderName.maxLength) characters without spaces or control characters, such as #1001 or Her2065"
            )
            return nil
        }
        guard let number = OrderName.embeddedNumber(text) else {
            fail(
                at,
                "\(label)\(Self.quoted(text)) has no order number in it (Shopify's names are the number with the shop's prefix and suffix, such as #1001 or Her2065)"
            )
            return nil
        }
        // The name as the shop wrote it, `#` or not; the number is its longest run of digits.
        return (text, number)
    }

    /// A payment state; Shopify's values, any case, spaces for underscores allowed.
    mutating func financialStatus(_ text: String, at: ImportProblem.Location, label: String) -> FinancialStatus? {
        let key = text.lowercased().replacingOccurrences(of: " ", with: "_")
        guard let value = FinancialStatus(rawValue: key) else {
            let allowed = FinancialStatus.allCases.map(\.rawValue).joined(separator: ", ")
            fail(at, "\(label)\(Self.quoted(text)) is not a payment state (\(allowed))")
            return nil
        }
        return value
    }

    /// An order's fulfilment state; `unfulfilled`, `pending` and empty mean none (Shopify's null).
    mutating func fulfillmentStatus(_ text: String, at: ImportProblem.Location, label: String) -> FulfillmentStatus?? {
        let key = text.lowercased()
        if key.isEmpty || key == "unfulfilled" || key == "pending" || key == "null" { return .some(nil) }
        guard let value = FulfillmentStatus(rawValue: key) else {
            fail(at, "\(label)\(Self.quoted(text)) is not a fulfilment state (fulfilled, partial, restocked, unfulfilled)")
            return nil
        }
        return .some(value)
    }

    /// A cancel reason: Shopify's (`customer`, `inventory`, `fraud`, `declined`, `other`, `staff`)
    /// plus OrderDesk's `shipping`.
    mutating func cancelReason(_ text: String, at: ImportProblem.Location, label: String) -> CancelReason? {
        guard let value = CancelReason(rawValue: text.lowercased()) else {
            let allowed = CancelReason.allCases.map(\.rawValue).joined(separator: ", ")
            fail(at, "\(label)\(Self.quoted(text)) is not a cancel reason (\(allowed))")
            return nil
        }
        return value
    }
}

extension String {
    /// The text without spaces, tabs and line breaks at either end.
    var trimmed: String {
        if let first = utf8.first, let last = utf8.last, first > 0x20, first < 0x80, last > 0x20, last < 0x80 {
            return self
        }
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        return String(scalars[first...last])
    }
}
