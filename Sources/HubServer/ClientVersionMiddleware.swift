import HTTPTypes
import Hummingbird
import HubCore
import HubSQLite
import Logging
import SyncProtocol

/// Reads the version a laptop's request names (`FieldSync-Client`, Protocol/README.md §8.2) on the API (not
/// the console, whose clients are browsers): refuses one older than `serve --min-client` with 426 and a
/// message saying how to update, before anything is read or written.
struct ClientVersionMiddleware: RouterMiddleware {
    typealias Context = HubRequestContext
    let minimum: ReleaseVersion

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        // Health, and the published packages: a laptop too old to sync may still fetch the update (issue 34).
        guard path.hasPrefix("/v1/"), path != "/v1/health", !path.hasPrefix("/v1/releases/") else { return try await next(request, context) }
        let named = ReleaseVersion(header: request.headers[Self.header])
        guard let named, named >= minimum else {
            context.logger.notice("client too old", metadata: ["path": "\(path)", "client": "\(named?.description ?? "unnamed")"])
            throw HubError.upgradeRequired(Self.message(named: named, minimum: minimum))
        }
        return try await next(request, context)
    }

    /// The header's field name.
    static let header = HTTPField.Name(FieldSyncVersion.header) ?? .userAgent

    /// What a volunteer reads (in Vietnamese: the laptop tells it as the hub wrote it).
    static func message(named: ReleaseVersion?, minimum: ReleaseVersion) -> String {
        "Phiên bản fieldsync trên máy này (\(named?.description ?? "cũ, không rõ số")) đã cũ: trạm chỉ nhận từ phiên bản \(minimum) trở lên. "
            + "Hãy cập nhật fieldsync (`fieldsync update`, hoặc hỏi điều phối viên cách cài bản mới), rồi đồng bộ lại. Các lượt đã ghi vẫn an toàn trên máy; "
            + "`fieldsync bundle export` vẫn mang chúng đến trạm được."
    }

    /// What a volunteer reads when the hub has published a kind version their fieldsync cannot keep.
    static let kindsMessage = "Trạm đã công bố trường hoặc lựa chọn mới cho biểu mẫu; phiên bản fieldsync trên máy này đã cũ, sẽ làm mất chúng. "
        + "Hãy cập nhật fieldsync (hỏi điều phối viên cách cài bản mới), rồi đồng bộ lại. Các lượt đã ghi vẫn an toàn trên máy."
}
