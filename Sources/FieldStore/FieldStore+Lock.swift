import TextSafety
import FieldModel
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SQLiteKit
import StoreCrypto
import SyncCore

/// What a store's lock is like, for `status` and the commands that read.
public enum LockState: String, Sendable, Codable {
    /// No passphrase: personal fields in clear (a store made before issue 15, until `fieldsync passphrase`).
    case none
    /// Encrypted and locked: `log` writes, nothing personal can be read.
    case locked
    /// Encrypted and unlocked (by a passphrase typed today, kept in RAM until its deadline).
    case unlocked
}

extension FieldStore {
    /// Whether the store is encrypted, and unlocked.
    public var lockState: LockState {
        guard let sealer else { return .none }
        return sealer.isUnlocked ? .unlocked : .locked
    }

    /// Reads the lock at open: an encrypted store starts locked, or unlocked when this user unlocked it
    /// earlier today (the secret kept on a RAM file system, `UnlockCache`).
    func loadLock() throws {
        guard let publicHex = try setting(SettingKey.lockPublic), let bytes = Hex.bytes(publicHex) else { return }
        let publicKey = Data(bytes)
        sealer = .locked(publicKey: publicKey)
        if let id = try setting(SettingKey.lockID), let secret = UnlockCache.forCurrentUser()?.load(store: id), secret.publicKey == publicKey {
            sealer = .unlocked(secret)
        }
    }

    /// Reads a row selected with `VisitRow.columns`.
    func decodeVisit(_ row: Statement) throws -> StoredVisit {
        try VisitRow.decode(row, sealer: sealer)
    }

    /// Unlocks with the passphrase, and keeps the key in RAM until `until` (nil: this process only).
    /// - Throws: `StoreCryptoError.wrongPassphrase`; `StoreError.notEncrypted` for a store without one.
    public func unlock(passphrase: String, until: Date?) throws {
        guard let sealer else { throw StoreError.notEncrypted }
        guard case .locked(let publicKey) = sealer else { return }
        guard let wrapped = try setting(SettingKey.lockPassphrase).flatMap({ Data(base64Encoded: $0) }) else {
            throw StoreError.damaged(path: path, detail: "its passphrase lock is missing")
        }
        let secret = try KeyWraps.unwrap(wrapped, passphrase: passphrase)
        guard secret.publicKey == publicKey else { throw StoreError.damaged(path: path, detail: "its passphrase lock belongs to another store") }
        try opened(secret, until: until)
    }

    /// Uses an unlocked secret: keeps it until `until`, writes the recovery wrap if the hub's key is known.
    func opened(_ secret: StoreSecret, until: Date?) throws {
        sealer = .unlocked(secret)
        if let until, let id = try read({ try setting(SettingKey.lockID) }) {
            try UnlockCache.forCurrentUser()?.save(secret, store: id, until: until)
        }
        try write { try wrapForRecovery(secret) }
    }

    /// Forgets the unlocked key (this process and the RAM cache): `log` still writes.
    public func lock() throws {
        if let id = try read({ try setting(SettingKey.lockID) }) { UnlockCache.forCurrentUser()?.clear(store: id) }
        if case .unlocked(let secret)? = sealer { sealer = .locked(publicKey: secret.publicKey) }
    }

    /// Sets the passphrase. A store without one is encrypted in place, in one transaction, and the
    /// clear bytes are then overwritten (secure delete, WAL truncated, VACUUM). An encrypted store must
    /// be unlocked; its key stays, only its wrap changes.
    public func setPassphrase(_ passphrase: String) throws {
        guard passphrase.count >= 8 else { throw StoreError.passphraseTooShort }
        switch sealer {
        case .locked?: throw StoreError.locked
        case .unlocked(let secret)?:
            let wrapped = try KeyWraps.wrap(secret, passphrase: passphrase)
            try write { try setSetting(SettingKey.lockPassphrase, wrapped.base64EncodedString()) }
        case nil:
            let secret = StoreSecret()
            let wrapped = try KeyWraps.wrap(secret, passphrase: passphrase)
            try write {
                try setSetting(SettingKey.lockID, UUID().uuidString.lowercased())
                try setSetting(SettingKey.lockPublic, Hex.encode(secret.publicKey))
                try setSetting(SettingKey.lockPassphrase, wrapped.base64EncodedString())
                sealer = .unlocked(secret)
                try sealEverything()
                try wrapForRecovery(secret)
            }
            try read { try db.execute("PRAGMA wal_checkpoint(TRUNCATE); VACUUM; PRAGMA wal_checkpoint(TRUNCATE)") }
        }
    }

    /// Rewrites every visit, conflict entry and refusal message sealed (inside the caller's transaction).
    func sealEverything() throws {
        let visits = try db.query("SELECT \(VisitRow.columns), own_seq FROM visits") { row in
            (try VisitRow.decode(row, sealer: nil), row.int64("own_seq"))
        }
        for (stored, ownSeq) in visits {
            try db.run(VisitRow.mergeSQL, try VisitRow.values(stored.visit, raw: stored.rawCitizenID, state: stored.state,
                                                              localWrite: ownSeq, sealer: sealer))
        }
        let records = try db.query("SELECT kind, state, id, own_seq FROM kind_records") { row in (try openRecord(row), row.int64(3)) }
        for (state, ownSeq) in records { try saveRecord(state, kind: nil, ownSeq: ownSeq) }
        let conflicts = try db.query("SELECT id, body FROM conflicts") { ($0.text(0) ?? "", $0.text(1) ?? "") }
        for (id, body) in conflicts where !body.hasPrefix(Self.sealedPrefix) {
            try db.run("UPDATE conflicts SET body = ? WHERE id = ?", [.text(try sealText(body, row: id)), .text(id)])
        }
        if let token = try setting(SettingKey.token), !token.hasPrefix(Self.sealedPrefix) {
            try setSetting(SettingKey.token, try sealText(token, row: Self.tokenRow))
        }
        let rejections = try db.query("SELECT record, message FROM rejections") { ($0.text(0) ?? "", $0.text(1) ?? "") }
        for (record, message) in rejections where !message.hasPrefix(Self.sealedPrefix) {
            try db.run("UPDATE rejections SET message = ? WHERE record = ?", [.text(try sealText(message, row: record)), .text(record)])
        }
    }

    static let sealedPrefix = "sealed:"

    /// A conflict entry's or a refusal's text as stored: sealed in an encrypted store.
    func sealText(_ text: String, row: String) throws -> String {
        guard let sealer else { return text }
        return Self.sealedPrefix + (try sealer.seal(Data(text.utf8), row: row)).base64EncodedString()
    }

    /// A conflict entry's or a refusal's text back.
    func openText(_ stored: String, row: String) throws -> String {
        guard stored.hasPrefix(Self.sealedPrefix) else { return stored }
        guard let sealer, let data = Data(base64Encoded: String(stored.dropFirst(Self.sealedPrefix.count))) else {
            throw StoreError.damaged(path: path, detail: "conflict entry \(row) is sealed without a key")
        }
        do { return String(decoding: try sealer.open(data, row: row), as: UTF8.self) } catch StoreCryptoError.locked {
            throw StoreError.locked
        }
    }

    /// Keeps the store's key wrapped to the hub's recovery key too, once that key is known (enrolment).
    func wrapForRecovery(_ secret: StoreSecret) throws {
        guard let hubKey = try setting(SettingKey.hubRecoveryKey).flatMap({ Hex.bytes($0).map { Data($0) } }), let id = try setting(SettingKey.lockID),
              try setting(SettingKey.lockRecovery) == nil
        else { return }
        try setSetting(SettingKey.lockRecovery, try KeyWraps.wrapForRecovery(secret, hubKey: hubKey, store: id).base64EncodedString())
    }

    /// What the hub's operator needs to recover this store's key: the recovery wrap and a one-time key
    /// the answer is sealed to (kept here until the answer is applied).
    public func recoveryRequest() throws -> RecoveryRequest {
        try write {
            guard let id = try setting(SettingKey.lockID), let wrapped = try setting(SettingKey.lockRecovery) else {
                throw StoreError.noRecovery
            }
            let answerKey = StoreSecret()
            try setSetting(SettingKey.lockRecoveryAnswerKey, answerKey.rawRepresentation.base64EncodedString())
            return RecoveryRequest(store: id, volunteer: profile.volunteer, wrapped: wrapped, answerKey: Hex.encode(answerKey.publicKey))
        }
    }

    /// Applies the operator's answer: unlocks with the recovered key and sets a new passphrase.
    public func recover(answer: String, newPassphrase: String) throws {
        guard newPassphrase.count >= 8 else { throw StoreError.passphraseTooShort }
        let secret: StoreSecret = try read {
            guard let id = try setting(SettingKey.lockID),
                  let raw = try setting(SettingKey.lockRecoveryAnswerKey).flatMap({ Data(base64Encoded: $0) }),
                  let sealed = Data(base64Encoded: answer.trimmingWhitespace)
            else { throw StoreError.noRecovery }
            let answerKey = try StoreSecret(rawRepresentation: raw)
            return try KeyWraps.unwrapRecovery(sealed, hubPrivateKey: answerKey.rawRepresentation.suffix(32), store: id)
        }
        guard case .locked(let publicKey)? = sealer, secret.publicKey == publicKey else {
            throw StoreError.damaged(path: path, detail: "the recovery answer is for another store")
        }
        sealer = .unlocked(secret)
        try setPassphrase(newPassphrase)
        try write { try setSetting(SettingKey.lockRecoveryAnswerKey, nil) }
    }
}
