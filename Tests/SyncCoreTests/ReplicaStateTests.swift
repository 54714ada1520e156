import SyncCore
import Testing

@Suite struct ReplicaStateTests {
    @Test func localWriteBumpsSeqSetsVectorAndStampsOnlyGivenFields() {
        var replica = ReplicaState(id: ReplicaID(rawValue: 7))
        let created = replica.write(["a": .text("1"), "b": .text("2")], to: nil, recordID: "r", now: 1000)
        #expect(replica.seq == 1)
        #expect(created.version[replica.id] == 1)
        let edited = replica.write(["b": .text("3")], to: created, recordID: "r", now: 2000)
        #expect(replica.seq == 2)
        #expect(edited.version[replica.id] == 2)
        #expect(edited["a"] == created["a"])
        #expect(edited["b"]?.value == .text("3"))
        #expect(edited["b"]!.stamp > created["b"]!.stamp)
    }
}
