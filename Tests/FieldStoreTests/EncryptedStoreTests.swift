import Crypto
import FieldModel
import FieldSyncTesting
import Foundation
import StoreCrypto
import SyncCore
import SyncProtocol
import Testing
@testable import FieldStore

/// The encrypted field store (issue 15, item 3): a copy of the file reveals no name, phone, note or CCCD.
@Suite struct EncryptedStoreTests {
    let dir = TemporaryDirectory()
    var path: String { dir.file("s.sqlite") }
    let secretWords = ["Trần Thị Mai Hương", "0912345678", "ghi chú bí mật", "001203098765"]

    func fileBytes() throws -> Data {
        try ["", "-wal", "-shm"].reduce(into: Data()) { data, suffix in
            if FileManager.default.fileExists(atPath: path + suffix) { data.append(try Data(contentsOf: URL(fileURLWithPath: path + suffix))) }
        }
    }

    func leaked() throws -> [String] {
        let bytes = try fileBytes()
        return secretWords.filter { bytes.range(of: Data($0.utf8)) != nil }
    }

    func logSecretVisit(_ store: FieldStore) throws -> String {
        try store.log(VisitDraft(service: .vneidLevel2, outcome: .done, citizenName: secretWords[0],
                                 citizenID: try CitizenID(validating: secretWords[3]), phone: try PhoneNumber(validating: secretWords[1]),
                                 note: secretWords[2])).visit.id
    }

    /// A household's head and phone (issue 31) are sealed like a visit's: written in clear before the passphrase,
    /// rewritten sealed by it, unreadable while locked, written sealed once unlocked.
    @Test func householdsAreSealedWithTheVisits() throws {
        let store = try FieldStore.create(at: path, volunteer: "Lan", team: "T-01", commune: "00004")
        let first = try store.addHousehold(HouseholdDraft(village: "Thôn Đông", houseNumber: "3", head: secretWords[0], phone: secretWords[1],
                                                          adults: "2", note: secretWords[2]))
        #expect(try !leaked().isEmpty, "in clear without a passphrase")
        try store.setPassphrase("mật khẩu dài")
        let found = try leaked()
        #expect(found.isEmpty, "\(found)")
        let again = try FieldStore.open(at: path)
        #expect(throws: StoreError.locked) { try again.households() }
        // Adding one reads the list first (a household already in it is refused): it needs the passphrase.
        #expect(throws: StoreError.locked) { try again.addHousehold(HouseholdDraft(village: "Thôn Đông", head: "Lê Văn Tám")) }
        try again.unlock(passphrase: "mật khẩu dài", until: nil)
        try again.addHousehold(HouseholdDraft(village: "Thôn Đông", houseNumber: "5", head: "Lê Văn Tám"))
        #expect((try fileBytes()).range(of: Data("Lê Văn Tám".utf8)) == nil, "written sealed")
        #expect(try again.household(named: "tran thi mai huong").id == first.id && again.households().count == 2)
        #expect(try again.pendingPush().states.count == 2, "the push reads them")
    }

    @Test func anExistingStoreIsEncryptedInPlaceAndItsCopyHoldsNothingPersonal() throws {
        let store = try FieldStore.create(at: path, volunteer: "Lan", team: "T-01", commune: "00004")
        let id = try logSecretVisit(store)
        let conflict = Conflict(record: id, fields: [Conflict.FieldDifference(field: "name", stored: Register(value: .text(secretWords[0]), stamp: Stamp(millis: 1, counter: 0, replica: store.profile.replicaID)), incoming: nil, winner: .stored)],
                                storedVersion: VersionVector(), incomingVersion: VersionVector(), detectedBy: store.profile.replicaID)
        try store.write { try store.logConflict(conflict, now: Date()) }
        let pending = try store.pendingPush()
        try store.acknowledge(pending, response: PushResponse(batch: pending.batch, rejected: [
            Rejection(id: id, code: "invalid_record", message: "the name \(secretWords[0]) was refused"),
        ]))
        #expect(try !leaked().isEmpty, "a store without a passphrase keeps them in clear")
        try store.setPassphrase("mật khẩu dài")
        let found = try leaked()
        #expect(found.isEmpty, "\(found) found in the store's files after encryption")
        #expect(try store.visits().first?.visit.citizenName == secretWords[0], "unlocked, it reads as before")
        #expect(try store.conflicts().map(\.id) == [conflict.id])
        #expect(try store.visits(VisitFilter(search: "huong")).count == 1 && store.visits(VisitFilter(search: "8765")).count == 1)

        // Opened again: locked. `log` writes sealed to the public key; reading needs the passphrase.
        let again = try FieldStore.open(at: path)
        #expect(again.lockState == .locked)
        #expect(throws: StoreError.locked) { try again.visits() }
        #expect(throws: StoreError.locked) { try again.conflicts() }
        #expect(try again.flaggedVisits().map(\.message) == ["(locked: `fieldsync unlock` shows why)"])
        let second = try again.log(VisitDraft(service: .bankAccount, outcome: .done, citizenName: "Lê Văn Tám")).visit.id
        #expect(try leaked().isEmpty && (try fileBytes()).range(of: Data("Lê Văn Tám".utf8)) == nil)
        #expect(throws: StoreCryptoError.wrongPassphrase) { try again.unlock(passphrase: "not the one", until: nil) }
        #expect(again.lockState == .locked, "a wrong passphrase changes nothing")
        try again.unlock(passphrase: "mật khẩu dài", until: nil)
        #expect(try Set(again.visits().map(\.visit.id)) == [id, second])
        #expect(try again.flaggedVisits().first?.message.contains(secretWords[0]) == true)
        #expect(try again.visit(exactly: id)?.rawCitizenID == secretWords[3], "the raw CCCD is still there, sealed")
        #expect(try again.citizenIDsNeedingPseudonyms(version: nil, limit: 10).map(\.record) == [id])
        try again.savePseudonyms([(PseudonymWork(record: id, digits: secretWords[3]), String(repeating: "ab", count: 48))],
                                 key: PseudonymKey(version: 1, publicKey: String(repeating: "02", count: 49)))
        #expect(try again.visit(exactly: id)?.visit.citizenID?.keyedHash?.hasPrefix("p1.") == true)
        #expect(try again.pendingPush().states.count == 2, "the push reads sealed rows")
        #expect(try leaked().isEmpty)

        // Changing the passphrase keeps the key: the rows need no rewrite.
        try again.setPassphrase("một câu khác dài hơn")
        let third = try FieldStore.open(at: path)
        #expect(throws: StoreCryptoError.wrongPassphrase) { try third.unlock(passphrase: "mật khẩu dài", until: nil) }
        try third.unlock(passphrase: "một câu khác dài hơn", until: nil)
        #expect(try third.visits().count == 2)
        #expect(throws: StoreError.passphraseTooShort) { try third.setPassphrase("short") }
    }

    @Test func aRowCannotBeMovedOrAltered() throws {
        let store = try FieldStore.create(at: path, volunteer: "Lan", team: "T-01", commune: "00004")
        try store.setPassphrase("mật khẩu dài")
        let a = try logSecretVisit(store)
        let b = try store.log(VisitDraft(service: .bankAccount, outcome: .done, citizenName: "Lê Văn Tám")).visit.id
        try store.db.run("UPDATE visits SET sealed = (SELECT sealed FROM visits WHERE id = ?) WHERE id = ?", [.text(a), .text(b)])
        #expect { try store.visit(exactly: b) } throws: { "\($0)".contains("does not open") }
        #expect(try store.visit(exactly: a)?.visit.citizenName == secretWords[0])
    }

    @Test func theHubsOperatorCanRecoverAStoreWhoseVolunteerLeft() throws {
        let hubKey = Curve25519.KeyAgreement.PrivateKey()
        let store = try FieldStore.create(at: path, volunteer: "Lan", team: "T-01", commune: "00004")
        try store.setPassphrase("mật khẩu dài")
        var response = EnrollResponse(token: "t", device: "d-1", role: .volunteer, scope: Scope(team: "T-01", commune: "00004"),
                                      citizenIdKey: nil, hubReplica: ReplicaID.random(), maxDriftMillis: 1_000)
        response.recoveryKey = Hex.encode(hubKey.publicKey.rawRepresentation)
        try store.saveEnrollment(server: "http://127.0.0.1:1", response: response, insecureHTTP: true)
        _ = try logSecretVisit(store)

        let locked = try FieldStore.open(at: path)
        let request = try locked.recoveryRequest()
        #expect(request.volunteer == "Lan")
        // The operator's side (fieldsync-server recover-store).
        let secret = try KeyWraps.unwrapRecovery(try #require(Data(base64Encoded: request.wrapped)), hubPrivateKey: hubKey.rawRepresentation,
                                                 store: request.store)
        let answerKey = Data(try #require(Hex.bytes(request.answerKey)))
        let answer = try KeyWraps.wrapForRecovery(secret, hubKey: answerKey, store: request.store).base64EncodedString()
        #expect(throws: StoreCryptoError.self) {
            try KeyWraps.unwrapRecovery(try #require(Data(base64Encoded: request.wrapped)),
                                        hubPrivateKey: Curve25519.KeyAgreement.PrivateKey().rawRepresentation, store: request.store)
        }
        try locked.recover(answer: answer, newPassphrase: "mật khẩu mới dài")
        let reopened = try FieldStore.open(at: path)
        try reopened.unlock(passphrase: "mật khẩu mới dài", until: nil)
        #expect(try reopened.visits().first?.visit.citizenName == secretWords[0])
        #expect(throws: StoreError.noRecovery) { try reopened.recover(answer: answer, newPassphrase: "mật khẩu mới dài") }
    }

    /// A stolen, locked laptop gives no token away: the device token is sealed under the store's key, its bytes are
    /// in none of the store's files, and the copied files alone cannot sync (they are locked).
    @Test func theDeviceTokenIsSealedAndACopyOfALockedStoreCannotSync() throws {
        let token = "tok-" + String(repeating: "Zq9", count: 14)
        let response = EnrollResponse(token: token, device: "d-000000000001", role: .volunteer, scope: Scope(team: "T-01", commune: "00004"),
                                      citizenIdKey: nil, hubReplica: ReplicaID(rawValue: 99), maxDriftMillis: 86_400_000)
        do {
            let store = try FieldStore.create(at: path, volunteer: "Lan", team: "T-01", commune: "00004")
            try store.saveEnrollment(server: "https://hub.example.vn", response: response)
            #expect(try fileBytes().range(of: Data(token.utf8)) != nil, "an unencrypted store keeps it in clear, as before")
            try store.setPassphrase("mật khẩu dài")
            #expect(try store.enrollment()?.token == token, "unlocked, the store reads its token")
            try store.finishSync()
        }
        #expect(try fileBytes().range(of: Data(token.utf8)) == nil, "the token's bytes are in none of the files")
        let copy = dir.file("stolen.sqlite")
        try FileManager.default.copyItem(atPath: path, toPath: copy)
        let stolen = try FieldStore.open(at: copy)
        #expect(stolen.lockState == .locked)
        #expect(throws: StoreError.locked) { try stolen.enrollment() }
        // A store encrypted before it enrolled seals the token as it saves it.
        let other = dir.file("other.sqlite")
        let second = try FieldStore.create(at: other, volunteer: "Minh", team: "T-01", commune: "00004")
        try second.setPassphrase("mật khẩu khác")
        try second.saveEnrollment(server: "https://hub.example.vn", response: response)
        try second.finishSync()
        let bytes = try ["", "-wal"].reduce(into: Data()) { data, suffix in
            if FileManager.default.fileExists(atPath: other + suffix) { data.append(try Data(contentsOf: URL(fileURLWithPath: other + suffix))) }
        }
        #expect(bytes.range(of: Data(token.utf8)) == nil)
        #expect(try second.enrollment()?.token == token)
    }
}
