import FieldStore
import Foundation
import Localization
import Platform
import Releases
import SyncProtocol
import TextSafety

/// What `fieldsync update` and the app's update button share (issue 34): the key this laptop trusts, the package the
/// hub offers checked against it, downloaded beside the store, and the command that installs it. The store is only read.
public enum LaptopUpdate {
    /// Where the pinned release key is, when `$FIELDSYNC_RELEASE_KEY_FILE` does not say: installed with the package.
    public static let packagedKey = "/usr/share/fieldsync/release-key.pub"

    /// What the hub offers.
    public enum Offer: Sendable {
        /// No package is published at the hub.
        case none
        /// The installed version is the newest.
        case current(String)
        /// A newer version, downloaded and checked whole: its file.
        case downloaded(version: String, file: String)
    }

    /// The release key this laptop trusts: the one the hub gave at enrolment, else the one of the package installed by
    /// hand (`$FIELDSYNC_RELEASE_KEY_FILE`, else /usr/share/fieldsync/release-key.pub). Two that differ are refused: one
    /// of them is not the province's.
    public static func pinnedKey(_ store: FieldStore) throws -> ReleasePublicKey {
        let keyFile = ProcessInfo.processInfo.environment["FIELDSYNC_RELEASE_KEY_FILE"] ?? packagedKey
        let packaged = FileManager.default.fileExists(atPath: keyFile) ? try ReleasePublicKey(file: keyFile) : nil
        let enrolled = try store.pinnedReleaseKey().flatMap(ReleasePublicKey.init(text:))
        if let enrolled, let packaged, enrolled != packaged {
            throw UpdateError.keysDiffer(enrolled: "\(enrolled)", packaged: "\(packaged)", file: keyFile)
        }
        guard let key = enrolled ?? packaged else { throw UpdateError.noKey(keyFile) }
        return key
    }

    /// Where updates come from and go: the hub, this device's token, the key it trusts and the download folder.
    public struct Source: Sendable {
        let update: ReleaseUpdate
        let folder: String
    }

    /// The source of the store at `storePath` (read from the store, which must be unlocked: the token is sealed).
    /// - Throws: `SyncError` (not enrolled), `UpdateError` (no key, two keys).
    public static func source(_ store: FieldStore, storePath: String) throws -> Source {
        guard let enrollment = try store.enrollment() else { throw SyncError.notEnrolled }
        guard let server = URL(string: enrollment.server) else { throw SyncError.badServerURL(enrollment.server) }
        return Source(update: ReleaseUpdate(server: server, token: enrollment.token, pinned: try pinnedKey(store)),
                      folder: FilePaths.folder(of: storePath).nonEmpty(or: ".") + "/.fieldsync-update")
    }

    /// Asks the hub for its newest package and, when it is newer than the installed one, downloads it into a private
    /// folder beside the store (a download cut earlier resumes there), checked whole.
    /// - Throws: `SyncError` (unreachable), `UpdateError`, `ReleaseError` (forged, altered, older).
    public static func fetch(_ source: Source, progress: (@Sendable (Int64, Int64) -> Void)? = nil) async throws -> Offer {
        let update = source.update, folder = source.folder
        guard let manifest = try await update.latest() else { return .none }
        let installed = installedVersion()
        guard ReleaseVersion.debianOlder(installed, than: manifest.version) else {
            if ReleaseVersion.debianOlder(manifest.version, than: installed) { throw UpdateError.older(offered: manifest.version, installed: installed) }
            return .current(installed)
        }
        guard PrivateFolder.ensure(folder) else { throw UpdateError.noFolder(folder) }
        let size = manifest.size
        let file = try await update.download(manifest, into: folder, progress: progress.map { report in { @Sendable held in report(held, size) } })
        return .downloaded(version: manifest.version, file: file)
    }

    /// Installs a downloaded package: its command's exit status. The file is removed once installed.
    public static func install(_ file: String, interactive: Bool) throws -> (status: Int32, command: String) {
        let command = installCommand(file, interactive: interactive)
        let status = try ProcessImage.run(command)
        // Losing this error is safe: the next update replaces the file.
        if status == 0 { try? FileManager.default.removeItem(atPath: file) }
        return (status, command.joined(separator: " "))
    }

    /// The installed package's Debian version (`dpkg-query`), else this program's release.
    public static func installedVersion() -> String {
        if let given = ProcessInfo.processInfo.environment["FIELDSYNC_INSTALLED_VERSION"] { return given }
        return InstalledPackage.version("fieldsync") ?? FieldSyncVersion.current
    }

    /// What installs the package: `$FIELDSYNC_INSTALL_COMMAND` (the file added at its end), else `dpkg -i`, through
    /// `sudo` for a user who is not root (`sudo -n` from the app, which has no terminal to ask a password on).
    public static func installCommand(_ file: String, interactive: Bool = true) -> [String] {
        if let given = ProcessInfo.processInfo.environment["FIELDSYNC_INSTALL_COMMAND"], !given.isEmpty {
            return given.split(separator: " ").map(String.init) + [file]
        }
        let sudo = ProcessImage.isAdministrator ? [] : interactive ? ["sudo"] : ["sudo", "-n"]
        return sudo + ["dpkg", "-i", file]
    }
}

extension String {
    fileprivate func nonEmpty(or fallback: String) -> String { isEmpty ? fallback : self }
}

/// Why an update installed nothing.
public enum UpdateError: PeopleMessage, Equatable {
    case noKey(String)
    case keysDiffer(enrolled: String, packaged: String, file: String)
    case older(offered: String, installed: String)
    case noFolder(String)
    case installFailed(String, Int32)

    public var description: String {
        switch self {
        case .noKey(let path): "no release key is pinned on this laptop (\(path)): install the fieldsync package by hand once; nothing was installed"
        case .keysDiffer(let enrolled, let packaged, let file):
            "the release key the hub gave at enrolment (\(enrolled)) differs from the installed package's (\(packaged), \(file)): ask the operator; nothing was installed"
        case .older(let offered, let installed): "the hub offers \(offered), older than the installed \(installed): nothing was installed"
        case .noFolder(let folder): "cannot make a private folder for the download (\(folder)): nothing was installed"
        case .installFailed(let command, let status): "installing failed (\(command) exited with \(status)); the visits are untouched"
        }
    }

    public func message(_ t: Catalogue) -> String {
        switch self {
        case .noKey(let path): t.format("update.no_key", path)
        case .keysDiffer(let enrolled, let packaged, let file): t.format("update.keys_differ", enrolled, packaged, file)
        case .older(let offered, let installed): t.format("update.older", offered, installed)
        case .noFolder(let folder): t.format("update.no_folder", folder)
        case .installFailed(let command, let status): t.format("update.failed", command, "\(status)")
        }
    }
}

extension ReleaseError: PeopleMessage {
    public func message(_ t: Catalogue) -> String {
        switch self {
        case .forged: t["update.forged"]
        case .altered: t["update.altered"]
        case .older: t["update.older_package"]
        case .unreadable(let detail): t.format("update.unreadable", SafeText.terminal(detail))
        }
    }
}
