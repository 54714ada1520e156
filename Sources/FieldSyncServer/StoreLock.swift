import Platform

/// An exclusive lock on `<store>.lock`, held while `serve` runs, so a second `serve` on the same
/// store refuses to start instead of writing beside the first.
struct StoreLock: ~Copyable {
    private let lock: FileLock

    /// Takes the lock, or says which process holds it.
    init(store path: String) throws {
        do {
            lock = try FileLock(path + ".lock")
        } catch .cannotOpen(let error) {
            throw ServerInputError("cannot create \(path).lock (\(error)): check that the folder exists and is writable")
        } catch .held(let holder) {
            throw ServerInputError("another fieldsync-server is already serving \(path)" + (holder.map { " (process \($0))" } ?? "")
                                   + ": stop it first, or give this one another --db")
        }
    }

    /// Lets go of the lock (at the end of `serve`; also when the value goes away).
    consuming func release() {}
}
