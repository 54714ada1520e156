import Foundation
import Platform
import StoreCrypto

/// The file the browser opens to enter the app: a page that carries the launch key to the app once, written
/// 0600 in the user's private runtime folder (RAM when there is one), so only this user can open the app.
struct LaunchFile: Sendable {
    /// The file.
    let path: String

    /// The file in this user's runtime folder (`$XDG_RUNTIME_DIR/fieldsync`, else /dev/shm, else ~/.cache/fieldsync).
    static func forCurrentUser() throws -> LaunchFile {
        guard let folder = PrivateFolder.inMemory() ?? PrivateFolder.cache() else { throw AppError.noPrivateFolder }
        return LaunchFile(path: folder + "/app.html")
    }

    /// Writes the page for `address` and `key`, readable by this user alone, replacing any earlier one whole.
    func write(address: String, key: String) throws {
        let url = "\(address)/open?key=\(key)"
        let html = """
            <!doctype html><html lang="vi"><head><meta charset="utf-8"><meta http-equiv="refresh" content="0;url=\(url)">
            <title>FieldSync</title></head><body><p><a href="\(url)">Mở FieldSync · Open FieldSync</a></p></body></html>

            """
        do {
            try PrivateFile.replace(path, with: Array(html.utf8))
        } catch {
            throw AppError.launchFile(path)
        }
    }

    /// Removes the file (the app stopped).
    func remove() {
        try? FileManager.default.removeItem(atPath: path)  // Losing this error is safe: a used key opens nothing.
    }
}
