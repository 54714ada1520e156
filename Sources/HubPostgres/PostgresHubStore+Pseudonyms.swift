import HubCore
import PostgresNIO
import SyncProtocol

extension PostgresHubStore {
    public func pseudonymKeyInUse() async throws -> PseudonymKey? {
        try await single { connection in
            var stored = ""
            for try await key in try await connection.query("SELECT pseudonym_key FROM hub", logger: self.logger).decode(String.self) {
                stored = key
            }
            return PseudonymKey(stored: stored)
        }
    }

    public func setPseudonymKeyInUse(_ key: PseudonymKey) async throws {
        try await connectionTransaction { connection in
            try await connection.query("UPDATE hub SET pseudonym_key = \(key.stored)", logger: self.logger)
        }
    }

    public func takePseudonyms(device: String, day: String, wanted: Int, allowance: Int) async throws -> (granted: Int, remaining: Int) {
        try await connectionTransaction { connection in
            // The row lock makes concurrent requests of one device (through several hub processes) take turns.
            try await connection.query("""
                INSERT INTO pseudonym_use (device, day, used) VALUES (\(device), \(day), 0) ON CONFLICT DO NOTHING
                """, logger: self.logger)
            var used = 0
            for try await value in try await connection.query(
                "SELECT used FROM pseudonym_use WHERE device = \(device) AND day = \(day) FOR UPDATE", logger: self.logger
            ).decode(Int.self) { used = value }
            let granted = max(0, min(wanted, allowance - used))
            try await connection.query("""
                UPDATE pseudonym_use SET used = \(used + granted) WHERE device = \(device) AND day = \(day)
                """, logger: self.logger)
            try await connection.query("""
                DELETE FROM pseudonym_use WHERE day < to_char(\(day)::date - 31, 'YYYY-MM-DD')
                """, logger: self.logger)
            return (granted, allowance - used - granted)
        }
    }
}
