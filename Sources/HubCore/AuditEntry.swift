import Crypto
import Foundation
import SyncCore
import SyncProtocol

/// One line of the hub's audit log: who did what with personal data, when, in which scope.
/// Lines are hash-chained: each `hash` covers the previous line's hash and this line's fields, so an
/// edited or removed line breaks the chain from there on (`AuditChain.verify`).
public struct AuditEntry: Codable, Sendable, Equatable {
    /// 1, 2, 3, … without gaps.
    public var seq: Int64
    /// When (canonical UTC timestamp).
    public var at: String
    /// Who: a device id, a coordinator's login, or `operator` for a command on the hub's machine.
    public var actor: String
    /// What (`AuditAction`).
    public var action: String
    /// Where: a scope's text (`commune 00004`, `province 01`, `all`) or a visit id.
    public var scope: String
    /// Counts and ids, never a citizen's personal data (JSON object text).
    public var detail: String
    /// SHA-256 (hex) of the previous line's hash and this line's fields.
    public var hash: String

    /// Makes a line as read from a store.
    public init(seq: Int64, at: String, actor: String, action: String, scope: String, detail: String, hash: String) {
        self.seq = seq
        self.at = at
        self.actor = actor
        self.action = action
        self.scope = scope
        self.detail = detail
        self.hash = hash
    }

    /// The hash a line with these fields must have after `previous`.
    public static func hash(previous: String, seq: Int64, at: String, actor: String, action: String, scope: String, detail: String) -> String {
        let text = [previous, String(seq), at, actor, action, scope, detail].joined(separator: "\n")
        return Hex.encode(SHA256.hash(data: Data(text.utf8)))
    }

    /// The hash before the first line.
    public static let genesis = String(repeating: "0", count: 64)
}

/// What an audit line records.
public enum AuditAction: String, Sendable, CaseIterable {
    case enrol, revoke, sync, report, export, conflictResolve = "conflict-resolve", duplicateResolve = "duplicate-resolve"
    case targets, keyRotate = "key-rotate", storeRecover = "store-recover", subjectFind = "subject-find"
    case subjectExport = "subject-export", subjectErase = "subject-erase", auditRead = "audit-read", compact
    /// A visit's citizen data erased by a push (consent withdrawn on the laptop that logged it).
    case erase
    /// Personal data read by a person (a console page, a coordinator's pull or conflicts); a console sign-in and sign-out.
    case read, signIn = "sign-in", signOut = "sign-out"
    /// A new version of a record kind published (Protocol/README.md §12).
    case kindPublish = "kind-publish"
    /// A village of a commune added, changed (its team) or removed (issue 31).
    case village
    /// A commune's household list imported, or a household deleted or erased by a coordinator (issue 31).
    case households
    /// A record accepted, returned for correction or rejected by a coordinator (issue 33).
    case review
    /// A laptop package published for `fieldsync update` (issue 34).
    case releasePublish = "release-publish"
}

/// A line to append: the store numbers, stamps and chains it.
public struct AuditDraft: Sendable, Equatable {
    public var actor: String
    public var action: AuditAction
    public var scope: String
    public var detail: [String: String]

    /// Makes a line to append.
    public init(actor: String, action: AuditAction, scope: String, detail: [String: String] = [:]) {
        self.actor = actor
        self.action = action
        self.scope = scope
        self.detail = detail
    }

    /// A push merged: the device, its scope, the batch and its counts by class.
    public static func sync(_ response: PushResponse, device: Device) -> AuditDraft {
        AuditDraft(actor: device.id, action: .sync, scope: device.scopeText, detail: [
            "batch": String(response.batch.prefix(64)), "received": "\(response.received)", "alreadyKnown": "\(response.alreadyKnown)",
            "fastForward": "\(response.fastForward)", "merged": "\(response.merged)", "conflicts": "\(response.conflicts)",
            "editVsDelete": "\(response.editVsDelete)", "rejected": "\(response.rejected.count)",
        ])
    }

    /// A compaction: the horizon and what was removed (counts only).
    public static func compact(_ done: Compaction) -> AuditDraft {
        AuditDraft(actor: "operator", action: .compact, scope: "whole country", detail: [
            "horizon": "\(done.horizon)", "tombstones": "\(done.tombstones)", "erasedEntries": "\(done.erasedEntries)",
            "excludedDevices": "\(done.excluded.count)",
        ])
    }

    /// The area a line's scope text names (`commune 00004, team T-01` → commune 00004; `province 01`),
    /// nil for lines of the whole hub (`whole country`, keys, stores): those are for whole-country coordinators.
    public static func area(of scope: String) -> Scope? {
        let words = scope.split(whereSeparator: { $0 == " " || $0 == "," })
        guard words.count >= 2 else { return nil }
        switch words[0] {
        case "commune" where words[1].count == 5: return Scope(commune: String(words[1]))
        case "province" where words[1].count == 2: return Scope(province: String(words[1]))
        default: return nil
        }
    }

    /// The detail as canonical JSON (sorted keys).
    var detailText: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding a [String: String] cannot fail.
        return (try? encoder.encode(detail)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    /// The entry after `previous` (seq and hash), at `at`.
    package func entry(after previous: (seq: Int64, hash: String), at: String) -> AuditEntry {
        let seq = previous.seq + 1, detail = detailText
        return AuditEntry(seq: seq, at: at, actor: actor, action: action.rawValue, scope: scope, detail: detail,
                          hash: AuditEntry.hash(previous: previous.hash, seq: seq, at: at, actor: actor, action: action.rawValue,
                                                scope: scope, detail: detail))
    }
}

/// Checks an audit log's chain.
public enum AuditChain {
    /// The first problem in `entries` (all of them, in seq order), nil when the chain holds. `head` is
    /// the last line's seq and hash as the store keeps them apart, so removing the last lines shows too.
    public static func verify(_ entries: [AuditEntry], head: (seq: Int64, hash: String)?) -> String? {
        var previous = (seq: Int64(0), hash: AuditEntry.genesis)
        for entry in entries {
            if entry.seq != previous.seq + 1 {
                return "entries \(previous.seq + 1)…\(entry.seq - 1) were removed (the log jumps from \(previous.seq) to \(entry.seq))"
            }
            let expected = AuditEntry.hash(previous: previous.hash, seq: entry.seq, at: entry.at, actor: entry.actor, action: entry.action,
                                           scope: entry.scope, detail: entry.detail)
            if expected != entry.hash { return "entry \(entry.seq) was edited (its hash does not match its content and the entry before it)" }
            previous = (entry.seq, entry.hash)
        }
        if let head, head.seq != previous.seq || (head.seq > 0 && head.hash != previous.hash) {
            return head.seq > previous.seq ? "entries \(previous.seq + 1)…\(head.seq) were removed (the log ends at \(previous.seq), its head says \(head.seq))"
                : "the log's head (\(head.seq)) does not match its last entry (\(previous.seq)): entries were edited or added by hand"
        }
        return nil
    }
}

/// A page of the audit log and the head the store keeps (seq and hash of its last line).
public struct AuditPage: Sendable {
    public var entries: [AuditEntry]
    public var headSeq: Int64?
    public var headHash: String?

    /// Makes a page.
    public init(entries: [AuditEntry], head: (seq: Int64, hash: String)?) {
        self.entries = entries
        headSeq = head?.seq
        headHash = head?.hash
    }

    /// The head as `AuditChain.verify` takes it.
    public var head: (seq: Int64, hash: String)? { headSeq.map { ($0, headHash ?? "") } }
}

/// `GET /v1/audit`: the lines inside the asker's area, and the last seq read (the next page's `after`).
public struct AuditAnswer: Codable, Sendable {
    public var entries: [AuditEntry]
    public var last: Int64

    /// Makes an answer.
    public init(entries: [AuditEntry], last: Int64) {
        self.entries = entries
        self.last = last
    }
}
