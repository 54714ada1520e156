import Foundation
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

    /// Makes an answer body.
    public init(bundle: String, device: String, created: String, responses: [PushResponse], pages: [PullPage]) {
        self.bundle = bundle
        self.device = device
        self.created = created
        self.responses = responses
        self.pages = pages
    }
}
