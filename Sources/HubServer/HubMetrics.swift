import Foundation
import Metrics
import Prometheus
import SyncProtocol

/// The hub's Prometheus metrics (`GET /metrics`): HTTP requests and their latency (Hummingbird's
/// `MetricsMiddleware` through swift-metrics), pushes, records by merge class, refused requests by
/// HTTP status, and the size of the store's files.
public struct HubMetrics: Sendable {
    /// Every metric, in the Prometheus text format.
    public let registry: PrometheusCollectorRegistry
    let pushes: Prometheus.Counter
    let records: [String: Prometheus.Counter]
    let storeBytes: Prometheus.Gauge

    /// Metrics in a registry of their own.
    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        pushes = registry.makeCounter(descriptor: Self.name("pushes", "total", "Pushes merged."))
        let records = Self.name("records", "total", "Records received in pushes, by merge class.")
        self.records = Dictionary(uniqueKeysWithValues: ["already-known", "fast-forward", "merged", "conflict", "edit-vs-delete", "rejected"]
            .map { ($0, registry.makeCounter(descriptor: records, labels: [("class", $0)])) })
        storeBytes = registry.makeGauge(descriptor: Self.name("store", "bytes", "Size of the hub store's files (database and WAL)."))
    }

    /// `fieldsync_<name>_<unit>`.
    static func name(_ name: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "fieldsync", metricName: name, unitName: unit, helpText: help)
    }

    /// Sends swift-metrics (Hummingbird's request counts and latency histograms) to this registry.
    /// Once per process: swift-metrics has one global backend.
    public func bootstrap() {
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
    }

    /// Counts a merged push.
    func count(_ response: PushResponse) {
        pushes.increment()
        for (name, n) in [("already-known", response.alreadyKnown), ("fast-forward", response.fastForward),
                          ("merged", response.merged), ("conflict", response.conflicts),
                          ("edit-vs-delete", response.editVsDelete), ("rejected", response.rejected.count)] where n > 0 {
            records[name]?.increment(by: Int64(n))
        }
    }

    /// Counts citizen-ID pseudonyms evaluated.
    func countPseudonyms(_ n: Int) {
        registry.makeCounter(descriptor: Self.name("pseudonyms", "total", "Citizen-ID pseudonyms evaluated for laptops.")).increment(by: Int64(n))
    }

    /// Counts a request answered with an error status.
    func count(status: Int) {
        registry.makeCounter(descriptor: Self.name("refused_requests", "total", "Requests answered with an error, by HTTP status."),
                             labels: [("status", "\(status)")]).increment()
    }

    /// The text exposition, with the store's size measured now (when it has files to measure).
    func exposition(storeBytes bytes: Int64?) -> [UInt8] {
        if let bytes { storeBytes.set(bytes) }
        return registry.emitToBuffer()
    }
}
