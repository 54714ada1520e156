import Testing
import TextSafety

@Suite struct SafeTextTests {
    @Test func terminalOutputShowsEscapesInsteadOfRunningThem() {
        #expect(SafeText.terminal("a\u{1B}[2Jb") == "a\\u{1B}[2Jb")
        #expect(SafeText.terminal("Nguy\u{202E}ễn") == "Nguy\\u{202E}ễn")
        #expect(SafeText.terminal("x\u{9B}y\u{7F}") == "x\\u{9B}y\\u{7F}")
        #expect(SafeText.terminal("line\nnext") == "line\\u{A}next")
        #expect(SafeText.terminal("line\nnext\tcol", keepLineBreaks: true) == "line\nnext\tcol")
        #expect(SafeText.terminal("Trần Văn Bình — đã xong") == "Trần Văn Bình — đã xong")
    }

    @Test func quotedInputIsBoundedAndSafe() {
        let huge = String(repeating: "9", count: 4_000_000)
        let quoted = SafeText.quote(huge)
        #expect(quoted.count < 120)
        #expect(quoted.hasPrefix("«9999"))
        #expect(quoted.contains("4000000 bytes"))
        #expect(SafeText.quote("\u{1B}]0;pwned\u{07}") == "«\\u{1B}]0;pwned\\u{7}»")
    }

    @Test(arguments: [
        ("=1+1", "'=1+1"), ("+cmd", "'+cmd"), ("-x", "'-x"), ("@SUM(A1)", "'@SUM(A1)"),
        ("\u{FF1D}1+1", "'\u{FF1D}1+1"), ("\u{FEFF}=1+1", "'\u{FEFF}=1+1"), ("  =HYPERLINK()", "'  =HYPERLINK()"),
        ("\tx", "'\tx"), ("\u{FF20}x", "'\u{FF20}x"), ("\u{FF0B}1", "'\u{FF0B}1"), ("\u{FF0D}1", "'\u{FF0D}1"),
        ("-3", "-3"), ("+84", "+84"), ("00004", "00004"), ("Lê Thị Hoà", "Lê Thị Hoà"), ("", ""),
    ])
    func spreadsheetCellsCannotBeFormulas(cell: String, expected: String) {
        #expect(SafeText.spreadsheetCell(cell) == expected)
    }

    @Test func truncationKeepsWholeCharacters() {
        let (text, cut) = SafeText.truncated("ễễễ", toBytes: 7)
        #expect(cut)
        #expect(text == "ễễ")
        #expect(SafeText.truncated("abc", toBytes: 3) == ("abc", false))
    }
}
