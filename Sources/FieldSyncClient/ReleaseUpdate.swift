import Foundation
import Releases
import SyncProtocol
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `fieldsync update`'s work (issue 34): the newest laptop package the hub offers, checked against the pinned release
/// key before anything is downloaded, fetched in pieces that survive a cut connection, and checked whole again.
public struct ReleaseUpdate: Sendable {
    /// The hub's address and this device's token.
    public let server: URL
    public let token: String
    /// The pinned release key.
    public let pinned: ReleasePublicKey
    /// Bytes asked for at once: a piece lost to a cut connection costs at most this much again.
    public var pieceBytes = 1 << 20
    /// Packages are compressed already: asked for as they are.
    let transport: HTTPTransport

    /// An update from `server` with `token`, trusting `pinned`.
    public init(server: URL, token: String, pinned: ReleasePublicKey, timeout: TimeInterval = 120) {
        self.server = server
        self.token = token
        self.pinned = pinned
        transport = HTTPTransport(timeout: timeout, compressing: false)
    }

    /// The newest `fieldsync` package the hub offers, its signature checked (`ReleaseError.forged` otherwise); nil when
    /// the hub offers none.
    public func latest() async throws -> ReleaseManifest? {
        var components = URLComponents(url: server.appendingPathComponent("v1/releases/latest"), resolvingAgainstBaseURL: false)
        components?.queryItems = [URLQueryItem(name: "package", value: "fieldsync")]
        guard let url = components?.url else { throw SyncError.badServerURL(server.absoluteString) }
        let (status, body) = try await get(url, range: nil)
        if status == 404 { return nil }
        guard status == 200 else { throw SyncError.unexpectedAnswer(status: status, String(decoding: body.prefix(300), as: UTF8.self)) }
        guard let manifest = try? JSONDecoder().decode(ReleaseManifest.self, from: body) else {  // Said in the error.
            throw SyncError.unexpectedAnswer(status: status, "not a release manifest")
        }
        try manifest.verifySignature(pinned: pinned)
        return manifest
    }

    /// Downloads the package into `folder` (`<file>.part` while it comes; what came before is kept and resumed), checks
    /// it whole against the manifest and returns its path. `progress` gets the bytes held so far.
    public func download(_ manifest: ReleaseManifest, into folder: String, progress: (@Sendable (Int64) -> Void)? = nil) async throws -> String {
        guard !manifest.file.contains("/"), !manifest.file.hasPrefix(".") else { throw ReleaseError.unreadable("the manifest names no file") }
        let target = folder + "/" + manifest.file
        let part = target + ".part"
        if !FileManager.default.fileExists(atPath: part) { _ = FileManager.default.createFile(atPath: part, contents: nil) }  // Said by the open below.
        guard let handle = FileHandle(forWritingAtPath: part) else { throw ReleaseError.unreadable("cannot write \(part)") }
        defer { try? handle.close() }  // Losing this error is safe: the file is checked whole below.
        var held = Int64(try handle.seekToEnd())
        if held > manifest.size {
            try handle.truncate(atOffset: 0)
            held = 0
        }
        let url = server.appendingPathComponent("v1/releases/files").appendingPathComponent(manifest.file)
        while held < manifest.size {
            let last = min(manifest.size, held + Int64(pieceBytes)) - 1
            let (status, body) = try await get(url, range: (held, last))
            guard status == 206, !body.isEmpty, Int64(body.count) <= last - held + 1 else {
                throw SyncError.unexpectedAnswer(status: status, "the package download was refused")
            }
            try handle.write(contentsOf: body)
            held += Int64(body.count)
            progress?(held)
        }
        try handle.synchronize()
        do {
            try manifest.verify(part, pinned: pinned)
        } catch {
            // A piece that came wrong: the next try starts again from nothing.
            try? FileManager.default.removeItem(atPath: part)  // Losing this error is safe: the check fails again next time.
            throw error
        }
        try? FileManager.default.removeItem(atPath: target)  // Losing this error is safe: the move below says why it fails.
        try FileManager.default.moveItem(atPath: part, toPath: target)
        return target
    }

    func get(_ url: URL, range: (Int64, Int64)?) async throws -> (Int, Data) {
        let answer = try await transport.send("GET", url, token: token, body: nil, type: nil, encoding: nil,
                                              headers: range.map { ["Range": "bytes=\($0.0)-\($0.1)"] } ?? [:])
        return (answer.status, answer.body)
    }
}
