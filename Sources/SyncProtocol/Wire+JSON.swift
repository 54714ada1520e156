import SyncCore
import TextSafety

// The sync payloads through the fast JSON parser and writer. The bytes written are identical to
// `WireJSON.encoder`'s (sorted keys), and the rules read are the JSON Schemas' (Protocol/schemas/).

extension FieldValue {
    /// Reads a register value: null, a boolean, an integer, a string, or an object of those.
    init(json: JSONValue, path: @autoclosure () -> String) throws(WireDecodingError) {
        switch json {
        case .null: self = .null
        case .bool(let b): self = .bool(b)
        case .int(let i): self = .int(i)
        case .string(let s): self = .text(s)
        case .object(let members):
            var object: [String: FieldValue] = [:]
            for (key, value) in members { object[key] = try FieldValue(json: value, path: path() + "." + key) }
            self = .object(object)
        case .double, .array:
            throw .invalid("\(path()): a field value must be null, a boolean, an integer, a string or an object")
        }
    }

    /// Writes the value; a string of `shared` as `[index]` (the compact form's strings table, §6.3).
    func write(to out: inout JSONWriter, shared: [CompactStates.Key: Int] = [:]) {
        switch self {
        case .null: out.raw("null")
        case .bool(let b): out.bool(b)
        case .int(let i): out.int(i)
        case .text(let s):
            if !shared.isEmpty, let n = shared[CompactStates.Key(s)] {
                out.raw("[")
                out.int(n)
                out.raw("]")
            } else {
                out.string(s)
            }
        case .object(let members):
            out.raw("{")
            for (n, key) in members.keys.sorted().enumerated() {
                if n > 0 { out.comma() }
                out.key(key)
                (members[key] ?? .null).write(to: &out, shared: shared)
            }
            out.raw("}")
        }
    }
}

extension VersionVector {
    init(json: JSONValue, path: @autoclosure () -> String) throws(WireDecodingError) {
        guard case .object(let members) = json else { throw .invalid("\(path()) should be an object of replica ids to seqs") }
        guard members.count <= WireLimits.maxVectorEntries else {
            throw .invalid("\(path()) has more than \(WireLimits.maxVectorEntries) entries")
        }
        var pairs: [(ReplicaID, UInt64)] = []
        pairs.reserveCapacity(members.count)
        for (key, value) in members {
            guard let replica = ReplicaID(key), replica.rawValue != 0 else {
                throw .invalid("\(path()): \(SafeText.quote(key, limit: 40)) is not a replica id (16 lowercase hex digits, not all zero)")
            }
            guard case .int(let seq) = value, seq >= 1, UInt64(seq) <= VersionVector.maxSeq else {
                throw .invalid("\(path()).\(key) should be an integer from 1 to 2^53")
            }
            pairs.append((replica, UInt64(seq)))
        }
        self.init(pairs)
    }

    func write(to out: inout JSONWriter) {
        out.raw("{")
        for (n, entry) in entries.enumerated() {
            if n > 0 { out.comma() }
            out.key(entry.replica.description)
            out.int(entry.seq)
        }
        out.raw("}")
    }
}

extension Register {
    init(json: JSONValue, path: @autoclosure () -> String) throws(WireDecodingError) {
        guard case .object = json else { throw .invalid("\(path()) should be an object with value and stamp") }
        guard case .string(let text)? = json["stamp"], let stamp = Stamp(text) else {
            throw .invalid("\(path()).stamp should be a stamp (12-8-16 lowercase hex digits)")
        }
        var seq: UInt64 = 0
        if let value = json["seq"] {
            guard case .int(let n) = value, n >= 1, UInt64(n) <= VersionVector.maxSeq else {
                throw .invalid("\(path()).seq should be an integer from 1 to 2^53")
            }
            seq = UInt64(n)
        }
        self.init(value: try json["value"].map { v throws(WireDecodingError) in try FieldValue(json: v, path: path() + ".value") } ?? .null,
                  stamp: stamp, seq: seq)
    }

    func write(to out: inout JSONWriter) {
        out.raw("{")
        if seq > 0 {
            out.key("seq")
            out.int(seq)
            out.comma()
        }
        out.key("stamp")
        out.string(stamp.description)
        out.comma()
        out.key("value")
        value.write(to: &out)
        out.raw("}")
    }
}

extension RecordState {
    /// Reads a record state.
    public init(json: JSONValue, path: @autoclosure () -> String = "the record") throws(WireDecodingError) {
        guard case .object = json else { throw .invalid("\(path()) should be an object") }
        guard case .string(let id)? = json["id"], !id.isEmpty, id.utf8.count <= 64 else {
            throw .invalid("\(path()).id should be a string of 1 to 64 characters")
        }
        guard let version = json["version"] else { throw .invalid("\(path()).version is missing") }
        guard case .object(let members)? = json["fields"] else { throw .invalid("\(path()).fields should be an object") }
        guard members.count <= Self.maxFields else { throw .invalid("\(path()).fields has more than \(Self.maxFields) fields") }
        var registers: [String: Register] = [:]
        registers.reserveCapacity(members.count)
        for (name, value) in members {
            guard Self.isFieldName(name) else {
                throw .invalid("\(path()).fields: \(SafeText.quote(name, limit: 40)) is not a field name (a letter, then up to 31 letters, digits or _)")
            }
            registers[name] = try Register(json: value, path: path() + ".fields." + name)
        }
        var kind = Self.visitKind
        if let member = json["kind"] {
            guard case .string(let name) = member, Self.isKindName(name) else {
                throw .invalid("\(path()).kind should be a kind name (a lowercase letter, then up to 31 lowercase letters, digits or -)")
            }
            kind = name
        }
        self.init(id: id, kind: kind, registers: registers, version: try VersionVector(json: version, path: path() + ".version"))
    }

    /// Reads a body's states: `records` in the JSON form or `states` in the compact form (§6.3), exactly one.
    static func list(in json: JSONValue, limit: Int, what: String) throws(WireDecodingError) -> [RecordState] {
        switch (json["records"], json["states"]) {
        case (.array(let items)?, nil):
            guard items.count <= limit else { throw .invalid("\(what) carries at most \(limit) records, this one \(items.count)") }
            var records: [RecordState] = []
            records.reserveCapacity(items.count)
            for (n, item) in items.enumerated() { records.append(try RecordState(json: item, path: ".records[\(n)]")) }
            return records
        case (nil, let states?):
            return try CompactStates.read(states, limit: limit, path: ".states")
        case (_?, _?):
            throw .invalid("\(what) carries its records once: .records (JSON form) or .states (compact form), not both")
        default:
            throw .invalid(".records should be an array")
        }
    }

    /// Whether a text is a field name the protocol allows: `^[A-Za-z][A-Za-z0-9_]{0,31}$`.
    static func isFieldName(_ name: String) -> Bool {
        let bytes = name.utf8
        guard let first = bytes.first, bytes.count <= 32, (65...90).contains(first) || (97...122).contains(first) else { return false }
        return bytes.allSatisfy { (48...57).contains($0) || (65...90).contains($0) || (97...122).contains($0) || $0 == 95 }
    }

    /// Writes the state.
    public func write(to out: inout JSONWriter) {
        out.raw("{\"fields\":{")
        for (n, field) in fields.enumerated() {
            if n > 0 { out.comma() }
            out.key(field.name)
            field.register.write(to: &out)
        }
        out.raw("},\"id\":")
        out.string(id)
        if kind != Self.visitKind {
            out.raw(",\"kind\":")
            out.string(kind)
        }
        out.raw(",\"version\":")
        version.write(to: &out)
        out.raw("}")
    }
}

extension Conflict {
    init(json: JSONValue, path: @autoclosure () -> String) throws(WireDecodingError) {
        guard case .string(let record)? = json["record"], case .array(let items)? = json["fields"],
              let stored = json["storedVersion"], let incoming = json["incomingVersion"],
              case .string(let detectedText)? = json["detectedBy"], let detectedBy = ReplicaID(detectedText)
        else { throw .invalid("\(path()) is not a conflict entry") }
        guard items.count <= RecordState.maxFields else { throw .invalid("\(path()).fields has too many entries") }
        var fields: [FieldDifference] = []
        for (n, item) in items.enumerated() {
            guard case .string(let name)? = item["field"], case .string(let winnerText)? = item["winner"],
                  let winner = Side(rawValue: winnerText)
            else { throw .invalid("\(path()).fields[\(n)] needs field and winner") }
            func register(_ key: String) throws(WireDecodingError) -> Register? {
                guard let value = item[key], value != .null else { return nil }
                return try Register(json: value, path: path() + ".fields[\(n)].\(key)")
            }
            fields.append(FieldDifference(field: name, stored: try register("stored"), incoming: try register("incoming"), winner: winner))
        }
        var kind = Kind.conflict
        if let value = json["kind"] {
            guard case .string(let text) = value, let parsed = Kind(rawValue: text) else {
                throw .invalid("\(path()).kind should be conflict or edit-vs-delete")
            }
            kind = parsed
        }
        let computed = Conflict(kind: kind, record: record, fields: fields,
                                storedVersion: try VersionVector(json: stored, path: path() + ".storedVersion"),
                                incomingVersion: try VersionVector(json: incoming, path: path() + ".incomingVersion"),
                                detectedBy: detectedBy)
        guard case .string(let claimed)? = json["id"] else { throw .invalid("\(path()).id is missing or not a string") }
        guard computed.accepts(id: claimed) else {
            throw .invalid("\(path()).id \(SafeText.quote(claimed, limit: 40)) does not match its record and writes")
        }
        self.init(id: claimed, kind: kind, record: record, fields: computed.fields, storedVersion: computed.storedVersion,
                  incomingVersion: computed.incomingVersion, detectedBy: detectedBy)
    }

    func write(to out: inout JSONWriter) {
        out.raw("{\"detectedBy\":")
        out.string(detectedBy.description)
        out.raw(",\"fields\":[")
        for (n, field) in fields.enumerated() {
            if n > 0 { out.comma() }
            out.raw("{\"field\":")
            out.string(field.field)
            out.raw(",\"incoming\":")
            if let incoming = field.incoming { incoming.write(to: &out) } else { out.raw("null") }
            out.raw(",\"stored\":")
            if let stored = field.stored { stored.write(to: &out) } else { out.raw("null") }
            out.raw(",\"winner\":")
            out.string(field.winner.rawValue)
            out.raw("}")
        }
        out.raw("],\"id\":")
        out.string(id)
        out.raw(",\"incomingVersion\":")
        incomingVersion.write(to: &out)
        out.raw(",\"kind\":")
        out.string(kind.rawValue)
        out.raw(",\"record\":")
        out.string(record)
        out.raw(",\"storedVersion\":")
        storedVersion.write(to: &out)
        out.raw("}")
    }
}

extension PushRequest {
    /// Reads a push body with the fast parser.
    public static func decode(_ bytes: [UInt8]) throws(WireDecodingError) -> PushRequest {
        try PushRequest(json: try JSONParser.parse(bytes))
    }

    /// Reads a push body from parsed JSON.
    public init(json: JSONValue) throws(WireDecodingError) {
        guard case .object = json else { throw .invalid("the body should be an object") }
        guard case .string(let replicaText)? = json["replica"], let replica = ReplicaID(replicaText) else {
            throw .invalid(".replica should be a replica id (16 lowercase hex digits)")
        }
        guard case .int(let seq)? = json["seq"], seq >= 0, UInt64(seq) <= WireLimits.maxCounter else {
            throw .invalid(".seq should be an integer from 0 to 2^53")
        }
        guard case .string(let batch)? = json["batch"], !batch.isEmpty, batch.utf8.count <= 64 else {
            throw .invalid(".batch should be a string of 1 to 64 characters")
        }
        var unsynced: Int?
        if let value = json["unsynced"] {
            guard case .int(let n) = value, n >= 0, UInt64(n) <= WireLimits.maxCounter else {
                throw .invalid(".unsynced should be an integer from 0 to 2^53")
            }
            unsynced = Int(n)
        }
        let records = try RecordState.list(in: json, limit: WireLimits.maxPushRecords, what: "a push")
        var conflicts: [Conflict]?
        if let value = json["conflicts"] {
            guard case .array(let entries) = value else { throw .invalid(".conflicts should be an array") }
            guard entries.count <= WireLimits.maxPushConflicts else {
                throw .invalid("a push carries at most \(WireLimits.maxPushConflicts) conflict entries, this one \(entries.count)")
            }
            conflicts = []
            for (n, entry) in entries.enumerated() { conflicts?.append(try Conflict(json: entry, path: ".conflicts[\(n)]")) }
        }
        var pullAfter: UInt64?
        if let value = json["pullAfter"] {
            guard case .int(let n) = value, n >= 0, UInt64(n) <= WireLimits.maxCounter else {
                throw .invalid(".pullAfter should be an integer from 0 to 2^53")
            }
            pullAfter = UInt64(n)
        }
        var sync: String?
        if let value = json["sync"] {
            guard case .string(let text) = value, PushRequest.isSession(text) else {
                throw .invalid(".sync should be 1 to 64 letters, digits or -")
            }
            sync = text
        }
        var writes: [WriteRef]?
        if let value = json["writes"] {
            guard case .array(let items) = value, items.count <= PushRequest.maxWrites else {
                throw .invalid(".writes should be an array of at most \(PushRequest.maxWrites) writes")
            }
            writes = try items.enumerated().map { n, item throws(WireDecodingError) in
                guard case .object = item, case .string(let record)? = item["record"], case .int(let seq)? = item["seq"], seq > 0,
                      case .string(let stampText)? = item["stamp"], let stamp = Stamp(stampText) else {
                    throw .invalid(".writes[\(n)] needs record, seq (from 1) and stamp")
                }
                let write = WriteRef(record: record, seq: UInt64(seq), stamp: stamp)
                guard write.isValid, stamp.replica == replica else {
                    throw .invalid(".writes[\(n)] should name a record of 1 to 64 characters and a write of the pushing replica")
                }
                return write
            }
        }
        self.init(replica: replica, seq: UInt64(seq), batch: batch, unsynced: unsynced, records: records, conflicts: conflicts,
                  pullAfter: pullAfter, sync: sync, writes: writes)
    }

    /// The body bytes (identical to `WireJSON.encoder`'s in the JSON form).
    /// - Parameter compact: the states in the compact form (§6.3), as `states`.
    public func encoded(compact: Bool = false) -> [UInt8] {
        var out = JSONWriter(capacity: (compact ? 400 : 1_200) * records.count + 256)
        out.raw("{\"batch\":")
        out.string(batch)
        if let conflicts {
            out.raw(",\"conflicts\":")
            out.array(conflicts) { $1.write(to: &$0) }
        }
        if let pullAfter {
            out.raw(",\"pullAfter\":")
            out.int(pullAfter)
        }
        if !compact {
            out.raw(",\"records\":")
            out.array(records) { $1.write(to: &$0) }
        }
        out.raw(",\"replica\":")
        out.string(replica.description)
        out.raw(",\"seq\":")
        out.int(seq)
        if compact {
            out.raw(",\"states\":")
            CompactStates.write(records, to: &out)
        }
        if let sync {
            out.raw(",\"sync\":")
            out.string(sync)
        }
        if let unsynced {
            out.raw(",\"unsynced\":")
            out.int(unsynced)
        }
        if let writes {
            out.raw(",\"writes\":")
            out.array(writes) { out, write in
                out.raw("{\"record\":")
                out.string(write.record)
                out.raw(",\"seq\":")
                out.int(write.seq)
                out.raw(",\"stamp\":")
                out.string(write.stamp.description)
                out.raw("}")
            }
        }
        out.raw("}")
        return out.bytes
    }
}

extension PullPage {
    /// Reads a pull page with the fast parser.
    public static func decode(_ bytes: [UInt8]) throws(WireDecodingError) -> PullPage {
        try PullPage(json: try JSONParser.parse(bytes))
    }

    /// Reads a pull page from parsed JSON (a pull answer, or the `pull` member of a push answer).
    public init(json: JSONValue) throws(WireDecodingError) {
        guard case .int(let cursor)? = json["cursor"], cursor >= 0, UInt64(cursor) <= WireLimits.maxCounter else {
            throw .invalid(".cursor should be an integer from 0 to 2^53")
        }
        guard case .bool(let more)? = json["more"] else { throw .invalid(".more should be a boolean") }
        let records = try RecordState.list(in: json, limit: WireLimits.maxPullLimit, what: "a pull page")
        var conflicts: [Conflict]?
        if let value = json["conflicts"] {
            guard case .array(let entries) = value, entries.count <= WireLimits.maxPushConflicts else {
                throw .invalid(".conflicts should be an array of at most \(WireLimits.maxPushConflicts) entries")
            }
            conflicts = try entries.enumerated().map { n, entry throws(WireDecodingError) in
                try Conflict(json: entry, path: ".conflicts[\(n)]")
            }
        }
        let forgotten = try Self.texts(json, "forgotten", limit: WireLimits.maxPullLimit, bytes: 64, what: "visit id")
        let villages = try Self.texts(json, "villages", limit: WireLimits.maxScopeVillages, bytes: 480, what: "village's name")
        self.init(records: records, cursor: UInt64(cursor), more: more, conflicts: conflicts, forgotten: forgotten, villages: villages)
    }

    /// A member holding an array of at most `limit` non-empty texts of at most `bytes` bytes each; nil when absent.
    static func texts(_ json: JSONValue, _ key: String, limit: Int, bytes: Int, what: String) throws(WireDecodingError) -> [String]? {
        guard let value = json[key] else { return nil }
        guard case .array(let items) = value, items.count <= limit else {
            throw .invalid(".\(key) should be an array of at most \(limit) texts, each a \(what)")
        }
        return try items.enumerated().map { n, item throws(WireDecodingError) in
            guard case .string(let text) = item, !text.isEmpty, text.utf8.count <= bytes else { throw .invalid(".\(key)[\(n)] should be a \(what)") }
            return text
        }
    }

    /// The body bytes (identical to `WireJSON.encoder`'s in the JSON form).
    /// - Parameter compact: the states in the compact form (§6.3), as `states`.
    public func encoded(compact: Bool = false) -> [UInt8] {
        var out = JSONWriter(capacity: (compact ? 400 : 1_200) * records.count + 64)
        write(to: &out, compact: compact)
        return out.bytes
    }

    /// Writes the page.
    func write(to out: inout JSONWriter, compact: Bool) {
        out.raw("{")
        if let conflicts {
            out.raw("\"conflicts\":")
            out.array(conflicts) { $1.write(to: &$0) }
            out.raw(",")
        }
        out.raw("\"cursor\":")
        out.int(cursor)
        if let forgotten {
            out.raw(",\"forgotten\":")
            out.array(forgotten) { $0.string($1) }
        }
        out.raw(",\"more\":")
        out.bool(more)
        if compact {
            out.raw(",\"states\":")
            CompactStates.write(records, to: &out)
        } else {
            out.raw(",\"records\":")
            out.array(records) { $1.write(to: &$0) }
        }
        if let villages {
            out.raw(",\"villages\":")
            out.array(villages) { $0.string($1) }
        }
        out.raw("}")
    }
}
