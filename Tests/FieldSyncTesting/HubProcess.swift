import Foundation

/// The real `fieldsync-server` running on loopback for a test: started on port 0, restartable on the
/// same port after a SIGKILL, stopped when released.
public final class HubProcess: @unchecked Sendable {
    /// The store file, or a `postgres://` URL (several hub processes may share one).
    public let database: String
    /// `http://127.0.0.1:PORT` (`https://` when it serves TLS).
    public private(set) var url: String = ""
    /// The port it listens on.
    public private(set) var port: Int = 0
    /// Where its logs go.
    public let logPath: String
    private var process: Process?
    /// Arguments added to `serve` (e.g. a fault to inject); changeable before a restart.
    public var extraArguments: [String]
    /// A program and arguments the server is started through (e.g. `prlimit --nofile=…`).
    let launcher: [String]

    /// Starts a hub on `database` (created if missing), logging to `log` (default: beside a store file).
    public init(database: String, log: String? = nil, arguments: [String] = [], launcher: [String] = []) throws {
        self.database = database
        self.logPath = log ?? database + ".log"
        self.extraArguments = arguments
        self.launcher = launcher
        try start(port: 0)
    }

    /// Starts the server and waits for the line naming its address.
    public func start(port requested: Int) throws {
        let process = Process()
        let serve = [Executables.path("fieldsync-server")] + storeArguments + ["serve", "--host", "127.0.0.1", "--port", "\(requested)"]
            + extraArguments
        let command = launcher + serve
        process.executableURL = URL(fileURLWithPath: command[0])
        process.arguments = Array(command.dropFirst())
        let output = Pipe()
        process.standardOutput = output
        if !FileManager.default.fileExists(atPath: logPath) { _ = FileManager.default.createFile(atPath: logPath, contents: nil) }
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        log.seekToEndOfFile()
        process.standardError = log
        try process.run()
        self.process = process
        var line = Data()
        let deadline = Date().addingTimeInterval(30)
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty {
                guard process.isRunning, Date() < deadline else {
                    throw HubFailure("the hub did not start: \((try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "")")
                }
                continue
            }
            line.append(chunk)
        }
        let text = String(decoding: line, as: UTF8.self)
        guard let range = text.range(of: "http://") ?? text.range(of: "https://") else {
            throw HubFailure("unexpected first line: \(text)")
        }
        url = String(text[range.lowerBound...]).trimmingCharacters(in: .whitespacesAndNewlines)
        port = Int(url.split(separator: ":").last ?? "") ?? 0
    }

    /// The server's process id (while it runs).
    public var pid: Int32? { process?.isRunning == true ? process?.processIdentifier : nil }

    /// Kills the server with SIGKILL (no chance to finish anything) and waits for it to die.
    public func kill() {
        guard let process, process.isRunning else { return }
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// Sends SIGTERM and waits for a graceful stop; returns its exit status.
    @discardableResult
    public func terminate() -> Int32 {
        guard let process, process.isRunning else { return process?.terminationStatus ?? 0 }
        process.terminate()
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// Starts the server again on the same port (devices keep its address).
    public func restart() throws {
        var lastError: (any Error)?
        for _ in 0..<50 {
            do {
                try start(port: port)
                return
            } catch {
                lastError = error
                Thread.sleep(forTimeInterval: 0.1)
            }
        }
        throw lastError ?? HubFailure("could not restart")
    }

    /// `--db FILE`, or `--database URL` with a key file beside the log (shared by the hubs of one test).
    public var storeArguments: [String] {
        database.hasPrefix("postgres://")
            ? ["--database", database, "--key-file", (logPath as NSString).deletingLastPathComponent + "/hub.keys"] : ["--db", database]
    }

    /// Runs `fieldsync-server --db DATABASE args…` (a second process beside the server).
    public func command(_ arguments: String...) throws -> ProcessResult {
        try Executables.run("fieldsync-server", storeArguments + arguments)
    }

    /// Runs a `fieldsync-server` command in the default language (Vietnamese: `FIELDSYNC_LANG` unset).
    public func commandForPeople(_ arguments: String...) throws -> ProcessResult {
        try Executables.run("fieldsync-server", storeArguments + arguments, environment: ["FIELDSYNC_LANG": nil])
    }

    /// Issues an enrolment code (or records why not).
    public func enrollmentCode(team: String = "T-01", commune: String, role: String = "volunteer") throws -> String {
        let result = try command("enrollment-code", "--team", team, "--commune", commune, "--role", role)
        guard result.status == 0 else { throw HubFailure("enrollment-code failed: \(result)") }
        return result.output
    }

    deinit { kill() }
}

/// A hub that could not be run as the test needs.
public struct HubFailure: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
