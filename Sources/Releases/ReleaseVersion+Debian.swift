import SyncProtocol

extension ReleaseVersion {
    /// The release of a Debian version (`0.4.0-2` → 0.4.0), nil when it is not one.
    public static func debian(_ text: String) -> ReleaseVersion? {
        ReleaseVersion(text.split(separator: "-", maxSplits: 1).first ?? "")
    }

    /// The packaging revision of a Debian version (`0.4.0-2` → 2; none → 0).
    public static func revision(_ text: String) -> Int {
        text.split(separator: "-", maxSplits: 1).dropFirst().first.flatMap { Int($0) } ?? 0
    }

    /// Whether Debian version `a` is older than `b`: by release, then by revision.
    public static func debianOlder(_ a: String, than b: String) -> Bool {
        guard let ra = debian(a), let rb = debian(b) else { return false }
        return ra == rb ? revision(a) < revision(b) : ra < rb
    }
}
