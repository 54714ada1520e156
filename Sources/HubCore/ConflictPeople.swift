import FieldModel
import Foundation
import SyncCore
import SyncProtocol

/// Who wrote each side of conflict entries: devices and the replicas they pushed from.
package struct ConflictPeople {
    let devices: [String: Device]
    let replicaDevice: [String: String]

    package init(devices: [Device], replicas: [(String, String)]) {
        self.devices = Dictionary(uniqueKeysWithValues: devices.map { ($0.id, $0) })
        replicaDevice = Dictionary(replicas, uniquingKeysWith: { a, _ in a })
    }

    /// A stored entry as reports and conflict commands list it. An entry that cannot be read fails the
    /// listing: dropping it would hide a lost value.
    package func line(id: String, body: String, foundAt: String, commune: String?, citizen: String?,
                      resolution text: String?) throws -> MergeReport.ConflictLine {
        let conflict: Conflict
        let resolution: ConflictResolution?
        do {
            conflict = try JSONDecoder().decode(Conflict.self, from: Data(body.utf8))
            resolution = try text.map { try JSONDecoder().decode(ConflictResolution.self, from: Data($0.utf8)) }
        } catch {
            throw HubError.unavailable("the hub store's conflict entry \(id) is damaged (\(error))")
        }
        return MergeReport.ConflictLine(
            id: id.isEmpty ? conflict.id : id, kind: conflict.kind.rawValue, record: conflict.record, commune: commune,
            citizen: citizen, foundAt: foundAt, detectedBy: conflict.detectedBy.description,
            detectedByName: replicaDevice[conflict.detectedBy.description].flatMap { devices[$0]?.volunteer },
            fields: conflict.fields.map {
                MergeReport.FieldLine(field: $0.field, stored: written($0.stored), incoming: written($0.incoming), winner: $0.winner)
            },
            resolution: resolution)
    }

    func written(_ register: Register?) -> MergeReport.Written? {
        guard let register else { return nil }
        let device = replicaDevice[register.stamp.replica.description]
        return MergeReport.Written(
            value: register.value, stamp: register.stamp, replica: register.stamp.replica.description, device: device,
            volunteer: device.flatMap { devices[$0]?.volunteer },
            at: ISODate.format(Date(timeIntervalSince1970: Double(register.stamp.millis) / 1000)))
    }
}
