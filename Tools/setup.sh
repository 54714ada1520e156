#!/usr/bin/env bash
# Installs what FieldSync needs beyond the Swift toolchain, only when it is missing:
# libsqlite3-dev (the system SQLite the CSQLite target links), pkg-config (which finds it) and
# zlib1g-dev (the zlib compress-nio links, for compressed sync bodies);
# with --protocol (what the tests need), also Debian's chromium and chromium-driver, LibreOffice Calc (headless,
# to open exported spreadsheets) and the Python packages
# Tools/check-protocol.py, Tools/schemathesis.sh and Tools/browser-test.py use (PyPI).
set -euo pipefail

missing=()
pkg-config --exists sqlite3 2>/dev/null || missing+=(libsqlite3-dev)
command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
[ -e /usr/include/zlib.h ] || missing+=(zlib1g-dev)
if [ "${#missing[@]}" -gt 0 ]; then
    echo "setup: installing ${missing[*]}" >&2
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if [ "${1:-}" = "--protocol" ]; then
    if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1 || ! command -v zbarimg >/dev/null 2>&1; then
        echo "setup: installing chromium, chromium-driver and zbar-tools (the console's browser and QR tests)" >&2
        sudo=""
        [ "$(id -u)" -eq 0 ] || sudo="sudo"
        $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium chromium-driver zbar-tools >/dev/null
    fi
    if ! command -v soffice >/dev/null 2>&1; then
        echo "setup: installing libreoffice-calc-nogui (exported spreadsheets are opened as a user's program would)" >&2
        sudo=""
        [ "$(id -u)" -eq 0 ] || sudo="sudo"
        $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends libreoffice-calc-nogui >/dev/null
    fi
    if ! python3 -c "import selenium, openpyxl" 2>/dev/null; then
        echo "setup: installing selenium and openpyxl (the console's browser test)" >&2
        python3 -m pip install --quiet --disable-pip-version-check selenium openpyxl
    fi
    if ! python3 -c "import jsonschema, referencing, openapi_spec_validator, yaml" 2>/dev/null; then
        echo "setup: installing the protocol checker's Python packages" >&2
        python3 -m pip install --quiet --disable-pip-version-check jsonschema referencing openapi-spec-validator PyYAML
    fi
    if ! command -v schemathesis >/dev/null 2>&1; then
        echo "setup: installing schemathesis (fuzzes the hub against Protocol/openapi.yaml)" >&2
        python3 -m pip install --quiet --disable-pip-version-check schemathesis
    fi
fi
