import Foundation

/// The hub's secrets in a file of their own, created with mode 0600 beside the database (or where
/// `--key-file` / `$FIELDSYNC_KEY_FILE` says, e.g. a secrets manager's mount), never inside it: a
/// copy of the database alone holds no key. Today it holds the citizen-ID key handed to laptops.
public struct HubKeyFile: Sendable, Equatable {
    /// The file.
    public let path: String

    /// A key file at `path`.
    public init(path: String) { self.path = path }

    /// The default for a SQLite hub: `hub.sqlite.keys` beside `hub.sqlite`.
    public static func beside(_ database: String) -> HubKeyFile { HubKeyFile(path: database + ".keys") }

    /// The key file of a SQLite hub: `$FIELDSYNC_KEY_FILE` when set, else beside the database.
    public static func of(_ database: String) -> HubKeyFile {
        ProcessInfo.processInfo.environment["FIELDSYNC_KEY_FILE"].flatMap { $0.isEmpty ? nil : HubKeyFile(path: $0) } ?? beside(database)
    }

    struct Contents: Codable {
        var version = 1
        var citizenKey: String
    }

    /// The citizen-ID key (64 hex digits), or nil when the file does not exist. A file readable by
    /// others is narrowed to its owner.
    /// - Throws: `HubStoreError.keyFile` when it exists but cannot be read or is not a key file.
    public func citizenKey() throws(HubStoreError) -> String? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let contents: Contents
        do {
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            if let mode = attributes[.posixPermissions] as? Int, mode & 0o077 != 0 {
                try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
            }
            contents = try JSONDecoder().decode(Contents.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw .keyFile(path: path, problem: "cannot be read as a hub key file (\(error))")
        }
        guard contents.citizenKey.count == 64, contents.citizenKey.allSatisfy({ $0.isHexDigit && !$0.isUppercase }) else {
            throw .keyFile(path: path, problem: "holds no valid citizen-ID key")
        }
        return contents.citizenKey
    }

    /// Creates the file with `citizenKey`, readable by its owner only, on disk before it returns.
    /// - Throws: `HubStoreError.keyFile` when it exists already or cannot be written.
    public func create(citizenKey: String) throws(HubStoreError) {
        let data: Data
        do { data = try JSONEncoder().encode(Contents(citizenKey: citizenKey)) } catch {
            throw .keyFile(path: path, problem: "could not be encoded (\(error))")
        }
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else { throw .keyFile(path: path, problem: "could not be created (\(String(cString: strerror(errno))))") }
        defer { close(fd) }
        let written = data.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == data.count, fsync(fd) == 0 else {
            let problem = String(cString: strerror(errno))
            unlink(path)
            throw .keyFile(path: path, problem: "could not be written (\(problem))")
        }
        let folder = open((path as NSString).deletingLastPathComponent.isEmpty ? "." : (path as NSString).deletingLastPathComponent, O_RDONLY)
        if folder >= 0 {
            fsync(folder)
            close(folder)
        }
    }
}
