import OrderDeskCore

/// A small, fast, seeded random number generator (SplitMix64).
///
/// The same seed always gives the same sequence, on every platform and Swift version:
/// the helpers below do their own arithmetic instead of relying on the standard library's
/// `random(in:using:)`, whose algorithm is not promised to stay the same.
struct SeededGenerator: RandomNumberGenerator {
    /// The generator's whole state.
    private var state: UInt64

    /// A generator whose sequence is fixed by `seed`.
    init(seed: UInt64) {
        state = seed
    }

    /// A generator for a sub-stream (a customer, the inventory…), independent of the draws
    /// made on the main stream, so that it stays the same whatever else changes.
    init(seed: UInt64, stream: UInt64) {
        state = SeededGenerator.mix(seed ^ SeededGenerator.mix(stream &+ 0x5851_F42D_4C95_7F2D))
    }

    /// The next 64 random bits.
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return SeededGenerator.mix(state)
    }

    /// SplitMix64's finalizer: scrambles the bits of `value`.
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in `0..<bound` (multiply-shift; the bias is negligible for the small bounds used here).
    mutating func below(_ bound: Int) -> Int {
        precondition(bound > 0, "empty range")
        return Int(next().multipliedFullWidth(by: UInt64(bound)).high)
    }

    /// A number in `0..<bound`, for seconds and minor units.
    mutating func below(_ bound: Int64) -> Int64 {
        precondition(bound > 0, "empty range")
        return Int64(next().multipliedFullWidth(by: UInt64(bound)).high)
    }

    /// A number in `range`.
    mutating func int(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + below(range.count)
    }

    /// True with probability `numerator / denominator`.
    mutating func chance(_ numerator: Int, in denominator: Int = 100) -> Bool {
        below(denominator) < numerator
    }

    /// One element of a non-empty array, uniformly.
    mutating func pick<Element>(_ items: [Element]) -> Element {
        items[below(items.count)]
    }

    /// An index drawn from a weight table.
    mutating func pick(_ table: WeightTable) -> Int {
        table.index(for: below(table.total))
    }
}

/// Cumulative weights, to draw an index with probability proportional to its weight.
struct WeightTable: Sendable {
    /// Running totals of the weights.
    private let cumulative: [Int]
    /// The sum of all weights.
    let total: Int

    /// A table over `weights`, which must be non-negative with a positive sum.
    init(_ weights: [Int]) {
        var running = 0
        cumulative = weights.map { weight in
            precondition(weight >= 0, "negative weight")
            running += weight
            return running
        }
        total = running
        precondition(total > 0, "weights sum to zero")
    }

    /// The index whose cumulative range holds `draw` (`0..<total`).
    func index(for draw: Int) -> Int {
        var low = 0
        var high = cumulative.count - 1
        while low < high {
            let mid = (low + high) / 2
            if draw < cumulative[mid] { high = mid } else { low = mid + 1 }
        }
        return low
    }
}

/// Cards dealt from a shuffled deck, reshuffled when it runs out: exact proportions over every
/// round, random order within it. Small demo stores then still show every case.
struct Deck<Card: Sendable>: Sendable {
    /// One round of cards.
    private let cards: [Card]
    /// The cards left in this round, dealt from the end.
    private var remaining: [Card] = []

    /// A deck holding `count` copies of each card.
    init(_ counts: [(card: Card, count: Int)]) {
        cards = counts.flatMap { Array(repeating: $0.card, count: $0.count) }
        precondition(!cards.isEmpty, "empty deck")
    }

    /// The next card, shuffling a fresh round when the last one is used up.
    mutating func deal(using rng: inout SeededGenerator) -> Card {
        if remaining.isEmpty {
            remaining = cards
            for index in stride(from: remaining.count - 1, to: 0, by: -1) {
                remaining.swapAt(index, rng.below(index + 1))
            }
        }
        return remaining.removeLast()
    }
}
