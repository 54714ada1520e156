#!/usr/bin/env bash
# Online backup of a running hub: a consistent copy taken with SQLite's backup API while the hub
# keeps serving (README, "Running the hub"). Keeps the last KEEP copies (default 14).
# Usage: Tools/ops/backup-hub.sh /var/lib/fieldsync/hub.sqlite /var/backups/fieldsync
set -euo pipefail
db=${1:?usage: backup-hub.sh HUB.sqlite BACKUP-FOLDER}
dir=${2:?usage: backup-hub.sh HUB.sqlite BACKUP-FOLDER}
keep=${KEEP:-14}
command -v sqlite3 >/dev/null || { echo "backup-hub: install sqlite3 (apt-get install sqlite3)" >&2; exit 1; }
mkdir -p "$dir"
copy="$dir/hub-$(date -u +%Y%m%dT%H%M%SZ).sqlite"
umask 077
sqlite3 "$db" ".timeout 10000" ".backup '$copy'"
[ "$(sqlite3 "$copy" 'PRAGMA integrity_check')" = ok ] || { echo "backup-hub: $copy failed its integrity check" >&2; exit 1; }
ls -1t "$dir"/hub-*.sqlite | tail -n +"$((keep + 1))" | xargs -r rm -f
# The key file changes only at `keys rotate`: one copy, kept apart from the database (README, "The key file"),
# replaced when the hub's differs (mode 0600).
keys=${FIELDSYNC_KEY_FILE:-$db.keys}
if [ -f "$keys" ] && ! cmp -s "$keys" "$dir/hub.keys"; then install -m 0600 "$keys" "$dir/hub.keys"; fi
echo "$copy"
