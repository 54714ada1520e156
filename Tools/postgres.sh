#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster for tests and the demo, owned by this checkout:
#   Tools/postgres.sh start   installs Debian's postgresql-15 if missing, creates a cluster in
#                             /tmp/fieldsync-postgres-PORT (initdb as the `postgres` user when run as root: initdb
#                             refuses root), starts it on a unix socket and 127.0.0.1:$FIELDSYNC_PG_PORT
#                             (default 55432) with fsync off, and prints its URL (postgres://…/fieldsync)
#   Tools/postgres.sh url     prints the URL of the running cluster
#   Tools/postgres.sh stop    stops it and removes the folder
# Not for production: fsync=off and trust authentication on loopback.
set -euo pipefail
cd "$(dirname "$0")/.."
port="${FIELDSYNC_PG_PORT:-55432}"
# Outside the checkout: the `postgres` user must reach it, and a clone may sit in a private folder.
root="${FIELDSYNC_PG_DIR:-/tmp/fieldsync-postgres-$port}"
bin=/usr/lib/postgresql/15/bin
url="postgres://postgres@127.0.0.1:$port/fieldsync?sslmode=disable"

as_owner() {
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "${1:-start}" in
start)
    if [ ! -x "$bin/initdb" ]; then
        echo "postgres: installing postgresql-15" >&2
        sudo=""
        [ "$(id -u)" -eq 0 ] || sudo="sudo"
        $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends postgresql-15 >/dev/null
    fi
    if [ -f "$root/data/postmaster.pid" ] && as_owner "$bin/pg_ctl" -D "$root/data" status >/dev/null 2>&1; then
        echo "$url"
        exit 0
    fi
    rm -rf "$root"
    mkdir -p "$root"
    [ "$(id -u)" -eq 0 ] && chown postgres "$root"
    as_owner "$bin/initdb" -D "$root/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$root/initdb.log" 2>&1 \
        || { cat "$root/initdb.log" >&2; exit 1; }
    as_owner "$bin/pg_ctl" -D "$root/data" -l "$root/server.log" -w -t 60 start \
        -o "-p $port -k $root -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
        >/dev/null || { cat "$root/server.log" >&2; exit 1; }
    as_owner "$bin/createdb" -h "$root" -p "$port" -U postgres fieldsync
    echo "$url"
    ;;
url)
    echo "$url"
    ;;
stop)
    if [ -d "$root/data" ]; then as_owner "$bin/pg_ctl" -D "$root/data" -m fast -w stop >/dev/null 2>&1 || true; fi
    rm -rf "$root"
    ;;
*)
    echo "usage: Tools/postgres.sh start|url|stop" >&2
    exit 64
    ;;
esac
