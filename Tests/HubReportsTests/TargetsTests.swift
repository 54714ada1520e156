import FieldModel
import Testing
@testable import HubCore
@testable import HubSQLite

@Suite struct TargetsTests {
    /// Issue 31: VNeID level 2 targets from the household lists, a share of each commune's adults; pasted ones win.
    @Test func targetsAreDerivedFromTheHouseholdLists() throws {
        var east = CoverageLine(commune: "00004", village: "Thôn Đông"), west = CoverageLine(commune: "00004", village: "Thôn Tây")
        east.adults = 1_001
        west.adults = 500
        let none = CoverageLine(commune: "00008", village: "")
        let derived = Targets.fromHouseholds([east, west, none], share: 0.8)
        #expect(derived.values == ["00004": ["vneid-level2": 1_201]], "1,501 adults × 80 %, rounded; no list, no target")
        let pasted = try Targets(csv: "commune,service,target\n00004,vneid-level2,900\n00004,bank-account,50\n")
        #expect(pasted.filling(from: derived).values == ["00004": ["vneid-level2": 900, "bank-account": 50]], "pasted ones win")
        #expect(derived.filling(from: pasted).values == ["00004": ["vneid-level2": 1_201, "bank-account": 50]], "others kept")
        #expect(Targets.share("80%") == 0.8 && Targets.share(" 80 ") == 0.8 && Targets.share("0,75") == 0.75 && Targets.share("100") == 1)
        #expect(Targets.share("0") == nil && Targets.share("120%") == nil && Targets.share("tám mươi") == nil)
    }

    @Test func readsAValidFile() throws {
        let targets = try Targets(csv: "\u{FEFF}commune,service,target\r\n00004,vneid-level2,10\r\n\r\n00008,bank-account,0\r\n")
        #expect(targets.values["00004"]?["vneid-level2"] == 10)
        #expect(targets.values["00008"]?["bank-account"] == 0)
    }

    /// What a spreadsheet in Vietnamese settings saves back: `;` between cells, quoted cells, codes
    /// without their leading zeros, thousands grouped with a dot.
    @Test func readsWhatASpreadsheetSavesBack() throws {
        let targets = try Targets(csv: "\u{FEFF}\"commune\";\"service\";\"target\"\r\n4;vneid-level2;1.500\r\n\"8\";bank-account;0\r\n;;\r\n")
        #expect(targets.values == ["00004": ["vneid-level2": 1_500], "00008": ["bank-account": 0]])
        let tabs = try Targets(csv: "commune\tservice\ttarget\n00004\te-wallet\t1,000\n")
        #expect(tabs.values["00004"]?["e-wallet"] == 1_000)
    }

    @Test func everyBadLineIsNamed() {
        do {
            _ = try Targets(csv: "commune;service;target\n4;vneid-level2;10\n13;vneid-level2;5\n8;bank;x\n")
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains("2 lines of the targets file are wrong"), "\(error.description)")
            #expect(error.description.contains("line 3: commune «13»") && error.description.contains("line 4: unknown service «bank»"))
        }
    }

    @Test(arguments: [
        ("commune,service\n00004,vneid-level2,10", "header"),
        ("code,service,target\n00004,vneid-level2,10", "header"),
        ("commune,service,target\n99999,vneid-level2,10", "line 2: commune «99999»"),
        ("commune,service,target\n00013,vneid-level2,10", "line 2: commune «00013»"),
        ("commune,service,target\n00004,vneid,10", "line 2: unknown service «vneid»"),
        ("commune,service,target\n00004,vneid-level2,-3", "line 2: target -3 is negative"),
        ("commune,service,target\n00004,vneid-level2,ten", "line 2: target «ten» is not a whole number"),
        ("commune,service,target\n00004,vneid-level2,1.5", "line 2: target «1.5» is not a whole number"),
        ("commune,service,target\n00004,vneid-level2,1\n00004,vneid-level2,2", "line 3: commune 00004 and service vneid-level2 already have a target"),
        ("commune,service,target\n00004,vneid-level2", "line 2: expected 3 cells"),
    ])
    func refusesABadFileWithAClearMessage(text: String, message: String) {
        do {
            _ = try Targets(csv: text)
            Issue.record("expected an error for: \(text)")
        } catch {
            #expect(error.description.contains(message), "\(error.description)")
        }
    }

    @Test func aMissingFileSaysSo() {
        #expect(throws: TargetsError.unreadable(path: "/nonexistent/targets.csv")) { try Targets(file: "/nonexistent/targets.csv") }
    }
}

@Suite struct CSVWriterTests {
    @Test func formulaCellsInEveryFormAreDefusedAndControlsShown() {
        var csv = CSVWriter(header: ["a", "b", "c"])
        csv.row(["=HYPERLINK(\"http://x\")", "\u{FF1D}1+1", "\u{FEFF}=cmd"])
        csv.row(["-3", "00004", "note\u{1B}[2J\nline 2"])
        let lines = csv.output.components(separatedBy: "\r\n")
        #expect(lines[1] == "\"'=HYPERLINK(\"\"http://x\"\")\",'\u{FF1D}1+1,'\\u{FEFF}=cmd")
        #expect(lines[2] == "-3,00004,\"note\\u{1B}[2J\nline 2\"")
    }
}
