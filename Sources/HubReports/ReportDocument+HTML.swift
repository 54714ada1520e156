import TextSafety

extension ReportDocument {
    /// One self-contained HTML page: inline CSS and SVG, no external resources, readable on a phone.
    public func html() -> String {
        var body = "<header><h1>\(Self.escape(title))</h1><p>\(Self.escape(subtitle))</p></header>\n"
        if !summary.isEmpty {
            body += "<section class=\"cards\">" + summary.map {
                "<div class=\"card\"><div class=\"k\">\(Self.escape($0.0))</div><div class=\"v\">\(Self.escape($0.1))</div></div>"
            }.joined() + "</section>\n"
        }
        for section in sections {
            body += "<section><h2>\(Self.escape(section.title)) <small>(\(section.count))</small></h2>\n"
            if let note = section.note { body += "<p class=\"note\">\(Self.escape(note))</p>\n" }
            if let chart = section.chart, !chart.bars.isEmpty { body += Self.svg(chart) }
            if !section.rows.isEmpty {
                body += "<div class=\"scroll\"><table><thead><tr>"
                body += section.columns.map { "<th\($0.numeric ? " class=\"n\"" : "")>\(Self.escape($0.title))</th>" }.joined()
                body += "</tr></thead><tbody>\n"
                for (n, row) in section.rows.enumerated() {
                    body += "<tr\(section.flagged.contains(n) ? " class=\"flag\"" : "")>"
                    for (c, column) in section.columns.enumerated() {
                        let cell = c < row.count ? row[c] : ""
                        body += "<td\(column.numeric ? " class=\"n\"" : "")>\(Self.escape(cell))</td>"
                    }
                    body += "</tr>\n"
                }
                body += "</tbody></table></div>\n"
            }
            body += "</section>\n"
        }
        return """
            <!DOCTYPE html>
            <html lang="\(language)"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(Self.escape(title))</title>
            <style>
            :root{--ink:#1d2a33;--muted:#5b6b76;--line:#d8e0e5;--done:#2e8b57;--pending:#e0a526;--failed:#c8453b;--bar:#3a7bd5}
            *{box-sizing:border-box}body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;color:var(--ink);background:#f5f7f8}
            header{background:#0f4c75;color:#fff;padding:16px 16px 12px}header h1{margin:0;font-size:1.25rem}header p{margin:4px 0 0;opacity:.85;font-size:.85rem}
            section{background:#fff;margin:12px;padding:12px;border-radius:10px;box-shadow:0 1px 2px rgba(0,0,0,.06)}
            h2{font-size:1.05rem;margin:0 0 8px}h2 small{color:var(--muted);font-weight:normal}.note{color:var(--muted);font-size:.85rem;margin:0 0 8px}
            .cards{display:flex;flex-wrap:wrap;gap:8px;background:none;box-shadow:none;padding:0}
            .card{flex:1 1 130px;background:#fff;border-radius:10px;padding:10px 12px;box-shadow:0 1px 2px rgba(0,0,0,.06)}
            .card .k{color:var(--muted);font-size:.8rem}.card .v{font-size:1.3rem;font-weight:600}
            .scroll{overflow-x:auto;-webkit-overflow-scrolling:touch}
            table{border-collapse:collapse;width:100%;font-size:.85rem}th,td{padding:6px 8px;border-bottom:1px solid var(--line);text-align:left;white-space:nowrap}
            th{position:sticky;top:0;background:#eef3f6;font-weight:600}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
            tr.flag td{background:#fff3f1}svg{width:100%;height:auto;display:block;margin-bottom:8px}
            .legend{font-size:.75rem;color:var(--muted);margin:-4px 0 8px}.legend span{margin-right:12px}.legend i{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:4px;vertical-align:-1px}
            .legend i.c0{background:var(--done)}.legend i.c1{background:var(--pending)}.legend i.c2{background:var(--failed)}.legend i.c3{background:var(--bar)}
            </style></head>
            <body>
            \(body)<footer style="color:#5b6b76;font-size:.75rem;padding:0 16px 16px">FieldSync</footer>
            </body></html>

            """
    }

    static let palette = ["var(--done)", "var(--pending)", "var(--failed)", "var(--bar)"]

    /// A chart as inline SVG (labels escaped), with its legend. A long label wraps onto a second line and, when
    /// even two lines are short of it, ends with … while the whole label shows on hover (its `<title>`).
    public static func svg(_ chart: Chart) -> String {
        let labelWidth = 150.0, width = 400.0, barWidth = width - labelWidth - 60
        let labels = chart.bars.map { wrap($0.label) }
        let rowHeight = labels.contains { $0.count > 1 } ? 30.0 : 22.0
        let height = rowHeight * Double(chart.bars.count) + 6
        var svg = "<svg viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"\(escape(chart.caption))\">"
        for (n, bar) in chart.bars.enumerated() {
            let y = Double(n) * rowHeight + 3, middle = y + rowHeight / 2
            let lines = labels[n]
            svg += "<g><title>\(escape(bar.label))</title>"
            for (l, line) in lines.enumerated() {
                let baseline = middle + 4 + (Double(l) - Double(lines.count - 1) / 2) * 12
                svg += "<text x=\"\(Int(labelWidth - 6))\" y=\"\(format(baseline))\" text-anchor=\"end\" font-size=\"11\" fill=\"#1d2a33\">\(escape(line))</text>"
            }
            svg += "</g>"
            svg += "<rect x=\"\(Int(labelWidth))\" y=\"\(format(middle - 7))\" width=\"\(Int(barWidth))\" height=\"14\" rx=\"3\" fill=\"#eef3f6\"/>"
            var x = labelWidth
            let parts = bar.parts.isEmpty ? [bar.value] : bar.parts
            for (p, part) in parts.enumerated() where part > 0 && chart.maximum > 0 {
                let w = min(barWidth, part / chart.maximum * barWidth)
                svg += "<rect x=\"\(format(x))\" y=\"\(format(middle - 7))\" width=\"\(format(w))\" height=\"14\" fill=\"\(bar.parts.isEmpty ? palette[3] : palette[p % palette.count])\"/>"
                x += w
            }
            svg += "<text x=\"\(Int(labelWidth + barWidth + 6))\" y=\"\(format(middle + 4))\" font-size=\"11\" fill=\"#5b6b76\">\(escape(bar.note))</text>"
        }
        svg += "</svg>"
        if !chart.legend.isEmpty {
            svg += "<div class=\"legend\">" + chart.legend.enumerated().map {
                "<span><i class=\"c\($0.offset % palette.count)\"></i>\(escape($0.element))</span>"
            }.joined() + "</div>"
        }
        return svg + "\n"
    }

    /// A label in lines of at most `width` characters, broken between words; two lines at most, the second cut with …
    static func wrap(_ label: String, width: Int = 24) -> [String] {
        guard label.count > width else { return [label] }
        var lines: [String] = [""]
        for word in label.split(separator: " ") {
            let candidate = lines[lines.count - 1].isEmpty ? String(word) : lines[lines.count - 1] + " " + word
            if candidate.count <= width || lines[lines.count - 1].isEmpty {
                lines[lines.count - 1] = candidate
            } else {
                lines.append(String(word))
            }
        }
        guard lines.count > 2 || lines.contains(where: { $0.count > width }) else { return lines }
        let second = lines.dropFirst().joined(separator: " ")
        let first = String(lines[0].prefix(width))
        return [first, second.count > width ? String(second.prefix(width - 1)) + "…" : second]
    }

    static func format(_ value: Double) -> String { String(Int((value * 10).rounded())) == "0" ? "0" : "\((value * 10).rounded() / 10)" }

    /// Escapes text for HTML; control and invisible formatting characters (a bidi override could make a
    /// value read backwards) are shown as visible escapes.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for c in SafeText.terminal(text, keepLineBreaks: true) {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }
}
