import FieldModel
import HubCore
import HubSQLite
import TextSafety

extension ReportFilter {
    /// A filter from what a person or a URL gave: dates in any ISO 8601 form (a date or time without a zone is
    /// Vietnam time: `2026-11-25` starts at 00:00 in Vietnam), codes checked against the catalogue.
    /// - Throws: `HubError.invalidRequest` saying which value is wrong.
    public static func parsing(since: String?, until: String?, province: String?, commune: String?) throws(HubError) -> ReportFilter {
        do {
            if let province, CommuneCatalogue.shared.validateProvince(province) == nil {
                throw HubError.invalidRequest("province \(SafeText.quote(province)) is not in the 2025 catalogue (34 provinces, codes like 01, 79)")
            }
            let commune = try commune.map { code throws(InputError) in try CommuneCatalogue.shared.validate(code).code }
            return ReportFilter(since: try since.map { text throws(InputError) in ISODate.format(try ISODate.parse(text, timeZone: VietnamTime.zone)) },
                                until: try until.map { text throws(InputError) in ISODate.format(try ISODate.parse(text, timeZone: VietnamTime.zone)) },
                                province: province, commune: commune)
        } catch let error as HubError {
            throw error
        } catch {
            throw HubError.invalidRequest("\(error)")
        }
    }
}
