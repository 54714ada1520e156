import FieldStore
import FieldSyncTesting
import Foundation
import SQLiteKit
import Testing

/// The tombstone horizon (Protocol/README.md §7.2) with the real binaries.
@Suite struct HorizonEndToEndTests {
    func bytes(_ path: String) -> Data {
        ["", "-wal", "-shm"].reduce(into: Data()) { data, suffix in
            // Losing this error is safe: a file that is not there has no bytes to search.
            if let more = try? Data(contentsOf: URL(fileURLWithPath: path + suffix)) { data.append(more) }
        }
    }

    func json(_ text: String) throws -> [String: Any] {
        (try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]) ?? [:]
    }

    @Test func aLaptopBackFromBehindTheHorizonResyncsWithoutResurrectingAnything() throws {
        let dir = TemporaryDirectory()
        let hub = try HubProcess(database: dir.file("hub.sqlite"))
        let lan = try Laptop(dir, "Lan"), binh = try Laptop(dir, "Bình"), cuc = try Laptop(dir, "Cúc")
        for laptop in [lan, binh, cuc] { try laptop.enroll(hub) }
        let secrets = ["Hoàng Thị Xoan", "0987000333"]
        let gone = try lan.log(secrets[0], extra: ["--phone", secrets[1]])
        let edited = try lan.log("Đinh Văn Lực")
        let kept = try lan.log("Phan Thị Mơ")
        for laptop in [lan, binh, cuc] { try laptop.sync() }
        #expect(try lan.run("delete", gone).status == 0 && lan.run("delete", edited).status == 0)
        try lan.sync()
        // Cúc, offline, edits a visit Lan deleted; Bình and Lan sync on (their checkpoints pass the deletions).
        #expect(try cuc.run("edit", edited, "--note", "đã hẹn lại thứ Hai").status == 0)
        for laptop in [binh, binh, lan] { try laptop.sync() }
        let progress = { try hub.command("report", "progress", "--format", "json").stdout }
        let before = try progress()

        // Nothing to compact while Cúc counts: it has not pulled the deletions.
        let held = try json(hub.command("compact", "--dry-run", "--json").stdout)
        let cucDevice = try #require(try FieldStore.open(at: cuc.store).enrollment()?.device)
        #expect(held["tombstones"] as? Int == 0 && held["heldBy"] as? [String] == [cucDevice], "\(held)")
        // Cúc has not synced for 60 days.
        let db = try Database(path: hub.database)
        let old = "2026-09-01T08:00:00Z"
        try db.run("UPDATE devices SET enrolled_at = ?, last_sync_at = ?, pulled_at = ? WHERE id = ?",
                   [.text(old), .text(old), .text(old), .text(cucDevice)])
        let dry = try json(hub.command("compact", "--dry-run", "--json").stdout)
        #expect(dry["tombstones"] as? Int == 2 && dry["excluded"] as? [String] == [cucDevice] && dry["dryRun"] as? Bool == true, "\(dry)")
        #expect(try hubVisits(hub)[gone] != nil, "a dry run removes nothing")
        let done = try hub.command("compact")
        #expect(done.status == 0 && done.stdout.contains("removed 2 deleted visits") && done.stdout.contains(cucDevice), "\(done)")
        #expect(try hubVisits(hub)[gone] == nil && hubVisits(hub)[edited] == nil)
        let atHub = secrets.filter { bytes(hub.database).range(of: Data($0.utf8)) != nil }
        #expect(atHub.isEmpty, "the hub's files still hold \(atHub)")

        // Lan and Bình drop their tombstones at their next sync.
        for laptop in [lan, binh] {
            #expect(try laptop.sync()["compacted"] as? Int == 2)
            let visits = try laptop.visits()
            #expect(visits[gone] == nil && visits[edited] == nil && visits[kept] != nil, "\(laptop.name): \(visits.keys.sorted())")
            let found = secrets.filter { bytes(laptop.store).range(of: Data($0.utf8)) != nil }
            #expect(found.isEmpty, "\(laptop.name)'s store still holds \(found)")
        }

        // Cúc comes back: its copies go; its edit meets the reduced tombstone and is kept in an edit-vs-delete entry.
        let answer = try cuc.sync()
        #expect(answer["editVsDelete"] as? Int == 1, "\(answer)")
        let cucVisits = try cuc.visits()
        #expect(cucVisits[gone] == nil && cucVisits[edited] == nil && cucVisits[kept] != nil, "\(cucVisits.keys.sorted())")
        #expect(try hubVisits(hub)[gone] == nil && hubVisits(hub)[edited] == nil, "nothing comes back at the hub")
        let conflicts = try hub.command("conflicts", "list", "--json").stdout
        #expect(conflicts.contains(edited) && conflicts.contains("edit-vs-delete") && conflicts.contains("đã hẹn lại thứ Hai"),
                "\(conflicts)")
        #expect(try progress() == before, "progress is the same before and after compaction")
        for laptop in [lan, binh] {
            try laptop.sync()
            #expect(try laptop.visits()[gone] == nil, "\(laptop.name) never gets the compacted visit back")
        }
        #expect(try hub.command("audit", "list", "--action", "compact").stdout.contains("compact"))
        #expect(hub.terminate() == 0)
    }
}
