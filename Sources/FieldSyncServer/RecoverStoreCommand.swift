import ArgumentParser
import CitizenPseudonym
import Foundation
import HubCore
import HubSQLite
import StoreCrypto

/// `fieldsync-server recover-store`: opens a laptop store's recovery request with the hub's recovery key.
struct RecoverStoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recover-store",
        abstract: "Answer a laptop's recovery request (its volunteer left or forgot the passphrase).",
        discussion: """
            On the laptop: `fieldsync recover --request request.json` writes the request. Carry it
            here (USB stick), check whose store it is (printed), then run this command; carry the
            answer back: `fieldsync recover --answer answer.txt` sets a new passphrase. The answer
            opens only with a key that stayed on that laptop.

            Example:
              fieldsync-server --db hub.sqlite recover-store request.json --answer answer.txt
            """)
    @OptionGroup var global: HubOptions
    @Argument(help: "The request file the laptop wrote.") var request: String
    @Option(help: ArgumentHelp("Where to write the answer (default: standard output).", valueName: "path")) var answer: String?

    func run() async throws {
        let body: RecoveryRequest
        do {
            body = try JSONDecoder().decode(RecoveryRequest.self, from: Data(contentsOf: URL(fileURLWithPath: request)))
        } catch {
            throw ServerInputError("\(request) is not a recovery request written by `fieldsync recover --request` (\(error))")
        }
        guard let hubKey = try global.keys.recoveryKey() else {
            throw ServerInputError("the key file \(global.keys.path) has no recovery key: start the hub once with it, or give --key-file")
        }
        guard let wrapped = Data(base64Encoded: body.wrapped), let answerKey = CitizenPseudonym.bytes(hex: body.answerKey), answerKey.count == 32 else {
            throw ServerInputError("\(request) is damaged: ask the laptop for a new request")
        }
        let secret = try KeyWraps.unwrapRecovery(wrapped, hubPrivateKey: hubKey, store: body.store)
        let sealed = try KeyWraps.wrapForRecovery(secret, hubKey: answerKey, store: body.store).base64EncodedString()
        try await global.audit(.storeRecover, scope: "store \(body.store)", detail: ["volunteer": body.volunteer])
        if let answer {
            try Data((sealed + "\n").utf8).write(to: URL(fileURLWithPath: answer), options: .atomic)
            FileHandle.standardError.write(Data("recovery answer for \(body.volunteer)'s store written to \(answer)\n".utf8))
        } else {
            print(sealed)
        }
    }
}
