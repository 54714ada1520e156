import FieldModel
import FieldStore
import FieldSyncTesting
import Foundation
import SyncCore
import SyncProtocol
import Testing
@testable import HubCore
@testable import HubSQLite

/// Model-based histories through the real stores: laptops (FieldStore) log, edit field groups,
/// delete, sync with a hub (HubStore) in random order, and are restored from older copies. An oracle
/// records every note and name written (each value unique), which laptop wrote it and which writes
/// that laptop had seen, independently of version vectors, and checks: every replica converges on
/// the hub's state; every write is the final value, causally overwritten, or a losing value in the
/// hub's log (unless the laptop's own restore threw it away before it was ever sent); every logged
/// field had two concurrent writes; every message a volunteer gets is about their own write; every
/// visit validates.
@Suite struct StoreHistoryTests {
    struct Write {
        let laptop: Int
        let record: String
        let field: String
        let value: String
        /// The replica id the laptop wrote it as.
        let replica: ReplicaID
        /// The oracle: the writes to this record the laptop had seen.
        let saw: Set<Int>
        var sent = false
        var vanished = false
        /// Written again under a new replica id after a restore.
        var reissue = false
    }

    final class History {
        let dir = TemporaryDirectory()
        let hub: HubStore
        /// The hub's core on the same file, its clock set to the history's at each push.
        let core: HubService
        let hubClock = ManualClock()
        var laptops: [FieldStore] = []
        var devices: [Device] = []
        var log: [Write] = []
        /// Per laptop and record, the writes it has seen; the same for the hub.
        var known: [[String: Set<Int>]]
        var hubKnown: [String: Set<Int>] = [:]
        var backups: [Int: (path: String, known: [String: Set<Int>], logCount: Int, told: Set<String>)] = [:]
        var clock = Date(timeIntervalSince1970: 1_780_272_000)
        var restores = 0, refusals = 0, messages = 0
        /// Per laptop, the entries its volunteer was told about.
        var told: [Set<String>]

        init(laptops count: Int) async throws {
            hub = try HubStore(path: dir.file("hub.sqlite"))
            core = try HubService(path: dir.file("hub.sqlite"), readers: 1, clock: hubClock)
            known = Array(repeating: [:], count: count)
            told = Array(repeating: [], count: count)
            for i in 0..<count {
                hubClock.set(clock)
                let code = try await core.createEnrollmentCode(role: .volunteer, scope: Scope(team: "T-01", commune: "00004"), validFor: 86_400)
                let response = try await core.enroll(EnrollRequest(code: code, replica: nil, volunteer: "V\(i)"))
                devices.append(try await core.authenticate(token: response.token))
                laptops.append(try FieldStore.create(at: dir.file("l\(i).sqlite"), volunteer: "V\(i)", team: "T-01", commune: "00004",
                                                     now: clock))
            }
        }

        func tick() -> Date {
            clock = clock.addingTimeInterval(1)
            return clock
        }

        func record(_ laptop: Int, _ id: String, _ field: String, _ value: String) {
            log.append(Write(laptop: laptop, record: id, field: field, value: value, replica: laptops[laptop].profile.replicaID,
                             saw: known[laptop][id] ?? []))
            known[laptop][id, default: []].insert(log.count - 1)
        }

        /// The write that set a register (values are unique per writer id).
        func write(_ record: String, _ field: String, _ value: FieldValue?, by replica: ReplicaID?) -> Int? {
            guard let text = value?.text else { return nil }
            return log.lastIndex { $0.record == record && $0.field == field && $0.value == text && $0.replica == replica }
        }

        /// A re-identified laptop writes again, as its new id, what the hub had not acknowledged: new
        /// writes of the same values, made with what the laptop knows now.
        func recordReissues(_ i: Int) throws {
            let id = laptops[i].profile.replicaID
            for stored in try laptops[i].visits(VisitFilter(includeDeleted: true)) {
                for field in ["name", "note"] {
                    guard let register = stored.state[field], register.stamp.replica == id, let text = register.value.text,
                          write(stored.visit.id, field, register.value, by: id) == nil else { continue }
                    record(i, stored.visit.id, field, text)
                    log[log.count - 1].reissue = true
                }
            }
        }

        /// What `fieldsync sync` does for a store the hub found restored: asks which of its writes the hub holds,
        /// takes a new replica id and writes again the others.
        func recoverRestored(_ i: Int) async throws {
            refusals += 1
            let writes = try laptops[i].restoredWrites()
            let held = try await core.heldWrites(writes, from: devices[i])
            try laptops[i].reidentify(reason: "restored", held: Set(held.held), now: clock)
            try recordReissues(i)
        }

        /// One sync as `fieldsync sync` does it; returns the messages the volunteer would get.
        func sync(_ i: Int) async throws -> [Conflict] {
            let store = laptops[i]
            var mine = try store.ownReplicas()
            var told: [Conflict] = []
            var recovered = false
            var pushes = 0
            while true {
                let push = try store.pendingPush(now: tick())
                // At least one push, empty or not (it reports the sync, and its answer the hub's high-water).
                if push.states.isEmpty && push.conflicts.isEmpty && pushes > 0 { break }
                pushes += 1
                let request = push.request()
                let response: PushResponse
                do {
                    hubClock.set(clock)
                    response = try await core.push(request, from: devices[i])
                } catch HubError.replicaRestored {
                    guard !recovered else { throw HubError.replicaRestored("laptop \(i) refused twice as restored") }
                    recovered = true
                    try await recoverRestored(i)
                    mine = try store.ownReplicas()
                    continue
                }
                try store.acknowledge(push, response: response, now: clock)
                if let highWater = response.highWater, highWater > (try store.replicaSeq()), !recovered {
                    // The hub has seen more of this replica than the store holds: restored, found before it writes again.
                    recovered = true
                    try await recoverRestored(i)
                    mine = try store.ownReplicas()
                    continue
                }
                told += (response.conflictEntries ?? []).filter { !$0.losses(of: mine).isEmpty }
                for id in Set(push.states.map(\.id)) { hubKnown[id, default: []].formUnion(known[i][id] ?? []) }
                if push.remaining == 0 { break }
            }
            for n in log.indices where log[n].laptop == i { log[n].sent = true }
            told += try await pull(i, mine: mine)
            try store.finishSync(now: clock)
            return told
        }

        /// Pulls every page; returns the entries the volunteer would be told about.
        func pull(_ i: Int, mine: Set<ReplicaID>) async throws -> [Conflict] {
            var told: [Conflict] = []
            var cursor = try laptops[i].pullCursor()
            while true {
                let page = try await core.pull(after: cursor, limit: WireLimits.defaultPullLimit, for: devices[i])
                let summary = try laptops[i].apply(page, now: tick())
                told += (summary.found + summary.heard).filter { !$0.losses(of: mine).isEmpty }
                for state in page.records { known[i][state.id, default: []].formUnion(hubKnown[state.id] ?? []) }
                cursor = page.cursor
                if !page.more { return told }
            }
        }

        func restore(_ i: Int) throws {
            guard let backup = backups[i] else { return }
            let path = dir.file("l\(i).sqlite")
            // Let go of the live store (a scratch one takes its place) before its files are replaced.
            laptops[i] = try FieldStore.create(at: dir.file("scratch-\(restores).sqlite"), volunteer: "x", team: "T-01",
                                               commune: "00004", now: clock)
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
            try FileManager.default.copyItem(atPath: backup.path, toPath: path)
            laptops[i] = try FieldStore.open(at: path)
            // Writes made after the copy and never sent are gone with the restore: the user's own loss.
            for n in backup.logCount..<log.count where log[n].laptop == i && !log[n].sent { log[n].vanished = true }
            known[i] = backup.known
            // The restored store forgot what it had been told since the copy: it may hear it again.
            told[i] = backup.told
            backups[i] = nil
            restores += 1
        }
            /// Logs a visit on laptop `i` (name and note unique to the step), recorded in the oracle.
        @discardableResult
        func logVisit(_ i: Int, step: Int) throws -> String {
            let name = "Người \(step) \(i)", note = "ghi \(step)/\(i)"
            let stored = try laptops[i].log(VisitDraft(service: .vneidLevel2, outcome: .done, citizenName: name, note: note, visitedAt: clock),
                                            now: tick())
            record(i, stored.visit.id, "name", name)
            record(i, stored.visit.id, "note", note)
            return stored.visit.id
        }

        /// Edits a visit's note on laptop `i`, recorded in the oracle.
        func editNote(_ i: Int, _ id: String, _ note: String) throws {
            var changes = VisitChanges()
            changes.note = note
            _ = try laptops[i].edit(id, changes, now: tick())
            record(i, id, "note", note)
        }

        /// Copies laptop `i`'s store aside, as a backup.
        func backup(_ i: Int, tag: String) throws {
            let copy = dir.file("backup-\(i)-\(tag).sqlite")
            try laptops[i].finishSync(now: clock)
            try FileManager.default.copyItem(atPath: dir.file("l\(i).sqlite"), toPath: copy)
            backups[i] = (copy, known[i], log.count, told[i])
        }

        /// Syncs everyone twice (every write reaches every replica), checking each message; then checks the
        /// whole history against the oracle: convergence, valid visits, no false conflict, no lost write.
        func finish(seed: UInt64) async throws {
            for _ in 0..<2 { for i in laptops.indices { try check(told: try await sync(i), by: i, seed: seed) } }
            let hubStates = Dictionary(uniqueKeysWithValues: try hub.visits().map { ($0.visit.id, $0.visit) })
            for (i, store) in laptops.enumerated() {
                let held = try store.visits(VisitFilter(includeDeleted: true))
                #expect(Set(held.map(\.visit.id)) == Set(hubStates.keys), "seed \(seed): laptop \(i) holds other visits")
                for stored in held {
                    let atHub = try #require(try hub.storedVisit(stored.visit.id))
                    #expect(stored.state == atHub.state, "seed \(seed): laptop \(i) diverged on \(stored.visit.id)")
                    if !stored.visit.deleted { #expect(throws: Never.self) { try stored.visit.validate(now: self.clock) } }
                }
            }
            let entries = try await core.conflicts(status: .all, since: nil, until: nil, scope: Scope())
            let losers = Set(entries.flatMap { entry in
                entry.fields.flatMap { f in [f.stored, f.incoming].compactMap { write(entry.record, f.field, $0?.value, by: $0?.stamp.replica) } }
            })
            for entry in entries where entry.kind == "conflict" {
                for f in entry.fields where f.field == "note" || f.field == "name" {
                    guard let s = write(entry.record, f.field, f.stored?.value, by: f.stored?.stamp.replica),
                          let n = write(entry.record, f.field, f.incoming?.value, by: f.incoming?.stamp.replica)
                    else { continue }
                    #expect(!log[s].saw.contains(n) && !log[n].saw.contains(s),
                            "seed \(seed): false conflict \(entry.id) on \(f.field): \(log[s].value) vs \(log[n].value)")
                }
            }
            for (n, w) in log.enumerated() where !w.vanished {
                let now = hubStates[w.record].flatMap { w.field == "note" ? $0.note : $0.citizenName }
                let overwritten = log.contains { $0.record == w.record && $0.field == w.field && $0.saw.contains(n) }
                #expect(now == w.value || overwritten || losers.contains(n),
                        "seed \(seed): write \(w.record.suffix(6)).\(w.field) = \(w.value) by laptop \(w.laptop) was lost")
            }
        }

        /// Every message a volunteer gets is about a value they wrote, lost to another laptop's (as `fieldsync sync`
        /// tells it), and comes once.
        func check(told entries: [Conflict], by laptop: Int, seed: UInt64) throws {
            let mine = try laptops[laptop].ownReplicas()
            func isMine(_ register: Register?) -> Bool { register.map { mine.contains($0.stamp.replica) } ?? false }
            for entry in entries {
                let losses = entry.losses(of: mine).filter { entry.kind == .editVsDelete || !isMine($0.kept) }
                guard !losses.isEmpty else { continue }
                #expect(told[laptop].insert(entry.id).inserted, "seed \(seed): laptop \(laptop) told twice about \(entry.id)")
                messages += 1
                for f in losses where f.field == "note" || f.field == "name" {
                    let register = entry.kind == .editVsDelete ? entry.edit(f) : f.lost
                    if let n = write(entry.record, f.field, register?.value, by: register?.stamp.replica) {
                        #expect(log[n].laptop == laptop, "seed \(seed): laptop \(laptop) told about laptop \(log[n].laptop)'s write")
                    }
                }
            }
        }
    }

    /// 40 histories in CI; `FIELDSYNC_HISTORIES=300` runs more, and prints each one's figures.
    static let seeds: Range<UInt64> = 0..<(ProcessInfo.processInfo.environment["FIELDSYNC_HISTORIES"].flatMap(UInt64.init) ?? 40)

    @Test(arguments: seeds) func randomHistoriesWithRestoresLoseNothingAndTellOnlyTheTruth(seed: UInt64) async throws {
        var random = SeededRandom(seed: 0x5eed_0000 + seed)
        let h = try await History(laptops: 3)
        var restored: Set<Int> = []
        for step in 0..<90 {
            let i = Int.random(in: 0..<3, using: &random)
            let store = h.laptops[i]
            let visits = try store.visits(VisitFilter(includeDeleted: true)).map(\.visit)
            // Just after a restore, the laptop more often writes again (reusing the identities of its lost life).
            let roll = visits.isEmpty ? 0 : restored.remove(i) != nil ? Int.random(in: 0..<8, using: &random) : Int.random(in: 0..<12, using: &random)
            switch roll {
            case 0...1:
                try h.logVisit(i, step: step)
            case 2...7:
                let visit = visits[Int.random(in: 0..<visits.count, using: &random)]
                guard !visit.deleted else { continue }
                var changes = VisitChanges()
                var written: [(String, String)] = []
                switch Int.random(in: 0..<3, using: &random) {
                case 0:
                    changes.note = "ghi \(step)/\(i)"
                    written.append(("note", "ghi \(step)/\(i)"))
                case 1:
                    changes.citizenName = "Tên \(step) \(i)"
                    written.append(("name", "Tên \(step) \(i)"))
                default:
                    let choices: [(Outcome, FailureReason?)] = [(.done, nil), (.failed, .faceCaptureFailed), (.pending, .otpNotReceived)]
                    let (outcome, reason) = choices[Int.random(in: 0..<3, using: &random)]
                    changes.outcome = outcome
                    changes.reason = .some(reason)
                }
                do {
                    _ = try store.edit(visit.id, changes, now: h.tick())
                } catch StoreError.nothingToChange {
                    continue
                }
                for (field, value) in written { h.record(i, visit.id, field, value) }
            case 8:
                let visit = visits[Int.random(in: 0..<visits.count, using: &random)]
                guard !visit.deleted else { continue }
                _ = try store.delete(visit.id, now: h.tick())
            case 9:
                if h.backups[i] == nil {
                    try h.backup(i, tag: "\(step)")
                } else {
                    try h.restore(i)
                    restored.insert(i)
                }
            default:
                try h.check(told: try await h.sync(i), by: i, seed: seed)
            }
        }
        try await h.finish(seed: seed)
        #expect(h.log.count > 20)
        if ProcessInfo.processInfo.environment["FIELDSYNC_HISTORIES"] != nil {
            let entries = try await h.core.conflicts(status: .all, since: nil, until: nil, scope: Scope())
            print("history \(seed): writes \(h.log.count) restores \(h.restores) refusals \(h.refusals) entries \(entries.count) "
                  + "entryFields \(entries.reduce(0) { $0 + $1.fields.count }) messages \(h.messages)")
        }
    }

    /// A restored laptop that logs a new visit (taking its lost life's seq) and then edits a visit its lost life had
    /// edited: the hub refuses the reused identity, the laptop writes again under a new id, and both notes survive.
    @Test func aRestoredLaptopThatReusesAnIdentityOnAnotherVisitLosesNothing() async throws {
        let h = try await History(laptops: 2)
        let v1 = try h.logVisit(0, step: 1)
        _ = try await h.sync(0)
        try h.backup(0, tag: "before-x")
        try h.editNote(0, v1, "X")
        _ = try await h.sync(0)
        try h.restore(0)
        let v2 = try h.logVisit(0, step: 2)
        try h.editNote(0, v1, "Y")
        let hubEntries = try await h.core.conflicts(status: .all, since: nil, until: nil, scope: Scope()).count
        _ = try await h.sync(0)
        #expect(h.refusals == 1, "the reused identity was found")
        #expect(try h.hub.storedVisit(v2) != nil)
        let entry = try #require(try await h.core.conflicts(status: .all, since: nil, until: nil, scope: Scope()).dropFirst(hubEntries).first { $0.record == v1 })
        let notes = Set(entry.fields.filter { $0.field == "note" }.flatMap { [$0.stored?.value.text, $0.incoming?.value.text] })
        #expect(notes == ["X", "Y"], "both notes are kept: one as the visit's, the other in the entry")
        try await h.finish(seed: 0)
    }

    /// A laptop restored from a copy taken before its lost life sent a visit that another laptop then deleted: the
    /// creation it had sent is not written again (a fresh `deleted = false` would undo the deletion); its edit made
    /// after the restore meets the deletion as an edit-vs-delete, told once, naming its own note.
    @Test func aRestoredLaptopNeverUndoesADeletionWithAReissuedCopy() async throws {
        let h = try await History(laptops: 2)
        let v1 = try h.logVisit(0, step: 1)
        try h.backup(0, tag: "unsent")
        _ = try await h.sync(0)
        try h.logVisit(0, step: 2)
        _ = try await h.sync(0)
        _ = try await h.sync(1)
        _ = try h.laptops[1].delete(v1, now: h.tick())
        _ = try await h.sync(1)
        try h.restore(0)
        try h.editNote(0, v1, "Y")
        let told = try await h.sync(0)
        #expect(h.refusals == 1)
        #expect(try h.hub.storedVisit(v1)?.visit.deleted == true, "the deletion stands")
        let mine = try h.laptops[0].ownReplicas()
        let messages = told.filter { !$0.losses(of: mine).isEmpty }
        #expect(messages.count == 1 && messages.first?.kind == .editVsDelete)
        let yours = messages.first.map { entry in entry.losses(of: mine).compactMap { entry.edit($0) } }
        #expect(yours?.map(\.value.text) == ["Y"], "the message names the volunteer's own note")
        #expect(try await h.core.conflicts(status: .all, since: nil, until: nil, scope: Scope()).allSatisfy { entry in entry.kind != "conflict" }, "no entry lists the laptop against itself")
        try h.check(told: told, by: 0, seed: 0)
        try await h.finish(seed: 0)
    }

    /// An entry the hub finds merging a push comes in the push answer and again on the pull page: told once.
    @Test func anEntryIsToldOnceThoughItArrivesTwice() async throws {
        let h = try await History(laptops: 2)
        let v1 = try h.logVisit(0, step: 1)
        _ = try await h.sync(0)
        _ = try await h.sync(1)
        try h.editNote(1, v1, "B")
        try h.editNote(0, v1, "A")
        _ = try await h.sync(0)
        let told = try await h.sync(1)
        #expect(told.count(where: { $0.record == v1 }) == 1, "\(told.map(\.id))")
        try h.check(told: told, by: 1, seed: 0)
        try await h.finish(seed: 0)
    }
}
