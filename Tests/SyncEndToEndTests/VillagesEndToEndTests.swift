import FieldSyncTesting
import Foundation
import Testing

/// `fieldsync-server villages` with the real binary: a commune's villages added, given to teams by a name typed without
/// diacritics, listed, removed; a village the commune does not have is an error naming the ones it has.
@Suite struct VillagesEndToEndTests {
    @Test func anOperatorKeepsACommunesVillagesAndTheirTeams() throws {
        let dir = TemporaryDirectory()
        let hub = try HubProcess(database: dir.file("hub.sqlite"))
        #expect(try hub.command("villages", "add", "--commune", "00004", "--name", "Thôn Đông", "--team", "T-01").status == 0)
        #expect(try hub.command("villages", "add", "--commune", "00004", "--name", "Tổ dân phố số 5", "--code", "TDP05").status == 0)
        let assigned = try hub.command("villages", "assign", "--commune", "00004", "to dan pho so 5", "--team", "T-02")
        #expect(assigned.status == 0 && assigned.stdout.contains("T-02"), "\(assigned)")
        let list = try hub.command("villages", "list", "--commune", "00004")
        #expect(list.stdout.contains("Thôn Đông") && list.stdout.contains("team T-01") && list.stdout.contains("[TDP05]  team T-02"), "\(list)")
        let missing = try hub.command("villages", "assign", "--commune", "00004", "Thôn Tây", "--team", "T-03")
        #expect(missing.status != 0 && missing.stderr.contains("Thôn Đông"), "\(missing)")
        let badTeam = try hub.command("villages", "add", "--commune", "00004", "--name", "Thôn Bắc", "--team", "đội 1")
        #expect(badTeam.status != 0, "\(badTeam)")
        #expect(try hub.command("villages", "remove", "--commune", "00004", "thon dong").status == 0)
        #expect(!(try hub.command("villages", "list").stdout.contains("Thôn Đông")))
        let audit = try hub.command("audit", "verify")
        #expect(audit.status == 0, "\(audit)")
    }
}
