/// The `Date` header's form (RFC 5322 section 3.3): `Mon, 07 Dec 2026 09:56:42 +0000`.
enum MailDate {
    static let weekdays = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]
    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    static func text(_ t: Timestamp) -> String {
        let iso = t.iso8601  // 2026-12-07T09:56:42Z
        let b = Array(iso.utf8)
        guard b.count >= 20 else { return iso }
        let days = t.seconds >= 0 ? t.seconds / 86_400 : (t.seconds - 86_399) / 86_400
        let weekday = weekdays[Int(((days % 7) + 7) % 7)]
        let year = String(decoding: b[0..<4], as: UTF8.self)
        let month = months[(Int(b[5] - 48) * 10 + Int(b[6] - 48)) - 1]
        let day = String(decoding: b[8..<10], as: UTF8.self)
        let time = String(decoding: b[11..<19], as: UTF8.self)
        return "\(weekday), \(day) \(month) \(year) \(time) +0000"
    }
}
