import FieldModel
import Foundation

/// The console's words, Vietnamese by default and English as an option, and numbers and times as
/// people in Vietnam read them.
struct ConsoleText: Sendable {
    /// `vi` or `en`.
    let language: String
    /// Labels by key, for templates (`{{t.visits}}`).
    let labels: [String: String]

    init(language: String) {
        self.language = language == "en" ? "en" : "vi"
        labels = self.language == "en" ? Self.english : Self.vietnamese
    }

    subscript(_ key: String) -> String { labels[key] ?? key }

    /// `1.234.567` (Vietnamese) or `1,234,567` (English).
    func number(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(language == "vi" ? "." : ",") }
            out.append(c)
        }
        return (value < 0 ? "-" : "") + out
    }

    /// `45,6 %` (Vietnamese) or `45.6%` (English).
    func percent(_ value: Double) -> String {
        let text = String(format: "%.1f", value)
        return language == "vi" ? text.replacingOccurrences(of: ".", with: ",") + " %" : text + "%"
    }

    /// A canonical timestamp in Vietnam time, `25/11/2026 08:15`.
    func time(_ canonical: String?) -> String {
        canonical.map(VietnamTime.display(canonical:)) ?? "—"
    }

    func service(_ code: String) -> String {
        guard let service = Service(rawValue: code) else { return code }
        return language == "vi" ? service.title : code
    }

    func outcome(_ code: String) -> String { self["outcome_" + code] }

    func reason(_ code: String?) -> String {
        guard let code, !code.isEmpty else { return "" }
        if language == "en" { return FailureReason(rawValue: code)?.explanation ?? code }
        return Self.reasonsVietnamese[code] ?? code
    }

    static let reasonsVietnamese: [String: String] = [
        "phone-not-owned": "số điện thoại không chính chủ",
        "otp-not-received": "không nhận được OTP",
        "face-capture-failed": "không chụp được khuôn mặt",
        "data-mismatch": "thông tin không khớp CSDL dân cư",
        "old-phone": "điện thoại quá cũ",
        "application-pending": "đã nộp hồ sơ, chờ duyệt",
        "referred-to-police": "chuyển công an xã",
        "no-id-card": "không mang CCCD gắn chip",
        "citizen-declined": "người dân từ chối",
        "no-connectivity": "không có mạng",
        "other": "khác (xem ghi chú)",
    ]

    static let vietnamese: [String: String] = [
        "lang": "vi", "other_lang": "en", "other_lang_name": "English",
        "app": "FieldSync — Tổ công nghệ số cộng đồng",
        "nav_overview": "Tổng quan", "nav_visits": "Lượt hỗ trợ", "nav_conflicts": "Xung đột", "nav_devices": "Thiết bị",
        "nav_exports": "Xuất dữ liệu", "nav_duplicates": "Trùng lặp", "nav_quarantine": "Cách ly",
        "quarantine_hint": "Lượt hỗ trợ bị máy chủ từ chối vì dữ liệu sai. Cách sửa: nhờ tình nguyện viên mở lượt đó trên máy (fieldsync show MÃ), sửa trường được nêu trong lý do (fieldsync edit MÃ …) rồi đồng bộ; bản đã sửa sẽ thay mục này.",
        "no_quarantine": "Không có lượt nào bị cách ly.", "received": "Nhận lúc", "attempts": "Số lần gửi",
        "targets": "Chỉ tiêu", "save_targets": "Lưu chỉ tiêu", "targets_saved": "Đã lưu chỉ tiêu",
        "targets_hint": "Dán ba cột commune, service, target từ bảng tính (có dòng tiêu đề; phân cách bằng tab, ; hoặc ,). Mã xã mất số 0 ở đầu được tự thêm lại. Chỉ tiêu mới thay cho chỉ tiêu cũ của địa bàn.",
        "duplicates_hint": "Cùng một người dân được hỗ trợ cùng một dịch vụ nhiều lần. Giữ lượt đầu tiên, xóa các lượt trùng.",
        "no_duplicates": "Không có lượt trùng.", "delete_duplicate": "Xóa lượt trùng này", "kept_visit": "Lượt được giữ", "sign_out": "Đăng xuất",
        "sign_in": "Đăng nhập", "login": "Tên đăng nhập", "passphrase": "Mật khẩu", "passphrase_again": "Nhập lại mật khẩu",
        "join": "Kích hoạt tài khoản điều phối", "join_hint": "Nhập mã kích hoạt do quản trị viên cấp, chọn tên đăng nhập và mật khẩu (ít nhất 12 ký tự).",
        "code": "Mã kích hoạt", "have_code": "Có mã kích hoạt? Kích hoạt tài khoản", "have_account": "Đã có tài khoản? Đăng nhập",
        "times_in": "Giờ Việt Nam (UTC+7)",
        "area": "Địa bàn", "period": "Khoảng thời gian", "from": "Từ ngày", "to": "Đến hết ngày", "apply": "Lọc",
        "visits": "Lượt hỗ trợ", "done": "Hoàn thành", "pending": "Đang chờ", "failed": "Không thành công", "citizens": "Người dân",
        "target": "Chỉ tiêu", "reached": "Đạt", "left": "Còn lại",
        "quiet": "Xã chưa có hoạt động", "quiet_hint": "Các xã này chưa ghi nhận lượt hỗ trợ nào trong khoảng thời gian đã chọn.",
        "active_communes": "Xã có hoạt động", "commune": "Xã/phường", "province": "Tỉnh/thành", "team": "Tổ", "volunteer": "Tình nguyện viên",
        "service": "Dịch vụ", "outcome": "Kết quả", "reason": "Lý do", "name": "Họ tên", "cccd": "CCCD", "phone": "Điện thoại",
        "note": "Ghi chú", "visited_at": "Thời gian", "trend": "Xu hướng 14 ngày gần nhất", "by_commune": "Theo xã (nhiều nhất trước)",
        "reasons": "Lý do không thành công", "outcomes": "Kết quả",
        "outcome_done": "Hoàn thành", "outcome_pending": "Đang chờ", "outcome_failed": "Không thành công",
        "search_name": "Tìm theo tên (không cần dấu)", "all": "Tất cả", "next_page": "Trang sau", "first_page": "Trang đầu",
        "no_visits": "Không có lượt hỗ trợ nào khớp bộ lọc.", "search_cut": "Tìm kiếm dừng sau 50.000 dòng: hãy chọn xã hoặc thu hẹp thời gian.",
        "visit": "Lượt hỗ trợ", "field": "Trường", "value": "Giá trị", "written_by": "Người ghi", "written_at": "Lúc",
        "history": "Các trường và lần ghi gần nhất", "conflicts": "Xung đột", "no_conflicts": "Không có xung đột.",
        "open": "Chưa xử lý", "resolved": "Đã xử lý", "found_at": "Phát hiện lúc", "kept": "Giá trị đang giữ",
        "stored": "Bên A", "incoming": "Bên B", "keep": "Giữ giá trị hiện tại", "take": "Lấy giá trị bên kia",
        "resolved_by": "Xử lý bởi", "status": "Trạng thái",
        "devices": "Thiết bị", "role": "Vai trò", "role_volunteer": "Tình nguyện viên", "role_coordinator": "Điều phối viên",
        "enrolled": "Kích hoạt lúc", "last_sync": "Đồng bộ gần nhất", "backlog": "Chưa gửi", "stale": "Lâu chưa đồng bộ",
        "revoked": "Đã thu hồi", "revoke": "Thu hồi", "revoke_confirm": "Thu hồi thiết bị này? Thiết bị sẽ không đồng bộ được nữa.",
        "version": "Phiên bản", "since": "từ",
        "coordinator_no_team": "mã của điều phối viên dùng cho cả xã: để trống ô Tổ", "cancel": "Hủy", "confirm_revoke": "Thu hồi thiết bị", "confirm_duplicate": "Xóa lượt trùng",
        "confirm_duplicate_text": "Xóa lượt %1 (%2) và giữ lượt %3? Lượt bị xóa vẫn nằm trong nhật ký xung đột của trạm.",
        "confirm_resolve": "Xử lý xung đột", "confirm_keep_text": "Giữ giá trị đang có của lượt %1?",
        "confirm_take_text": "Lấy giá trị của bên kia cho lượt %1?",
        "issue_code": "Cấp mã kích hoạt", "valid_days": "Hiệu lực (ngày)", "issue": "Cấp mã", "new_code": "Mã kích hoạt mới",
        "new_code_hint": "Đọc, gửi mã này hoặc cho quét mã QR; mã chỉ dùng được một lần và chỉ hiện ở đây một lần.",
        "exports": "Xuất dữ liệu", "exports_hint": "Mỗi tệp CSV là một bảng (UTF-8, mã xã và số điện thoại giữ số 0 ở đầu). Tệp XLSX giữ mã và số điện thoại dạng văn bản, ngày dạng ngày.",
        "error": "Không thực hiện được", "back": "Quay lại", "never": "chưa bao giờ", "whole_country": "Toàn quốc",
        "signed_in_as": "Đăng nhập:",
    ]

    static let english: [String: String] = [
        "lang": "en", "other_lang": "vi", "other_lang_name": "Tiếng Việt",
        "app": "FieldSync — community digital technology teams",
        "nav_overview": "Overview", "nav_visits": "Visits", "nav_conflicts": "Conflicts", "nav_devices": "Devices",
        "nav_exports": "Exports", "nav_duplicates": "Duplicates", "nav_quarantine": "Quarantine",
        "quarantine_hint": "Visits the hub refused because their data is wrong. To fix: ask the volunteer to open the visit on the laptop (fieldsync show ID), correct the field the reason names (fieldsync edit ID …) and sync; the corrected visit replaces this entry.",
        "no_quarantine": "No visit is quarantined.", "received": "Received", "attempts": "Times sent",
        "targets": "Targets", "save_targets": "Save targets", "targets_saved": "Targets saved",
        "targets_hint": "Paste the three columns commune, service, target from a spreadsheet (with the header row; tab, ; or , between cells). Codes that lost their leading zeros get them back. New targets replace the area's old ones.",
        "duplicates_hint": "The same citizen helped for the same service more than once. Keep the first visit, delete the repeats.",
        "no_duplicates": "No duplicates.", "delete_duplicate": "Delete this repeat", "kept_visit": "Kept", "sign_out": "Sign out",
        "sign_in": "Sign in", "login": "Login", "passphrase": "Passphrase", "passphrase_again": "Passphrase again",
        "join": "Activate a coordinator account", "join_hint": "Enter the enrolment code the operator gave you, choose a login and a passphrase (12 characters or more).",
        "code": "Enrolment code", "have_code": "Have a code? Activate an account", "have_account": "Have an account? Sign in",
        "times_in": "Vietnam time (UTC+7)",
        "area": "Area", "period": "Period", "from": "From", "to": "To the end of", "apply": "Filter",
        "visits": "Visits", "done": "Done", "pending": "Pending", "failed": "Failed", "citizens": "Citizens",
        "target": "Target", "reached": "Reached", "left": "Left",
        "quiet": "Communes with no activity", "quiet_hint": "These communes logged no visit in the chosen period.",
        "active_communes": "Active communes", "commune": "Commune", "province": "Province", "team": "Team", "volunteer": "Volunteer",
        "service": "Service", "outcome": "Outcome", "reason": "Reason", "name": "Name", "cccd": "CCCD", "phone": "Phone",
        "note": "Note", "visited_at": "Time", "trend": "The last 14 days", "by_commune": "By commune (most first)",
        "reasons": "Failure reasons", "outcomes": "Outcomes",
        "outcome_done": "Done", "outcome_pending": "Pending", "outcome_failed": "Failed",
        "search_name": "Search by name (diacritics optional)", "all": "All", "next_page": "Next page", "first_page": "First page",
        "no_visits": "No visit matches the filter.", "search_cut": "The search stopped after 50,000 rows: choose a commune or a shorter period.",
        "visit": "Visit", "field": "Field", "value": "Value", "written_by": "Written by", "written_at": "At",
        "history": "Fields and their last write", "conflicts": "Conflicts", "no_conflicts": "No conflicts.",
        "open": "Open", "resolved": "Resolved", "found_at": "Found at", "kept": "Value kept",
        "stored": "Side A", "incoming": "Side B", "keep": "Keep the current value", "take": "Take the other value",
        "resolved_by": "Resolved by", "status": "Status",
        "devices": "Devices", "role": "Role", "role_volunteer": "Volunteer", "role_coordinator": "Coordinator",
        "enrolled": "Enrolled", "last_sync": "Last sync", "backlog": "Unsent", "stale": "Not synced for long",
        "revoked": "Revoked", "revoke": "Revoke", "revoke_confirm": "Revoke this device? It will no longer sync.",
        "version": "Version", "since": "since",
        "coordinator_no_team": "a coordinator's code covers the whole commune: leave Team empty", "cancel": "Cancel", "confirm_revoke": "Revoke the device", "confirm_duplicate": "Delete the repeat",
        "confirm_duplicate_text": "Delete visit %1 (%2) and keep visit %3? The deleted visit stays in the hub's conflict log.",
        "confirm_resolve": "Resolve the conflict", "confirm_keep_text": "Keep the current value of visit %1?",
        "confirm_take_text": "Take the other side's value for visit %1?",
        "issue_code": "Issue an enrolment code", "valid_days": "Valid (days)", "issue": "Issue", "new_code": "New enrolment code",
        "new_code_hint": "Read or send this code, or let its user scan the QR code; it works once and is shown only here, once.",
        "exports": "Exports", "exports_hint": "Each CSV file is one table (UTF-8; commune codes and phones keep their leading zeros). XLSX keeps codes and phones as text and dates as dates.",
        "error": "That did not work", "back": "Back", "never": "never", "whole_country": "Whole country",
        "signed_in_as": "Signed in:",
    ]
}
