#!/usr/bin/env bash
# Benchmarks search at scale, on SQLite and on PostgreSQL.
#
#   scripts/bench-search.sh [ARTICLES] [sqlite|postgres|both]     (default 100000 both)
#
# Builds the release site, generates ARTICLES synthetic articles (bodies mixed from the demo
# articles' sentences) and builds the search index (time and size are printed), starts Portico
# with the page cache off, and times the 60 queries of scripts/search-queries.txt, each five
# times on one connection (scripts/search-timing.mjs): p50/p95/p99 and the slowest queries.
# Then how much of an article save the index costs (portico bench-save). PostgreSQL is the
# local one (127.0.0.1:5432, trust auth); a database portico_bench_search is created and dropped.
set -euo pipefail
source "$(dirname "$0")/setup.sh"
cd "$ROOT"
ARTICLES="${1:-100000}"
WHICH="${2:-both}"
PORT=3310
PG_ADMIN_URL="${PG_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
PG_DB=portico_bench_search

setup_build
say "release build"
if ! build_site >/tmp/portico-bench-build.log 2>&1; then
  cat /tmp/portico-bench-build.log >&2
  exit 1
fi

WORK=$(mktemp -d /tmp/portico-bench-search.XXXXXX)
PID=""
cleanup() {
  [ -n "$PID" ] && kill "$PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
export PORTICO_UPLOADS_DIR="$WORK/uploads"
export PORTICO_LOG=warn
export LEPTOS_SITE_ROOT=target/site

run_backend() { # name database-url
  local name=$1
  export DATABASE_URL=$2
  say "$name: generating $ARTICLES articles and the search index"
  target/release/portico bench-data --articles "$ARTICLES"
  LEPTOS_SITE_ADDR="127.0.0.1:$PORT" PORTICO_PUBLIC_URL="http://127.0.0.1:$PORT" PORTICO_CACHE_MB=0 \
    target/release/portico serve --no-seed >"$WORK/server-$name.log" 2>&1 &
  PID=$!
  for _ in $(seq 1 100); do
    curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
    sleep 0.1
  done
  say "$name: search timing"
  node scripts/search-timing.mjs "http://127.0.0.1:$PORT" scripts/search-queries.txt 5
  kill "$PID"; wait "$PID" 2>/dev/null || true; PID=""
  say "$name: the cost of the index in a save"
  target/release/portico bench-save --count 200
}

if [ "$WHICH" = sqlite ] || [ "$WHICH" = both ]; then
  run_backend sqlite "sqlite://$WORK/bench.db?mode=rwc"
fi
if [ "$WHICH" = postgres ] || [ "$WHICH" = both ]; then
  psql "$PG_ADMIN_URL" -qc "DROP DATABASE IF EXISTS $PG_DB" -c "CREATE DATABASE $PG_DB" >/dev/null
  run_backend postgres "postgres://postgres@127.0.0.1:5432/$PG_DB"
  psql "$PG_ADMIN_URL" -qc "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" >/dev/null
fi
