import Foundation

/// Finds and runs the package's built executables.
public enum Executables {
    /// The directory holding the built products (the test bundle's own, or `$FIELDSYNC_BIN_DIR`).
    public static let directory: String = {
        if let dir = ProcessInfo.processInfo.environment["FIELDSYNC_BIN_DIR"] { return dir }
        var candidates: [String] = []
        let argv0 = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL
        var url = argv0.deletingLastPathComponent()
        for _ in 0..<4 {
            candidates.append(url.path)
            url.deleteLastPathComponent()
        }
        candidates.append(Bundle.main.bundleURL.deletingLastPathComponent().path)
        return candidates.first { FileManager.default.isExecutableFile(atPath: "\($0)/fieldsync") } ?? candidates[0]
    }()

    /// The path of a built executable.
    public static func path(_ name: String) -> String { "\(directory)/\(name)" }

    /// Starts a program that keeps running (a server) and reads its output until `marker` appears: what it printed by
    /// then. The caller stops it (`terminate()`); the rest of its output is not read.
    /// - Throws: `HubFailure` when it ends or closes its output before printing `marker`.
    public static func start(_ program: String, _ arguments: [String], until marker: String,
                             environment: [String: String] = [:]) throws -> (process: Process, printed: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program.contains("/") ? program : path(program))
        process.arguments = arguments
        if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        var printed = ""
        while !printed.contains(marker) {
            let chunk = output.fileHandleForReading.availableData
            guard !chunk.isEmpty else {
                process.terminate()
                throw HubFailure("\(program) \(arguments.joined(separator: " ")) ended before printing \(marker): \(printed)")
            }
            printed += String(decoding: chunk, as: UTF8.self)
        }
        return (process, printed)
    }

    /// Runs a program to completion and captures its output (stdin is empty).
    /// - Parameter environment: variables added to (or, with nil values, removed from) the test's own.
    public static func run(_ program: String, _ arguments: [String], environment: [String: String?] = [:],
                           currentDirectory: String? = nil) throws -> ProcessResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program.contains("/") ? program : path(program))
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["FIELDSYNC_STORE"] = nil
        // Tests read the English wording unless they ask for another language (nil: the default, Vietnamese).
        env["FIELDSYNC_LANG"] = "en"
        for (key, value) in environment { env[key] = value }
        process.environment = env
        if let currentDirectory { process.currentDirectoryURL = URL(fileURLWithPath: currentDirectory) }
        let outputs = TemporaryDirectory(prefix: "fieldsync-proc")
        _ = FileManager.default.createFile(atPath: outputs.file("out"), contents: nil)
        _ = FileManager.default.createFile(atPath: outputs.file("err"), contents: nil)
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: outputs.file("out")))
        let err = try FileHandle(forWritingTo: URL(fileURLWithPath: outputs.file("err")))
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try out.close()
        try err.close()
        let status = process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
        let bytes = (try? Data(contentsOf: URL(fileURLWithPath: outputs.file("out")))) ?? Data()
        return ProcessResult(
            status: status,
            stdout: String(decoding: bytes, as: UTF8.self),
            stderr: (try? String(contentsOfFile: outputs.file("err"), encoding: .utf8)) ?? "",
            stdoutBytes: bytes)
    }

    /// Runs a shell script in a new user and mount namespace, where it may mount a size-limited tmpfs
    /// or a read-only bind mount to reproduce a full or read-only disk without real root.
    public static func runIsolated(_ script: String, environment: [String: String?] = [:]) throws -> ProcessResult {
        try run("/usr/bin/unshare", ["--user", "--map-root-user", "--mount", "/bin/sh", "-c", script],
                environment: environment)
    }

    /// Whether this machine lets an unprivileged process make user and mount namespaces.
    public static let canIsolate: Bool = {
        (try? run("/usr/bin/unshare", ["--user", "--map-root-user", "--mount", "/bin/true"]).status) == 0
    }()
}
