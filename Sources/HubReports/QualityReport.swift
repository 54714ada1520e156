import FieldModel
import Foundation
import HubCore
import Localization

/// The data-quality flags of a place and period with the thresholds they were computed by (`report quality`, the console).
public struct QualityReport: Codable, Sendable, Equatable {
    public var filter: ReportFilter
    public var rules: QualityRules
    public var flags: [QualityFlag]
}

extension QualityFlag {
    /// What the flag found, in words: "12 done VNeID level-2 activations within 15 minutes".
    public func explanation(_ t: Catalogue) -> String {
        let n = { (name: String) in t.number(figures[name] ?? 0) }
        return switch rule {
        case "burst": t.format("quality_burst", n("visits"), n("minutes"))
        case "shared-phone": t.format("quality_shared_phone", n("citizens"), n("visits"))
        case "night": t.format("quality_night", n("visits"), n("from"), n("to"))
        case "same-name": t.format("quality_same_name", n("visits"))
        case "failed-rate": t.format("quality_failed_rate", n("percent"), n("team"), n("visits"))
        case "coverage-jump": t.format("quality_coverage_jump", n("households"), n("of"), n("percent"), day.map(t.day) ?? "")
        default: t["quality_note"]
        }
    }

    /// The rule's name for people: "Ghi quá nhanh".
    public func ruleName(_ t: Catalogue) -> String { t["quality_rule_" + rule.replacingOccurrences(of: "-", with: "_")] }
}

extension QualityRules {
    /// The thresholds in use, in one sentence.
    public func summary(_ t: Catalogue) -> String {
        t.format("quality_thresholds", t.number(burstVisits), t.number(burstMinutes), t.number(sharedPhoneCitizens), "\(nightStart)", "\(nightEnd)",
                 t.number(sameNameNoID), t.number(rateGapPercent), t.number(rateMinimumVisits), t.number(jumpHouseholds), "\(jumpPercent)")
    }
}

extension QualityReport {
    /// The flags laid out for people (rule and reason in words) or programs (codes and figures).
    public func document(_ s: ReportStyle) -> ReportDocument {
        let rows = flags.map { flag in
            s.forPeople
                ? [flag.ruleName(s.catalogue), flag.subject, flag.explanation(s.catalogue), flag.visits.map { String($0.suffix(8)) }.joined(separator: " ")]
                : [flag.rule, flag.subject, flag.day ?? "", flag.figures.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ";"),
                   flag.visits.joined(separator: " ")]
        }
        let columns: [ReportDocument.Column] = s.forPeople
            ? [s.column("quality_rule", ""), s.column("quality_subject", ""), s.column("quality_why", ""), s.column("quality.visits", "")]
            : [.init("Rule"), .init("Subject"), .init("Day"), .init("Figures"), .init("Visits")]
        return ReportDocument(
            title: s.label("quality.title", "Data-quality flags"), subtitle: ReportRenderer.period(filter, s),
            summary: [(s.label("quality.flags", "Flags"), s.count(flags.count))],
            sections: [.init(title: s.label("quality.section", "Flags"), note: s.forPeople ? rules.summary(s.catalogue) : nil, columns: columns, rows: rows)])
    }
}
