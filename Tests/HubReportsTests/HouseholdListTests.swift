import FieldModel
import FieldSyncTesting
import Foundation
import Testing
@testable import HubCore
@testable import HubReports

/// A commune's household list as people keep it (issue 31): CSV as spreadsheets save it, XLSX as our writer and as
/// LibreOffice write it, headers in either language with or without marks; bad files and lines named.
@Suite struct HouseholdListTests {
    @Test func csvCellsAreReadAsSpreadsheetsWriteThem() {
        let rows = SheetRows.csv("\u{FEFF}a;b;c\r\n1;\"x; \"\"y\"\"\";3\r\n\r\n;;\n4;\"two\nlines\";6")
        #expect(rows.map(\.line) == [1, 2, 5])
        #expect(rows[1].cells == ["1", "x; \"y\"", "3"])
        #expect(rows[2].cells == ["4", "two\nlines", "6"])
        #expect(SheetRows.csv("a,b\n1,2").map(\.cells) == [["a", "b"], ["1", "2"]], "commas when the header has them")
        #expect(SheetRows.csv("a\tb\n1\t2").last?.cells == ["1", "2"])
    }

    @Test func headersAreMatchedLooselyInEitherLanguage() throws {
        let vietnamese = try HouseholdList(rows: SheetRows.csv("STT,Tên thôn/tổ,Mã hộ GĐ,Số nhà,Địa chỉ (ngõ/đường),Họ tên chủ hộ,SĐT,Số người trên 18 tuổi,Ghi chú\n1,Thôn Đông,H-01,12,Ngõ 5,Nguyễn Văn An,0912345678,3.0,"))
        #expect(Set(vietnamese.columns.values) == Set(HouseholdList.Column.allCases))
        let line = try #require(vietnamese.lines.first?.draft)
        #expect(line == HouseholdDraft(village: "Thôn Đông", code: "H-01", houseNumber: "12", street: "Ngõ 5", head: "Nguyễn Văn An",
                                       phone: "0912345678", adults: "3", note: ""))
        let english = try HouseholdList(rows: SheetRows.csv("Village,House,Street,Head of household,Phone,Adults\nEast,1,Lane 2,An,,2"))
        #expect(english.lines.first?.draft.head == "An" && english.columns.values.contains(.adults))
        let unaccented = try HouseholdList(rows: SheetRows.csv("thon;chu ho\nDong;An"))
        #expect(unaccented.lines.count == 1)
        #expect(throws: HubError.self, "no head-of-household column") { try HouseholdList(rows: SheetRows.csv("Thôn;Số nhà\nĐông;1")) }
        #expect(throws: HubError.self, "an empty file") { try HouseholdList(rows: []) }
        let gaps = try HouseholdList(rows: SheetRows.csv("Thôn;Chủ hộ\n;An\nĐông;"))
        #expect(gaps.problems.map(\.line) == [2, 3] && gaps.lines.isEmpty)
    }

    @Test func aHouseholdKeepsItsKeyWhateverTheSpelling() {
        let a = HouseholdDraft(village: "Thôn Đông", houseNumber: "12", street: "Ngõ 5,", head: "Nguyễn Văn  An")
        let b = HouseholdDraft(village: "thon dong", houseNumber: "12 ", street: "ngo 5", head: "NGUYEN VAN AN")
        #expect(a.key == b.key && a.key == "addr:thon dong|12 ngo 5|nguyen van an")
        #expect(HouseholdDraft(village: "x", code: " H-01 ", head: "y").key == "code:h 01", "the commune's code wins")
    }

    @Test func workbooksAreReadFromTheirFirstSheet() throws {
        let sheet = XLSXSheet(name: "Hộ", header: ["Thôn", "Chủ hộ", "Số người từ 18 tuổi"],
                              rows: [[.text("Thôn Đông"), .text("Nguyễn Văn An"), .number(3)], [.text("Thôn Tây"), .text("Lê Thị <Hoa> & co"), .empty]])
        let rows = try SheetFile.rows(try XLSXWriter.workbook([sheet]))
        #expect(rows.map(\.cells) == [["Thôn", "Chủ hộ", "Số người từ 18 tuổi"], ["Thôn Đông", "Nguyễn Văn An", "3"], ["Thôn Tây", "Lê Thị <Hoa> & co"]])
        #expect(rows.map(\.line) == [1, 2, 3])
        #expect(throws: XLSXReadError.self, "a zip without a sheet") { try XLSXReader.rows(Data([0x50, 0x4B, 0x03, 0x04, 1, 2, 3])) }
        #expect(throws: XLSXReadError.self, "not UTF-8") { try SheetFile.rows(Data([0xFF, 0xFE, 0x41, 0x00, 0xC3])) }
    }

    /// A list saved by LibreOffice (shared strings, numbers as numbers) reads the same.
    @Test(.enabled(if: SpreadsheetProgramTests.office || SpreadsheetProgramTests.required, "LibreOffice is not installed"))
    func aWorkbookSavedByLibreOfficeIsRead() throws {
        let dir = TemporaryDirectory()
        let csv = dir.file("ho.csv")
        try "Thôn,Số nhà,Chủ hộ,Số người từ 18 tuổi\nThôn Đông,12,Nguyễn Văn An,3\nThôn Đông,14,Trần Thị Bình,4\n".write(toFile: csv, atomically: true, encoding: .utf8)
        let converted = try Executables.run("/usr/bin/soffice", [
            "-env:UserInstallation=file://\(dir.file("profile"))", "--headless", "--infilter=CSV:44,34,76,1", "--convert-to", "xlsx",
            "--outdir", dir.path, csv,
        ])
        #expect(converted.status == 0, "\(converted)")
        let list = try HouseholdList(rows: try SheetFile.rows(try Data(contentsOf: URL(fileURLWithPath: dir.file("ho.xlsx")))))
        #expect(list.lines.map(\.draft.head) == ["Nguyễn Văn An", "Trần Thị Bình"] && list.lines.map(\.draft.adults) == ["3", "4"])
    }
}
