import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Keeps an unlocked store's secret until a deadline in a file on a RAM file system ($XDG_RUNTIME_DIR,
/// else /dev/shm), readable by its owner only: never on the disk a thief would image, and gone at
/// power-off. Without such a file system nothing is kept (the passphrase is asked each time).
public struct UnlockCache: Sendable {
    /// The folder, on tmpfs.
    public let folder: String

    /// The cache for this user, or nil when no RAM file system is available.
    public static func forCurrentUser() -> UnlockCache? {
        let environment = ProcessInfo.processInfo.environment
        let candidates = [environment["XDG_RUNTIME_DIR"].map { $0 + "/fieldsync" }, "/dev/shm/fieldsync-\(getuid())"].compactMap { $0 }
        for folder in candidates {
            let parent = (folder as NSString).deletingLastPathComponent
            guard isRAM(parent) else { continue }
            if mkdir(folder, 0o700) != 0 && errno != EEXIST { continue }
            var info = stat()
            // A folder someone else made, or open to others, is not ours to trust.
            guard lstat(folder, &info) == 0, info.st_uid == getuid(), info.st_mode & 0o077 == 0, (info.st_mode & S_IFMT) == S_IFDIR else { continue }
            return UnlockCache(folder: folder)
        }
        return nil
    }

    /// Whether `path` lies on tmpfs or ramfs: the file system of its longest mount point in /proc/mounts.
    static func isRAM(_ path: String) -> Bool {
        // Losing this error is safe: without the mount table nothing is kept, and the passphrase is asked each time.
        guard let mounts = try? String(contentsOfFile: "/proc/mounts", encoding: .utf8) else { return false }
        var best: (point: String, type: String) = ("", "")
        for line in mounts.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count >= 3 else { continue }
            let point = String(fields[1]), type = String(fields[2])
            let covers = path == point || path.hasPrefix(point == "/" ? "/" : point + "/")
            if covers && point.count >= best.point.count { best = (point, type) }
        }
        return best.type == "tmpfs" || best.type == "ramfs"
    }

    func file(_ store: String) -> String { folder + "/" + store.filter { $0.isLetter || $0.isNumber || $0 == "-" } + ".key" }

    /// Keeps `secret` for the store `id` until `until`.
    public func save(_ secret: StoreSecret, store id: String, until: Date) throws {
        let path = file(id)
        let text = "\(Int(until.timeIntervalSince1970)) \(secret.rawRepresentation.base64EncodedString())"
        let temporary = path + ".\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard fd >= 0 else { throw StoreCryptoError.damaged("cannot keep the unlocked key in \(folder)") }
        let bytes = Array(text.utf8)
        let written = write(fd, bytes, bytes.count)
        close(fd)
        guard written == bytes.count, rename(temporary, path) == 0 else {
            unlink(temporary)
            throw StoreCryptoError.damaged("cannot keep the unlocked key in \(folder)")
        }
    }

    /// The secret kept for the store `id`, nil when none or past its deadline (then it is removed).
    public func load(store id: String, now: Date = Date()) -> StoreSecret? {
        let path = file(id)
        // Losing these errors is safe: a missing or damaged cache is no unlock (removed below), and the passphrase is asked again.
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        let parts = text.split(separator: " ")
        guard parts.count == 2, let deadline = Int(parts[0]), Double(deadline) > now.timeIntervalSince1970,
              let raw = Data(base64Encoded: String(parts[1])), let secret = try? StoreSecret(rawRepresentation: raw)
        else {
            unlink(path)
            return nil
        }
        return secret
    }

    /// Forgets the secret of the store `id`.
    public func clear(store id: String) { unlink(file(id)) }
}
