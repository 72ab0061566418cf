import OrderDeskCore

/// A customer of the demo shop, with what shapes their orders.
struct DemoCustomer: Sendable {
    let customer: Customer
    let address: Address
    /// Index into `DemoCatalog.currencies` of the currency they pay in.
    let currency: Int
    /// Tax on their orders, in basis points (inside the prices or on top, by currency).
    let taxBasisPoints: Int
    let isVIP: Bool
    /// Buys in bulk for a shop of their own.
    let isWholesale: Bool
    /// Delivery notes in their own language, when there are some.
    let localNotes: [String]
}

/// The shop's customers: fewer than the orders, so that people come back.
///
/// Customer `k` is made on first use from its own random stream, so it is the same whatever
/// the order it first appears in; its id is `DemoIDs.customer + k`.
struct CustomerPool {
    /// The seed the customers' streams derive from.
    private let seed: UInt64
    /// Customers made so far, by index.
    private var customers: [DemoCustomer?]
    /// Names and domains already given an email address without a number.
    private var plainEmails: Set<Int> = []
    /// The first customers are regulars who order far more often than the rest.
    private let regulars: Int

    /// A pool sized for `orderCount` orders: about three customers for every five orders.
    init(seed: UInt64, orderCount: Int) {
        self.seed = seed
        let size = max(1, orderCount * 3 / 5)
        customers = Array(repeating: nil, count: size)
        regulars = max(1, size / 20)
    }

    /// The customer of the next order, and whether it is their first order.
    mutating func next(using rng: inout SeededGenerator) -> (customer: DemoCustomer, isNew: Bool) {
        let index = rng.chance(15) ? rng.below(regulars) : rng.below(customers.count)
        if let known = customers[index] { return (known, false) }
        let made = make(index)
        customers[index] = made
        return (made, true)
    }

    /// Makes customer `index` from its own random stream.
    private mutating func make(_ index: Int) -> DemoCustomer {
        var rng = SeededGenerator(seed: seed, stream: 0xC057_0000 + UInt64(index))
        let countryIndex = rng.pick(DemoCatalog.countryWeights)
        let country = DemoCatalog.countries[countryIndex]
        let setIndex = rng.below(country.nameSets.count)
        let names = country.nameSets[setIndex]
        let givenIndex = rng.below(names.given.count)
        let familyIndex = rng.below(names.family.count)
        let domainIndex = rng.pick(DemoCatalog.emailDomainWeights)
        let given = names.given[givenIndex]
        let family = names.family[familyIndex]

        let key = (((countryIndex * 4 + setIndex) * 64 + givenIndex) * 64 + familyIndex) * 4 + domainIndex
        let number = plainEmails.insert(key).inserted ? "" : String(index)
        let email = "\(given.ascii).\(family.ascii)\(number)@\(DemoCatalog.emailDomains[domainIndex])"

        let city = rng.pick(country.cities)
        let address = Address(
            name: country.familyFirst ? "\(family.text) \(given.text)" : "\(given.text) \(family.text)",
            address1: CustomerPool.street(in: country, using: &rng), city: city.name, zip: city.zip,
            country: country.name)
        var currency = country.currency
        if let other = country.otherCurrency, rng.chance(country.otherCurrencyPercent) { currency = other }
        return DemoCustomer(
            customer: Customer(
                id: DemoIDs.customer + Int64(index), email: email, firstName: given.text, lastName: family.text),
            address: address, currency: currency, taxBasisPoints: city.taxBasisPoints ?? country.taxBasisPoints,
            isVIP: rng.chance(4), isWholesale: rng.chance(2), localNotes: country.notes)
    }

    /// A street line written the country's way.
    private static func street(in country: DemoCountry, using rng: inout SeededGenerator) -> String {
        let street = rng.pick(country.streets)
        let number = rng.int(in: country.houseNumbers)
        switch country.streetStyle {
        case .numberAfter: return "\(street) \(number)"
        case .numberBefore: return "\(number) \(street)"
        case .commaNumber: return "\(street), \(number)"
        case .blocks: return "\(street)\(1 + number % 5)-\(rng.int(in: 1...20))-\(rng.int(in: 1...15))"
        }
    }
}
