#!/bin/sh
# Creates and migrates Temporal's two PostgreSQL databases (`temporal`, `temporal_visibility`)
# with temporal-sql-tool's embedded postgresql/v12 schemas. Every step is idempotent: create
# when missing, the versioning table once, then update to the latest version (a no-op when
# current). Run before the server starts: by scripts/cluster/ here, and by compose's
# `temporal-schema` job (temporalio/admin-tools image).
#   TEMPORAL_DB_HOST (127.0.0.1) TEMPORAL_DB_PORT (5432) TEMPORAL_DB_USER (temporal)
#   TEMPORAL_DB_PASSWORD TEMPORAL_SQL_TOOL (temporal-sql-tool on PATH)
set -eu
tool=${TEMPORAL_SQL_TOOL:-temporal-sql-tool}
host=${TEMPORAL_DB_HOST:-127.0.0.1}; port=${TEMPORAL_DB_PORT:-5432}; user=${TEMPORAL_DB_USER:-temporal}
# The tool logs every step: shown only when a step fails.
sql() {
  if ! out=$("$tool" --plugin postgres12 --endpoint "$host" --port "$port" --user "$user" \
    --password "${TEMPORAL_DB_PASSWORD:-}" "$@" 2>&1); then
    echo "$out" >&2
    return 1
  fi
}
for pair in temporal:postgresql/v12/temporal temporal_visibility:postgresql/v12/visibility; do
  db=${pair%%:*}; schema=${pair#*:}
  sql --db "$db" create-database
  sql --db "$db" setup-schema -v 0.0
  sql --db "$db" update-schema --schema-name "$schema"
done
