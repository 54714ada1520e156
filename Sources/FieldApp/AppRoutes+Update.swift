import FieldStore
import FieldSyncClient
import Foundation
import Hummingbird
import Localization
import NIOPosix
import Synchronization

/// One update at a time: a second press while the first downloads is told to wait.
final class UpdateGate: Sendable {
    private let running = Mutex(false)

    /// Runs `body` unless an update runs already (then nil).
    func run<T: Sendable>(_ body: () async throws -> T) async throws -> T? {
        guard running.withLock({ busy in defer { busy = true }; return !busy }) else { return nil }
        defer { running.withLock { $0 = false } }
        return try await body()
    }
}

// The app's update button (issue 34): the same check, download and install as `fieldsync update`. The app has no
// terminal to ask an administrator's password on: when installing needs one, the checked package is left downloaded
// and the page says the one command that installs it.
extension AppRoutes {
    func updateNow(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        _ = try await form(request, context)
        let t = Catalogue(appRequest: request), csrf = context.formToken, path = self.path
        let back = ("/sync", t["app_back"])
        let text: String
        do {
            // The store is only read (and must be unlocked: the device token is sealed).
            let source = try await withStore { store in try LaptopUpdate.source(store, storePath: path) }
            guard let answer = try await updating.run({ () async throws -> String in
                switch try await LaptopUpdate.fetch(source) {
                case .none: return t["update.none_published"]
                case .current(let installed): return t.format("update.current", installed)
                case .downloaded(let version, let file):
                    let installed = try await NIOThreadPool.singleton.runIfActive { try LaptopUpdate.install(file, interactive: false) }
                    return installed.status == 0 ? t.format("app_update_installed", version)
                        : t.format("app_update_manual", version, LaptopUpdate.installCommand(file).joined(separator: " "))
                }
            }) else { return AppPages.message(t["app_update"], t["app_update_running"], status: 409, t: t, csrf: csrf, link: back) }
            text = answer
        } catch let error as AppError {
            throw error
        } catch {
            return AppPages.message(t["app_update"], AppPages.describe(error, t), status: 502, t: t, csrf: csrf, link: back)
        }
        return AppPages.message(t["app_update"], text, t: t, csrf: csrf, link: back)
    }
}
