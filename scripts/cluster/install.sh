#!/usr/bin/env bash
# What the production topology (scripts/cluster/, `npm run start:cluster`, the cluster tests)
# needs beyond `npm start`'s runtime: PostgreSQL from Debian, and the Temporal server and its
# schema tool built from the Go module proxy (scripts/cluster/build-temporal-server.sh).
# Called by scripts/install-runtime.sh with INSTALL_CLUSTER=1; skipped when present.
set -euo pipefail
cd "$(dirname "$0")/../.."
log() { printf '\033[2m[install]\033[0m %s\n' "$*" >&2; }

if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && ! command -v initdb >/dev/null 2>&1; then
  log "PostgreSQL (Debian package)"
  if [ "$(id -u)" = 0 ]; then
    apt-get install -y --no-install-recommends postgresql >/dev/null 2>&1 || {
      apt-get update >/dev/null && apt-get install -y --no-install-recommends postgresql >/dev/null
    }
  else
    echo "PostgreSQL is missing: install Debian's postgresql package (sudo apt-get install postgresql)" >&2
    exit 1
  fi
fi
bash scripts/cluster/build-temporal-server.sh
