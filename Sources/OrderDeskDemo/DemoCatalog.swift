import OrderDeskCore

/// A product variant the demo shop sells.
struct DemoProduct: Sendable {
    let sku: String
    /// The product's title, `Organic Tee`.
    let title: String
    /// The variant's title, `Black / M`.
    let variant: String
    /// The price in euro cents; other currencies are derived from it.
    let euroCents: Int64
    /// How often the product is bought, relative to the others.
    let popularity: Int
    /// A gift card: sold at its face value, never in stock (Shopify's `gift_card` line).
    let giftCard: Bool

    init(sku: String, title: String, variant: String, euroCents: Int64, popularity: Int, giftCard: Bool = false) {
        self.sku = sku
        self.title = title
        self.variant = variant
        self.euroCents = euroCents
        self.popularity = popularity
        self.giftCard = giftCard
    }
}

/// A currency the demo shop sells in, with its price rounding and shipping rates.
struct DemoCurrency: Sendable {
    let code: String
    /// Target minor units per euro cent, as a fraction `rateNumerator / rateDenominator`.
    let rateNumerator: Int64
    let rateDenominator: Int64
    /// Converted prices are rounded to a multiple of this many minor units…
    let roundTo: Int64
    /// …then lowered by this many, for shop-like prices (`26.99`, `289`, `3980`).
    let ending: Int64
    /// Standard and express shipping, in minor units.
    let standardShipping: Int64
    let expressShipping: Int64
    /// Orders from this subtotal (minor units, after discounts) ship free.
    let freeShippingFrom: Int64
    /// Whether prices include tax (Shopify's `taxes_included`): VAT countries' currencies (EUR,
    /// SEK, GBP) do, as shops there must show consumers; USD and JPY add it on top.
    let taxesIncluded: Bool

    /// Decimals of the currency.
    var exponent: Int { Currency.exponent(of: code) }

    /// A price in minor units of this currency, from a price in euro cents. Exact integer arithmetic.
    func minorUnits(fromEuroCents cents: Int64) -> Int64 {
        let converted = cents * rateNumerator / rateDenominator
        let rounded = max(roundTo, (converted + roundTo / 2) / roundTo * roundTo)
        return rounded - ending
    }

    /// A gift card's face value in minor units, from one in euro cents: rounded like a price but
    /// without the shop-like ending (`25.00`, `290.00`, `4100`).
    func faceValue(fromEuroCents cents: Int64) -> Int64 {
        let converted = cents * rateNumerator / rateDenominator
        return max(roundTo, (converted + roundTo / 2) / roundTo * roundTo)
    }
}

/// The demo shop's fixed tables: products, currencies, agents and the words people write.
enum DemoCatalog {
    /// About forty products: apparel, mugs, paper goods and small gifts.
    static let products: [DemoProduct] = [
        DemoProduct(sku: "TEE-BLK-S", title: "Organic Tee", variant: "Black / S", euroCents: 2490, popularity: 8),
        DemoProduct(sku: "TEE-BLK-M", title: "Organic Tee", variant: "Black / M", euroCents: 2490, popularity: 12),
        DemoProduct(sku: "TEE-BLK-L", title: "Organic Tee", variant: "Black / L", euroCents: 2490, popularity: 9),
        DemoProduct(sku: "TEE-WHT-S", title: "Organic Tee", variant: "White / S", euroCents: 2490, popularity: 6),
        DemoProduct(sku: "TEE-WHT-M", title: "Organic Tee", variant: "White / M", euroCents: 2490, popularity: 9),
        DemoProduct(sku: "TEE-WHT-L", title: "Organic Tee", variant: "White / L", euroCents: 2490, popularity: 7),
        DemoProduct(sku: "TEE-OLV-M", title: "Organic Tee", variant: "Olive / M", euroCents: 2490, popularity: 4),
        DemoProduct(sku: "HOOD-GRY-M", title: "Heavyweight Hoodie", variant: "Heather Grey / M", euroCents: 6490, popularity: 6),
        DemoProduct(sku: "HOOD-GRY-L", title: "Heavyweight Hoodie", variant: "Heather Grey / L", euroCents: 6490, popularity: 5),
        DemoProduct(sku: "HOOD-NVY-M", title: "Heavyweight Hoodie", variant: "Navy / M", euroCents: 6490, popularity: 5),
        DemoProduct(sku: "HOOD-NVY-L", title: "Heavyweight Hoodie", variant: "Navy / L", euroCents: 6490, popularity: 4),
        DemoProduct(sku: "CREW-OAT-M", title: "Merino Crew", variant: "Oat / M", euroCents: 8900, popularity: 3),
        DemoProduct(sku: "MUG-ENM-CRM", title: "Enamel Mug", variant: "Cream", euroCents: 1490, popularity: 9),
        DemoProduct(sku: "MUG-STN-SPK", title: "Stoneware Mug", variant: "Speckled", euroCents: 1890, popularity: 7),
        DemoProduct(sku: "MUG-CAF-TER", title: "Café Mug", variant: "Terracotta", euroCents: 1690, popularity: 6),
        DemoProduct(sku: "MUG-TRV-STL", title: "Travel Mug", variant: "Steel / 350 ml", euroCents: 2490, popularity: 4),
        DemoProduct(sku: "SOCK-WOL-3640", title: "Wool Socks", variant: "Grey / 36–40", euroCents: 1290, popularity: 7),
        DemoProduct(sku: "SOCK-WOL-4145", title: "Wool Socks", variant: "Grey / 41–45", euroCents: 1290, popularity: 7),
        DemoProduct(sku: "SOCK-STR-3PK", title: "Striped Socks", variant: "3-pack", euroCents: 1990, popularity: 5),
        DemoProduct(sku: "POST-AUR-5070", title: "Northern Lights Poster", variant: "50×70 cm", euroCents: 2990, popularity: 5),
        DemoProduct(sku: "POST-TKY-A3", title: "Tokyo Nights Poster", variant: "A3", euroCents: 1990, popularity: 4),
        DemoProduct(sku: "POST-FJD-3040", title: "Fjord Poster", variant: "30×40 cm", euroCents: 2490, popularity: 3),
        DemoProduct(sku: "POST-CAF-A3", title: "Café de Flore Poster", variant: "A3", euroCents: 1990, popularity: 3),
        DemoProduct(sku: "NOTE-DOT-A5-BLK", title: "Dot Grid Notebook", variant: "A5 / Black", euroCents: 1590, popularity: 7),
        DemoProduct(sku: "NOTE-DOT-A5-SGE", title: "Dot Grid Notebook", variant: "A5 / Sage", euroCents: 1590, popularity: 5),
        DemoProduct(sku: "NOTE-LIN-A6", title: "Lined Notebook", variant: "A6 / Kraft", euroCents: 890, popularity: 5),
        DemoProduct(sku: "NOTE-SKT-A4", title: "Sketchbook", variant: "A4", euroCents: 1990, popularity: 3),
        DemoProduct(sku: "TOTE-NAT", title: "Canvas Tote", variant: "Natural", euroCents: 1890, popularity: 6),
        DemoProduct(sku: "BEAN-CHR", title: "Ribbed Beanie", variant: "Charcoal", euroCents: 2290, popularity: 5),
        DemoProduct(sku: "BEAN-MUS", title: "Ribbed Beanie", variant: "Mustard", euroCents: 2290, popularity: 3),
        DemoProduct(sku: "CAP-NVY", title: "Dad Cap", variant: "Navy", euroCents: 2490, popularity: 4),
        DemoProduct(sku: "BOTL-750-FOR", title: "Water Bottle", variant: "750 ml / Forest", euroCents: 2990, popularity: 4),
        DemoProduct(sku: "STKR-8PK", title: "Sticker Pack", variant: "Set of 8", euroCents: 590, popularity: 8),
        DemoProduct(sku: "PIN-FOX", title: "Enamel Pin", variant: "Fox", euroCents: 890, popularity: 5),
        DemoProduct(sku: "CNDL-FOR", title: "Scented Candle", variant: "Forest Floor", euroCents: 2690, popularity: 4),
        DemoProduct(sku: "TOWL-LIN", title: "Linen Tea Towel", variant: "Stripe", euroCents: 1490, popularity: 3),
        DemoProduct(sku: "PEN-BRS-3", title: "Brass Pen Set", variant: "3 pens", euroCents: 3490, popularity: 2),
        DemoProduct(sku: "CASE-IP15-SND", title: "Phone Case", variant: "iPhone 15 / Sand", euroCents: 2990, popularity: 3),
        DemoProduct(sku: "UMBR-BLK", title: "Compact Umbrella", variant: "Black", euroCents: 3990, popularity: 2),
        DemoProduct(sku: "SCRF-BLU", title: "Wool Scarf", variant: "Fjord Blue", euroCents: 4990, popularity: 3),
        DemoProduct(sku: "PUZL-1000", title: "Archipelago Puzzle", variant: "1000 pieces", euroCents: 2990, popularity: 2),
        DemoProduct(sku: "GIFT-WRAP", title: "Gift Wrap", variant: "Recycled paper", euroCents: 350, popularity: 3),
        DemoProduct(
            sku: "GIFT-CARD-25", title: "Gift Card", variant: "Printed card", euroCents: 2500, popularity: 3, giftCard: true),
    ]

    /// The SKUs kept in stock: every product but the gift cards.
    static let stockedProducts: [DemoProduct] = products.filter { !$0.giftCard }

    /// Balances of the gift cards customers pay with, in euro cents.
    static let giftCardBalances: [Int64] = [1000, 2500, 2500, 5000]

    /// How likely each product is to be picked for a line. (Fewer than 64 products: an order's
    /// products are tracked as bits of a `UInt64`.)
    static let productWeights: WeightTable = {
        precondition(products.count < 64, "DemoBuilder.makeLines tracks products in a UInt64")
        return WeightTable(products.map(\.popularity))
    }()

    /// Index of each currency in `currencies`.
    static let eur = 0, usd = 1, gbp = 2, sek = 3, jpy = 4

    /// The currencies sold in; EUR prices are the catalogue's, the others converted from them.
    static let currencies: [DemoCurrency] = [
        DemoCurrency(
            code: "EUR", rateNumerator: 1, rateDenominator: 1, roundTo: 1, ending: 0,
            standardShipping: 490, expressShipping: 990, freeShippingFrom: 6000, taxesIncluded: true),
        DemoCurrency(
            code: "USD", rateNumerator: 108, rateDenominator: 100, roundTo: 100, ending: 1,
            standardShipping: 599, expressShipping: 1299, freeShippingFrom: 7500, taxesIncluded: false),
        DemoCurrency(
            code: "GBP", rateNumerator: 85, rateDenominator: 100, roundTo: 100, ending: 5,
            standardShipping: 395, expressShipping: 795, freeShippingFrom: 5000, taxesIncluded: true),
        DemoCurrency(
            code: "SEK", rateNumerator: 1150, rateDenominator: 100, roundTo: 1000, ending: 100,
            standardShipping: 4900, expressShipping: 9900, freeShippingFrom: 60000, taxesIncluded: true),
        DemoCurrency(
            code: "JPY", rateNumerator: 162, rateDenominator: 100, roundTo: 100, ending: 20,
            standardShipping: 800, expressShipping: 1500, freeShippingFrom: 8000, taxesIncluded: false),
    ]

    /// The support agents who cancel, refund and log feedback.
    static let agents = ["alice", "bob", "chen", "dana"]
    /// How busy each agent is.
    static let agentWeights = WeightTable([35, 25, 25, 15])

    /// Cancel reasons in 20 cancels, customer and inventory first as in real shops. Dealt as a
    /// deck, so that any 13 cancels show at least three reasons.
    static let reasonCards: [(card: CancelReason, count: Int)] = [
        (.customer, 8), (.inventory, 4), (.fraud, 2), (.declined, 2), (.shipping, 2), (.staff, 1), (.other, 1),
    ]

    /// Staff notes written when cancelling, by reason.
    static func staffNotes(for reason: CancelReason) -> [String] {
        switch reason {
        case .customer:
            return [
                "Customer emailed asking to cancel", "Ordered the wrong size, will reorder",
                "Found it cheaper elsewhere", "Customer called: no longer needed",
            ]
        case .inventory:
            return [
                "Supplier out of stock until next month", "Last unit was damaged in the warehouse",
                "Stock count was wrong", "Discontinued colour",
            ]
        case .fraud:
            return [
                "High risk: billing and shipping countries differ", "Card flagged by the payment provider",
                "Third order today from a new account with different cards",
            ]
        case .declined: return ["Card declined twice", "Bank transfer never arrived", "Authorization expired"]
        case .shipping:
            return [
                "Address not deliverable, customer unreachable", "Carrier does not ship to this postcode",
                "Parcel stuck in customs for three weeks",
            ]
        case .staff: return ["Duplicate order created by mistake", "Wrong price on the product page"]
        case .other: return ["Payment app error, customer will reorder", "Checkout glitch, order is a test"]
        }
    }

    /// The reason as told to the customer in a cancel notice.
    static func customerReason(_ reason: CancelReason) -> String {
        switch reason {
        case .customer: return "as you requested"
        case .inventory: return "because some items are no longer available"
        case .fraud: return "because we could not verify the payment"
        case .declined: return "because the payment was declined"
        case .shipping: return "because we cannot deliver to the address given"
        case .staff: return "because of an error on our side"
        case .other: return "because of a problem with the order"
        }
    }

    /// Notes customers leave at checkout, in English; countries add notes in their own language.
    static let customerNotes = [
        "Please leave at the door", "Ring the bell twice, the buzzer is broken", "Deliver after 5pm please",
        "Gift, please don't include the receipt", "Can you gift wrap the mug? It's a birthday present 🎁",
        "Call me before delivery",
    ]

    /// Notes on partial refunds for a returned unit.
    static let returnNotes = ["Returned: wrong size", "Returned: changed mind", "Returned: colour not as pictured"]
    /// Notes on partial refunds that return no goods.
    static let goodwillNotes = [
        "Goodwill: parcel arrived late", "Goodwill: box damaged in transit",
        "Price adjustment: sale started the next day", "Missing gift wrap",
    ]
    /// Notes on refunds of a whole returned order.
    static let fullReturnNotes = ["Full return within 30 days", "Full return: item faulty"]

    /// Feedback texts by rating, 1 to 5 (index 0 is rating 1).
    static let feedbackTexts: [[String]] = [
        ["Parcel never arrived and nobody answered for a week.", "Die Tasse kam zerbrochen an.", "Very disappointed."],
        ["Took three weeks to arrive.", "Sizes run small, had to return.", "Le colis était abîmé."],
        ["OK, but shipping was slow.", "Fine product, packaging could be better."],
        ["Nice quality, quick delivery.", "Muy buena calidad, repetiré.", "Good, but the colour is darker than the photo."],
        [
            "Love it! Fast shipping too.", "Très bien, merci !", "Supersnabb leverans, tack!",
            "Kiitos, nopea toimitus!", "とても良い品質です。", "Perfect gift, thank you 😊",
        ],
    ]

    /// Feedback texts about how a cancellation went, by rating (index 0 is rating 1).
    static let cancellationFeedbackTexts: [[String]] = [
        ["I still don't understand why my order was cancelled.", "Nobody answered my emails."],
        ["Took days to get an answer.", "Nobody offered an alternative."],
        ["Cancellation was fine, but I really wanted that item."],
        ["Quick cancellation, thanks for the discount code.", "Annulation rapide, merci."],
        ["Quick and painless cancellation, thank you!", "Danke für die schnelle Stornierung!"],
    ]

    /// Feedback from customers still waiting for an unfulfilled order (ratings 1 to 3).
    static let waitingFeedbackTexts = [
        "Still waiting for my parcel.", "Wann wird meine Bestellung verschickt?", "Any news on my order?",
    ]

    /// How common each rating 1…5 is: skewed to 4 and 5, with some unhappy customers.
    static let ratingWeights = WeightTable([8, 6, 10, 26, 50])
}
