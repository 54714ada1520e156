import FieldModel
import Foundation
import HubCore
import PostgresNIO
import SyncProtocol

extension PostgresHubStore {
    static let deviceColumns: PostgresQuery = """
        SELECT id, role, team, commune, province, volunteer, enrolled_at, revoked_at, last_sync_at, last_unsynced,
            client_version, client_version_at FROM devices
        """

    public func createEnrollmentCode(role: Role, scope: Scope, validFor: TimeInterval) async throws -> String {
        let code = try Hub.newEnrollmentCode(role: role, scope: scope, catalogue: catalogue)
        let now = clock.now()
        let province = scope.province ?? scope.commune.map { Hub.province(of: $0) }
        try await connectionTransaction { connection in
            try await connection.query("""
                INSERT INTO enrollment_codes (code_hash, role, team, commune, province, created_at, expires_at)
                VALUES (\(Hub.codeHash(code)), \(role.rawValue), \(scope.team), \(scope.commune), \(province),
                        \(ISODate.format(now)), \(ISODate.format(now.addingTimeInterval(validFor))))
                """, logger: logger)
        }
        return code
    }

    /// Trades a one-time code for a device token. The code is taken by one conditional UPDATE: of
    /// several hub processes asked with the same code at once, exactly one enrols a device.
    public func enroll(_ request: EnrollRequest) async throws -> EnrollResponse {
        let (volunteer, token, device) = try Hub.checkEnrollment(request, hubReplica: hubReplica)
        let now = ISODate.format(clock.now())
        return try await connectionTransaction { connection in
            var taken: (String, String?, String?, String?)?
            for try await row in try await connection.query("""
                UPDATE enrollment_codes SET used_at = \(now), device = \(device)
                WHERE code_hash = \(Hub.codeHash(request.code)) AND used_at IS NULL AND expires_at > \(now)
                RETURNING role, team, commune, province
                """, logger: logger).decode((String, String?, String?, String?).self) { taken = row }
            guard let taken, let role = Role(rawValue: taken.0) else { throw HubError.invalidEnrollmentCode }
            // Thrown inside the transaction: the code's use rolls back.
            try Hub.checkSetUp(request, role: role, scope: Scope(team: taken.1, commune: taken.2, province: taken.3))
            try await connection.query("""
                INSERT INTO devices (id, token_hash, role, team, commune, province, volunteer, enrolled_at, bundle_key)
                VALUES (\(device), \(Hub.sha256Hex(token)), \(role.rawValue), \(taken.1), \(taken.2), \(taken.3),
                        \(volunteer), \(now), \(request.bundleKeys ?? Hub.sha256Hex("fieldsync-bundle:" + token)))
                """, logger: logger)
            if role == .volunteer, let previous = request.previousToken, previous.utf8.count <= 128 {
                // A laptop enrolled again keeps its replica ids (and so the visits it logged) under its new device.
                try await connection.query("""
                    UPDATE replicas SET device = \(device) WHERE device = (SELECT id FROM devices
                        WHERE token_hash = \(Hub.sha256Hex(previous)) AND role = 'volunteer' AND id <> \(device))
                    """, logger: logger)
            }
            let codeScope = Scope(team: taken.1, commune: taken.2, province: taken.3)
            let scope = role == .volunteer ? Scope(team: taken.1, commune: taken.2) : codeScope
            // A coordinator reads reports: it gets no key for hashing citizen IDs.
            return EnrollResponse(token: token, device: device, role: role, scope: scope,
                                  citizenIdKey: nil,
                                  hubReplica: hubReplica, maxDriftMillis: maxDriftMillis)
        }
    }

    public func authenticate(token: String) async throws -> Device {
        guard !token.isEmpty, token.utf8.count <= 128 else { throw HubError.unauthorized(Hub.missingTokenMessage) }
        let hash = Hub.sha256Hex(token)
        guard let device = try await single({ try await self.devices($0, "WHERE token_hash = \(hash)") }).first else {
            throw HubError.unauthorized(Hub.unknownTokenMessage)
        }
        if device.revokedAt != nil { throw HubError.unauthorized(Hub.revokedMessage) }
        return device
    }

    public func devices() async throws -> [Device] {
        try await single { try await self.devices($0, "") }
    }

    public func revoke(device: String) async throws {
        let now = ISODate.format(clock.now())
        try await connectionTransaction { connection in
            var found = false
            for try await _ in try await connection.query("""
                UPDATE devices SET revoked_at = coalesce(revoked_at, \(now)) WHERE id = \(device) RETURNING id
                """, logger: logger).decode(String.self) { found = true }
            guard found else { throw HubError.notFound("no device \(device): `fieldsync-server devices list` shows them") }
        }
    }

    public func setConsoleLogin(device: String, login: String, passphraseHash: String) async throws {
        let login = login.lowercased()
        try await connectionTransaction { connection in
            for try await _ in try await connection.query("SELECT id FROM devices WHERE login = \(login) AND id <> \(device) FOR UPDATE",
                                                          logger: logger).decode(String.self) {
                throw HubError.invalidRequest(ConsoleLogin.takenMessage)
            }
            var found = false
            for try await _ in try await connection.query("""
                UPDATE devices SET login = \(login), passphrase_hash = \(passphraseHash) WHERE id = \(device) RETURNING id
                """, logger: logger).decode(String.self) { found = true }
            guard found else { throw HubError.notFound("no device \(device)") }
        }
    }

    public func consoleLogin(_ login: String) async throws -> ConsoleLogin? {
        let login = login.lowercased()
        return try await single { connection in
            var hash: String?
            for try await found in try await connection.query("SELECT passphrase_hash FROM devices WHERE login = \(login)", logger: logger)
                .decode(String?.self) { hash = found }
            guard let hash, let device = try await self.devices(connection, "WHERE login = \(login)").first else { return nil }
            return ConsoleLogin(login: login, device: device, passphraseHash: hash)
        }
    }

    /// Devices matching a condition (appended to the select), in enrolment order.
    func devices(_ connection: PostgresConnection, _ condition: PostgresQuery) async throws -> [Device] {
        var query = Self.deviceColumns
        query.sql += " " + condition.sql + " ORDER BY enrolled_at, id"
        query.binds = condition.binds
        var devices: [Device] = []
        for try await row in try await connection.query(query, logger: logger)
            .decode((String, String, String?, String?, String?, String?, String, String?, String?, Int?, String?, String?).self) {
            devices.append(Hub.device(id: row.0, role: row.1, team: row.2, commune: row.3, province: row.4, volunteer: row.5,
                                           enrolledAt: row.6, revokedAt: row.7, lastSyncAt: row.8, lastUnsynced: row.9,
                                           clientVersion: row.10, clientVersionAt: row.11))
        }
        return devices
    }

    /// Notes the FieldSync version a device's requests name, and since when, when it changed (§8.2).
    public func noteClientVersion(device: String, version: String) async throws {
        try await connectionTransaction { connection in
            try await connection.query("""
                UPDATE devices SET client_version = \(version), client_version_at = \(ISODate.format(clock.now()))
                WHERE id = \(device) AND client_version IS DISTINCT FROM \(version)
                """, logger: self.logger)
        }
    }
}

extension PostgresHubStore {
    public func bundleKey(device: String) async throws -> String? {
        try await single { connection in
            var key: String?
            for try await found in try await connection.query("SELECT bundle_key FROM devices WHERE id = \(device)", logger: self.logger)
                .decode(String.self) { key = found }
            return key
        }
    }

    public func batchReceived(device: String, batch: String) async throws -> String? {
        try await single { connection in
            var at: String?
            for try await found in try await connection.query(
                "SELECT min(received_at) FROM batches WHERE device = \(device) AND batch = \(batch)", logger: self.logger)
                .decode(String?.self) { at = found }
            return at
        }
    }
}
