#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SyncProtocol

/// What a laptop's bundle carries: everything the hub has not acknowledged, as the pushes of a sync.
public struct PushBundle: Codable, Sendable {
    /// The bundle's id (random; the hub refuses one it already imported).
    public var bundle: String
    /// The device that wrote it.
    public var device: String
    /// When it was written, and until when the hub takes it.
    public var created: String
    public var expires: String
    /// The laptop's pull cursor: the answer carries what changed at the hub after it.
    public var pullAfter: UInt64
    /// The batches, in order.
    public var batches: [PushRequest]

    /// Makes a bundle body.
    public init(bundle: String, device: String, created: String, expires: String, pullAfter: UInt64, batches: [PushRequest]) {
        self.bundle = bundle
        self.device = device
        self.created = created
        self.expires = expires
        self.pullAfter = pullAfter
        self.batches = batches
    }
}

/// What the hub sends back: each batch's answer and the commune's changes after the laptop's cursor.
public struct AnswerBundle: Codable, Sendable {
    /// The bundle answered, and the device it came from.
    public var bundle: String
    public var device: String
    public var created: String
    /// One answer per batch, in order.
    public var responses: [PushResponse]
    /// Pages after the bundle's cursor (the laptop's own states left out, §6.2).
    public var pages: [PullPage]
    /// The record kinds the hub knows, as `GET /v1/kinds` answers (its JSON text), and how many versions it has
    /// published; nil while it has published none (§12).
    public var kinds: String?
    public var kindsPublished: Int?

    /// Makes an answer body.
    public init(bundle: String, device: String, created: String, responses: [PushResponse], pages: [PullPage],
                kinds: String? = nil, kindsPublished: Int? = nil) {
        self.bundle = bundle
        self.device = device
        self.created = created
        self.responses = responses
        self.pages = pages
        self.kinds = kinds
        self.kindsPublished = kindsPublished
    }
}

extension PushBundle {
    /// The body bytes (those `WireJSON.encoder` writes), written with the wire's fast writer.
    public func encoded() -> [UInt8] {
        var out = JSONWriter(capacity: batches.reduce(256) { $0 + 1_200 * $1.records.count + 256 })
        out.raw("{\"batches\":")
        out.array(batches) { $0.json($1.encoded()) }
        out.raw(",\"bundle\":")
        out.string(bundle)
        out.raw(",\"created\":")
        out.string(created)
        out.raw(",\"device\":")
        out.string(device)
        out.raw(",\"expires\":")
        out.string(expires)
        out.raw(",\"pullAfter\":")
        out.int(pullAfter)
        out.raw("}")
        return out.bytes
    }

    /// Reads a body parsed by the wire's fast parser.
    public init(json: JSONValue) throws(WireDecodingError) {
        guard case .string(let bundle)? = json["bundle"], case .string(let device)? = json["device"],
              case .string(let created)? = json["created"], case .string(let expires)? = json["expires"]
        else { throw .invalid("a bundle names its id, device, creation and expiry (strings)") }
        guard case .int(let pullAfter)? = json["pullAfter"], pullAfter >= 0, UInt64(pullAfter) <= WireLimits.maxCounter else {
            throw .invalid(".pullAfter should be an integer from 0 to 2^53")
        }
        guard case .array(let items)? = json["batches"] else { throw .invalid(".batches should be an array of pushes") }
        let batches = try items.map { item throws(WireDecodingError) in try PushRequest(json: item) }
        self.init(bundle: bundle, device: device, created: created, expires: expires, pullAfter: UInt64(pullAfter), batches: batches)
    }
}

extension AnswerBundle {
    /// The body bytes (those `WireJSON.encoder` writes), written with the wire's fast writer.
    public func encoded() -> [UInt8] {
        var out = JSONWriter(capacity: pages.reduce(1_024) { $0 + 1_200 * $1.records.count + 256 })
        out.raw("{\"bundle\":")
        out.string(bundle)
        out.raw(",\"created\":")
        out.string(created)
        out.raw(",\"device\":")
        out.string(device)
        if let kinds, let kindsPublished {
            out.raw(",\"kinds\":")
            out.string(kinds)
            out.raw(",\"kindsPublished\":")
            out.int(kindsPublished)
        }
        out.raw(",\"pages\":")
        out.array(pages) { $0.json($1.encoded()) }
        out.raw(",\"responses\":")
        out.array(responses) { $0.json($1.encoded()) }
        out.raw("}")
        return out.bytes
    }

    /// Reads a body with the wire's fast parser.
    public static func decode(_ bytes: [UInt8]) throws(WireDecodingError) -> AnswerBundle {
        let json = try JSONParser.parse(bytes)
        guard case .string(let bundle)? = json["bundle"], case .string(let device)? = json["device"], case .string(let created)? = json["created"]
        else { throw .invalid("an answer names its bundle, device and creation (strings)") }
        guard case .array(let responses)? = json["responses"], case .array(let pages)? = json["pages"] else {
            throw .invalid("an answer holds responses and pages (arrays)")
        }
        var kinds: String?, published: Int?
        if case .string(let text)? = json["kinds"], case .int(let count)? = json["kindsPublished"], count >= 0, count <= 100_000 {
            (kinds, published) = (text, Int(count))
        }
        return AnswerBundle(bundle: bundle, device: device, created: created,
                            responses: try responses.map { item throws(WireDecodingError) in try PushResponse(json: item) },
                            pages: try pages.map { item throws(WireDecodingError) in try PullPage(json: item) },
                            kinds: kinds, kindsPublished: published)
    }
}
