#!/usr/bin/env bash
# Installs what FieldSync needs beyond the Swift toolchain, only when it is missing:
# libsqlite3-dev (the system SQLite the CSQLite target links) and pkg-config (which finds it).
set -euo pipefail

missing=()
pkg-config --exists sqlite3 2>/dev/null || missing+=(libsqlite3-dev)
command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
if [ "${#missing[@]}" -gt 0 ]; then
    echo "setup: installing ${missing[*]}" >&2
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
