#!/usr/bin/env bash
# `npm run start:cluster`: install what the production topology needs (the first time: the
# Temporal server's build takes minutes), then start it (scripts/cluster/start.ts).
set -euo pipefail
cd "$(dirname "$0")/../.."
INSTALL_TEST_TOOLS=0 INSTALL_CLUSTER=1 bash scripts/install-runtime.sh
bash scripts/build-web.sh
exec node --import tsx scripts/cluster/start.ts
