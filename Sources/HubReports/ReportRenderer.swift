import FieldModel
import Foundation
import HubCore
import HubSQLite
import TextSafety

/// The coordinators' reports by name.
public enum ReportName: String, CaseIterable, Sendable {
    case merge, progress, devices, duplicates
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
    public var language: ReportLanguage
    /// For `csv`: the table to write (`ReportDocument.tableNames`), or the report's main one.
    public var table: String?

    public init(name: ReportName, format: ReportFormat, filter: ReportFilter, targets: Targets? = nil, staleDays: Int = 7,
                width: Int? = SafeText.terminalWidth, language: ReportLanguage = .vietnamese, table: String? = nil) {
        self.table = table
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
            return try render(report, request.format, width: request.width, language: request.language, table: request.table) { $0.document(filter: request.filter) }
        case .progress:
            let report = try await storage.progressReport(request.filter, targets: request.targets)
            return try render(report, request.format, width: request.width, language: request.language, table: request.table) { $0.document() }
        case .devices:
            let report = try await storage.devicesReport(request.filter, staleDays: request.staleDays, now: now)
            return try render(report, request.format, width: request.width, language: request.language, table: request.table) { $0.document() }
        case .duplicates:
            return try render(try await storage.duplicatesReport(request.filter), request.format, width: request.width, language: request.language, table: request.table) { $0.document() }
        }
    }

    static func render<T: Encodable>(_ report: T, _ format: ReportFormat, width: Int? = nil, language: ReportLanguage = .vietnamese,
                                     table: String? = nil, document: (T) -> ReportDocument) throws -> String {
        switch format {
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            return SafeText.jsonEscapingInvisible(String(decoding: try encoder.encode(report), as: UTF8.self)) + "\n"
        case .table: return document(report).forPeople(language).table(width: width)
        case .csv: return try document(report).csv(table: table)
        case .html: return document(report).forPeople(language).html()
        }
    }

    /// "all dates", "from X", "X – Y" for a subtitle.
    static func period(_ filter: ReportFilter) -> String {
        let place = filter.commune.map { c in "commune \(c) \(CommuneCatalogue.shared.commune(c)?.name ?? "")" }
            ?? filter.province.map { p in "province \(p) \(CommuneCatalogue.shared.provinces[p] ?? "")" } ?? "whole country"
        let dates = switch (filter.since, filter.until) {
        case (nil, nil): "all dates"
        case (let s?, nil): "from \(s)"
        case (nil, let u?): "before \(u)"
        case (let s?, let u?): "\(s) – \(u)"
        }
        return "\(place), \(dates)"
    }
}
