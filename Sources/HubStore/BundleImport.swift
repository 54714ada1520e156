import Crypto
import FieldModel
import Foundation
import OfflineBundle
import SyncProtocol

/// Imports a laptop's offline bundle (Protocol/README.md §9) exactly as its pushes over the network,
/// and makes the signed, sealed answer the laptop applies as a sync would.
public struct BundleImport: Sendable {
    /// The most pull pages an answer carries (10,000 states); the laptop's next bundle or sync goes on from there.
    public static let maxPages = 20

    /// What one import did.
    public struct Outcome: Sendable {
        public let bundle: String
        public let device: String
        public let responses: [PushResponse]
        public let pulled: Int
        /// The answer file's bytes.
        public let answer: Data
    }

    let storage: any HubStorage
    let keys: BundleKeys

    /// An importer into `storage` with the hub's bundle keys.
    public init(storage: any HubStorage, keys: BundleKeys) {
        self.storage = storage
        self.keys = keys
    }

    /// Checks, merges and answers one bundle file.
    /// - Throws: `BundleError` for a bundle refused whole (nothing written), `HubError` for a push the hub refuses.
    public func run(_ file: Data, now: Date = Date()) async throws -> Outcome {
        let opened = try OfflineBundle.open(file, kind: .push, with: keys.agreement)
        // The device the bundle claims, to find the key its signature must verify with. The body is read
        // once: its tree is taken as the bundle only after the signature over it checks.
        let json: JSONValue
        do {
            json = try JSONParser.parse(Array(try opened.unverifiedBody()))
        } catch let error as BundleError {
            throw error
        } catch {
            throw BundleError.notABundle("\(error)")
        }
        guard case .string(let claimed)? = json["device"] else { throw BundleError.notABundle("it names no device") }
        guard let device = try await storage.devices().first(where: { $0.id == claimed }) else {
            throw BundleError.unknownDevice(claimed)
        }
        guard let text = try await storage.bundleKey(device: device.id), let deviceKeys = BundleKeys.publicKeys(text) else {
            throw BundleError.noKeys(device: device.id)
        }
        try opened.verify(signedBy: deviceKeys.signing, signer: device.id)
        let bundle: PushBundle
        do {
            bundle = try PushBundle(json: json)
        } catch {
            throw BundleError.notABundle("\(error)")
        }
        if let revoked = device.revokedAt { throw BundleError.revoked(device: device.id, at: revoked) }
        guard let expires = ISODate.parseCanonical(bundle.expires), expires > now else { throw BundleError.expired(at: bundle.expires) }
        guard !bundle.batches.isEmpty, bundle.batches.allSatisfy({ $0.sync == bundle.bundle }) else {
            throw BundleError.notABundle("its batches do not belong to it")
        }
        if let at = try await storage.batchReceived(device: device.id, batch: bundle.batches[0].batch) {
            throw BundleError.replayed(bundle: bundle.bundle, at: at)
        }
        var responses: [PushResponse] = []
        for batch in bundle.batches { responses.append(try await storage.push(batch, from: device)) }
        var pages: [PullPage] = []
        var cursor = bundle.pullAfter
        while pages.count < Self.maxPages {
            let page = try await storage.pull(after: cursor, limit: WireLimits.defaultPullLimit, for: device, session: bundle.bundle,
                                              checkpoint: true)
            pages.append(page)
            cursor = page.cursor
            if !page.more { break }
        }
        let answer = AnswerBundle(bundle: bundle.bundle, device: device.id, created: ISODate.format(now), responses: responses, pages: pages)
        let sealed = try OfflineBundle.seal(Data(answer.encoded()), kind: .answer, to: deviceKeys.agreement, signedBy: keys.signing)
        return Outcome(bundle: bundle.bundle, device: device.id, responses: responses, pulled: pages.reduce(0) { $0 + $1.records.count },
                       answer: sealed)
    }
}
