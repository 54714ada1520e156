import FieldModel
import FieldSyncTesting
import Foundation
import Localization
import Testing
@testable import HubCore
@testable import HubReports

/// The visits workbook opened by a real spreadsheet program: LibreOffice (headless) converts it to CSV as a
/// person's Calc would show it, and every value comes back as typed: codes and phones with their zeros, masks as
/// text, times in Vietnam time, labels in words, the second sheet with the codes.
@Suite struct SpreadsheetProgramTests {
    static let office = FileManager.default.isExecutableFile(atPath: "/usr/bin/soffice")
    static let required = ProcessInfo.processInfo.environment["FIELDSYNC_REQUIRE_BROWSER"] == "1"

    @Test(.enabled(if: office || required, "LibreOffice is not installed (Tools/setup.sh --protocol)"))
    func libreOfficeReadsTheValuesAsTyped() throws {
        let dir = TemporaryDirectory()
        let visit = Visit(id: "01a24fdb-0e78-7351-b4d2-0bdcccb1d19f", service: .eWallet, outcome: .failed, commune: "00004",
                          citizenName: "Trần Văn Bình", citizenID: nil, phone: "0971234567", reason: .otpNotReceived,
                          note: "=1+1, \"gọi lại\"", visitedAt: try #require(ISODate.parseCanonical("2026-12-07T01:30:00Z")),
                          volunteer: "Nguyễn Thị Lan", team: "T-00004-01", consent: nil)
        let line = VisitLine(visit, hubSeq: 1)
        let file = dir.file("visits.xlsx")
        try VisitSheet.workbook([line], Catalogue(.vietnamese)).write(to: URL(fileURLWithPath: file))
        let converted = try Executables.run("/usr/bin/soffice", [
            "-env:UserInstallation=file://\(dir.file("profile"))", "--headless",
            "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1", "--outdir", dir.path, file,
        ])
        #expect(converted.status == 0, "\(converted)")
        let people = try String(contentsOfFile: dir.file("visits-Lượt hỗ trợ.csv"), encoding: .utf8)
        let rows = people.split(separator: "\n").map { $0.trimmingCharacters(in: .newlines) }
        #expect(rows.first?.hasPrefix("Mã lượt,Thời gian hỗ trợ,Mã xã,Xã/phường,Tỉnh/thành,Tổ,Tình nguyện viên,Dịch vụ") == true, "\(rows)")
        #expect(rows.dropFirst().first == "ccb1d19f,07/12/2026 08:30,00004,Phường Ba Đình,Thành phố Hà Nội,T-00004-01,Nguyễn Thị Lan,"
                    + "Mở ví điện tử,Không thành công,Không nhận được OTP,Trần Văn Bình,,0971234567,\"=1+1, \"\"gọi lại\"\"\",",
                "the values as a person's Calc shows them: \(rows)")
        let codes = try String(contentsOfFile: dir.file("visits-Mã cho chương trình.csv"), encoding: .utf8)
        #expect(codes.contains("00004,Phường Ba Đình,01,T-00004-01,Nguyễn Thị Lan,e-wallet,failed,otp-not-received"), "\(codes)")
    }
}
