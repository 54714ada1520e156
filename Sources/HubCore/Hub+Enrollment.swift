import Crypto
import FieldModel
import Foundation
import SyncCore
import SyncProtocol
import TextSafety

// Enrolment: codes, their checks, the devices table's rows, the token messages, written once for every storage engine.
extension Hub {
    /// Letters of enrolment codes: Crockford's base 32 (no I, L, O, U), easy to read out and type.
    static let codeAlphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")

    /// A new code for a role and scope, `XXXX-XXXX-XXXX` (60 random bits), after checking the scope.
    /// - Throws: `InputError` for a bad team, commune or province; `HubError.invalidRequest` for a volunteer without a commune.
    package static func newEnrollmentCode(role: Role, scope: Scope, catalogue: CommuneCatalogue) throws -> String {
        if let team = scope.team { _ = try TeamCode.validate(team) }
        if let commune = scope.commune { _ = try catalogue.validate(commune) }
        if let province = scope.province, catalogue.validateProvince(province) == nil {
            throw HubError.invalidRequest("province \(province) is not in the 2025 catalogue (34 provinces, codes like 01, 79)")
        }
        if role == .volunteer && (scope.commune == nil || scope.team == nil) {
            throw HubError.invalidRequest("a volunteer's code needs --team and --commune")
        }
        var generator = SystemRandomNumberGenerator()
        let letters = (0..<12).map { _ in Self.codeAlphabet[Int.random(in: 0..<32, using: &generator)] }
        return String(letters[0..<4]) + "-" + String(letters[4..<8]) + "-" + String(letters[8..<12])
    }

    package static func codeHash(_ code: String) -> String {
        sha256Hex("enrol:" + code.uppercased().filter { $0 != "-" && $0 != " " })
    }

    /// A laptop's first enrolment names the commune and team it was set up for: a volunteer's code of another
    /// commune or team is refused, and stays unused (the caller's transaction rolls back). `enroll --again` names
    /// none, for a laptop that really moves.
    package static func checkSetUp(_ request: EnrollRequest, role: Role, scope: Scope) throws {
        guard let expected = request.setUpFor, role == .volunteer else { return }
        guard expected.commune == scope.commune, expected.team == scope.team else {
            throw HubError.outOfScope("this code is for commune \(scope.commune ?? "-"), team \(scope.team ?? "-"), but this laptop was set up "
                                      + "for commune \(expected.commune ?? "-"), team \(expected.team ?? "-"): ask your coordinator for a code "
                                      + "of your commune and team; if the laptop really moves, run `fieldsync enroll --again` with this code "
                                      + "(it was not used)")
        }
    }

    /// Checks an enrolment request that needs no data, and draws the new device's token and id.
    package static func checkEnrollment(_ request: EnrollRequest, hubReplica: ReplicaID) throws
        -> (volunteer: String?, token: String, device: String) {
        guard request.code.utf8.count <= 64 else { throw HubError.invalidEnrollmentCode }
        if let replica = request.replica, replica.rawValue == 0 || replica == hubReplica {
            throw HubError.invalidRequest("replica id \(replica) is reserved (zero, or the hub's own): take a random one")
        }
        if let keys = request.bundleKeys, !EnrollRequest.isBundleKeys(keys) {
            throw HubError.invalidRequest("bundleKeys should be 64 lowercase hex digits, a dot, and 64 more")
        }
        let volunteer: String?
        do {
            volunteer = try request.volunteer.map { name throws(InputError) in
                try VietnameseText.clean(name, field: "volunteer name", limit: Visit.nameLimit)
            }
        } catch {
            throw HubError.invalidRequest(error.description)
        }
        var tokenBytes = [UInt8](repeating: 0, count: 32)
        var generator = SystemRandomNumberGenerator()
        for i in tokenBytes.indices { tokenBytes[i] = UInt8.random(in: 0...255, using: &generator) }
        let token = Data(tokenBytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        let device = "d-" + Self.randomHex(bytes: 6)
        return (volunteer, token, device)
    }

    /// The device a devices-table row describes (the same columns on SQLite and PostgreSQL).
    package static func device(id: String, role: String?, team: String?, commune: String?, province: String?, volunteer: String?,
                               enrolledAt: String?, revokedAt: String?, lastSyncAt: String?, lastUnsynced: Int?,
                               clientVersion: String? = nil, clientVersionAt: String? = nil) -> Device {
        Device(id: id, role: Role(rawValue: role ?? "") ?? .volunteer,
               scope: Scope(team: team, commune: commune, province: (role == Role.coordinator.rawValue && commune == nil) ? province : nil),
               volunteer: volunteer, enrolledAt: enrolledAt ?? "", revokedAt: revokedAt, lastSyncAt: lastSyncAt, lastUnsynced: lastUnsynced,
               clientVersion: clientVersion, clientVersionAt: clientVersionAt)
    }

    /// Why a request without a usable token is refused.
    package static let missingTokenMessage = "a device token is required (Authorization: Bearer …): enrol with `fieldsync enroll`"

    /// Why an unknown token is refused.
    package static let unknownTokenMessage = "this device token is not known to the hub: enrol again with a new code"

    /// Why a token is refused, when the device it names is revoked.
    package static let revokedMessage = "this device's token was revoked by a coordinator: ask for a new enrolment code and run "
        + "`fieldsync enroll --again --server … --code …`; visits not yet sent are kept and sent then"
}
