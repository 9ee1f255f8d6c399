#!/usr/bin/env bash
# The move-in benchmark: a DedeCMS site of ARTICLES articles and PICTURES pictures
# (scripts/lib/make-dede-site.mjs; defaults 100000 and 20000) imported by the release build
# into a fresh SQLite file and a fresh PostgreSQL database, then imported again. Prints the
# wall time and peak RSS of each run, the report's counts, and how the site answered while
# the first import ran (a request to the home page every second).
#
#   ./scripts/bench-import.sh [ARTICLES] [PICTURES]
#   BACKENDS=postgres ./scripts/bench-import.sh    (one backend only: sqlite or postgres)
#
# Needs the release build (scripts/setup.sh build_site), the npm packages and Chromium of the
# tests (the pictures are drawn on a canvas), GNU time, and PostgreSQL at 127.0.0.1:5432 (PORTICO_BENCH_PG to use
# another server; the database portico_bench_import is dropped and made again).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ARTICLES="${1:-100000}"
PICTURES="${2:-20000}"
BIN="$ROOT/target/release/portico"
PG="${PORTICO_BENCH_PG:-postgres://postgres@127.0.0.1:5432}"
export PGOPTIONS="--client-min-messages=warning"
WORK="$(mktemp -d)"
SERVER=""
cleanup() { [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

[ -x "$BIN" ] || { echo "build the release site first: (source scripts/setup.sh; build_site)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "GNU time is needed: apt-get install time" >&2; exit 1; }

echo "making the old site: $ARTICLES articles, $PICTURES pictures"
node "$ROOT/scripts/lib/make-dede-site.mjs" "$WORK/old" "$ARTICLES" "$PICTURES"
echo "dump $(du -h "$WORK/old/dede.sql" | cut -f1), uploads $(du -sh "$WORK/old/uploads" | cut -f1)"

# One import: wall seconds, peak RSS (MB) and the report's totals.
run() { # LABEL DATABASE_URL UPLOADS
  local label="$1"
  DATABASE_URL="$2" PORTICO_SEED_DEMO=false PORTICO_UPLOADS_DIR="$3" \
    /usr/bin/time -f '%e %M' -o "$WORK/time" \
    "$BIN" import "$WORK/old/dede.sql" --from dedecms --media "$WORK/old/uploads" \
    --report "$WORK/report-$label.txt" >/dev/null 2>"$WORK/err-$label.txt" || {
      cat "$WORK/err-$label.txt" >&2
      exit 1
    }
  read -r secs kb <"$WORK/time"
  printf '%-22s %8.1f s  peak RSS %5d MB\n' "$label" "$secs" $((kb / 1024))
  grep -E '：共|跳转' "$WORK/report-$label.txt" | sed 's/^/    /'
}

# The site serving the same database during the first import: one request a second.
watch_site() { # DATABASE_URL UPLOADS PORT
  LEPTOS_SITE_ADDR="127.0.0.1:$3" LEPTOS_SITE_ROOT="$ROOT/target/site" DATABASE_URL="$1" \
    PORTICO_UPLOADS_DIR="$2" PORTICO_SEED_DEMO=false "$BIN" serve >"$WORK/serve.log" 2>&1 &
  SERVER=$!
  for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$3/healthz" >/dev/null && break; sleep 0.5; done
  (while kill -0 "$SERVER" 2>/dev/null; do
     curl -s -o /dev/null -w '%{http_code} %{time_total}\n' "http://127.0.0.1:$3/" >>"$WORK/probe"
     sleep 1
   done) &
}
site_summary() {
  kill "$SERVER" 2>/dev/null || true
  wait "$SERVER" 2>/dev/null || true
  SERVER=""
  awk '{n++; if ($1 != 200) bad++; if ($2 > max) max = $2; sum += $2}
       END {printf "    the site meanwhile: %d requests, %d not 200, mean %.3f s, slowest %.3f s\n", n, bad, sum / (n ? n : 1), max}' "$WORK/probe"
  rm -f "$WORK/probe"
}

BACKENDS="${BACKENDS:-sqlite postgres}"

if [[ " $BACKENDS " == *" sqlite "* ]]; then
echo "SQLite"
DB="sqlite://$WORK/sqlite.db?mode=rwc"
DATABASE_URL="$DB" PORTICO_SEED_DEMO=false "$BIN" migrate >/dev/null 2>&1
watch_site "$DB" "$WORK/uploads-sqlite" 3390
run "sqlite first" "$DB" "$WORK/uploads-sqlite"
site_summary
run "sqlite again" "$DB" "$WORK/uploads-sqlite"

fi

if [[ " $BACKENDS " == *" postgres "* ]]; then
echo "PostgreSQL"
psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS portico_bench_import" >/dev/null
psql "$PG/postgres" -qc "CREATE DATABASE portico_bench_import" >/dev/null
DB="$PG/portico_bench_import"
DATABASE_URL="$DB" PORTICO_SEED_DEMO=false "$BIN" migrate >/dev/null 2>&1
watch_site "$DB" "$WORK/uploads-pg" 3391
run "postgres first" "$DB" "$WORK/uploads-pg"
site_summary
run "postgres again" "$DB" "$WORK/uploads-pg"
psql "$PG/postgres" -qc "DROP DATABASE portico_bench_import" >/dev/null
fi
