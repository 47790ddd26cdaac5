#!/usr/bin/env bash
# Builds the Temporal server (`temporal-server`) and its schema tool (`temporal-sql-tool`) of
# the pinned version from the Go module proxy into .runtime/bin, once (issue 20: the production
# topology; a cold build takes minutes on two cores). v1.32.1 asks for exactly the Go here.
set -euo pipefail
cd "$(dirname "$0")/../.."
TEMPORAL_SERVER_VERSION=v1.32.1
bin=.runtime/bin
stamp="$bin/.temporal-server-$TEMPORAL_SERVER_VERSION"
[ -f "$stamp" ] && [ -x "$bin/temporal-server" ] && [ -x "$bin/temporal-sql-tool" ] && exit 0
printf '\033[2m[install]\033[0m Temporal server %s and temporal-sql-tool (Go module proxy) into %s\n' "$TEMPORAL_SERVER_VERSION" "$bin" >&2
mkdir -p "$bin"
build=$(mktemp -d)
trap 'rm -rf "$build"' EXIT
GOBIN="$build" CGO_ENABLED=0 GOFLAGS=-mod=mod go install \
  "go.temporal.io/server/cmd/server@$TEMPORAL_SERVER_VERSION" \
  "go.temporal.io/server/cmd/tools/sql@$TEMPORAL_SERVER_VERSION"
mv "$build/server" "$bin/temporal-server"
mv "$build/sql" "$bin/temporal-sql-tool"
touch "$stamp"
