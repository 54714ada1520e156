import SyncProtocol

extension Scope {
    /// Whether a record of this commune is inside the scope.
    public func covers(commune code: String) -> Bool {
        if let own = commune { return own == code }
        if let province { return Hub.province(of: code) == province }
        return true
    }

    /// Whether the scope has no bounds (the operator's).
    package var isWholeCountry: Bool { commune == nil && province == nil }

    /// The scope in words: "commune 00004", "province 01" or "whole country".
    package var text: String {
        if let commune { return "commune \(commune)" }
        if let province { return "province \(province)" }
        return "whole country"
    }
}

extension Scope {
    /// The scope as a condition on a table with `commune` and `province` columns (`prefix` names the table in a
    /// join: `r.`), with `?` placeholders and their values: "1 = 1" for the whole country.
    package func condition(_ prefix: String = "") -> (sql: String, values: [HubValue]) {
        if let commune { return ("\(prefix)commune = ?", [.text(commune)]) }
        if let province { return ("\(prefix)province = ?", [.text(province)]) }
        return ("1 = 1", [])
    }
}
