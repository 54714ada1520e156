import Localization

/// A command was called without something it needs.
enum UsageError: PeopleMessage {
    case missingOptions([String], command: String)
    case noOpenFollowUp(visit: String)

    var description: String {
        switch self {
        case .missingOptions(let options, let command):
            "\(command) needs " + options.joined(separator: ", ") + " (see `fieldsync \(command) --help`)"
        case .noOpenFollowUp(let visit): "visit \(visit) has no open follow-up"
        }
    }

    func message(_ t: Catalogue) -> String {
        switch self {
        case .missingOptions(let options, let command): t.error(description, "usage.missing", command, options.joined(separator: ", "))
        case .noOpenFollowUp(let visit): t.error(description, "usage.no_follow_up", visit)
        }
    }
}
