import FieldSyncTesting
import Foundation
import Releases
import SyncProtocol
import Testing

/// Signed releases (issue 34): a package signed by the release key verifies; one signed by another key, altered by a
/// byte or cut short is refused; the hub's shelf pins the key at the first publish and refuses older versions.
@Suite struct ReleaseTests {
    static func package(_ dir: TemporaryDirectory, _ name: String, bytes: Int = 300_000) throws -> String {
        let path = dir.file(name)
        var generator = SeededRandom(seed: UInt64(bytes))
        try Data((0..<bytes).map { _ in UInt8.random(in: 0...255, using: &generator) }).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func aSignedPackageVerifiesAndATamperedOneDoesNot() throws {
        let dir = TemporaryDirectory()
        let key = ReleaseKey.generate(), other = ReleaseKey.generate()
        let file = try Self.package(dir, "fieldsync_0.4.0-1_amd64.deb")
        let manifest = try ReleaseManifest.sign(file, with: key)
        #expect(manifest.package == "fieldsync" && manifest.version == "0.4.0-1" && manifest.size == 300_000 && manifest.sha256.count == 64)
        try manifest.verify(file, pinned: key.publicKey)
        #expect(throws: ReleaseError.self, "another key pinned") { try manifest.verify(file, pinned: other.publicKey) }
        var forged = try ReleaseManifest.sign(file, with: other)
        forged.key = key.publicKey.description
        #expect(throws: ReleaseError.self, "another key's signature naming the pinned key") { try forged.verify(file, pinned: key.publicKey) }
        var bumped = manifest
        bumped.version = "9.9.9-1"
        #expect(throws: ReleaseError.self, "a field changed after signing") { try bumped.verify(file, pinned: key.publicKey) }

        var bytes = try Data(contentsOf: URL(fileURLWithPath: file))
        bytes[1_000] ^= 1
        try bytes.write(to: URL(fileURLWithPath: file))
        do {
            try manifest.verify(file, pinned: key.publicKey)
            Issue.record("an altered byte passed")
        } catch {
            #expect(error == .altered(error.description) && error.description.contains("altered"))
        }
        try bytes.prefix(200_000).write(to: URL(fileURLWithPath: file))
        #expect(throws: ReleaseError.self, "a cut download") { try manifest.verify(file, pinned: key.publicKey) }
        #expect(throws: ReleaseError.self, "not a package name") { try ReleaseManifest.sign(try Self.package(dir, "notes.txt"), with: key) }
    }

    @Test func theShelfPinsTheKeyAndRefusesOlderVersions() throws {
        let dir = TemporaryDirectory()
        let key = ReleaseKey.generate(), other = ReleaseKey.generate()
        let shelf = ReleaseShelf(folder: dir.file("releases"))
        let first = try Self.package(dir, "fieldsync_0.4.0-1_amd64.deb")
        _ = try shelf.publish(first, manifest: try ReleaseManifest.sign(first, with: key), key: nil)
        #expect(try shelf.pinnedKey() == key.publicKey && shelf.latest("fieldsync")?.version == "0.4.0-1")

        let second = try Self.package(dir, "fieldsync_0.4.0-2_amd64.deb", bytes: 200_000)
        #expect(throws: ReleaseError.self, "signed by another key than the one pinned") {
            try shelf.publish(second, manifest: try ReleaseManifest.sign(second, with: other), key: nil)
        }
        #expect(throws: ReleaseError.self, "another key given") {
            try shelf.publish(second, manifest: try ReleaseManifest.sign(second, with: other), key: other.publicKey)
        }
        _ = try shelf.publish(second, manifest: try ReleaseManifest.sign(second, with: key), key: nil)
        #expect(shelf.latest("fieldsync")?.version == "0.4.0-2")
        do {
            _ = try shelf.publish(first, manifest: try ReleaseManifest.sign(first, with: key), key: nil)
            Issue.record("an older version was published")
        } catch let error as ReleaseError {
            #expect(error == .older(error.description))
        }
        #expect(shelf.all().map(\.version) == ["0.4.0-2", "0.4.0-1"])
        #expect(shelf.path(of: "fieldsync_0.4.0-2_amd64.deb") != nil)
        #expect(shelf.path(of: "../releases/fieldsync_0.4.0-2_amd64.deb") == nil && shelf.path(of: "release-key.pub") == nil)

        // A manifest damaged on the shelf is offered to no laptop, and named with why.
        #expect(shelf.damaged().isEmpty)
        try Data("{\"package\": ".utf8).write(to: URL(fileURLWithPath: dir.file("releases/fieldsync_0.4.0-2_amd64.deb.release.json")))
        #expect(shelf.latest("fieldsync")?.version == "0.4.0-1" && shelf.path(of: "fieldsync_0.4.0-2_amd64.deb") == nil)
        #expect(shelf.damaged().map(\.file) == ["fieldsync_0.4.0-2_amd64.deb.release.json"])
    }

    @Test func debianVersionsOrderByReleaseThenRevision() {
        #expect(ReleaseVersion.debianOlder("0.4.0-1", than: "0.4.0-2") && ReleaseVersion.debianOlder("0.4.0-9", than: "0.10.0-1"))
        #expect(ReleaseVersion.debianOlder("0.4.0", than: "0.4.0-1") && !ReleaseVersion.debianOlder("0.4.0-2", than: "0.4.0-2"))
        #expect(!ReleaseVersion.debianOlder("1.0.0-1", than: "0.9.9-9") && !ReleaseVersion.debianOlder("x", than: "0.1.0"))
    }
}
