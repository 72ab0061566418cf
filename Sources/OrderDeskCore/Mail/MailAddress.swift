/// Email addresses as OrderDesk sends to them: checked before a notice is queued, so that mail
/// software accepts them and no text from a customer can add a header.
///
/// The accepted form is RFC 5322's `dot-atom` on both sides of the `@`, in ASCII: a local part of
/// letters, digits and ``localSpecials`` in dot-separated runs, and a domain of at least two
/// labels of letters, digits and inner hyphens. Quoted local parts, comments, IP literals and
/// non-ASCII addresses (SMTPUTF8) are refused: real shop customers do not have them, and a
/// refusal is safer than a guess.
public enum MailAddress {
    /// The characters RFC 5322 allows in an atom besides letters and digits.
    static let localSpecials = Set("!#$%&'*+-/=?^_`{|}~".utf8)

    /// What is wrong with an address (`zoe@example.com`), in plain words; nil when it is fine.
    public static func problem(address text: String) -> String? {
        if text.isEmpty { return "there is no email address" }
        let bytes = Array(text.utf8)
        guard bytes.count <= 254 else { return "the address is longer than 254 characters" }
        guard bytes.allSatisfy({ $0 > 32 && $0 < 127 }) else {
            return "the address has a space, a control character or a character outside ASCII"
        }
        guard let at = bytes.lastIndex(of: UInt8(ascii: "@")), at > 0, at < bytes.count - 1 else {
            return "the address has no local part, @ and domain"
        }
        let local = bytes[..<at]
        let domain = bytes[(at + 1)...]
        guard local.count <= 64 else { return "the part before the @ is longer than 64 characters" }
        for atom in local.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false) {
            guard !atom.isEmpty, atom.allSatisfy({ isAlphanumeric($0) || localSpecials.contains($0) }) else {
                return "the part before the @ is not a plain address (letters, digits, dots and !#$%&'*+-/=?^_`{|}~)"
            }
        }
        let labels = domain.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard labels.count >= 2 else { return "the domain has no dot" }
        for label in labels {
            guard !label.isEmpty, label.count <= 63, label.allSatisfy({ isAlphanumeric($0) || $0 == UInt8(ascii: "-") }),
                label.first != UInt8(ascii: "-"), label.last != UInt8(ascii: "-")
            else { return "the domain is not a host name" }
        }
        return nil
    }

    /// Whether an address is one OrderDesk sends to.
    public static func isValid(_ text: String) -> Bool { problem(address: text) == nil }

    /// A mailbox as set in `mail-from`, `reply-to` or `mail-bcc`: an address, or a display name
    /// and an address in angle brackets (`Kauppa Oy <shop@example.com>`).
    public struct Mailbox: Sendable, Hashable {
        public var name: String
        public var address: String
    }

    /// Reads `Name <address>` or a bare address.
    public static func mailbox(_ text: String) -> Mailbox? {
        let trimmed = text.trimmingSpaces
        if trimmed.hasSuffix(">"), let open = trimmed.lastIndex(of: "<") {
            let address = String(trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)])
            var name = String(trimmed[..<open]).trimmingSpaces
            if name.count >= 2, name.hasPrefix("\""), name.hasSuffix("\"") { name = String(name.dropFirst().dropLast()) }
            guard isValid(address) else { return nil }
            return Mailbox(name: name, address: address)
        }
        guard isValid(trimmed) else { return nil }
        return Mailbox(name: "", address: trimmed)
    }

    /// What is wrong with a mailbox setting; nil when it is fine.
    public static func problem(mailbox text: String) -> String? {
        guard text.unicodeScalars.allSatisfy({ $0.value >= 32 && $0.value != 127 && !(0x80...0x9F).contains($0.value) }) else {
            return "it has a control character"
        }
        if mailbox(text) != nil { return nil }
        let trimmed = text.trimmingSpaces
        if trimmed.hasSuffix(">"), let open = trimmed.lastIndex(of: "<") {
            let address = String(trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)])
            return problem(address: address).map { "\($0) (\(address))" } ?? "write it as Name <address> or address"
        }
        return problem(address: trimmed) ?? "write it as Name <address> or address"
    }

    static func isAlphanumeric(_ b: UInt8) -> Bool {
        (b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122)
    }
}

extension String {
    /// Without leading and trailing spaces and tabs.
    var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return String(s)
    }
}
