/// How much one device can make the hub store and show: bounds that keep a broken or hostile laptop
/// from filling the disk or making every coordinator's report huge (README, "Limits").
public enum HubLimits {
    /// A quarantined record's payload is kept up to this many bytes (the original size is recorded).
    public static let quarantinePayloadBytes = 8 * 1024
    /// A quarantine reason is kept up to this many bytes.
    public static let quarantineReasonBytes = 1024
    /// A refused push's detail is kept up to this many bytes.
    public static let refusalDetailBytes = 1024
    /// Payload bytes one device may have waiting in quarantine; beyond it, new refusals keep their
    /// reason and size but not their payload.
    public static let quarantineQuotaBytes = 1024 * 1024
    /// Quarantined records a merge report lists (the rest are counted).
    public static let reportQuarantineLines = 100
    /// Bytes of each quarantined payload a merge report shows.
    public static let reportPayloadBytes = 1024
}
