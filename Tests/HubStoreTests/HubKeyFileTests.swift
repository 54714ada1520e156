import FieldSyncTesting
import Foundation
import SyncProtocol
import Testing
@testable import HubStore

/// The hub's citizen-ID key lives in a key file (0600), never in the database: a copy of the
/// database alone holds no key (issue 15, item 2).
@Suite struct HubKeyFileTests {
    let dir = TemporaryDirectory()
    var path: String { dir.file("hub.sqlite") }

    /// Every byte of the store's files.
    func storeBytes() throws -> Data {
        try ["", "-wal", "-shm"].reduce(into: Data()) { data, suffix in
            if FileManager.default.fileExists(atPath: path + suffix) { data.append(try Data(contentsOf: URL(fileURLWithPath: path + suffix))) }
        }
    }

    func enrol(_ hub: HubStore) throws -> EnrollResponse {
        let code = try hub.createEnrollmentCode(role: .volunteer, scope: Scope(team: "T-01", commune: "00004"))
        return try hub.enroll(EnrollRequest(code: code, replica: nil, volunteer: "Lan"))
    }

    @Test func aNewHubKeepsItsKeyOutOfItsDatabase() throws {
        let key: String
        do {
            let hub = try HubStore(path: path)
            key = hub.citizenKey
            #expect(try enrol(hub).citizenIdKey == key)
        }
        #expect(try HubKeyFile.beside(path).citizenKey() == key)
        let mode = try FileManager.default.attributesOfItem(atPath: path + ".keys")[.posixPermissions] as? Int
        #expect(mode == 0o600)
        let bytes = try storeBytes()
        #expect(!bytes.isEmpty && bytes.range(of: Data(key.utf8)) == nil, "the key is nowhere in the database's bytes")
        #expect(try HubStore(path: path, readOnly: true).citizenKey == key)
    }

    @Test func aHubMadeBeforeKeyFilesMovesItsKeyOutAndForgetsIt() throws {
        let old = HubStore.randomHex(bytes: 32)
        do {
            let hub = try HubStore(path: path)
            _ = try enrol(hub)
            try hub.db.run("UPDATE hub SET citizen_key = ?", [.text(old)])
        }
        try FileManager.default.removeItem(atPath: path + ".keys")
        #expect(try storeBytes().range(of: Data(old.utf8)) != nil, "the old store holds its key")
        do {
            let hub = try HubStore(path: path)
            let given = try enrol(hub).citizenIdKey
            #expect(hub.citizenKey == old && given == old, "laptops keep getting the same key")
        }
        #expect(try HubKeyFile.beside(path).citizenKey() == old)
        #expect(try storeBytes().range(of: Data(old.utf8)) == nil, "overwritten, not only unlinked from the row")
    }

    @Test func aMissingOrForeignKeyFileIsRefusedWithAClearMessage() throws {
        do { _ = try enrol(try HubStore(path: path)) }
        let file = path + ".keys"
        let saved = try Data(contentsOf: URL(fileURLWithPath: file))
        try FileManager.default.removeItem(atPath: file)
        #expect { try HubStore(path: path) } throws: { error in
            "\(error)".contains("is missing") && "\(error)".contains("restore the key file")
        }
        // An old store still holding a key, beside another hub's key file.
        try saved.write(to: URL(fileURLWithPath: file))
        do { try HubStore(path: path).db.run("UPDATE hub SET citizen_key = ?", [.text(HubStore.randomHex(bytes: 32))]) }
        #expect { try HubStore(path: path) } throws: { "\($0)".contains("belongs to another hub") }
        try Data("not json".utf8).write(to: URL(fileURLWithPath: file))
        #expect { try HubStore(path: path) } throws: { "\($0)".contains("cannot be read as a hub key file") }
    }
}
