#!/usr/bin/env bash
# The README's main job: the whole FieldSync loop on the embedded default (SQLite), on loopback.
# A hub starts on 127.0.0.1 (a free port); three volunteers' laptops log visits offline; two of them
# edit the same visit while offline; everyone syncs; the coordinator reads the merge report.
# With --postgres, the same on PostgreSQL: a throwaway cluster (Tools/postgres.sh) and two hub
# processes on it, the laptops enrolled at one and the other.
set -euo pipefail
cd "$(dirname "$0")/.."
Tools/setup.sh
swift build --product fieldsync-server >&2
swift build --product fieldsync-network >&2
swift build --product fieldsync >&2
bin="$(swift build --show-bin-path)"
work="$(mktemp -d)"
hub_pid=""
second_pid=""
hub_store=(--db "$work/hub.sqlite")
if [ "${1:-}" = "--postgres" ]; then
    server="$(Tools/postgres.sh start)"
    name="demo_$$"
    psql "${server%%\?*}" -q -c "CREATE DATABASE $name" >/dev/null
    hub_store=(--database "${server/\/fieldsync\?//$name?}" --key-file "$work/hub.keys")
fi
cleanup() {
    [ -n "$hub_pid" ] && kill "$hub_pid" 2>/dev/null
    [ -n "$second_pid" ] && kill "$second_pid" 2>/dev/null
    wait 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT

# Headings in the language the commands speak (FIELDSYNC_LANG=en for English); colours only on a terminal,
# so a demo written to a file holds no escape codes.
if [ -t 1 ]; then bold=$'\033[1m' dim=$'\033[2m' plain=$'\033[0m'; else bold="" dim="" plain=""; fi
english=false
case "${FIELDSYNC_LANG:-vi}" in en*) english=true ;; esac
say() { if $english; then printf '\n%s== %s%s\n' "$bold" "$2" "$plain"; else printf '\n%s== %s%s\n' "$bold" "$1" "$plain"; fi; }
run() { printf '%s$ %s%s\n' "$dim" "$*" "$plain"; "$@"; }

say "Trạm: fieldsync-server trên máy này (loopback), kho trung tâm ${hub_store[*]}" "The hub: fieldsync-server on loopback, central store ${hub_store[*]}"
"$bin/fieldsync-server" "${hub_store[@]}" serve --host 127.0.0.1 --port 0 > "$work/hub.out" 2> "$work/hub.log" &
hub_pid=$!
for _ in $(seq 100); do grep -q listening "$work/hub.out" 2>/dev/null && break; sleep 0.1; done
url=$(sed -n 's/.*listening on //p' "$work/hub.out")
echo "$url"
second="$url"
if [ "${hub_store[0]}" = "--database" ]; then
    "$bin/fieldsync-server" "${hub_store[@]}" serve --host 127.0.0.1 --port 0 > "$work/hub2.out" 2> "$work/hub2.log" &
    second_pid=$!
    for _ in $(seq 100); do grep -q listening "$work/hub2.out" 2>/dev/null && break; sleep 0.1; done
    second=$(sed -n 's/.*listening on //p' "$work/hub2.out")
    echo "$second"
fi

say "Ba máy: Lan và Bình ở Phường Ba Đình (00004), Cúc ở Phường Ngọc Hà (00008)" "Three laptops: Lan and Bình in Phường Ba Đình (00004), Cúc in Phường Ngọc Hà (00008)"
lan="$work/lan.sqlite" binh="$work/binh.sqlite" cuc="$work/cuc.sqlite"
run "$bin/fieldsync" --store "$lan" init --volunteer "Nguyễn Thị Lan" --team T-00004-01 --commune 00004
run "$bin/fieldsync" --store "$binh" init --volunteer "Trần Văn Bình" --team T-00004-02 --commune 00004
run "$bin/fieldsync" --store "$cuc" init --volunteer "Lê Thị Cúc" --team T-00008-01 --commune 00008

say "Điều phối viên cấp mã kích hoạt dùng một lần; từng máy kích hoạt" "A coordinator issues one-time codes; each laptop enrols"
for pair in "$lan T-00004-01 00004 $url" "$binh T-00004-02 00004 $second" "$cuc T-00008-01 00008 $url"; do
    set -- $pair
    code=$("$bin/fieldsync-server" "${hub_store[@]}" enrollment-code --team "$2" --commune "$3")
    run "$bin/fieldsync" --store "$1" enroll --server "$4" --code "$code"
done

say "Ở thôn, không có mạng: các lượt hỗ trợ được ghi ngay trên máy" "Offline in the villages: visits are logged with no network"
visit=$("$bin/fieldsync" --store "$lan" log --service vneid-level2 --outcome pending --reason otp-not-received \
        --name "Phạm Văn Hùng" --cccd 001085012345 --phone "+84 97 123 4567" --note "SIM mới" 2>/dev/null)
echo "$visit"
run "$bin/fieldsync" --store "$lan" log --service bank-account --outcome done --name "Đỗ Thị Hoà"
run "$bin/fieldsync" --store "$binh" log --service public-service --outcome done --name "Vũ Văn Nam"
run "$bin/fieldsync" --store "$cuc" log --service e-wallet --outcome failed --reason old-phone --name "Hoàng Thị Mai"
run "$bin/fieldsync" --store "$lan" sync
run "$bin/fieldsync" --store "$binh" sync

say "Lan và Bình cùng hỗ trợ lại một người khi không có mạng: hai lần sửa đồng thời" "Both Lan and Bình follow up the same citizen while offline: a concurrent edit"
run "$bin/fieldsync" --store "$lan" edit "${visit: -8}" --outcome done --reason "" --note "kích hoạt xong" > /dev/null
run "$bin/fieldsync" --store "$binh" edit "${visit: -8}" --outcome failed --reason face-capture-failed > /dev/null

say "Có mạng trở lại: mọi máy đồng bộ (hai lượt, để máy nào cũng thấy mọi thay đổi)" "Back online: everyone syncs (twice, so every laptop sees every change)"
for store in "$lan" "$binh" "$cuc" "$lan" "$binh"; do run "$bin/fieldsync" --store "$store" sync; done

say "Mọi máy của xã giờ giữ cùng một trạng thái của lượt đó" "Every laptop of the commune now holds the same state of that visit"
run "$bin/fieldsync" --store "$lan" show "${visit: -8}" | head -6
run "$bin/fieldsync" --store "$binh" show "${visit: -8}" | head -6
run "$bin/fieldsync" --store "$cuc" list

say "Báo cáo hợp nhất của điều phối viên: mọi xung đột với cả hai giá trị, không mất gì" "The coordinator's merge report: every conflict with both values, nothing lost"
run "$bin/fieldsync-server" "${hub_store[@]}" report merge
run "$bin/fieldsync-server" "${hub_store[@]}" export --format people-csv

say "Điều phối viên xem xung đột và giữ lần hỗ trợ lại của Lan; thay đổi đến mọi máy" "The coordinator looks at the open conflict and keeps Lan's follow-up; it reaches every laptop"
conflict=$("$bin/fieldsync-server" "${hub_store[@]}" conflicts list --json \
    | python3 -c "import json,sys; print(json.load(sys.stdin)[0]['id'])")
run "$bin/fieldsync-server" "${hub_store[@]}" conflicts resolve "${conflict:0:12}" --take --by "Phạm Văn Hải"
for store in "$lan" "$binh"; do run "$bin/fieldsync" --store "$store" sync; done
run "$bin/fieldsync" --store "$binh" show "${visit: -8}" | head -4
run "$bin/fieldsync-server" "${hub_store[@]}" conflicts list --status resolved
