#!/usr/bin/env bash
# A PostgreSQL cluster of the project's own for the production topology (issue 20), in
# $DATA_DIR/postgres, on loopback only. PostgreSQL refuses to run as root: as root the cluster
# belongs to the unprivileged `postgres` user (Debian's package creates it).
#   scripts/cluster/postgres.sh init|run|start|stop|status   (PG_PORT, default 55432; DATA_DIR, default data)
#   init: create the cluster when missing; run: the server in the foreground (scripts/cluster/
#   runs it so, and stops it with SIGINT); start/stop/status: in the background, by hand.
set -euo pipefail
cd "$(dirname "$0")/../.."
DATA_DIR=$(realpath -m "${DATA_DIR:-data}")
PGDATA="$DATA_DIR/postgres"
PG_PORT=${PG_PORT:-55432}
# Debian keeps the server's programs out of PATH: the newest installed major version.
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$bindir" ] && PATH="$bindir:$PATH"
command -v initdb >/dev/null || { echo "PostgreSQL is not installed (apt-get install postgresql)" >&2; exit 1; }
as_owner() {
  if [ "$(id -u)" = 0 ]; then
    setpriv --reuid=postgres --regid=postgres --init-groups -- "$@"
  else
    "$@"
  fi
}
# Temporal's and FerretDB's pools together pass the default of 100 connections.
server_options=(-p "$PG_PORT" -k "$PGDATA" -c listen_addresses=127.0.0.1 -c max_connections=400)

init() {
  [ -f "$PGDATA/PG_VERSION" ] && return 0
  mkdir -p "$PGDATA"
  if [ "$(id -u)" = 0 ]; then
    chown postgres: "$PGDATA"
    # The owner must reach its data directory through the folders above it.
    d=$PGDATA; while [ "$d" != / ]; do d=$(dirname "$d"); chmod o+x "$d" 2>/dev/null || true; done
  fi
  chmod 700 "$PGDATA"
  # UTF8 with the C.UTF-8 locale, as FerretDB's pg handler asks; trust on loopback: a local cluster.
  as_owner initdb -D "$PGDATA" -E UTF8 --locale=C.UTF-8 -A trust -U postgres >/dev/null
}

case "${1:-start}" in
  init) init ;;
  run)
    init
    if [ "$(id -u)" = 0 ]; then
      # The kernel clears a parent-death signal when the user changes: set it again after the switch.
      exec setpriv --reuid=postgres --regid=postgres --init-groups --pdeathsig INT -- postgres -D "$PGDATA" "${server_options[@]}"
    fi
    exec postgres -D "$PGDATA" "${server_options[@]}"
    ;;
  start)
    init
    if as_owner pg_ctl -D "$PGDATA" status >/dev/null 2>&1; then exit 0; fi
    as_owner pg_ctl -D "$PGDATA" -w -l "$PGDATA/server.log" -o "${server_options[*]}" start >/dev/null
    ;;
  stop) as_owner pg_ctl -D "$PGDATA" -m fast stop >/dev/null 2>&1 || true ;;
  status) as_owner pg_ctl -D "$PGDATA" status ;;
  *) echo "usage: $0 init|run|start|stop|status" >&2; exit 2 ;;
esac
