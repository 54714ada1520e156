import FieldModel

// The volunteer's side of a review (issue 33): visits a coordinator returned, until they are corrected.
extension FieldStore {
    /// The live visits a coordinator returned for correction and not written since, newest first, each with its review.
    public func needsCorrection() throws -> [(visit: StoredVisit, review: Review)] {
        Self.needsCorrection(try visits())
    }

    /// The same among visits already read.
    public static func needsCorrection(_ visits: [StoredVisit]) -> [(visit: StoredVisit, review: Review)] {
        visits.compactMap { stored in
            guard let review = Review(stored.state), review.state == .needsCorrection, !review.changedAfter(in: stored.state) else { return nil }
            return (stored, review)
        }
    }
}
