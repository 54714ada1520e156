import FieldModel
import Foundation
import SyncProtocol

// Console sessions, the pseudonym key and allowances, targets and the audit log, written once.
extension HubEngine {
    /// A console session's value (JSON) and expiry by the hash of its id; nil when missing or expired.
    public func consoleSession(_ keyHash: String, now: Date) async throws -> (value: String, expiresAt: Date?)? {
        try await quickRead { session in
            try await session.query("SELECT value, expires_at FROM console_sessions WHERE key_hash = ? AND (expires_at IS NULL OR expires_at > ?)",
                                    [.text(keyHash), .text(ISODate.format(now))]).first.map {
                (try $0.text("value") ?? "", try $0.text("expires_at").flatMap(ISODate.parseCanonical))
            }
        }
    }

    /// Creates or replaces a console session; a nil `expiresAt` keeps the one it had. Drops expired sessions.
    public func saveConsoleSession(_ keyHash: String, value: String, expiresAt: Date?, now: Date) async throws {
        try await transaction { session in
            try await session.execute("DELETE FROM console_sessions WHERE expires_at <= ?", [.text(ISODate.format(now))])
            try await session.execute("""
                INSERT INTO console_sessions (key_hash, value, expires_at) VALUES (?, ?, ?)
                ON CONFLICT (key_hash) DO UPDATE SET value = EXCLUDED.value, expires_at = coalesce(EXCLUDED.expires_at, console_sessions.expires_at)
                """, [.text(keyHash), .text(value), .text(expiresAt.map(ISODate.format))])
        }
    }

    /// Removes a console session.
    public func removeConsoleSession(_ keyHash: String) async throws {
        try await transaction { try await $0.execute("DELETE FROM console_sessions WHERE key_hash = ?", [.text(keyHash)]) }
    }

    /// The pseudonym key in use (version and public half; the private half is in the key file only), nil before the first.
    public func pseudonymKeyInUse() async throws -> PseudonymKey? {
        try await quickRead { PseudonymKey(stored: try await $0.query("SELECT pseudonym_key FROM hub").first?.text("pseudonym_key") ?? "") }
    }

    /// Records the pseudonym key in use (a key file made or rotated).
    public func setPseudonymKeyInUse(_ key: PseudonymKey) async throws {
        try await transaction { try await $0.execute("UPDATE hub SET pseudonym_key = ?", [.text(key.stored)]) }
    }

    /// Takes up to `wanted` evaluations from a device's allowance for a Vietnam day (`2026-11-25`), and forgets days
    /// over a month old: how many were granted, how many remain. The day's row is locked: concurrent requests of one
    /// device (through several hub processes) take turns.
    public func takePseudonyms(device: String, day: String, wanted: Int, allowance: Int) async throws -> (granted: Int, remaining: Int) {
        try await transaction { session in
            try await session.execute("INSERT INTO pseudonym_use (device, day, used) VALUES (?, ?, 0) ON CONFLICT DO NOTHING",
                                      [.text(device), .text(day)])
            let used = try await session.query("SELECT used FROM pseudonym_use WHERE device = ? AND day = ?" + session.dialect.forUpdate,
                                               [.text(device), .text(day)]).first?.int("used") ?? 0
            let granted = max(0, min(wanted, allowance - used))
            try await session.execute("UPDATE pseudonym_use SET used = ? WHERE device = ? AND day = ?",
                                      [.integer(used + granted), .text(device), .text(day)])
            if let old = Hub.day(day, minusDays: 31) {
                try await session.execute("DELETE FROM pseudonym_use WHERE day < ?", [.text(old)])
            }
            return (granted, allowance - used - granted)
        }
    }

    /// The stored targets of the communes inside a scope (empty when none were uploaded).
    public func targets(_ scope: Scope) async throws -> Targets {
        try await snapshot { session in
            var values: [String: [String: Int]] = [:]
            for row in try await session.query("SELECT commune, service, target FROM targets") {
                let commune = try row.text("commune") ?? ""
                if scope.covers(commune: commune) { values[commune, default: [:]][try row.text("service") ?? ""] = try row.int("target") }
            }
            return Targets(values: values)
        }
    }

    /// Replaces the stored targets of every commune inside a scope with `targets`, in one transaction; uploaders take
    /// turns, so two coordinators replacing overlapping areas do not interleave.
    /// - Throws: `HubError.outOfScope` when one of them lies outside the scope.
    public func replaceTargets(_ targets: Targets, scope: Scope) async throws {
        try Hub.checkTargets(targets, scope: scope)
        try await transaction { session in
            try await session.lock(named: "targets")
            let existing = try await session.query("SELECT DISTINCT commune FROM targets").map { try $0.text("commune") ?? "" }
            let removed = existing.filter { scope.covers(commune: $0) }
            if !removed.isEmpty { try await session.execute("DELETE FROM targets WHERE \(session.dialect.isIn("commune"))", [.texts(removed)]) }
            for (commune, services) in targets.values {
                for (service, target) in services {
                    try await session.execute("INSERT INTO targets (commune, service, target) VALUES (?, ?, ?)",
                                              [.text(commune), .text(service), .integer(target)])
                }
            }
        }
    }

    /// Appends lines to the audit log (a push's line is appended by `merge` itself, in its transaction).
    public func appendAudit(_ drafts: [AuditDraft]) async throws {
        let now = clock.now()
        try await transaction { try await audit(drafts, now: now, in: $0) }
    }

    /// Up to `limit` audit lines after `seq`, in order, with the head the store keeps.
    public func auditEntries(after seq: Int64, limit: Int) async throws -> AuditPage {
        try await snapshot { session in
            let entries = try await session.query("SELECT seq, at, actor, action, scope, detail, hash FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?",
                                                  [.integer(seq), .integer(limit)]).map { row in
                AuditEntry(seq: try row.int64("seq"), at: try row.text("at") ?? "", actor: try row.text("actor") ?? "",
                           action: try row.text("action") ?? "", scope: try row.text("scope") ?? "", detail: try row.text("detail") ?? "",
                           hash: try row.text("hash") ?? "")
            }
            return AuditPage(entries: entries, head: Hub.auditHead(try await session.query("SELECT audit_head FROM hub").first?.text("audit_head") ?? ""))
        }
    }
}

extension Hub {
    /// The day `days` before a Vietnam day (`2026-11-25`), in the same form; nil for text that is not one.
    package static func day(_ day: String, minusDays days: Int) -> String? {
        let formatter = DateFormatter()
        formatter.calendar = Calendar(identifier: .gregorian)
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        guard let date = formatter.date(from: day) else { return nil }
        return formatter.string(from: date.addingTimeInterval(-Double(days) * 86_400))
    }
}
