import FieldStore
import FieldSyncClient
import Foundation
import Hummingbird
import Localization
import NIOPosix
import Synchronization

/// The app's update (issue 34): one at a time, the same check, download and install as `fieldsync update`, its
/// progress kept for the sync page to show while it downloads (a package is megabytes on 3G) and its outcome after.
/// The app has no terminal to ask an administrator's password on: when installing needs one, the checked package is
/// left downloaded and the page says the one command that installs it.
final class UpdateRun: Sendable {
    private let state = Mutex(SyncRun.Snapshot())

    /// Where the update stands.
    var snapshot: SyncRun.Snapshot { state.withLock { $0 } }

    /// Starts an update from `source` with messages in `t`'s language; false when one runs already.
    func start(_ source: LaptopUpdate.Source, t: Catalogue) -> Bool {
        let started = state.withLock { state -> Bool in
            guard !state.running else { return false }
            state = SyncRun.Snapshot(running: true, line: t["app_update_checking"])
            return true
        }
        guard started else { return false }
        Task.detached { [self] in
            let line = ProgressLine()
            do {
                let offer = try await LaptopUpdate.fetch(source) { held, size in
                    self.state.withLock {
                        $0.line = t.format("update.progress", "\(held * 100 / max(1, size))", "\(Int(line.elapsed))")
                        $0.fraction = Double(held) / Double(max(1, size))
                    }
                }
                let text: String
                switch offer {
                case .none: text = t["update.none_published"]
                case .current(let installed): text = t.format("update.current", installed)
                case .downloaded(let version, let file):
                    state.withLock { $0.line = t.format("update.installing", version); $0.fraction = nil }
                    let installed = try await NIOThreadPool.singleton.runIfActive { try LaptopUpdate.install(file, interactive: false) }
                    text = installed.status == 0 ? t.format("app_update_installed", version)
                        : t.format("app_update_manual", version, LaptopUpdate.installCommand(file).joined(separator: " "))
                }
                state.withLock { $0 = SyncRun.Snapshot(summary: text) }
            } catch {
                let text = AppPages.describe(error, t)
                state.withLock { $0 = SyncRun.Snapshot(failure: text) }
            }
        }
        return true
    }
}

extension AppRoutes {
    func startUpdate(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        _ = try await form(request, context)
        let t = Catalogue(appRequest: request), path = self.path
        do {
            // The store is only read (and must be unlocked: the device token is sealed).
            let source = try await withStore { store in try LaptopUpdate.source(store, storePath: path) }
            // A second press while one runs shows the one running.
            _ = updating.start(source, t: t)
        } catch let error as AppError {
            throw error
        } catch {
            return try await syncPage(request, context, error: AppPages.describe(error, t))
        }
        return Self.seeOther("/sync")
    }
}
