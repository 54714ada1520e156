import Foundation
import StoreCrypto
#if canImport(Glibc)
import Glibc
#endif

/// The file the browser opens to enter the app: a page that carries the launch key to the app once, written
/// 0600 in the user's private runtime folder (RAM when there is one), so only this user can open the app.
struct LaunchFile: Sendable {
    /// The file.
    let path: String

    /// The file in this user's runtime folder (`$XDG_RUNTIME_DIR/fieldsync`, else /dev/shm, else ~/.cache/fieldsync).
    static func forCurrentUser() throws -> LaunchFile {
        if let cache = UnlockCache.forCurrentUser() { return LaunchFile(path: cache.folder + "/app.html") }
        guard let home = ProcessInfo.processInfo.environment["HOME"], !home.isEmpty else { throw AppError.noPrivateFolder }
        let folder = home + "/.cache/fieldsync"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        var info = stat()
        guard lstat(folder, &info) == 0, info.st_uid == getuid(), info.st_mode & 0o077 == 0 else { throw AppError.noPrivateFolder }
        return LaunchFile(path: folder + "/app.html")
    }

    /// Writes the page for `address` and `key`, readable by this user alone, replacing any earlier one whole.
    func write(address: String, key: String) throws {
        let url = "\(address)/open?key=\(key)"
        let html = """
            <!doctype html><html lang="vi"><head><meta charset="utf-8"><meta http-equiv="refresh" content="0;url=\(url)">
            <title>FieldSync</title></head><body><p><a href="\(url)">Mở FieldSync · Open FieldSync</a></p></body></html>

            """
        let temporary = path + ".\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { throw AppError.launchFile(path) }
        let bytes = Array(html.utf8)
        let written = Glibc.write(fd, bytes, bytes.count)
        close(fd)
        guard written == bytes.count, rename(temporary, path) == 0 else {
            unlink(temporary)
            throw AppError.launchFile(path)
        }
    }

    /// Removes the file (the app stopped).
    func remove() { unlink(path) }
}
