#!/bin/sh
# Creates the service's namespace (a real server has no `default` one) and registers the
# search attributes its workflows set. Idempotent; run once the frontend answers: by
# scripts/cluster/ here, and by compose's `temporal-namespace` job (temporalio/admin-tools).
#   TEMPORAL_ADDRESS (127.0.0.1:7233) TEMPORAL_NAMESPACE (complaints)
#   TEMPORAL_RETENTION (30d: how long a closed case's history stays)
#   TEMPORAL_SEARCH_ATTRIBUTES ("Name=Type ...", as workflows/search-attributes.ts defines them;
#   test/unit/compose.test.ts checks compose's copy)  TEMPORAL_CLI (temporal on PATH)
set -eu
cli=${TEMPORAL_CLI:-temporal}
address=${TEMPORAL_ADDRESS:-127.0.0.1:7233}
namespace=${TEMPORAL_NAMESPACE:-complaints}
: "${TEMPORAL_SEARCH_ATTRIBUTES:?set TEMPORAL_SEARCH_ATTRIBUTES (Name=Type ...)}"
# The frontend may still be joining its cluster: wait up to a minute.
i=0
until "$cli" operator cluster health --address "$address" >/dev/null 2>&1; do
  i=$((i + 1)); [ "$i" -lt 120 ] || { echo "Temporal at $address did not report SERVING" >&2; exit 1; }
  sleep 0.5
done
if ! "$cli" operator namespace describe --address "$address" --namespace "$namespace" >/dev/null 2>&1; then
  "$cli" operator namespace create --address "$address" --namespace "$namespace" \
    --retention "${TEMPORAL_RETENTION:-30d}" >/dev/null
fi
# A new namespace reaches the frontend's namespace cache within its refresh interval (~10 s).
i=0
until existing=$("$cli" operator search-attribute list --address "$address" --namespace "$namespace" 2>/dev/null); do
  i=$((i + 1)); [ "$i" -lt 120 ] || { echo "namespace $namespace not visible at $address" >&2; exit 1; }
  sleep 0.5
done
for pair in $TEMPORAL_SEARCH_ATTRIBUTES; do
  name=${pair%%=*}; type=${pair#*=}
  line=$(printf '%s\n' "$existing" | grep -w "$name" || true)
  if [ -n "$line" ]; then
    # Registered already: with the same type, or the workflows could not set it.
    printf '%s\n' "$line" | grep -qiw "$type" || { echo "search attribute $name exists with another type: $line" >&2; exit 1; }
    continue
  fi
  "$cli" operator search-attribute create --address "$address" --namespace "$namespace" \
    --name "$name" --type "$type" >/dev/null
done
# The frontend caches a namespace's search attributes: wait until all of them are visible.
i=0
for pair in $TEMPORAL_SEARCH_ATTRIBUTES; do
  until "$cli" operator search-attribute list --address "$address" --namespace "$namespace" 2>/dev/null | grep -qw "${pair%%=*}"; do
    i=$((i + 1)); [ "$i" -lt 120 ] || { echo "search attribute ${pair%%=*} not visible" >&2; exit 1; }
    sleep 0.5
  done
done
