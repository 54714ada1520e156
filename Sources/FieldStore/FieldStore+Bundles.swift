import FieldModel
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import OfflineBundle
import SyncCore
import SyncProtocol

/// Offline bundles (Protocol/README.md §9): what a laptop carries to the hub on a USB stick, and the
/// answer it brings back.
extension FieldStore {
    /// This laptop's bundle keys (signing, and opening answers), made at first use and kept in the store.
    public func bundleKeys() throws -> BundleKeys {
        try write {
            if let text = try setting(SettingKey.bundleKeys) {
                guard let keys = BundleKeys(privateText: try openText(text, row: SettingKey.bundleKeys)) else {
                    throw StoreError.damaged(path: path, detail: "its bundle keys are damaged")
                }
                return keys
            }
            let keys = BundleKeys()
            try setSetting(SettingKey.bundleKeys, try sealText(keys.privateText, row: SettingKey.bundleKeys))
            return keys
        }
    }

    /// The release key the hub pinned, as enrolment gave it (base64); nil for a laptop enrolled before the hub published
    /// a package (it pins the key of the package installed by hand).
    public func pinnedReleaseKey() throws -> String? {
        try read { try setting(SettingKey.releaseKey) }
    }

    /// The hub's offline-bundle keys (public halves), nil before an enrolment that gave them.
    public func hubBundleKeys() throws -> String? {
        try read { try setting(SettingKey.hubBundleKeys) }
    }

    /// Everything the hub has not acknowledged, as the batches of bundle `bundle` (each naming it as
    /// its sync session), and the pull cursor; what each batch sent is kept until the answer comes.
    public func bundlePushes(bundle: String) throws -> (batches: [PushRequest], pullAfter: UInt64) {
        var pending = try pendingPush()
        var batches: [(PushRequest, PushReceipt)] = []
        while true {
            batches.append((pending.request(batch: "\(bundle)-\(batches.count)", sync: bundle), pending.receipt))
            guard pending.remaining > 0 else { break }
            let next = try pendingPush(backlog: pending.remaining, after: pending.lastWrite)
            guard !next.states.isEmpty else { break }
            pending = next
        }
        let receipts = String(decoding: try JSONEncoder().encode(batches.map(\.1)), as: UTF8.self)
        try write { try setSetting(SettingKey.bundleOut + bundle, receipts) }
        return (batches.map(\.0), try pullCursor())
    }

    /// Applies the hub's answer to a bundle this laptop wrote: acknowledges each batch and applies the pages.
    /// - Returns: the summaries of the pages, nil when this answer was applied before.
    /// - Throws: `BundleError.unknownAnswer` for an answer to a bundle this laptop did not write.
    public func applyBundleAnswer(_ answer: AnswerBundle, now: Date = Date()) throws -> [ReceiveSummary]? {
        guard let text = try read({ try setting(SettingKey.bundleOut + answer.bundle) }) else {
            if try read({ try setting(SettingKey.bundleDone + answer.bundle) }) != nil { return nil }
            throw BundleError.unknownAnswer(answer.bundle)
        }
        let receipts = try JSONDecoder().decode([PushReceipt].self, from: Data(text.utf8))
        guard receipts.count == answer.responses.count else { throw BundleError.notABundle("it answers \(answer.responses.count) batches of \(receipts.count)") }
        for (receipt, response) in zip(receipts, answer.responses) { try acknowledge(receipt, response: response, now: now) }
        let summaries = try answer.pages.map { try apply($0, now: now) }
        if let kinds = answer.kinds, let published = answer.kindsPublished {
            try noteKindsAnnounced(published)
            try saveHubKinds(Data(kinds.utf8), announced: published)
        }
        try write {
            try setSetting(SettingKey.bundleOut + answer.bundle, nil)
            try setSetting(SettingKey.bundleDone + answer.bundle, ISODate.format(now))
        }
        return summaries
    }

    /// Keeps the certificate and the commune's revocations the hub sent (at enrolment, at each sync).
    public func notePeerCredentials(_ certificate: DeviceCertificate, revoked: [String]) throws {
        try write { try savePeerCredentials(certificate, revoked: revoked) }
    }

    func savePeerCredentials(_ certificate: DeviceCertificate, revoked: [String]) throws {
        try setSetting(SettingKey.peerCertificate, String(decoding: try JSONEncoder().encode(certificate), as: UTF8.self))
        try setSetting(SettingKey.peerRevoked, String(decoding: try JSONEncoder().encode(revoked), as: UTF8.self))
    }

    /// This laptop's certificate, the hub's replica id and the devices the hub revoked, as last heard from the hub.
    public func peerCredentials() throws -> (certificate: DeviceCertificate, hubReplica: String, revoked: Set<String>)? {
        try read {
            guard let text = try setting(SettingKey.peerCertificate), let hub = try setting(SettingKey.hubReplica) else { return nil }
            let revoked = try setting(SettingKey.peerRevoked).map { try JSONDecoder().decode([String].self, from: Data($0.utf8)) } ?? []
            return (try JSONDecoder().decode(DeviceCertificate.self, from: Data(text.utf8)), hub, Set(revoked))
        }
    }

    /// Every record of `commune` this laptop holds (deleted ones included; visits and records of other kinds), as states:
    /// what it gives a laptop it syncs with on a LAN.
    public func states(commune: String) throws -> [RecordState] {
        try read {
            try db.query("SELECT \(VisitRow.columns) FROM visits WHERE commune = ?", [.text(commune)], row: decodeVisit).map(\.state)
                + db.query("SELECT kind, state, id FROM kind_records WHERE commune = ?", [.text(commune)], row: openRecord)
        }
    }

    /// Texts as a JSON array, for `json_each`.
    static func jsonList(_ items: [String]) -> String {
        var out = JSONWriter(capacity: items.count * 40 + 2)
        out.array(items) { $0.string($1) }
        return String(decoding: out.bytes, as: UTF8.self)
    }
}
