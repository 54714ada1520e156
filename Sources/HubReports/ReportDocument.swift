/// A report laid out for people: a title, a summary, and sections of tables with optional bar charts.
/// Rendered as an aligned terminal table, CSV, or one self-contained HTML page.
public struct ReportDocument: Sendable {
    /// A column of a table.
    public struct Column: Sendable {
        public var title: String
        /// Numbers are right-aligned.
        public var numeric: Bool

        public init(_ title: String, numeric: Bool = false) {
            self.title = title
            self.numeric = numeric
        }
    }

    /// A horizontal bar chart: one bar per label, with an optional target mark.
    public struct Chart: Sendable {
        public struct Bar: Sendable {
            public var label: String
            public var value: Double
            /// Parts of the bar (done, pending, failed…) summing to `value`; empty for a single colour.
            public var parts: [Double]
            public var note: String

            public init(label: String, value: Double, parts: [Double] = [], note: String) {
                self.label = label
                self.value = value
                self.parts = parts
                self.note = note
            }
        }
        public var caption: String
        public var bars: [Bar]
        /// The scale's end (100 for percentages).
        public var maximum: Double
        public var legend: [String]

        public init(caption: String, bars: [Bar], maximum: Double, legend: [String] = []) {
            self.caption = caption
            self.bars = bars
            self.maximum = maximum
            self.legend = legend
        }
    }

    /// A titled table, with a chart above it when one helps.
    public struct Section: Sendable {
        public var title: String
        public var note: String?
        public var columns: [Column]
        public var rows: [[String]]
        /// Rows to highlight (stale devices, communes with no activity).
        public var flagged: Set<Int>
        public var chart: Chart?
        /// How many things the section lists, shown beside its title: its rows, unless one thing takes several
        /// (a conflict entry, one row per field) or some are counted but not listed.
        public var count: Int

        public init(title: String, note: String? = nil, columns: [Column], rows: [[String]], flagged: Set<Int> = [], chart: Chart? = nil,
                    count: Int? = nil) {
            self.title = title
            self.note = note
            self.columns = columns
            self.rows = rows
            self.flagged = flagged
            self.chart = chart
            self.count = count ?? rows.count
        }
    }

    public var title: String
    public var subtitle: String
    /// The page's language (`vi` or `en`), for HTML's `lang`.
    public var language = "en"
    /// The section a CSV file holds unless another is asked for (one table per file).
    public var mainSection = 0
    /// Key figures shown first.
    public var summary: [(String, String)]
    public var sections: [Section]

    public init(title: String, subtitle: String, summary: [(String, String)], sections: [Section]) {
        self.title = title
        self.subtitle = subtitle
        self.summary = summary
        self.sections = sections
    }
}
