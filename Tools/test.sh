#!/usr/bin/env bash
# The README's test command: sets up what is missing, then runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
Tools/setup.sh
swift build --build-tests
swift test --skip-build "$@"
