#!/usr/bin/env bash
# kill -9 check on the release build, on SQLite and PostgreSQL: every save answered 200
# before the process is killed is there after a restart; view counts lose at most the last
# `flush-secs` (see scripts/crash-check.mjs). Run by scripts/test.sh after the release
# build; needs target/release/portico (or $PORTICO_BINARY).
set -euo pipefail
cd "$(dirname "$0")/.."
PG_ADMIN="${PORTICO_TEST_PG_URL:-postgres://postgres@127.0.0.1:5432/test}"
PG_BASE="${PG_ADMIN%/*}"
PG_DB="portico_crash_$$"
WORK=$(mktemp -d /tmp/portico-crash.XXXXXX)
cleanup() {
  psql "$PG_ADMIN" -qc "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
export LEPTOS_SITE_ROOT=target/site
BINARY="${PORTICO_BINARY:-target/release/portico}"

node scripts/crash-check.mjs --binary "$BINARY" \
  --database "sqlite://$WORK/crash.db?mode=rwc" --port 3917
if psql "$PG_ADMIN" -qc "CREATE DATABASE $PG_DB" >/dev/null 2>&1; then
  node scripts/crash-check.mjs --binary "$BINARY" \
    --database "$PG_BASE/$PG_DB" --port 3918
elif [ "${CI:-}" = "true" ]; then
  echo "CI=true but PostgreSQL at $PG_ADMIN is unreachable" >&2
  exit 1
else
  echo "skipped: PostgreSQL not reachable at $PG_ADMIN" >&2
fi
