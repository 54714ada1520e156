#!/usr/bin/env bash
# Online backup of a running hub: a consistent copy taken with SQLite's backup API while the hub
# keeps serving (README, "Running the hub"). Keeps the last KEEP copies (default 14).
# The key file goes to a destination of its own, never beside the database copies: a copy of the
# database and its key together would let whoever holds both turn pseudonyms back (Protocol/THREATS.md).
# Usage: Tools/ops/backup-hub.sh /var/lib/fieldsync/hub.sqlite /var/backups/fieldsync /var/backups/fieldsync-keys
set -euo pipefail
usage="usage: backup-hub.sh HUB.sqlite BACKUP-FOLDER KEYS-FOLDER (the key file's copy; not inside BACKUP-FOLDER)"
db=${1:?$usage}
dir=${2:?$usage}
keys_dir=${3:-}
keep=${KEEP:-14}
keys=${FIELDSYNC_KEY_FILE:-$db.keys}
command -v sqlite3 >/dev/null || { echo "backup-hub: install sqlite3 (apt-get install sqlite3)" >&2; exit 1; }
# Folders and files readable by their owner only, from the start.
umask 077
if [ -f "$keys" ]; then
    [ -n "$keys_dir" ] || { echo "backup-hub: give a third folder for the key file's copy, apart from the database copies ($usage)" >&2; exit 2; }
    # Compared before anything is made (realpath -m: the folders need not exist yet).
    db_real=$(realpath -m "$dir"); keys_real=$(realpath -m "$keys_dir")
    case "$keys_real/" in "$db_real"/*) echo "backup-hub: $keys_dir is inside $dir: keep the key file apart from the database copies" >&2; exit 2;; esac
    case "$db_real/" in "$keys_real"/*) echo "backup-hub: $dir is inside $keys_dir: keep the key file apart from the database copies" >&2; exit 2;; esac
    mkdir -p "$keys_dir" && chmod 0700 "$keys_dir"
fi
mkdir -p "$dir" && chmod 0700 "$dir"
copy="$dir/hub-$(date -u +%Y%m%dT%H%M%SZ).sqlite"
sqlite3 "$db" ".timeout 10000" ".backup '$copy'"
[ "$(sqlite3 "$copy" 'PRAGMA integrity_check')" = ok ] || { echo "backup-hub: $copy failed its integrity check" >&2; exit 1; }
ls -1t "$dir"/hub-*.sqlite | tail -n +"$((keep + 1))" | xargs -r rm -f
# The key file changes only at `keys rotate`: one copy, replaced when the hub's differs (mode 0600).
if [ -f "$keys" ] && ! cmp -s "$keys" "$keys_dir/hub.keys"; then install -m 0600 "$keys" "$keys_dir/hub.keys"; fi
echo "$copy"
