/// Where a store's changes stand (`FieldStore.generation()`).
public struct StoreGeneration: Sendable, Equatable {
    /// Moves with every change of a visit or another record; a visit's last change is stamped with it.
    public let value: Int64
    /// Visits removed from the store (not deleted: gone, as outside the team's villages).
    public let removals: Int64
    /// Changes of records of other kinds (households, sessions).
    public let records: Int64

    public init(value: Int64, removals: Int64, records: Int64) {
        (self.value, self.removals, self.records) = (value, removals, records)
    }
}
