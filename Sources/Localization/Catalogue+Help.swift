extension Catalogue {
    /// Help of `fieldsync-server`'s coordinator commands, written in English in the code: each line of `english`
    /// in this language (lines the table does not hold — commands, examples — stay as written).
    public func helpText(_ english: String) -> String {
        guard language == .vietnamese else { return english }
        return english.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            Self.helpVietnamese[String(line)] ?? String(line)
        }.joined(separator: "\n")
    }

    /// The Vietnamese of every help line `helpText` is given (a test checks each one used is here).
    public static let helpVietnamese: [String: String] = [
        "Example:": "Ví dụ:",
        "The hub's store file (default: $FIELDSYNC_DB or fieldsync-hub.sqlite).": "Tệp kho của trạm (mặc định: $FIELDSYNC_DB hoặc fieldsync-hub.sqlite).",
        "A PostgreSQL store shared by several hubs, instead of --db (default: $FIELDSYNC_DATABASE): postgres://user:password@host:5432/database or postgres://user@/database?host=/var/run/postgresql": "Kho PostgreSQL dùng chung cho nhiều trạm, thay cho --db (mặc định: $FIELDSYNC_DATABASE): postgres://user:password@host:5432/database hoặc postgres://user@/database?host=/var/run/postgresql",
        "The hub's key file, made at first start with mode 0600 (default: $FIELDSYNC_KEY_FILE, else the --db file's name + .keys, or fieldsync-hub.keys with --database).": "Tệp khóa của trạm, tạo lúc khởi động lần đầu với quyền 0600 (mặc định: $FIELDSYNC_KEY_FILE, nếu không thì tên tệp --db thêm .keys, hoặc fieldsync-hub.keys khi dùng --database).",
        "Print JSON.": "In ra JSON (cho chương trình).",
        "Only this commune (5 digits).": "Chỉ xã này (5 chữ số).", "Only this province (2 digits).": "Chỉ tỉnh này (2 chữ số).",
        "Coordinator reports: merge, progress, devices, duplicates, coverage, quality.": "Báo cáo cho điều phối viên: merge (hợp nhất), progress (tiến độ), devices (thiết bị), duplicates (trùng lặp), coverage (độ phủ), quality (cờ chất lượng).",
        "merge, progress, devices, duplicates, coverage or quality.": "merge, progress, devices, duplicates, coverage hoặc quality.",
        "quality: a JSON file of thresholds (see Protocol/quality-rules.json).": "quality: tệp JSON các ngưỡng (xem Protocol/quality-rules.json).",
        "progress: VNeID level 2 targets from the household lists, this share of adults (80%).": "progress: chỉ tiêu VNeID mức 2 tính từ danh sách hộ, bằng tỷ lệ này của số người từ 18 tuổi (80%).",
        "coverage    per village: households in the list, visited, adults, VNeID level 2 applied and activated, follow-ups due and overdue; per commune; citizens per service; the trend by week.": "coverage    theo thôn, tổ: số hộ trong danh sách, hộ đã đến, người từ 18 tuổi, VNeID mức 2 đã nộp và đã kích hoạt, hẹn quay lại đến hạn và quá hạn; theo xã; người dân theo dịch vụ; diễn biến theo tuần.",
        "quality     data-quality flags (reasons to look, not accusations): bursts of activations, one phone on many citizens, night visits, one name without CCCD, failed rates unlike the team's, notes against outcomes, villages whose coverage jumped in a day; --quality-rules sets the thresholds.": "quality     cờ chất lượng dữ liệu (lý do để xem lại, không phải lời buộc tội): kích hoạt dồn dập, một số điện thoại cho nhiều người, lượt ghi ban đêm, cùng một tên không có CCCD, tỉ lệ không thành công khác tổ, ghi chú trái với kết quả, thôn có độ phủ tăng vọt trong một ngày; --quality-rules đặt các ngưỡng.",
        "table, csv, json or html.": "table (bảng trên màn hình), csv, json hoặc html.",
        "Visits on or after this date (ISO 8601).": "Lượt từ ngày này (25/11/2026 hoặc ISO 8601).",
        "Visits before this date (ISO 8601).": "Lượt trước ngày này (25/11/2026 hoặc ISO 8601).",
        "progress: a CSV file commune,service,target.": "progress: tệp CSV ba cột Mã xã, Dịch vụ, Chỉ tiêu.",
        "devices: days without a sync before a device is stale.": "devices: số ngày không đồng bộ thì coi là lâu chưa đồng bộ.",
        "csv: which table (one per file; the report's main one by default), e.g. conflicts.": "csv: bảng nào (mỗi tệp một bảng; mặc định là bảng chính của báo cáo), ví dụ conflicts.",
        "table: keep every table in columns however wide (otherwise wide ones become one block per row).": "table: giữ mọi bảng theo cột dù rộng đến đâu (nếu không, bảng rộng thành từng khối mỗi dòng).",
        "merge       what every device's pushes did; every conflict with both values, who wrote them and which was kept; quarantined records with their payload; refused pushes.": "merge       mỗi máy đã gửi gì; mọi xung đột với cả hai giá trị, ai ghi và giá trị nào được giữ; lượt bị từ chối vì dữ liệu sai; lần gửi bị từ chối.",
        "progress    per commune and service: done, pending, failed by reason, distinct citizens; rolled up to provinces; with --targets, the share reached and what is left, worst first. Communes with no activity are listed.": "progress    theo xã và dịch vụ: hoàn thành, đang chờ, không thành công theo lý do, số người dân; cộng lên tỉnh; với --targets, mức đạt chỉ tiêu và phần còn lại, thấp nhất trước. Xã chưa có hoạt động vẫn được liệt kê.",
        "devices     per device: last sync, visits in the period, unsynced backlog, stale flag.": "devices     theo máy: đồng bộ gần nhất, lượt trong kỳ, lượt chưa gửi, đánh dấu lâu chưa đồng bộ.",
        "duplicates  the same citizen helped for the same service more than once, with every visit.": "duplicates  cùng một người dân được hỗ trợ cùng dịch vụ nhiều lần, kèm mọi lượt.",
        "Resolve probable duplicates found by `report duplicates`.": "Xử lý các lượt nghi trùng mà `report duplicates` tìm ra.",
        "Delete one visit of a duplicate pair; the deletion syncs to the laptops.": "Xóa một lượt của cặp trùng; việc xóa được đồng bộ đến các máy.",
        "The hub writes the deletion itself, with a note naming the visit kept and who resolved it, so it syncs like any other change and the merge keeps every value.": "Trạm tự ghi việc xóa, kèm ghi chú nêu lượt được giữ và người xử lý, nên nó đồng bộ như mọi thay đổi khác và việc hợp nhất giữ mọi giá trị.",
        "The visit to delete (the duplicate).": "Lượt cần xóa (lượt trùng).",
        "The visit of the same citizen and service to keep.": "Lượt được giữ, cùng người dân và dịch vụ.",
        "Who resolves it.": "Người xử lý.", "Who resolves it (shown in the merge report).": "Người xử lý (hiện trong báo cáo hợp nhất).",
        "List, show and resolve conflict entries (two laptops wrote the same field without seeing each other).": "Liệt kê, xem và xử lý xung đột (hai máy sửa cùng một trường mà không thấy nhau).",
        "List conflict entries, open ones first by default.": "Liệt kê các xung đột, mặc định là các xung đột chưa xử lý.",
        "open, resolved or all.": "open (chưa xử lý), resolved (đã xử lý) hoặc all (tất cả).",
        "Found on or after this date (ISO 8601).": "Phát hiện từ ngày này (25/11/2026 hoặc ISO 8601).",
        "Found before this date (ISO 8601).": "Phát hiện trước ngày này (25/11/2026 hoặc ISO 8601).",
        "Show one entry: both values of each field, who wrote them, which was kept, the value now.": "Xem một xung đột: cả hai giá trị của từng trường, ai ghi, giá trị nào được giữ, giá trị hiện tại.",
        "The entry's id, or its first 8 or more digits (see conflicts list).": "Mã xung đột, hoặc 8 ký tự đầu trở lên (xem conflicts list).",
        "The entry's id, or its first 8 or more digits.": "Mã xung đột, hoặc 8 ký tự đầu trở lên.",
        "Resolve an entry: keep the kept value, take the losing one, or set a new one.": "Xử lý một xung đột: giữ giá trị đang giữ, lấy giá trị còn lại, hoặc đặt giá trị mới.",
        "--keep writes nothing: every laptop already holds the kept value. --take and --set are one write by the hub that follows both laptops' writes, so it reaches every laptop at its next sync and never conflicts with them. For an edit that met a deletion, --take restores the visit with the edit. Resolving an entry again changes nothing.": "--keep không ghi gì: mọi máy đã có giá trị đang giữ. --take và --set là một lần ghi của trạm đi sau cả hai lần ghi của hai máy, nên đến mọi máy ở lần đồng bộ tới và không bao giờ xung đột với chúng. Với một lần sửa gặp một lần xóa, --take khôi phục lượt cùng phần sửa. Xử lý lại một xung đột không thay đổi gì.",
        "Keep the value the merge kept.": "Giữ giá trị mà việc hợp nhất đã giữ.", "Take the losing value instead.": "Lấy giá trị còn lại.",
        "Set a field of the entry to a new value (repeatable).": "Đặt giá trị mới cho một trường của xung đột (dùng được nhiều lần).",
        "List enrolled devices, or revoke one's token.": "Liệt kê các thiết bị đã kích hoạt, hoặc thu hồi mã của một thiết bị.",
        "List enrolled devices.": "Liệt kê các thiết bị đã kích hoạt.",
        "Revoke a device's token: its requests are refused from now on.": "Thu hồi mã của một thiết bị: từ nay mọi yêu cầu của nó bị từ chối.",
        "The device id (see devices list).": "Mã thiết bị (xem devices list).",
        "Export every visit of the central store: JSON or CSV for programs, CSV or XLSX for people.": "Xuất mọi lượt của kho trung tâm: JSON hoặc CSV cho chương trình, CSV hoặc XLSX cho người đọc.",
        "json        every visit (deleted ones flagged) with its sync metadata, as `fieldsync list --json`.": "json        mọi lượt (đánh dấu lượt đã xóa) kèm siêu dữ liệu đồng bộ, như `fieldsync list --json`.",
        "csv         the visits table for programs: English column names, codes, UTC ISO 8601 times (the console's visits.csv has the same columns).": "csv         bảng lượt cho chương trình: tên cột tiếng Anh, mã, giờ UTC ISO 8601 (visits.csv của trang điều phối có cùng các cột).",
        "people-csv  the same table for people: headers and codes in words (--lang), Vietnam time; --separator ';' for spreadsheets set up for Vietnamese.": "people-csv  cùng bảng đó cho người đọc: tiêu đề và mã bằng chữ (--lang), giờ Việt Nam; --separator ';' cho bảng tính cài đặt tiếng Việt.",
        "xlsx        a workbook for people (the console's visits.xlsx): headers in words, codes as labels, times as dates in Vietnam time, a filter row; a second sheet keeps the codes.": "xlsx        bảng tính cho người đọc (như visits.xlsx của trang điều phối): tiêu đề bằng chữ, mã thành nhãn, thời gian là ngày giờ Việt Nam, có bộ lọc; trang thứ hai giữ các mã.",
        "CSV is UTF-8 with a byte-order mark. Deleted visits are in json only. Citizen IDs appear masked only.": "CSV là UTF-8 có dấu BOM. Lượt đã xóa chỉ có trong json. Số CCCD chỉ hiện dạng che.",
        "json, csv, people-csv or xlsx.": "json, csv, people-csv hoặc xlsx.", "people-csv: ',' (the default) or ';'.": "people-csv: ',' (mặc định) hoặc ';'.",
        "Print a one-time enrolment code for a volunteer's laptop or a coordinator.": "In một mã kích hoạt dùng một lần cho máy của tình nguyện viên hoặc cho điều phối viên.",
        "A volunteer's code needs --team and --commune. A coordinator's code takes --commune, --province, or neither (the whole country). The hub keeps only a hash of the code.": "Mã của tình nguyện viên cần --team và --commune. Mã của điều phối viên nhận --commune, --province, hoặc không cần (toàn quốc). Trạm chỉ giữ mã băm của mã.",
        "The team's code.": "Mã tổ.", "The commune's 5-digit code.": "Mã xã 5 chữ số.", "The province's 2-digit code (coordinators).": "Mã tỉnh 2 chữ số (điều phối viên).",
        "volunteer or coordinator.": "volunteer (tình nguyện viên) hoặc coordinator (điều phối viên).",
        "How long the code stays valid: e.g. 12h, 7d.": "Thời hạn của mã: ví dụ 12h (12 giờ), 7d (7 ngày).",
    ]
}
