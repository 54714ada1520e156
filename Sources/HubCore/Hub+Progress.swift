import Crypto
import FieldModel
import Foundation
import SyncCore
import SyncProtocol
import TextSafety

// The progress report, written once for every storage engine.
extension Hub {
    /// The communes a report's filter covers, in code order.
    package static func communes(of filter: ReportFilter, catalogue: CommuneCatalogue) -> [Commune] {
        if let code = filter.commune { return catalogue.commune(code).map { [$0] } ?? [] }
        if let province = filter.province { return catalogue.communes(inProvince: province) }
        return catalogue.communes.values.sorted { $0.code < $1.code }
    }

    package static func count(_ counts: inout ProgressReport.Counts, outcome: String, reason: String, visits: Int) {
        switch outcome {
        case "done": counts.done += visits
        case "pending": counts.pending += visits
        default:
            counts.failed += visits
            counts.failedByReason[reason.isEmpty ? "unknown" : reason, default: 0] += visits
        }
        counts.failedByReason = counts.failedByReason.filter { $0.value != 0 }
    }

    package static func assemble(communes: [Commune], cells: [String: [String: ProgressReport.Counts]], communeCitizens: [String: Int],
                         filter: ReportFilter, targets: Targets?, catalogue: CommuneCatalogue) -> ProgressReport {
        var provinces: [String: ProgressReport.ProvinceLine] = [:]
        var inactive = 0
        for commune in communes {
            var services: [ProgressReport.ServiceLine] = []
            var totals = ProgressReport.Counts()
            // The built-in services in their order, then any a published version of the visit kind added.
            let builtIn = Service.allCases.map(\.rawValue)
            let published = (cells[commune.code]?.keys ?? [:].keys).filter { !builtIn.contains($0) }.sorted()
            for service in builtIn + published {
                var counts = cells[commune.code]?[service] ?? .init()
                counts.setTarget(targets?.values[commune.code]?[service])
                counts.applyTarget()
                if counts.visits > 0 || counts.target != nil { services.append(.init(service: service, counts: counts)) }
                totals.add(counts)
            }
            totals.citizens = communeCitizens[commune.code] ?? totals.citizens
            totals.applyTarget()
            let active = totals.visits > 0
            if !active { inactive += 1 }
            if targets != nil { services.sort { ($0.counts.percent ?? .infinity) < ($1.counts.percent ?? .infinity) } }
            let line = ProgressReport.CommuneLine(commune: commune.code, name: commune.name, active: active, totals: totals, services: services)
            provinces[commune.provinceCode, default: .init(province: commune.provinceCode, name: commune.provinceName,
                                                           totals: .init(), communes: [])].communes.append(line)
            provinces[commune.provinceCode]?.totals.add(totals)
        }
        var report = ProgressReport(filter: filter, withTargets: targets != nil, totals: .init(), provinces: [], inactiveCommunes: inactive)
        for code in provinces.keys.sorted() {
            guard var province = provinces[code] else { continue }
            province.totals.applyTarget()
            if targets != nil {
                province.communes.sort { ($0.totals.percent ?? .infinity, $0.commune) < ($1.totals.percent ?? .infinity, $1.commune) }
            }
            report.totals.add(province.totals)
            report.provinces.append(province)
        }
        report.totals.applyTarget()
        if targets != nil {
            report.provinces.sort { ($0.totals.percent ?? .infinity, $0.province) < ($1.totals.percent ?? .infinity, $1.province) }
        }
        return report
    }
}
