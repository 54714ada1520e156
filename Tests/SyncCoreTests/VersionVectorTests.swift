import SyncCore
import Testing

@Suite struct VersionVectorTests {
    let a = ReplicaID(rawValue: 1), b = ReplicaID(rawValue: 2), c = ReplicaID(rawValue: 3)

    func vv(_ pairs: (ReplicaID, UInt64)...) -> VersionVector { VersionVector(pairs) }

    @Test func compares() {
        #expect(vv().compare(vv()) == .equal)
        #expect(vv((a, 1)).compare(vv((a, 1))) == .equal)
        #expect(vv((a, 1)).compare(vv((a, 2))) == .older)
        #expect(vv((a, 2)).compare(vv((a, 1))) == .newer)
        #expect(vv((a, 1)).compare(vv((a, 1), (b, 1))) == .older)
        #expect(vv((a, 2), (b, 1)).compare(vv((a, 1), (c, 1))) == .concurrent)
        #expect(vv((a, 1)).compare(vv((b, 1))) == .concurrent)
        #expect(vv().compare(vv((b, 1))) == .older)
    }

    @Test func mergeIsPointwiseMax() {
        let merged = vv((a, 2), (b, 1)).merged(with: vv((a, 1), (c, 4)))
        #expect(merged == vv((a, 2), (b, 1), (c, 4)))
        #expect(merged.entries.map(\.replica) == [a, b, c])
    }

    @Test func subscriptKeepsEntriesSortedAndDropsZeros() {
        var v = VersionVector()
        v[c] = 3
        v[a] = 1
        v[b] = 2
        #expect(v.entries.map(\.replica) == [a, b, c])
        v[b] = 0
        #expect(v == vv((a, 1), (c, 3)))
        #expect(v[b] == 0)
    }
}
