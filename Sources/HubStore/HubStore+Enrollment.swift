import FieldModel
import Foundation
import SQLiteKit
import SyncCore
import SyncProtocol

extension HubStore {
    /// Letters of enrolment codes: Crockford's base 32 (no I, L, O, U), easy to read out and type.
    static let codeAlphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")

    /// Issues a one-time enrolment code for a role and scope, valid for `validFor` seconds.
    /// - Returns: the code to hand over, `XXXX-XXXX-XXXX` (60 random bits); the hub keeps only its hash.
    /// - Throws: `InputError` for a bad team, commune or province; `HubError.invalidRequest` for a volunteer without a commune.
    public func createEnrollmentCode(role: Role, scope: Scope, validFor: TimeInterval = 7 * 86_400,
                                     now: Date = Date()) throws -> String {
        let code = try Self.newEnrollmentCode(role: role, scope: scope, catalogue: catalogue)
        try write {
            try db.run("""
                INSERT INTO enrollment_codes (code_hash, role, team, commune, province, created_at, expires_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, [.text(Self.codeHash(code)), .text(role.rawValue), .text(scope.team), .text(scope.commune),
                      .text(scope.province ?? scope.commune.map { Self.province(of: $0) }),
                      .text(ISODate.format(now)), .text(ISODate.format(now.addingTimeInterval(validFor)))])
        }
        return code
    }

    /// A new code for a role and scope, `XXXX-XXXX-XXXX` (60 random bits), after checking the scope.
    /// - Throws: `InputError` for a bad team, commune or province; `HubError.invalidRequest` for a volunteer without a commune.
    package static func newEnrollmentCode(role: Role, scope: Scope, catalogue: CommuneCatalogue) throws -> String {
        if let team = scope.team { _ = try TeamCode.validate(team) }
        if let commune = scope.commune { _ = try catalogue.validate(commune) }
        if let province = scope.province, catalogue.validateProvince(province) == nil {
            throw HubError.invalidRequest("province \(province) is not in the 2025 catalogue (34 provinces, codes like 01, 79)")
        }
        if role == .volunteer && (scope.commune == nil || scope.team == nil) {
            throw HubError.invalidRequest("a volunteer's code needs --team and --commune")
        }
        var generator = SystemRandomNumberGenerator()
        let letters = (0..<12).map { _ in Self.codeAlphabet[Int.random(in: 0..<32, using: &generator)] }
        return String(letters[0..<4]) + "-" + String(letters[4..<8]) + "-" + String(letters[8..<12])
    }

    package static func codeHash(_ code: String) -> String {
        sha256Hex("enrol:" + code.uppercased().filter { $0 != "-" && $0 != " " })
    }

    /// Trades a one-time code for a device token (once); the hub keeps only the token's hash.
    /// - Throws: `HubError.invalidEnrollmentCode` for an unknown, used or expired code.
    public func enroll(_ request: EnrollRequest, now: Date = Date()) throws -> EnrollResponse {
        let (volunteer, token, device) = try Self.checkEnrollment(request, hubReplica: replicaID)
        return try write {
            guard let code = try db.query("""
                SELECT role, team, commune, province, expires_at FROM enrollment_codes
                WHERE code_hash = ? AND used_at IS NULL
                """, [.text(Self.codeHash(request.code))], row: { row in
                    (Role(rawValue: row.text(0) ?? ""), Scope(team: row.text(1), commune: row.text(2), province: row.text(3)),
                     row.text(4) ?? "")
                }).first,
                let role = code.0, code.2 > ISODate.format(now)
            else { throw HubError.invalidEnrollmentCode }
            try Self.checkSetUp(request, role: role, scope: code.1)
            try db.run("UPDATE enrollment_codes SET used_at = ?, device = ? WHERE code_hash = ?",
                       [.text(ISODate.format(now)), .text(device), .text(Self.codeHash(request.code))])
            try db.run("""
                INSERT INTO devices (id, token_hash, role, team, commune, province, volunteer, enrolled_at, bundle_key)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, [.text(device), .text(Self.sha256Hex(token)), .text(role.rawValue), .text(code.1.team),
                      .text(code.1.commune), .text(code.1.province), .text(volunteer), .text(ISODate.format(now)),
                      .text(request.bundleKeys ?? Self.sha256Hex("fieldsync-bundle:" + token))])
            if role == .volunteer, let previous = request.previousToken, previous.utf8.count <= 128 {
                // A laptop enrolled again keeps its replica ids (and so the visits it logged) under its new device.
                try db.run("""
                    UPDATE replicas SET device = ?1 WHERE device = (SELECT id FROM devices WHERE token_hash = ?2 AND role = 'volunteer' AND id <> ?1)
                    """, [.text(device), .text(Self.sha256Hex(previous))])
            }
            let scope = role == .volunteer ? Scope(team: code.1.team, commune: code.1.commune) : code.1
            // The HTTP layer adds the pseudonym key for volunteers (it is not the store's to know).
            return EnrollResponse(token: token, device: device, role: role, scope: scope, citizenIdKey: nil,
                                  hubReplica: replicaID, maxDriftMillis: maxDriftMillis)
        }
    }

    /// A laptop's first enrolment names the commune and team it was set up for: a volunteer's code of another
    /// commune or team is refused, and stays unused (the caller's transaction rolls back). `enroll --again` names
    /// none, for a laptop that really moves.
    package static func checkSetUp(_ request: EnrollRequest, role: Role, scope: Scope) throws {
        guard let expected = request.setUpFor, role == .volunteer else { return }
        guard expected.commune == scope.commune, expected.team == scope.team else {
            throw HubError.outOfScope("this code is for commune \(scope.commune ?? "-"), team \(scope.team ?? "-"), but this laptop was set up "
                                      + "for commune \(expected.commune ?? "-"), team \(expected.team ?? "-"): ask your coordinator for a code "
                                      + "of your commune and team; if the laptop really moves, run `fieldsync enroll --again` with this code "
                                      + "(it was not used)")
        }
    }

    /// Checks an enrolment request that needs no data, and draws the new device's token and id.
    package static func checkEnrollment(_ request: EnrollRequest, hubReplica: ReplicaID) throws
        -> (volunteer: String?, token: String, device: String) {
        guard request.code.utf8.count <= 64 else { throw HubError.invalidEnrollmentCode }
        if let replica = request.replica, replica.rawValue == 0 || replica == hubReplica {
            throw HubError.invalidRequest("replica id \(replica) is reserved (zero, or the hub's own): take a random one")
        }
        if let keys = request.bundleKeys, !EnrollRequest.isBundleKeys(keys) {
            throw HubError.invalidRequest("bundleKeys should be 64 lowercase hex digits, a dot, and 64 more")
        }
        let volunteer: String?
        do {
            volunteer = try request.volunteer.map { name throws(InputError) in
                try VietnameseText.clean(name, field: "volunteer name", limit: Visit.nameLimit)
            }
        } catch {
            throw HubError.invalidRequest(error.description)
        }
        var tokenBytes = [UInt8](repeating: 0, count: 32)
        var generator = SystemRandomNumberGenerator()
        for i in tokenBytes.indices { tokenBytes[i] = UInt8.random(in: 0...255, using: &generator) }
        let token = Data(tokenBytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        let device = "d-" + Self.randomHex(bytes: 6)
        return (volunteer, token, device)
    }

    /// The device a devices-table row describes (the same columns on SQLite and PostgreSQL).
    package static func device(id: String, role: String?, team: String?, commune: String?, province: String?, volunteer: String?,
                               enrolledAt: String?, revokedAt: String?, lastSyncAt: String?, lastUnsynced: Int?,
                               clientVersion: String? = nil, clientVersionAt: String? = nil) -> Device {
        Device(id: id, role: Role(rawValue: role ?? "") ?? .volunteer,
               scope: Scope(team: team, commune: commune, province: (role == Role.coordinator.rawValue && commune == nil) ? province : nil),
               volunteer: volunteer, enrolledAt: enrolledAt ?? "", revokedAt: revokedAt, lastSyncAt: lastSyncAt, lastUnsynced: lastUnsynced,
               clientVersion: clientVersion, clientVersionAt: clientVersionAt)
    }

    /// Why a request without a usable token is refused.
    package static let missingTokenMessage = "a device token is required (Authorization: Bearer …): enrol with `fieldsync enroll`"
    /// Why an unknown token is refused.
    package static let unknownTokenMessage = "this device token is not known to the hub: enrol again with a new code"
    /// Why a token is refused, when the device it names is revoked.
    package static let revokedMessage = "this device's token was revoked by a coordinator: ask for a new enrolment code and run "
        + "`fieldsync enroll --again --server … --code …`; visits not yet sent are kept and sent then"

    /// The device a bearer token belongs to.
    /// - Throws: `HubError.unauthorized` for an unknown or revoked token.
    public func authenticate(token: String) throws -> Device {
        guard !token.isEmpty, token.utf8.count <= 128 else {
            throw HubError.unauthorized(Self.missingTokenMessage)
        }
        guard let device = try read(snapshot: false, { try devices(where: "token_hash = ?", [.text(Self.sha256Hex(token))]).first })
        else {
            throw HubError.unauthorized(Self.unknownTokenMessage)
        }
        if device.revokedAt != nil {
            throw HubError.unauthorized(Self.revokedMessage)
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
            Self.device(id: row.text(0) ?? "", role: row.text(1), team: row.text(2), commune: row.text(3), province: row.text(4),
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
