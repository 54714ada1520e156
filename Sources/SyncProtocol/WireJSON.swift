#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// JSON as the protocol writes and reads it, with errors mapped to the protocol's codes.
public enum WireJSON {
    /// The encoder for every body: compact, sorted keys (signatures depend on it), slashes unescaped.
    public static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// Decodes a body.
    /// - Throws: `WireDecodingError.malformed` for text that is not JSON (or is cut short),
    ///   `.invalid` for JSON of the wrong shape, each with a readable reason.
    public static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws(WireDecodingError) -> T {
        // The strict reader first: it refuses what Foundation's would quietly accept (duplicate member
        // names, which it resolves one way while another reader resolves them the other).
        _ = try JSONParser.parse(Array(data))
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch let DecodingError.dataCorrupted(context) where context.codingPath.isEmpty {
            throw .malformed(context.underlyingError.map { "\($0)" } ?? context.debugDescription)
        } catch let DecodingError.dataCorrupted(context) {
            throw .invalid("\(path(context.codingPath)): \(context.debugDescription)")
        } catch let DecodingError.keyNotFound(key, context) {
            throw .invalid("\(path(context.codingPath + [key])) is missing")
        } catch let DecodingError.typeMismatch(expected, context) {
            throw .invalid("\(path(context.codingPath)) should be \(expected)")
        } catch let DecodingError.valueNotFound(expected, context) {
            throw .invalid("\(path(context.codingPath)) should be \(expected), not null")
        } catch {
            throw .malformed("\(error)")
        }
    }

    static func path(_ keys: [any CodingKey]) -> String {
        keys.isEmpty ? "the body" : keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
    }
}

/// Why a body could not be decoded.
public enum WireDecodingError: Error, Equatable, CustomStringConvertible {
    /// Not JSON at all, or cut short.
    case malformed(String)
    /// JSON, but not of the expected shape.
    case invalid(String)

    public var description: String {
        switch self {
        case .malformed(let detail): "not valid JSON: \(detail)"
        case .invalid(let detail): detail
        }
    }
}
