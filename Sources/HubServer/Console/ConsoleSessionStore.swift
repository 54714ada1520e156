import Foundation
import Hummingbird
import HubCore
import HubSQLite

/// Where hummingbird-auth's session middleware keeps console sessions: the hub's store, so every hub
/// process behind a load balancer knows every session and a restart signs no one out. Keys are
/// kept as SHA-256 hashes: a copy of the store does not hand out live sessions.
struct ConsoleSessionStore: PersistDriver {
    let service: any HubStorage

    func create<Object: Codable & Sendable>(key: String, value: Object, expires: Duration?) async throws {
        try await set(key: key, value: value, expires: expires)
    }

    func set<Object: Codable & Sendable>(key: String, value: Object, expires: Duration?) async throws {
        let json = String(decoding: try JSONEncoder().encode(value), as: UTF8.self)
        let now = service.clock.now()
        try await service.saveConsoleSession(Hub.sha256Hex(key), value: json,
                                             expiresAt: expires.map { now.addingTimeInterval(Double($0.components.seconds)) }, now: now)
    }

    func get<Object: Codable & Sendable>(key: String, as: Object.Type) async throws -> Object? {
        try await getWithTTL(key: key, as: Object.self)?.object
    }

    func getWithTTL<Object: Codable & Sendable>(key: String, as: Object.Type) async throws -> (object: Object, ttl: Duration?)? {
        let now = service.clock.now()
        guard let stored = try await service.consoleSession(Hub.sha256Hex(key), now: now) else { return nil }
        // Losing this error is safe: a value that is not this type is no session of ours (an older
        // format): the coordinator is asked to sign in again, nothing is lost.
        guard let object = try? JSONDecoder().decode(Object.self, from: Data(stored.value.utf8)) else { return nil }
        return (object, stored.expiresAt.map { .seconds(max(0, $0.timeIntervalSince(now))) })
    }

    func remove(key: String) async throws {
        try await service.removeConsoleSession(Hub.sha256Hex(key))
    }

    func run() async throws {}
}
