/// Writes a notice from its template, in the customer's language, and decides whether it is
/// queued for delivery, held (where nothing is sent) or not deliverable (no valid address).
struct NoticeWriter {
    let setup: NoticeSetup
    let settings: Settings
    let context: Context

    init(_ state: StoreState, _ context: Context) {
        self.init(settings: state.settings, context: context)
    }

    init(settings: Settings, context: Context) {
        setup = context.notices
        self.settings = settings
        self.context = context
    }

    /// A notice of `kind` about `order` to its customer. `fields` gives the kind's own fields,
    /// with amounts written by the `Amounts` it is handed (in the notice's language).
    func write(
        _ kind: NoticeKind, order: Order, id: Int64, to address: String? = nil, _ fields: (Amounts) -> [String: String?]
    ) throws(OrderDeskError) -> Notice {
        let templates: NoticeTemplates
        switch setup.templates {
        case .success(let t): templates = t
        case .failure(let problem): throw .noticeTemplate(problem)
        }
        let language = templates.language(locale: order.customerLocale, shopDefault: settings.effectiveNoticeLanguage)
        guard let template = templates.template(kind, language) ?? templates.template(kind, "en") else {
            throw .noticeTemplate(TemplateProblem(file: "\(kind.rawValue).\(language).txt", line: 0, text: "missing"))
        }
        let customer = order.customer
        var values: [String: String] = ["order": order.name]
        func put(_ key: String, _ value: String?) {
            if let value, !value.isEmpty { values[key] = value }
        }
        put("first_name", customer.firstName)
        put("last_name", customer.lastName)
        put("name", customer.fullName)
        put("email", order.email)
        for (key, value) in fields(Amounts(order: order, language: template.language)) { put(key, value) }
        let (subject, body) = template.render(values)
        let to = address ?? order.email
        var notice = Notice(
            id: id, at: context.now, order: order.name, to: to, subject: subject, body: body, agent: context.agent,
            toName: customer.fullName.isEmpty ? nil : customer.fullName, language: template.language, status: .queued)
        if let hold = setup.hold {
            notice.status = .held
            notice.reason = hold
        } else if let problem = MailAddress.problem(address: to) {
            notice.status = .undeliverable
            notice.reason = to.isEmpty ? problem : "\(problem) (\(to))"
        }
        return notice
    }

    /// Amounts as a notice in one language writes them: `12.50 EUR`, in Finnish `12,50 EUR`.
    struct Amounts {
        let order: Order
        let language: String

        /// The amount, or nil when it is not positive (so that lines about it are left out).
        func callAsFunction(_ money: Money) -> String? {
            guard money.isPositive else { return nil }
            let text = order.show(money)
            return language == "fi" ? text.replacingOccurrences(of: ".", with: ",") : text
        }

        /// Where a refund's money went: `refund_gift_card`, `refund_original`, `refund_credit`,
        /// and `refund` (all of it) when any went back.
        func refund(_ refund: Refund?) -> [String: String?] {
            var credit = Money.zero
            var card = Money.zero
            var original = Money.zero
            for t in refund?.transactions ?? [] where t.succeeded && t.transfer == nil {
                if t.gateway == Gateway.storeCredit {
                    credit = credit + t.amount
                } else if t.gateway == Gateway.giftCard {
                    card = card + t.amount
                } else {
                    original = original + t.amount
                }
            }
            return [
                "refund_gift_card": self(card), "refund_original": self(original), "refund_credit": self(credit),
                "refund": self(card + original + credit),
            ]
        }
    }
}

extension String {
    /// Every `target` replaced (Foundation-free).
    func replacingOccurrences(of target: Character, with replacement: Character) -> String {
        String(map { $0 == target ? replacement : $0 })
    }
}
