/// A kind of help a volunteer gives, by its stable code: one of the options of the visit kind's `service` field
/// (Protocol/README.md §4.1, §12). The built-in options are named here; a hub may publish more (a new campaign's),
/// so a code read from a state is any well-formed one, and which codes a write may use is its kind's to say.
public struct Service: RawRepresentable, Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: String

    /// A well-formed option code (`^[a-z0-9][a-z0-9-]{0,39}$`, as `schemas/kind.schema.json` says), or nil.
    public init?(rawValue: String) {
        guard !rawValue.isEmpty, rawValue.utf8.count <= 40, rawValue.utf8.first != UInt8(ascii: "-"),
              rawValue.utf8.allSatisfy({ (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0)
                  || $0 == UInt8(ascii: "-") })
        else { return nil }
        self.rawValue = rawValue
    }

    private init(_ code: StaticString) { rawValue = "\(code)" }

    public static let vneidLevel1 = Service("vneid-level1")
    public static let vneidLevel2 = Service("vneid-level2")
    public static let bankAccount = Service("bank-account")
    public static let eWallet = Service("e-wallet")
    public static let mobileMoney = Service("mobile-money")
    public static let publicService = Service("public-service")
    public static let digitalSignature = Service("digital-signature")
    public static let cashlessPayment = Service("cashless-payment")
    public static let appInstall = Service("app-install")
    public static let digitalSkills = Service("digital-skills")
    public static let other = Service("other")

    /// The options FieldSync is built with, in the order the visit kind lists them.
    public static let allCases: [Service] = [vneidLevel1, vneidLevel2, bankAccount, eWallet, mobileMoney, publicService,
                                             digitalSignature, cashlessPayment, appInstall, digitalSkills, other]

    /// The same, as a set (checked for every record a hub receives).
    static let builtIn = Set(allCases)

    /// Parses a service code among `options` (the built-in ones unless a published kind's are given).
    /// - Throws: `InputError.unknownService` listing the valid codes.
    public init(code: String, options: [Service] = Service.allCases) throws(InputError) {
        guard let service = Service(rawValue: code.lowercased()), options.contains(service) else { throw .unknownService(code) }
        self = service
    }

    public static func < (lhs: Service, rhs: Service) -> Bool { lhs.rawValue < rhs.rawValue }
    public var description: String { rawValue }

    public init(from decoder: any Decoder) throws {
        let code = try decoder.singleValueContainer().decode(String.self)
        guard let service = Service(rawValue: code) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a service code: \(code.prefix(40))"))
        }
        self = service
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
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
