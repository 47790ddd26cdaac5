#!/usr/bin/env bash
# `npm start`: install what is missing, then run the embedded servers, the worker and the API.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-runtime.sh
exec node --import tsx main.ts
