import Foundation
import SyncProtocol

/// The packages published at a hub (`fieldsync-server release publish`), in one folder: each file beside its manifest,
/// and `release-key.pub`, the key pinned at the first publish (or given then): every later package must be signed by it.
public struct ReleaseShelf: Sendable {
    /// The folder.
    public let folder: String

    /// The shelf in `folder` (made when a package is first published).
    public init(folder: String) { self.folder = folder }

    /// The pinned release key, nil before the first publish.
    public func pinnedKey() throws(ReleaseError) -> ReleasePublicKey? {
        let path = folder + "/release-key.pub"
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        return try ReleasePublicKey(file: path)
    }

    /// Publishes the package at `path` with its manifest: refused when the manifest is not signed by the pinned key (or
    /// by `key`, pinned now, at the first publish), when the file is not the one signed, or when the shelf has this
    /// version of the package or a newer one. Returns the manifest published.
    public func publish(_ path: String, manifest: ReleaseManifest, key given: ReleasePublicKey?) throws(ReleaseError) -> ReleaseManifest {
        let pinned = try pinnedKey()
        if let pinned, let given, pinned != given {
            throw .forged("this hub pinned another release key (\(pinned)): packages signed by \(given) are refused")
        }
        guard let key = pinned ?? given ?? ReleasePublicKey(text: manifest.key) else { throw .unreadable("the manifest names no key") }
        try manifest.verify(path, pinned: key)
        guard !manifest.file.contains("/"), !manifest.file.hasPrefix("."), manifest.file.hasSuffix(".deb") else {
            throw .unreadable("the manifest names no package file (\(manifest.file))")
        }
        if let latest = latest(manifest.package), !ReleaseVersion.debianOlder(latest.version, than: manifest.version) {
            throw .older("\(manifest.package) \(latest.version) is published already: publish a newer version than \(manifest.version)")
        }
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let target = folder + "/" + manifest.file
            let temporary = target + ".part"
            try? FileManager.default.removeItem(atPath: temporary)  // Losing this error is safe: the copy below says why it fails.
            try FileManager.default.copyItem(atPath: path, toPath: temporary)
            // The copy is checked again: what laptops download is what was signed.
            try manifest.verify(temporary, pinned: key)
            // A version is published once: its file name is new (a leftover of a publish that failed is replaced).
            if FileManager.default.fileExists(atPath: target) { try FileManager.default.removeItem(atPath: target) }
            try FileManager.default.moveItem(atPath: temporary, toPath: target)
            try manifest.json().write(to: URL(fileURLWithPath: target + ".release.json"), options: .atomic)
            if pinned == nil { try Data((key.description + "\n").utf8).write(to: URL(fileURLWithPath: folder + "/release-key.pub"), options: .atomic) }
        } catch let error as ReleaseError {
            throw error
        } catch {
            throw .unreadable("cannot write into \(folder) (\(error))")
        }
        return manifest
    }

    /// Every manifest on the shelf, newest version first per package (a damaged one is left out: `damaged()` names it).
    public func all() -> [ReleaseManifest] {
        manifestNames().compactMap { try? ReleaseManifest(file: folder + "/" + $0) }  // Left out here, named by damaged().
            .sorted { $0.package != $1.package ? $0.package < $1.package : ReleaseVersion.debianOlder($1.version, than: $0.version) }
    }

    /// The manifests on the shelf that cannot be read, with why: laptops are not offered them.
    public func damaged() -> [(file: String, reason: ReleaseError)] {
        manifestNames().compactMap { name -> (file: String, reason: ReleaseError)? in
            do throws(ReleaseError) { _ = try ReleaseManifest(file: folder + "/" + name); return nil } catch { return (name, error) }
        }
    }

    private func manifestNames() -> [String] {
        // Losing this error is safe: a shelf not made yet holds nothing.
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".release.json") }
    }

    /// The newest manifest of a package, nil when none was published.
    public func latest(_ package: String) -> ReleaseManifest? {
        all().filter { $0.package == package }.max { ReleaseVersion.debianOlder($0.version, than: $1.version) }
    }

    /// The path of a published file named exactly `file`, nil otherwise (no path from outside the shelf).
    public func path(of file: String) -> String? {
        guard !file.contains("/"), !file.hasPrefix("."), all().contains(where: { $0.file == file }) else { return nil }
        return folder + "/" + file
    }
}
