import FieldModel
import Foundation
import HubCore
import Logging
import ServiceLifecycle
import SyncProtocol

/// Keeps the console's coverage counted ahead of the coordinators (issue 31): at the hub's start, after each Vietnam
/// midnight (follow-ups fall due) and every few minutes (communes that changed), it counts what `CoverageCache` lacks,
/// so a province's page finds its communes counted.
public struct CoverageWarmer: ServiceLifecycle.Service, Sendable {
    let cache: CoverageCache
    let storage: any HubStorage
    let interval: Duration
    let logger: Logger

    public init(cache: CoverageCache, storage: any HubStorage, interval: Duration = .seconds(300), logger: Logger) {
        self.cache = cache
        self.storage = storage
        self.interval = interval
        self.logger = logger
    }

    public func run() async {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                let start = ContinuousClock.now
                do {
                    let lines = try await cache.lines(in: Scope(), now: storage.clock.now(), storage: storage)
                    logger.debug("coverage counted", metadata: ["lines": "\(lines.count)", "took": "\(ContinuousClock.now - start)"])
                } catch is CancellationError {
                    return
                } catch {
                    // The pages count what they need themselves; the next round tries again.
                    logger.warning("coverage not counted ahead", metadata: ["error": "\(error)"])
                }
                do {
                    try await Task.sleep(for: min(interval, storage.clock.untilNextVietnamDay()))
                } catch {
                    return  // the hub stops: cancelled while waiting
                }
            }
        }
    }
}

extension HubClock {
    /// How long until a minute after the next Vietnam midnight.
    func untilNextVietnamDay() -> Duration {
        let now = self.now()
        let next = VietnamTime.start(ofDay: VietnamTime.day(of: now.addingTimeInterval(86_400))).flatMap(ISODate.parseCanonical) ?? now
        return .seconds(max(60, next.timeIntervalSince(now) + 60))
    }
}
