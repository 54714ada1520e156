/// A mistyped command named back with the nearest real one (`fieldsync lst` → `list`), in the person's language.
public enum CommandSuggestion {
    /// A one-line message when the first word that is not an option is no command; nil otherwise.
    /// - Parameter optionsWithValue: global options that take a value (the value is not a command).
    public static func check(_ arguments: [String], commands: [String], program: String,
                             optionsWithValue: Set<String> = ["--store", "--lang"], catalogue: Catalogue = .process) -> String? {
        var rest = arguments[...]
        while let first = rest.first {
            if optionsWithValue.contains(first) { rest = rest.dropFirst(2); continue }
            if first.hasPrefix("-") { return nil }
            guard !commands.contains(first) else { return nil }
            let nearest = commands.map { ($0, distance(first.lowercased(), $0)) }.min { $0.1 < $1.1 }
            if let (name, d) = nearest, d <= 2 {
                return catalogue.format("cli.no_command_suggest", program, first, name)
            }
            return catalogue.format("cli.no_command", program, first)
        }
        return nil
    }

    /// Levenshtein distance between two words.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        var previous = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...max(b.count, 1) where !b.isEmpty {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return a.isEmpty ? b.count : previous[b.count]
    }
}
