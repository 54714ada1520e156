/// Whether this run shows a command's help: long help texts (the codes and labels read from the record kinds) are
/// built only then, so an everyday `fieldsync log` does not pay for them at start-up (issue 34).
public enum HelpRequest {
    /// `-h`, `--help`, `help` or the dump completion scripts read appears among the arguments.
    public static let isShown: Bool = CommandLine.arguments.dropFirst().contains {
        ["-h", "--help", "help", "--help-hidden", "--experimental-dump-help"].contains($0)
    }
}
