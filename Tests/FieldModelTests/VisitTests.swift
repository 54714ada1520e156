import FieldModel
import Foundation
import SyncCore
import Testing

@Suite struct VisitTests {
    let now = Date(timeIntervalSince1970: 1_780_272_000)

    func visit() -> Visit {
        Visit(id: "0b9f5c1e-8a53-4c5e-9d7e-2f1b6c3a4d5e", service: .vneidLevel2, outcome: .done, commune: "00004",
              citizenName: "Trần Văn Bình", citizenID: ProtectedCitizenID(masked: "001******345", keyedHash: nil),
              phone: "0971234567", visitedAt: now, volunteer: "Nguyễn Thị Lan", team: "T-01",
              consent: Consent(at: now, by: "Nguyễn Thị Lan", policy: "PDPL-2026-v1"))
    }

    @Test func crossFieldRules() throws {
        var v = visit()
        try v.validate(now: now)
        v.outcome = .failed
        #expect(throws: InputError.reasonRequired(.failed)) { try v.validate(now: now) }
        v.reason = .otpNotReceived
        try v.validate(now: now)
        v.outcome = .done
        #expect(throws: InputError.reasonNotAllowed) { try v.validate(now: now) }
        v.reason = nil
        v.consent = nil
        #expect(throws: InputError.consentRequired) { try v.validate(now: now) }
        v.citizenID = nil
        v.phone = nil
        try v.validate(now: now)
        v.visitedAt = now.addingTimeInterval(3 * 86_400)
        #expect(throws: InputError.dateInFuture(given: VietnamTime.display(v.visitedAt))) { try v.validate(now: now) }
    }

    /// A visit dated after the end of today in Vietnam is refused, whatever the hour now; today's last minute is not.
    @Test func aVisitIsDatedNoLaterThanTodayInVietnam() throws {
        let morning = try #require(ISODate.parseCanonical("2026-12-07T01:00:00Z"))  // 08:00 on 7 December in Vietnam
        let tomorrow = try #require(ISODate.parseCanonical("2026-12-07T17:00:00Z"))  // 00:00 on 8 December in Vietnam
        #expect(throws: InputError.self) { try Visit.checkDate(tomorrow, now: morning) }
        try Visit.checkDate(tomorrow.addingTimeInterval(-60), now: morning)
        #expect(throws: InputError.self) { try Visit.checkDate(morning.addingTimeInterval(23 * 3_600), now: morning) }
        // Near midnight, a clock a few minutes behind does not refuse a visit of the next day that has begun.
        try Visit.checkDate(tomorrow.addingTimeInterval(60), now: tomorrow.addingTimeInterval(-120))
    }

    @Test func roundTripsThroughRegisterValues() throws {
        let v = visit()
        let back = try Visit(id: v.id, values: v.fieldValues)
        #expect(back == v)
    }

    @Test func rejectsHostileRegisterValues() {
        let v = visit()
        var values = v.fieldValues
        values[.service] = .text("steal-data")
        // A well-formed code reads (a laptop keeps options published after its build, §12); only a kind offers it.
        #expect(throws: InputError.unknownService("steal-data")) { try Visit(id: v.id, values: values).validate() }
        values[.service] = .text("<script>")
        #expect(throws: InputError.unknownService("<script>")) { try Visit(id: v.id, values: values) }
        values = v.fieldValues
        values[.commune] = .text("99999")
        #expect(throws: InputError.communeUnknown(code: "99999")) { try Visit(id: v.id, values: values) }
        values = v.fieldValues
        values[.cccd] = .object(["masked": .text("001203012345"), "hash": .null])  // a raw ID is not masked
        #expect(throws: InputError.citizenIDNotDigits(given: "(masked)")) { try Visit(id: v.id, values: values) }
        #expect(throws: InputError.visitIDMalformed(given: "not-a-uuid")) { try Visit(id: "not-a-uuid", values: v.fieldValues) }
    }

    @Test func parsesTheDatesPeopleType() throws {
        let utc = TimeZone(identifier: "UTC")!
        let hcm = TimeZone(identifier: "Asia/Ho_Chi_Minh")!
        #expect(ISODate.format(try ISODate.parse("2025-11-20T09:30:00+07:00", timeZone: utc)) == "2025-11-20T02:30:00Z")
        #expect(ISODate.format(try ISODate.parse("2025-11-20T09:30:00Z", timeZone: hcm)) == "2025-11-20T09:30:00Z")
        #expect(ISODate.format(try ISODate.parse("2025-11-20T09:30", timeZone: hcm)) == "2025-11-20T02:30:00Z")
        #expect(ISODate.format(try ISODate.parse("2025-11-20", timeZone: hcm)) == "2025-11-19T17:00:00Z")
        // Day first, as people in Vietnam write it, in Vietnam time by default whatever the machine's zone.
        #expect(ISODate.format(try ISODate.parse("20/11/2025", timeZone: hcm)) == "2025-11-19T17:00:00Z")
        #expect(ISODate.format(try ISODate.parse("20/11/2025 09:30")) == "2025-11-20T02:30:00Z")
        #expect(ISODate.format(try ISODate.parse("7/1/2026 8:05")) == "2026-01-07T01:05:00Z")
        for bad in ["31/02/2025", "20/11/25", "20/11/2025 9", "11/2025", "2025/11/20", "2025-13-01", "2025-02-30", "yesterday",
                    "2025-11-20T25:00"] {
            #expect(throws: InputError.dateMalformed(given: bad)) { try ISODate.parse(bad, timeZone: hcm) }
        }
    }

    @Test func parsesServiceOutcomeAndReasonCodes() throws {
        #expect(try Service(code: "vneid-level2") == .vneidLevel2)
        #expect(try Service(code: "VNEID-LEVEL1") == .vneidLevel1)
        #expect(Service.allCases.count == 11)
        #expect(throws: InputError.unknownService("vneid")) { try Service(code: "vneid") }
        // A published option is a code like any other, accepted where a kind offers it; a malformed code never is.
        let published = try #require(Service(rawValue: "binh-dan-hoc-vu-so"))
        #expect(try Service(code: "binh-dan-hoc-vu-so", options: Service.allCases + [published]) == published)
        #expect(throws: InputError.unknownService("binh-dan-hoc-vu-so")) { try Service(code: "binh-dan-hoc-vu-so") }
        for malformed in ["", "-x", "Vneid", "a b", "x/y", String(repeating: "a", count: 41)] { #expect(Service(rawValue: malformed) == nil) }
        #expect(throws: InputError.unknownOutcome("ok")) { try Outcome(code: "ok") }
        #expect(throws: InputError.unknownReason("bad-luck")) { try FailureReason(code: "bad-luck") }
        #expect(InputError.unknownService("x").description.contains("vneid-level2"))
    }
}

@Suite struct ISODateTests {
    @Test(arguments: [0.0, 1_780_272_000, 951_782_400, 4_102_444_799, -86_401, 1_709_164_800.75])
    func formatMatchesFoundation(seconds: Double) {
        let date = Date(timeIntervalSince1970: seconds)
        let expected = Date(timeIntervalSince1970: seconds.rounded(.down)).formatted(.iso8601)
        #expect(ISODate.format(date) == expected)
    }
}

@Suite struct CanonicalFormTests {
    @Test(arguments: ["2025-11-20T02:30:00Z", "2000-02-29T23:59:59Z", "1970-01-01T00:00:00Z", "2099-12-31T12:00:00Z"])
    func canonicalDatesRoundTrip(text: String) throws {
        let date = try #require(ISODate.parseCanonical(text))
        #expect(ISODate.format(date) == text)
        #expect(date == (try Date(text, strategy: .iso8601)))
    }

    @Test(arguments: ["2025-11-20T02:30:00", "2025-11-20 02:30:00Z", "2025-02-29T00:00:00Z", "2025-13-01T00:00:00Z",
                      "2025-11-20T24:00:00Z", "2025-11-20T02:30:00+07:00", "x025-11-20T02:30:00Z"])
    func nonCanonicalDatesAreRefused(text: String) {
        #expect(ISODate.parseCanonical(text) == nil)
    }

    @Test func precomposedLatinIsAlreadyNFCSoTheFastPathIsSound() {
        for value in UInt32(0x00C0)...0x02FF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let text = String(scalar)
            if !text.precomposedStringWithCanonicalMapping.utf8.elementsEqual(text.utf8) {
                Issue.record("U+\(String(value, radix: 16)) is not NFC but the fast path accepts it")
            }
        }
        for value in UInt32(0x1E00)...0x1EFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let text = String(scalar)
            #expect(text.precomposedStringWithCanonicalMapping.utf8.elementsEqual(text.utf8), "U+\(String(value, radix: 16))")
        }
        #expect(VietnameseText.isNFC("Nguyễn Thị Hoà"))
        #expect(!VietnameseText.isNFC("Nguye\u{0302}\u{0303}n"))
        #expect(!VietnameseText.isNFC("\u{212B}"))  // ANGSTROM SIGN, a singleton decomposition
    }

    @Test func replicatedTextIsCheckedNotRewritten() {
        #expect(throws: InputError.notNFC(field: "name")) { try VietnameseText.checked("Nguye\u{0302}\u{0303}n", field: "name", limit: 50) }
        #expect(throws: InputError.controlCharacters(field: "name")) { try VietnameseText.checked(" A", field: "name", limit: 50) }
        #expect((try? VietnameseText.checked("Nguyễn", field: "name", limit: 50)) == "Nguyễn")
    }
}

@Suite struct VisitIDTests {
    @Test func idsAreVersion7UUIDsThatSortByTime() {
        let early = VisitID.make(now: Date(timeIntervalSince1970: 1_780_272_000))
        let late = VisitID.make(now: Date(timeIntervalSince1970: 1_780_272_001))
        #expect(UUID(uuidString: early) != nil && early == early.lowercased())
        #expect(Array(early)[14] == "7", "version nibble")
        #expect("89ab".contains(Array(early)[19]), "variant bits")
        #expect(early < late)
        #expect(Set((0..<1000).map { _ in VisitID.make() }).count == 1000)
    }
}

/// Erasure at the level of one visit (Protocol/README.md §4.3).
@Suite struct VisitErasureTests {
    let visit = Visit(id: "0b9f5c1e-8a53-4c5e-9d7e-2f1b6c3a4d5e", service: .vneidLevel2, outcome: .done, commune: "00004",
                      citizenName: "Trần Văn Bình", citizenID: ProtectedCitizenID(masked: "********2345", keyedHash: "p1." + String(repeating: "ab", count: 48)),
                      phone: "0971234567", note: "nhà số 5", visitedAt: Date(timeIntervalSince1970: 1_780_272_000), volunteer: "Lan", team: "T-01",
                      consent: Consent(at: Date(timeIntervalSince1970: 1_780_272_000), by: "Lan", policy: "PDPL-2026-v1"))

    @Test func anErasedVisitKeepsItsFiguresAndNothingPersonalWhateverItsRegistersHold() throws {
        var values = visit.fieldValues
        #expect(values[.erased] == nil, "no erased register until erased")
        values[.erased] = .bool(true)
        let erased = try Visit(id: visit.id, values: values)
        #expect(erased.erased && erased.citizenName == Visit.erasedName && erased.phone == nil && erased.note.isEmpty)
        #expect(erased.citizenID == ProtectedCitizenID(masked: Visit.erasedMask, keyedHash: visit.citizenID?.keyedHash), "the pseudonym stays")
        #expect(erased.service == visit.service && erased.outcome == visit.outcome && erased.commune == visit.commune)
        #expect(visit.erasing() == erased)
        values[.erased] = .bool(false)
        #expect(throws: InputError.self) { try Visit(id: visit.id, values: values) }
        var typed = visit.fieldValues
        typed[.name] = .text(Visit.erasedName)
        #expect(throws: InputError.self, "the marker is not a name anyone can type") { try Visit(id: visit.id, values: typed) }
    }
}
