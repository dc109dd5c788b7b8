#!/usr/bin/env bash
# A throw-away PostgreSQL cluster for the server-mode tests, on loopback only.
#
#   installer/pg-test-cluster.sh start DIR   # prints the URL to use as ZHIBANG_TEST_PG
#   installer/pg-test-cluster.sh stop DIR    # stops it (DIR can then be deleted)
#
# PostgreSQL comes from Debian's packages (installed when missing). The server never runs
# as root: as root the cluster belongs to the `postgres` system user the package creates.
# fsync is off: the cluster is deleted after the tests, its durability does not matter.
set -euo pipefail

ACTION="${1:-}"
DIR="${2:-}"
if [ -z "$ACTION" ] || [ -z "$DIR" ]; then
  echo "usage: $0 start|stop DIR" >&2
  exit 2
fi

pg_bin() {
  local found
  found="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
  [ -n "$found" ] && echo "$found"
}

as_owner() {  # run a command as the unprivileged owner of the cluster
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

if [ -z "$(pg_bin)" ] || [ ! -x "$(pg_bin)/initdb" ]; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "Installing PostgreSQL from the Debian packages" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends postgresql >&2
fi
BIN="$(pg_bin)"

case "$ACTION" in
  start)
    mkdir -p "$DIR"
    DIR="$(cd "$DIR" && pwd)"
    [ "$(id -u)" -eq 0 ] && chown postgres: "$DIR"
    chmod 700 "$DIR"
    PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
    as_owner "$BIN/initdb" -D "$DIR/data" -U zhibang_test --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    as_owner "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 60 start -o \
      "-c listen_addresses=127.0.0.1 -p $PORT -k $DIR -c fsync=off -c synchronous_commit=off \
       -c full_page_writes=off -c max_connections=200 -c shared_buffers=64MB" >/dev/null
    echo "postgresql://zhibang_test@127.0.0.1:$PORT/postgres"
    ;;
  stop)
    if [ -d "$DIR/data" ]; then
      as_owner "$BIN/pg_ctl" -D "$DIR/data" -m immediate -w stop >/dev/null || true
    fi
    ;;
  *)
    echo "usage: $0 start|stop DIR" >&2
    exit 2
    ;;
esac
