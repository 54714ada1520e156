import ArgumentParser
import CLISupport
import FieldModel
import FieldStore
import FieldSyncClient
import Localization

/// `fieldsync enroll`: trades a coordinator's one-time code for this laptop's device token.
struct EnrollCommand: AsyncParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "enroll", abstract: Catalogue.process["help.enroll"],
                             discussion: Catalogue.process["help.enroll.discussion"] + "\n\n" + Catalogue.process["help.example"]
                                 + "\n  fieldsync enroll --server https://hub.sotttt.example.vn --code \\\n      HCQT-11XV-HFDQ\n  fieldsync enroll --again --server https://hub.sotttt.example.vn --code \\\n      7KQM-PZ2A-X9RT")
    }

    @OptionGroup var global: GlobalOptions
    @Option(help: ArgumentHelp(Catalogue.process["help.opt.server"])) var server: String
    @Option(help: ArgumentHelp(Catalogue.process["help.opt.code"])) var code: String
    @Flag(help: ArgumentHelp(Catalogue.process["help.opt.insecure_http"])) var insecureHttp = false
    @Flag(help: ArgumentHelp(Catalogue.process["help.opt.again"])) var again = false

    func run() async throws {
        let store = try StoreAccess.open(try Paths.store(global), reading: true)
        let response = try await SyncClient().enroll(store, server: server, code: code, insecureHTTP: insecureHttp, again: again)
        let t = Catalogue.process
        print(t.format(again ? "enroll.again" : "enroll.done", server, t.role(response.role.rawValue).lowercased(),
                       response.scope.commune.map { c in "\(CommuneCatalogue.shared.commune(c)?.name ?? c) (\(c))" } ?? "—",
                       response.scope.team ?? "—"))
    }
}
