import CitizenPseudonym
import FieldModel
import Foundation
import HubCore
import HubSQLite
import NIOPosix
import SyncProtocol

/// Evaluates laptops' blinded citizen IDs with the hub's pseudonym key (Protocol/README.md §4.2),
/// within each device's daily allowance, on NIO's thread pool (an evaluation costs milliseconds of CPU).
public struct PseudonymEvaluator: Sendable {
    /// The key version served.
    public let secret: PseudonymSecret
    /// Evaluations one device may have per Vietnam day.
    public let perDay: Int

    /// An evaluator for a key and a daily allowance.
    public init(secret: PseudonymSecret, perDay: Int = PseudonymEvaluator.defaultPerDay) {
        self.secret = secret
        self.perDay = perDay
    }

    /// The default allowance: 1,000 a day (a volunteer logs about 60 visits a day; a fortnight offline
    /// still syncs in one day; a stolen token tries 1,000 of the ≈ 10^6 IDs a last-four mask leaves).
    public static let defaultPerDay = 1_000

    /// Evaluates the request's elements, as many as the device's allowance still covers today.
    func evaluate(_ request: PseudonymRequest, device: Device, storage: any HubStorage, now: Date = Date()) async throws -> PseudonymResponse {
        guard request.blinded.count <= WireLimits.maxPushRecords else {
            throw HubError.invalidRequest("at most \(WireLimits.maxPushRecords) citizen IDs per request, this one has \(request.blinded.count)")
        }
        let elements = try request.blinded.enumerated().map { index, hex throws(HubError) in
            guard hex.utf8.count == 98, let bytes = CitizenPseudonym.bytes(hex: hex) else {
                throw HubError.invalidRequest("blinded[\(index)] is not a blinded citizen ID (98 lowercase hex digits)")
            }
            return bytes
        }
        let day = VietnamTime.day(of: now)
        let (granted, remaining) = try await storage.takePseudonyms(device: device.id, day: day, wanted: elements.count, allowance: perDay)
        if granted == 0 && !elements.isEmpty {
            let local = now.timeIntervalSince1970 + TimeInterval(VietnamTime.zone.secondsFromGMT(for: now))
            let wait = 86_400 - Int(local.truncatingRemainder(dividingBy: 86_400))  // until Vietnam midnight
            throw HubError.tooManyRequests("this laptop has had its \(perDay) citizen-ID pseudonyms for today: the visits keep "
                                           + "their IDs and get pseudonyms at a sync tomorrow; ask the operator if more are needed",
                                           retryAfter: max(1, wait))
        }
        let key = secret.key
        let chunks = stride(from: 0, to: granted, by: 32).map { Array(elements[$0..<min(granted, $0 + 32)]) }
        let evaluated = try await withThrowingTaskGroup(of: (Int, [String]).self) { group in
            for (index, chunk) in chunks.enumerated() {
                group.addTask {
                    (index, try await NIOThreadPool.singleton.runIfActive {
                        try chunk.map { element throws(HubError) in
                            do { return CitizenPseudonym.hex(try key.evaluate(element)) } catch {
                                throw HubError.invalidRequest("a blinded citizen ID is not a point of the curve: \(error)")
                            }
                        }
                    })
                }
            }
            var results = [[String]](repeating: [], count: chunks.count)
            for try await (index, values) in group { results[index] = values }
            return results.flatMap { $0 }
        }
        return PseudonymResponse(key: secret.publicKey, evaluations: evaluated, remainingToday: remaining)
    }
}
