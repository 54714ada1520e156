/// A command was called without something it needs.
enum UsageError: Error, CustomStringConvertible {
    case missingOptions([String], command: String)

    var description: String {
        switch self {
        case .missingOptions(let options, let command):
            "\(command) needs " + options.joined(separator: ", ") + " (see `fieldsync \(command) --help`)"
        }
    }
}
