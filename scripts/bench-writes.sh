#!/usr/bin/env bash
# Write benchmark: article saves per second and latency (p50, p99) through the back
# office's API at 1, 8 and 32 concurrent writers, on SQLite and on PostgreSQL, against the
# release build. Every save must answer 200.
#
#   scripts/bench-writes.sh [SECONDS]      (per writer count; default 10)
#
# PostgreSQL is used at postgres://postgres@127.0.0.1:5432 (override with
# PORTICO_TEST_PG_URL); a fresh database is created and dropped.
set -euo pipefail
source "$(dirname "$0")/setup.sh"
cd "$ROOT"
SECONDS_EACH="${1:-10}"
PORT=3320
PG_ADMIN="${PORTICO_TEST_PG_URL:-postgres://postgres@127.0.0.1:5432/test}"
PG_BASE="${PG_ADMIN%/*}"
PG_DB="portico_bench_writes_$$"

setup_build
say "release build"
if ! build_site >/tmp/portico-bench-build.log 2>&1; then
  cat /tmp/portico-bench-build.log >&2
  exit 1
fi

WORK=$(mktemp -d /tmp/portico-bench-writes.XXXXXX)
SERVER=""
cleanup() {
  [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null || true
  psql "$PG_ADMIN" -qc "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

PASSWORD='Kfq-写入口令-2026'
run_backend() { # name, database url
  local name=$1 url=$2
  export DATABASE_URL="$url" PORTICO_UPLOADS_DIR="$WORK/uploads-$name" PORTICO_LOG=warn
  export LEPTOS_SITE_ADDR="127.0.0.1:$PORT" LEPTOS_SITE_ROOT=target/site
  # A throwaway database: its staff sign in with a password alone.
  target/release/portico security set totp_admins 0 totp_editors 0 totp_writers 0 >/dev/null
  target/release/portico serve >"$WORK/server-$name.log" 2>&1 &
  SERVER=$!
  for _ in $(seq 1 600); do
    curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
    sleep 0.1
  done
  PORTICO_ADMIN_PASSWORD="$PASSWORD" target/release/portico create-admin --username bench >/dev/null
  for writers in 1 8 32; do
    printf '%-10s ' "$name"
    node scripts/write-bench.mjs --base "http://127.0.0.1:$PORT" --user bench --password "$PASSWORD" \
      --writers "$writers" --seconds "$SECONDS_EACH" --tag "$name$writers"
  done
  kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=""
}

say "SQLite"
run_backend sqlite "sqlite://$WORK/bench.db?mode=rwc"
if psql "$PG_ADMIN" -qc "CREATE DATABASE $PG_DB" >/dev/null 2>&1; then
  say "PostgreSQL"
  run_backend postgres "$PG_BASE/$PG_DB"
else
  echo "PostgreSQL not reachable at $PG_ADMIN: skipped" >&2
fi
