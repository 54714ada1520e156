extension Catalogue {
    static let commandsVietnamese: [String: String] = [
        "cli.no_command_suggest": "Lỗi: %1 không có lệnh «%2». Có phải bạn muốn gõ «%3»? (`%1 --help` liệt kê các lệnh)",
        "cli.no_command": "Lỗi: %1 không có lệnh «%2»: `%1 --help` liệt kê các lệnh",
        "cli.error": "Lỗi",
        "devices.area": "Địa bàn", "devices.enrolled": "Kích hoạt lúc", "devices.id": "Mã thiết bị (để thu hồi)",
        "devices.revoked_at": "Đã thu hồi lúc %1", "devices.enrolled_title": "Thiết bị đã kích hoạt",
        "devices.revoked_done": "Đã thu hồi thiết bị %1: từ nay máy này không đồng bộ được nữa.",
        "duplicates.resolved": "Đã xóa lượt …%1 vì trùng với lượt …%2; các máy nhận thay đổi này ở lần đồng bộ tới.",
        "conflicts.title_open": "Xung đột chưa xử lý", "conflicts.title_resolved": "Xung đột đã xử lý", "conflicts.title_all": "Tất cả xung đột",
        "conflicts.entries": "Số xung đột", "conflicts.open": "Chưa xử lý",
        "conflicts.already": "Xung đột của %1 đã được xử lý trước đó (%2): không thay đổi gì.",
        "conflicts.written": "Đã xử lý xung đột của %1 (%2): trạm đã ghi giá trị, các máy nhận ở lần đồng bộ tới.",
        "conflicts.nothing_to_write": "Đã xử lý xung đột của %1 (%2): không cần ghi gì, mọi máy đã có các giá trị này.",
    ]
    static let commandsEnglish: [String: String] = [
        "cli.no_command_suggest": "Error: %1 has no command «%2». Did you mean «%3»? (`%1 --help` lists them)",
        "cli.no_command": "Error: %1 has no command «%2»: `%1 --help` lists the commands",
        "cli.error": "Error",
        "devices.area": "Area", "devices.enrolled": "Enrolled", "devices.id": "Device id (to revoke)",
        "devices.revoked_at": "Revoked at %1", "devices.enrolled_title": "Enrolled devices",
        "devices.revoked_done": "Revoked device %1: it can no longer sync.",
        "duplicates.resolved": "Deleted visit …%1 as a duplicate of visit …%2; the laptops receive it at their next sync.",
        "conflicts.title_open": "Open conflicts", "conflicts.title_resolved": "Resolved conflicts", "conflicts.title_all": "All conflicts",
        "conflicts.entries": "Entries", "conflicts.open": "Open",
        "conflicts.already": "The conflict of %1 was already resolved (%2): nothing changed.",
        "conflicts.written": "Resolved the conflict of %1 (%2): the hub wrote the values; laptops receive them at their next sync.",
        "conflicts.nothing_to_write": "Resolved the conflict of %1 (%2): nothing to write, every laptop already holds these values.",
    ]
}
