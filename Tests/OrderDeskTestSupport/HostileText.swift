import Testing

/// Text that tries to take over a terminal, and the check that output holds none of it raw:
/// shared by the in-process sweep and the program-level tests.
public enum HostileText {
    /// Our own output may hold SGR colour codes only when colour is on; never anything else.
    public static func assertInert(_ text: String, color: Bool, _ view: String) {
        var scalars = text.unicodeScalars.makeIterator()
        while let s = scalars.next() {
            if s == "\u{1B}" && color {
                // Only ESC [ digits ; … m is ours.
                var sequence = ""
                while let c = scalars.next() {
                    sequence.unicodeScalars.append(c)
                    if c.value >= 0x40 && c.value <= 0x7E && c != "[" { break }
                }
                #expect(
                    sequence.hasPrefix("[") && sequence.hasSuffix("m")
                        && sequence.dropFirst().dropLast().allSatisfy { $0.isNumber || $0 == ";" },
                    "\(view): escape \(sequence.debugDescription)")
                continue
            }
            let v = s.value
            let control =
                (v < 0x20 && s != "\n") || v == 0x7F || (0x80..<0xA0).contains(v) || (0x202A...0x202E).contains(v)
                || (0x2066...0x2069).contains(v)
            #expect(!control, "\(view) prints U+\(String(v, radix: 16, uppercase: true))")
        }
    }

    /// Shopify JSON whose SKU, title and tags carry escape sequences (OSC 52, a screen clear,
    /// C1 CSI, a bidi override); `bad` puts one in an amount too, which the import refuses.
    public static func hostileImport(bad: Bool) -> String {
        let sku = "EVIL\\u001b]52;c;cm0gLXJmIH4=\\u0007\\u001b[2J-SKU\\u009b1m\\u202e"
        let price = bad ? "12\\u001b[2J\\u009b31m" : "12.00"
        return """
            {"orders": [{"id": 6100000000001, "name": "#2001", "order_number": 2001, "email": "a\\u001b[8m@example.com",
              "created_at": "2026-04-14T10:20:30+01:00", "currency": "EUR", "financial_status": "paid", "fulfillment_status": null,
              "subtotal_price": "12.00", "total_price": "12.00", "total_tax": "0.00", "total_discounts": "0.00",
              "tags": "\\u001b]0;title\\u0007", "note": "\\u001b[2J",
              "customer": {"id": 7200000000001, "email": "a@example.com", "first_name": "\\u001b[31mAnn", "last_name": "B"},
              "line_items": [{"id": 15100000000001, "title": "Mug\\u001b]8;;https://evil.example\\u0007", "price": "\(price)",
                "quantity": 1, "sku": "\(sku)"}]}]}
            """
    }

}
