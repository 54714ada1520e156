import Foundation
import PostgresNIO

/// Where a PostgreSQL hub store lives, from a `postgres://` URL: `postgres://user:password@host:port/db`,
/// or over a unix socket, `postgres://user@/db?host=/var/run/postgresql` (as libpq writes it), with
/// `sslmode=disable|prefer|require` (default: prefer on TCP, none on a socket).
public struct PostgresLocation: Sendable, Equatable {
    public var host: String?
    public var port: Int
    public var socket: String?
    public var user: String
    public var password: String?
    public var database: String
    public var sslMode: String

    /// Whether a store argument names PostgreSQL rather than a SQLite file.
    public static func isURL(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    /// Parses a URL. - Throws: `PostgresLocationError` naming what is wrong.
    public init(url text: String) throws(PostgresLocationError) {
        guard Self.isURL(text), let components = URLComponents(string: text) else {
            throw PostgresLocationError("\(text.prefix(80)) is not a postgres:// URL: write postgres://user:password@host:5432/database")
        }
        let query = Dictionary((components.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { _, b in b })
        socket = query["host"].flatMap { $0.hasPrefix("/") ? $0 : nil }
        host = components.host.flatMap { $0.isEmpty ? nil : $0 } ?? (socket == nil ? "127.0.0.1" : nil)
        port = components.port ?? Int(query["port"] ?? "") ?? 5432
        user = components.user.flatMap { $0.removingPercentEncoding } ?? query["user"]
            ?? ProcessInfo.processInfo.environment["USER"] ?? "postgres"
        password = components.password.flatMap { $0.removingPercentEncoding } ?? query["password"]
        database = String(components.path.drop(while: { $0 == "/" })).removingPercentEncoding ?? ""
        sslMode = query["sslmode"] ?? (socket == nil ? "prefer" : "disable")
        guard !database.isEmpty else { throw PostgresLocationError("the URL names no database: end it with /database") }
        guard ["disable", "prefer", "require"].contains(sslMode) else {
            throw PostgresLocationError("sslmode must be disable, prefer or require")
        }
    }

    /// The URL without its password, for logs and messages.
    public var redacted: String {
        let place = socket.map { "@/\(database)?host=\($0)" } ?? "@\(host ?? ""):\(port)/\(database)"
        return "postgres://\(user)\(password == nil ? "" : ":***")\(place)"
    }

    /// The client configuration.
    func configuration(connections: Int) -> PostgresClient.Configuration {
        var configuration: PostgresClient.Configuration
        if let socket {
            let path = socket.hasSuffix(".s.PGSQL.\(port)") ? socket : socket + "/.s.PGSQL.\(port)"
            configuration = .init(unixSocketPath: path, username: user, password: password, database: database)
        } else {
            let tls: PostgresClient.Configuration.TLS = switch sslMode {
            case "disable": .disable
            case "require": .require(.makeClientConfiguration())
            default: .prefer(.makeClientConfiguration())
            }
            configuration = .init(host: host ?? "127.0.0.1", port: port, username: user, password: password, database: database, tls: tls)
        }
        configuration.options.maximumConnections = connections
        configuration.options.connectTimeout = .seconds(10)
        return configuration
    }
}

/// A `postgres://` URL that cannot be used.
public struct PostgresLocationError: Error, CustomStringConvertible, Equatable {
    public let description: String
    init(_ description: String) { self.description = description }
}
