import Foundation

/// JSON output of read commands, with the store's field names.
public enum JSONText {
    /// The value as JSON text: keys sorted, pretty for people or one line for machines.
    ///
    /// The encoder escapes C0 controls only; DEL, C1 controls (a terminal may take U+009B for
    /// CSI), line and paragraph separators and bidi overrides are escaped here too (`\u009b`),
    /// so that `--json` on a terminal is as inert as the text views. The JSON means the same.
    static func encode<T: Encodable>(_ value: T, pretty: Bool) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting =
            pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else { return "null" }
        return escapingControls(String(decoding: data, as: UTF8.self))
    }

    /// JSON text with every control the encoder left raw written as `\uXXXX`. They can only be
    /// inside strings: JSON's own syntax is ASCII, and its whitespace is below U+0020.
    public static func escapingControls(_ json: String) -> String {
        guard json.unicodeScalars.contains(where: { $0.value >= 0x7F && Sanitizer.isControl($0) }) else { return json }
        var out = String.UnicodeScalarView()
        for s in json.unicodeScalars {
            if s.value >= 0x7F && Sanitizer.isControl(s) {
                let hex = String(s.value, radix: 16)
                out.append(contentsOf: ("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).unicodeScalars)
            } else {
                out.append(s)
            }
        }
        return String(out)
    }
}
