import HubCore
import FieldModel
import Foundation
import SQLiteKit

extension HubStore {
    /// A console session by the hash of its id, when it has not expired.
    public func consoleSession(_ keyHash: String, now: Date) throws -> (value: String, expiresAt: Date?)? {
        try read(snapshot: false) {
            try db.query("SELECT value, expires_at FROM console_sessions WHERE key_hash = ? AND (expires_at IS NULL OR expires_at > ?)",
                         [.text(keyHash), .text(ISODate.format(now))]) { ($0.text(0) ?? "", $0.text(1).flatMap(ISODate.parseCanonical)) }.first
        }
    }

    /// Creates or replaces a console session (nil `expiresAt`: keep the one it had), and drops expired ones.
    public func saveConsoleSession(_ keyHash: String, value: String, expiresAt: Date?, now: Date) throws {
        try write {
            try db.run("DELETE FROM console_sessions WHERE expires_at <= ?", [.text(ISODate.format(now))])
            try db.run("""
                INSERT INTO console_sessions (key_hash, value, expires_at) VALUES (?1, ?2, ?3)
                ON CONFLICT (key_hash) DO UPDATE SET value = ?2, expires_at = coalesce(?3, expires_at)
                """, [.text(keyHash), .text(value), .text(expiresAt.map(ISODate.format))])
        }
    }

    /// Removes a console session.
    public func removeConsoleSession(_ keyHash: String) throws {
        try write { try db.run("DELETE FROM console_sessions WHERE key_hash = ?", [.text(keyHash)]) }
    }
}
