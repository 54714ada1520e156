/// The release of FieldSync every program reports (`--version`, `/v1/health`).
public enum FieldSyncVersion {
    /// Semantic version of this release.
    public static let current = "0.2.0"
}
