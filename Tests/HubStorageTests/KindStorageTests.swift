import FieldSyncTesting
import Foundation
import HubCore
import RecordKinds
import FieldModel
import FieldStore
import SyncCore
import Testing

/// Record kinds at the hub, on every engine: the built-in first versions, a compatible next version published and
/// seen by every hub process, an incompatible one refused with its reason and nothing stored, a new kind's first.
@Suite struct KindStorageTests {
    @Test(arguments: Backend.available)
    func kindsArePublishedOnlyAsCompatibleVersions(_ backend: Backend) async throws {
        try await backend.withHubs(2) { hubs in
            let before = try await hubs[0].kinds()
            #expect(before.map { "\($0.document.kind) \($0.document.version)" } == ["household 1", "session 1", "visit 1"])
            #expect(before.allSatisfy { $0.publishedAt == nil })

            // The issue's example: a boolean "activated on site" and the service option "binh-dan-hoc-vu-so".
            var next = try RecordKind.builtIn("visit")
            next.version = 2
            next.fields.append(KindField(name: "activatedOnSite", type: .boolean, labels: KindLabels(vi: "Kích hoạt tại chỗ", en: "Activated on site")))
            next.fields[0].options?.append(KindOption(code: "binh-dan-hoc-vu-so", labels: KindLabels(vi: "Bình dân học vụ số", en: "Bình dân học vụ số")))
            let published = try await hubs[0].publishKind(next, by: "Hải")
            #expect(published.publishedBy == "Hải" && published.publishedAt != nil)
            let seen = try await hubs[1].kinds().filter { $0.document.kind == "visit" }
            #expect(seen.map(\.document.version) == [1, 2] && seen.last?.document == next, "every hub process sees it")

            // Dropping a field in version 3: refused with the reason, nothing stored.
            var broken = next
            broken.version = 3
            broken.fields.removeAll { $0.name == "note" }
            do {
                _ = try await hubs[1].publishKind(broken, by: "Hải")
                Issue.record("an incompatible version must be refused")
            } catch let error as HubError {
                #expect("\(error)".contains("field-removed") && "\(error)".contains("retire it instead"), "\(error)")
            }
            await #expect(throws: HubError.self, "the same version twice") { try await hubs[0].publishKind(next, by: "Hải") }
            #expect(try await hubs[0].kinds().filter { $0.document.kind == "visit" }.count == 2)

            // A new kind starts at version 1.
            var meeting = try RecordKind.builtIn("session")
            meeting.kind = "meeting"
            meeting.version = 2
            await #expect(throws: HubError.self) { try await hubs[0].publishKind(meeting, by: "Hải") }
            meeting.version = 1
            _ = try await hubs[0].publishKind(meeting, by: "Hải")
            #expect(try await hubs[1].kinds().contains { $0.document.kind == "meeting" && $0.document.version == 1 })
        }
    }

    /// A field and an option a hub has not published are refused (quarantined with the reason); once published, a
    /// visit with them is stored with its register and reaches another laptop through another hub process, which
    /// has not received the version and still holds them exactly.
    @Test(arguments: Backend.available)
    func aPublishedFieldIsKeptByTheHubAndRelayedToLaptops(_ backend: Backend) async throws {
        try await backend.withHubs(2) { hubs in
            let dir = TemporaryDirectory()
            let lan = try await TestLaptop.enrolled(at: hubs[0], in: dir, name: "Lan")
            let minh = try await TestLaptop.enrolled(at: hubs[1], in: dir, name: "Minh")
            let kind = try PublishedVisitKind.version2()
            try lan.store.saveHubKinds(try PublishedVisitKind.answer([kind]), announced: 1)
            func logged(_ name: String) throws -> RecordState {
                var draft = VisitDraft(service: try Service(code: "binh-dan-hoc-vu-so", options: try lan.store.serviceOptions()),
                                       outcome: .done, citizenName: name)
                draft.extra = ["activatedOnSite": .bool(true)]
                return try lan.store.log(draft).state
            }

            let early = try logged("Trần Văn Bình")
            let refused = try await lan.push(via: hubs[0])
            #expect(refused.rejected.map(\.id) == [early.id] && refused.rejected.first?.message.contains("binh-dan-hoc-vu-so") == true,
                    "\(refused.rejected)")

            _ = try await hubs[1].publishKind(kind, by: "Hải")
            let state = try logged("Lê Thị Cúc")
            let kept = try await lan.push(via: hubs[0])
            #expect(kept.rejected.isEmpty && kept.fastForward == 1, "\(kept)")
            var query = VisitQuery()
            query.name = "Cúc"
            let line = try #require(try await hubs[1].visits(query).visits.first)
            #expect(line.published == ["activatedOnSite": .bool(true)] && line.service == "binh-dan-hoc-vu-so")

            try await minh.pull(via: hubs[1]) { try $0.visit(exactly: state.id) != nil }
            #expect(try minh.store.visit(exactly: state.id)?.state == state, "relayed whole, to a laptop that has not received version 2")
        }
    }
}
