#!/usr/bin/env bash
# The README's test command: sets up what is missing, checks Protocol/ (schemas, OpenAPI, vectors
# against an independent Python implementation), runs every Swift test, then fuzzes a real hub
# against Protocol/openapi.yaml (Tools/schemathesis.sh, 60 s per token kind).
set -euo pipefail
cd "$(dirname "$0")/.."
Tools/setup.sh --protocol
python3 Tools/check-protocol.py
swift build --build-tests
swift test --skip-build "$@"
Tools/schemathesis.sh
