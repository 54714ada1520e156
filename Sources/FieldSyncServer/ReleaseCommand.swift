import ArgumentParser
import Foundation
import HubCore
import Releases
import TextSafety

/// `fieldsync-server release`: the release key, signed packages, and the laptop packages a hub offers (issue 34).
struct ReleaseCommand: AsyncParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "release",
            abstract: "Sign packages and publish the laptop package at the hub (`fieldsync update` installs it).",
            discussion: """
                The release key signs packages where they are built (Tools/package.sh); its public half is pinned by the \
                hub at the first publish and by every laptop (installed with the package), which refuse any package \
                the key did not sign, any file altered since, and any version older than theirs.

                Example:
                  fieldsync-server release keygen --key ~/fieldsync-release.key
                  fieldsync-server --db hub.sqlite release publish fieldsync_0.4.0-2_amd64.deb \\
                      --signature fieldsync_0.4.0-2_amd64.deb.release.json
                """,
            subcommands: [Keygen.self, PublicKey.self, Sign.self, Publish.self, List.self])
    }

    /// `release keygen`.
    struct Keygen: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Make a release key (a file readable by its owner only) and print its public half.")
        @Option(help: ArgumentHelp("The private key's file (never replaced).", valueName: "path")) var key: String

        func run() throws {
            let made = ReleaseKey.generate()
            try made.save(to: key)
            print(made.publicKey)
        }
    }

    /// `release public-key`.
    struct PublicKey: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "public-key", abstract: "Print the public half of a release key.")
        @Option(help: ArgumentHelp("The release key's file.", valueName: "path")) var key: String

        func run() throws { print(try ReleaseKey(file: key).publicKey) }
    }

    /// `release sign`.
    struct Sign: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Sign a package: writes FILE.release.json (name, version, size, SHA-256, signature).")
        @Argument(help: ArgumentHelp("The package (name_version_arch.deb).", valueName: "file")) var file: String
        @Option(help: ArgumentHelp("The release key's file.", valueName: "path")) var key: String

        func run() throws {
            let manifest = try ReleaseManifest.sign(file, with: try ReleaseKey(file: key))
            try manifest.json().write(to: URL(fileURLWithPath: file + ".release.json"), options: .atomic)
            print("\(manifest.package) \(manifest.version): \(manifest.sha256)")
        }
    }

    /// `release publish`.
    struct Publish: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Publish a signed laptop package at the hub: laptops download it with `fieldsync update`.")
        @OptionGroup var global: HubOptions
        @Argument(help: ArgumentHelp("The package.", valueName: "file")) var file: String
        @Option(help: ArgumentHelp("Its manifest (FILE.release.json by default).", valueName: "path")) var signature: String?
        @Option(help: ArgumentHelp("The release key's public half to pin at the first publish (default: the one the manifest names).",
                                   valueName: "key")) var releaseKey: String?
        @Option(help: ArgumentHelp("The folder of published packages (default: the --db file's name + .releases).", valueName: "path"))
        var releases: String?

        func run() async throws {
            let key = try releaseKey.map { text throws(ServerInputError) in
                guard let key = ReleasePublicKey(text: text) else { throw ServerInputError("--release-key is not a release key's public half") }
                return key
            }
            let folder = try global.releasesFolder(releases)
            let manifest = try ReleaseShelf(folder: folder).publish(file, manifest: try ReleaseManifest(file: signature ?? file + ".release.json"),
                                                                     key: key)
            try await global.audit(.releasePublish, scope: "whole country",
                                   detail: ["package": manifest.package, "version": manifest.version, "sha256": manifest.sha256])
            print("published \(manifest.package) \(manifest.version) (\(manifest.size) bytes) in \(folder)")
        }
    }

    /// `release list`.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The packages published at the hub, newest first.")
        @OptionGroup var global: HubOptions
        @Option(help: ArgumentHelp("The folder of published packages (default: the --db file's name + .releases).", valueName: "path"))
        var releases: String?

        func run() throws {
            let shelf = ReleaseShelf(folder: try global.releasesFolder(releases))
            let all = shelf.all()
            // A manifest that cannot be read is not offered to laptops: the operator is told which and why.
            for (file, reason) in shelf.damaged() {
                FileHandle.standardError.write(Data("warning: \(file) is not offered to laptops: \(reason)\n".utf8))
            }
            guard !all.isEmpty else { return print("no package published yet") }
            for manifest in all { print("\(manifest.package)\t\(manifest.version)\t\(manifest.size)\t\(manifest.sha256)") }
        }
    }
}

extension HubOptions {
    /// The folder of published packages: `given`, else beside the SQLite store; with PostgreSQL it must be given.
    func releasesFolder(_ given: String?) throws -> String {
        if let given { return given }
        guard databaseURL == nil else { throw ServerInputError("with --database, give --releases (a folder every hub process reads)") }
        return path + ".releases"
    }
}
