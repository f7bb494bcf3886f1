#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL 15 cluster.
#
#   scripts/with-postgres.sh CMD [ARGS...]
#
# Starts a fresh cluster in a temporary directory (as the postgres user when run as root),
# listening only on 127.0.0.1 (port 55432, or the next free one), exports
#   DATABASE_URL=postgres://postgres@127.0.0.1:PORT/postgres
# runs CMD, and always stops the cluster and removes the directory afterwards.
# The exit code is CMD's. Set PG_BIN to use other PostgreSQL binaries.
set -euo pipefail

if [ "$#" -eq 0 ]; then
    echo "usage: $0 CMD [ARGS...]" >&2
    exit 2
fi

PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
if [ ! -x "$PG_BIN/initdb" ] || [ ! -x "$PG_BIN/pg_ctl" ]; then
    echo "with-postgres: no PostgreSQL binaries in $PG_BIN (apt-get install postgresql-15)" >&2
    exit 3
fi

# Run a PostgreSQL tool as the cluster owner. initdb and postgres refuse to run as root.
as_owner() {
    if [ "$(id -u)" -eq 0 ]; then
        (cd / && runuser -u postgres -- "$@")
    else
        "$@"
    fi
}

workdir="$(mktemp -d "${TMPDIR:-/tmp}/vagval-pg.XXXXXX")"
datadir="$workdir/data"
logfile="$workdir/postgres.log"
started=0

cleanup() {
    local status=$?
    trap - EXIT INT TERM
    if [ "$started" -eq 1 ]; then
        as_owner "$PG_BIN/pg_ctl" -D "$datadir" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$workdir"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [ "$(id -u)" -eq 0 ]; then
    chown postgres:postgres "$workdir"
fi

as_owner "$PG_BIN/initdb" -D "$datadir" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >"$workdir/initdb.log" 2>&1 || {
    echo "with-postgres: initdb failed:" >&2
    cat "$workdir/initdb.log" >&2
    exit 3
}

port_is_free() {
    python3 - "$1" <<'PY'
import socket, sys
s = socket.socket()
try:
    s.bind(("127.0.0.1", int(sys.argv[1])))
except OSError:
    sys.exit(1)
finally:
    s.close()
PY
}

port="${PG_PORT:-55432}"
for _ in $(seq 1 50); do
    if port_is_free "$port"; then
        break
    fi
    port=$((port + 1))
done

# A throwaway cluster: durability settings off for speed.
as_owner "$PG_BIN/pg_ctl" -D "$datadir" -l "$logfile" -w -t 60 \
    -o "-p $port -c listen_addresses=127.0.0.1 -k $workdir -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null || {
    echo "with-postgres: PostgreSQL did not start:" >&2
    cat "$logfile" >&2 || true
    exit 3
}
started=1

export DATABASE_URL="postgres://postgres@127.0.0.1:$port/postgres"
echo "with-postgres: PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$port ($workdir)"

set +e
"$@"
status=$?
set -e
exit "$status"
