import ArgumentParser
import CLISupport
import FieldStore
import FieldSyncClient

/// `fieldsync enroll`: trades a coordinator's one-time code for this laptop's device token.
struct EnrollCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "enroll",
        abstract: "Enrol this laptop with a hub, using a one-time code from a coordinator.",
        discussion: """
            The hub answers with this laptop's token (kept in the store) and the deployment's key for \
            hashing citizen IDs, so the hub can spot the same citizen without ever seeing the number.

            A laptop whose token was revoked, or that moved to another commune, enrols again with a \
            new code and --again: every visit stays, and those the hub has not received go at the next sync.

            Example:
              fieldsync enroll --server https://hub.sotttt.example.vn --code \\
                  HCQT-11XV-HFDQ
              fieldsync enroll --again --server https://hub.sotttt.example.vn --code \\
                  7KQM-PZ2A-X9RT
            """)

    @OptionGroup var global: GlobalOptions
    @Option(help: "The hub's address, e.g. https://hub.example.vn or http://127.0.0.1:8080.") var server: String
    @Option(help: "The one-time enrolment code.") var code: String
    @Flag(help: "Allow plain http:// to a hub on another machine (the token and citizens' data travel unencrypted).")
    var insecureHttp = false
    @Flag(help: "Replace this laptop's enrolment (revoked token, or moved to another commune), keeping every visit.")
    var again = false

    func run() async throws {
        let store = try StoreAccess.open(try Paths.store(global), reading: true)
        let response = try await SyncClient().enroll(store, server: server, code: code, insecureHTTP: insecureHttp, again: again)
        print((again ? "enrolled again" : "enrolled") + " as device \(response.device) (\(response.role.rawValue), "
              + "commune \(response.scope.commune ?? "-"), team \(response.scope.team ?? "-")) with \(server)")
    }
}
