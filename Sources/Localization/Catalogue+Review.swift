// Reviews (issue 33): the console's review form, and the volunteer's side of a visit returned for correction.
extension Catalogue {
    static let reviewVietnamese: [String: String] = [
        "review_heading": "Duyệt lượt này", "review_state": "Quyết định", "review_comment": "Nhận xét cho tình nguyện viên",
        "review_comment_hint": "Bắt buộc khi trả lại hoặc không tính: tình nguyện viên đọc được trên máy của mình.",
        "review_submit": "Lưu quyết định", "review_none": "Chưa duyệt", "review_card": "Duyệt",
        "review_changed_after": "đã sửa sau khi duyệt", "review_resubmitted": "đã gửi lại sau khi bổ sung",
        "review_by": "%1, %2", "review_apply": "Áp dụng cho các lượt đã chọn", "nav_review": "Duyệt", "page_review": "Lượt cần duyệt",
        "review.needs_correction_line": "lượt %1 (%2) cần bổ sung: %3",
        "review.none": "không có lượt nào cần bổ sung",
        "help.review": "Các lượt điều phối viên trả lại cần bổ sung, cùng nhận xét của họ; sửa bằng `fieldsync edit` rồi đồng bộ.",
        "sync.needs_correction": "%1 lượt cần bổ sung theo nhận xét của điều phối viên: `fieldsync review` liệt kê",
        "status.needs_correction": "Cần bổ sung",
        "app_review_heading": "Cần bổ sung theo điều phối viên", "app_review_line": "%1 · %2: «%3»",
    ]

    static let reviewEnglish: [String: String] = [
        "review_heading": "Review this visit", "review_state": "Decision", "review_comment": "Comment for the volunteer",
        "review_comment_hint": "Needed to return or reject: the volunteer reads it on the laptop.",
        "review_submit": "Save the decision", "review_none": "Not reviewed", "review_card": "Review",
        "review_changed_after": "changed after review", "review_resubmitted": "resubmitted after correction",
        "review_by": "%1, %2", "review_apply": "Apply to the ticked visits", "nav_review": "Review", "page_review": "Visits to review",
        "review.needs_correction_line": "visit %1 (%2) needs a correction: %3",
        "review.none": "no visit needs a correction",
        "help.review": "Visits a coordinator returned for correction, with the coordinator's comment; fix them with `fieldsync edit`, then sync.",
        "sync.needs_correction": "%1 visit(s) need a correction from the coordinator's comment: `fieldsync review` lists them",
        "status.needs_correction": "Needs correction",
        "app_review_heading": "Corrections asked by the coordinator", "app_review_line": "%1 · %2: “%3”",
    ]
}
