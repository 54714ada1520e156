import FieldModel
import Foundation
import SyncProtocol

extension HubEngine {
    /// Every enrolled device, in enrolment order.
    public func devices() async throws -> [Device] {
        try await snapshot { try await devices(in: $0) }
    }

    /// Issues a one-time enrolment code for a role and scope, valid for `validFor` seconds.
    /// - Returns: the code to hand over, `XXXX-XXXX-XXXX` (60 random bits); the hub keeps only its hash.
    /// - Throws: `InputError` for a bad team, commune or province; `HubError.invalidRequest` for a volunteer without a commune.
    public func createEnrollmentCode(role: Role, scope: Scope, validFor: TimeInterval) async throws -> String {
        let code = try Hub.newEnrollmentCode(role: role, scope: scope, catalogue: catalogue)
        let now = clock.now()
        try await transaction { session in
            try await session.execute("""
                INSERT INTO enrollment_codes (code_hash, role, team, commune, province, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                """, [.text(Hub.codeHash(code)), .text(role.rawValue), .text(scope.team), .text(scope.commune),
                      .text(scope.province ?? scope.commune.map { Hub.province(of: $0) }), .text(ISODate.format(now)),
                      .text(ISODate.format(now.addingTimeInterval(validFor)))])
        }
        return code
    }

    /// Trades a one-time code for a device token; the hub keeps only the token's hash. The code is taken by one
    /// conditional UPDATE: of several hub processes asked with the same code at once, exactly one enrols a device.
    /// - Throws: `HubError.invalidEnrollmentCode` for an unknown, used or expired code.
    public func enroll(_ request: EnrollRequest) async throws -> EnrollResponse {
        let (volunteer, token, device) = try Hub.checkEnrollment(request, hubReplica: hubReplica)
        let now = ISODate.format(clock.now())
        return try await transaction { session in
            guard let taken = try await session.query("""
                UPDATE enrollment_codes SET used_at = ?, device = ? WHERE code_hash = ? AND used_at IS NULL AND expires_at > ?
                RETURNING role, team, commune, province
                """, [.text(now), .text(device), .text(Hub.codeHash(request.code)), .text(now)]).first,
                  let role = Role(rawValue: try taken.text("role") ?? "")
            else { throw HubError.invalidEnrollmentCode }
            let codeScope = Scope(team: try taken.text("team"), commune: try taken.text("commune"), province: try taken.text("province"))
            // Thrown inside the transaction: the code's use rolls back.
            try Hub.checkSetUp(request, role: role, scope: codeScope)
            try await session.execute("""
                INSERT INTO devices (id, token_hash, role, team, commune, province, volunteer, enrolled_at, bundle_key)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, [.text(device), .text(Hub.sha256Hex(token)), .text(role.rawValue), .text(codeScope.team), .text(codeScope.commune),
                      .text(codeScope.province), .text(volunteer), .text(now),
                      .text(request.bundleKeys ?? Hub.sha256Hex("fieldsync-bundle:" + token))])
            if role == .volunteer, let previous = request.previousToken, previous.utf8.count <= 128 {
                // A laptop enrolled again keeps its replica ids (and so the visits it logged) under its new device.
                try await session.execute("""
                    UPDATE replicas SET device = ? WHERE device = (SELECT id FROM devices WHERE token_hash = ? AND role = 'volunteer' AND id <> ?)
                    """, [.text(device), .text(Hub.sha256Hex(previous)), .text(device)])
            }
            let scope = role == .volunteer ? Scope(team: codeScope.team, commune: codeScope.commune) : codeScope
            // The HTTP layer adds the pseudonym key for volunteers (it is not the store's to know).
            return EnrollResponse(token: token, device: device, role: role, scope: scope, citizenIdKey: nil,
                                  hubReplica: hubReplica, maxDriftMillis: maxDriftMillis)
        }
    }

    /// The device a bearer token belongs to (a check per request: no transaction, a connection of its own).
    /// - Throws: `HubError.unauthorized` for an unknown or revoked token.
    public func authenticate(token: String) async throws -> Device {
        guard !token.isEmpty, token.utf8.count <= 128 else { throw HubError.unauthorized(Hub.missingTokenMessage) }
        guard let device = try await quickRead({ try await devices(where: "token_hash = ?", [.text(Hub.sha256Hex(token))], in: $0) }).first
        else { throw HubError.unauthorized(Hub.unknownTokenMessage) }
        if device.revokedAt != nil { throw HubError.unauthorized(Hub.revokedMessage) }
        return device
    }

    /// Revokes a device's token: every later request with it is refused.
    /// - Throws: `HubError.notFound` when no device has that id.
    public func revoke(device: String) async throws {
        let now = ISODate.format(clock.now())
        try await transaction { session in
            guard try await !session.query("UPDATE devices SET revoked_at = coalesce(revoked_at, ?) WHERE id = ? RETURNING id",
                                           [.text(now), .text(device)]).isEmpty
            else { throw HubError.notFound("no device \(device): `fieldsync-server devices list` shows them") }
        }
    }

    /// Notes the FieldSync version a device's requests name, and since when, when it changed (§8.2).
    public func noteClientVersion(device: String, version: String) async throws {
        let now = ISODate.format(clock.now())
        try await transaction { session in
            try await session.execute("""
                UPDATE devices SET client_version = ?, client_version_at = ? WHERE id = ? AND (client_version IS NULL OR client_version <> ?)
                """, [.text(version), .text(now), .text(device), .text(version)])
        }
    }

    /// Gives a coordinator's device a console sign-in: a unique login (lower case) and a slow hash of its passphrase.
    /// - Throws: `HubError.invalidRequest` when another device has that login, `.notFound` for an unknown device.
    public func setConsoleLogin(device: String, login: String, passphraseHash: String) async throws {
        let login = login.lowercased()
        try await transaction { session in
            guard try await session.query("SELECT id FROM devices WHERE login = ? AND id <> ?" + session.dialect.forUpdate,
                                          [.text(login), .text(device)]).isEmpty
            else { throw HubError.invalidRequest(ConsoleLogin.takenMessage) }
            guard try await !session.query("UPDATE devices SET login = ?, passphrase_hash = ? WHERE id = ? RETURNING id",
                                           [.text(login), .text(passphraseHash), .text(device)]).isEmpty
            else { throw HubError.notFound("no device \(device)") }
        }
    }

    /// The device that signs in to the console with a login, and its passphrase hash; nil for an unknown login.
    public func consoleLogin(_ login: String) async throws -> ConsoleLogin? {
        let login = login.lowercased()
        return try await quickRead { session in
            guard let hash = try await session.query("SELECT passphrase_hash FROM devices WHERE login = ?", [.text(login)]).first?
                    .text("passphrase_hash"),
                  let device = try await devices(where: "login = ?", [.text(login)], in: session).first
            else { return nil }
            return ConsoleLogin(login: login, device: device, passphraseHash: hash)
        }
    }

    /// A device's bundle keys as it gave them at enrolment (public halves, §9); nil for an unknown device.
    public func bundleKey(device: String) async throws -> String? {
        try await quickRead { try await $0.query("SELECT bundle_key FROM devices WHERE id = ?", [.text(device)]).first?.text("bundle_key") }
    }

    /// When the batch `batch` of `device` was received, if it was (an offline bundle imported again, §9).
    public func batchReceived(device: String, batch: String) async throws -> String? {
        try await quickRead {
            try await $0.query("SELECT min(received_at) AS at FROM batches WHERE device = ? AND batch = ?", [.text(device), .text(batch)])
                .first?.text("at")
        }
    }

    /// The devices a condition on the devices table selects (with `?` placeholders), in enrolment order.
    func devices(where condition: String = "1 = 1", _ values: [HubValue] = [], in session: Session) async throws -> [Device] {
        try await session.query("""
            SELECT id, role, team, commune, province, volunteer, enrolled_at, revoked_at, last_sync_at, last_unsynced,
                client_version, client_version_at
            FROM devices WHERE \(condition) ORDER BY enrolled_at, id
            """, values).map { row in
            Hub.device(id: try row.text("id") ?? "", role: try row.text("role"), team: try row.text("team"), commune: try row.text("commune"),
                       province: try row.text("province"), volunteer: try row.text("volunteer"), enrolledAt: try row.text("enrolled_at"),
                       revokedAt: try row.text("revoked_at"), lastSyncAt: try row.text("last_sync_at"),
                       lastUnsynced: try row.isNull("last_unsynced") ? nil : try row.int("last_unsynced"),
                       clientVersion: try row.text("client_version"), clientVersionAt: try row.text("client_version_at"))
        }
    }
}
