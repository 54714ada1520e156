#!/usr/bin/env bash
# The README's test command: sets up what is missing, checks Protocol/ (schemas, OpenAPI, vectors
# against an independent Python implementation), then runs every Swift test.
set -euo pipefail
cd "$(dirname "$0")/.."
Tools/setup.sh --protocol
python3 Tools/check-protocol.py
swift build --build-tests
swift test --skip-build "$@"
