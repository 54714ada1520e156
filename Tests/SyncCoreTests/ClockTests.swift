import SyncCore
import Testing

@Suite struct ClockTests {
    let a = ReplicaID(rawValue: 0xaaaa)
    let b = ReplicaID(rawValue: 0xbbbb)

    @Test func stampTextRoundTripsAndSortsLikeStamps() {
        let stamps = [
            Stamp(millis: 1, counter: 0, replica: b), Stamp(millis: 1, counter: 1, replica: a),
            Stamp(millis: 2, counter: 0, replica: a), Stamp(millis: Stamp.maxMillis, counter: .max, replica: ReplicaID(rawValue: .max)),
        ]
        for stamp in stamps { #expect(Stamp(stamp.description) == stamp) }
        #expect(stamps.sorted() == stamps)
        #expect(stamps.map(\.description).sorted() == stamps.map(\.description))
        #expect(Stamp(millis: 0x18c3f2a1b00, counter: 1, replica: a).description == "018c3f2a1b00-00000001-000000000000aaaa")
    }

    @Test(arguments: ["", "018c3f2a1b00-00000001-000000000000aaa", "018c3f2a1b00-00000001-000000000000AAAA",
                      "018c3f2a1b00_00000001_000000000000aaaa", "018c3f2a1b00-0000000g-000000000000aaaa"])
    func stampRejectsMalformedText(text: String) {
        #expect(Stamp(text) == nil)
    }

    @Test func tickFollowsWallClockAndNeverGoesBack() {
        var clock = HybridClock(replica: a)
        let s1 = clock.tick(now: 1000)
        let s2 = clock.tick(now: 1000)
        let s3 = clock.tick(now: 900)  // wall clock stepped back
        let s4 = clock.tick(now: 2000)
        #expect(s1 == Stamp(millis: 1000, counter: 0, replica: a))
        #expect(s2 == Stamp(millis: 1000, counter: 1, replica: a))
        #expect(s3 == Stamp(millis: 1000, counter: 2, replica: a))
        #expect(s4 == Stamp(millis: 2000, counter: 0, replica: a))
    }

    @Test func receiveMovesPastTheRemoteStamp() throws {
        var clock = HybridClock(replica: a)
        _ = clock.tick(now: 1000)
        try clock.receive(Stamp(millis: 5000, counter: 7, replica: b), now: 1000)
        let next = clock.tick(now: 1000)
        #expect(next > Stamp(millis: 5000, counter: 7, replica: b))
        #expect(next == Stamp(millis: 5000, counter: 9, replica: a))
    }

    @Test func counterOverflowCarriesIntoMillis() {
        var clock = HybridClock(replica: a, millis: 10, counter: .max)
        #expect(clock.tick(now: 5) == Stamp(millis: 11, counter: 0, replica: a))
    }

    @Test func refusesStampsBeyondTheDriftLimitWithoutMoving() {
        var clock = HybridClock(replica: a)
        _ = clock.tick(now: 1000)
        let before = clock
        let day: UInt64 = 86_400_000
        let future = Stamp(millis: 1000 + day + 1, counter: 0, replica: b)
        #expect(throws: ClockError.tooFarAhead(stamp: future, aheadMillis: day + 1, limitMillis: day)) {
            try clock.receive(future, now: 1000, maxDrift: day)
        }
        #expect(clock == before)
        #expect(throws: Never.self) { try clock.receive(Stamp(millis: 1000 + day, counter: 0, replica: b), now: 1000, maxDrift: day) }
    }
}
