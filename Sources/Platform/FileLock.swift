#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An exclusive lock on a file, held while the value lives: a second process asking for it is told who holds it.
public struct FileLock: ~Copyable {
    private let descriptor: Int32

    /// Why the lock was not taken.
    public enum Failure: Error, Sendable {
        /// The file could not be opened or created.
        case cannotOpen(SystemError)
        /// Another process holds it (its process id, when it wrote one).
        case held(by: String?)
    }

    /// Takes the lock on `path` without waiting, and writes this process's id in the file.
    public init(_ path: String) throws(Failure) {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .cannotOpen(SystemError.last()) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            var buffer = [UInt8](repeating: 0, count: 32)
            let count = read(fd, &buffer, buffer.count)
            close(fd)
            let holder = String(decoding: buffer.prefix(max(0, count)), as: UTF8.self).filter(\.isNumber)
            throw .held(by: holder.isEmpty ? nil : holder)
        }
        let pid = Array("\(getpid())\n".utf8)
        _ = ftruncate(fd, 0)
        _ = pwrite(fd, pid, pid.count, 0)
        descriptor = fd
    }

    /// Lets go of the lock (also when the value goes away).
    public consuming func release() {}

    deinit { close(descriptor) }
}
