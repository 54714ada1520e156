import Localization

/// What the app refuses or cannot do, told to the person in their language; `AppMiddleware` turns each into a page.
enum AppError: Error, Equatable {
    /// No private folder for the launch file.
    case noPrivateFolder
    /// The launch file could not be written.
    case launchFile(String)
    /// A request without this launch's session cookie.
    case notOpened
    /// A request naming another host than the app's own address (DNS rebinding).
    case wrongHost
    /// A form from another page than the app's own, or without its token.
    case forgedForm
    /// The store is locked: the page needs the passphrase first.
    case locked
    /// No such page or record.
    case notFound
    /// A sync runs already.
    case syncRunning

    /// The HTTP status.
    var status: Int {
        switch self {
        case .noPrivateFolder, .launchFile: 500
        case .notOpened: 401
        case .wrongHost: 421
        case .forgedForm: 403
        case .locked: 423
        case .notFound: 404
        case .syncRunning: 409
        }
    }

    /// The message.
    func text(_ t: Catalogue) -> String {
        switch self {
        case .noPrivateFolder: t["app_error_no_folder"]
        case .launchFile(let path): t.format("app_error_launch_file", path)
        case .notOpened: t["app_error_not_opened"]
        case .wrongHost: t["app_error_wrong_host"]
        case .forgedForm: t["app_error_forged"]
        case .locked: t["app_error_locked"]
        case .notFound: t["app_error_not_found"]
        case .syncRunning: t["app_error_sync_running"]
        }
    }
}
