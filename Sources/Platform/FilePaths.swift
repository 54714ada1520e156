#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Paths as the operating system spells them ("/" between folders on Linux; a Windows port writes "\\" and drives).
public enum FilePaths {
    /// The folder part of `path` (`/a/b` for `/a/b/c`, `/` for `/c`, empty for `c`).
    public static func folder(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// Whether `path` is a folder (following links); nil when nothing is there.
    public static func isFolder(_ path: String) -> Bool? {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        return status.st_mode & S_IFMT == S_IFDIR
    }
}
