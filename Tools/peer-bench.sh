#!/usr/bin/env bash
# Issue 18: LAN sync between two laptops with the real release binaries. Two laptops enrolled at a hub
# log N visits each (`fieldsync log`, one process per visit, as volunteers would), then sync with each
# other across two network namespaces joined by a veth pair; prints the exchange's wall time and the
# bytes on the link. Needs root (namespaces). Usage: sudo Tools/peer-bench.sh [N, default 1000]
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000}
command -v ip >/dev/null || { echo "peer-bench: install iproute2 (apt-get install iproute2)" >&2; exit 1; }
for product in fieldsync fieldsync-network fieldsync-server; do swift build -c release --product "$product" >&2; done
B=$PWD/.build/release
W=$(mktemp -d)
cleanup() {
    [[ -n "${HUB:-}" ]] && kill "$HUB" 2>/dev/null || true
    ip netns del fs-pb-a 2>/dev/null || true
    ip netns del fs-pb-b 2>/dev/null || true
    rm -rf "$W"
}
trap cleanup EXIT
cd "$W"
$B/fieldsync-server --db hub.sqlite serve --host 127.0.0.1 --port 0 > hub.out 2>hub.log &
HUB=$!
for _ in $(seq 50); do grep -q "listening on" hub.out 2>/dev/null && break; sleep 0.1; done
URL=$(sed -n 's/.*listening on //p' hub.out)
echo "logging $N visits on each laptop…" >&2
for who in Lan Binh; do
    $B/fieldsync --store $who.sqlite init --volunteer $who --team T-01 --commune 00004 > /dev/null 2>&1
    code=$($B/fieldsync-server --db hub.sqlite enrollment-code --team T-01 --commune 00004 --role volunteer | tail -1)
    $B/fieldsync --store $who.sqlite enroll --server "$URL" --code "$code" > /dev/null 2>&1
    for i in $(seq 1 "$N"); do
        $B/fieldsync --store $who.sqlite log --service vneid-level2 --outcome done --name "Nguyễn Văn $who $i" \
            --phone "09$(printf %08d "$i")" --note "gọi lại thứ Hai" > /dev/null 2>&1
    done
done
kill "$HUB"; wait "$HUB" 2>/dev/null || true; HUB=
ip netns add fs-pb-a; ip netns add fs-pb-b
ip link add fspb-a netns fs-pb-a type veth peer name fspb-b netns fs-pb-b
ip -n fs-pb-a addr add 10.79.0.1/30 dev fspb-a; ip -n fs-pb-b addr add 10.79.0.2/30 dev fspb-b
for ns in a b; do ip -n fs-pb-$ns link set lo up; ip -n fs-pb-$ns link set fspb-$ns up; done
ip netns exec fs-pb-a $B/fieldsync --store Lan.sqlite peer serve --host 10.79.0.1 --port 7700 --once > serve.out 2>&1 &
SERVE=$!
for _ in $(seq 50); do grep -q "serving on" serve.out 2>/dev/null && break; sleep 0.1; done
start=$(date +%s.%N)
ip netns exec fs-pb-b $B/fieldsync --store Binh.sqlite peer sync 10.79.0.1:7700 2>/dev/null
end=$(date +%s.%N)
wait "$SERVE" || true
stats=$(ip -n fs-pb-b -j -s link show dev fspb-b)
python3 - "$N" "$start" "$end" "$stats" <<'PY'
import json, sys
n, start, end, stats = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), json.loads(sys.argv[4])[0]["stats64"]
t = end - start
print(f"peer sync, {n} new visits each way: {t:.2f} s wall ({2 * n / t:.0f} visits/s), "
      f"on the link {stats['tx']['bytes']:,} bytes sent and {stats['rx']['bytes']:,} received by the syncing laptop")
PY
