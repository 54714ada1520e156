import FieldModel
import Foundation
import SyncProtocol

extension HubEngine {
    /// Every enrolled device, in enrolment order.
    public func devices() async throws -> [Device] {
        try await snapshot { try await devices(in: $0) }
    }

    /// The devices a condition on the devices table selects (with `?` placeholders), in enrolment order.
    func devices(where condition: String = "1 = 1", _ values: [HubValue] = [], in session: Session) async throws -> [Device] {
        try await session.query("""
            SELECT id, role, team, commune, province, volunteer, enrolled_at, revoked_at, last_sync_at, last_unsynced,
                client_version, client_version_at
            FROM devices WHERE \(condition) ORDER BY enrolled_at, id
            """, values).map { row in
            Hub.device(id: try row.text("id") ?? "", role: try row.text("role"), team: try row.text("team"), commune: try row.text("commune"),
                       province: try row.text("province"), volunteer: try row.text("volunteer"), enrolledAt: try row.text("enrolled_at"),
                       revokedAt: try row.text("revoked_at"), lastSyncAt: try row.text("last_sync_at"),
                       lastUnsynced: try row.isNull("last_unsynced") ? nil : try row.int("last_unsynced"),
                       clientVersion: try row.text("client_version"), clientVersionAt: try row.text("client_version_at"))
        }
    }
}
