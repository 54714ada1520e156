import ArgumentParser
import FieldModel
import Foundation
import HubCore
import HubReports
import SyncProtocol
import TextSafety

/// `fieldsync-server households`: a commune's household list (issue 31), imported from a spreadsheet and listed.
struct HouseholdsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "households",
        abstract: "A commune's households: import its list from a spreadsheet (CSV or XLSX), list them.",
        discussion: """
            The list's first line names its columns, in Vietnamese or English, marks optional: Thôn/Tổ, Mã hộ, Số nhà,
            Ngõ/Đường, Chủ hộ, Điện thoại, Số người từ 18 tuổi, Ghi chú (the village and the head are required). A household
            is the same on a later import by its code when the list has one, else by village, address and head's name:
            a corrected list updates rather than duplicates. Without --apply the import only shows what it would do.
            Example:
              fieldsync-server --db hub.sqlite households import ho-gia-dinh.xlsx --commune 00004
              fieldsync-server --db hub.sqlite households import ho-gia-dinh.xlsx --commune 00004 --apply
            """,
        subcommands: [Import.self, List.self, Remove.self])

    /// `households import`.
    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Import a commune's household list (a preview unless --apply).")
        @OptionGroup var global: HubOptions
        @Argument(help: "The list: a .xlsx workbook (its first sheet) or a .csv file in UTF-8.") var file: String
        @Option(help: "The commune (5 digits or its name).") var commune: String
        @Flag(help: "Write the households (without it: only the preview).") var apply = false
        @Option(help: "Who imports it (in the audit log).") var by = "operator"

        func run() async throws {
            let data: Data
            do {
                data = try Data(contentsOf: URL(fileURLWithPath: file))
            } catch {
                throw HubError.invalidRequest("cannot read \(SafeText.quote(file)): \(error.localizedDescription)")
            }
            let rows: [(line: Int, cells: [String])]
            do { rows = try SheetFile.rows(data) } catch { throw HubError.invalidRequest("\(file): \(error)") }
            let list = try HouseholdList(rows: rows)
            let (commune, apply, by) = (self.commune, self.apply, self.by)
            let result = try await global.withStorage(readOnly: !apply) { storage in
                try await storage.importHouseholds(list, commune: commune, scope: Scope(), by: by, apply: apply)
            }
            for problem in result.problems { print("line \(problem.line): \(SafeText.terminal(problem.problem.description))") }
            let counts = "\(result.created) to create, \(result.updated) to update, \(result.unchanged) unchanged"
            if result.applied {
                print("imported: \(result.created) created, \(result.updated) updated, \(result.unchanged) unchanged")
            } else if !result.problems.isEmpty {
                print("nothing imported: \(result.problems.count) wrong line(s); correct them and import again (\(counts))")
                throw ExitCode(65)
            } else {
                print(apply ? "nothing to change (\(counts))" : "preview: \(counts); add --apply to write them")
            }
        }
    }

    /// `households remove`.
    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete a household (it syncs to the laptops), or with --erase blank its head, phone and note for good.")
        @OptionGroup var global: HubOptions
        @Argument(help: "The household's id (or its first or last 8 characters, as `households list` shows).") var id: String
        @Flag(help: "Erase its personal fields instead of deleting it (a subject's request).") var erase = false
        @Option(help: "Who removes it (in the audit log).") var by = "operator"

        func run() async throws {
            let (id, erase, by) = (self.id, self.erase, self.by)
            let state = try await global.withStorage { try await $0.removeHousehold(id, erase: erase, scope: Scope(), by: by) }
            print((erase ? "erased household " : "deleted household ") + state.id)
        }
    }

    /// `households list`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List a commune's households (or one village's).")
        @OptionGroup var global: HubOptions
        @Option(help: "The commune (5 digits).") var commune: String
        @Option(help: "Only this village (its name as in `villages list`).") var village: String?

        func run() async throws {
            let (commune, village) = (self.commune, self.village)
            let households = try await global.withStorage(readOnly: true) { storage in
                var name: String?
                if let village { name = try await storage.village(named: village, commune: commune, scope: Scope()).name }
                return try await storage.households(in: Scope(commune: commune), village: name)
            }
            guard !households.isEmpty else { return print("no household yet: `households import FILE --commune \(commune)`") }
            for household in households {
                let value = { (name: String) in household[name]?.value.text ?? "" }
                let address = [value("houseNumber"), value("street")].filter { !$0.isEmpty }.joined(separator: " ")
                var adults = 0
                if case .int(let n)? = household["adults"]?.value { adults = Int(n) }
                print(SafeText.terminal("\(household.id.suffix(8))  \(value("village"))  \(address)  \(value("head"))  \(adults) adult(s)"))
            }
        }
    }
}
