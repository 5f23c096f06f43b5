#!/usr/bin/env bash
# Installs PostgreSQL 15 (idempotent), starts a throwaway cluster on 127.0.0.1 on a free port and
# prints `export RECONCILER_TEST_POSTGRES='...'` on stdout; everything else goes to stderr.
# Usage: eval "$(bash .ci/postgres.sh)"
set -euo pipefail
exec 3>&1 1>&2

if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends postgresql >/dev/null
fi
PGBIN=$(dirname "$(ls -d /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n1)")

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()' 2>/dev/null \
  || echo $((20000 + RANDOM % 20000)))
DATA=$(mktemp -d /tmp/reconciler-pg.XXXXXX)
chown postgres:postgres "$DATA"
chmod 700 "$DATA"

run_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

run_pg "$PGBIN/initdb" -D "$DATA/data" -U postgres -A trust --no-sync >/dev/null
# The server must not inherit fd 3 (the caller's $(...) pipe), or the caller waits for it forever.
run_pg "$PGBIN/pg_ctl" -D "$DATA/data" -l "$DATA/log" -w 3>&- \
  -o "-c listen_addresses=127.0.0.1 -p $PORT -k $DATA -c fsync=off -c max_connections=200" start >/dev/null

PASSWORD=reconciler_$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
run_pg "$PGBIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -v ON_ERROR_STOP=1 -q <<SQL
CREATE USER reconciler WITH PASSWORD '$PASSWORD' CREATEDB;
CREATE DATABASE reconciler OWNER reconciler;
SQL

echo "PostgreSQL running on 127.0.0.1:$PORT (data $DATA; stop: runuser -u postgres -- $PGBIN/pg_ctl -D $DATA/data stop)"
echo "export RECONCILER_TEST_POSTGRES_DATA='$DATA/data'" >&3
echo "export RECONCILER_TEST_POSTGRES='Host=127.0.0.1;Port=$PORT;Database=reconciler;Username=reconciler;Password=$PASSWORD'" >&3
