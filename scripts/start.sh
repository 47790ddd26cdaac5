#!/usr/bin/env bash
# `npm start`: install what is missing, then run the embedded servers, the worker and the API.
set -euo pipefail
cd "$(dirname "$0")/.."
INSTALL_TEST_TOOLS=0 bash scripts/install-runtime.sh
bash scripts/build-web.sh
# Caps each V8 heap so the worker's memory stays flat (docs/performance.md); NODE_OPTIONS overrides.
export NODE_OPTIONS="${NODE_OPTIONS:---max-old-space-size=512}"
exec node --import tsx main.ts
