import HubCore
import SyncProtocol

extension HubStore {
    /// The pseudonym key in use (version and public half), nil before the hub's first start with one.
    public func pseudonymKeyInUse() throws -> PseudonymKey? {
        try read { PseudonymKey(stored: try db.scalarText("SELECT pseudonym_key FROM hub") ?? "") }
    }

    /// Records the pseudonym key in use.
    public func setPseudonymKeyInUse(_ key: PseudonymKey) throws {
        try write { try db.run("UPDATE hub SET pseudonym_key = ?", [.text(key.stored)]) }
    }

    /// Takes up to `wanted` evaluations from a device's allowance for a Vietnam day (and forgets days
    /// over a month old): how many were granted, and how many remain.
    public func takePseudonyms(device: String, day: String, wanted: Int, allowance: Int) throws -> (granted: Int, remaining: Int) {
        try write {
            let used = try db.scalarInt("SELECT used FROM pseudonym_use WHERE device = ? AND day = ?", [.text(device), .text(day)]) ?? 0
            let granted = max(0, min(wanted, allowance - used))
            try db.run("""
                INSERT INTO pseudonym_use (device, day, used) VALUES (?, ?, ?)
                ON CONFLICT (device, day) DO UPDATE SET used = excluded.used
                """, [.text(device), .text(day), .integer(used + granted)])
            try db.run("DELETE FROM pseudonym_use WHERE day < date(?, '-31 days')", [.text(day)])
            return (granted, allowance - used - granted)
        }
    }
}
