import FieldModel
import FieldStore
import FieldSyncTesting
import Foundation
import SyncCore
import SyncProtocol
import Testing
@testable import HubStore

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
        var laptops: [FieldStore] = []
        var devices: [Device] = []
        var log: [Write] = []
        /// Per laptop and record, the writes it has seen; the same for the hub.
        var known: [[String: Set<Int>]]
        var hubKnown: [String: Set<Int>] = [:]
        var backups: [Int: (path: String, known: [String: Set<Int>], logCount: Int)] = [:]
        var clock = Date(timeIntervalSince1970: 1_780_272_000)
        var restores = 0, refusals = 0

        init(laptops count: Int) throws {
            hub = try HubStore(path: dir.file("hub.sqlite"))
            known = Array(repeating: [:], count: count)
            for i in 0..<count {
                let code = try hub.createEnrollmentCode(role: .volunteer, scope: Scope(team: "T-01", commune: "00004"), now: clock)
                let response = try hub.enroll(EnrollRequest(code: code, replica: nil, volunteer: "V\(i)"), now: clock)
                devices.append(try hub.authenticate(token: response.token))
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

        /// One sync as `fieldsync sync` does it; returns the messages the volunteer would get.
        func sync(_ i: Int) throws -> [Conflict] {
            let store = laptops[i]
            var mine = try store.ownReplicas()
            var told: [Conflict] = []
            var recovered = false
            while true {
                let push = try store.pendingPush(now: tick())
                if push.states.isEmpty && push.conflicts.isEmpty { break }
                let request = PushRequest(replica: store.profile.replicaID, seq: push.seq, batch: push.batch, unsynced: push.remaining,
                                          records: push.states, conflicts: push.conflicts.isEmpty ? nil : push.conflicts)
                let response: PushResponse
                do {
                    response = try hub.push(request, from: devices[i], now: clock)
                } catch HubError.replicaRestored {
                    guard !recovered else { throw HubError.replicaRestored("laptop \(i) refused twice as restored") }
                    recovered = true
                    refusals += 1
                    try store.reidentify(reason: "restored", now: clock)
                    try recordReissues(i)
                    mine = try store.ownReplicas()
                    continue
                }
                try store.acknowledge(push, response: response, now: clock)
                told += (response.conflictEntries ?? []).filter { !$0.losses(of: mine).isEmpty }
                for id in Set(push.states.map(\.id)) { hubKnown[id, default: []].formUnion(known[i][id] ?? []) }
                if push.remaining == 0 { break }
            }
            for n in log.indices where log[n].laptop == i { log[n].sent = true }
            told += try pull(i, mine: mine)
            try store.finishSync(now: clock)
            return told
        }

        /// Pulls every page; returns the entries the volunteer would be told about.
        func pull(_ i: Int, mine: Set<ReplicaID>) throws -> [Conflict] {
            var told: [Conflict] = []
            var cursor = try laptops[i].pullCursor()
            while true {
                let page = try hub.pull(after: cursor, for: devices[i])
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
            backups[i] = nil
            restores += 1
        }
    }

    @Test(arguments: 0..<16) func randomHistoriesWithRestoresLoseNothingAndTellOnlyTheTruth(seed: UInt64) throws {
        var random = SeededRandom(seed: 0x5eed_0000 + seed)
        let h = try History(laptops: 3)
        for step in 0..<70 {
            let i = Int.random(in: 0..<3, using: &random)
            let store = h.laptops[i]
            let visits = try store.visits(VisitFilter(includeDeleted: true)).map(\.visit)
            let roll = visits.isEmpty ? 0 : Int.random(in: 0..<12, using: &random)
            switch roll {
            case 0...1:
                let name = "Người \(step) \(i)", note = "ghi \(step)/\(i)"
                let stored = try store.log(VisitDraft(service: .vneidLevel2, outcome: .done, citizenName: name, note: note,
                                                      visitedAt: h.clock), now: h.tick())
                h.record(i, stored.visit.id, "name", name)
                h.record(i, stored.visit.id, "note", note)
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
                    let copy = h.dir.file("backup-\(i)-\(step).sqlite")
                    try store.finishSync(now: h.clock)
                    try FileManager.default.copyItem(atPath: h.dir.file("l\(i).sqlite"), toPath: copy)
                    h.backups[i] = (copy, h.known[i], h.log.count)
                } else {
                    try h.restore(i)
                }
            default:
                try check(h, told: try h.sync(i), by: i, seed: seed)
            }
        }
        // Everyone syncs twice: every write reaches every replica.
        for _ in 0..<2 { for i in 0..<3 { try check(h, told: try h.sync(i), by: i, seed: seed) } }

        let hubStates = Dictionary(uniqueKeysWithValues: try h.hub.visits().map { ($0.visit.id, $0.visit) })
        for (i, store) in h.laptops.enumerated() {
            let held = try store.visits(VisitFilter(includeDeleted: true))
            #expect(Set(held.map(\.visit.id)) == Set(hubStates.keys), "seed \(seed): laptop \(i) holds other visits")
            for stored in held {
                let atHub = try #require(try h.hub.storedVisit(stored.visit.id))
                #expect(stored.state == atHub.state, "seed \(seed): laptop \(i) diverged on \(stored.visit.id)")
                if !stored.visit.deleted { #expect(throws: Never.self) { try stored.visit.validate(now: h.clock) } }
            }
        }
        let entries = try h.hub.conflicts()
        let losers = Set(entries.flatMap { entry in
            entry.fields.flatMap { f in [f.stored, f.incoming].compactMap { h.write(entry.record, f.field, $0?.value, by: $0?.stamp.replica) } }
        })
        for entry in entries where entry.kind == "conflict" {
            for f in entry.fields where f.field == "note" || f.field == "name" {
                guard let s = h.write(entry.record, f.field, f.stored?.value, by: f.stored?.stamp.replica),
                      let n = h.write(entry.record, f.field, f.incoming?.value, by: f.incoming?.stamp.replica)
                else { continue }
                // Known imprecision (README, "Restoring a laptop"): a re-issued write stands on a vector cut back to
                // what the laptop knows was acknowledged, so it may be listed against the same laptop's own earlier
                // write that its lost life had sent. Both values are that laptop's and nothing is lost; any other
                // pair must be concurrent.
                if h.log[s].laptop == h.log[n].laptop && (h.log[s].reissue || h.log[n].reissue) { continue }
                #expect(!h.log[s].saw.contains(n) && !h.log[n].saw.contains(s), "seed \(seed): false conflict \(entry.id) on \(f.field)")
            }
        }
        for (n, w) in h.log.enumerated() where !w.vanished {
            let now = hubStates[w.record].flatMap { w.field == "note" ? $0.note : $0.citizenName }
            let overwritten = h.log.contains { $0.record == w.record && $0.field == w.field && $0.saw.contains(n) }
            #expect(now == w.value || overwritten || losers.contains(n),
                    "seed \(seed): write \(w.record.suffix(6)).\(w.field) = \(w.value) by laptop \(w.laptop) was lost")
        }
        #expect(h.log.count > 20)
    }

    /// Every message a volunteer gets is about a value they wrote.
    func check(_ h: History, told: [Conflict], by laptop: Int, seed: UInt64) throws {
        let mine = try h.laptops[laptop].ownReplicas()
        for entry in told {
            for f in entry.losses(of: mine) where f.field == "note" || f.field == "name" {
                let register = entry.kind == .editVsDelete ? [f.stored, f.incoming].compactMap { $0 }.first { mine.contains($0.stamp.replica) }
                    : f.lost
                if let n = h.write(entry.record, f.field, register?.value, by: register?.stamp.replica) {
                    #expect(h.log[n].laptop == laptop, "seed \(seed): laptop \(laptop) told about laptop \(h.log[n].laptop)'s write")
                }
            }
        }
    }
}
