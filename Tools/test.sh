#!/usr/bin/env bash
# The README's test command: sets up what is missing, checks Protocol/ (schemas, OpenAPI, vectors
# against an independent Python implementation), runs every Swift test, then fuzzes a real hub
# against Protocol/openapi.yaml (Tools/schemathesis.sh, 60 s per token kind). The console is driven in
# chromium (Tools/browser-test.py), with screenshots in .build/console-screenshots. The storage contract and
# the multi-hub tests run on a throwaway PostgreSQL cluster it starts (Tools/postgres.sh) and stops. As root, the
# release packages are built and installed, updated and upgraded in a chroot (Tools/package-test.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
Tools/setup.sh --protocol
python3 Tools/check-protocol.py
# A throwaway PostgreSQL cluster: the storage contract runs on it as well as on SQLite.
FIELDSYNC_TEST_DATABASE="$(Tools/postgres.sh start)"
export FIELDSYNC_TEST_DATABASE FIELDSYNC_REQUIRE_POSTGRES=1
# The console's end-to-end test drives chromium (installed by Tools/setup.sh); here it must run.
export FIELDSYNC_REQUIRE_BROWSER=1
trap 'Tools/postgres.sh stop' EXIT
swift build --build-tests
swift test --skip-build "$@"
Tools/schemathesis.sh
# Issue 34: the packages build, install, update through the hub and upgrade in a throwaway Debian (a chroot: as root,
# as CI runs; skipped otherwise, saying so).
if [ "$(id -u)" -eq 0 ]; then
    Tools/package-test.sh
else
    echo "test: not root: Tools/package-test.sh (install and upgrade in a chroot) skipped" >&2
fi
