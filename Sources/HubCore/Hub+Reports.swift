import Crypto
import FieldModel
import Foundation
import SyncCore
import SyncProtocol
import TextSafety

// Reports: devices, duplicates, written once for every storage engine.
extension Hub {
    /// The longest silence the devices report can be asked about (ten years).
    public static let maxStaleDays = 3_650

    /// The devices report assembled from the devices and their visit counts in the period (both backends).
    package static func devicesReport(devices: [Device], visits counts: [String: Int], filter: ReportFilter, staleDays: Int,
                                      now: Date, catalogue: CommuneCatalogue) -> DevicesReport {
        let staleBefore = ISODate.format(now.addingTimeInterval(-Double(staleDays) * 86_400))
        var lines: [DevicesReport.Line] = []
        for device in devices {
            let commune = device.scope.commune
            if let wanted = filter.commune, commune != wanted { continue }
            if let province = filter.province, commune.map(Self.province(of:)) ?? device.scope.province != province { continue }
            let stale = device.revokedAt == nil && (device.lastSyncAt ?? "") < staleBefore && device.role == .volunteer
            lines.append(.init(device: device.id, role: device.role.rawValue, volunteer: device.volunteer, team: device.scope.team,
                               commune: commune, communeName: commune.flatMap { catalogue.commune($0)?.name },
                               lastSync: device.lastSyncAt, visits: counts[device.id] ?? 0, unsynced: device.lastUnsynced,
                               stale: stale, revoked: device.revokedAt != nil, clientVersion: device.clientVersion,
                               clientVersionAt: device.clientVersionAt))
        }
        lines.sort { ($0.stale ? 0 : 1, $0.lastSync ?? "", $0.device) < ($1.stale ? 0 : 1, $1.lastSync ?? "", $1.device) }
        return DevicesReport(filter: filter, staleDays: staleDays, generatedAt: ISODate.format(now), devices: lines,
                             staleCount: lines.filter(\.stale).count)
    }

    /// The hub write that settles a duplicate: the duplicate deleted, with a note of which visit it
    /// duplicated and who said so.
    /// - Throws: `HubError.notFound` for a visit missing or outside the scope, `.invalidRequest` when the
    ///   two are not the same citizen and service or the duplicate is already deleted.
    package static func duplicateChanges(_ dup: Visit?, _ keep: Visit?, named: (String, String), by coordinator: String,
                                         scope: Scope) throws -> [String: FieldValue] {
        guard let dup, scope.covers(commune: dup.commune) else { throw HubError.notFound("no visit \(named.0) at the hub") }
        guard let keep, scope.covers(commune: keep.commune) else { throw HubError.notFound("no visit \(named.1) at the hub") }
        guard dup.id != keep.id, let hash = dup.citizenID?.keyedHash, hash == keep.citizenID?.keyedHash, dup.service == keep.service
        else { throw HubError.invalidRequest("\(named.0) and \(named.1) are not two visits of the same citizen for the same service") }
        guard !dup.deleted else { throw HubError.invalidRequest("\(named.0) is already deleted") }
        let note = (dup.note.isEmpty ? "" : dup.note + " ") + "[duplicate of \(keep.id), resolved by \(coordinator)]"
        return ["deleted": .bool(true), "note": .text(String(note.prefix(Visit.noteLimit)))]
    }

    /// The key a person named a visit by: its whole id, or its first or last 8 or more characters (as laptops and
    /// reports show them), lowercased; engines look it up inside the caller's scope only (`visitIDs`).
    /// - Throws: `HubError.notFound` for text that cannot name a visit.
    package static func visitKey(_ text: String) throws -> String {
        let key = text.trimmingCharacters(in: .whitespaces).lowercased()
        guard key.count >= 8, key.count <= 36, key.allSatisfy({ $0.isHexDigit || $0 == "-" }) else {
            throw HubError.notFound("\(SafeText.quote(text)) is not a visit id: give it whole or its first or last 8 characters")
        }
        return key
    }

    /// The one visit among `ids` (those of the scope that `key` names), or why not.
    package static func oneVisit(_ ids: [String], named text: String) throws -> String {
        guard ids.count < 2 else {
            throw HubError.invalidRequest("\(text) matches several visits (\(ids.joined(separator: ", "))): give more characters")
        }
        guard let id = ids.first else { throw HubError.notFound("no visit \(text) at the hub") }
        return id
    }
}
