import HubCore
import HubSQLite

/// What the console tells a person when a form or page cannot be served, in their language.
enum ConsoleError: Error, Sendable {
    /// Not signed in (or the session ended): go to the sign-in page.
    case signInNeeded
    case signInFailed
    case tooManyAttempts(seconds: Int)
    case passphrasesDiffer
    case passphraseTooShort
    case loginInvalid
    case loginTaken
    case notACoordinatorCode
    /// A form without this session's token, or posted from another site.
    case forgedForm
    case badForm(String)

    var status: Int {
        switch self {
        case .signInNeeded: 303
        case .signInFailed: 401
        case .tooManyAttempts: 429
        case .forgedForm: 403
        case .passphrasesDiffer, .passphraseTooShort, .loginInvalid, .loginTaken, .notACoordinatorCode, .badForm: 400
        }
    }

    func text(_ t: ConsoleText) -> String {
        let vi = t.language == "vi"
        switch self {
        case .signInNeeded: return vi ? "Vui lòng đăng nhập." : "Please sign in."
        case .signInFailed: return vi ? "Sai tên đăng nhập hoặc mật khẩu." : "Wrong login or passphrase."
        case .tooManyAttempts(let s):
            return vi ? "Quá nhiều lần thử sai. Thử lại sau \(s) giây." : "Too many failed attempts. Try again in \(s) seconds."
        case .passphrasesDiffer: return vi ? "Hai mật khẩu không giống nhau." : "The two passphrases differ."
        case .passphraseTooShort: return vi ? "Mật khẩu cần ít nhất 12 ký tự." : "The passphrase needs 12 characters or more."
        case .loginInvalid:
            return vi ? "Tên đăng nhập gồm 3–64 chữ cái không dấu, chữ số, dấu chấm, gạch ngang hoặc gạch dưới."
                : "A login is 3–64 letters (no diacritics), digits, dots, hyphens or underscores."
        case .loginTaken: return vi ? "Tên đăng nhập này đã có người dùng: hãy chọn tên khác." : "This login is taken: choose another."
        case .notACoordinatorCode:
            return vi ? "Mã này dành cho thiết bị của tình nguyện viên, không dùng để đăng nhập trang điều phối."
                : "This code is for a volunteer's laptop, not for a coordinator's console account."
        case .forgedForm:
            return vi ? "Biểu mẫu đã hết hạn hoặc không gửi từ trang này. Hãy tải lại trang và thử lại."
                : "The form expired or was not sent from this site. Reload the page and try again."
        case .badForm(let detail): return (vi ? "Dữ liệu không hợp lệ: " : "Invalid input: ") + detail
        }
    }

    /// A storage error in the person's language (the English detail kept for English).
    static func text(_ error: HubError, _ t: ConsoleText) -> String {
        guard t.language == "vi" else { return error.description }
        switch error {
        case .invalidEnrollmentCode: return "Mã kích hoạt không đúng, đã dùng hoặc đã hết hạn. Hãy xin mã mới."
        case .outOfScope: return "Nội dung này nằm ngoài địa bàn của tài khoản. (\(error.description))"
        case .notFound: return "Không tìm thấy. (\(error.description))"
        case .unauthorized: return "Tài khoản hoặc thiết bị đã bị thu hồi. Hãy xin mã kích hoạt mới."
        case .unavailable: return "Máy chủ chưa thực hiện được yêu cầu; hãy thử lại sau. (\(error.description))"
        case .tooManyRequests(_, let retry): return "Quá nhiều yêu cầu. Thử lại sau \(retry) giây."
        default: return "Yêu cầu không hợp lệ. (\(error.description))"
        }
    }
}
