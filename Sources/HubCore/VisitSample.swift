import Crypto
import Foundation

/// A random sample of each volunteer's visits for verification calls (issue 33): `percent` of them, at least one, chosen
/// by a seed the console draws at random and keeps in the page's address, so the list stays while the calls are made
/// and nobody can tell in advance which visits will be called.
public struct VisitSample: Sendable, Equatable {
    /// The share of each volunteer's visits, 1 to 100.
    public var percent: Int
    /// Any text; another seed draws another sample.
    public var seed: String

    /// A sample by share and seed.
    public init(percent: Int, seed: String) {
        self.percent = percent
        self.seed = seed
    }

    /// The visits sampled of `visits` (id and volunteer): per volunteer, `percent` % rounded up, those whose
    /// SHA-256 of seed and id is smallest.
    public func pick(_ visits: [(id: String, volunteer: String)]) -> Set<String> {
        var picked: Set<String> = []
        for own in Dictionary(grouping: visits, by: \.volunteer).values {
            let wanted = max(1, (own.count * percent + 99) / 100)
            let ranked = own.map { (rank: Array(SHA256.hash(data: Data((seed + "|" + $0.id).utf8))), id: $0.id) }
                .sorted { $0.rank.lexicographicallyPrecedes($1.rank) }
            picked.formUnion(ranked.prefix(wanted).map(\.id))
        }
        return picked
    }

    /// A new seed: 16 random hex digits.
    public static func newSeed() -> String {
        var generator = SystemRandomNumberGenerator()
        return String(UInt64.random(in: .min ... .max, using: &generator), radix: 16)
    }
}
