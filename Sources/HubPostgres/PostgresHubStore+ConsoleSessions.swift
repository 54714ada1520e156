import FieldModel
import Foundation
import HubCore
import PostgresNIO

extension PostgresHubStore {
    public func consoleSession(_ keyHash: String, now: Date) async throws -> (value: String, expiresAt: Date?)? {
        let now = ISODate.format(now)
        return try await single { connection in
            for try await (value, expires) in try await connection.query("""
                SELECT value, expires_at FROM console_sessions WHERE key_hash = \(keyHash) AND (expires_at IS NULL OR expires_at > \(now))
                """, logger: self.logger).decode((String, String?).self) {
                return (value, expires.flatMap(ISODate.parseCanonical))
            }
            return nil
        }
    }

    public func saveConsoleSession(_ keyHash: String, value: String, expiresAt: Date?, now: Date) async throws {
        let expires = expiresAt.map(ISODate.format), now = ISODate.format(now)
        try await connectionTransaction { connection in
            try await connection.query("DELETE FROM console_sessions WHERE expires_at <= \(now)", logger: self.logger)
            try await connection.query("""
                INSERT INTO console_sessions (key_hash, value, expires_at) VALUES (\(keyHash), \(value), \(expires))
                ON CONFLICT (key_hash) DO UPDATE SET value = EXCLUDED.value, expires_at = coalesce(EXCLUDED.expires_at, console_sessions.expires_at)
                """, logger: self.logger)
        }
    }

    public func removeConsoleSession(_ keyHash: String) async throws {
        _ = try await single { connection in
            try await connection.query("DELETE FROM console_sessions WHERE key_hash = \(keyHash)", logger: self.logger)
        }
    }
}
