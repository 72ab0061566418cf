/// `SKU` and `SKU=QTY` words, as `restock` and `return` take them.
enum SKUItems {
    /// The items in order; a nil quantity means all that can go. A SKU named twice is refused.
    static func parse(_ words: ArraySlice<String>, command: String, order: String) throws(OrderDeskError) -> [(sku: String, quantity: Int?)]
    {
        var items: [(sku: String, quantity: Int?)] = []
        for word in words {
            let parts = word.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let sku = parts.first, !sku.isEmpty else {
                throw .invalidValue(command: command, flag: "SKU", value: word, expected: "SKU or SKU=QTY, such as MUG-WHT=1")
            }
            var quantity: Int?
            if parts.count == 2 {
                guard let q = Int(parts[1]), q > 0 else {
                    throw .invalidValue(
                        command: command, flag: String(sku), value: String(parts[1]), expected: "a whole number of units, at least 1")
                }
                quantity = q
            }
            items.append((String(sku), quantity))
        }
        var seen: Set<String> = []
        for item in items where !seen.insert(item.sku.lowercased()).inserted {
            throw .repeatedSKU(order: order, sku: item.sku)
        }
        return items
    }
}
