import FieldSyncTesting
import Foundation
import Testing

/// Runs the built `fieldsync` against one store in a temporary directory.
struct CLI {
    let dir = TemporaryDirectory(prefix: "fieldsync-cli")
    var store: String { dir.file("store.sqlite") }

    /// Runs `fieldsync --store STORE args…`.
    @discardableResult
    func run(_ arguments: String...) throws -> ProcessResult {
        try Executables.run("fieldsync", ["--store", store] + arguments)
    }

    /// Runs `fieldsync args…` exactly as given.
    func raw(_ arguments: [String], environment: [String: String?] = [:]) throws -> ProcessResult {
        try Executables.run("fieldsync", arguments, environment: environment)
    }

    /// Creates the store, or records an issue.
    func initialise() throws {
        let result = try run("init", "--volunteer", "Nguyễn Thị Lan", "--team", "T-00004-01", "--commune", "00004")
        #expect(result.status == 0, "\(result)")
    }

    /// Everything the store holds, as `list --all --json` and `status --json` print it.
    func snapshot() throws -> String {
        let list = try run("list", "--all", "--json")
        let status = try run("status", "--json")
        return list.stdout + status.stdout
    }

    /// Parses JSON printed on stdout.
    func json(_ result: ProcessResult) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
    }
}
