import SyncCore

// The push answer through the fast JSON parser and writer (the bytes of the JSON form are
// `WireJSON.encoder`'s: sorted keys, absent members for nil).

extension PushResponse {
    /// The answer's bytes; with `compact`, its pull page's states are in the compact form (§6.3).
    public func encoded(compact: Bool = false) -> [UInt8] {
        var out = JSONWriter(capacity: 512 + (pull.map { (compact ? 400 : 1_200) * $0.records.count } ?? 0))
        out.raw("{\"alreadyKnown\":")
        out.int(alreadyKnown)
        out.raw(",\"batch\":")
        out.string(batch)
        if let certificate {
            out.raw(",\"certificate\":")
            certificate.write(to: &out)
        }
        if let conflictEntries {
            out.raw(",\"conflictEntries\":")
            out.array(conflictEntries) { $1.write(to: &$0) }
        }
        out.raw(",\"conflicts\":")
        out.int(conflicts)
        out.raw(",\"editVsDelete\":")
        out.int(editVsDelete)
        out.raw(",\"fastForward\":")
        out.int(fastForward)
        if let forgotten {
            out.raw(",\"forgotten\":")
            out.array(forgotten) { $0.string($1) }
        }
        if let highWater {
            out.raw(",\"highWater\":")
            out.int(highWater)
        }
        if let hubIncarnation {
            out.raw(",\"hubIncarnation\":")
            out.string(hubIncarnation)
        }
        out.raw(",\"hubSeq\":")
        out.int(hubSeq)
        out.raw(",\"merged\":")
        out.int(merged)
        if let pseudonymKeyVersion {
            out.raw(",\"pseudonymKeyVersion\":")
            out.int(pseudonymKeyVersion)
        }
        if let pull {
            out.raw(",\"pull\":")
            pull.write(to: &out, compact: compact)
        }
        out.raw(",\"received\":")
        out.int(received)
        out.raw(",\"rejected\":")
        out.array(rejected) { $1.write(to: &$0) }
        if let rejectedConflicts {
            out.raw(",\"rejectedConflicts\":")
            out.array(rejectedConflicts) { $1.write(to: &$0) }
        }
        if let revoked {
            out.raw(",\"revoked\":")
            out.array(revoked) { $0.string($1) }
        }
        out.raw("}")
        return out.bytes
    }

    /// Reads a push answer with the fast parser (its pull page in either form).
    public static func decode(_ bytes: [UInt8]) throws(WireDecodingError) -> PushResponse {
        try PushResponse(json: try JSONParser.parse(bytes))
    }

    /// Reads a push answer from parsed JSON.
    public init(json: JSONValue) throws(WireDecodingError) {
        guard case .object = json else { throw .invalid("the body should be an object") }
        func count(_ key: String, required: Bool = true) throws(WireDecodingError) -> Int? {
            guard let value = json[key] else {
                if required { throw .invalid(".\(key) is missing") }
                return nil
            }
            guard case .int(let n) = value, n >= 0, UInt64(n) <= WireLimits.maxCounter else {
                throw .invalid(".\(key) should be an integer from 0 to 2^53")
            }
            return Int(n)
        }
        func rejections(_ key: String) throws(WireDecodingError) -> [Rejection]? {
            guard let value = json[key] else { return nil }
            guard case .array(let items) = value else { throw .invalid(".\(key) should be an array") }
            return try items.enumerated().map { n, item throws(WireDecodingError) in
                guard case .string(let id)? = item["id"], case .string(let code)? = item["code"], case .string(let message)? = item["message"] else {
                    throw .invalid(".\(key)[\(n)] needs id, code and message")
                }
                return Rejection(id: id, code: code, message: message)
            }
        }
        guard case .string(let batch)? = json["batch"] else { throw .invalid(".batch should be a string") }
        guard let rejected = try rejections("rejected") else { throw .invalid(".rejected is missing") }
        var response = PushResponse(batch: batch, received: try count("received") ?? 0, alreadyKnown: try count("alreadyKnown") ?? 0,
                                    fastForward: try count("fastForward") ?? 0, conflicts: try count("conflicts") ?? 0,
                                    rejected: rejected, hubSeq: UInt64(try count("hubSeq") ?? 0))
        // A protocol-1 hub counted merged states and edits of deleted visits as conflicts.
        response.merged = try count("merged", required: false) ?? 0
        response.editVsDelete = try count("editVsDelete", required: false) ?? 0
        response.rejectedConflicts = try rejections("rejectedConflicts")
        if let value = json["conflictEntries"] {
            guard case .array(let entries) = value, entries.count <= WireLimits.maxPushConflicts else {
                throw .invalid(".conflictEntries should be an array of at most \(WireLimits.maxPushConflicts) entries")
            }
            response.conflictEntries = try entries.enumerated().map { n, entry throws(WireDecodingError) in
                try Conflict(json: entry, path: ".conflictEntries[\(n)]")
            }
        }
        if let value = json["hubIncarnation"] {
            guard case .string(let text) = value else { throw .invalid(".hubIncarnation should be a string") }
            response.hubIncarnation = text
        }
        response.highWater = try count("highWater", required: false).map(UInt64.init)
        response.pseudonymKeyVersion = try count("pseudonymKeyVersion", required: false)
        if let value = json["forgotten"] {
            guard case .array(let ids) = value, ids.count <= WireLimits.maxPushRecords else {
                throw .invalid(".forgotten should be an array of at most \(WireLimits.maxPushRecords) visit ids")
            }
            response.forgotten = try ids.map { id throws(WireDecodingError) in
                guard case .string(let text) = id else { throw .invalid(".forgotten should hold visit ids") }
                return text
            }
        }
        if let value = json["pull"] { response.pull = try PullPage(json: value) }
        if let value = json["certificate"] { response.certificate = try DeviceCertificate(json: value, path: ".certificate") }
        if let value = json["revoked"] {
            guard case .array(let ids) = value, ids.count <= 10_000 else { throw .invalid(".revoked should be an array of device ids") }
            response.revoked = try ids.map { id throws(WireDecodingError) in
                guard case .string(let text) = id else { throw .invalid(".revoked should hold device ids") }
                return text
            }
        }
        self = response
    }
}

extension Rejection {
    func write(to out: inout JSONWriter) {
        out.raw("{\"code\":")
        out.string(code)
        out.raw(",\"id\":")
        out.string(id)
        out.raw(",\"message\":")
        out.string(message)
        out.raw("}")
    }
}
