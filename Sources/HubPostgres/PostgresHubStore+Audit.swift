import FieldModel
import Foundation
import HubCore
import PostgresNIO

extension PostgresHubStore {
    /// An advisory lock id for appending to the audit log (held to the end of the appending transaction).
    static let auditLock: Int64 = 0x6673_6175_6469_74  // "fsaudit"

    public func appendAudit(_ drafts: [AuditDraft]) async throws {
        let now = clock.now()
        try await connectionTransaction { try await self.audit(drafts, now: now, on: $0) }
    }

    /// Appends lines inside the caller's transaction. Appenders take turns (the chain needs the previous
    /// line): the lock is taken last in a transaction, so it is held only until that commit.
    func audit(_ drafts: [AuditDraft], now: Date, on connection: PostgresConnection) async throws {
        guard !drafts.isEmpty else { return }
        try await connection.query("SELECT pg_advisory_xact_lock(\(Self.auditLock))", logger: logger)
        var text = ""
        for try await head in try await connection.query("SELECT audit_head FROM hub", logger: logger).decode(String.self) { text = head }
        var head = Hub.auditHead(text) ?? (0, AuditEntry.genesis)
        let at = ISODate.format(now)
        for draft in drafts {
            let entry = draft.entry(after: head, at: at)
            try await connection.query("""
                INSERT INTO audit_log (seq, at, actor, action, scope, detail, hash)
                VALUES (\(entry.seq), \(entry.at), \(entry.actor), \(entry.action), \(entry.scope), \(entry.detail), \(entry.hash))
                """, logger: logger)
            head = (entry.seq, entry.hash)
        }
        try await connection.query("UPDATE hub SET audit_head = \("\(head.0):\(head.1)")", logger: logger)
    }

    public func auditEntries(after seq: Int64, limit: Int) async throws -> AuditPage {
        try await single { connection in
            var entries: [AuditEntry] = []
            for try await (seq, at, actor, action, scope, detail, hash) in try await connection.query("""
                SELECT seq, at, actor, action, scope, detail, hash FROM audit_log WHERE seq > \(seq) ORDER BY seq LIMIT \(limit)
                """, logger: self.logger).decode((Int64, String, String, String, String, String, String).self) {
                entries.append(AuditEntry(seq: seq, at: at, actor: actor, action: action, scope: scope, detail: detail, hash: hash))
            }
            var head = ""
            for try await text in try await connection.query("SELECT audit_head FROM hub", logger: self.logger).decode(String.self) { head = text }
            return AuditPage(entries: entries, head: Hub.auditHead(head))
        }
    }
}
