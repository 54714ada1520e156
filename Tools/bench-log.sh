#!/usr/bin/env bash
# Issue 12, item 6: one `fieldsync log` against the sqlite3 shell inserting one row, side by side, both
# durable (WAL, synchronous=FULL), on the same disk. Builds `fieldsync` the way laptops get it (release,
# --static-swift-stdlib) into .build-static, then prints the medians of RUNS runs (default 50) and the ratio.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-50}
command -v sqlite3 >/dev/null || { echo "bench-log: install sqlite3 (apt-get install sqlite3)" >&2; exit 1; }
# BIN: another fieldsync to measure, e.g. the packaged one (Tools/package.sh; `dpkg-deb -x` it and give
# …/usr/lib/fieldsync/fieldsync).
if [ -n "${BIN:-}" ]; then
    bin=$BIN
else
    swift build -c release --static-swift-stdlib --product fieldsync --scratch-path .build-static >&2
    bin=.build-static/release/fieldsync
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$bin" --store "$work/store.sqlite" init --volunteer "Nguyễn Thị Lan" --team T-00004-01 --commune 00004 >/dev/null
sqlite3 "$work/raw.sqlite" "PRAGMA journal_mode=WAL; CREATE TABLE visits (id TEXT PRIMARY KEY, name TEXT NOT NULL, at TEXT NOT NULL);" >/dev/null
python3 - "$bin" "$work" "$runs" <<'PY'
import random, statistics, subprocess, sys, time, uuid
bin, work, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
def median_ms(make):
    times = []
    for _ in range(runs):
        command = make()
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), sorted(times)[int(runs * 0.9) - 1]
log = median_ms(lambda: [bin, "--store", f"{work}/store.sqlite", "log", "--service", "vneid-level2", "--outcome", "done",
                         "--name", "Trần Văn Bình", "--cccd", f"001203{random.randrange(10**6):06d}"])
raw = median_ms(lambda: ["sqlite3", f"{work}/raw.sqlite",
                         f"PRAGMA synchronous=FULL; INSERT INTO visits VALUES ('{uuid.uuid4()}', 'Trần Văn Bình', datetime('now'));"])
help = median_ms(lambda: [bin, "--help"])
print(f"fieldsync log (static release build): median {log[0]:.1f} ms, p90 {log[1]:.1f} ms over {runs} runs")
print(f"sqlite3 shell, one-row insert, WAL + synchronous=FULL: median {raw[0]:.1f} ms, p90 {raw[1]:.1f} ms")
print(f"fieldsync --help: median {help[0]:.1f} ms")
print(f"log / sqlite3 = {log[0] / raw[0]:.2f}x (goal <= 2x)")
PY
