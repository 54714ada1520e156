#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Files only their owner may read (mode 0600), written so that a reader sees the old contents or the new, never half.
public enum PrivateFile {
    /// Replaces `path` with `bytes` whole (a temporary file renamed over it; a link at `path` is not followed); with
    /// `durable`, on disk before it returns (the file and its folder synced).
    public static func replace(_ path: String, with bytes: [UInt8], durable: Bool = false) throws(SystemError) {
        let temporary = try written(bytes, beside: path, durable: durable)
        guard rename(temporary, path) == 0 else {
            let error = SystemError.last()
            unlink(temporary)
            throw error
        }
        if durable { syncFolder(of: path) }
    }

    /// Creates `path` with `bytes` whole and on disk, unless a file is there already (then false, nothing changed).
    public static func create(_ path: String, with bytes: [UInt8]) throws(SystemError) -> Bool {
        let temporary = try written(bytes, beside: path, durable: true)
        defer { unlink(temporary) }
        // `link` refuses to replace a file: a new file appears whole or not at all.
        guard link(temporary, path) == 0 else {
            let error = SystemError.last()
            if error.code == EEXIST { return false }
            throw error
        }
        syncFolder(of: path)
        return true
    }

    /// Creates an empty `path` for its owner alone; false when a file is there already.
    public static func createEmpty(_ path: String) -> Bool {
        let descriptor = open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { return false }
        close(descriptor)
        return true
    }

    /// Rewrites a small file in place (created 0600 if missing): cheaper than `replace` for a mark rewritten often,
    /// where a torn write after a crash may read as garbage.
    public static func overwrite(_ path: String, with bytes: [UInt8]) throws(SystemError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw SystemError.last() }
        defer { close(descriptor) }
        guard fchmod(descriptor, 0o600) == 0, pwrite(descriptor, bytes, bytes.count, 0) == bytes.count,
              ftruncate(descriptor, off_t(bytes.count)) == 0
        else { throw SystemError.last() }
    }

    /// Takes group and other permissions away from those of `paths` this user owns (files an older version or a
    /// permissive umask made).
    public static func restrict(_ paths: [String]) {
        for path in paths {
            var info = stat()
            if stat(path, &info) == 0, info.st_mode & 0o077 != 0, info.st_uid == geteuid() {
                _ = chmod(path, 0o600)
            }
        }
    }

    /// The permission bits of `path` (nil when it cannot be read).
    public static func mode(_ path: String) -> Int? {
        var info = stat()
        return stat(path, &info) == 0 ? Int(info.st_mode & 0o7777) : nil
    }

    /// A temporary file beside `path` holding `bytes`, 0600, synced when `durable`.
    private static func written(_ bytes: [UInt8], beside path: String, durable: Bool) throws(SystemError) -> String {
        let temporary = path + ".new-\(getpid())"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw SystemError.last() }
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        let complete = written == bytes.count && (!durable || fsync(descriptor) == 0)
        let error = SystemError.last()
        close(descriptor)
        guard complete else {
            unlink(temporary)
            throw written >= 0 && written < bytes.count ? SystemError(code: ENOSPC) : error
        }
        return temporary
    }

    /// Syncs the folder of `path`, so a rename or link in it survives a power cut.
    private static func syncFolder(of path: String) {
        let folder = FilePaths.folder(of: path)
        let descriptor = open(folder.isEmpty ? "." : folder, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        fsync(descriptor)
        close(descriptor)
    }
}
