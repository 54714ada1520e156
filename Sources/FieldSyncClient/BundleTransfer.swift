import FieldModel
import FieldStore
import Foundation
import OfflineBundle
import SyncProtocol

/// A laptop's side of offline bundles (Protocol/README.md §9): `fieldsync bundle export` and `import`.
public enum BundleTransfer {
    /// How long the hub takes a bundle after it was written.
    public static let validity: TimeInterval = 30 * 86_400

    /// What an export wrote.
    public struct Exported: Sendable {
        public let bundle: String
        public let visits: Int
        public let file: Data
    }

    /// What applying an answer did.
    public struct Applied: Sendable {
        /// Visits the hub acknowledged, and refused (with why).
        public let acknowledged: Int
        public let rejected: [Rejection]
        /// Changes from the hub merged here, and conflicts found merging them.
        public let pulled: Int
        public let conflicts: Int
        /// Whether this answer had been applied before (nothing was done again).
        public let again: Bool
    }

    /// Everything the hub has not acknowledged, signed with this laptop's key and sealed to the hub's.
    /// - Throws: `SyncError.notEnrolled`, `BundleError.noKeys` for a laptop enrolled before bundles.
    public static func export(_ store: FieldStore, now: Date = Date()) throws -> Exported {
        guard let enrollment = try store.enrollment() else { throw SyncError.notEnrolled }
        guard let hubText = try store.hubBundleKeys(), let hub = BundleKeys.publicKeys(hubText) else {
            throw BundleError.noKeys(device: enrollment.device)
        }
        let keys = try store.bundleKeys()
        let bundle = "b-" + (0..<2).map { _ in String(format: "%016llx", UInt64.random(in: 0...UInt64.max)) }.joined()
        let (batches, cursor) = try store.bundlePushes(bundle: bundle)
        let body = PushBundle(bundle: bundle, device: enrollment.device, created: ISODate.format(now),
                              expires: ISODate.format(now.addingTimeInterval(validity)), pullAfter: cursor, batches: batches)
        let file = try OfflineBundle.seal(Data(body.encoded()), kind: .push, to: hub.agreement, signedBy: keys.signing, signer: enrollment.device)
        return Exported(bundle: bundle, visits: batches.reduce(0) { $0 + $1.records.count }, file: file)
    }

    /// Checks the hub's answer (sealed to this laptop, signed by its hub, to a bundle it wrote) and applies it as a sync would.
    public static func importAnswer(_ file: Data, into store: FieldStore, now: Date = Date()) throws -> Applied {
        guard let enrollment = try store.enrollment() else { throw SyncError.notEnrolled }
        guard let hubText = try store.hubBundleKeys(), let hub = BundleKeys.publicKeys(hubText) else {
            throw BundleError.noKeys(device: enrollment.device)
        }
        let body = try OfflineBundle.open(file, kind: .answer, with: try store.bundleKeys().agreement).body(signedBy: hub.signing, signer: "the hub")
        let answer: AnswerBundle
        do {
            answer = try AnswerBundle.decode(Array(body))
        } catch {
            throw BundleError.notABundle("\(error)")
        }
        guard answer.device == enrollment.device else { throw BundleError.notForThisLaptop }
        guard let summaries = try store.applyBundleAnswer(answer, now: now) else {
            return Applied(acknowledged: 0, rejected: [], pulled: 0, conflicts: 0, again: true)
        }
        return Applied(acknowledged: answer.responses.reduce(0) { $0 + $1.received },
                       rejected: answer.responses.flatMap(\.rejected),
                       pulled: summaries.reduce(0) { $0 + $1.fastForward + $1.merged + $1.conflicts + $1.editVsDelete },
                       conflicts: summaries.reduce(0) { $0 + $1.conflicts + $1.editVsDelete }, again: false)
    }
}
