import ArgumentParser
import CLISupport
import FieldStore
import FieldSyncClient
import Foundation
import Localization
import Platform
import Releases
import SyncProtocol
import TextSafety

/// `fieldsync update`: downloads the laptop package the hub offers, checks it against the pinned release key and
/// installs it; the store is never touched (issue 34).
struct UpdateCommand: AsyncParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "update", abstract: Catalogue.process["help.update"],
                             discussion: Catalogue.process["help.update.discussion"] + "\n\n" + Catalogue.process["help.example"]
                                 + "\n  fieldsync update\n  fieldsync update --download-only")
    }

    @OptionGroup var global: GlobalOptions
    @Flag(help: ArgumentHelp(Catalogue.process["help.update.download_only"])) var downloadOnly = false

    /// Where the pinned release key is, when `$FIELDSYNC_RELEASE_KEY_FILE` does not say: installed with the package.
    static let packagedKey = "/usr/share/fieldsync/release-key.pub"

    func run() async throws {
        let t = Catalogue.process
        let path = try Paths.store(global)
        // Unlocked: an encrypted store keeps the device token sealed. The store is only read.
        let store = try StoreAccess.open(path, reading: true)
        guard let enrollment = try store.enrollment() else { throw SyncError.notEnrolled }
        guard let server = URL(string: enrollment.server) else { throw SyncError.badServerURL(enrollment.server) }
        let update = ReleaseUpdate(server: server, token: enrollment.token, pinned: try Self.pinnedKey(store))
        guard let manifest = try await update.latest() else { return print(t["update.none_published"]) }
        let installed = Self.installedVersion()
        guard ReleaseVersion.debianOlder(installed, than: manifest.version) else {
            if ReleaseVersion.debianOlder(manifest.version, than: installed) { throw UpdateError.older(offered: manifest.version, installed: installed) }
            return print(t.format("update.current", installed))
        }
        // Beside the store, in a folder of this user's alone; a download cut earlier resumes there.
        let folder = (URL(fileURLWithPath: path).deletingLastPathComponent().path) + "/.fieldsync-update"
        guard PrivateFolder.ensure(folder) else { throw UpdateError.noFolder(folder) }
        let line = ProgressLine()
        let size = manifest.size
        let file = try await update.download(manifest, into: folder, progress: Console.isTerminal ? { @Sendable held in
            Console.progress(t.format("update.progress", "\(held * 100 / max(1, size))", "\(Int(line.elapsed))"))
        } : nil)
        if Console.isTerminal { Console.endProgress() }
        let command = Self.installCommand(file)
        guard !downloadOnly else {
            return print(t.format("update.downloaded", manifest.version, command.joined(separator: " ")))
        }
        print(t.format("update.installing", manifest.version))
        let status = try ProcessImage.run(command)
        guard status == 0 else { throw UpdateError.installFailed(command.joined(separator: " "), status) }
        try? FileManager.default.removeItem(atPath: file)  // Losing this error is safe: the next update replaces it.
        print(t.format("update.installed", manifest.version))
    }

    /// The release key this laptop trusts: the one the hub gave at enrolment, else the one of the package installed by
    /// hand (`$FIELDSYNC_RELEASE_KEY_FILE`, else /usr/share/fieldsync/release-key.pub). Two that differ are refused: one
    /// of them is not the province's.
    static func pinnedKey(_ store: FieldStore) throws -> ReleasePublicKey {
        let keyFile = ProcessInfo.processInfo.environment["FIELDSYNC_RELEASE_KEY_FILE"] ?? packagedKey
        let packaged = FileManager.default.fileExists(atPath: keyFile) ? try ReleasePublicKey(file: keyFile) : nil
        let enrolled = try store.pinnedReleaseKey().flatMap(ReleasePublicKey.init(text:))
        if let enrolled, let packaged, enrolled != packaged { throw UpdateError.keysDiffer(enrolled: "\(enrolled)", packaged: "\(packaged)", file: keyFile) }
        guard let key = enrolled ?? packaged else { throw UpdateError.noKey(keyFile) }
        return key
    }

    /// The installed package's Debian version (`dpkg-query`), else this program's release.
    static func installedVersion() -> String {
        if let given = ProcessInfo.processInfo.environment["FIELDSYNC_INSTALLED_VERSION"] { return given }
        return InstalledPackage.version("fieldsync") ?? FieldSyncVersion.current
    }

    /// What installs the package: `$FIELDSYNC_INSTALL_COMMAND` (the file added at its end), else `dpkg -i`, through
    /// `sudo` for a user who is not root.
    static func installCommand(_ file: String) -> [String] {
        if let given = ProcessInfo.processInfo.environment["FIELDSYNC_INSTALL_COMMAND"], !given.isEmpty {
            return given.split(separator: " ").map(String.init) + [file]
        }
        return (ProcessImage.isAdministrator ? [] : ["sudo"]) + ["dpkg", "-i", file]
    }
}

/// Why `fieldsync update` installed nothing.
enum UpdateError: PeopleMessage {
    case noKey(String)
    case keysDiffer(enrolled: String, packaged: String, file: String)
    case older(offered: String, installed: String)
    case noFolder(String)
    case installFailed(String, Int32)

    var description: String {
        switch self {
        case .noKey(let path): "no release key is pinned on this laptop (\(path)): install the fieldsync package by hand once; nothing was installed"
        case .keysDiffer(let enrolled, let packaged, let file):
            "the release key the hub gave at enrolment (\(enrolled)) differs from the installed package's (\(packaged), \(file)): ask the operator; nothing was installed"
        case .older(let offered, let installed): "the hub offers \(offered), older than the installed \(installed): nothing was installed"
        case .noFolder(let folder): "cannot make a private folder for the download (\(folder)): nothing was installed"
        case .installFailed(let command, let status): "installing failed (\(command) exited with \(status)); the visits are untouched"
        }
    }

    func message(_ t: Catalogue) -> String {
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
