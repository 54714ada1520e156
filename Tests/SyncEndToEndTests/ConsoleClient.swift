import FieldSyncTesting
import Foundation

/// The hub's console as a browser without scripts uses it, over a plain socket: forms, the session cookie, redirects
/// followed by hand, the pages' own Origin on every post.
final class ConsoleClient {
    let port: Int
    private(set) var cookies: [String: String] = [:]

    init(port: Int) { self.port = port }

    /// One request; redirects of GETs are followed (at most 5), a POST's answer is returned as it came.
    func go(_ path: String, form: [String: String]? = nil) throws -> (status: Int, location: String?, body: String) {
        var path = path
        for _ in 0..<5 {
            let answer = try send(form == nil ? "GET" : "POST", path, form: form)
            guard form == nil, (300..<400).contains(answer.status), let next = answer.location else { return answer }
            path = next
        }
        throw HubFailure("too many redirects from \(path)")
    }

    /// The form token of a page.
    func csrf(on path: String) throws -> String {
        let html = try go(path).body
        guard let range = html.range(of: #"name="csrf" value="[0-9a-f]{64}""#, options: .regularExpression) else {
            throw HubFailure("no form token on \(path)")
        }
        return String(html[range].dropFirst(19).dropLast())
    }

    private func send(_ method: String, _ path: String, form: [String: String]?) throws -> (status: Int, location: String?, body: String) {
        var components = URLComponents()
        components.queryItems = (form ?? [:]).sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value) }
        let body = (components.percentEncodedQuery ?? "").replacingOccurrences(of: "+", with: "%2B")
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
        if !cookies.isEmpty { head += "Cookie: " + cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") + "\r\n" }
        if form != nil {
            head += "Origin: http://127.0.0.1:\(port)\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: \(body.utf8.count)\r\n"
        }
        let socket = try RawSocket(port: port)
        socket.send(head + "\r\n" + (form == nil ? "" : body))
        let (text, _) = socket.read(seconds: 30, limit: 8 << 20)
        guard let split = text.range(of: "\r\n\r\n") else { throw HubFailure("no answer to \(method) \(path): \(text.prefix(200))") }
        let lines = text[..<split.lowerBound].components(separatedBy: "\r\n")
        let status = Int(lines.first?.split(separator: " ").dropFirst().first ?? "") ?? 0
        var location: String?
        var chunked = false
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].lowercased(), value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            if name == "location" { location = value }
            if name == "transfer-encoding", value.contains("chunked") { chunked = true }
            if name == "set-cookie", let pair = value.split(separator: ";").first, let equals = pair.firstIndex(of: "=") {
                cookies[String(pair[..<equals])] = String(pair[pair.index(after: equals)...])
            }
        }
        // The console's pages are whole buffers, sent with their length.
        guard !chunked else { throw HubFailure("\(method) \(path) answered in chunks, which this client does not read") }
        let content = String(text[split.upperBound...])
        return (status, location, content)
    }
}
