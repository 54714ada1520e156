import FieldModel
import FieldStore
import FieldSyncTesting
import Foundation
import HubReports
import HubCore
import HubSQLite
import OfflineBundle
import SyncCore
import SyncProtocol
import Synchronization
import Testing

/// The storage contract (`HubStorage`), the same tests on SQLite and on PostgreSQL. Where a test takes
/// several hubs, PostgreSQL gets separate stores with their own connection pools on one database, as
/// separate hub processes have.
@Suite struct StorageContractTests {
    @Test(arguments: Backend.available)
    func anEnrolmentCodeIsRedeemedOnceHoweverManyHubsAreAsked(_ backend: Backend) async throws {
        try await backend.withHubs(3) { hubs in
            let code = try await hubs[0].createEnrollmentCode(role: .volunteer, scope: Scope(team: "T-01", commune: "00004"), validFor: 600)
            let outcomes = await withTaskGroup(of: Result<EnrollResponse, any Error>.self) { group in
                for i in 0..<12 {
                    group.addTask {
                        do {
                            return .success(try await hubs[i % hubs.count].enroll(EnrollRequest(code: code, replica: nil, volunteer: "Lan")))
                        } catch {
                            return .failure(error)
                        }
                    }
                }
                var all: [Result<EnrollResponse, any Error>] = []
                for await outcome in group { all.append(outcome) }
                return all
            }
            let enrolled = outcomes.compactMap { try? $0.get() }
            #expect(enrolled.count == 1)
            for case .failure(let error) in outcomes { #expect(error as? HubError == .invalidEnrollmentCode) }
            #expect(try await hubs[1].devices().count == 1)
            #expect(try await hubs[2].authenticate(token: try #require(enrolled.first).token).scope.commune == "00004")
        }
    }

    @Test(arguments: Backend.available)
    func aTokenWorksOnEveryHubUntilRevoked(_ backend: Backend) async throws {
        try await backend.withHubs(2) { hubs in
            let dir = TemporaryDirectory()
            let laptop = try await TestLaptop.enrolled(at: hubs[0], in: dir, name: "Lan")
            #expect(try await hubs[1].authenticate(token: laptop.token).id == laptop.device.id)
            await #expect(throws: HubError.self) { try await hubs[1].authenticate(token: "not-a-token") }
            try await hubs[1].revoke(device: laptop.device.id)
            await #expect(throws: HubError.unauthorized(Hub.revokedMessage)) { try await hubs[0].authenticate(token: laptop.token) }
            await #expect(throws: HubError.self) { try await hubs[0].revoke(device: "d-000000000000") }
        }
    }

    /// The audit log stays one unbroken chain whatever hub process appends, pushes included.
    @Test(arguments: Backend.available)
    func theAuditLogIsOneChainAcrossHubs(_ backend: Backend) async throws {
        try await backend.withHubs(2) { hubs in
            let dir = TemporaryDirectory()
            let lan = try await TestLaptop.enrolled(at: hubs[0], in: dir, name: "Lan")
            let minh = try await TestLaptop.enrolled(at: hubs[1], in: dir, name: "Minh")
            let devices = [(lan.store.profile.replicaID, lan.device), (minh.store.profile.replicaID, minh.device)]
            // One visit per push (an empty push appends no line), logged before the pushes race.
            let logged = try (0..<6).map { n in
                let laptop = n % 2 == 0 ? lan : minh
                return (laptop, try laptop.log("Người \(n)"))
            }
            // Each push names its laptop's seq as it is once every visit is logged (pushes may arrive in any order).
            let states = try logged.map { laptop, id in (try #require(try laptop.store.visit(exactly: id)).state, try laptop.store.replicaSeq()) }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for n in 0..<6 {
                    let ((replica, device), hub, (state, seq)) = (devices[n % 2], hubs[n % 2], states[n])
                    group.addTask {
                        try await hub.appendAudit([AuditDraft(actor: "operator", action: .report, scope: "commune 00004", detail: ["n": "\(n)"])])
                        _ = try await hub.push(PushRequest(replica: replica, seq: seq, batch: "b-\(n)", unsynced: 0, records: [state], conflicts: nil),
                                               from: device)
                    }
                }
                try await group.waitForAll()
            }
            // A device that pushes nothing, again and again, fills neither the audit log nor the batches.
            for n in 0..<50 {
                _ = try await hubs[n % 2].push(PushRequest(replica: devices[0].0, seq: 10, batch: "e-\(n)", unsynced: 0, records: [], conflicts: nil),
                                               from: devices[0].1)
            }
            #expect(try await hubs[0].mergeReport(ReportFilter()).totals.batches == 6)
            let page = try await hubs[1].auditEntries(after: 0, limit: 100)
            #expect(page.entries.map(\.seq) == Array(1...12), "one line per push and per append, numbered without gaps")
            #expect(page.entries.filter { $0.action == "sync" }.count == 6 && page.entries.filter { $0.action == "report" }.count == 6)
            #expect(AuditChain.verify(page.entries, head: page.head) == nil)
            var edited = page.entries
            edited[4].detail = #"{"n":"9"}"#
            #expect(AuditChain.verify(edited, head: page.head)?.contains("entry 5 was edited") == true)
            #expect(AuditChain.verify(Array(page.entries.dropLast()), head: page.head)?.contains("12…12 were removed") == true)
            var gap = page.entries
            gap.remove(at: 3)
            #expect(AuditChain.verify(gap, head: page.head)?.contains("entries 4…4 were removed") == true)
            #expect(try await hubs[0].auditEntries(after: 10, limit: 100).entries.map(\.seq) == [11, 12])
        }
    }

    /// A device's daily pseudonym allowance is shared by every hub process, and counted per Vietnam day.
    @Test(arguments: Backend.available)
    func theDailyPseudonymAllowanceHoldsAcrossHubs(_ backend: Backend) async throws {
        try await backend.withHubs(2) { hubs in
            #expect(try await hubs[0].pseudonymKeyInUse() == nil)
            let key = PseudonymKey(version: 2, publicKey: String(repeating: "ab", count: 49))
            try await hubs[1].setPseudonymKeyInUse(key)
            #expect(try await hubs[0].pseudonymKeyInUse() == key)
            let results = try await withThrowingTaskGroup(of: Int.self) { group in
                for n in 0..<8 {
                    group.addTask { try await hubs[n % 2].takePseudonyms(device: "d-1", day: "2026-12-05", wanted: 40, allowance: 100).granted }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(results.reduce(0, +) == 100 && results.filter { $0 == 0 }.count >= 5, "\(results): no more than the allowance, whatever the interleaving")
            let next = try await hubs[0].takePseudonyms(device: "d-1", day: "2026-12-06", wanted: 5, allowance: 100)
            #expect(next.granted == 5 && next.remaining == 95, "a new Vietnam day, a new allowance")
            let other = try await hubs[1].takePseudonyms(device: "d-2", day: "2026-12-05", wanted: 5, allowance: 100)
            #expect(other.granted == 5, "per device")
        }
    }

    @Test(arguments: Backend.available)
    func pushedVisitsArePulledThroughAnotherHubInScopeOnly(_ backend: Backend) async throws {
        try await backend.withHubs(2) { hubs in
            let dir = TemporaryDirectory()
            let lan = try await TestLaptop.enrolled(at: hubs[0], in: dir, name: "Lan")
            let minh = try await TestLaptop.enrolled(at: hubs[1], in: dir, name: "Minh")
            let far = try await TestLaptop.enrolled(at: hubs[1], in: dir, name: "Hoa", commune: "00008")
            let ids = try ["Trần Văn Bình", "Lê Thị Cúc", "Phạm Văn Dũng"].map { try lan.log($0) }
            let answer = try await lan.push(via: hubs[0])
            #expect(answer.received == 3 && answer.fastForward == 3 && answer.rejected.isEmpty)
            try await minh.pull(via: hubs[1]) { Set(try $0.visits().map(\.visit.id)) == Set(ids) }
            #expect(Set(try minh.store.visits().map(\.visit.id)) == Set(ids))
            try await far.pull(via: hubs[0])
            #expect(try far.store.visits().isEmpty)
            // Sending the same push again changes nothing.
            let again = try await hubs[1].push(try lan.pending().1, from: lan.device)
            #expect(again.received == 0)
        }
    }

    /// Deleted visits below the horizon leave the hub; a laptop that pulled them drops its copies; a
    /// laptop left out for its silence comes back with an edit of one of them: the edit meets the
    /// reduced tombstone as an edit-vs-delete, nothing is resurrected, and its other copy goes.
    @Test(arguments: Backend.available)
    func tombstonesBelowTheHorizonAreCompactedWithoutResurrection(_ backend: Backend) async throws {
        let clock = ManualClock()
        try await backend.withHubs(2, clock: clock) { hubs in
            let dir = TemporaryDirectory()
            let lan = try await TestLaptop.enrolled(at: hubs[0], in: dir, name: "Lan")
            let minh = try await TestLaptop.enrolled(at: hubs[1], in: dir, name: "Minh")
            let old = try await TestLaptop.enrolled(at: hubs[1], in: dir, name: "Old")
            let ids = try ["Trần Văn Bình", "Lê Thị Cúc", "Phạm Văn Dũng"].map { try lan.log($0) }
            try await lan.push(via: hubs[0])
            try await old.pull(via: hubs[1]) { try $0.visits().count == 3 }
            _ = try lan.store.delete(ids[0])
            _ = try lan.store.delete(ids[1])
            let deletions = try await lan.push(via: hubs[0]).hubSeq
            var note = VisitChanges()
            note.note = "đã gọi lại"
            _ = try old.store.edit(ids[1], note)
            // Old falls silent; Lan and Minh pull twice (a checkpoint is the cursor a device pulls after).
            clock.advance(by: 2.2)
            let cut = clock.now().addingTimeInterval(-1.1)
            for laptop in [lan, minh] {
                // Until the cursor passes the deletions (on PostgreSQL a pull stops below transactions still running anywhere).
                try await laptop.pull(via: hubs[1]) { try $0.pullCursor() >= deletions }
                try await laptop.pull(via: hubs[0])
            }
            let dry = try await hubs[0].compact(grace: clock.now().timeIntervalSince(cut), dryRun: true, now: clock.now())
            #expect(dry.tombstones == 2 && dry.excluded == [old.device.id] && dry.dryRun)
            func deletedAtHub(_ id: String) async throws -> Bool {
                try await hubs[1].visit(id, scope: Scope()).fields.contains { $0.field == "deleted" && $0.value.bool == true }
            }
            #expect(try await deletedAtHub(ids[0]))
            let done = try await hubs[1].compact(grace: clock.now().timeIntervalSince(cut), dryRun: false, now: clock.now())
            #expect(done.tombstones == 2 && done.excluded == [old.device.id])
            #expect(!done.heldBy.contains(old.device.id) && !done.heldBy.isEmpty)
            await #expect(throws: HubError.self) { try await hubs[0].visit(ids[0], scope: Scope()) }
            let again = try await hubs[0].compact(grace: clock.now().timeIntervalSince(cut), dryRun: false, now: clock.now())
            #expect(again.tombstones == 0)

            // Minh drops its copies at its next pull.
            try await minh.pull(via: hubs[0]) { try $0.visit(exactly: ids[0]) == nil && $0.visit(exactly: ids[1]) == nil }
            #expect(try minh.store.visits().map(\.visit.id) == [ids[2]])

            // Old comes back: its edit meets the reduced tombstone: an edit-vs-delete entry keeps it, the
            // visit stays compacted, and Old drops its copy.
            let answer = try await old.push(via: hubs[0])
            #expect(answer.editVsDelete == 1 && answer.rejected.isEmpty && answer.forgotten == [ids[1]])
            await #expect(throws: HubError.self) { try await hubs[0].visit(ids[1], scope: Scope()) }
            let entries = try await hubs[0].conflicts(status: .open, since: nil, until: nil, scope: Scope(commune: "00004"))
            #expect(entries.map(\.record) == [ids[1]] && entries.first?.kind == "edit-vs-delete")
            #expect(entries.first?.fields.contains { $0.incoming?.value.text == "đã gọi lại" } == true, "the edit is kept in the entry")
            try await old.pull(via: hubs[1]) { try $0.visit(exactly: ids[0]) == nil }
            #expect(try old.store.visits(VisitFilter(includeDeleted: true)).map(\.visit.id) == [ids[2]])
            // Nothing it holds brings a deleted visit back.
            var query = VisitQuery()
            query.includeDeleted = true
            let page = try await hubs[0].visits(query)
            #expect(page.visits.map(\.id) == [ids[2]])
            // The entry can only be kept: the visit cannot be restored any more.
            let entry = try #require(entries.first)
            await #expect(throws: HubError.self) {
                try await hubs[1].resolveConflict(entry.id, choice: .take, by: "Điều phối", device: nil, scope: Scope())
            }
            let kept = try await hubs[1].resolveConflict(entry.id, choice: .keep, by: "Điều phối", device: nil, scope: Scope())
            #expect(!kept.alreadyResolved && kept.line.resolution?.choice == "keep")
        }
    }

    /// A laptop whose push answer was lost holds a write the hub merged into a tombstone since compacted:
    /// sent again, it is already known, and the answer tells the laptop to drop its copy.
    @Test(arguments: Backend.available)
    func aWriteWhoseAnswerWasLostBeforeCompactionIsDroppedWhenSentAgain(_ backend: Backend) async throws {
        try await backend.withHubs(2) { hubs in
            let dir = TemporaryDirectory()
            let lan = try await TestLaptop.enrolled(at: hubs[0], in: dir, name: "Lan")
            let old = try await TestLaptop.enrolled(at: hubs[1], in: dir, name: "Old")
            let id = try lan.log("Trần Văn Bình")
            try await lan.push(via: hubs[0])
            try await old.pull(via: hubs[1]) { try $0.visit(exactly: id) != nil }
            _ = try lan.store.delete(id)
            try await lan.push(via: hubs[0])
            var note = VisitChanges()
            note.note = "đã gọi lại"
            _ = try old.store.edit(id, note)
            let (_, request) = try old.pending()
            let lost = try await hubs[0].push(request, from: old.device)  // merged, but the answer never arrives
            #expect(lost.editVsDelete == 1)
            // A deleted visit with an open entry waits; kept by a coordinator, it goes.
            #expect(try await hubs[1].compact(grace: 0, dryRun: false, now: Date().addingTimeInterval(5)).tombstones == 0)
            let entry = try #require(try await hubs[0].conflicts(status: .open, since: nil, until: nil, scope: Scope()).first)
            _ = try await hubs[0].resolveConflict(entry.id, choice: .keep, by: "Điều phối", device: nil, scope: Scope())
            #expect(try await hubs[1].compact(grace: 0, dryRun: false, now: Date().addingTimeInterval(5)).tombstones == 1)
            try await old.pull(via: hubs[0])
            #expect(try old.store.visit(exactly: id) != nil, "kept for its write the hub never acknowledged")
            let again = try await old.push(via: hubs[1])
            #expect(again.alreadyKnown == 1 && again.forgotten == [id])
            #expect(try old.store.visit(exactly: id) == nil && old.store.conflicts().isEmpty)
            await #expect(throws: HubError.self) { try await hubs[0].visit(id, scope: Scope()) }
        }
    }

    /// Lan logs a visit through the first hub, Minh pulls it through the second, both edit it offline
    /// (`a`, `b`) and push, each through their own hub: one conflict entry when the edits collide.
    static func editAtOnce(_ hubs: [any HubStorage], in dir: TemporaryDirectory, _ a: VisitChanges, _ b: VisitChanges) async throws
        -> (lan: TestLaptop, minh: TestLaptop, id: String) {
        let lan = try await TestLaptop.enrolled(at: hubs[0], in: dir, name: "Lan")
        let minh = try await TestLaptop.enrolled(at: hubs[1], in: dir, name: "Minh")
        let id = try lan.log("Trần Văn Bình")
        try await lan.push(via: hubs[0])
        try await minh.pull(via: hubs[1]) { try $0.visit(exactly: id) != nil }
        _ = try lan.store.edit(id, a)
        _ = try minh.store.edit(id, b)
        try await lan.push(via: hubs[0])
        try await minh.push(via: hubs[1])
        return (lan, minh, id)
    }

    /// An erasure blanks the citizen's values in conflict entries, the values a coordinator set included.
    @Test(arguments: Backend.available)
    func anErasureBlanksTheValuesACoordinatorSet(_ backend: Backend) async throws {
        try await backend.withHubs(2) { hubs in
            var a = VisitChanges()
            a.citizenName = "Trần Văn Bính"
            var b = VisitChanges()
            b.citizenName = "Trần Văn Bình Minh"
            let dir = TemporaryDirectory()
            let (_, _, id) = try await Self.editAtOnce(hubs, in: dir, a, b)
            let entry = try #require(try await hubs[0].conflicts(status: .open, since: nil, until: nil, scope: Scope()).first)
            let (line, _) = try await hubs[1].resolveConflict(entry.id, choice: .set(["name": .text("Trần Văn Bình Ba")]), by: "Điều phối",
                                                               device: nil, scope: Scope())
            #expect(line.resolution?.values?["name"] == .text("Trần Văn Bình Ba"))
            _ = try await hubs[0].erase([id])
            let after = try await hubs[1].conflict(entry.id, scope: Scope())
            #expect(after.resolution?.values?["name"] == .text(Visit.erasedName) && after.resolution?.choice == "set")
            #expect(after.fields.allSatisfy { [$0.stored?.value, $0.incoming?.value].allSatisfy { $0 == nil || $0 == .text(Visit.erasedName) } })
        }
    }

    @Test(arguments: Backend.available)
    func aReplicaClaimedByASecondDeviceIsRefused(_ backend: Backend) async throws {
        try await backend.withHubs(2) { hubs in
            let dir = TemporaryDirectory()
            let lan = try await TestLaptop.enrolled(at: hubs[0], in: dir, name: "Lan")
            let copy = try await TestLaptop.enrolled(at: hubs[0], in: dir, name: "Copy")
            try lan.log("Trần Văn Bình")
            let (_, request) = try lan.pending()
            try await lan.push(via: hubs[0])
            await #expect(throws: HubError.self) { try await hubs[1].push(request, from: copy.device) }
            do {
                _ = try await hubs[1].push(request, from: copy.device)
            } catch let error as HubError {
                #expect(error.code == .replicaRestored)
            }
        }
    }

    /// Two laptops edit one visit at once through two hubs: edits of different fields both stay; edits
    /// of one field keep one value and the other in a conflict entry. Repeated to meet the race.
    @Test(arguments: Backend.available)
    func concurrentEditsThroughTwoHubsLoseNothing(_ backend: Backend) async throws {
        try await backend.withHubs(2) { hubs in
            let dir = TemporaryDirectory()
            let lan = try await TestLaptop.enrolled(at: hubs[0], in: dir, name: "Lan")
            let minh = try await TestLaptop.enrolled(at: hubs[1], in: dir, name: "Minh")
            let reader = try await TestLaptop.enrolled(at: hubs[0], in: dir, name: "Reader")
            let (lanDevice, minhDevice) = (lan.device, minh.device)
            for round in 0..<6 {
                let id = try lan.log("Công dân \(round)")
                try await lan.push(via: hubs[0])
                try await minh.pull(via: hubs[1]) { try $0.visit(exactly: id) != nil }
                var note = VisitChanges()
                note.note = "ghi chú \(round)"
                var phone = VisitChanges()
                phone.phone = .some(try PhoneNumber(validating: "09710000\(String(format: "%02d", round))"))
                _ = try lan.store.edit(id, note)
                _ = try minh.store.edit(id, phone)
                let (lanPending, lanRequest) = try lan.pending()
                let (minhPending, minhRequest) = try minh.pending()
                async let a = hubs[0].push(lanRequest, from: lanDevice)
                async let b = hubs[1].push(minhRequest, from: minhDevice)
                let (lanAnswer, minhAnswer) = try await (a, b)
                try lan.store.acknowledge(lanPending, response: lanAnswer)
                try minh.store.acknowledge(minhPending, response: minhAnswer)
                #expect(lanAnswer.conflicts + minhAnswer.conflicts == 0)
                try await reader.pull(via: hubs[round % 2]) { store in
                    let visit = try store.visit(exactly: id)?.visit
                    return visit?.note == "ghi chú \(round)" && visit?.phone != nil
                }
                let merged = try #require(try reader.store.visit(exactly: id)).visit
                #expect(merged.note == "ghi chú \(round)")
                #expect(merged.phone == "09710000\(String(format: "%02d", round))")

                // The same field at once: one value wins, the other is kept in one conflict entry.
                var lanName = VisitChanges()
                lanName.citizenName = "Tên A \(round)"
                var minhName = VisitChanges()
                minhName.citizenName = "Tên B \(round)"
                try await minh.pull(via: hubs[1]) { try $0.visit(exactly: id)?.visit.note == "ghi chú \(round)" }
                try await lan.pull(via: hubs[0]) { try $0.visit(exactly: id)?.visit.phone != nil }
                _ = try lan.store.edit(id, lanName)
                _ = try minh.store.edit(id, minhName)
                let (lp, lr) = try lan.pending()
                let (mp, mr) = try minh.pending()
                async let c = hubs[1].push(lr, from: lanDevice)
                async let d = hubs[0].push(mr, from: minhDevice)
                let (lanSecond, minhSecond) = try await (c, d)
                try lan.store.acknowledge(lp, response: lanSecond)
                try minh.store.acknowledge(mp, response: minhSecond)
                #expect(lanSecond.conflicts + minhSecond.conflicts == 1)
                let entries = try await hubs[round % 2].conflicts(status: .open, since: nil, until: nil, scope: Scope())
                    .filter { $0.record == id }
                #expect(entries.count == 1)
                let values = Set(entries.first?.fields.flatMap { [$0.stored?.value, $0.incoming?.value] }.compactMap { $0?.text } ?? [])
                #expect(values == ["Tên A \(round)", "Tên B \(round)"])
            }
        }
    }

    @Test(arguments: Backend.available)
    func aConflictResolvedAtOneHubReachesLaptopsThroughAnother(_ backend: Backend) async throws {
        try await backend.withHubs(2) { hubs in
            var a = VisitChanges()
            a.note = "gọi lại thứ hai"
            var b = VisitChanges()
            b.note = "đã xong"
            let dir = TemporaryDirectory()
            let (lan, minh, id) = try await Self.editAtOnce(hubs, in: dir, a, b)
            let open = try await hubs[1].conflicts(status: .open, since: nil, until: nil, scope: Scope())
            let entry = try #require(open.first)
            #expect(open.count == 1)
            let loser = try #require(entry.fields.first { $0.field == "note" }.flatMap { $0.winner == .stored ? $0.incoming : $0.stored })
            let (line, before) = try await hubs[0].resolveConflict(entry.id, choice: .take, by: "Điều phối", device: nil, scope: Scope())
            #expect(!before && line.resolution?.choice == "take")
            let (_, again) = try await hubs[1].resolveConflict(entry.id, choice: .take, by: "Điều phối", device: nil, scope: Scope())
            #expect(again)
            #expect(try await hubs[1].conflicts(status: .open, since: nil, until: nil, scope: Scope()).isEmpty)
            try await lan.pull(via: hubs[1]) { try $0.visit(exactly: id)?.visit.note == loser.value.text }
            try await minh.pull(via: hubs[0]) { try $0.visit(exactly: id)?.visit.note == loser.value.text }
            #expect(try lan.store.visit(exactly: id)?.visit.note == loser.value.text)
            #expect(try minh.store.visit(exactly: id)?.visit.note == loser.value.text)
            await #expect(throws: HubError.self) {
                try await hubs[0].conflict(entry.id, scope: Scope(commune: "00008"))
            }
        }
    }

    @Test(arguments: Backend.available)
    func reportsCountWhatWasPushedWhicheverHubIsAsked(_ backend: Backend) async throws {
        try await backend.withHubs(2) { hubs in
            let dir = TemporaryDirectory()
            let lan = try await TestLaptop.enrolled(at: hubs[0], in: dir, name: "Lan")
            let minh = try await TestLaptop.enrolled(at: hubs[1], in: dir, name: "Minh")
            let first = try lan.log("Trần Văn Bình")
            try lan.log("Lê Thị Cúc", service: .bankAccount)
            _ = try lan.store.log(VisitDraft(service: .vneidLevel2, outcome: .failed, citizenName: "Phạm Văn Dũng", reason: .otpNotReceived))
            for _ in 0..<2 {
                _ = try lan.store.log(VisitDraft(service: .eWallet, outcome: .done, citizenName: "Hoàng Văn Em",
                                                 citizenID: try CitizenID(validating: "001203000123")))
            }
            try await lan.push(via: hubs[0])
            try await minh.pull(via: hubs[1]) { try $0.visit(exactly: first) != nil }
            var a = VisitChanges()
            a.note = "A"
            var b = VisitChanges()
            b.note = "B"
            _ = try lan.store.edit(first, a)
            _ = try minh.store.edit(first, b)
            try await lan.push(via: hubs[1])
            try await minh.push(via: hubs[0])

            let merge = try await hubs[1].mergeReport(ReportFilter())
            #expect(merge.totals.batches == 3 && merge.totals.received == 7 && merge.totals.conflicts == 1)
            #expect(merge.devices.map(\.device).sorted() == [lan.device.id, minh.device.id].sorted())
            #expect(try await hubs[0].mergeReport(ReportFilter(commune: "00008")).totals.batches == 0)

            let progress = try await hubs[0].progressReport(ReportFilter(commune: "00004"), targets: nil)
            #expect(progress.totals.done == 4 && progress.totals.failed == 1 && progress.totals.citizens == 4)
            #expect(progress.totals.failedByReason == ["otp-not-received": 1])
            #expect(progress.provinces.first?.communes.first?.services.map(\.service).sorted() == ["bank-account", "e-wallet", "vneid-level2"])

            let devices = try await hubs[1].devicesReport(ReportFilter(), staleDays: 7, now: Date())
            #expect(devices.devices.first { $0.device == lan.device.id }?.visits == 5)
            #expect(devices.staleCount == 0)

            let duplicates = try await hubs[0].duplicatesReport(ReportFilter(province: "01"))
            #expect(duplicates.groups.count == 1)
            #expect(duplicates.groups.first?.visits.count == 2 && duplicates.groups.first?.service == "e-wallet")
            #expect(try await hubs[1].duplicatesReport(ReportFilter(commune: "00008")).groups.isEmpty)
        }
    }

    /// The console's visit table pages newest first and searches names without diacritics, inside the
    /// scope only; console logins are unique, any case.
    @Test(arguments: Backend.available)
    func visitPagesAndConsoleLogins(_ backend: Backend) async throws {
        try await backend.withHubs(2) { hubs in
            let dir = TemporaryDirectory()
            let lan = try await TestLaptop.enrolled(at: hubs[0], in: dir, name: "Lan")
            let hoa = try await TestLaptop.enrolled(at: hubs[1], in: dir, name: "Hoa", commune: "25747")
            let binh = try lan.log("Trần Văn Bình")
            try lan.log("Lê Thị Cúc")
            try lan.log("Phạm Bính")
            try hoa.log("Nguyễn Văn Bình")
            try await lan.push(via: hubs[0])
            try await hoa.push(via: hubs[1])

            var query = VisitQuery(filter: ReportFilter(commune: "00004"), limit: 2)
            let first = try await hubs[1].visits(query)
            #expect(first.visits.map(\.name) == ["Phạm Bính", "Lê Thị Cúc"] && first.next != nil)
            query.before = first.next
            let second = try await hubs[0].visits(query)
            #expect(second.visits.map(\.name) == ["Trần Văn Bình"] && second.next == nil)
            let search = try await hubs[0].visits(VisitQuery(filter: ReportFilter(province: "01"), name: "BINH"))
            #expect(Set(search.visits.map(\.name)) == ["Trần Văn Bình", "Phạm Bính"], "province 01 holds 00004, not 25747")
            #expect(try await hubs[1].visits(VisitQuery(name: "bình")).visits.count == 3)
            #expect(try await hubs[1].visits(VisitQuery(outcome: .failed)).visits.isEmpty)

            let detail = try await hubs[1].visit(binh, scope: Scope(commune: "00004"))
            #expect(detail.visit.name == "Trần Văn Bình" && detail.fields.contains { $0.field == "name" && $0.writtenBy == "Lan" })
            await #expect(throws: HubError.self) { try await hubs[0].visit(binh, scope: Scope(province: "79")) }

            try await hubs[0].setConsoleLogin(device: lan.device.id, login: "Lan.N", passphraseHash: "$2b$12$x")
            #expect(try await hubs[1].consoleLogin("LAN.n")?.device.id == lan.device.id)
            #expect(try await hubs[1].consoleLogin("nobody") == nil)
            await #expect(throws: HubError.self) {
                try await hubs[1].setConsoleLogin(device: hoa.device.id, login: "lan.n", passphraseHash: "$2b$12$y")
            }
        }
    }

    /// Citizens are told apart by their whole pseudonym on both engines: three CCCDs are three citizens,
    /// and only the one helped twice for a service forms a duplicate group, holding its own visits only.
    @Test(arguments: Backend.available)
    func differentCitizensNeverShareADuplicateGroupOrACount(_ backend: Backend) async throws {
        try await backend.withHubs(1) { hubs in
            let dir = TemporaryDirectory()
            let lan = try await TestLaptop.enrolled(at: hubs[0], in: dir, name: "Lan")
            let people = [("Nguyễn Văn Ánh", "001203007788"), ("Đặng Đức Thắng", "001203009999"), ("Phạm Văn Hùng", "001203002345"),
                          ("Phạm Văn Hùng", "001203002345")]
            var ids: [String] = []
            for (name, cccd) in people {
                ids.append(try lan.store.log(VisitDraft(service: .vneidLevel2, outcome: .done, citizenName: name,
                                                        citizenID: try CitizenID(validating: cccd))).visit.id)
            }
            try lan.log("Lê Thị Cúc")
            try await lan.push(via: hubs[0])

            let progress = try await hubs[0].progressReport(ReportFilter(commune: "00004"), targets: nil)
            #expect(progress.totals.citizens == 4, "three CCCD holders and one visit without a CCCD")
            let duplicates = try await hubs[0].duplicatesReport(ReportFilter())
            #expect(duplicates.groups.count == 1)
            let group = try #require(duplicates.groups.first)
            #expect(Set(group.visits.map(\.id)) == [ids[2], ids[3]])
            #expect(group.visits.allSatisfy { $0.citizen == "********2345" && $0.name == "Phạm Văn Hùng" })
            await #expect(throws: HubError.self) { try await hubs[0].resolveDuplicate(ids[0], keeping: ids[1], by: "hai", scope: Scope()) }
        }
    }

    /// The hub runs the laptop's rules on every state it receives (one function, `Visit.validated`), on both
    /// engines: a crafted push with a phone or CCCD without consent, a failed visit without a reason, a done one
    /// with a reason, or a visit dated tomorrow in Vietnam is quarantined with the rule's message, not stored.
    @Test(arguments: Backend.available)
    func theHubEnforcesTheRulesTheLaptopEnforces(_ backend: Backend) async throws {
        try await backend.withHubs(1) { hubs in
            let lan = try await TestLaptop.enrolled(at: hubs[0], in: TemporaryDirectory(), name: "Lan")
            let ids = try (0..<5).map { try lan.log("Người \($0)") }
            let (pending, request) = try lan.pending()
            // An hour into the day after tomorrow: beyond the ten minutes of slack whatever the hour the test runs at.
            let tomorrow = ISODate.format(VietnamTime.endOfDay(of: Date().addingTimeInterval(86_400)).addingTimeInterval(3_600))
            let breaks: [String: ([String: FieldValue], String)] = [
                ids[0]: (["phone": .text("0912345678"), "consent": .null], "consent"),
                ids[1]: (["cccd": .object(["masked": .text("********2345"), "hash": .null]), "consent": .null], "consent"),
                ids[2]: (["outcome": .text("failed")], "reason"),
                ids[3]: (["reason": .text("otp-not-received")], "reason"),
                ids[4]: (["visitedAt": .text(tomorrow)], "after today"),
            ]
            var crafted = request
            crafted.records = pending.states.map { state in
                var state = state
                if let (changes, _) = breaks[state.id], let stamp = state["name"] {
                    for (field, value) in changes { state[field] = Register(value: value, stamp: stamp.stamp, seq: stamp.seq) }
                }
                return state
            }
            let answer = try await hubs[0].push(crafted, from: lan.device)
            #expect(answer.rejected.count == 5 && answer.fastForward == 0, "\(answer.rejected)")
            for rejection in answer.rejected {
                let expected = breaks[rejection.id]?.1 ?? "?"
                #expect(rejection.code == "invalid_record" && rejection.message.contains(expected), "\(rejection.message)")
            }
            #expect(try await hubs[0].visits(VisitQuery()).visits.isEmpty, "nothing of them is stored")
        }
    }

    /// Only the laptop that logged a visit erases its citizen's data through a push, on both engines (and after it
    /// enrolled again); another volunteer's erasure is refused for that record with a reason naming who can, and
    /// an erasure leaves an audit line naming the visit, its pseudonym and who erased it.
    @Test(arguments: Backend.available)
    func onlyTheLaptopThatLoggedAVisitErasesIt(_ backend: Backend) async throws {
        try await backend.withHubs(1) { hubs in
            let dir = TemporaryDirectory()
            let lan = try await TestLaptop.enrolled(at: hubs[0], in: dir, name: "Lan")
            let minh = try await TestLaptop.enrolled(at: hubs[0], in: dir, name: "Minh")
            let visit = try lan.store.log(VisitDraft(service: .vneidLevel2, outcome: .done, citizenName: "Hoàng Văn Em",
                                                     citizenID: try CitizenID(validating: "001203000123"))).visit.id
            let other = try lan.log("Lê Thị Cúc")
            try await lan.push(via: hubs[0])
            try await minh.pull(via: hubs[0]) { try $0.visit(exactly: visit) != nil }
            #expect(throws: StoreError.notYourVisit(id: visit, volunteer: "Lan")) { try minh.store.withdrawConsent(visit) }

            // Minh's laptop crafts the erasure anyway.
            let held = try #require(try minh.store.visit(exactly: visit))
            var replica = ReplicaState(id: minh.store.profile.replicaID, seq: 1_000, clockMillis: UInt64(Date().timeIntervalSince1970 * 1000))
            let erasedValues = held.visit.erasing().fieldValues
            let erased = replica.write(["erased": erasedValues[.erased] ?? .bool(true), "name": erasedValues[.name] ?? .null], to: held.state,
                                       recordID: visit, now: UInt64(Date().timeIntervalSince1970 * 1000))
            let answer = try await hubs[0].push(PushRequest(replica: replica.id, seq: replica.seq, batch: "erase", unsynced: 0,
                                                            records: [erased], conflicts: nil), from: minh.device)
            #expect(answer.rejected.map(\.id) == [visit] && answer.rejected.first?.message.contains("Lan") == true, "\(answer.rejected)")
            #expect(try await hubs[0].visit(visit, scope: Scope()).visit.name == "Hoàng Văn Em", "nothing was erased")

            // Lan, enrolled again on a new device, still erases the visits her laptop logged.
            let code = try await hubs[0].createEnrollmentCode(role: .volunteer, scope: Scope(team: "T-01", commune: "00004"), validFor: 600)
            let again = try await hubs[0].enroll(EnrollRequest(code: code, replica: nil, volunteer: "Lan", previousToken: lan.token))
            try lan.store.reenroll(server: "http://127.0.0.1:1", response: again, insecureHTTP: true)
            let lanAgain = TestLaptop(store: lan.store, device: try await hubs[0].authenticate(token: again.token), token: again.token)
            _ = try lan.store.withdrawConsent(visit)
            let accepted = try await lanAgain.push(via: hubs[0])
            #expect(accepted.rejected.isEmpty, "\(accepted.rejected)")
            #expect(try await hubs[0].visit(visit, scope: Scope()).visit.name == Visit.erasedName)
            #expect(try await hubs[0].visit(other, scope: Scope()).visit.name == "Lê Thị Cúc")
            let lines = try await hubs[0].auditEntries(after: 0, limit: 100).entries.filter { $0.action == "erase" }
            #expect(lines.count == 1 && lines.first?.actor == again.device && lines.first?.detail.contains(visit) == true
                    && lines.first?.detail.contains("\"pseudonym\":\"p1.") == true, "\(lines)")
        }
    }

    /// A record the hub refused keeps the citizen's data in its quarantined payload: it is found by pseudonym, phone
    /// or folded name (within the commune), and emptied on request, on both engines.
    @Test(arguments: Backend.available)
    func quarantinedPayloadsOfACitizenAreFoundAndErased(_ backend: Backend) async throws {
        try await backend.withHubs(1) { hubs in
            let lan = try await TestLaptop.enrolled(at: hubs[0], in: TemporaryDirectory(), name: "Lan")
            _ = try lan.store.log(VisitDraft(service: .bankAccount, outcome: .done, citizenName: "Hoàng Thị Xoan",
                                             citizenID: try CitizenID(validating: "001203004567"), phone: try PhoneNumber(validating: "0987654321")))
            _ = try lan.log("Người khác")
            try lan.takePseudonyms()
            let (pending, request) = try lan.pending()
            var crafted = request
            crafted.records = pending.states.map { state in
                var state = state
                if let stamp = state["name"] { state["outcome"] = Register(value: .text("failed"), stamp: stamp.stamp, seq: stamp.seq) }
                return state
            }
            let answer = try await hubs[0].push(crafted, from: lan.device)
            #expect(answer.rejected.count == 2, "both refused: the hub never stored them")
            let pseudonyms = pending.states.compactMap { $0["cccd"]?.value.object?["hash"]?.text }
            let pseudonym = try #require(pseudonyms.first)
            for match in [QuarantineMatch(pseudonyms: [pseudonym]), QuarantineMatch(phones: ["0987654321"]),
                          QuarantineMatch(names: ["hoang thi xoan"], commune: "00004")] {
                let found = try await hubs[0].quarantined(matching: match)
                #expect(found.count == 1 && found.first?.payload.contains("Hoàng Thị Xoan") == true, "\(match)")
            }
            #expect(try await hubs[0].quarantined(matching: QuarantineMatch(names: ["hoang thi xoan"], commune: "00008")).isEmpty)
            let record = try #require(try await hubs[0].quarantined(matching: QuarantineMatch(pseudonyms: [pseudonym])).first?.record)
            #expect(try await hubs[0].eraseQuarantined(records: [record]) == 1)
            #expect(try await hubs[0].quarantined(matching: QuarantineMatch(phones: ["0987654321"])).isEmpty)
            let left = try await hubs[0].mergeReport(ReportFilter()).quarantined
            #expect(left.count == 2 && !left.contains { $0.payload.contains("Xoan") || $0.payload.contains("0987654321") })
        }
    }

    /// A refused push is logged alike on both engines, however early it is refused (a coordinator's token pushing).
    @Test(arguments: Backend.available)
    func refusedPushesAreLoggedAlike(_ backend: Backend) async throws {
        try await backend.withHubs(1) { hubs in
            let code = try await hubs[0].createEnrollmentCode(role: .coordinator, scope: Scope(commune: "00004"), validFor: 600)
            let coordinator = try await hubs[0].authenticate(token: try await hubs[0].enroll(EnrollRequest(code: code, replica: nil, volunteer: "Hải")).token)
            await #expect(throws: HubError.self) {
                try await hubs[0].push(PushRequest(replica: ReplicaID(rawValue: 0x77), seq: 1, batch: "b", unsynced: 0, records: [], conflicts: nil),
                                       from: coordinator)
            }
            let refusals = try await hubs[0].mergeReport(ReportFilter()).refusals
            #expect(refusals.count == 1 && refusals.first?.kind == "out_of_scope" && refusals.first?.device == coordinator.id, "\(refusals)")
        }
    }

    /// One citizen's several visits are erased in one call, on both engines (each write takes its own change number).
    @Test(arguments: Backend.available)
    func severalVisitsAreErasedInOneCall(_ backend: Backend) async throws {
        try await backend.withHubs(1) { hubs in
            let lan = try await TestLaptop.enrolled(at: hubs[0], in: TemporaryDirectory(), name: "Lan")
            let ids = try (0..<3).map { try lan.log("Hoàng Thị Xoan \($0)") }
            try await lan.push(via: hubs[0])
            #expect(try await hubs[0].erase(ids).visits == 3)
            for id in ids { #expect(try await hubs[0].visit(id, scope: Scope()).visit.name == Visit.erasedName) }
        }
    }

    /// A duplicate is settled inside the coordinator's scope only, by a hub write that reaches laptops.
    @Test(arguments: Backend.available)
    func aDuplicateIsDeletedByAHubWrite(_ backend: Backend) async throws {
        try await backend.withHubs(2) { hubs in
            let lan = try await TestLaptop.enrolled(at: hubs[0], in: TemporaryDirectory(), name: "Lan")
            var ids: [String] = []
            for _ in 0..<2 {
                ids.append(try lan.store.log(VisitDraft(service: .eWallet, outcome: .done, citizenName: "Hoàng Văn Em",
                                                        citizenID: try CitizenID(validating: "001203000123"))).visit.id)
            }
            try await lan.push(via: hubs[0])
            await #expect(throws: HubError.self) {
                try await hubs[1].resolveDuplicate(ids[1], keeping: ids[0], by: "hai", scope: Scope(commune: "00008"))
            }
            await #expect(throws: HubError.self) { try await hubs[1].resolveDuplicate(ids[1], keeping: ids[1], by: "hai", scope: Scope()) }
            // By their last 8 characters, inside the scope (another commune's prefixes find nothing), on both engines.
            await #expect(throws: HubError.notFound("no visit \(ids[1].suffix(8)) at the hub")) {
                try await hubs[1].resolveDuplicate(String(ids[1].suffix(8)), keeping: String(ids[0].suffix(8)), by: "hai", scope: Scope(commune: "00008"))
            }
            let deleted = try await hubs[1].resolveDuplicate(String(ids[1].suffix(8)), keeping: String(ids[0].suffix(8)), by: "hai",
                                                             scope: Scope(commune: "00004"))
            #expect(deleted == ids[1])
            #expect(try await hubs[0].duplicatesReport(ReportFilter()).groups.isEmpty)
            try await lan.pull(via: hubs[0]) { try $0.visit(exactly: ids[1])?.visit.deleted == true }
            #expect(try lan.store.visit(exactly: ids[1])?.visit.note.contains("duplicate of \(ids[0]), resolved by hai") == true)
        }
    }

    /// Stored targets: replaced per area, read back per scope, refused outside the area, used by progress.
    @Test(arguments: Backend.available)
    func targetsAreReplacedInsideTheArea(_ backend: Backend) async throws {
        try await backend.withHubs(2) { hubs in
            try await hubs[0].replaceTargets(Targets(values: ["00004": ["vneid-level2": 10], "25747": ["e-wallet": 5]]), scope: Scope())
            try await hubs[1].replaceTargets(Targets(values: ["00004": ["bank-account": 3]]), scope: Scope(commune: "00004"))
            #expect(try await hubs[0].targets(Scope()).values == ["00004": ["bank-account": 3], "25747": ["e-wallet": 5]])
            #expect(try await hubs[0].targets(Scope(province: "79")).values == ["25747": ["e-wallet": 5]])
            await #expect(throws: HubError.self) {
                try await hubs[1].replaceTargets(Targets(values: ["25747": ["e-wallet": 1]]), scope: Scope(commune: "00004"))
            }
            #expect(try await hubs[1].targets(Scope()).count == 2, "a refused upload changes nothing")
        }
    }

    /// Console sessions are shared by every hub and expire.
    @Test(arguments: Backend.available)
    func consoleSessionsAreSharedAndExpire(_ backend: Backend) async throws {
        try await backend.withHubs(2) { hubs in
            let now = Date()
            try await hubs[0].saveConsoleSession("k1", value: #"{"login":"lan"}"#, expiresAt: now.addingTimeInterval(60), now: now)
            let found = try await hubs[1].consoleSession("k1", now: now)
            #expect(found?.value == #"{"login":"lan"}"# && (found?.expiresAt.map { abs($0.timeIntervalSince(now) - 60) < 2 } ?? false))
            try await hubs[1].saveConsoleSession("k1", value: #"{"login":"lan","x":1}"#, expiresAt: nil, now: now)
            #expect(try await hubs[0].consoleSession("k1", now: now)?.expiresAt != nil, "a nil expiry keeps the one it had")
            #expect(try await hubs[0].consoleSession("k1", now: now.addingTimeInterval(61)) == nil, "expired")
            try await hubs[0].removeConsoleSession("k1")
            #expect(try await hubs[1].consoleSession("k1", now: now) == nil)
        }
    }

    /// A day is a Vietnam day: visits at 06:30 and 23:30 on the 25th (Vietnam time) count on the 25th,
    /// 23:30 on the 24th and 00:30 on the 26th do not, on both backends and through both of SQLite's paths.
    @Test(arguments: Backend.available)
    func dateBoundedCountsUseVietnamDays(_ backend: Backend) async throws {
        try await backend.withHubs(1) { hubs in
            let lan = try await TestLaptop.enrolled(at: hubs[0], in: TemporaryDirectory(), name: "Lan")
            for time in ["2026-11-24T23:30", "2026-11-25T06:30", "2026-11-25T23:30", "2026-11-26T00:30"] {
                let at = try ISODate.parse(time, timeZone: VietnamTime.zone)
                _ = try lan.store.log(VisitDraft(service: .vneidLevel2, outcome: .done, citizenName: "Khách \(time)", visitedAt: at))
            }
            try await lan.push(via: hubs[0])
            func done(_ since: String, _ until: String) async throws -> Int {
                let filter = try ReportFilter.parsing(since: since, until: until, province: nil, commune: "00004")
                return try await hubs[0].progressReport(filter, targets: nil).totals.done
            }
            #expect(try await done("2026-11-25", "2026-11-26") == 2)
            #expect(try await done("2026-11-24", "2026-11-25") == 1)
            #expect(try await done("2026-11-26", "2026-11-27") == 1)
            #expect(try await done("2026-11-25T06:00", "2026-11-25T12:00") == 1)
            #expect(try await done("2026-11-24T23:00", "2026-11-25T07:00") == 2)
            let days = try await hubs[0].dailyOutcomes(try ReportFilter.parsing(since: "2026-11-24", until: "2026-11-27", province: "01",
                                                                                commune: nil))
            #expect(days == ["2026-11-24": ["done": 1], "2026-11-25": ["done": 2], "2026-11-26": ["done": 1]])
            #expect(try await hubs[0].dailyOutcomes(ReportFilter(commune: "00008")).isEmpty)
        }
    }

    /// Writers create visits through three hubs while a reader pulls through random hubs: every visit
    /// created reaches the reader, whatever order the hubs' transactions commit in (no pull skips one).
    @Test(arguments: Backend.available)
    func pullsNeverSkipAChangeWhileSeveralHubsWrite(_ backend: Backend) async throws {
        try await backend.withHubs(3) { hubs in
            let dir = TemporaryDirectory()
            let reader = try await TestLaptop.enrolled(at: hubs[0], in: dir, name: "Reader").device
            let done = Flag()
            // The reader pulls small pages through the hubs in turn while the writers write, then drains.
            async let pulled: (seen: Set<String>, backwards: Int, cursor: UInt64) = {
                var seen = Set<String>(), cursor: UInt64 = 0, round = 0, backwards = 0
                while true {
                    let finished = done.isSet
                    let page = try await hubs[round % 3].pull(after: cursor, limit: 7, for: reader)
                    round += 1
                    seen.formUnion(page.records.map(\.id))
                    if page.cursor < cursor { backwards += 1 }
                    cursor = page.cursor
                    if finished && !page.more { return (seen, backwards, cursor) }
                    if !page.more { try await Task.sleep(for: .milliseconds(2)) }
                }
            }()
            let written = try await withThrowingTaskGroup(of: [String].self) { group in
                for w in 0..<4 {
                    group.addTask {
                        let laptop = try await TestLaptop.enrolled(at: hubs[w % 3], in: dir, name: "Writer\(w)")
                        var ids: [String] = []
                        for i in 0..<25 {
                            ids.append(try laptop.log("Công dân \(w)-\(i)"))
                            if i % 2 == 1 { ids.append(try laptop.log("Công dân \(w)-\(i)b")) }
                            try await laptop.push(via: hubs[(w + i) % 3])
                        }
                        return ids
                    }
                }
                var all: [String] = []
                for try await ids in group { all += ids }
                return all
            }
            done.set()
            var (seen, backwards, cursor) = try await pulled
            // On PostgreSQL a change reaches pulls once every older transaction in the cluster has ended
            // (§7.1), and tests beside this one hold transactions: pull on from the cursor (which only
            // grows, so a change it passed stays missed) until everything arrived or 30 s went by.
            let deadline = ContinuousClock.now + .seconds(30)
            while !Set(written).isSubset(of: seen), ContinuousClock.now < deadline {
                let page = try await hubs[0].pull(after: cursor, limit: 7, for: reader)
                seen.formUnion(page.records.map(\.id))
                if page.cursor < cursor { backwards += 1 }
                cursor = page.cursor
                if !page.more { try await Task.sleep(for: .milliseconds(20)) }
            }
            #expect(written.count == 4 * 37)
            #expect(backwards == 0)
            let missed = Set(written).subtracting(seen)
            #expect(missed.isEmpty, "\(missed.count) of \(written.count) visits never reached the reader: a pull skipped them")
        }
    }
}

extension StorageContractTests {
    /// Every page after `after` for `laptop` in `session`, pulled until `done` holds (PostgreSQL shows a
    /// change once every older transaction in the cluster has ended, §7.1) or 30 s went by.
    static func pullAll(_ hub: any HubStorage, _ laptop: TestLaptop, after: UInt64 = 0, session: String?,
                        until done: ([String]) -> Bool) async throws -> (ids: [String], cursor: UInt64) {
        let deadline = ContinuousClock.now + .seconds(30)
        var ids: [String] = [], cursor = after
        while true {
            let page = try await hub.pull(after: cursor, limit: 2, for: laptop.device, session: session, checkpoint: false)
            ids += page.records.map(\.id)
            cursor = page.cursor
            if page.more { continue }
            if done(ids) || ContinuousClock.now > deadline { return (ids, cursor) }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// A sync session's pages pass the states it pushed, stored exactly as sent (§6.2), and the cursor
    /// passes them; a state another laptop changed since is sent; another session (a laptop restored
    /// from an older copy syncs in a new one) gets everything.
    @Test(arguments: Backend.available)
    func aSessionsPagesPassItsOwnStatesAndNoOtherSessionsPagesDo(_ backend: Backend) async throws {
        try await backend.withHubs(2) { hubs in
            let dir = TemporaryDirectory()
            let lan = try await TestLaptop.enrolled(at: hubs[0], in: dir, name: "Lan")
            let minh = try await TestLaptop.enrolled(at: hubs[1], in: dir, name: "Minh")
            let minhs = try minh.log("Trần Văn Bình")
            try await minh.push(via: hubs[1])
            let lans = try (0..<3).map { try lan.log("Công dân \($0)") }
            try lan.takePseudonyms()
            let (pending, request) = try lan.pending()
            var tagged = request
            tagged.sync = "s-lan-1"
            try lan.store.acknowledge(pending, response: try await hubs[0].push(tagged, from: lan.device))

            // Lan's states came after Minh's: the last page's cursor passes them all the same (on PostgreSQL,
            // once they are visible to pulls: until then a pull without a session does not get them either).
            let deadline = ContinuousClock.now + .seconds(30)
            var mine: (ids: [String], cursor: UInt64), beyond: PullPage
            repeat {
                mine = try await Self.pullAll(hubs[1], lan, session: "s-lan-1") { $0.contains(minhs) }
                beyond = try await hubs[0].pull(after: mine.cursor, limit: 2, for: lan.device, session: nil, checkpoint: false)
            } while !beyond.records.isEmpty && ContinuousClock.now < deadline
            #expect(mine.ids == [minhs], "only Minh's visit comes back to Lan's session")
            #expect(beyond.records.isEmpty && !beyond.more, "the cursor passed Lan's own states: \(beyond.records.map(\.id))")
            let other = try await Self.pullAll(hubs[0], lan, session: "s-lan-2") { Set($0) == Set(lans + [minhs]) }
            #expect(Set(other.ids) == Set(lans + [minhs]), "another session gets everything")
            let plain = try await Self.pullAll(hubs[1], lan, session: nil) { Set($0) == Set(lans + [minhs]) }
            #expect(Set(plain.ids) == Set(lans + [minhs]), "a pull without a session gets everything")

            // Minh edits one of Lan's visits: the new state is no longer what Lan's session sent.
            try await minh.pull(via: hubs[1]) { try $0.visit(exactly: lans[1]) != nil }
            var changes = VisitChanges()
            changes.note = "gọi lại thứ Hai"
            _ = try minh.store.edit(lans[1], changes)
            try await minh.push(via: hubs[1])
            let edited = try await Self.pullAll(hubs[0], lan, after: mine.cursor, session: "s-lan-1") { $0.contains(lans[1]) }
            #expect(edited.ids == [lans[1]], "Minh's edit of Lan's visit reaches Lan's session")
        }
    }
}

extension StorageContractTests {
    /// A laptop's bundle as `fieldsync bundle export` writes it, naming `device`, signed with `keys`.
    static func bundle(_ laptop: TestLaptop, device: String? = nil, signedWith keys: BundleKeys, to hub: BundleKeys,
                       expires: Date = Date().addingTimeInterval(86_400)) throws -> Data {
        let id = "b-\(UInt32.random(in: 0...UInt32.max))"
        let (batches, cursor) = try laptop.store.bundlePushes(bundle: id)
        let body = PushBundle(bundle: id, device: device ?? laptop.device.id, created: ISODate.format(Date()),
                              expires: ISODate.format(expires), pullAfter: cursor, batches: batches)
        return try OfflineBundle.seal(try WireJSON.encoder.encode(body), kind: .push, to: hub.agreement.publicKey, signedBy: keys.signing,
                                      signer: device ?? laptop.device.id)
    }

    /// Bundles are merged as pushes, once; forged, expired, unknown, key-less and revoked devices' bundles write nothing.
    @Test(arguments: Backend.available)
    func bundlesMergeOnceAndHostileOnesWriteNothing(_ backend: Backend) async throws {
        try await backend.withHubs(1) { hubs in
            let dir = TemporaryDirectory()
            let hubKeys = BundleKeys()
            let importer = BundleImport(storage: hubs[0], keys: hubKeys)
            let lanKeys = BundleKeys(), binhKeys = BundleKeys()
            func enrolled(_ name: String, _ keys: BundleKeys?) async throws -> TestLaptop {
                let store = try FieldStore.create(at: dir.file("\(name).sqlite"), volunteer: name, team: "T-01", commune: "00004")
                let code = try await hubs[0].createEnrollmentCode(role: .volunteer, scope: Scope(team: "T-01", commune: "00004"), validFor: 600)
                let response = try await hubs[0].enroll(EnrollRequest(code: code, replica: store.profile.replicaID, volunteer: name,
                                                                      bundleKeys: keys?.publicText))
                try store.saveEnrollment(server: "http://127.0.0.1:1", response: response, insecureHTTP: true)
                return TestLaptop(store: store, device: try await hubs[0].authenticate(token: response.token), token: response.token)
            }
            let lan = try await enrolled("Lan", lanKeys), binh = try await enrolled("Binh", binhKeys), old = try await enrolled("Cuc", nil)
            let visit = try lan.log("Hoàng Thị Xoan")
            try lan.takePseudonyms()
            let good = try Self.bundle(lan, signedWith: lanKeys, to: hubKeys)
            let outcome = try await importer.run(good)
            #expect(outcome.responses.map(\.received) == [1] && outcome.device == lan.device.id)
            let answerBody = try OfflineBundle.open(outcome.answer, kind: .answer, with: lanKeys.agreement)
                .body(signedBy: hubKeys.signing.publicKey, signer: "the hub")
            let answer = try WireJSON.decode(AnswerBundle.self, from: answerBody)
            #expect(answer.pages.flatMap(\.records).isEmpty, "Lan's own visit does not come back")
            // On PostgreSQL a change reaches pulls once every older transaction has ended (§7.1): other tests hold some.
            var written = try await hubs[0].pull(after: 0, limit: 500, for: binh.device)
            for _ in 0..<1_500 where written.records.isEmpty {
                try await Task.sleep(for: .milliseconds(20))
                written = try await hubs[0].pull(after: 0, limit: 500, for: binh.device)
            }

            func refused(_ file: Data, _ expected: (BundleError) -> Bool) async {
                do {
                    _ = try await importer.run(file)
                    Issue.record("accepted")
                } catch let error as BundleError {
                    #expect(expected(error), "\(error)")
                } catch {
                    Issue.record("\(error)")
                }
            }
            await refused(good) { if case .replayed = $0 { true } else { false } }
            _ = try lan.log("Phan Thị Mơ")
            await refused(try Self.bundle(lan, signedWith: binhKeys, to: hubKeys)) { $0 == .forged(device: lan.device.id) }
            await refused(try Self.bundle(lan, signedWith: lanKeys, to: BundleKeys())) { $0 == .altered }
            await refused(try Self.bundle(lan, device: "d-000000000000", signedWith: lanKeys, to: hubKeys)) { $0 == .unknownDevice("d-000000000000") }
            await refused(try Self.bundle(lan, signedWith: lanKeys, to: hubKeys, expires: Date().addingTimeInterval(-60))) {
                if case .expired = $0 { true } else { false }
            }
            _ = try old.log("Vũ Văn Sơn")
            await refused(try Self.bundle(old, signedWith: BundleKeys(), to: hubKeys)) { $0 == .noKeys(device: old.device.id) }
            try await hubs[0].revoke(device: lan.device.id)
            await refused(try Self.bundle(lan, signedWith: lanKeys, to: hubKeys)) { if case .revoked = $0 { true } else { false } }
            let after = try await hubs[0].pull(after: 0, limit: 500, for: binh.device)
            #expect(after.records.map(\.id) == [visit] && after.records == written.records, "no refused bundle wrote anything")
        }
    }
}


extension StorageContractTests {
    /// A hub restored from an older backup: a laptop that pulled past what the backup holds shows it (SQLite: the
    /// high-water file says so as well), the hub takes a new incarnation, and the laptop sends again what the backup
    /// lacked: nothing it wrote is lost.
    @Test(arguments: Backend.available)
    func aRestoredHubIsFoundAndGetsBackWhatTheBackupLacked(_ backend: Backend) async throws {
        let dir = TemporaryDirectory()
        var lan: TestLaptop?
        var ids: [String] = []
        var incarnation: String?
        try await backend.withBackup(clock: SystemClock(), before: { hub in
            let laptop = try await TestLaptop.enrolled(at: hub, in: dir, name: "Lan")
            ids.append(try laptop.log("Trần Văn Bình"))
            incarnation = try await laptop.push(via: hub).hubIncarnation
            lan = laptop
        }, after: { hub in
            let laptop = try #require(lan)
            ids.append(try laptop.log("Lê Thị Cúc"))
            let pushed = try await laptop.push(via: hub).hubSeq
            // Past the second visit (on PostgreSQL a pull stops below transactions still running anywhere).
            try await laptop.pull(via: hub) { try $0.pullCursor() >= pushed }
            #expect(try await hub.visit(ids[1], scope: Scope()).visit.id == ids[1])
        }, restored: { hub in
            let laptop = try #require(lan)
            await #expect(throws: HubError.self, "the backup lacks the second visit") { try await hub.visit(ids[1], scope: Scope()) }
            try await laptop.pull(via: hub)
            let answer = try await laptop.push(via: hub)
            #expect(answer.hubIncarnation != nil && answer.hubIncarnation != incarnation, "a new incarnation")
            try await laptop.push(via: hub)
            #expect(try await hub.visit(ids[1], scope: Scope()).visit.name == "Lê Thị Cúc", "sent again, merged")
            let again = try await laptop.push(via: hub)
            #expect(again.hubIncarnation == answer.hubIncarnation, "once: the incarnation stays")
        })
    }
}

/// A flag one task sets and another reads.
final class Flag: Sendable {
    private let value = Mutex(false)
    var isSet: Bool { value.withLock { $0 } }
    func set() { value.withLock { $0 = true } }
}
