import FieldSyncTesting
import Foundation
import Platform
import Testing

/// The platform module (issue 34): private files written whole and 0600, a lock held once, the RAM folder closed to
/// others — and no operating-system call anywhere else in the sources, so a port is a port of this module.
@Suite struct PlatformTests {
    @Test func privateFilesAreWholeAndTheOwnersAlone() throws {
        let dir = TemporaryDirectory()
        let path = dir.file("secret")
        try PrivateFile.replace(path, with: Array("first".utf8))
        #expect(try PrivateFile.mode(path) == 0o600 && String(contentsOfFile: path, encoding: .utf8) == "first")
        try PrivateFile.replace(path, with: Array("second, longer".utf8), durable: true)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "second, longer")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["secret"], "no temporary file left")

        #expect(try !PrivateFile.create(path, with: Array("third".utf8)), "an existing file is not replaced")
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "second, longer")
        let created = try PrivateFile.create(dir.file("new"), with: Array("new".utf8))
        #expect(created && PrivateFile.mode(dir.file("new")) == 0o600)

        try PrivateFile.overwrite(path, with: Array("short".utf8))
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "short", "the old tail is cut")

        let open = dir.file("open")
        _ = FileManager.default.createFile(atPath: open, contents: Data("x".utf8), attributes: [.posixPermissions: 0o644])
        PrivateFile.restrict([open, dir.file("missing")])
        #expect(PrivateFile.mode(open) == 0o600)
        #expect(PrivateFile.createEmpty(dir.file("empty")) && !PrivateFile.createEmpty(dir.file("empty")))

        #expect(throws: SystemError.self, "a folder that does not exist") { try PrivateFile.replace(dir.file("no/such/file"), with: []) }
    }

    @Test func aLockIsHeldOnceAndSaysByWhom() throws {
        let dir = TemporaryDirectory()
        let lock = try FileLock(dir.file("store.lock"))
        do {
            let second = try FileLock(dir.file("store.lock"))
            second.release()
            Issue.record("a second lock was taken")
        } catch .held(let holder) {
            #expect(holder == "\(ProcessInfo.processInfo.processIdentifier)")
        } catch {
            Issue.record("\(error)")
        }
        lock.release()
        let again = try FileLock(dir.file("store.lock"))
        again.release()
        #expect(throws: FileLock.Failure.self) { _ = try FileLock(dir.file("no/such/folder/lock")) }
    }

    @Test func theMemoryFolderIsClosedToOthers() throws {
        if let folder = PrivateFolder.inMemory() {
            #expect(PrivateFolder.isRAM(folder) && PrivateFile.mode(folder) == 0o700)
        }
        let dir = TemporaryDirectory()
        let shared = dir.file("shared")
        try FileManager.default.createDirectory(atPath: shared, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o755])
        #expect(!PrivateFolder.ensure(shared), "a folder open to others is not trusted")
        #expect(PrivateFolder.ensure(dir.file("mine")) && PrivateFile.mode(dir.file("mine")) == 0o700)
        #expect(!PrivateFolder.isRAM("/no/such/mount/../x") || PrivateFolder.isRAM("/"))
    }

    /// Operating-system calls and conditional compilation appear in Sources/Platform only (README, "Platforms").
    @Test func platformCodeLivesInItsModuleOnly() throws {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources")
        let patterns = [#"#if os\("#, #"canImport\((Glibc|Darwin|WinSDK|Musl)\)"#, #"import (Glibc|Darwin|WinSDK|Musl)\b"#,
                        #"\b(flock|fsync|f?chmod|getuid|geteuid|lstat|isatty|getpass|[gs]etrlimit|pwrite|ftruncate|execv|strerror|mkdir)\("#,
                        #"/proc/|/dev/shm|XDG_RUNTIME_DIR|O_CREAT|O_NOFOLLOW|\berrno\b"#]
        var found: [String] = []
        let files = FileManager.default.enumerator(atPath: sources.path)?.compactMap { $0 as? String } ?? []
        #expect(files.count > 100, "the sources were found")
        for file in files where file.hasSuffix(".swift") && !file.hasPrefix("Platform/") {
            let text = try String(contentsOf: sources.appendingPathComponent(file), encoding: .utf8)
            for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let code = line.trimmingCharacters(in: .whitespaces)
                guard !code.hasPrefix("//") else { continue }
                let withoutStrings = code.replacingOccurrences(of: #""([^"\\]|\\.)*""#, with: "\"\"", options: .regularExpression)
                for pattern in patterns where withoutStrings.range(of: pattern, options: .regularExpression) != nil {
                    found.append("\(file):\(n + 1): \(code)")
                }
            }
        }
        #expect(found.isEmpty, "platform-specific code outside Sources/Platform:\n\(found.joined(separator: "\n"))")
    }
}
