import HubCore
import FieldModel
import Foundation
import SQLiteKit

extension HubStore {
    /// Appends lines to the audit log, in their own transaction.
    public func appendAudit(_ drafts: [AuditDraft], now: Date = Date()) throws {
        try write { try audit(drafts, now: now) }
    }

    /// Appends lines inside the caller's transaction (a push's lines commit or roll back with it).
    func audit(_ drafts: [AuditDraft], now: Date) throws {
        guard !drafts.isEmpty else { return }
        var head = try auditHeadInTransaction() ?? (0, AuditEntry.genesis)
        let insert = try db.cached("INSERT INTO audit_log (seq, at, actor, action, scope, detail, hash) VALUES (?, ?, ?, ?, ?, ?, ?)")
        for draft in drafts {
            let entry = draft.entry(after: head, at: ISODate.format(now))
            try insert.execute([.integer(entry.seq), .text(entry.at), .text(entry.actor), .text(entry.action), .text(entry.scope),
                                .text(entry.detail), .text(entry.hash)])
            head = (entry.seq, entry.hash)
        }
        try db.run("UPDATE hub SET audit_head = ?", [.text("\(head.0):\(head.1)")])
    }

    func auditHeadInTransaction() throws -> (seq: Int64, hash: String)? {
        Hub.auditHead(try db.scalarText("SELECT audit_head FROM hub") ?? "")
    }


    /// Up to `limit` lines after `seq`, in order, and the head the store keeps.
    public func auditEntries(after seq: Int64, limit: Int) throws -> AuditPage {
        try read {
            let entries = try db.query("SELECT seq, at, actor, action, scope, detail, hash FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?",
                                       [.integer(seq), .integer(Int64(limit))]) { row in
                AuditEntry(seq: row.int64(0), at: row.text(1) ?? "", actor: row.text(2) ?? "", action: row.text(3) ?? "",
                           scope: row.text(4) ?? "", detail: row.text(5) ?? "", hash: row.text(6) ?? "")
            }
            return AuditPage(entries: entries, head: try auditHeadInTransaction())
        }
    }
}
