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
