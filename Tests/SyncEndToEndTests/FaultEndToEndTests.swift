import FieldModel
import FieldStore
import FieldSyncTesting
import Foundation
import SQLiteKit
import SyncCore
import SyncProtocol
import Testing

/// The hub killed mid-sync, a restored laptop, and every error code: nothing lost, nothing doubled.
@Suite(.serialized) struct FaultEndToEndTests {
    /// Adds `count` visits to a laptop's store directly (as many `fieldsync log`s would, only faster).
    func bulkLog(_ laptop: Laptop, _ count: Int) throws {
        let store = try FieldStore.open(at: laptop.store)
        _ = try store.log((0..<count).map { i in
            VisitDraft(service: .vneidLevel2, outcome: i % 5 == 0 ? .failed : .done, citizenName: "Công dân \(i)",
                       reason: i % 5 == 0 ? .otpNotReceived : nil, note: "lô \(i)")
        })
    }

    /// Waits (up to 60 s) until `condition` holds, polling.
    func waitUntil(_ condition: () throws -> Bool) rethrows -> Bool {
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            if try condition() { return true }
            Thread.sleep(forTimeInterval: 0.005)
        }
        return false
    }

    func startSync(_ laptop: Laptop) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Executables.path("fieldsync"))
        process.arguments = ["--store", laptop.store, "sync", "--json"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    @Test func hubKilledMidPushAndMidPullLosesAndDoublesNothing() throws {
        let dir = TemporaryDirectory()
        let hub = try HubProcess(database: dir.file("hub.sqlite"))
        let a = try Laptop(dir, "Lan"), b = try Laptop(dir, "Bình")
        try a.enroll(hub)
        try b.enroll(hub)
        let total = 4_000
        try bulkLog(a, total)

        // Push: kill the hub once the laptop has an acknowledged batch, while the rest are on the way.
        let push = try startSync(a)
        #expect(waitUntil {
            let acked = try? Database(path: a.store, mode: .readOnly).scalarText("SELECT value FROM settings WHERE key = 'push.acked_write'")
            return (acked.flatMap(Int.init) ?? 0) > 0
        })
        hub.kill()
        push.waitUntilExit()
        #expect(push.terminationStatus != 0, "the sync notices the hub went away")
        let unsyncedAfterKill = try a.status()["unsynced"] as? Int ?? -1
        #expect(unsyncedAfterKill > 0 && unsyncedAfterKill < total, "killed part-way: \(unsyncedAfterKill) left")
        try hub.restart()
        let resumed = try a.sync()
        #expect(try a.status()["unsynced"] as? Int == 0)
        #expect((resumed["pushed"] as? Int ?? 0) <= unsyncedAfterKill + 500, "resumes from its checkpoint, not from the start")

        // Pull: kill the hub once B has applied a page, while it asks for the next.
        let pull = try startSync(b)
        #expect(waitUntil {
            let cursor = try? Database(path: b.store, mode: .readOnly).scalarText("SELECT value FROM settings WHERE key = 'pull.cursor'")
            return (cursor.flatMap(Int.init) ?? 0) > 0
        })
        hub.kill()
        pull.waitUntilExit()
        try hub.restart()
        try b.sync()

        let atHub = try hubVisits(hub)
        #expect(atHub.count == total, "every visit reached the hub exactly once")
        #expect(try a.visits() == atHub)
        #expect(try b.visits() == atHub)
        let report = try hub.command("report", "merge", "--format", "json")
        let totals = (try JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as? [String: Any])?["totals"] as? [String: Any]
        #expect(totals?["fastForward"] as? Int == total, "each visit was new to the hub once")
    }

    @Test func aRestoredLaptopTakesANewIdentityAndLosesNothing() throws {
        let dir = TemporaryDirectory()
        let hub = try HubProcess(database: dir.file("hub.sqlite"))
        let a = try Laptop(dir, "Lan")
        try a.enroll(hub)
        let early = [try a.log("Trước sao lưu 1"), try a.log("Trước sao lưu 2")]
        try a.sync()
        let backup = dir.file("backup.sqlite")
        try FileManager.default.copyItem(atPath: a.store, toPath: backup)
        let late = [try a.log("Sau sao lưu 1"), try a.log("Sau sao lưu 2")]
        try a.sync()
        let replicaBefore = try a.status()["replica"] as? String

        // The disk dies; the laptop comes back from the backup and the volunteer logs again.
        try FileManager.default.removeItem(atPath: a.store)
        try FileManager.default.copyItem(atPath: backup, toPath: a.store)
        let afterRestore = try a.log("Sau khôi phục")
        let synced = try a.sync()
        #expect((synced["reidentified"] as? String)?.contains("restored") == true, "\(synced)")
        #expect(try a.status()["replica"] as? String != replicaBefore)
        try a.sync()

        let atHub = try hubVisits(hub)
        #expect(Set(atHub.keys) == Set(early + late + [afterRestore]))
        #expect(try a.visits() == atHub, "the restored laptop got back what it had lost")
        let refusals = try hub.command("report", "merge", "--format", "json").stdout
        #expect(refusals.contains("replica_restored"))
    }

    /// Issue 11's two restore scenarios: (i) after the restore the laptop makes as many writes as it lost
    /// (its seqs are reused with other content); (ii) it makes fewer. Both lives' writes reach the hub:
    /// each value either holds or is kept in a conflict entry, and the untouched note X is never overwritten.
    @Test(arguments: [2, 1])
    func aRestoredLaptopThatWritesAgainLosesNoWriteOfEitherLife(editsAfterRestore: Int) throws {
        let dir = TemporaryDirectory()
        let hub = try HubProcess(database: dir.file("hub.sqlite"))
        let a = try Laptop(dir, "Lan")
        try a.enroll(hub)
        let visit = try a.log("Đỗ Văn Khôi", outcome: "pending", extra: ["--reason", "otp-not-received"])
        try a.sync()
        let backup = dir.file("backup.sqlite")
        try FileManager.default.copyItem(atPath: a.store, toPath: backup)
        #expect(try a.run("edit", visit, "--note", "X").status == 0)
        try a.sync()

        try FileManager.default.removeItem(atPath: a.store)
        try FileManager.default.copyItem(atPath: backup, toPath: a.store)
        if editsAfterRestore == 2 {
            #expect(try a.run("edit", visit, "--note", "Y").status == 0)
        }
        #expect(try a.run("edit", visit, "--service", "bank-account").status == 0)
        let synced = try a.sync()
        #expect((synced["reidentified"] as? String)?.contains("restored") == true, "the hub caught the restore: \(synced)")
        try a.sync()

        let atHub = try #require(try hubVisits(hub)[visit])
        #expect(atHub["service"] as? String == "bank-account", "the second life's service edit reached the hub")
        let report = try hub.command("report", "merge", "--format", "json").stdout
        let json = try #require(try JSONSerialization.jsonObject(with: Data(report.utf8)) as? [String: Any])
        let conflicts = (json["conflicts"] as? [[String: Any]]) ?? []
        let values = conflicts.flatMap { ($0["fields"] as? [[String: Any]]) ?? [] }
            .flatMap { [$0["stored"], $0["incoming"]] }.compactMap { ($0 as? [String: Any])?["value"] as? String }
        if editsAfterRestore == 2 {
            #expect(atHub["note"] as? String == "Y", "the later note wins")
            #expect(values.contains("X") && values.contains("Y"), "X is kept in a conflict entry: \(conflicts)")
        } else {
            #expect(atHub["note"] as? String == "X", "the restored copy never wrote the note again: X stays")
        }
        #expect(try a.visits()[visit] == atHub as NSDictionary, "the laptop converged with the hub")
    }

    @Test func everyErrorCodeComesAsJSONAndChangesNothing() async throws {
        let dir = TemporaryDirectory()
        let hub = try HubProcess(database: dir.file("hub.sqlite"))
        let a = try Laptop(dir, "Lan")
        try a.enroll(hub)
        _ = try a.log("Đã đồng bộ")
        try a.sync()
        let enrolled = try #require(try FieldStore.open(at: a.store).enrollment())
        let before = try hubVisits(hub)
        let hubSeqBefore = try hub.command("export", "--format", "json").stdout

        // A second laptop's store gives well-formed records to tamper with.
        let b = try Laptop(dir, "Bình")
        _ = try b.log("Chưa gửi")
        let store = try FieldStore.open(at: b.store)
        let pending = try store.pendingPush()
        let encoder = WireJSON.encoder
        func push(_ records: [RecordState], replica: ReplicaID? = nil, seq: UInt64? = nil) throws -> Data {
            try encoder.encode(PushRequest(replica: replica ?? store.profile.replicaID, seq: seq ?? pending.seq, batch: "t",
                                           unsynced: 0, records: records, conflicts: nil))
        }
        let url = hub.url + "/v1/push"

        let tooLarge = try await HTTP.send("POST", url, token: enrolled.token, body: Data(repeating: 0x20, count: 5 * 1024 * 1024))
        #expect(tooLarge.status == 413 && tooLarge.errorCode == "payload_too_large")
        let truncated = try await HTTP.send("POST", url, token: enrolled.token, body: Data(#"{"replica":"00000000000000aa","seq":"#.utf8))
        #expect(truncated.status == 400 && truncated.errorCode == "malformed_json")
        let wrongShape = try await HTTP.send("POST", url, token: enrolled.token, body: Data(#"{"records":"all"}"#.utf8))
        #expect(wrongShape.status == 400 && wrongShape.errorCode == "invalid_request")
        let noToken = try await HTTP.send("POST", url, body: try push(pending.states))
        #expect(noToken.status == 401 && noToken.errorCode == "unauthorized")
        let wrongToken = try await HTTP.send("POST", url, token: "x" + enrolled.token, body: try push(pending.states))
        #expect(wrongToken.status == 401 && wrongToken.errorCode == "unauthorized")

        var moved = pending.states[0]
        moved["commune"] = Register(value: .text("00008"), stamp: moved["commune"]!.stamp)
        let outOfScope = try await HTTP.send("POST", url, token: enrolled.token, body: try push([moved]))
        #expect(outOfScope.status == 403 && outOfScope.errorCode == "out_of_scope")

        var future = pending.states[0]
        let stamp = future["note"]!.stamp
        future["note"] = Register(value: .text("từ tương lai"),
                                  stamp: Stamp(millis: stamp.millis + 365 * 86_400_000, counter: 0, replica: stamp.replica))
        let clockAhead = try await HTTP.send("POST", url, token: enrolled.token, body: try push([future]))
        #expect(clockAhead.status == 422 && clockAhead.errorCode == "clock_ahead")

        let aReplica = try FieldStore.open(at: a.store).profile.replicaID
        let restored = try await HTTP.send("POST", url, token: enrolled.token, body: try push(pending.states, replica: aReplica, seq: 0))
        #expect(restored.status == 409 && restored.errorCode == "replica_restored")

        let notFound = try await HTTP.send("GET", hub.url + "/v1/visits", token: enrolled.token)
        #expect(notFound.status == 404 && notFound.errorCode == "not_found")
        let badCursor = try await HTTP.send("GET", hub.url + "/v1/pull?after=-1", token: enrolled.token)
        #expect(badCursor.status == 400 && badCursor.errorCode == "invalid_request")
        let badCode = try await HTTP.send("POST", hub.url + "/v1/enroll", body: Data(#"{"code":"AAAA-BBBB-CCCC"}"#.utf8))
        #expect(badCode.status == 401 && badCode.errorCode == "invalid_enrollment_code")

        #expect(try hubVisits(hub) == before, "no refused request wrote anything")
        #expect(try hub.command("export", "--format", "json").stdout == hubSeqBefore)

        // A replayed push changes nothing; a revoked laptop is refused and its store stays as it was.
        let body = try encoder.encode(PushRequest(replica: aReplica, seq: 99, batch: "replay", unsynced: 0,
                                                  records: try FieldStore.open(at: a.store).visits().map(\.state), conflicts: nil))
        let replay = try await HTTP.send("POST", url, token: enrolled.token, body: body)
        #expect(replay.status == 200 && replay.json["alreadyKnown"] as? Int == 1 && replay.json["fastForward"] as? Int == 0)
        #expect(try hubVisits(hub) == before)
        let device = try #require(try FieldStore.open(at: a.store).enrollment()?.device)
        #expect(try hub.command("devices", "revoke", device).status == 0)
        _ = try a.log("Sau khi thu hồi")
        let statusBefore = try a.status()
        let refused = try a.run("sync")
        #expect(refused.status != 0 && refused.stderr.contains("revoked"), "\(refused)")
        #expect(try a.status()["unsynced"] as? Int == statusBefore["unsynced"] as? Int)
    }

    @Test func aVisitOfAnotherCommuneIsFlaggedNotSentAndTheRestSyncs() throws {
        let dir = TemporaryDirectory()
        let hub = try HubProcess(database: dir.file("hub.sqlite"))
        let a = try Laptop(dir, "Lan")
        try a.enroll(hub)
        let mine = try a.log("Ở xã mình")
        let warned = try a.run("log", "--service", "vneid-level2", "--outcome", "done", "--name", "Ở xã khác", "--commune", "00008")
        #expect(warned.status == 0 && warned.stderr.contains("not this laptop's commune 00004"), "\(warned)")
        let elsewhere = warned.output
        let mistake = try a.log("Nhập nhầm", extra: ["--commune", "00008"])
        let summary = try a.sync()
        #expect(summary["flagged"] as? Int == 2)
        #expect(Set(try hubVisits(hub).keys) == [mine])
        #expect(try a.run("status").stdout.contains("Flagged"))
        let listed = try a.run("flagged").stdout
        #expect(listed.contains(String(elsewhere.suffix(8))) && listed.contains("--commune 00004") && listed.contains("Nhập nhầm"))

        // Deleting a flagged visit ends its flag; the deletion of a visit the hub never had is not sent.
        #expect(try a.run("delete", String(mistake.suffix(8))).status == 0)
        #expect(try a.status()["flagged"] as? Int == 1)
        #expect(try a.sync()["flagged"] as? Int == 1)
        // Moving it into the laptop's commune ends the flag at once; the next sync sends it.
        #expect(try a.run("edit", elsewhere, "--commune", "00004").status == 0)
        #expect(try a.status()["flagged"] as? Int == 0)
        try a.sync()
        #expect(Set(try hubVisits(hub).keys) == [mine, elsewhere])
        let again = try a.sync()
        #expect(again["flagged"] as? Int == 0 && again["pulled"] as? Int == 0, "nothing new to pull: \(again)")
        let devices = try hub.command("report", "devices", "--format", "json").stdout
        #expect(devices.contains("\"unsynced\" : 0"), "the backlog the laptop reported after a full sync: \(devices)")
    }

    @Test func aRevokedLaptopEnrolsAgainAndSendsWhatItKept() throws {
        let dir = TemporaryDirectory()
        let hub = try HubProcess(database: dir.file("hub.sqlite"))
        let a = try Laptop(dir, "Lan")
        try a.enroll(hub)
        let first = try a.log("Trước khi thu hồi")
        try a.sync()
        let device = try #require(try FieldStore.open(at: a.store).enrollment()?.device)
        #expect(try hub.command("devices", "revoke", device).status == 0)
        let kept = try a.log("Chưa gửi")
        let refused = try a.run("sync")
        #expect(refused.status != 0 && refused.stderr.contains("enroll --again"), "\(refused)")

        let code = try hub.enrollmentCode(commune: "00004")
        let plain = try a.run("enroll", "--server", hub.url, "--code", code)
        #expect(plain.status != 0 && plain.stderr.contains("--again"), "\(plain)")
        let again = try a.run("enroll", "--again", "--server", hub.url, "--code", code)
        #expect(again.status == 0 && again.stdout.contains("Enrolled again"), "\(again)")
        let summary = try a.sync()
        #expect(summary["pushed"] as? Int == 1 && summary["reidentified"] == nil, "\(summary)")
        #expect(Set(try hubVisits(hub).keys) == [first, kept])
        #expect(try a.status()["unsynced"] as? Int == 0)
        let devices = try hub.command("devices", "list", "--json").stdout
        #expect(devices.components(separatedBy: "\"volunteer\" : \"Lan\"").count == 3 && devices.contains("revokedAt"), "\(devices)")

        // Moved to another commune: new visits default to it and go; the old commune's are not sent again.
        let moved = try a.run("enroll", "--again", "--server", hub.url, "--code", try hub.enrollmentCode(commune: "00008"))
        #expect(moved.status == 0, "\(moved)")
        let there = try a.log("Ở xã mới")
        let afterMove = try a.sync()
        #expect(afterMove["pushed"] as? Int == 1 && afterMove["flagged"] as? Int == 0, "\(afterMove)")
        #expect(try hubVisits(hub)[there]?["commune"] as? String == "00008")
    }
}
