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

    /// The enrolled device a bundle names.
    static func device(_ id: String, in storage: any HubStorage) async throws -> Device {
        guard let device = try await storage.devices().first(where: { $0.id == id }) else { throw BundleError.unknownDevice(id) }
        return device
    }

    /// The key a device's bundles are signed with.
    static func signingKey(of device: Device, in storage: any HubStorage) async throws -> Curve25519.Signing.PublicKey {
        guard let text = try await storage.bundleKey(device: device.id), let keys = BundleKeys.publicKeys(text) else {
            throw BundleError.noKeys(device: device.id)
        }
        return keys.signing
    }

    /// Checks, merges and answers one bundle file.
    /// - Throws: `BundleError` for a bundle refused whole (nothing written), `HubError` for a push the hub refuses.
    public func run(_ file: Data, now: Date = Date()) async throws -> Outcome {
        let opened = try OfflineBundle.open(file, kind: .push, with: keys.agreement)
        // The device the bundle names, to find the key its signature must verify with: outside the compressed body
        // (format 3), so nothing is inflated before the signature checks; a format-2 body is read first, up to its limit.
        let json: JSONValue
        let device: Device
        do {
            if let claimed = opened.signer {
                device = try await Self.device(claimed, in: storage)
                json = try JSONParser.parse(Array(try opened.body(signedBy: try await Self.signingKey(of: device, in: storage), signer: device.id)))
            } else {
                let unverified = try JSONParser.parse(Array(try opened.unverifiedBody()))
                guard case .string(let claimed)? = unverified["device"] else { throw BundleError.notABundle("it names no device") }
                device = try await Self.device(claimed, in: storage)
                try opened.verify(signedBy: try await Self.signingKey(of: device, in: storage), signer: device.id)
                json = unverified
            }
        } catch let error as BundleError {
            throw error
        } catch let error as WireDecodingError {
            throw BundleError.notABundle("\(error)")
        }
        guard json["device"] == .string(device.id) else { throw BundleError.notABundle("its body names another device than its signer") }
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
        // The kinds the hub published travel with the answer, as a sync brings them (§12).
        let published = try await storage.publishedKindCount()
        let kinds = published == 0 ? nil : try KindsAnswer(kinds: try await storage.kinds().map(\.document)).text()
        let answer = AnswerBundle(bundle: bundle.bundle, device: device.id, created: ISODate.format(now), responses: responses, pages: pages,
                                  kinds: kinds, kindsPublished: published == 0 ? nil : published)
        guard let text = try await storage.bundleKey(device: device.id), let deviceKeys = BundleKeys.publicKeys(text) else {
            throw BundleError.noKeys(device: device.id)
        }
        let sealed = try OfflineBundle.seal(Data(answer.encoded()), kind: .answer, to: deviceKeys.agreement, signedBy: keys.signing,
                                            signer: "hub")
        return Outcome(bundle: bundle.bundle, device: device.id, responses: responses, pulled: pages.reduce(0) { $0 + $1.records.count },
                       answer: sealed)
    }
}
