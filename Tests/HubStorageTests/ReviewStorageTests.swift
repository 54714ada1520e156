import FieldModel
import FieldStore
import FieldSyncTesting
import Foundation
import HubCore
import SyncCore
import SyncProtocol
import Testing

/// Reviews on every engine (issue 33): a coordinator's review is the hub's own write of the review group, reaches the
/// laptop with the next pull, survives the laptop's later edits (which show as changed after the review), and a
/// laptop that writes the group itself is refused with nothing of the record kept.
@Suite struct ReviewStorageTests {
    @Test(arguments: Backend.available)
    func aReviewReachesTheLaptopAndOnlyTheHubWritesIt(_ backend: Backend) async throws {
        try await backend.withHubs(2) { hubs in
            let dir = TemporaryDirectory()
            let lan = try await TestLaptop.enrolled(at: hubs[0], in: dir, name: "Lan", team: "T-01")
            // Another laptop of the team: what it pulls is what the hub holds.
            let binh = try await TestLaptop.enrolled(at: hubs[1], in: dir, name: "Bình", team: "T-01")
            let id = try lan.log("Đỗ Văn Nam")
            try await lan.push(via: hubs[0])

            #expect(throws: HubError.self, "a return says what to correct") { try ReviewDecision(.needsCorrection, comment: "  ") }
            let decision = try ReviewDecision(.needsCorrection, comment: "thiếu số điện thoại")
            await #expect(throws: HubError.self, "outside the coordinator's area") {
                try await hubs[1].review(id, decision, scope: Scope(commune: "00008"), by: "hai")
            }
            let reviewed = try await hubs[1].review(id, decision, scope: Scope(commune: "00004"), by: "hai")
            let review = try #require(Review(reviewed))
            #expect(review.state == .needsCorrection && review.comment == "thiếu số điện thoại" && review.reviewer == "hai")
            #expect(!review.changedAfter(in: reviewed))

            // The laptop receives it, corrects the visit, and its push (carrying the hub's review as received) is kept.
            try await lan.pull(via: hubs[0]) { try Review($0.visit(id).state) != nil }
            let received = try #require(Review(try lan.store.visit(id).state))
            #expect(received == review)
            var fix = VisitChanges()
            fix.note = "đã bổ sung số điện thoại"
            _ = try lan.store.edit(id, fix)
            let answer = try await lan.push(via: hubs[1])
            #expect(answer.rejected.isEmpty, "\(answer.rejected)")
            try await binh.pull(via: hubs[0]) { try $0.visit(exactly: id)?.visit.note == "đã bổ sung số điện thoại" }
            let atHub = try #require(try binh.store.visit(exactly: id)).state
            #expect(Review(atHub) == review, "the review stays")
            #expect(review.changedAfter(in: atHub), "the correction shows as written after the review")

            // A laptop writing the review itself (a modified program) is refused; the hub keeps its own.
            var forged = VisitChanges()
            forged.extra = ["review": .text("accepted"), "reviewComment": .null, "reviewer": .text("Lan"), "reviewedAt": .text(ISODate.format(Date()))]
            _ = try lan.store.edit(id, forged)
            let refused = try await lan.push(via: hubs[0])
            #expect(refused.rejected.map(\.id) == [id], "\(refused.rejected)")
            try await binh.pull(via: hubs[1])
            #expect(Review(try #require(try binh.store.visit(exactly: id)).state)?.state == .needsCorrection, "the hub keeps its own")
            let audit = try await hubs[0].auditEntries(after: 0, limit: 500).entries
            #expect(audit.contains { $0.action == "review" && $0.detail.contains(id) && $0.actor == "hai" })
        }
    }

    /// Reports count honestly (issue 33): a rejected visit leaves progress (whole and by period) and coverage on every
    /// engine, and on the laptop's own count; accepted again, it counts again. It stays in the data.
    @Test(arguments: Backend.available)
    func aRejectedVisitLeavesTheFigures(_ backend: Backend) async throws {
        try await backend.withHubs(2) { hubs in
            let dir = TemporaryDirectory()
            let lan = try await TestLaptop.enrolled(at: hubs[0], in: dir, name: "Lan", team: "T-01")
            _ = try lan.log("Đỗ Văn Nam")
            let invented = try lan.log("Người Không Có Thật")
            try await lan.push(via: hubs[0])
            let place = ReportFilter(commune: "00004")
            let period = ReportFilter(since: ISODate.format(Date().addingTimeInterval(-86_400)), until: ISODate.format(Date().addingTimeInterval(86_400)),
                                      commune: "00004")
            func figures(_ hub: any HubStorage) async throws -> [Int] {
                [try await hub.progressReport(place, targets: nil).totals.done, try await hub.progressReport(period, targets: nil).totals.done,
                 try await hub.progressReport(place, targets: nil).totals.citizens,
                 try await hub.coverageLines(in: Scope(commune: "00004"), now: Date()).reduce(0) { $0 + $1.level2Done }]
            }
            #expect(try await figures(hubs[1]) == [2, 2, 2, 2])
            #expect(try await hubs[1].progressReport(place, targets: nil).review == .init(accepted: 0, returned: 0, unreviewed: 2, rejected: 0))

            _ = try await hubs[0].review(invented, try ReviewDecision(.rejected, comment: "không có người này"), scope: Scope(commune: "00004"), by: "hai")
            #expect(try await figures(hubs[1]) == [1, 1, 1, 1], "a rejected visit counts nowhere")
            #expect(try await hubs[1].progressReport(period, targets: nil).review == .init(accepted: 0, returned: 0, unreviewed: 1, rejected: 1),
                    "the report says how many are rejected and how many await review")
            try await lan.pull(via: hubs[1]) { Review(try $0.visit(invented).state)?.state == .rejected }
            #expect(try lan.store.coverage().reduce(0) { $0 + $1.level2Done } == 1, "nor on the laptop")
            #expect(try await hubs[1].visits(VisitQuery(filter: place)).visits.count == 2, "it stays in the data")

            _ = try await hubs[1].review(invented, try ReviewDecision(.accepted, comment: nil), scope: Scope(commune: "00004"), by: "hai")
            #expect(try await figures(hubs[0]) == [2, 2, 2, 2], "accepted, it counts again")
            #expect(try await hubs[0].progressReport(place, targets: nil).review == .init(accepted: 1, returned: 0, unreviewed: 1, rejected: 0))
        }
    }

    /// A verification sample (issue 33) takes a share of each volunteer's visits, at least one, never a rejected one;
    /// the same seed draws the same sample on every hub, another seed another one.
    @Test(arguments: Backend.available)
    func aSampleTakesAShareOfEachVolunteersVisits(_ backend: Backend) async throws {
        try await backend.withHubs(2) { hubs in
            let dir = TemporaryDirectory()
            let lan = try await TestLaptop.enrolled(at: hubs[0], in: dir, name: "Lan", team: "T-01")
            let hoa = try await TestLaptop.enrolled(at: hubs[0], in: dir, name: "Hoa", team: "T-01")
            var lans: [String] = []
            for n in 0..<41 { lans.append(try lan.log("Công Dân \(n)")) }
            let hoas = [try hoa.log("Người Một"), try hoa.log("Người Hai")]
            try await lan.push(via: hubs[0])
            try await hoa.push(via: hubs[0])
            var query = VisitQuery(filter: ReportFilter(commune: "00004"))
            query.sample = VisitSample(percent: 5, seed: "a")
            let first = try await hubs[0].visits(query).visits
            #expect(first.filter { $0.volunteer == "Lan" }.count == 3, "5 % of 41, rounded up")
            #expect(first.filter { $0.volunteer == "Hoa" }.count == 1, "at least one")
            #expect(try await hubs[1].visits(query).visits == first, "the seed draws the same sample on every hub")
            var seeds: Set<[String]> = []
            for seed in ["b", "c", "d", "e"] {
                query.sample = VisitSample(percent: 5, seed: seed)
                seeds.insert(try await hubs[0].visits(query).visits.map(\.id))
            }
            #expect(seeds.count > 1, "other seeds draw other samples")

            for id in hoas { _ = try await hubs[0].review(id, try ReviewDecision(.rejected, comment: "trùng"), scope: Scope(), by: "hai") }
            query.sample = VisitSample(percent: 100, seed: "a")
            let all = try await hubs[1].visits(query).visits
            #expect(Set(all.map(\.id)) == Set(lans), "rejected visits are not called back")
            #expect(all.map(\.volunteer) == Array(repeating: "Lan", count: 41))
        }
    }
}
