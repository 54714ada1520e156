import HubCore
import FieldModel
import SQLiteKit
import SyncProtocol

extension HubStore {
    /// The stored targets of the communes inside a scope.
    public func targets(_ scope: Scope) throws -> Targets {
        try read {
            var values: [String: [String: Int]] = [:]
            for (commune, service, target) in try db.query("SELECT commune, service, target FROM targets",
                                                           row: { ($0.text(0) ?? "", $0.text(1) ?? "", $0.int(2)) })
            where scope.covers(commune: commune) {
                values[commune, default: [:]][service] = target
            }
            return Targets(values: values)
        }
    }

    /// Replaces the stored targets of the communes inside a scope, in one transaction.
    public func replaceTargets(_ targets: Targets, scope: Scope) throws {
        try Hub.checkTargets(targets, scope: scope)
        try write {
            let existing = try db.query("SELECT DISTINCT commune FROM targets") { $0.text(0) ?? "" }
            let remove = try db.prepare("DELETE FROM targets WHERE commune = ?")
            for commune in existing where scope.covers(commune: commune) { try remove.execute([.text(commune)]) }
            let insert = try db.prepare("INSERT INTO targets (commune, service, target) VALUES (?, ?, ?)")
            for (commune, services) in targets.values {
                for (service, target) in services { try insert.execute([.text(commune), .text(service), .integer(target)]) }
            }
        }
    }

}
