import FieldSyncTesting
import Testing
@testable import HubReports

/// Chart labels fit: long ones wrap onto two lines, never cut mid-word; the whole label is the bar's hover title.
struct ChartTests {
    @Test func longLabelsWrapAndKeepTheirWholeTextOnHover() {
        let labels = ["Thông tin không khớp CSDL dân cư", "Không chụp được khuôn mặt", "Số điện thoại không chính chủ",
                      "Xã", "Đã nộp hồ sơ, chờ duyệt — một nhãn thật sự rất dài, dài hơn hai dòng"]
        let chart = ReportDocument.Chart(caption: "Lý do", bars: labels.map { .init(label: $0, value: 1, parts: [], note: "1") },
                                         maximum: 1, legend: [])
        let svg = ReportDocument.svg(chart)
        for label in labels.prefix(4) {
            #expect(svg.contains("<title>\(ReportDocument.escape(label))</title>"), "hover shows \(label)")
            let shown = ReportDocument.wrap(label)
            #expect(shown.joined(separator: " ") == label, "\(label) is shown whole: \(shown)")
            #expect(shown.allSatisfy { $0.count <= 24 } && shown.count <= 2)
        }
        let long = ReportDocument.wrap(labels[4])
        #expect(long.count == 2 && long[1].hasSuffix("…") && long.allSatisfy { $0.count <= 24 }, "\(long)")
        #expect(ReportDocument.wrap("không chụp được khuôn mặt") == ["không chụp được khuôn", "mặt"])
    }
}

/// The words checker used by the Vietnamese/English tests finds what it must: catalogue strings, the visit kind's
/// labels and codes of the other language; not names or data.
struct PeopleWordsCheckerTests {
    @Test func theCheckerFindsTheOtherLanguage() {
        #expect(PeopleWords.leaks(in: "Kết quả: Failed", language: .vietnamese).contains { $0.contains("Failed") })
        #expect(PeopleWords.leaks(in: "Dịch vụ: e-wallet", language: .vietnamese).contains { $0.contains("e-wallet") })
        #expect(PeopleWords.leaks(in: "Outcome: Không thành công", language: .english).contains { $0.contains("Không thành công") })
        #expect(PeopleWords.leaks(in: "Lúc 2026-12-07T01:30:00Z", language: .vietnamese).contains { $0.contains("UTC") })
        #expect(PeopleWords.leaks(in: "Trần Văn Bình, Phường Ba Đình, 07/12/2026 08:30, có", language: .vietnamese).isEmpty)
    }
}
