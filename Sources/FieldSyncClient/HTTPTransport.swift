import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// One HTTP exchange's answer.
public struct HTTPAnswer: Sendable {
    public let status: Int
    public let body: Data
    /// The hub's `Date` header, parsed, when present.
    public let date: Date?

    /// Makes an answer.
    public init(status: Int, body: Data, date: Date?) {
        self.status = status
        self.body = body
        self.date = date
    }
}

/// Something that sends the client's HTTP requests (the simulator wraps one to inject faults).
public protocol HTTPSending: Sendable {
    /// Sends a request and collects the answer; throws `SyncError.unreachable` when none came.
    func send(_ method: String, _ url: URL, token: String?, body: Data?) async throws -> HTTPAnswer
}

/// Sends HTTP requests to the hub (URLSession; HTTPS works as well as loopback HTTP).
public struct HTTPTransport: HTTPSending {
    let session: URLSession

    /// A transport with a per-request timeout.
    public init(timeout: TimeInterval = 60) {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        session = URLSession(configuration: configuration)
    }

    /// Sends a request and collects the answer.
    /// - Throws: `SyncError.unreachable` when no answer came (no network, hub down, cut connection).
    public func send(_ method: String, _ url: URL, token: String?, body: Data?) async throws -> HTTPAnswer {
        var request = URLRequest(url: url)
        request.httpMethod = method
        request.httpBody = body
        if body != nil { request.setValue("application/json", forHTTPHeaderField: "Content-Type") }
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        do {
            let (data, response) = try await session.data(for: request)
            guard let http = response as? HTTPURLResponse else { throw SyncError.unreachable(url.absoluteString, "no HTTP answer") }
            let date = http.value(forHTTPHeaderField: "Date").flatMap(Self.parseHTTPDate)
            return HTTPAnswer(status: http.statusCode, body: data, date: date)
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
