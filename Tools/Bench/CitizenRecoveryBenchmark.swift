import CitizenPseudonym
import Crypto
import Foundation

/// Issue 15's "before" figures: what the deployment's citizen-ID key (held today by every laptop and
/// by the hub's database) gives away. With the key and the masked form `PPP******SSS` a hub stores
/// and every laptop pulls, 10^6 candidates remain per hash; without the masked form, a set of hub
/// hashes is matched against every plausible CCCD at once.
enum CitizenRecoveryBenchmark {
    static func run(citizens: Int) {
        let keyBytes = SymmetricKey(size: .bits256)
        let keyHex = keyBytes.withUnsafeBytes { $0.map { String(format: "%02x", $0) }.joined() }
        var generator = SystemRandomNumberGenerator()
        func randomCCCD() -> String {
            "001" + "2" + String(format: "%02d", Int.random(in: 50...99, using: &generator))
                + String(format: "%06d", Int.random(in: 0..<1_000_000, using: &generator))
        }
        // One citizen, from the key and the masked form: try the 10^6 middle digits.
        var seconds: [Double] = []
        var recovered = 0
        for _ in 0..<citizens {
            let cccd = randomCCCD()
            guard let target = CitizenHash.hash(cccd, keyHex: keyHex) else { return }
            let prefix = String(cccd.prefix(3)), suffix = String(cccd.suffix(3))
            let start = DispatchTime.now().uptimeNanoseconds
            for middle in 0..<1_000_000 {
                let candidate = prefix + String(format: "%06d", middle) + suffix
                if CitizenHash.hash(candidate, keyHex: keyHex) == target {
                    recovered += candidate == cccd ? 1 : 0
                    break
                }
            }
            seconds.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        // The raw rate of the keyed hash on one core, without string formatting.
        let rateStart = DispatchTime.now().uptimeNanoseconds
        var sink: UInt8 = 0
        var buffer = Array("001250000000".utf8)
        for n in 0..<1_000_000 {
            var v = n
            for i in stride(from: 11, through: 6, by: -1) {
                buffer[i] = UInt8(ascii: "0") + UInt8(v % 10)
                v /= 10
            }
            sink ^= Array(HMAC<SHA256>.authenticationCode(for: buffer, using: keyBytes))[0]
        }
        let rate = 1e6 / (Double(DispatchTime.now().uptimeNanoseconds - rateStart) / 1e9)
        seconds.sort()
        print(String(format: "recovered %d of %d CCCDs from key + hash + masked form: median %.2f s, slowest %.2f s each (one core, this tool's code)",
                     recovered, citizens, seconds[seconds.count / 2], seconds.last ?? 0))
        print(String(format: "keyed hash (HMAC-SHA-256) rate, one core: %.0f per second (checksum %d)", rate, sink))
        print(String(format: "a hub of 20,000 hashes with masked forms: %.0f min on one core (half the middle digits tried on average)",
                     20_000 * 500_000 / rate / 60))
        let plausible = 34.0 * 4 * 100 * 1e6
        print(String(format: "without the masked form, every plausible CCCD (34 provinces x 4 century/sex digits x 100 years x 10^6): %.1e candidates, %.1f core-hours, matched against all of a hub's hashes at once",
                     plausible, plausible / rate / 3_600))
        after(perDay: 1_000)
    }

    /// Issue 15's "after": pseudonyms by an oblivious PRF whose key only the hub's key file holds.
    /// With that key (the hub host taken) each candidate costs a P-384 evaluation; without it (a
    /// laptop or a database copy) the only oracle is the hub, at a stolen token's daily allowance.
    static func after(perDay: Int) {
        let key = CitizenPseudonym.HubKey()
        let count = 2_000
        let start = DispatchTime.now().uptimeNanoseconds
        var sink = 0
        for n in 0..<count { sink ^= ((try? key.pseudonym(of: String(format: "0012030%05d", n)))?.utf8.first).map(Int.init) ?? 0 }
        let rate = Double(count) / (Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        // The last four digits shown: province, century/sex, birth year and two random digits unknown.
        let perCitizen = 34.0 * 4 * 100 * 100
        print(String(format: "after, with the hub's key file: PRF evaluation rate, one core: %.0f per second (checksum %d)", rate, sink))
        print(String(format: "after, with the key: one CCCD from its pseudonym and last-four mask (%.2e candidates): %.1f core-hours on average",
                     perCitizen, perCitizen / 2 / rate / 3_600))
        print(String(format: "after, with the key: every plausible CCCD (1.36e+10), matched against all of a hub's pseudonyms at once: %.0f core-days",
                     34.0 * 4 * 100 * 1e6 / rate / 86_400))
        print(String(format: "after, without the key (a laptop, a database copy, a token): only the hub evaluates, %d per device per day: %.0f days per CCCD on average",
                     perDay, perCitizen / 2 / Double(perDay)))
    }
}
