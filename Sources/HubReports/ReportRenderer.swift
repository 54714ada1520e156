import FieldModel
import Foundation
import HubCore
import HubSQLite
import Localization
import TextSafety

/// The coordinators' reports by name.
public enum ReportName: String, CaseIterable, Sendable {
    case merge, progress, devices, duplicates, coverage, quality
}

/// The formats every report renders to.
public enum ReportFormat: String, CaseIterable, Sendable {
    case table, csv, json, html

    /// The HTTP content type.
    public var contentType: String {
        switch self {
        case .table: "text/plain; charset=utf-8"
        case .csv: "text/csv; charset=utf-8"
        case .json: "application/json; charset=utf-8"
        case .html: "text/html; charset=utf-8"
        }
    }
}

/// What a report request asks for.
public struct ReportRequest: Sendable {
    public var name: ReportName
    public var format: ReportFormat
    public var filter: ReportFilter
    public var targets: Targets?
    public var staleDays: Int
    /// For `table`: the width to fit (nil: every table in columns, however wide).
    public var width: Int?
    /// For `table` and `html`: the language people read (Vietnamese by default).
    public var language: Language
    /// For `csv`: the table to write (`ReportDocument.tableNames`), or the report's main one.
    public var table: String?
    /// For `progress`: VNeID level 2 targets derived from the household lists, this share of each commune's adults
    /// (where `targets` has none).
    public var targetShare: Double?
    /// For `quality`: the thresholds.
    public var qualityRules: QualityRules

    public init(name: ReportName, format: ReportFormat, filter: ReportFilter, targets: Targets? = nil, staleDays: Int = 7,
                width: Int? = SafeText.terminalWidth, language: Language = .vietnamese, table: String? = nil, targetShare: Double? = nil,
                qualityRules: QualityRules = QualityRules()) {
        self.qualityRules = qualityRules
        self.table = table
        self.targetShare = targetShare
        self.width = width
        self.language = language
        self.name = name
        self.format = format
        self.filter = filter
        self.targets = targets
        self.staleDays = staleDays
    }
}

/// Runs a report against the store and renders it.
public enum ReportRenderer {
    /// The rendered report, read from any store (SQLite or PostgreSQL).
    public static func render(_ request: ReportRequest, storage: any HubStorage, now: Date = Date()) async throws -> String {
        switch request.name {
        case .merge:
            let report = try await storage.mergeReport(request.filter)
            return try render(report, request.format, width: request.width, language: request.language, table: request.table) { $0.document($1, filter: request.filter) }
        case .progress:
            var targets = request.targets
            if let share = request.targetShare {
                let derived = Targets.fromHouseholds(try await storage.coverageLines(in: request.filter.scope, now: now), share: share)
                targets = targets?.filling(from: derived) ?? derived
            }
            let report = try await storage.progressReport(request.filter, targets: targets)
            return try render(report, request.format, width: request.width, language: request.language, table: request.table) { $0.document($1) }
        case .devices:
            let report = try await storage.devicesReport(request.filter, staleDays: request.staleDays, now: now)
            return try render(report, request.format, width: request.width, language: request.language, table: request.table) { $0.document($1) }
        case .duplicates:
            return try render(try await storage.duplicatesReport(request.filter), request.format, width: request.width, language: request.language, table: request.table) { $0.document($1) }
        case .coverage:
            return try render(try await storage.coverageReport(request.filter, now: now), request.format, width: request.width, language: request.language,
                              table: request.table) { $0.document($1) }
        case .quality:
            let flags = try await storage.qualityFlags(scope: request.filter.scope, since: request.filter.since, until: request.filter.until,
                                                       rules: request.qualityRules)
            return try render(QualityReport(filter: request.filter, rules: request.qualityRules, flags: flags), request.format, width: request.width,
                              language: request.language, table: request.table) { $0.document($1) }
        }
    }

    static func render<T: Encodable>(_ report: T, _ format: ReportFormat, width: Int? = nil, language: Language = .vietnamese,
                                     table: String? = nil, document: (T, ReportStyle) -> ReportDocument) throws -> String {
        func forPeople() -> ReportDocument {
            var laidOut = document(report, .people(language))
            laidOut.language = language.rawValue
            laidOut.subtitle += " · " + Catalogue(language)["times_in"]
            return laidOut
        }
        switch format {
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            return SafeText.jsonEscapingInvisible(String(decoding: try encoder.encode(report), as: UTF8.self)) + "\n"
        case .table: return forPeople().table(width: width)
        case .csv: return try document(report, .programs).csv(table: table)
        case .html: return forPeople().html()
        }
    }

    /// The place and dates a report covers: "xã 00004 Phường Ba Đình, 25/11/2026 – 01/12/2026" for people,
    /// "commune 00004 Phường Ba Đình, 2026-11-24T17:00:00Z – …" for programs.
    static func period(_ filter: ReportFilter, _ s: ReportStyle) -> String {
        let place = filter.commune.map { c in s.label("period.commune", "commune") + " \(c) \(CommuneCatalogue.shared.commune(c)?.name ?? "")" }
            ?? filter.province.map { p in s.label("period.province", "province") + " \(p) \(CommuneCatalogue.shared.provinces[p] ?? "")" }
            ?? s.label("period.whole_country", "whole country")
        func moment(_ text: String, end: Bool = false) -> String {
            guard s.forPeople else { return text }
            // `until` is the start of the day after the last one: people read the last day itself.
            guard let day = VietnamTime.dayStarting(at: text) else { return s.time(text) }
            guard end, let start = ISODate.parseCanonical(text) else { return s.catalogue.day(day) }
            return s.catalogue.day(VietnamTime.day(of: start.addingTimeInterval(-1)))
        }
        let dates = switch (filter.since, filter.until) {
        case (nil, nil): s.label("period.all_dates", "all dates")
        case (let since?, nil): s.label("period.from", "from") + " " + moment(since)
        case (nil, let until?): s.label("period.before", "before") + " " + moment(until, end: true)
        case (let since?, let until?): "\(moment(since)) – \(moment(until, end: true))"
        }
        return "\(place), \(dates)"
    }
}
