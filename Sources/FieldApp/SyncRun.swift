import FieldStore
import FieldSyncClient
import Foundation
import Localization
import Synchronization

/// The app's sync: one at a time, run by the same `SyncClient` as `fieldsync sync`, its progress kept for the
/// page to show while it runs and its summary after.
final class SyncRun: Sendable {
    /// What the sync page shows.
    struct Snapshot: Sendable {
        var running = false
        var line = ""
        var fraction: Double?
        var summary: String?
        var details: [String] = []
        var failure: String?
    }

    private let state = Mutex(Snapshot())

    /// Where the sync stands.
    var snapshot: Snapshot { state.withLock { $0 } }

    /// Starts a sync of the store at `path` with messages in `t`'s language; false when one runs already.
    func start(path: String, t: Catalogue) -> Bool {
        let started = state.withLock { state -> Bool in
            guard !state.running else { return false }
            state = Snapshot(running: true, line: t["app_sync_starting"])
            return true
        }
        guard started else { return false }
        Task.detached { [self] in
            let line = ProgressLine()
            do {
                let store = try FieldStore.open(at: path)
                let summary = try await SyncClient(catalogue: t).sync(store) { progress in
                    let fraction = progress.toPush > 0 ? Double(progress.pushed) / Double(progress.pushed + progress.toPush) : nil
                    self.state.withLock { $0.line = line.text(progress, t); $0.fraction = fraction }
                }
                var details = summary.myConflicts + summary.afterwards(t, flaggedKey: "app_sync_flagged")
                if let why = summary.reidentified { details.append(t.format("sync.note", why)) }
                if summary.hubRestored { details.append(t["sync.hub_restored"]) }
                let sentence = summary.sentence(t, seconds: line.elapsed)
                state.withLock { $0 = Snapshot(summary: sentence, details: details) }
            } catch {
                let text = AppPages.describe(error, t)
                state.withLock { $0 = Snapshot(failure: text) }
            }
        }
        return true
    }
}
