#!/usr/bin/env bash
# `npm test`: install what is missing, then lint, type-check and run every test (unit and
# integration against a real Temporal dev server and a real FerretDB started by the tests, and
# the cluster suite against the production topology: Temporal server and FerretDB on PostgreSQL).
set -euo pipefail
cd "$(dirname "$0")/.."
INSTALL_CLUSTER=1 bash scripts/install-runtime.sh
echo "== web build" && bash scripts/build-web.sh
echo "== lint" && npx eslint .
echo "== typecheck" && npx tsc --noEmit
echo "== tests" && npx vitest run "$@"
