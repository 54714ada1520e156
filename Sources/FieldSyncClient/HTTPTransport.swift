import Foundation
import SyncProtocol
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// One HTTP exchange's answer.
public struct HTTPAnswer: Sendable {
    public let status: Int
    public let body: Data
    /// The hub's `Date` header, parsed, when present.
    public let date: Date?
    /// What the hub takes in request bodies: its content codings (its `Accept-Encoding`, RFC 7694),
    /// lowercased, and `compact` when its `Accept-Post` names the compact form (§6.3).
    public var acceptsEncodings: Set<String> = []
    /// How many kind versions the hub has published (its `FieldSync-Kinds` header), when it says.
    public var kinds: Int?
    /// The body's size on the wire (its `Content-Length`: compressed, when it was), else its decoded size.
    public var wireBytes: Int

    /// Makes an answer.
    public init(status: Int, body: Data, date: Date?, acceptsEncodings: Set<String> = [], wireBytes: Int? = nil) {
        self.status = status
        self.body = body
        self.date = date
        self.acceptsEncodings = acceptsEncodings
        self.wireBytes = wireBytes ?? body.count
    }
}

/// Something that sends the client's HTTP requests (the simulator wraps one to inject faults).
public protocol HTTPSending: Sendable {
    /// Sends a request and collects the answer; throws `SyncError.unreachable` when none came.
    /// - Parameters:
    ///   - type: the body's `Content-Type` (nil: `application/json`).
    ///   - encoding: the body's `Content-Encoding` (`gzip`), nil for a plain body.
    func send(_ method: String, _ url: URL, token: String?, body: Data?, type: String?, encoding: String?) async throws -> HTTPAnswer
    /// Whether the client compresses bodies and folds the pull into the push (false: as a client of protocol 3).
    var compressesBodies: Bool { get }
}

extension HTTPSending {
    /// Compressing, by default.
    public var compressesBodies: Bool { true }

    /// Sends a request with a plain body.
    public func send(_ method: String, _ url: URL, token: String?, body: Data?) async throws -> HTTPAnswer {
        try await send(method, url, token: token, body: body, type: nil, encoding: nil)
    }
}

/// Sends HTTP requests to the hub (URLSession; HTTPS works as well as loopback HTTP).
public struct HTTPTransport: HTTPSending {
    let session: URLSession
    /// Whether answers may come compressed (false: `Accept-Encoding: identity`, as clients of protocol 3).
    public let compressing: Bool
    /// Not with `$FIELDSYNC_WIRE=plain`.
    public var compressesBodies: Bool { compressing }

    /// A transport with a per-request timeout.
    /// - Parameter compressing: ask for compressed answers (default: unless `$FIELDSYNC_WIRE` is `plain`).
    public init(timeout: TimeInterval = 60, compressing: Bool = ProcessInfo.processInfo.environment["FIELDSYNC_WIRE"] != "plain") {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        session = URLSession(configuration: configuration)
        self.compressing = compressing
    }

    /// Sends a request and collects the answer.
    /// - Throws: `SyncError.unreachable` when no answer came (no network, hub down, cut connection).
    public func send(_ method: String, _ url: URL, token: String?, body: Data?, type: String?, encoding: String?) async throws -> HTTPAnswer {
        try await send(method, url, token: token, body: body, type: type, encoding: encoding, headers: [:])
    }

    /// Sends a request with `headers` besides the ones every request carries (a download in pieces adds `Range`).
    public func send(_ method: String, _ url: URL, token: String?, body: Data?, type: String?, encoding: String?,
                     headers: [String: String]) async throws -> HTTPAnswer {
        var request = URLRequest(url: url)
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        request.httpMethod = method
        request.httpBody = body
        if body != nil { request.setValue(type ?? "application/json", forHTTPHeaderField: "Content-Type") }
        if let encoding { request.setValue(encoding, forHTTPHeaderField: "Content-Encoding") }
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        // Every request names this program's version and protocol (§8.2): the hub may refuse one too old.
        request.setValue(FieldSyncVersion.headerValue, forHTTPHeaderField: FieldSyncVersion.header)
        // URLSession (libcurl) asks for compressed answers and inflates them itself; `plain` asks for none.
        if compressing {
            request.setValue("\(CompactStates.mediaType), application/json;q=0.9", forHTTPHeaderField: "Accept")
        } else {
            request.setValue("identity", forHTTPHeaderField: "Accept-Encoding")
        }
        do {
            let (data, response) = try await session.data(for: request)
            guard let http = response as? HTTPURLResponse else { throw SyncError.unreachable(url.absoluteString, "no HTTP answer") }
            let date = http.value(forHTTPHeaderField: "Date").flatMap(Self.parseHTTPDate)
            var accepts = Set((http.value(forHTTPHeaderField: "Accept-Encoding") ?? "").lowercased().split(separator: ",")
                .map { $0.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? "" }.filter { !$0.isEmpty })
            if CompactStates.isAccepted(http.value(forHTTPHeaderField: "Accept-Post")) { accepts.insert(CompactStates.token) }
            var answer = HTTPAnswer(status: http.statusCode, body: data, date: date, acceptsEncodings: accepts,
                                    wireBytes: http.value(forHTTPHeaderField: "Content-Length").flatMap(Int.init))
            answer.kinds = http.value(forHTTPHeaderField: "FieldSync-Kinds").flatMap(Int.init)
            return answer
        } catch let error as SyncError {
            throw error
        } catch {
            throw SyncError.unreachable(url.host ?? url.absoluteString, error.localizedDescription)
        }
    }

    static func parseHTTPDate(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: text)
    }
}
