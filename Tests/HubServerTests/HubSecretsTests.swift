import CitizenPseudonym
import FieldSyncTesting
import Foundation
import HubServer
import SyncProtocol
import Testing
@testable import HubCore
@testable import HubSQLite

/// The hub's pseudonym key lives in a key file (0600), never in its database: a copy of the database
/// alone holds no key (issue 15, item 2); protocol 2's shared key is destroyed; rotation.
@Suite struct HubSecretsTests {
    let dir = TemporaryDirectory()
    var path: String { dir.file("hub.sqlite") }
    var file: HubKeyFile { .beside(path) }

    /// Every byte of the store's files.
    func storeBytes() throws -> Data {
        try ["", "-wal", "-shm"].reduce(into: Data()) { data, suffix in
            if FileManager.default.fileExists(atPath: path + suffix) { data.append(try Data(contentsOf: URL(fileURLWithPath: path + suffix))) }
        }
    }

    func fileText() throws -> String { try String(contentsOfFile: file.path, encoding: .utf8) }

    @Test func aNewHubKeepsItsKeyOutOfItsDatabase() async throws {
        let service = try HubService(path: path)
        let secret = try await HubSecrets.open(file, storage: service)
        #expect(secret.version == 1)
        let inUse = try await service.pseudonymKeyInUse()
        #expect(inUse == secret.publicKey)
        let mode = try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        let bytes = try storeBytes()
        let raw = secret.key.rawRepresentation
        #expect(!bytes.isEmpty && bytes.range(of: raw) == nil && bytes.range(of: Data(CitizenPseudonym.hex(raw).utf8)) == nil,
                "the private key is nowhere in the database's bytes, raw or hex")
        #expect(try fileText().contains(CitizenPseudonym.hex(raw)))
        let again = try await HubSecrets.open(file, storage: service)
        #expect(again.key.publicKey == secret.key.publicKey, "the same key at the next start")
    }

    @Test func aProtocol2HubForgetsItsSharedKeyEverywhere() async throws {
        let old = Hub.randomHex(bytes: 32)
        do { try HubStore(path: path).db.run("UPDATE hub SET citizen_key = ?", [.text(old)]) }
        try Data(#"{"version":1,"citizenKey":"\#(old)"}"#.utf8).write(to: URL(fileURLWithPath: file.path))
        #expect(try storeBytes().range(of: Data(old.utf8)) != nil, "the old store holds its key")
        let service = try HubService(path: path)
        #expect(try storeBytes().range(of: Data(old.utf8)) == nil, "overwritten in the database, not only unlinked from the row")
        let secret = try await HubSecrets.open(file, storage: service)
        #expect(secret.version == 1)
        #expect(try !fileText().contains(old), "the key file no longer holds it either")
    }

    @Test func aMissingForeignOrOlderKeyFileIsRefusedWithAClearMessage() async throws {
        let service = try HubService(path: path)
        _ = try await HubSecrets.open(file, storage: service)
        let saved = try Data(contentsOf: URL(fileURLWithPath: file.path))
        try FileManager.default.removeItem(atPath: file.path)
        await #expect { try await HubSecrets.open(file, storage: service) } throws: { error in
            "\(error)".contains("is missing") && "\(error)".contains("restore the key file") && "\(error)".contains("keys rotate")
        }
        try HubKeyFile(path: file.path).save(PseudonymSecret(version: 1, key: CitizenPseudonym.HubKey()), recoveryKey: Data(repeating: 1, count: 32), replacing: false)
        await #expect { try await HubSecrets.open(file, storage: service) } throws: { "\($0)".contains("belongs to another hub") }
        try Data("not json".utf8).write(to: URL(fileURLWithPath: file.path))
        await #expect { try await HubSecrets.open(file, storage: service) } throws: { "\($0)".contains("cannot be read as a hub key file") }
        // A rotation, then the old file put back: refused as older.
        let rotated = try await HubSecrets.rotate(file, storage: service)
        let inUse = try await service.pseudonymKeyInUse()
        #expect(rotated.version == 2 && inUse == rotated.publicKey)
        let reopened = try await HubSecrets.open(file, storage: service)
        #expect(reopened.key.publicKey == rotated.key.publicKey)
        try saved.write(to: URL(fileURLWithPath: file.path))
        await #expect { try await HubSecrets.open(file, storage: service) } throws: { "\($0)".contains("older than the version 2") }
    }
}
