import Foundation
import Testing

/// A real SMTP server on loopback (`scripts/mail/smtp-sink.py`, aiosmtpd) for one test, and a
/// msmtp configuration that delivers to it: the mail command the store is given is the real
/// `/usr/bin/msmtp -C FILE -t`, a mail transfer agent from Debian.
///
/// The messages it received are read back with Python's `email` package (`scripts/mail/read-mail.py`).
/// When msmtp or aiosmtpd is missing, ``start(in:)`` records an issue saying to run
/// `scripts/mail-setup` (scripts/test does): the mail tests fail, they never skip.
final class MailSink {
    let inbox: String
    let config: String
    let port: Int
    private let process: Process
    private let input: Pipe
    private let python: String

    static let msmtp = "/usr/bin/msmtp"

    /// The repository's root, from this file's place in it.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path

    /// The Python that has aiosmtpd: `$ORDERDESK_MAIL_TEST_PYTHON` (set by scripts/test), else
    /// the virtual environment scripts/mail-setup makes.
    static var python: String {
        if let p = ProcessInfo.processInfo.environment["ORDERDESK_MAIL_TEST_PYTHON"], !p.isEmpty { return p }
        let env = ProcessInfo.processInfo.environment
        let cache = env["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? (env["HOME"] ?? NSHomeDirectory()) + "/.cache"
        return cache + "/orderdesk-mail/venv/bin/python"
    }

    /// Starts a server whose messages go to `directory/inbox`; nil (with an issue recorded) when
    /// the mail tools are not installed.
    static func start(in directory: String, sourceLocation: SourceLocation = #_sourceLocation) -> MailSink? {
        guard FileManager.default.isExecutableFile(atPath: msmtp), FileManager.default.isExecutableFile(atPath: python) else {
            Issue.record(
                "the mail tests need msmtp (\(msmtp)) and aiosmtpd (\(python)); run scripts/mail-setup, or scripts/test which runs it",
                sourceLocation: sourceLocation)
            return nil
        }
        do {
            return try MailSink(directory: directory, python: python)
        } catch {
            Issue.record("the SMTP server did not start: \(error)", sourceLocation: sourceLocation)
            return nil
        }
    }

    private init(directory: String, python: String) throws {
        self.python = python
        inbox = directory + "/inbox"
        config = directory + "/msmtprc"
        try FileManager.default.createDirectory(atPath: inbox, withIntermediateDirectories: true)
        process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [Self.root + "/scripts/mail/smtp-sink.py", inbox]
        let output = Pipe()
        input = Pipe()
        process.standardOutput = output
        process.standardInput = input
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        // The first line is the port.
        var line = Data()
        let deadline = Date().addingTimeInterval(20)
        while !line.contains(UInt8(ascii: "\n")) && Date() < deadline {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        guard let port = Int(String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) else {
            kill(process.processIdentifier, SIGKILL)
            throw MailSinkError(text: "no port from smtp-sink.py: \(String(decoding: line, as: UTF8.self))")
        }
        self.port = port
        try write(port: port)
    }

    struct MailSinkError: Error, CustomStringConvertible {
        var text: String
        var description: String { text }
    }

    /// Points msmtp at a port (this server's, or one where nothing listens).
    func write(port: Int) throws {
        let text = "defaults\nauth off\ntls off\naccount default\nhost 127.0.0.1\nport \(port)\nfrom shop@example.com\n"
        try Data(text.utf8).write(to: URL(fileURLWithPath: config))
        chmod(config, 0o600)
    }

    /// The mail command for `settings mail-command`.
    var mailCommand: String { "\(Self.msmtp) -C \(config) -t" }

    /// Refuse every recipient with 550 (a permanent refusal) while on.
    func refuse(_ on: Bool) { toggle(".refuse", on) }

    private func toggle(_ name: String, _ on: Bool) {
        let path = inbox + "/" + name
        if on {
            _ = FileManager.default.createFile(atPath: path, contents: Data())
        } else {
            try? FileManager.default.removeItem(atPath: path)
        }
    }

    /// Every message received so far, read by Python's email package.
    func messages(sourceLocation: SourceLocation = #_sourceLocation) -> [[String: Any]] {
        let reader = Process()
        reader.executableURL = URL(fileURLWithPath: python)
        reader.arguments = [Self.root + "/scripts/mail/read-mail.py", inbox]
        let output = Pipe()
        let errors = Pipe()
        reader.standardOutput = output
        reader.standardError = errors
        reader.environment = ["PYTHONIOENCODING": "utf-8", "LANG": "C.UTF-8", "PATH": "/usr/bin:/bin"]
        do { try reader.run() } catch {
            Issue.record("read-mail.py did not run: \(error)", sourceLocation: sourceLocation)
            return []
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let said = errors.fileHandleForReading.readDataToEndOfFile()
        reader.waitUntilExit()
        guard let list = (try? JSONSerialization.jsonObject(with: data)) as? [[String: Any]] else {
            Issue.record(
                "read-mail.py printed no JSON list: \(String(decoding: data, as: UTF8.self)) \(String(decoding: said, as: UTF8.self))",
                sourceLocation: sourceLocation)
            return []
        }
        return list
    }

    /// Stops the server: its stdin closes (it then stops by itself); SIGKILL by its pid makes
    /// sure (a signal blocked in the test process's threads may be blocked in the child too).
    func stop() {
        try? input.fileHandleForWriting.close()
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    deinit { stop() }
}
