import FieldSyncTesting
import Foundation
import SyncProtocol
import Testing

/// What a new volunteer and an operator meet, with the real binaries: versions and `--min-client`, a code of
/// another commune, an unreachable hub, a date of tomorrow, the passphrase asked twice.
@Suite struct TruthEndToEndTests {
    /// Every request names the laptop's version; the hub notes it per device, and `--min-client` refuses an
    /// older (or unnamed) one with 426 and Vietnamese words, while the visits stay on the laptop.
    @Test func theHubKnowsEveryLaptopsVersionAndRefusesOldOnes() async throws {
        let dir = TemporaryDirectory()
        let hub = try HubProcess(database: dir.file("hub.sqlite"))
        let lan = try Laptop(dir, "Lan")
        try lan.enroll(hub)
        _ = try lan.log("Trần Văn Bình")
        try lan.sync()
        let devices = try hub.command("report", "devices", "--format", "json")
        let line = try #require(((try JSONSerialization.jsonObject(with: Data(devices.stdout.utf8)) as? [String: Any])?["devices"]
            as? [[String: Any]])?.first)
        #expect(line["clientVersion"] as? String == FieldSyncVersion.current && line["clientVersionAt"] is String, "\(line)")

        hub.terminate()
        hub.extraArguments = ["--min-client", "9.9.9"]
        try hub.restart()
        _ = try lan.log("Lê Thị Cúc")
        let refused = try lan.run("sync")
        #expect(refused.status != 0 && refused.stderr.contains("đã cũ") && refused.stderr.contains("9.9.9"), "\(refused)")
        #expect(try lan.status()["unsynced"] as? Int == 1, "the visit waits on the laptop")
        let raw = try await HTTP.send("GET", hub.url + "/v1/pull")
        #expect(raw.status == 426 && raw.errorCode == "upgrade_required", "a request that names no version is the oldest")
        #expect(try await HTTP.send("GET", hub.url + "/v1/health").status == 200)

        hub.terminate()
        hub.extraArguments = ["--min-client", "0.3.0"]
        try hub.restart()
        try lan.sync()
        #expect(try lan.status()["unsynced"] as? Int == 0)
    }

    /// A laptop set up for one commune is not enrolled with a code of another without a word: the code stays
    /// unused, and `enroll --again` (a laptop that really moves) takes it.
    @Test func aCodeOfAnotherCommuneIsRefusedAtTheFirstEnrolment() throws {
        let dir = TemporaryDirectory()
        let hub = try HubProcess(database: dir.file("hub.sqlite"))
        let lan = try Laptop(dir, "Lan", commune: "00004")
        let code = try hub.enrollmentCode(team: "T-01", commune: "00008")
        let refused = try lan.run("enroll", "--server", hub.url, "--code", code)
        #expect(refused.status != 0 && refused.stderr.contains("00008") && refused.stderr.contains("enroll --again"), "\(refused)")
        #expect(try lan.status()["server"] == nil, "not enrolled")
        let moved = try lan.run("enroll", "--again", "--server", hub.url, "--code", code)
        #expect(moved.status == 0 && moved.stdout.contains("00008"), "the code was not used: \(moved)")
    }

    /// No hub at the address: the volunteer is told to run `enroll` again, not `sync`.
    @Test func anUnreachableHubAtEnrolmentSaysEnrollAgain() throws {
        let dir = TemporaryDirectory()
        let lan = try Laptop(dir, "Lan")
        let result = try lan.run("enroll", "--server", "http://127.0.0.1:9", "--code", "AAAA-BBBB-CCCC")
        #expect(result.status != 0 && result.stderr.contains("fieldsync enroll") && !result.stderr.contains("fieldsync sync"), "\(result)")
    }

    /// A visit dated the day after tomorrow (a date with no time) is refused by the laptop. (Tomorrow's first minutes
    /// are within the ten minutes of clock slack in the last minutes of a Vietnam day: the test would depend on the hour.)
    @Test func aVisitDatedTomorrowIsRefused() throws {
        let dir = TemporaryDirectory()
        let lan = try Laptop(dir, "Lan")
        var vietnam = Calendar(identifier: .gregorian)
        vietnam.timeZone = TimeZone(identifier: "Asia/Ho_Chi_Minh") ?? .gmt
        let tomorrow = try #require(vietnam.date(byAdding: .day, value: 2, to: Date()))
        let day = String(format: "%04d-%02d-%02d", vietnam.component(.year, from: tomorrow), vietnam.component(.month, from: tomorrow),
                         vietnam.component(.day, from: tomorrow))
        let result = try lan.run("log", "--service", "vneid-level2", "--outcome", "done", "--name", "Trần Văn Bình", "--at", day)
        #expect(result.status != 0 && result.stderr.contains("after today"), "\(result)")
        #expect(try lan.visits().isEmpty)
    }

    /// `init` asks for the passphrase twice; one too short, or two that differ, are asked again.
    @Test func initAsksForThePassphraseTwice() throws {
        let dir = TemporaryDirectory()
        let store = dir.file("lan.sqlite")
        let session = try Terminal.run("fieldsync", ["--store", store, "init", "--volunteer", "Lan", "--team", "T-01", "--commune", "00004"],
                                       answers: [("Passphrase", "short"), ("Passphrase", "ngõ 5 nhà số 7"), ("same again", "ngo 5 nha so 7"),
                                                 ("Passphrase", "ngõ 5 nhà số 7"), ("same again", "ngõ 5 nhà số 7")],
                                       environment: ["FIELDSYNC_NEW_PASSPHRASE": nil, "FIELDSYNC_PASSPHRASE": nil])
        #expect(session.status == 0, "\(session.output)")
        #expect(session.output.contains("too short") && session.output.contains("differ"), "\(session.output)")
        let unlocked = try Executables.run("fieldsync", ["--store", store, "unlock"], environment: ["FIELDSYNC_PASSPHRASE": "ngõ 5 nhà số 7"])
        #expect(unlocked.status == 0, "the passphrase typed twice is the store's: \(unlocked)")
    }
}
