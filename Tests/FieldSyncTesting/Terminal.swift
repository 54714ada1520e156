import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs a program on a pseudo-terminal and answers its prompts as a person would: each answer is typed only
/// once its prompt has appeared (a program that reads a passphrase flushes what was typed ahead).
public enum Terminal {
    /// What the program printed on its terminal, and its exit status.
    public struct Session: Sendable {
        public let output: String
        public let status: Int32
    }

    /// Runs `program` with `arguments` on a new pseudo-terminal; for each `(prompt, answer)` in order, waits
    /// (up to 20 s) until the output since the last answer contains `prompt`, then types `answer` and Enter.
    public static func run(_ program: String, _ arguments: [String], answers: [(prompt: String, answer: String)],
                           environment: [String: String?] = [:]) throws -> Session {
        // posix_openpt and friends are not imported into Swift: the same by hand (Linux: /dev/ptmx, then TIOCSPTLCK
        // and TIOCGPTN, _IOW/_IOR('T', 0x31/0x30, int), whose macros are not imported either).
        let master = open("/dev/ptmx", O_RDWR | O_NOCTTY)
        var unlock: Int32 = 0
        var number: UInt32 = 0
        guard master >= 0, ioctl(master, 0x4004_5431, &unlock) == 0, ioctl(master, 0x8004_5430, &number) == 0 else {
            throw HubFailure("no pseudo-terminal: \(String(cString: strerror(errno)))")
        }
        let slave = open("/dev/pts/\(number)", O_RDWR | O_NOCTTY)
        guard slave >= 0 else { throw HubFailure("cannot open /dev/pts/\(number)") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program.contains("/") ? program : Executables.path(program))
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["FIELDSYNC_STORE"] = nil
        // Tests read the English wording unless they ask for another language (nil: the default, Vietnamese).
        env["FIELDSYNC_LANG"] = "en"
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let terminal = FileHandle(fileDescriptor: slave, closeOnDealloc: true)
        process.standardInput = terminal
        process.standardOutput = terminal
        process.standardError = terminal
        try process.run()
        // The child holds its own copy of the terminal; the parent's would keep the master from seeing the end.
        try terminal.close()
        var output = Data()
        var seenUpTo = 0
        func read(until deadline: Date, stopWhen done: () -> Bool) {
            var buffer = [UInt8](repeating: 0, count: 4096)
            while !done(), Date() < deadline {
                var poller = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
                guard poll(&poller, 1, 100) > 0 else {
                    if !process.isRunning { return }
                    continue
                }
                let n = Glibc.read(master, &buffer, buffer.count)
                if n <= 0 { return }
                output.append(contentsOf: buffer[0..<n])
            }
        }
        for (prompt, answer) in answers {
            read(until: Date().addingTimeInterval(20)) {
                String(decoding: output[seenUpTo...], as: UTF8.self).contains(prompt)
            }
            guard String(decoding: output[seenUpTo...], as: UTF8.self).contains(prompt) else { break }
            seenUpTo = output.count
            let line = Array((answer + "\n").utf8)
            _ = line.withUnsafeBufferPointer { write(master, $0.baseAddress, $0.count) }
        }
        read(until: Date().addingTimeInterval(20)) { !process.isRunning }
        process.waitUntilExit()
        read(until: Date().addingTimeInterval(1)) { false }
        close(master)
        return Session(output: String(decoding: output, as: UTF8.self), status: process.terminationStatus)
    }
}
