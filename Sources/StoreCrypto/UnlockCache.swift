#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Platform

/// Keeps an unlocked store's secret until a deadline in a file on a RAM file system ($XDG_RUNTIME_DIR,
/// else /dev/shm), readable by its owner only: never on the disk a thief would image, and gone at
/// power-off. Without such a file system nothing is kept (the passphrase is asked each time).
public struct UnlockCache: Sendable {
    /// The folder, on tmpfs.
    public let folder: String

    /// The cache for this user, or nil when no RAM file system is available.
    public static func forCurrentUser() -> UnlockCache? {
        PrivateFolder.inMemory().map(UnlockCache.init(folder:))
    }

    func file(_ store: String) -> String { folder + "/" + store.filter { $0.isLetter || $0.isNumber || $0 == "-" } + ".key" }

    /// Keeps `secret` for the store `id` until `until`.
    public func save(_ secret: StoreSecret, store id: String, until: Date) throws {
        let path = file(id)
        let text = "\(Int(until.timeIntervalSince1970)) \(secret.rawRepresentation.base64EncodedString())"
        do {
            try PrivateFile.replace(path, with: Array(text.utf8))
        } catch {
            throw StoreCryptoError.damaged("cannot keep the unlocked key in \(folder) (\(error))")
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
            try? FileManager.default.removeItem(atPath: path)  // Losing this error is safe: an expired file that stays is refused again.
            return nil
        }
        return secret
    }

    /// Forgets the secret of the store `id`.
    public func clear(store id: String) {
        try? FileManager.default.removeItem(atPath: file(id))  // Losing this error is safe: nothing kept is nothing to forget.
    }
}
