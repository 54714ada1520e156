import Foundation
import RecordKinds
import SyncCore
import Testing
@testable import FieldModel

/// One schema-driven validation: a training session checked by its document, and the visit's document agreeing with
/// the visit's own validation on valid visits and on each kind of fault.
struct KindValidationTests {
    static let session: [String: FieldValue] = [
        "heldAt": .text("2026-12-07T02:00:00Z"), "commune": .text("00004"), "place": .text("Tổ dân phố 5"), "topic": .text("online-safety"),
        "trainers": .text("Nguyễn Thị Lan; Trần Văn Bình"), "attendees": .int(42), "women": .int(25), "elderly": .int(9),
        "volunteer": .text("Nguyễn Thị Lan"), "team": .text("T-00004-01"),
    ]

    @Test func aTrainingSessionIsCheckedByItsDocument() throws {
        let kind = try RecordKind.builtIn("session")
        try kind.validate(Self.session)
        func refused(_ change: [String: FieldValue], _ expected: InputError) {
            #expect(throws: expected) { try kind.validate(Self.session.merging(change) { $1 }) }
        }
        refused(["women": .int(43)], .above(field: "women", other: "attendees"))
        refused(["elderly": .int(50)], .above(field: "elderly", other: "attendees"))
        refused(["topic": .text("cooking")], .unknownOption(field: "topic", given: "cooking", options: (kind.field("topic")?.options ?? []).map(\.code)))
        refused(["attendees": .int(0)], .outOfRange(field: "attendees", given: 0, minimum: 1, maximum: 10_000))
        refused(["attendees": .text("many")], .wrongType(field: "attendees", expected: "integer"))
        refused(["trainers": .null], .emptyText(field: "trainers"))
        refused(["commune": .text("99999")], .communeUnknown(code: "99999"))
        refused(["heldAt": .text("07/12/2026")], .dateMalformed(given: "07/12/2026"))
        refused(["room": .text("A")], .unknownField("room"))
    }

    /// Every way to break a visit that `Visit.validated` refuses, the visit's document refuses too, and what it accepts
    /// the document accepts: the two cannot disagree on these.
    @Test func theVisitDocumentAgreesWithTheVisitsValidation() throws {
        let kind = try RecordKind.builtIn("visit")
        let visit = Visit(id: "01a24fdb-0e78-7351-b4d2-0bdcccb1d19f", service: .vneidLevel2, outcome: .failed, commune: "00004",
                          citizenName: "Trần Văn Bình", citizenID: ProtectedCitizenID(masked: "********2345", keyedHash: nil),
                          phone: "0971234567", reason: .otpNotReceived, note: "gọi lại",
                          visitedAt: try #require(ISODate.parseCanonical("2026-12-07T01:30:00Z")), volunteer: "Nguyễn Thị Lan",
                          team: "T-00004-01", consent: Consent(at: try #require(ISODate.parseCanonical("2026-12-07T01:30:00Z")),
                                                               by: "Nguyễn Thị Lan", policy: "PDPL-2026-v1"))
        let valid = visit.fieldValuesByName
        let changes: [[String: FieldValue]] = [
            [:], ["reason": .null], ["outcome": .text("done")], ["outcome": .text("done"), "reason": .null], ["service": .text("vneid")],
            ["outcome": .text("ok")], ["outcome": .text("pending"), "reason": .null], ["outcome": .text("pending")], ["commune": .text("99999")], ["commune": .text("4")], ["name": .text("")], ["name": .text(String(repeating: "a", count: 121))],
            ["phone": .text("12345")], ["consent": .null], ["consent": .null, "phone": .null, "cccd": .null], ["visitedAt": .text("yesterday")],
            ["team": .text("T 1")], ["note": .text(String(repeating: "n", count: 2_001))], ["deleted": .text("yes")], ["reason": .text("tired")],
        ]
        for change in changes {
            let values = valid.merging(change) { $1 }
            let byVisit = Result { () throws(InputError) in
                try Visit(id: visit.id, positions: VisitField.allCases.map { values[$0.rawValue] }, catalogue: .shared).validate(now: .distantFuture)
            }
            let byKind = Result { () throws(InputError) in try kind.validate(values) }
            #expect(byVisit.isSuccess == byKind.isSuccess, "\(change): visit \(byVisit), document \(byKind)")
        }
    }
}

extension Result {
    var isSuccess: Bool { if case .success = self { true } else { false } }
}

extension Visit {
    /// The visit's register values by field name (`erased` only when it is).
    var fieldValuesByName: [String: FieldValue] {
        Dictionary(uniqueKeysWithValues: zip(VisitField.allCases, fieldValueList).filter { $0.0 != .erased }.map { ($0.0.rawValue, $0.1) })
    }
}
