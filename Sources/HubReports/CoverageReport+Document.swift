import FieldModel
import HubCore
import Localization

extension CoverageReport {
    /// The coverage report laid out for people or programs: villages first (the main table), then communes, citizens
    /// per service and the weekly trend.
    public func document(_ s: ReportStyle) -> ReportDocument {
        let catalogue = s.catalogue
        func percent(_ part: Int, of whole: Int) -> String {
            guard whole > 0 else { return s.forPeople ? "—" : "" }
            let value = (Double(part) / Double(whole) * 1000).rounded() / 10
            return s.forPeople ? catalogue.percent(value) : String(value)
        }
        func place(_ line: CoverageLine) -> [String] {
            let commune = s.forPeople ? catalogue.value(.text(line.commune), of: "commune") : line.commune
            let village = line.village.isEmpty ? s.label("coverage.no_household", "(no household)") : line.village
            return [commune, village]
        }
        func figures(_ line: CoverageLine) -> [String] {
            [s.count(line.households), s.count(line.visited), percent(line.visited, of: line.households), s.count(line.adults),
             s.count(line.level2Pending), s.count(line.level2Done), percent(line.level2Done, of: line.adults), s.count(line.due),
             s.count(line.overdue)]
        }
        let figureColumns: [ReportDocument.Column] = [
            s.column("coverage.households", "Households", numeric: true), s.column("coverage.visited", "Visited", numeric: true),
            s.column("coverage.visited_share", "Visited %", numeric: true), s.column("coverage.adults", "Adults", numeric: true),
            s.column("coverage.pending", "Level 2 pending", numeric: true), s.column("coverage.done", "Level 2 activated", numeric: true),
            s.column("coverage.done_share", "Activated per adult %", numeric: true), s.column("coverage.due", "Follow-ups due", numeric: true),
            s.column("coverage.overdue", "Follow-ups overdue", numeric: true),
        ]
        let listed = villages.filter { !$0.village.isEmpty }
        let villagesSection = ReportDocument.Section(
            title: s.label("coverage.villages", "Villages"),
            note: s.label("coverage.villages_note", "Households in the list and visited at least once; VNeID level 2 applied (pending, not yet activated) and activated, by citizen; follow-ups whose day has come."),
            columns: [s.column("coverage.commune", "Commune"), s.column("coverage.village", "Village")] + figureColumns,
            rows: villages.map { place($0) + figures($0) },
            flagged: Set(villages.indices.filter { villages[$0].overdue > 0 }),
            chart: listed.isEmpty ? nil : .init(
                caption: s.label("coverage.chart_visited", "Households visited, by village"),
                bars: listed.prefix(40).map { .init(label: $0.village, value: Double($0.visited), note: s.count($0.visited) + " / " + s.count($0.households)) },
                maximum: Double(listed.map(\.households).max() ?? 1)))
        let communesSection = ReportDocument.Section(
            title: s.label("coverage.communes", "Communes"), columns: [s.column("coverage.commune", "Commune")] + figureColumns,
            rows: communes.map { [place($0)[0]] + figures($0) })
        let services = citizensByService.sorted { ($1.value, $0.key) < ($0.value, $1.key) }
        let servicesSection = ReportDocument.Section(
            title: s.label("coverage.services", "Citizens helped, by service"),
            columns: [s.column("coverage.service", "Service"), s.column("coverage.citizens", "Citizens", numeric: true)],
            rows: services.map { [s.service($0.key), s.count($0.value)] })
        let weeksSection = ReportDocument.Section(
            title: s.label("coverage.weeks", "Trend by week"),
            columns: [s.column("coverage.week", "Week from"), s.column("coverage.visits", "Visits", numeric: true),
                      s.column("coverage.week_done", "Done", numeric: true)],
            rows: weeks.map { [s.forPeople ? catalogue.day($0.start) : $0.start, s.count($0.visits), s.count($0.done)] },
            chart: weeks.isEmpty ? nil : .init(
                caption: s.label("coverage.chart_weeks", "Visits per week (done, others)"),
                bars: weeks.map { .init(label: s.forPeople ? catalogue.day($0.start) : $0.start, value: Double($0.visits),
                                        parts: [Double($0.done), Double($0.visits - $0.done)], note: s.count($0.visits)) },
                maximum: Double(weeks.map(\.visits).max() ?? 1)))
        return ReportDocument(
            title: s.label("coverage.title", "Coverage"),
            subtitle: ReportRenderer.period(filter, s),
            summary: [(s.label("coverage.households", "Households"), s.count(total.households)),
                      (s.label("coverage.visited", "Visited"), s.count(total.visited) + (total.households > 0 ? " (" + percent(total.visited, of: total.households) + ")" : "")),
                      (s.label("coverage.adults", "Adults"), s.count(total.adults)),
                      (s.label("coverage.pending", "Level 2 pending"), s.count(total.level2Pending)),
                      (s.label("coverage.done", "Level 2 activated"), s.count(total.level2Done)),
                      (s.label("coverage.overdue", "Follow-ups overdue"), s.count(total.overdue))],
            sections: [villagesSection, communesSection, servicesSection, weeksSection])
    }
}
