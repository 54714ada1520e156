#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An operating-system error: its number and the system's words for it.
public struct SystemError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The error number (`errno`).
    public let code: Int32

    /// The error the last failed system call left.
    public static func last() -> SystemError { SystemError(code: errno) }

    /// The system's words ("No space left on device").
    public var description: String { String(cString: strerror(code)) }

    /// The disk or the user's quota is full.
    public static func isNoSpace(_ code: Int32) -> Bool { code == ENOSPC || code == EDQUOT }
    /// A read-only file system, or a file this user may not open.
    public static func isReadOnlyOrDenied(_ code: Int32) -> Bool { code == EROFS || code == EACCES }
    /// No such file or folder.
    public static func isMissing(_ code: Int32) -> Bool { code == ENOENT }
    /// The address is in use by another program.
    public static func isAddressInUse(_ code: Int32) -> Bool { code == EADDRINUSE }
    /// Permission denied.
    public static func isDenied(_ code: Int32) -> Bool { code == EACCES }
}
