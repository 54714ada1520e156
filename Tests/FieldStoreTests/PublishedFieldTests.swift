import FieldModel
import FieldSyncTesting
import Foundation
import RecordKinds
import SyncCore
import Testing
@testable import FieldStore

/// Fields and options a hub published (Protocol/README.md §12) on laptops: one that has received the version writes
/// them; one that has not keeps, merges and sends back their registers unchanged, plain or encrypted.
@Suite struct PublishedFieldTests {
    let dir = TemporaryDirectory()
    let now = Date(timeIntervalSince1970: 1_780_272_000)

    func laptop(_ name: String, passphrase: String? = nil) throws -> FieldStore {
        let store = try FieldStore.create(at: dir.file("\(name).sqlite"), volunteer: name, team: "T-01", commune: "00004", now: now)
        if let passphrase { try store.setPassphrase(passphrase) }
        return store
    }

    func states(_ store: FieldStore) throws -> [RecordState] {
        try store.visits(VisitFilter(includeDeleted: true)).map(\.state)
    }

    @Test(arguments: [nil, "một câu mật khẩu dài"])
    func aLaptopWithoutTheVersionKeepsAndSendsBackAFieldItDoesNotKnow(_ passphrase: String?) throws {
        let informed = try laptop("Lan")
        try informed.saveHubKinds(try PublishedVisitKind.answer([try PublishedVisitKind.version2()]), announced: 1)
        let behind = try laptop("Minh", passphrase: passphrase)

        // The informed laptop writes the published field and option.
        var draft = VisitDraft(service: try Service(code: "binh-dan-hoc-vu-so", options: try informed.serviceOptions()), outcome: .done,
                               citizenName: "Trần Văn Bình", visitedAt: now)
        draft.extra = ["activatedOnSite": .bool(true)]
        let logged = try informed.log(draft, now: now)
        let written = try #require(logged.state["activatedOnSite"])
        #expect(try informed.visit(logged.visit.id).visit.extra == ["activatedOnSite": .bool(true)])

        // The laptop that has not received version 2 keeps the register as it came, and edits another field.
        let received = try behind.receive(try states(informed), now: now)
        #expect(received.invalid.isEmpty && received.fastForward == 1)
        #expect(try behind.visit(logged.visit.id).state == logged.state, "the whole state, the unknown field and option included")
        var note = VisitChanges()
        note.note = "hẹn gọi lại"
        _ = try behind.edit(logged.visit.id, note, now: now.addingTimeInterval(60))
        let sent = try behind.visit(logged.visit.id)
        #expect(sent.state["activatedOnSite"] == written, "its register travels back unchanged (value, stamp and seq)")
        #expect(sent.visit.service.rawValue == "binh-dan-hoc-vu-so")
        if passphrase != nil {
            #expect(try behind.db.scalarText("SELECT extra FROM visits WHERE id = ?", [.text(logged.visit.id)]) == nil,
                    "an encrypted store seals the published fields with the personal ones")
        }

        // The informed laptop takes the edit and keeps its own field; both hold the same state.
        #expect(try informed.receive(try states(behind), now: now.addingTimeInterval(61)).fastForward == 1)
        #expect(try states(informed) == states(behind))
        #expect(try informed.visit(logged.visit.id).visit.extra == ["activatedOnSite": .bool(true)])

        // Concurrent writes of the published field (informed) and of the note (behind) merge without an entry.
        var off = VisitChanges()
        off.extra = ["activatedOnSite": .bool(false)]
        let result = try informed.edit(logged.visit.id, off, now: now.addingTimeInterval(120))
        #expect(result.changedExtras == ["activatedOnSite"] && result.changed.isEmpty)
        note.note = "đã gọi"
        _ = try behind.edit(logged.visit.id, note, now: now.addingTimeInterval(121))
        let (fromInformed, fromBehind) = (try states(informed), try states(behind))
        let atBehind = try behind.receive(fromInformed, now: now.addingTimeInterval(122))
        let atInformed = try informed.receive(fromBehind, now: now.addingTimeInterval(122))
        #expect(atBehind.merged == 1 && atInformed.merged == 1 && atBehind.conflicts == 0)
        #expect(try states(informed) == states(behind))
        let merged = try behind.visit(logged.visit.id).visit
        #expect(merged.extra == ["activatedOnSite": .bool(false)] && merged.note == "đã gọi")
    }

    @Test func publishedFieldsAreCheckedByTheirKindAndRefusedWithoutIt() throws {
        let store = try laptop("Lan")
        var draft = VisitDraft(service: .vneidLevel2, outcome: .done, citizenName: "Trần Văn Bình", visitedAt: now)
        draft.extra = ["activatedOnSite": .bool(true)]
        #expect(throws: InputError.unknownField("activatedOnSite"), "no published version: no published field") { try store.log(draft, now: now) }
        #expect(throws: InputError.unknownService("binh-dan-hoc-vu-so")) { try Service(code: "binh-dan-hoc-vu-so", options: try store.serviceOptions()) }

        let kind = try PublishedVisitKind.version2()
        try store.saveHubKinds(try PublishedVisitKind.answer([kind]), announced: 1)
        draft.extra = ["activatedOnSite": .text("có")]
        #expect(throws: InputError.wrongType(field: "activatedOnSite", expected: "boolean")) { try store.log(draft, now: now) }
        draft.extra = ["unpublished": .bool(true)]
        #expect(throws: InputError.unknownField("unpublished")) { try store.log(draft, now: now) }
        #expect(try kind.value("Có", for: "activatedOnSite") == .bool(true) && kind.value("không", for: "activatedOnSite") == .bool(false))
        #expect(try kind.value("", for: "activatedOnSite") == .null)
        #expect(throws: InputError.wrongType(field: "activatedOnSite", expected: "boolean")) { try kind.value("có lẽ", for: "activatedOnSite") }
        draft.extra = ["activatedOnSite": .bool(true)]
        let logged = try store.log(draft, now: now)
        #expect(logged.visit.extra == ["activatedOnSite": .bool(true)])

        // A visit with no published field keeps exactly the stored form it had: no registers beside its columns.
        let plain = try store.log(VisitDraft(service: .vneidLevel1, outcome: .done, citizenName: "Lê Thị Hoà", visitedAt: now), now: now)
        #expect(try store.db.scalarText("SELECT extra FROM visits WHERE id = ?", [.text(plain.visit.id)]) == nil)
        #expect(try store.db.scalarText("SELECT extra FROM visits WHERE id = ?", [.text(logged.visit.id)]) != nil)
    }

    /// A later version's required field with a default and its new rule hold for what this laptop writes.
    @Test func aPublishedRequiredFieldAndRuleHoldForNewWrites() throws {
        let store = try laptop("Lan")
        var next = try PublishedVisitKind.version2()
        next.version = 3
        next.fields.append(KindField(name: "campaign", type: .text, required: true, default: .text("2026"),
                                     labels: KindLabels(vi: "Đợt", en: "Campaign")))
        next.rules.append(KindRule(require: "activatedOnSite", when: KindRule.Condition(field: "service", in: ["vneid-level2"])))
        try KindEvolution.check(next, after: try PublishedVisitKind.version2())
        try store.saveHubKinds(try PublishedVisitKind.answer([try PublishedVisitKind.version2(), next]), announced: 2)

        var draft = VisitDraft(service: .vneidLevel2, outcome: .done, citizenName: "Trần Văn Bình", visitedAt: now)
        #expect(throws: InputError.requiredWhen(field: "activatedOnSite", other: "service")) { try store.log(draft, now: now) }
        draft.extra = ["activatedOnSite": .bool(true)]
        let logged = try store.log(draft, now: now)
        #expect(logged.visit.extra == ["activatedOnSite": .bool(true), "campaign": .text("2026")], "the default fills the required field")
        var clear = VisitChanges()
        clear.extra = ["activatedOnSite": .null]
        #expect(throws: InputError.requiredWhen(field: "activatedOnSite", other: "service")) { try store.edit(logged.visit.id, clear, now: now) }
    }
}
