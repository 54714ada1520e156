#!/usr/bin/env bash
# Renders every coordinator report as HTML from a small demo hub and screenshots it in headless
# Chromium at a phone's width (412 px), to look at: Tools/screenshot-report.sh [OUT_DIR]
# Installs Debian's chromium when it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-out/screenshots}"
mkdir -p "$out"
command -v chromium >/dev/null 2>&1 || {
    sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
}
Tools/setup.sh
swift build --product fieldsync-server >&2
swift build --product fieldsync-network >&2
swift build --product fieldsync >&2
bin="$(swift build --show-bin-path)"
work="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$work"' EXIT
"$bin/fieldsync-server" --db "$work/hub.sqlite" serve --port 0 > "$work/hub.out" 2>/dev/null &
for _ in $(seq 100); do grep -q listening "$work/hub.out" 2>/dev/null && break; sleep 0.1; done
url=$(sed -n 's/.*listening on //p' "$work/hub.out")
names=("Nguyễn Văn An" "Trần Thị Bích" "Lê Văn Cường" "Phạm Thị Dung" "Hoàng Văn Em" "Đặng Thị Giang")
communes=(00004 00008 00025 00070)
for i in 0 1 2 3; do
    store="$work/l$i.sqlite"
    "$bin/fieldsync" --store "$store" init --volunteer "${names[$i]}" --team "T-$i" --commune "${communes[$i]}" >/dev/null
    "$bin/fieldsync" --store "$store" enroll --server "$url" \
        --code "$("$bin/fieldsync-server" --db "$work/hub.sqlite" enrollment-code --team "T-$i" --commune "${communes[$i]}")" >/dev/null
    for n in $(seq $((3 + i * 4))); do
        outcome=done; reason=()
        if [ $((n % 4)) -eq 0 ]; then outcome=failed; reason=(--reason otp-not-received); fi
        if [ $((n % 5)) -eq 0 ]; then outcome=pending; reason=(--reason application-pending); fi
        "$bin/fieldsync" --store "$store" log --service vneid-level2 --outcome "$outcome" "${reason[@]}" \
            --name "${names[$((n % 6))]} $n" >/dev/null 2>&1
    done
    "$bin/fieldsync" --store "$store" sync >/dev/null
done
printf 'commune,service,target\n00004,vneid-level2,20\n00008,vneid-level2,10\n00025,vneid-level2,15\n00070,vneid-level2,8\n00082,vneid-level2,12\n' > "$work/targets.csv"
for report in progress merge devices duplicates; do
    extra=(); [ "$report" = progress ] && extra=(--targets "$work/targets.csv")
    "$bin/fieldsync-server" --db "$work/hub.sqlite" report "$report" --province 01 --format html "${extra[@]}" > "$out/$report.html"
    chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=412,1400 \
        --screenshot="$PWD/$out/$report.png" "file://$PWD/$out/$report.html" 2>/dev/null
    echo "$out/$report.png"
done
