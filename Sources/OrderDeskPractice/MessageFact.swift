import OrderDeskCore

/// One fact a message to a customer (or a feedback entry) must carry, and the ways it may be said.
///
/// Messages are graded by what they say, not by keywords: a lesson names the facts (`"says"`),
/// each fact has a small set of phrasings, and a lesson file may add its own (`"phrasings"`).
/// The rules are deterministic and explainable (``MessageText``): text is folded (case and
/// accents aside), split into sentences and words; a phrasing's words must follow each other in
/// one sentence (`*` allows up to three words between), a word of four letters or more also
/// matches words it begins (`refund` → `refunded`), and a phrasing right after a negation (`not`,
/// `never`, `…n't` up to four words before, `no` just before) does not count.
public struct MessageFact: Sendable, Equatable {
    /// What the fact checks.
    public enum Kind: Sendable, Equatable {
        /// One of the phrasings.
        case phrases([String])
        /// An amount, in any form a person types it (`47.40`, `47,4`, `€47.40`, `3,600`).
        case amount(Money)
        /// A code (a discount code), as a word, in any case.
        case code(String)
        /// The order's number (`#1003`, `1003`) or its name (`Her2065`).
        case orderNumber
    }

    /// The fact's name in lesson files: `refund`, `amount`, or the trainer's own words.
    public var name: String
    /// What the message must say, for feedback: "that a return label or instructions follow".
    public var description: String
    public var kind: Kind

    public init(name: String, description: String, kind: Kind) {
        self.name = name
        self.description = description
        self.kind = kind
    }

    /// The facts a lesson names by a word, with their phrasings.
    public static let builtIn: [String: (description: String, phrasings: [String])] = [
        "refund": (
            "that their money goes back",
            [
                "refund", "money back", "reimburse", "pay you back", "paid back", "pay back", "repay", "repaid", "credited back",
                "back to your card", "back on your card", "back to your account", "give you back", "get back what you paid",
                "return your money", "return the money", "send your money back",
            ]
        ),
        "return_instructions": (
            "that a return label or instructions follow",
            [
                "return label", "returns label", "label", "send it back", "send them back", "send * back", "post it back",
                "post * back", "ship it back", "ship * back", "mail it back", "mail * back", "return it", "return them",
                "return the", "returns page", "returns form", "return instructions", "how to return", "bring it back",
                "bring * back", "drop it off", "sending it back",
            ]
        ),
        "payment_received": (
            "that their payment has arrived",
            [
                "received", "arrived", "came in", "come in", "got your", "got it", "got the", "reached us", "reached our",
                "recorded", "is now paid", "is paid", "now paid", "has been paid", "paid in full", "fully paid", "marked as paid",
                "in our account", "we have your payment", "payment is complete", "gone through", "went through", "come through",
                "came through", "cleared",
            ]
        ),
        "not_charged": (
            "that they are not charged anything",
            [
                "not be charged", "not been charged", "never charged", "never been charged", "not charged", "no charge",
                "won't be charged", "will not be charged", "nothing was taken", "never taken", "not taken", "nothing to pay",
                "free of charge", "not pay anything", "owe nothing", "owe us nothing", "nothing will be charged",
                "not have to pay", "don't have to pay", "no money was taken", "no payment was taken", "voided", "released",
                "nothing to be charged", "charged nothing",
            ]
        ),
        "on_its_way": (
            "that the order is on its way",
            [
                "on its way", "on the way", "shipped", "ships", "ship today", "dispatched", "sent today", "sent out", "courier",
                "leaves today", "left the warehouse", "posted", "in the post", "out for delivery", "send it today",
                "sending it", "will arrive", "is coming", "be with you", "sent", "send it", "goes out", "going out", "ship it",
                "shipping it", "delivery", "packed",
            ]
        ),
        "new_order": (
            "that the order is back, as a new order",
            [
                "new order", "order again", "recreated", "replacement order", "placed again", "back on", "reinstated",
                "restored", "brought back", "bring it back", "new number", "order number is",
            ]
        ),
        "order_number": ("the order number", []),
    ]

    /// A built-in fact by its name, with a lesson file's extra phrasings; nil for an unknown name.
    public static func named(_ name: String, extra: [String] = []) -> MessageFact? {
        guard let entry = builtIn[name] else { return nil }
        if name == "order_number" { return MessageFact(name: name, description: entry.description, kind: .orderNumber) }
        return MessageFact(name: name, description: entry.description, kind: .phrases(entry.phrasings + extra))
    }

    /// Whether a message says this fact, about `order`.
    public func isSaid(in text: MessageText, about order: Order?) -> Bool {
        switch kind {
        case .phrases(let phrasings): return phrasings.contains { text.says($0) }
        case .amount(let amount): return text.mentions(amount: amount)
        case .code(let code): return text.hasWord(TextFold.fold(code))
        case .orderNumber:
            guard let order else { return false }
            return text.integers.contains(Double(order.orderNumber))
                || text.hasWord(TextFold.fold(order.name).filter { $0 != "#" })
        }
    }

    // MARK: Claims

    /// What a message may state that can be untrue for the case.
    public enum Claim: String, Sendable, CaseIterable {
        /// The order was cancelled.
        case cancelled
        /// Money went back.
        case refunded
        /// The customer was not charged.
        case notCharged

        /// The phrasings that state it as done: a promise ("you will be refunded once it is back",
        /// "it will be cancelled") states nothing untrue yet, and neither does "you won't be charged
        /// for the label".
        var phrasings: [String] {
            func done(_ participle: String) -> [String] {
                ["been", "was", "were", "is", "are", "have", "has", "we", "i"].map { "=\($0) \(participle)" }
                    + ["=\(participle) your", "=\(participle) the", "=\(participle) it", "=\(participle) you"]
            }
            switch self {
            case .cancelled:
                return done("cancelled") + done("canceled") + ["=cancellation is confirmed", "=cancellation has been"]
            case .refunded:
                return done("refunded") + [
                    "=refund * on its way", "=refund * on the way", "=refund has been", "=refund was", "=money is on its way",
                    "=money has gone back", "=money went back",
                ]
            case .notCharged:
                return [
                    "not been charged", "never been charged", "never charged", "nothing was taken", "no money was taken",
                    "no payment was taken", "was never taken", "not charged anything", "not be charged anything", "charged nothing",
                    "charged you nothing",
                ]
            }
        }

        /// The claim in words, for feedback.
        var wording: String {
            switch self {
            case .cancelled: return "that the order was cancelled"
            case .refunded: return "that money went back"
            case .notCharged: return "that nothing was charged"
            }
        }
    }

    /// The claims a message makes.
    public static func claims(of text: MessageText) -> [Claim] {
        Claim.allCases.filter { claim in claim.phrasings.contains { text.says($0) } }
    }
}
