import FieldSyncTesting
import Foundation
import HubCore
import Hummingbird
import HummingbirdTesting
import Localization
import SyncProtocol
import Testing

/// The devices page tells which laptops still run an older release than the hub's (issue 34).
@Suite struct ConsoleDevicesTests {
    @Test func laptopsBehindTheHubsReleaseAreMarked() async throws {
        let hub = try await ConsoleRouteTests.Hub()
        let code = hub.code
        try await hub.app().test(.router) { client in
            let browser = ConsoleRouteTests.Browser(client)
            try await browser.joinAsHai(code)
            let page = try await browser.go("/console/devices")
            // The test laptops pushed in process, naming no release: they count as behind; the coordinator's own account does not.
            #expect(page.html.contains("id=\"behind\"") && page.html.contains(Catalogue(.vietnamese).format("devices_behind", "1", FieldSyncVersion.current)),
                    "\(page.html.components(separatedBy: "id=\"behind\"").last?.prefix(200) ?? "")")
            #expect(page.html.components(separatedBy: "class=\"flag needs-update\"").count - 1 == 1)
        }
    }

    @Test func aLaptopIsBehindOnlyBeforeTheLatestRelease() throws {
        let latest = try #require(ReleaseVersion("0.5.0"))
        func behind(_ version: String?, role: String = "volunteer", revoked: Bool = false) throws -> Bool {
            var fields: [String: Any] = ["device": "d", "role": role, "visits": 0, "stale": false, "revoked": revoked]
            fields["clientVersion"] = version
            return try JSONDecoder().decode(DevicesReport.Line.self, from: JSONSerialization.data(withJSONObject: fields)).needsUpdate(to: latest)
        }
        #expect(try behind("0.4.9") && behind(nil) && behind("x"))
        #expect(try !behind("0.5.0") && !behind("0.10.0"))
        #expect(try !behind("0.1.0", role: "coordinator") && !behind("0.1.0", revoked: true))
    }
}
