import FieldModel
import Foundation

/// The language of reports laid out for people (tables and HTML): Vietnamese by default, English as an
/// option. CSV and JSON stay as programs read them: English column names, UTC ISO 8601 times.
public enum ReportLanguage: String, CaseIterable, Sendable {
    case vietnamese = "vi"
    case english = "en"
}

extension ReportDocument {
    /// The document as people read it: every moment in Vietnam time (`25/11/2026 08:15`, labelled in the
    /// subtitle), and in Vietnamese the labels, headings, notes and words of the report translated.
    public func forPeople(_ language: ReportLanguage) -> ReportDocument {
        let vi = language == .vietnamese
        func word(_ text: String) -> String { vi ? Self.vietnamese[text] ?? text : text }
        func phrase(_ text: String) -> String {
            var out = Self.times(in: text)
            if vi { for (english, vietnamese) in Self.vietnamesePhrases { out = out.replacingOccurrences(of: english, with: vietnamese) } }
            return out
        }
        var document = self
        document.language = language.rawValue
        document.title = word(title)
        document.subtitle = phrase(subtitle) + (vi ? " · giờ Việt Nam (UTC+7)" : " · Vietnam time (UTC+7)")
        document.summary = summary.map { (word($0.0), phrase($0.1)) }
        document.sections = sections.map { section in
            var s = section
            s.title = word(section.title)
            s.note = section.note.map { word($0) }
            s.columns = section.columns.map { .init(word($0.title), numeric: $0.numeric) }
            s.rows = section.rows.map { row in row.map { cell in word(Self.times(in: cell)) } }
            if var chart = section.chart {
                chart.caption = word(chart.caption)
                chart.legend = chart.legend.map(word)
                s.chart = chart
            }
            return s
        }
        return document
    }

    /// Every canonical UTC timestamp in a text, as Vietnam time.
    static func times(in text: String) -> String {
        // Losing this error is safe: the pattern is a constant that compiles; if it ever did not, times stay as written.
        guard text.contains("Z"), let regex = try? Regex(#"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z"#) else { return text }
        return text.replacing(regex) { match in VietnamTime.display(canonical: String(text[match.range])) }
    }

    /// Whole labels and cell words.
    static let vietnamese: [String: String] = [
        "Merge report": "Báo cáo hợp nhất", "Progress": "Tiến độ", "Devices": "Thiết bị", "Probable duplicates": "Nghi trùng lặp",
        "Batches": "Lô dữ liệu", "Records received": "Bản ghi nhận được", "Already known": "Đã có", "Fast-forward": "Cập nhật thẳng",
        "Merged (different fields)": "Hợp nhất (khác trường)", "Conflicts": "Xung đột", "Edit vs delete": "Sửa – xóa",
        "Resolved": "Đã xử lý", "Quarantined": "Cách ly", "Refused pushes": "Lần gửi bị từ chối",
        "Device": "Thiết bị", "Volunteer": "Tình nguyện viên", "Team": "Tổ", "Commune": "Xã/phường", "Received": "Nhận",
        "Known": "Đã có", "Fast-fwd": "Thẳng", "Merged": "Hợp nhất", "Edit/del": "Sửa/xóa", "Refused": "Từ chối",
        "Quarantined records": "Bản ghi bị cách ly", "Visit": "Lượt", "Reason": "Lý do", "Times": "Số lần", "Bytes": "Byte",
        "Payload": "Dữ liệu", "When": "Lúc", "Detail": "Chi tiết",
        "Refused by validation; the payload is kept for correction (its start is shown).":
            "Bị từ chối khi kiểm tra; dữ liệu được giữ lại để sửa (hiện phần đầu).",
        "Whole pushes refused: a restored laptop, a clock far ahead, a visit outside the scope.":
            "Cả lần gửi bị từ chối: máy khôi phục từ bản sao cũ, đồng hồ chạy quá nhanh, lượt ngoài địa bàn.",
        "Id": "Mã", "Citizen": "Người dân", "Field": "Trường", "Value 1": "Giá trị 1", "Value 2": "Giá trị 2",
        "Written by": "Người ghi", "Kept": "Được giữ", "Found": "Phát hiện", "Resolution": "Xử lý", "open": "chưa xử lý",
        "(same values)": "(cùng giá trị)", "Kind": "Loại", "Found by": "Phát hiện bởi", "Fields": "Các trường", "Now": "Hiện tại",
        "value 1": "giá trị 1", "value 2": "giá trị 2",
        "Both values of every field two laptops wrote without seeing each other's write (or an edit that met a deletion); the losing value stays here. Resolve with `fieldsync-server conflicts resolve ID`.":
            "Cả hai giá trị của mỗi trường mà hai máy đã ghi mà không thấy nhau (hoặc một lần sửa gặp một lần xóa); giá trị thua vẫn được giữ ở đây. Xử lý trong trang điều phối (Xung đột) hoặc bằng `fieldsync-server conflicts resolve MÃ`.",
        "Reached": "Đạt", "Done": "Hoàn thành", "Left": "Còn lại", "Pending": "Đang chờ", "Failed": "Không thành công",
        "Citizens": "Người dân", "Target": "Chỉ tiêu", "Failed by reason": "Lý do không thành công", "Name": "Tên",
        "Service": "Dịch vụ", "Province": "Tỉnh/thành", "Provinces": "Tỉnh/thành", "Communes and services": "Xã và dịch vụ",
        "Each commune's total, then its services. Communes with no activity are listed, not hidden.":
            "Tổng của từng xã, rồi từng dịch vụ. Xã chưa có hoạt động vẫn được liệt kê.",
        "all services": "tất cả dịch vụ", "no activity": "chưa có hoạt động",
        "Target reached, worst first": "Mức đạt chỉ tiêu, thấp nhất trước", "Visits per commune": "Lượt hỗ trợ theo xã",
        "done": "hoàn thành", "pending": "đang chờ", "failed": "không thành công",
        "Citizens helped": "Người dân được hỗ trợ", "Communes with no activity": "Xã chưa có hoạt động", "Target reached": "Đạt chỉ tiêu",
        "Stale": "Lâu chưa đồng bộ", "Visits in the period": "Lượt trong kỳ", "Unsynced backlog": "Chưa gửi",
        "Stale devices first: a team that has gone quiet shows here.": "Thiết bị lâu chưa đồng bộ ở trên: tổ nào im lặng sẽ hiện ở đây.",
        "State": "Trạng thái", "Last sync": "Đồng bộ gần nhất", "Visits": "Lượt hỗ trợ", "Unsynced": "Chưa gửi", "Role": "Vai trò",
        "revoked": "đã thu hồi", "STALE": "LÂU CHƯA ĐỒNG BỘ", "active": "hoạt động", "never": "chưa bao giờ",
        "volunteer": "tình nguyện viên", "coordinator": "điều phối viên", "Version": "Phiên bản", "Version since": "Phiên bản từ",
        "not named": "chưa rõ",
        "Visits per device in the period": "Lượt hỗ trợ theo thiết bị trong kỳ",
        "Citizens helped twice or more for one service": "Người dân được hỗ trợ cùng dịch vụ từ hai lần",
        "Visits involved": "Số lượt liên quan", "Duplicates": "Trùng lặp", "CCCD": "CCCD", "Hash": "Mã băm", "Outcome": "Kết quả",
        "Resolve one with: fieldsync-server duplicates resolve VISIT --keep OTHER_VISIT":
            "Xử lý trong trang điều phối (Trùng lặp), hoặc: fieldsync-server duplicates resolve LƯỢT --keep LƯỢT_GIỮ",
    ]

    /// Parts of subtitles and summary values.
    static let vietnamesePhrases: [(String, String)] = [
        ("whole country", "toàn quốc"), ("all dates", "mọi ngày"), ("commune ", "xã "), ("province ", "tỉnh "), ("from ", "từ "),
        ("before ", "trước "), (", against targets (worst first)", ", so với chỉ tiêu (thấp nhất trước)"),
        (", stale after ", ", coi là lâu chưa đồng bộ sau "), (" days without a sync", " ngày không đồng bộ"), (" left)", " còn lại)"),
        (" of ", " trên "),
    ]
}
