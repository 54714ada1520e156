import HubCore
import FieldModel
import Foundation
import SQLiteKit
import SyncCore
import SyncProtocol

extension HubStore {

    /// Issues a one-time enrolment code for a role and scope, valid for `validFor` seconds.
    /// - Returns: the code to hand over, `XXXX-XXXX-XXXX` (60 random bits); the hub keeps only its hash.
    /// - Throws: `InputError` for a bad team, commune or province; `HubError.invalidRequest` for a volunteer without a commune.
    public func createEnrollmentCode(role: Role, scope: Scope, validFor: TimeInterval = 7 * 86_400,
                                     now: Date = Date()) throws -> String {
        let code = try Hub.newEnrollmentCode(role: role, scope: scope, catalogue: catalogue)
        try write {
            try db.run("""
                INSERT INTO enrollment_codes (code_hash, role, team, commune, province, created_at, expires_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, [.text(Hub.codeHash(code)), .text(role.rawValue), .text(scope.team), .text(scope.commune),
                      .text(scope.province ?? scope.commune.map { Hub.province(of: $0) }),
                      .text(ISODate.format(now)), .text(ISODate.format(now.addingTimeInterval(validFor)))])
        }
        return code
    }



    /// Trades a one-time code for a device token (once); the hub keeps only the token's hash.
    /// - Throws: `HubError.invalidEnrollmentCode` for an unknown, used or expired code.
    public func enroll(_ request: EnrollRequest, now: Date = Date()) throws -> EnrollResponse {
        let (volunteer, token, device) = try Hub.checkEnrollment(request, hubReplica: replicaID)
        return try write {
            guard let code = try db.query("""
                SELECT role, team, commune, province, expires_at FROM enrollment_codes
                WHERE code_hash = ? AND used_at IS NULL
                """, [.text(Hub.codeHash(request.code))], row: { row in
                    (Role(rawValue: row.text(0) ?? ""), Scope(team: row.text(1), commune: row.text(2), province: row.text(3)),
                     row.text(4) ?? "")
                }).first,
                let role = code.0, code.2 > ISODate.format(now)
            else { throw HubError.invalidEnrollmentCode }
            try Hub.checkSetUp(request, role: role, scope: code.1)
            try db.run("UPDATE enrollment_codes SET used_at = ?, device = ? WHERE code_hash = ?",
                       [.text(ISODate.format(now)), .text(device), .text(Hub.codeHash(request.code))])
            try db.run("""
                INSERT INTO devices (id, token_hash, role, team, commune, province, volunteer, enrolled_at, bundle_key)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, [.text(device), .text(Hub.sha256Hex(token)), .text(role.rawValue), .text(code.1.team),
                      .text(code.1.commune), .text(code.1.province), .text(volunteer), .text(ISODate.format(now)),
                      .text(request.bundleKeys ?? Hub.sha256Hex("fieldsync-bundle:" + token))])
            if role == .volunteer, let previous = request.previousToken, previous.utf8.count <= 128 {
                // A laptop enrolled again keeps its replica ids (and so the visits it logged) under its new device.
                try db.run("""
                    UPDATE replicas SET device = ?1 WHERE device = (SELECT id FROM devices WHERE token_hash = ?2 AND role = 'volunteer' AND id <> ?1)
                    """, [.text(device), .text(Hub.sha256Hex(previous))])
            }
            let scope = role == .volunteer ? Scope(team: code.1.team, commune: code.1.commune) : code.1
            // The HTTP layer adds the pseudonym key for volunteers (it is not the store's to know).
            return EnrollResponse(token: token, device: device, role: role, scope: scope, citizenIdKey: nil,
                                  hubReplica: replicaID, maxDriftMillis: maxDriftMillis)
        }
    }





    /// The device a bearer token belongs to.
    /// - Throws: `HubError.unauthorized` for an unknown or revoked token.
    public func authenticate(token: String) throws -> Device {
        guard !token.isEmpty, token.utf8.count <= 128 else {
            throw HubError.unauthorized(Hub.missingTokenMessage)
        }
        guard let device = try read(snapshot: false, { try devices(where: "token_hash = ?", [.text(Hub.sha256Hex(token))]).first })
        else {
            throw HubError.unauthorized(Hub.unknownTokenMessage)
        }
        if device.revokedAt != nil {
            throw HubError.unauthorized(Hub.revokedMessage)
        }
        return device
    }

    /// Every enrolled device, in enrolment order.
    public func devices() throws -> [Device] {
        try read { try devices(where: "1", []) }
    }

    /// Revokes a device's token: every later request with it is refused.
    /// - Throws: `HubError.notFound` when no device has that id.
    public func revoke(device: String, now: Date = Date()) throws {
        try write {
            try db.run("UPDATE devices SET revoked_at = coalesce(revoked_at, ?) WHERE id = ?", [.text(ISODate.format(now)), .text(device)])
            guard db.changes == 1 else { throw HubError.notFound("no device \(device): `fieldsync-server devices list` shows them") }
        }
    }

    /// Gives a device a console sign-in (login in lower case, unique).
    public func setConsoleLogin(device: String, login: String, passphraseHash: String) throws {
        try write {
            let login = login.lowercased()
            if try db.scalarText("SELECT id FROM devices WHERE login = ? AND id <> ?", [.text(login), .text(device)]) != nil {
                throw HubError.invalidRequest(ConsoleLogin.takenMessage)
            }
            try db.run("UPDATE devices SET login = ?, passphrase_hash = ? WHERE id = ?", [.text(login), .text(passphraseHash), .text(device)])
            guard db.changes == 1 else { throw HubError.notFound("no device \(device)") }
        }
    }

    /// The device that signs in with a login, and its passphrase hash.
    public func consoleLogin(_ login: String) throws -> ConsoleLogin? {
        try read(snapshot: false) {
            let login = login.lowercased()
            guard let hash = try db.scalarText("SELECT passphrase_hash FROM devices WHERE login = ?", [.text(login)]),
                  let device = try devices(where: "login = ?", [.text(login)]).first
            else { return nil }
            return ConsoleLogin(login: login, device: device, passphraseHash: hash)
        }
    }

    /// A device's bundle keys (public halves, §9); before this release, a hash no bundle can be checked against.
    public func bundleKey(device: String) throws -> String? {
        try db.scalarText("SELECT bundle_key FROM devices WHERE id = ?", [.text(device)])
    }

    func devices(where condition: String, _ values: [SQLValue]) throws -> [Device] {
        try db.query("""
            SELECT id, role, team, commune, province, volunteer, enrolled_at, revoked_at, last_sync_at, last_unsynced,
                client_version, client_version_at
            FROM devices WHERE \(condition) ORDER BY enrolled_at, id
            """, values) { row in
            Hub.device(id: row.text(0) ?? "", role: row.text(1), team: row.text(2), commune: row.text(3), province: row.text(4),
                        volunteer: row.text(5), enrolledAt: row.text(6), revokedAt: row.text(7), lastSyncAt: row.text(8),
                        lastUnsynced: row.isNull(9) ? nil : row.int(9), clientVersion: row.text(10), clientVersionAt: row.text(11))
        }
    }

    /// Notes the FieldSync version a device's requests name, and since when, when it changed (§8.2).
    public func noteClientVersion(device: String, version: String, now: Date = Date()) throws {
        try write {
            try db.run("UPDATE devices SET client_version = ?, client_version_at = ? WHERE id = ? AND client_version IS NOT ?",
                       [.text(version), .text(ISODate.format(now)), .text(device), .text(version)])
        }
    }
}

extension HubStore {
    /// When the batch `batch` of `device` was received, if it was.
    public func batchReceived(device: String, batch: String) throws -> String? {
        try db.scalarText("SELECT min(received_at) FROM batches WHERE device = ? AND batch = ?", [.text(device), .text(batch)])
    }
}
