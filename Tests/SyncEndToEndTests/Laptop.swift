import FieldSyncTesting
import Foundation
import Testing

/// A volunteer's laptop in a test: a field store driven through the real `fieldsync`.
struct Laptop {
    let store: String
    let name: String

    init(_ dir: TemporaryDirectory, _ name: String, commune: String = "00004", team: String = "T-01") throws {
        store = dir.file("\(name).sqlite")
        self.name = name
        let result = try Executables.run("fieldsync", ["--store", store, "init", "--volunteer", name, "--team", team, "--commune", commune])
        guard result.status == 0 else { throw HubFailure("init \(name): \(result)") }
    }

    @discardableResult
    func run(_ arguments: String...) throws -> ProcessResult {
        try Executables.run("fieldsync", ["--store", store] + arguments)
    }

    func enroll(_ hub: HubProcess, commune: String = "00004", team: String = "T-01") throws {
        let result = try run("enroll", "--server", hub.url, "--code", try hub.enrollmentCode(team: team, commune: commune))
        guard result.status == 0 else { throw HubFailure("enroll \(name): \(result)") }
    }

    /// `fieldsync sync --json`, parsed; records an issue when it fails.
    @discardableResult
    func sync(expectSuccess: Bool = true) throws -> [String: Any] {
        let result = try run("sync", "--json")
        if expectSuccess { #expect(result.status == 0, "sync \(name): \(result)") }
        return (try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]) ?? [:]
    }

    func log(_ name: String, service: String = "vneid-level2", outcome: String = "done", extra: [String] = []) throws -> String {
        let result = try Executables.run("fieldsync", ["--store", store, "log", "--service", service, "--outcome", outcome, "--name", name] + extra)
        guard result.status == 0 else { throw HubFailure("log: \(result)") }
        return result.output
    }

    /// Every visit (deleted included) as `list --all --json` prints it, keyed by id.
    func visits() throws -> [String: NSDictionary] {
        let result = try run("list", "--all", "--json")
        let array = (try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [NSDictionary]) ?? []
        return Dictionary(uniqueKeysWithValues: array.map { ($0["id"] as? String ?? "", $0) })
    }

    func status() throws -> [String: Any] {
        (try JSONSerialization.jsonObject(with: Data(try run("status", "--json").stdout.utf8)) as? [String: Any]) ?? [:]
    }
}

/// The hub's export, keyed by visit id.
func hubVisits(_ hub: HubProcess) throws -> [String: NSDictionary] {
    let result = try hub.command("export", "--format", "json")
    let array = (try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [NSDictionary]) ?? []
    return Dictionary(uniqueKeysWithValues: array.map { ($0["id"] as? String ?? "", $0) })
}

/// The visits of one commune, as a map the laptops' lists must equal.
func restricted(_ visits: [String: NSDictionary], commune: String) -> [String: NSDictionary] {
    visits.filter { $0.value["commune"] as? String == commune }
}

import FieldModel
import FieldStore

/// Direct reads of a laptop's store.
enum FieldStoreAccess {
    static func token(_ path: String) throws -> String? { try FieldStore.open(at: path).enrollment()?.token }

    /// Writes the review group on a visit as a modified laptop program would (the CLI and the app never do).
    static func forgeReview(_ path: String, visit: String) throws {
        var forged = VisitChanges()
        forged.extra = ["review": .text("accepted"), "reviewComment": .null, "reviewer": .text("Lan"), "reviewedAt": .text(ISODate.format(Date()))]
        _ = try FieldStore.open(at: path).edit(visit, forged)
    }
}
