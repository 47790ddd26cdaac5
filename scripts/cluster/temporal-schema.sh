#!/usr/bin/env bash
# Creates and migrates Temporal's two PostgreSQL databases (`temporal`, `temporal_visibility`)
# with temporal-sql-tool's embedded postgresql/v12 schemas: create when missing, set up the
# versioning table once, update to the latest version every time (a no-op when current).
#   PG_HOST (127.0.0.1) PG_PORT (55432) PG_USER (postgres) [PG_PASSWORD] scripts/cluster/temporal-schema.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
tool=${TEMPORAL_SQL_TOOL:-.runtime/bin/temporal-sql-tool}
PG_HOST=${PG_HOST:-127.0.0.1}; PG_PORT=${PG_PORT:-55432}; PG_USER=${PG_USER:-postgres}
# The tool logs every step: shown only when a step fails.
sql() {
  local out
  out=$("$tool" --pl postgres12 --ep "$PG_HOST" -p "$PG_PORT" -u "$PG_USER" ${PG_PASSWORD:+--pw "$PG_PASSWORD"} "$@" 2>&1) || { echo "$out" >&2; return 1; }
}
for pair in temporal:postgresql/v12/temporal temporal_visibility:postgresql/v12/visibility; do
  db=${pair%%:*}; schema=${pair#*:}
  exists=$(PGPASSWORD=${PG_PASSWORD:-} psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -tAc "select 1 from pg_database where datname = '$db'")
  if [ "$exists" != 1 ]; then
    sql --db "$db" create-database
    sql --db "$db" setup-schema -v 0.0
  fi
  sql --db "$db" update-schema -s "$schema"
done
