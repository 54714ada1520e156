/// A kind of help a volunteer gives, by its stable code.
public enum Service: String, CaseIterable, Sendable, Codable {
    case vneidLevel1 = "vneid-level1"
    case vneidLevel2 = "vneid-level2"
    case bankAccount = "bank-account"
    case eWallet = "e-wallet"
    case mobileMoney = "mobile-money"
    case publicService = "public-service"
    case digitalSignature = "digital-signature"
    case cashlessPayment = "cashless-payment"
    case appInstall = "app-install"
    case digitalSkills = "digital-skills"
    case other = "other"

    /// Parses a service code.
    /// - Throws: `InputError.unknownService` listing the valid codes.
    public init(code: String) throws(InputError) {
        guard let service = Service(rawValue: code.lowercased()) else { throw .unknownService(code) }
        self = service
    }

    /// The e-ID level (1 or 2) of a VNeID activation, nil for other services.
    public var eIDLevel: Int? {
        switch self {
        case .vneidLevel1: 1
        case .vneidLevel2: 2
        default: nil
        }
    }

    /// The Vietnamese name coordinators see in reports.
    public var title: String {
        switch self {
        case .vneidLevel1: "Định danh điện tử mức 1 (VNeID)"
        case .vneidLevel2: "Định danh điện tử mức 2 (VNeID)"
        case .bankAccount: "Mở tài khoản ngân hàng"
        case .eWallet: "Mở ví điện tử"
        case .mobileMoney: "Mobile Money"
        case .publicService: "Dịch vụ công trực tuyến"
        case .digitalSignature: "Chữ ký số"
        case .cashlessPayment: "Thanh toán không dùng tiền mặt"
        case .appInstall: "Cài đặt ứng dụng"
        case .digitalSkills: "Kỹ năng số cơ bản"
        case .other: "Khác"
        }
    }
}

/// How a visit ended.
public enum Outcome: String, CaseIterable, Sendable, Codable {
    case done
    case pending
    case failed

    /// Parses an outcome code.
    /// - Throws: `InputError.unknownOutcome`.
    public init(code: String) throws(InputError) {
        guard let outcome = Outcome(rawValue: code.lowercased()) else { throw .unknownOutcome(code) }
        self = outcome
    }
}

/// Why a visit failed or is pending, by stable code.
public enum FailureReason: String, CaseIterable, Sendable, Codable {
    case phoneNotOwned = "phone-not-owned"
    case otpNotReceived = "otp-not-received"
    case faceCaptureFailed = "face-capture-failed"
    case dataMismatch = "data-mismatch"
    case oldPhone = "old-phone"
    case applicationPending = "application-pending"
    case referredToPolice = "referred-to-police"
    case noIDCard = "no-id-card"
    case citizenDeclined = "citizen-declined"
    case noConnectivity = "no-connectivity"
    case other = "other"

    /// Parses a reason code.
    /// - Throws: `InputError.unknownReason` listing the valid codes.
    public init(code: String) throws(InputError) {
        guard let reason = FailureReason(rawValue: code.lowercased()) else { throw .unknownReason(code) }
        self = reason
    }

    /// What the code means, for people.
    public var explanation: String {
        switch self {
        case .phoneNotOwned: "phone number not registered in the citizen's own name"
        case .otpNotReceived: "OTP not received"
        case .faceCaptureFailed: "face capture failed"
        case .dataMismatch: "details do not match the population database"
        case .oldPhone: "phone too old for the app"
        case .applicationPending: "application submitted, awaiting approval"
        case .referredToPolice: "referred to the commune police"
        case .noIDCard: "citizen has no chip ID card with them"
        case .citizenDeclined: "citizen declined"
        case .noConnectivity: "no network at the visit"
        case .other: "other (see the note)"
        }
    }
}
