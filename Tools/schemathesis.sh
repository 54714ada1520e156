#!/usr/bin/env bash
# Fuzzes a real hub against Protocol/openapi.yaml with schemathesis, once with a volunteer's token and
# once with a coordinator's, each for a bounded time (SCHEMATHESIS_SECONDS, default 60). Fails on any
# server error or any answer that does not conform to the document (status code, content type,
# headers, body schema, 405 with Allow, invalid data accepted, missing auth accepted).
#
# One check is left out: positive_data_acceptance ("a schema-valid request must be accepted"). The
# protocol has rules JSON Schema cannot state — a conflict id is a hash of its content, codes must be
# in the 2025 catalogue, names must be NFC — and the right answer to data that breaks them is a 400.
#
# Needs the debug build (swift build) and schemathesis (Tools/setup.sh --protocol installs it).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${FIELDSYNC_BIN_DIR:-.build/debug}
seconds=${SCHEMATHESIS_SECONDS:-60}
work=$(mktemp -d)
hub_pid=""
cleanup() { [ -n "$hub_pid" ] && kill "$hub_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

"$bin/fieldsync-server" --db "$work/hub.sqlite" serve --port 0 >"$work/out" 2>"$work/hub.log" &
hub_pid=$!
for _ in $(seq 1 100); do grep -q listening "$work/out" 2>/dev/null && break; sleep 0.1; done
url=$(sed -n 's/.*listening on //p' "$work/out")
[ -n "$url" ] || { echo "schemathesis: the hub did not start" >&2; cat "$work/hub.log" >&2; exit 1; }

# A volunteer's laptop with one synced visit, and a coordinator of the same commune.
"$bin/fieldsync" --store "$work/lan.sqlite" init --volunteer "Lan" --team T-01 --commune 00004 >/dev/null
"$bin/fieldsync" --store "$work/lan.sqlite" enroll --server "$url" \
    --code "$("$bin/fieldsync-server" --db "$work/hub.sqlite" enrollment-code --team T-01 --commune 00004)" >/dev/null
"$bin/fieldsync" --store "$work/lan.sqlite" log --service vneid-level2 --outcome done --name "Trần Văn Bình" >/dev/null
"$bin/fieldsync" --store "$work/lan.sqlite" sync >/dev/null
volunteer=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(\"SELECT value FROM settings WHERE key='token'\").fetchone()[0])" "$work/lan.sqlite")
code=$("$bin/fieldsync-server" --db "$work/hub.sqlite" enrollment-code --role coordinator --commune 00004)
coordinator=$(curl -sf -X POST -H 'Content-Type: application/json' -d "{\"code\":\"$code\"}" "$url/v1/enroll" \
    | python3 -c "import json,sys; print(json.load(sys.stdin)['token'])")

status=0
for who in volunteer coordinator; do
    token=${!who}
    echo "schemathesis: $seconds s as a $who against $url" >&2
    schemathesis run Protocol/openapi.yaml --url "$url" -H "Authorization: Bearer $token" \
        --checks all --exclude-checks positive_data_acceptance --max-time "$seconds" --seed "${SCHEMATHESIS_SEED:-20261125}" \
        --workers 1 --no-color >"$work/$who.txt" 2>&1 && tail -n 8 "$work/$who.txt" >&2 || { status=1; cat "$work/$who.txt" >&2; }
done
if grep -q "unexpected error" "$work/hub.log"; then
    echo "schemathesis: the hub logged unexpected errors:" >&2
    grep "unexpected error" "$work/hub.log" | head -5 >&2
    status=1
fi
exit $status
