import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An exclusive lock on `<store>.lock`, held while `serve` runs, so a second `serve` on the same
/// store refuses to start instead of writing beside the first.
struct StoreLock: ~Copyable {
    private let descriptor: Int32

    /// Takes the lock, or says which process holds it.
    init(store path: String) throws {
        let lockPath = path + ".lock"
        let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw ServerInputError("cannot create \(lockPath) (\(String(cString: strerror(errno)))): check that the folder exists and is writable")
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            var buffer = [UInt8](repeating: 0, count: 32)
            let count = read(fd, &buffer, buffer.count)
            close(fd)
            let holder = String(decoding: buffer.prefix(max(0, count)), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw ServerInputError("another fieldsync-server is already serving \(path)" + (holder.isEmpty ? "" : " (process \(holder))")
                                   + ": stop it first, or give this one another --db")
        }
        let pid = Array("\(getpid())\n".utf8)
        _ = ftruncate(fd, 0)
        _ = pwrite(fd, pid, pid.count, 0)
        descriptor = fd
    }

    /// Lets go of the lock (at the end of `serve`; also when the value goes away).
    consuming func release() {}

    deinit { close(descriptor) }
}
