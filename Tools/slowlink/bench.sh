#!/usr/bin/env bash
# Issue 17: `fieldsync sync` over a link shaped like rural 3G or EDGE, between two network namespaces
# (README, "Performance"). Builds the release binaries, then runs Tools/slowlink/bench.py as root.
# Usage: sudo Tools/slowlink/bench.sh [--profile 3g|edge|all] [--json FILE]
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v ip >/dev/null && command -v tc >/dev/null || { echo "slowlink: install iproute2 (apt-get install iproute2)" >&2; exit 1; }
command -v curl >/dev/null || { echo "slowlink: install curl" >&2; exit 1; }
for product in fieldsync fieldsync-network fieldsync-server; do swift build -c release --product "$product" >&2; done
exec python3 Tools/slowlink/bench.py --bin .build/release "$@"
