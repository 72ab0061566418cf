/// The journal line: `seq`, `at`, `agent`, `type`, then the change's own fields, flat.
extension Event: Codable {
    /// The member names in the store's JSON. Public and `CaseIterable` because the fast codec in
    /// OrderDeskStore is built from them: a key it does not handle is a compile error there.
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case seq, at, agent, type, batch
        // Notices and feedback have their own `at` and `agent`, so they nest.
        case notice, feedback
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        seq = try container.decode(Int.self, forKey: .seq)
        at = try container.decode(Timestamp.self, forKey: .at)
        agent = try container.decode(String.self, forKey: .agent)
        batch = try container.decodeIfPresent(BatchOrigin.self, forKey: .batch)
        let type = try container.decode(String.self, forKey: .type)
        switch type {
        case "setting.changed": change = .settingChanged(try SettingChange(from: decoder))
        case "order.cancelled": change = .orderCancelled(try Cancellation(from: decoder))
        case "order.refunded": change = .orderRefunded(try RefundChange(from: decoder))
        case "order.returned": change = .orderReturned(try RefundChange(from: decoder))
        case "payment.recorded": change = .paymentRecorded(try PaymentChange(from: decoder))
        case "order.restocked": change = .orderRestocked(try RestockChange(from: decoder))
        case "customer.notified": change = .customerNotified(try container.decode(Notice.self, forKey: .notice))
        case "feedback.logged": change = .feedbackLogged(try container.decode(Feedback.self, forKey: .feedback))
        case "order.recreated": change = .orderRecreated(try Recreation(from: decoder))
        case "orders.imported": change = .ordersImported(try ImportChange(from: decoder))
        case "orders.updated": change = .ordersUpdated(try ImportUpdate(from: decoder))
        case "store.edit_accepted": change = .snapshotEditAccepted(try SnapshotEditAccepted(from: decoder))
        case "notice.sent": change = .noticeDelivery(try NoticeDelivery(from: decoder, outcome: .sent))
        case "notice.deferred": change = .noticeDelivery(try NoticeDelivery(from: decoder, outcome: .deferred))
        case "notice.failed": change = .noticeDelivery(try NoticeDelivery(from: decoder, outcome: .failed))
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .type, in: container, debugDescription: "unknown event type \"\(type)\"")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(seq, forKey: .seq)
        try container.encode(at, forKey: .at)
        try container.encode(agent, forKey: .agent)
        try container.encodeIfPresent(batch, forKey: .batch)
        try container.encode(type, forKey: .type)
        switch change {
        case .settingChanged(let c): try c.encode(to: encoder)
        case .orderCancelled(let c): try c.encode(to: encoder)
        case .orderRefunded(let c), .orderReturned(let c): try c.encode(to: encoder)
        case .paymentRecorded(let c): try c.encode(to: encoder)
        case .orderRestocked(let c): try c.encode(to: encoder)
        case .customerNotified(let c): try container.encode(c, forKey: .notice)
        case .feedbackLogged(let c): try container.encode(c, forKey: .feedback)
        case .orderRecreated(let c): try c.encode(to: encoder)
        case .ordersImported(let c): try c.encode(to: encoder)
        case .snapshotEditAccepted(let c): try c.encode(to: encoder)
        case .ordersUpdated(let c): try c.encode(to: encoder)
        case .noticeDelivery(let c): try c.encode(to: encoder)
        }
    }
}
