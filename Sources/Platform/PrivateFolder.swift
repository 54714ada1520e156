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

/// Folders only their owner may enter (mode 0700), made by this user: where secrets may be kept.
public enum PrivateFolder {
    /// This user's folder on a RAM file system (`$XDG_RUNTIME_DIR/fieldsync`, else `/dev/shm/fieldsync-UID`): what is
    /// kept there never reaches the disk and is gone at power-off. Nil when there is none.
    public static func inMemory() -> String? {
        let environment = ProcessInfo.processInfo.environment
        let candidates = [environment["XDG_RUNTIME_DIR"].map { $0 + "/fieldsync" }, "/dev/shm/fieldsync-\(getuid())"].compactMap { $0 }
        return candidates.first { isRAM(FilePaths.folder(of: $0)) && ensure($0) }
    }

    /// This user's folder for FieldSync's cache on disk (`~/.cache/fieldsync`); nil without a home folder.
    public static func cache() -> String? {
        guard let home = ProcessInfo.processInfo.environment["HOME"], !home.isEmpty else { return nil }
        return ensure(home + "/.cache/fieldsync", parents: true) ? home + "/.cache/fieldsync" : nil
    }

    /// Makes `path` a folder of this user's, closed to others, if it is not one; false when it cannot be (a folder
    /// someone else made, or open to others, is not ours to trust).
    public static func ensure(_ path: String, parents: Bool = false) -> Bool {
        if parents {
            try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true,  // Checked below.
                                                     attributes: [.posixPermissions: 0o700])
        } else if mkdir(path, 0o700) != 0 && errno != EEXIST {
            return false
        }
        var info = stat()
        return lstat(path, &info) == 0 && info.st_uid == getuid() && info.st_mode & 0o077 == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// Whether `path` lies on tmpfs or ramfs: the file system of its longest mount point in /proc/mounts.
    public static func isRAM(_ path: String) -> Bool {
        // Losing this error is safe: without the mount table nothing counts as RAM, and secrets are not kept.
        guard let mounts = try? String(contentsOfFile: "/proc/mounts", encoding: .utf8) else { return false }
        var best: (point: String, type: String) = ("", "")
        for line in mounts.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count >= 3 else { continue }
            let point = String(fields[1]), type = String(fields[2])
            let covers = path == point || path.hasPrefix(point == "/" ? "/" : point + "/")
            if covers && point.count >= best.point.count { best = (point, type) }
        }
        return best.type == "tmpfs" || best.type == "ramfs"
    }
}
