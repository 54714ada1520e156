#!/usr/bin/env bash
# The README's main job: a volunteer's offline day on a temporary field store, with the real CLI.
set -euo pipefail
cd "$(dirname "$0")/.."
Tools/setup.sh
swift build --product fieldsync >&2
bin="$(swift build --show-bin-path)/fieldsync"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export FIELDSYNC_STORE="$work/lan.sqlite"

step() { printf '\n\033[1m$ fieldsync %s\033[0m\n' "$*"; "$bin" "$@"; }

step init --volunteer "Nguyễn Thị Lan" --team T-00004-01 --commune 00004
step log --service vneid-level2 --outcome done --name "Trần Văn Bình" --cccd 001203012345 --phone "+84 97 123 4567"
otp=$("$bin" log --service vneid-level2 --outcome failed --reason otp-not-received --name "Lê Thị Hoà" \
      --phone 0912345678 --note "SIM mới, quay lại thứ Sáu" 2>/dev/null)
echo "logged $otp (failed: OTP not received)"
step log --service bank-account --outcome pending --reason application-pending --name "Đặng Văn Đức" --at 2025-11-20T09:30
printf '\n\033[1m$ fieldsync log … --cccd 001403012345   (a mistyped CCCD is refused, nothing written)\033[0m\n'
"$bin" log --service vneid-level1 --outcome done --name "Phạm Thị Mai" --cccd 001403012345 || echo "(exit $?)"
step list
step list --search "le thi hoa"
step edit "${otp:0:8}" --outcome done --reason "" --note "kích hoạt thành công lần 2"
step delete "${otp:0:8}"
step list --all
step status
