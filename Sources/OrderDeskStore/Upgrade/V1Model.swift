import OrderDeskCore

/// The records of a store of version 1 (OrderDesk up to commit bba9209), as its files hold them:
/// read only to upgrade a store, to check one (`store verify`), and to read the audit log kept
/// from before an upgrade. Only what changed in version 2 has a type of its own here; customers,
/// addresses, timelines, notices, feedback, settings and the changes that did not change are
/// read with the current types.
///
/// Decoded with Foundation's `JSONDecoder` (a rare path: once per store), so that a field that
/// does not decode is named with its path.
enum V1 {
    /// `snapshot.json` of version 1.
    struct Snapshot: Decodable {
        var format: String
        var version: Int
        var seq: Int
        var orders: [Order]
        var inventory: [String: Int]
        var feedback: [Feedback]
        var settings: Settings
        var outbox: [Notice]
    }

    /// An order of version 1: no transactions (the payment state was only `financial_status`),
    /// `refund_owed` stored, `subtotal_price` before discounts for orders OrderDesk made itself,
    /// no `taxes_included`.
    struct Order: Decodable {
        var id: Int64
        var name: String
        var orderNumber: Int
        var email: String
        var createdAt: Timestamp
        var currency: String
        var subtotalPrice: Money
        var totalShippingPrice: Money
        var totalTax: Money
        var totalDiscounts: Money
        var totalPrice: Money
        var financialStatus: FinancialStatus
        var fulfillmentStatus: FulfillmentStatus?
        var cancelledAt: Timestamp?
        var cancelReason: CancelReason?
        var closedAt: Timestamp?
        var note: String?
        var tags: String
        var customer: Customer
        var shippingAddress: Address?
        var lineItems: [LineItem]
        var refunds: [Refund]
        var cancellation: CancellationRecord?
        var refundOwed: Money
        var recreatedFrom: String?
        var recreatedAs: String?
        var timeline: [TimelineEntry]

        enum CodingKeys: String, CodingKey {
            case id, name, email, currency, note, tags, customer, refunds, timeline, cancellation
            case orderNumber = "order_number"
            case createdAt = "created_at"
            case subtotalPrice = "subtotal_price"
            case totalShippingPrice = "total_shipping_price"
            case totalTax = "total_tax"
            case totalDiscounts = "total_discounts"
            case totalPrice = "total_price"
            case financialStatus = "financial_status"
            case fulfillmentStatus = "fulfillment_status"
            case cancelledAt = "cancelled_at"
            case cancelReason = "cancel_reason"
            case closedAt = "closed_at"
            case shippingAddress = "shipping_address"
            case lineItems = "line_items"
            case refundOwed = "refund_owed"
            case recreatedFrom = "recreated_from"
            case recreatedAs = "recreated_as"
        }

        /// The largest id it holds.
        var largestID: Int64 {
            var m = max(id, customer.id)
            for line in lineItems { m = max(m, line.id) }
            for refund in refunds { m = max(m, refund.id) }
            return m
        }
    }

    /// A line of version 1: no `fulfillable_quantity`, no `gift_card`.
    struct LineItem: Decodable {
        var id: Int64
        var sku: String
        var title: String
        var variantTitle: String?
        var quantity: Int
        var price: Money
        var fulfilledQuantity: Int
        var restocked: Int

        enum CodingKeys: String, CodingKey {
            case id, sku, title, quantity, price, restocked
            case variantTitle = "variant_title"
            case fulfilledQuantity = "fulfilled_quantity"
        }
    }

    /// A refund of version 1: its transactions held only an amount and where it went.
    struct Refund: Decodable {
        var id: Int64
        var createdAt: Timestamp
        var note: String?
        var transactions: [RefundTransaction]
        var refundLineItems: [RefundLineItem]

        enum CodingKeys: String, CodingKey {
            case id, note, transactions
            case createdAt = "created_at"
            case refundLineItems = "refund_line_items"
        }
    }

    /// `{"amount": "12.50", "kind": "refund", "gateway": "original" | "store-credit"}`.
    struct RefundTransaction: Decodable {
        var amount: Money
        var kind: String
        var gateway: String

        /// Whether it was given as store credit (otherwise to the payment method that paid).
        var isStoreCredit: Bool { gateway == Gateway.storeCredit }
    }

    /// A refunded line of version 1: the restock type as text, no subtotal or tax.
    struct RefundLineItem: Decodable {
        var lineItemId: Int64
        var quantity: Int
        var restockType: String

        enum CodingKeys: String, CodingKey {
            case quantity
            case lineItemId = "line_item_id"
            case restockType = "restock_type"
        }
    }

    /// The cancel record of version 1: no reason of its own (the order's `cancel_reason` held it).
    struct CancellationRecord: Decodable {
        var agent: String
        var note: String?
        var refund: CancelRefund
        var notified: Bool
    }

    // MARK: Journal lines

    /// A journal line of version 1.
    struct Event: Decodable {
        var seq: Int
        var at: Timestamp
        var agent: String
        var batch: BatchOrigin?
        var change: Change

        enum CodingKeys: String, CodingKey {
            case seq, at, agent, type, batch, notice, feedback
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            seq = try container.decode(Int.self, forKey: .seq)
            at = try container.decode(Timestamp.self, forKey: .at)
            agent = try container.decode(String.self, forKey: .agent)
            batch = try container.decodeIfPresent(BatchOrigin.self, forKey: .batch)
            let type = try container.decode(String.self, forKey: .type)
            switch type {
            case "setting.changed": change = .same(.settingChanged(try SettingChange(from: decoder)))
            case "order.restocked": change = .same(.orderRestocked(try RestockChange(from: decoder)))
            case "customer.notified": change = .same(.customerNotified(try container.decode(Notice.self, forKey: .notice)))
            case "feedback.logged": change = .same(.feedbackLogged(try container.decode(Feedback.self, forKey: .feedback)))
            case "store.edit_accepted": change = .same(.snapshotEditAccepted(try SnapshotEditAccepted(from: decoder)))
            case "order.cancelled": change = .cancelled(try Cancellation(from: decoder))
            case "order.refunded": change = .refunded(try RefundChange(from: decoder))
            case "order.recreated": change = .recreated(try Recreation(from: decoder))
            case "orders.imported": change = .imported(try ImportChange(from: decoder))
            default:
                throw DecodingError.dataCorruptedError(
                    forKey: .type, in: container, debugDescription: "unknown event type \"\(type)\" in a version-1 journal")
            }
        }

        /// The largest id its records hold.
        var largestID: Int64 {
            switch change {
            case .same(let change):
                switch change {
                case .customerNotified(let n): return n.id
                case .feedbackLogged(let f): return f.id
                default: return 0
                }
            case .cancelled(let c): return max(c.refund?.id ?? 0, c.notice?.id ?? 0)
            case .refunded(let r): return r.refund.id
            case .recreated(let r): return max(r.order.largestID, r.notice?.id ?? 0)
            case .imported(let i): return i.orders.reduce(0) { max($0, $1.largestID) }
            }
        }
    }

    /// The effects of a version-1 event: those whose shape did not change are held as they are.
    enum Change {
        case same(OrderDeskCore.Change)
        case cancelled(Cancellation)
        case refunded(RefundChange)
        case recreated(Recreation)
        case imported(ImportChange)
    }

    /// `order.cancelled` of version 1: the payment state and the amount owed afterwards, no voids.
    struct Cancellation: Decodable {
        var order: String
        var reason: CancelReason
        var note: String?
        var refundMode: CancelRefund
        var refund: Refund?
        var financialStatus: FinancialStatus
        var refundOwed: Money
        var restocked: [RestockLine]
        var notice: Notice?
        var offer: String?

        enum CodingKeys: String, CodingKey {
            case order, reason, note, refund, restocked, notice, offer
            case refundMode = "refund_mode"
            case financialStatus = "financial_status"
            case refundOwed = "refund_owed"
        }
    }

    /// `order.refunded` of version 1.
    struct RefundChange: Decodable {
        var order: String
        var refund: Refund
        var financialStatus: FinancialStatus
        var refundOwed: Money

        enum CodingKeys: String, CodingKey {
            case order, refund
            case financialStatus = "financial_status"
            case refundOwed = "refund_owed"
        }
    }

    /// `order.recreated` of version 1: whether the payment moved, not how much.
    struct Recreation: Decodable {
        var original: String
        var order: Order
        var taken: [RestockLine]
        var paymentMoved: Bool
        var notice: Notice?

        enum CodingKeys: String, CodingKey {
            case original, order, taken, notice
            case paymentMoved = "payment_moved"
        }
    }

    /// `orders.imported` of version 1.
    struct ImportChange: Decodable {
        var source: String
        var orders: [Order]
        var inventory: [String: Int]
    }
}
