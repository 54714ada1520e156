#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SyncCore
import TextSafety

/// The compact form of a list of record states (Protocol/README.md §6.3): replica ids, field names and
/// repeated strings written once in tables, stamps as offsets from one base, and the registers one
/// write set written together under a single stamp.
///
/// ```
/// {"base": 1764900000000, "fields": ["commune", …], "replicas": ["9f3a2b1c4d5e6f70"], "strings": ["00004", …],
///  "records": [[id, [replica, seq, …], [ms - base, counter, replica, seq, field, value, field, value, …], …], …]}
/// ```
public enum CompactStates {
    /// The media type of bodies whose states are in the compact form.
    public static let mediaType = "application/vnd.fieldsync.compact+json"
    /// The token a device keeps (beside the content codings) once the hub said it takes the form.
    public static let token = "compact"
    /// Most entries of each table.
    static let maxReplicas = 4_096, maxFields = 256, maxStrings = 65_536
    /// A string goes into the table when it occurs at least twice and is at least this long (UTF-8 bytes).
    static let minSharedBytes = 4

    /// Whether an `Accept` header asks for the compact form.
    public static func isAccepted(_ header: String?) -> Bool {
        header?.lowercased().split(separator: ",").contains { $0.split(separator: ";").first?.trimmingWhitespace == mediaType } ?? false
    }

    /// Writes the states as the compact `states` object.
    public static func write(_ states: [RecordState], to out: inout JSONWriter) {
        var tables = Tables()
        let writes = states.map { tables.add($0) }
        var shared: [CompactStates.Key: Int] = [:]
        var strings: [String] = []
        // Each string's place in the table by its slot (-1: written in place).
        var sharedBySlot = [Int](repeating: -1, count: tables.stringOrder.count)
        for (slot, text) in tables.stringOrder.enumerated()
        where tables.stringCounts[slot] >= 2 && text.utf8.count >= minSharedBytes && strings.count < maxStrings {
            shared[Key(text)] = strings.count
            sharedBySlot[slot] = strings.count
            strings.append(text)
        }
        out.raw("{\"base\":")
        out.int(tables.base ?? 0)
        out.raw(",\"fields\":")
        out.array(tables.fields) { $0.string($1) }
        // The records of kinds other than the visit, by kind: the indices of their states (§12; none for visits only).
        var kinds: [String: [Int]] = [:]
        for (n, state) in states.enumerated() where state.kind != RecordState.visitKind { kinds[state.kind, default: []].append(n) }
        if !kinds.isEmpty {
            out.raw(",\"kinds\":{")
            for (n, kind) in kinds.keys.sorted().enumerated() {
                if n > 0 { out.comma() }
                out.key(kind)
                out.array(kinds[kind] ?? []) { $0.int($1) }
            }
            out.raw("}")
        }
        out.raw(",\"records\":[")
        for (n, state) in states.enumerated() {
            if n > 0 { out.comma() }
            out.raw("[")
            out.string(state.id)
            out.raw(",[")
            for (m, entry) in state.version.entries.enumerated() {
                if m > 0 { out.comma() }
                out.int(tables.replicaIndex[entry.replica] ?? 0)
                out.comma()
                out.int(entry.seq)
            }
            out.raw("]")
            for write in writes[n] {
                out.raw(",[")
                out.int(write.stamp.millis - (tables.base ?? 0))
                out.comma()
                out.int(write.stamp.counter)
                out.comma()
                out.int(tables.replicaIndex[write.stamp.replica] ?? 0)
                out.comma()
                out.int(write.seq)
                for (k, field) in write.fields.enumerated() {
                    out.comma()
                    out.int(tables.fieldIndex[field.name] ?? 0)
                    out.comma()
                    let slot = write.slots[k]
                    if slot >= 0 {
                        // A string: its slot says whether the table holds it, without hashing it again.
                        if sharedBySlot[slot] >= 0 {
                            out.raw("[")
                            out.int(sharedBySlot[slot])
                            out.raw("]")
                        } else if case .text(let text) = field.register.value {
                            out.string(text)
                        }
                    } else {
                        field.register.value.write(to: &out, shared: shared)
                    }
                }
                out.raw("]")
            }
            out.raw("]")
        }
        out.raw("],\"replicas\":")
        out.array(tables.replicas) { $0.string($1.description) }
        out.raw(",\"strings\":")
        out.array(strings) { $0.string($1) }
        out.raw("}")
    }

    /// A string as a table key: its UTF-8 bytes, hashed and compared as bytes (no Unicode normalisation,
    /// the costliest part of hashing Vietnamese text; a table entry stands for exactly the bytes it holds).
    struct Key: Hashable {
        let text: String
        init(_ text: String) { self.text = text }

        static func == (a: Key, b: Key) -> Bool { a.text.utf8.elementsEqual(b.text.utf8) }

        func hash(into hasher: inout Hasher) {
            if text.utf8.withContiguousStorageIfAvailable({ hasher.combine(bytes: UnsafeRawBufferPointer($0)) }) == nil {
                for byte in text.utf8 { hasher.combine(byte) }
            }
        }
    }

    /// The registers of one write: same stamp, same seq; for each, its string's slot (-1: not a string).
    struct Write {
        var stamp: Stamp
        var seq: UInt64
        var fields: [RecordState.Field]
        var slots: [Int]
    }

    /// The tables, built in order of first use.
    struct Tables {
        var replicas: [ReplicaID] = []
        var replicaIndex: [ReplicaID: Int] = [:]
        var fields: [String] = []
        var fieldIndex: [String: Int] = [:]
        /// Every distinct string by slot (order of first use), its slot, and how often it occurs.
        var stringOrder: [String] = []
        var stringSlots: [Key: Int] = [:]
        var stringCounts: [Int] = []
        var base: UInt64?

        /// Notes a state's replicas, fields, strings and stamps, and returns its writes in order of first field.
        mutating func add(_ state: RecordState) -> [Write] {
            for entry in state.version.entries { note(entry.replica) }
            var writes: [Write] = []
            for field in state.fields {
                let register = field.register
                let slot = count(register.value)
                if let i = writes.firstIndex(where: { $0.stamp == register.stamp && $0.seq == register.seq }) {
                    writes[i].fields.append(field)
                    writes[i].slots.append(slot)
                } else {
                    writes.append(Write(stamp: register.stamp, seq: register.seq, fields: [field], slots: [slot]))
                    note(register.stamp.replica)
                    base = min(base ?? register.stamp.millis, register.stamp.millis)
                }
                if fieldIndex[field.name] == nil {
                    fieldIndex[field.name] = fields.count
                    fields.append(field.name)
                }
            }
            return writes
        }

        mutating func note(_ replica: ReplicaID) {
            guard replicaIndex[replica] == nil else { return }
            replicaIndex[replica] = replicas.count
            replicas.append(replica)
        }

        /// Counts the strings in a value; returns the slot of a string value, -1 for any other.
        @discardableResult
        mutating func count(_ value: FieldValue) -> Int {
            switch value {
            case .text(let s):
                let key = Key(s)
                if let slot = stringSlots[key] {
                    stringCounts[slot] += 1
                    return slot
                }
                stringSlots[key] = stringOrder.count
                stringOrder.append(s)
                stringCounts.append(1)
                return stringOrder.count - 1
            case .object(let members):
                for key in members.keys.sorted() { count(members[key] ?? .null) }
                return -1
            default:
                return -1
            }
        }
    }

    /// Reads a compact `states` object of at most `limit` states, whose values add up to at most `maxDecodedBytes` of
    /// text: a table string referenced from many fields counts each time, so a small body cannot stand for a huge one.
    public static func read(_ json: JSONValue, limit: Int, path: String,
                            maxDecodedBytes: Int = WireLimits.maxBodyBytes) throws(WireDecodingError) -> [RecordState] {
        guard case .object = json else { throw .invalid("\(path) should be an object") }
        guard case .int(let base)? = json["base"], base >= 0, UInt64(base) <= Stamp.maxMillis else {
            throw .invalid("\(path).base should be an integer from 0 to 2^48 − 1")
        }
        guard case .array(let replicaItems)? = json["replicas"], replicaItems.count <= maxReplicas else {
            throw .invalid("\(path).replicas should be an array of at most \(maxReplicas) replica ids")
        }
        let replicas = try replicaItems.enumerated().map { n, item throws(WireDecodingError) in
            guard case .string(let text) = item, let replica = ReplicaID(text), replica.rawValue != 0 else {
                throw .invalid("\(path).replicas[\(n)] is not a replica id (16 lowercase hex digits, not all zero)")
            }
            return replica
        }
        guard case .array(let fieldItems)? = json["fields"], fieldItems.count <= maxFields else {
            throw .invalid("\(path).fields should be an array of at most \(maxFields) field names")
        }
        let fields = try fieldItems.enumerated().map { n, item throws(WireDecodingError) in
            guard case .string(let name) = item, RecordState.isFieldName(name) else {
                throw .invalid("\(path).fields[\(n)] is not a field name (a letter, then up to 31 letters, digits or _)")
            }
            return name
        }
        var strings: [String] = []
        if let value = json["strings"] {
            guard case .array(let items) = value, items.count <= maxStrings else {
                throw .invalid("\(path).strings should be an array of at most \(maxStrings) strings")
            }
            strings = try items.enumerated().map { n, item throws(WireDecodingError) in
                guard case .string(let text) = item else { throw .invalid("\(path).strings[\(n)] should be a string") }
                return text
            }
        }
        guard case .array(let items)? = json["records"] else { throw .invalid("\(path).records should be an array") }
        guard items.count <= limit else { throw .invalid("\(path).records has more than \(limit) states") }
        guard Set(fields).count == fields.count else { throw .invalid("\(path).fields names a field twice") }
        // Each field's place in name order: a state's registers are sorted by it, without comparing names.
        var rank = [Int](repeating: 0, count: fields.count)
        for (place, index) in fields.indices.sorted(by: { fields[$0] < fields[$1] }).enumerated() { rank[index] = place }
        let reader = Reader(base: UInt64(base), replicas: replicas, fields: fields, rank: rank, strings: strings)
        var states: [RecordState] = []
        states.reserveCapacity(items.count)
        var decoded = 0
        for (n, item) in items.enumerated() {
            let (state, bytes) = try reader.state(item, path: "\(path).records[\(n)]")
            decoded += bytes
            guard decoded <= maxDecodedBytes else {
                throw .invalid("\(path) stands for more than \(maxDecodedBytes >> 20) MiB of values once its strings are put in place")
            }
            states.append(state)
        }
        if let value = json["kinds"] {
            guard case .object(let members) = value, members.count <= maxFields else { throw .invalid("\(path).kinds should be an object of kinds") }
            var named = [Bool](repeating: false, count: states.count)
            for (kind, indices) in members {
                guard RecordState.isKindName(kind), kind != RecordState.visitKind, case .array(let list) = indices else {
                    throw .invalid("\(path).kinds: \(SafeText.quote(kind, limit: 40)) should be a kind name other than visit, with an array of indices")
                }
                for (m, item) in list.enumerated() {
                    let n = try reader.index(item, in: states.count, "\(path).kinds.\(kind)[\(m)]")
                    guard !named[n] else { throw .invalid("\(path).kinds names the kind of record \(n) twice") }
                    named[n] = true
                    states[n].kind = kind
                }
            }
        }
        return states
    }

    struct Reader {
        let base: UInt64
        let replicas: [ReplicaID]
        let fields: [String]
        let rank: [Int]
        let strings: [String]

        func index(_ json: JSONValue, in count: Int, _ what: @autoclosure () -> String) throws(WireDecodingError) -> Int {
            guard case .int(let n) = json, n >= 0, n < count else { throw .invalid("\(what()) should be an index below \(count)") }
            return Int(n)
        }

        /// A state, and the bytes of text its values stand for.
        func state(_ json: JSONValue, path: String) throws(WireDecodingError) -> (RecordState, Int) {
            guard case .array(let parts) = json, parts.count >= 2, case .string(let id) = parts[0], !id.isEmpty, id.utf8.count <= 64,
                  case .array(let vector) = parts[1], vector.count.isMultiple(of: 2)
            else { throw .invalid("\(path) should be [id, [replica, seq, …], write, …] with an id of 1 to 64 characters") }
            guard vector.count / 2 <= WireLimits.maxVectorEntries else {
                throw .invalid("\(path)[1] has more than \(WireLimits.maxVectorEntries) entries")
            }
            var pairs: [(ReplicaID, UInt64)] = []
            for i in stride(from: 0, to: vector.count, by: 2) {
                let replica = replicas[try index(vector[i], in: replicas.count, "\(path)[1][\(i)]")]
                guard case .int(let seq) = vector[i + 1], seq >= 1, UInt64(seq) <= VersionVector.maxSeq else {
                    throw .invalid("\(path)[1][\(i + 1)] should be an integer from 1 to 2^53")
                }
                guard !pairs.contains(where: { $0.0 == replica }) else { throw .invalid("\(path)[1] names replica \(replica) twice") }
                pairs.append((replica, UInt64(seq)))
            }
            var registers: [(rank: Int, field: RecordState.Field)] = []
            var seen = [Bool](repeating: false, count: fields.count)
            var bytes = 0
            for (w, write) in parts.dropFirst(2).enumerated() {
                let at = "\(path)[\(w + 2)]"
                guard case .array(let items) = write, items.count >= 6, items.count.isMultiple(of: 2),
                      case .int(let offset) = items[0], offset >= 0, UInt64(offset) <= Stamp.maxMillis - base,
                      case .int(let counter) = items[1], counter >= 0, counter <= Int64(UInt32.max),
                      case .int(let seq) = items[3], seq >= 0, UInt64(seq) <= VersionVector.maxSeq
                else { throw .invalid("\(at) should be [ms − base, counter, replica, seq, field, value, …] within the stamps' ranges") }
                let stamp = Stamp(millis: base + UInt64(offset), counter: UInt32(counter),
                                  replica: replicas[try index(items[2], in: replicas.count, "\(at)[2]")])
                for i in stride(from: 4, to: items.count, by: 2) {
                    let field = try index(items[i], in: fields.count, "\(at)[\(i)]")
                    guard !seen[field] else { throw .invalid("\(path) writes the field \(fields[field]) twice") }
                    guard registers.count < RecordState.maxFields else { throw .invalid("\(path) has more than \(RecordState.maxFields) fields") }
                    seen[field] = true
                    let register = Register(value: try value(items[i + 1], path: "\(at)[\(i + 1)]"), stamp: stamp, seq: UInt64(seq))
                    bytes += register.value.textBytes
                    registers.append((rank[field], RecordState.Field(name: fields[field], register: register)))
                }
            }
            registers.sort { $0.rank < $1.rank }
            return (RecordState(id: id, sortedFields: registers.map(\.field), version: VersionVector(pairs)), bytes)
        }

        /// A value: as in the JSON form, or `[n]`, the table's string n.
        func value(_ json: JSONValue, path: @autoclosure () -> String) throws(WireDecodingError) -> FieldValue {
            switch json {
            case .array(let items):
                guard items.count == 1 else { throw .invalid("\(path()): an array value is one index into the strings table") }
                return .text(strings[try index(items[0], in: strings.count, path())])
            case .object(let members):
                var object: [String: FieldValue] = [:]
                for (key, member) in members { object[key] = try value(member, path: path() + "." + key) }
                return .object(object)
            default:
                return try FieldValue(json: json, path: path())
            }
        }
    }
}

extension FieldValue {
    /// The bytes of text a value holds (its strings, an object's members included).
    var textBytes: Int {
        switch self {
        case .text(let text): text.utf8.count
        case .object(let members): members.reduce(0) { $0 + $1.key.utf8.count + $1.value.textBytes }
        default: 8
        }
    }
}
