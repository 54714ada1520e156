import FieldModel
import FieldStore
import FieldSyncClient
import Foundation
import Hummingbird
import Localization
import NIOCore
import SyncProtocol
import WebUI

// Sync with the hub (the same `SyncClient` as `fieldsync sync`), offline bundles, a LAN sync, the lock, and Thoát.
extension AppRoutes {
    func syncPage(_ request: Request, _ context: AppRequestContext, error: String? = nil) async throws -> Response {
        let t = Catalogue(appRequest: request), csrf = context.formToken
        let snapshot = sync.snapshot, update = updating.snapshot
        return try await withStore { store in
            let status = try store.status()
            var values: [String: Any] = [
                "server_line": status.server.map { t.format("app_server_line", $0) } ?? t["status.not_enrolled"],
                "last_line": t.format("app_last_sync", status.lastSync.map { t.time($0) } ?? t["never"]),
                "unsynced_line": t.format("app_unsynced", t.number(status.unsynced)), "running": snapshot.running,
                "state": snapshot.running ? "running" : "idle", "line": snapshot.line, "summary": snapshot.summary as Any,
                "details": snapshot.details, "details_any": !snapshot.details.isEmpty, "failure": snapshot.failure as Any, "error": error as Any,
                "update_line": t.format("app_update_line", FieldSyncVersion.current), "update_running": update.running,
                "update_state": update.running ? "running" : "idle", "update_now": update.line, "update_summary": update.summary as Any,
                "update_failure": update.failure as Any,
            ]
            if let fraction = snapshot.fraction { values["fraction"] = String(format: "%.3f", fraction) }
            if let fraction = update.fraction { values["update_fraction"] = String(format: "%.3f", fraction) }
            return AppPages.page("sync", values, t: t, csrf: csrf, header: try Self.header(store), script: snapshot.running || update.running)
        }
    }

    func startSync(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        _ = try await form(request, context)
        // The passphrase is needed to sync (the device token is sealed): a locked store goes to the unlock page first.
        try await withStore { _ in () }
        guard sync.start(path: path, t: Catalogue(appRequest: request)) else { throw AppError.syncRunning }
        return Self.seeOther("/sync")
    }

    /// A sync's or an update's progress as JSON, for the page's script.
    func progress(_ snapshot: SyncRun.Snapshot) -> Response {
        var object: [String: Any] = ["running": snapshot.running, "line": snapshot.line]
        if let fraction = snapshot.fraction { object["fraction"] = fraction }
        // Losing this error is safe: the object holds only strings, numbers and booleans, which always encode.
        let body = (try? JSONSerialization.data(withJSONObject: object)) ?? Data("{}".utf8)
        return Response(status: .ok, headers: [.contentType: "application/json", .cacheControl: "no-store"],
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }

    /// An offline bundle of what the hub has not acknowledged, downloaded as a file to carry (Protocol/README.md §9).
    func exportBundle(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        _ = try await form(request, context)
        let exported = try await withStore { store in try BundleTransfer.export(store) }
        let name = "fieldsync-\(VietnamTime.day(of: Date())).fsb"
        return Response(status: .ok, headers: [.contentType: "application/octet-stream", .contentDisposition: "attachment; filename=\"\(name)\"",
                                               .cacheControl: "no-store"],
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: exported.file)))
    }

    /// The hub's answer to a bundle, read from a file on this laptop (a USB stick).
    func importBundle(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let fields = try await form(request, context)
        let t = Catalogue(appRequest: request)
        guard let path = fields.text("path") else { return try await syncPage(request, context, error: t["app_bundle_no_file"]) }
        do {
            let text = try await withStore { store in
                let applied = try BundleTransfer.importAnswer(try Data(contentsOf: URL(fileURLWithPath: path)), into: store)
                return applied.again ? t["bundle.again"]
                    : t.format("bundle.applied", t.number(applied.acknowledged), t.number(applied.pulled), t.number(applied.conflicts),
                               t.number(applied.rejected.count))
            }
            return AppPages.message(t["app_nav_sync"], text, t: t, csrf: context.formToken, link: ("/sync", t["app_back"]))
        } catch let error as AppError {
            throw error
        } catch {
            return try await syncPage(request, context, error: AppPages.describe(error, t))
        }
    }

    /// A sync with another laptop on the LAN (`fieldsync peer sync`).
    func peerSync(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let fields = try await form(request, context)
        let t = Catalogue(appRequest: request)
        guard let address = fields.text("address") else { return try await syncPage(request, context, error: t["app_lan_no_address"]) }
        try await withStore { _ in () }
        do {
            let store = try FieldStore.open(at: path)
            let outcome = try await PeerExchange.sync(store, with: address)
            let text = t.format("peer.synced", outcome.peer, "\(outcome.sent)", "\(outcome.received)", "\(outcome.conflicts)")
            return AppPages.message(t["app_lan"], text, t: t, csrf: context.formToken, link: ("/sync", t["app_back"]))
        } catch {
            return try await syncPage(request, context, error: AppPages.describe(error, t))
        }
    }

    func unlockPage(_ request: Request, _ context: AppRequestContext, error: String?) async throws -> Response {
        let t = Catalogue(appRequest: request), csrf = context.formToken
        let locked = try await withStore(reading: false) { store in store.lockState == .locked }
        guard locked else { return Self.seeOther("/") }
        return AppPages.page("unlock", ["error": error as Any, "title": t["app_unlock_heading"]], t: t, csrf: csrf, header: AppPages.Header(),
                             status: error == nil ? .ok : .forbidden)
    }

    func unlock(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let fields = try await form(request, context)
        let t = Catalogue(appRequest: request)
        do {
            let passphrase = fields["passphrase"] ?? ""
            try await withStore(reading: false) { store in
                try store.unlock(passphrase: passphrase, until: Date().addingTimeInterval(16 * 3_600))
            }
            return Self.seeOther("/")
        } catch let error as AppError {
            throw error
        } catch {
            return try await unlockPage(request, context, error: AppPages.describe(error, t))
        }
    }

    func lock(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        _ = try await form(request, context)
        try await withStore(reading: false) { store in try store.lock() }
        opened.forget()
        return Self.seeOther("/unlock")
    }

    func quitApp(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        _ = try await form(request, context)
        gate.closeAll()
        quit()
        return AppPages.page("closed", [:], t: Catalogue(appRequest: request), csrf: nil, header: nil)
    }
}
