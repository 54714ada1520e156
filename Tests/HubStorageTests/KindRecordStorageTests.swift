import FieldModel
import FieldStore
import FieldSyncTesting
import Foundation
import HubCore
import RecordKinds
import SyncCore
import Testing

/// Training sessions, a kind of record other than the visit (Protocol/README.md §12), on every engine: pushed through
/// one hub process, checked by the kind's document, pulled through another beside visits under one cursor, merged
/// field by field, counted as people trained by commune and topic.
@Suite struct KindRecordStorageTests {
    @Test(arguments: Backend.available)
    func sessionsSyncBesideVisitsAndAreCounted(_ backend: Backend) async throws {
        try await backend.withHubs(2) { hubs in
            let dir = TemporaryDirectory()
            let lan = try await TestLaptop.enrolled(at: hubs[0], in: dir, name: "Lan")
            let minh = try await TestLaptop.enrolled(at: hubs[1], in: dir, name: "Minh")
            let kind = try lan.store.kind("session")
            let visit = try lan.log("Trần Văn Bình")
            let session = try lan.store.logRecord(kind, [
                "heldAt": .text("2026-12-05T07:00:00Z"), "place": .text("Thôn Đông"), "topic": .text("vneid"),
                "trainers": .text("Nguyễn Văn An; Lê Thị Hoa"), "attendees": .int(32), "women": .int(18), "elderly": .int(9),
            ])
            #expect(session.kind == "session")
            let answer = try await lan.push(via: hubs[0])
            #expect(answer.received == 2 && answer.fastForward == 2 && answer.rejected.isEmpty, "\(answer)")

            try await minh.pull(via: hubs[1]) { try $0.records(of: "session").count == 1 && $0.visit(exactly: visit) != nil }
            #expect(try minh.store.records(of: "session") == [session], "the whole state, its kind included")

            // Concurrent edits of different fields merge; the same field conflicts, on that field alone.
            _ = try lan.store.editRecord(kind, session.id, ["attendees": .int(40)])
            _ = try minh.store.editRecord(kind, session.id, ["place": .text("Nhà văn hoá thôn Đông")])
            try await lan.push(via: hubs[0])
            let merged = try await minh.push(via: hubs[1])
            #expect(merged.merged == 1 && merged.conflicts == 0, "\(merged)")
            try await lan.pull(via: hubs[0]) { FieldStore.values(of: try $0.record(of: "session", session.id))["place"] == .text("Nhà văn hoá thôn Đông") }
            let values = FieldStore.values(of: try lan.store.record(of: "session", session.id))
            #expect(values["attendees"] == .int(40) && values["place"] == .text("Nhà văn hoá thôn Đông"))

            let totals = try await hubs[1].kindTotals("session", scope: lan.device.scope, since: nil, until: nil)
            #expect(totals == [KindTotal(commune: "00004", code: "vneid", records: 1, amount: 40)])
            #expect(try await hubs[0].kindTotals("session", scope: lan.device.scope, since: "2026-12-06T00:00:00Z", until: nil).isEmpty)

            // A session the kind refuses (more women than attendees) is quarantined with the reason; nothing else changes.
            var bad = try lan.store.logRecord(kind, ["heldAt": .text("2026-12-05T08:00:00Z"), "topic": .text("vneid"), "trainers": .text("An"),
                                                     "attendees": .int(5)])
            bad["women"] = Register(value: .int(9), stamp: bad["attendees"]?.stamp ?? Stamp(millis: 1, counter: 0, replica: lan.store.profile.replicaID),
                                    seq: bad["attendees"]?.seq ?? 0)
            var (_, request) = try lan.pending()
            request.records = [bad]
            let refused = try await hubs[0].push(request, from: lan.device)
            #expect(refused.rejected.map(\.id) == [bad.id] && refused.rejected[0].message.contains("women"), "\(refused.rejected)")

            // A state that names another kind for a visit's id is refused; so is a kind the hub does not have.
            var disguised = try #require(try lan.store.visit(exactly: visit)?.state)
            disguised.kind = "session"
            var unknown = session
            unknown.kind = "household"
            request.records = [disguised, unknown]
            let both = try await hubs[0].push(request, from: lan.device)
            #expect(Set(both.rejected.map(\.id)) == [visit, session.id] && both.rejected.contains { $0.message.contains("household") }, "\(both.rejected)")
            #expect(try await hubs[0].kindRecords("session", scope: lan.device.scope, since: nil, until: nil, limit: 10).map(\.state.id) == [session.id])
        }
    }

    /// A laptop restored from an older copy edits a session again: its write reuses a write identity the hub holds for
    /// another write, so it is refused, asks which writes the hub holds, takes a new replica id and writes the session
    /// again under it — the edit is not taken for one the hub has seen, and is not lost.
    @Test(arguments: Backend.available)
    func aRestoredLaptopsSessionEditIsWrittenAgainNotLost(_ backend: Backend) async throws {
        try await backend.withHubs(1) { hubs in
            let dir = TemporaryDirectory()
            let lan = try await TestLaptop.enrolled(at: hubs[0], in: dir, name: "Lan")
            let kind = try lan.store.kind("session")
            let session = try lan.store.logRecord(kind, ["heldAt": .text("2026-12-05T07:00:00Z"), "topic": .text("vneid"),
                                                         "trainers": .text("An"), "attendees": .int(10)])
            try await lan.push(via: hubs[0])
            try lan.store.finishSync()
            let copy = dir.file("lan-copy.sqlite")
            try FileManager.default.copyItem(atPath: lan.store.path, toPath: copy)
            _ = try lan.store.editRecord(kind, session.id, ["attendees": .int(40)])
            try await lan.push(via: hubs[0])

            let restored = TestLaptop(store: try FieldStore.open(at: copy), device: lan.device, token: lan.token)
            _ = try restored.store.editRecord(kind, session.id, ["note": .text("đã tập huấn lại")])
            await #expect(throws: HubError.self) { try await restored.push(via: hubs[0]) }
            let held = try await hubs[0].heldWrites(try restored.store.restoredWrites(), from: lan.device)
            try restored.store.reidentify(reason: "restored", held: Set(held.held))
            let answer = try await restored.push(via: hubs[0])
            #expect(answer.rejected.isEmpty && answer.merged == 1, "\(answer)")
            let atHub = try #require(try await hubs[0].kindRecords("session", scope: lan.device.scope, since: nil, until: nil, limit: 5).first)
            let values = FieldStore.values(of: atHub.state)
            #expect(values["note"] == .text("đã tập huấn lại") && values["attendees"] == .int(40), "both edits kept: \(values)")
        }
    }
}
