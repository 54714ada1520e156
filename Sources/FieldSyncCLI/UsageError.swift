import Localization

/// A command was called without something it needs.
enum UsageError: PeopleMessage {
    case missingOptions([String], command: String)

    var description: String {
        switch self {
        case .missingOptions(let options, let command):
            "\(command) needs " + options.joined(separator: ", ") + " (see `fieldsync \(command) --help`)"
        }
    }

    func message(_ t: Catalogue) -> String {
        switch self {
        case .missingOptions(let options, let command): t.error(description, "usage.missing", command, options.joined(separator: ", "))
        }
    }
}
