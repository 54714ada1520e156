import Foundation
import HubCore
import Hummingbird
import Releases

// The laptop packages published at the hub (issue 34): the newest one's signed manifest, and the file, resumable
// (`Range: bytes=N-`) for a download cut on 3G. Any enrolled device may ask, even one too old to sync.
extension HubRoutes {
    func latestRelease(_ request: Request, _ context: HubRequestContext) async throws -> Response {
        _ = try context.requireDevice()
        let package = request.uri.queryParameters["package"].map(String.init) ?? "fieldsync"
        guard let folder = limits.releases, let manifest = ReleaseShelf(folder: folder).latest(package) else {
            throw HubError.notFound("no \(package) package is published at this hub")
        }
        return Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(data: try manifest.json())))
    }

    /// The release key the shelf pinned, for an enrolling laptop to pin; nil before the first publish. A damaged key file
    /// does not stop an enrolment: it is logged, and the laptop keeps the key of its package.
    func pinnedReleaseKey(_ context: HubRequestContext) -> String? {
        guard let folder = limits.releases else { return nil }
        do { return try ReleaseShelf(folder: folder).pinnedKey()?.description } catch {
            context.logger.warning("the release key on the shelf is unreadable; enrolment goes on without it", metadata: ["error": "\(error)"])
            return nil
        }
    }

    func releaseFile(_ request: Request, _ context: HubRequestContext) async throws -> Response {
        _ = try context.requireDevice()
        let file = context.parameters.get("file") ?? ""
        guard let folder = limits.releases, let path = ReleaseShelf(folder: folder).path(of: file),
              let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? nil, size > 0  // Unreadable: not found.
        else { throw HubError.notFound("no published file \(file.prefix(80)) at this hub") }
        var (start, end) = (0, size - 1)
        if let range = request.headers[.range] {
            // One range, as a download in pieces asks: `bytes=N-` or `bytes=N-M`.
            let bounds = range.hasPrefix("bytes=") ? range.dropFirst(6).split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false) : []
            guard bounds.count == 2, let from = Int(bounds[0]), from >= 0, bounds[1].isEmpty || Int(bounds[1]).map({ $0 >= from }) == true else {
                throw HubError.invalidRequest("Range must be bytes=N- or bytes=N-M (a download in pieces)")
            }
            guard from < size else {
                return Response(status: .rangeNotSatisfiable, headers: [.contentRange: "bytes */\(size)"])
            }
            (start, end) = (from, min(size - 1, Int(bounds[1]) ?? size - 1))
        }
        let body = try await FileIO().loadFile(path: path, range: start...end, context: context)
        var headers: HTTPFields = [.contentType: "application/vnd.debian.binary-package", .acceptRanges: "bytes",
                                   .contentLength: "\(end - start + 1)"]
        let partial = request.headers[.range] != nil
        if partial { headers[.contentRange] = "bytes \(start)-\(end)/\(size)" }
        return Response(status: partial ? .partialContent : .ok, headers: headers, body: body)
    }
}
