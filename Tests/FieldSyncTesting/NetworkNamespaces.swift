import Foundation

/// Two network namespaces joined by a veth pair, each end with its own address: two machines on a
/// LAN, for tests that need a real network between processes. Needs root; removed on deinit.
public final class NetworkNamespaces {
    /// The namespaces' names, and each one's address on the link.
    public let names: [String]
    public let addresses = ["10.78.0.1", "10.78.0.2"]

    /// Whether this machine can make them (root, iproute2, and network namespaces allowed).
    public static let available: Bool = {
        guard geteuid() == 0, let ip else { return false }
        let probe = "fs-probe-\(getpid())"
        defer { _ = try? Executables.run(ip, ["netns", "del", probe]) }  // Nothing to lose: a probe.
        return (try? Executables.run(ip, ["netns", "add", probe]).status) == 0
    }()

    static let ip = ["/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Makes the pair (names unique to this process and `tag`).
    public init(tag: String) throws {
        guard let ip = Self.ip else { throw Failure("iproute2's ip is not installed") }
        let id = "\(getpid() % 100_000)\(tag.prefix(3))"
        names = ["fs-\(id)-a", "fs-\(id)-b"]
        let devices = ["fsv\(id)a", "fsv\(id)b"]
        var steps = names.map { ["netns", "add", $0] }
        steps.append(["link", "add", devices[0], "netns", names[0], "type", "veth", "peer", "name", devices[1], "netns", names[1]])
        for side in 0..<2 {
            steps.append(["-n", names[side], "link", "set", "lo", "up"])
            steps.append(["-n", names[side], "addr", "add", "\(addresses[side])/30", "dev", devices[side]])
            steps.append(["-n", names[side], "link", "set", devices[side], "up"])
        }
        for step in steps {
            let result = try Executables.run(ip, step)
            guard result.status == 0 else {
                remove()
                throw Failure("ip \(step.joined(separator: " ")): \(result.stderr)")
            }
        }
    }

    /// The command line that runs `program` (a built executable's name, or a path) in namespace `side` (0 or 1).
    public func command(in side: Int, _ program: String, _ arguments: [String]) -> (program: String, arguments: [String]) {
        (Self.ip ?? "ip", ["netns", "exec", names[side], program.contains("/") ? program : Executables.path(program)] + arguments)
    }

    /// Runs `program` in namespace `side` to completion.
    public func run(in side: Int, _ program: String, _ arguments: [String]) throws -> ProcessResult {
        let (ip, arguments) = command(in: side, program, arguments)
        return try Executables.run(ip, arguments)
    }

    func remove() {
        // Deleting a namespace removes its end of the veth pair, and with it the other end.
        for name in names { _ = try? Executables.run(Self.ip ?? "ip", ["netns", "del", name]) }  // Best effort: nothing is stored there.
    }

    deinit { remove() }

    /// Why the namespaces could not be made.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
        init(_ description: String) { self.description = description }
    }
}
