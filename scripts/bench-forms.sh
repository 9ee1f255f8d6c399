#!/usr/bin/env bash
# Readers' forms under load, on the release build, on SQLite and PostgreSQL: 500 readers (each
# from an address of its own) send a message at once, then a manuscript with a small PDF; every
# receipt must be exactly one stored item (and file) and nothing may answer 5xx. `READERS=N`
# changes the count. Needs target/release/portico (or $PORTICO_BINARY).
set -euo pipefail
cd "$(dirname "$0")/.."
READERS="${READERS:-500}"
PG_ADMIN="${PORTICO_TEST_PG_URL:-postgres://postgres@127.0.0.1:5432/test}"
PG_BASE="${PG_ADMIN%/*}"
PG_DB="portico_forms_$$"
WORK=$(mktemp -d /tmp/portico-forms.XXXXXX)
cleanup() {
  psql "$PG_ADMIN" -qc "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
export LEPTOS_SITE_ROOT=target/site
BINARY="${PORTICO_BINARY:-target/release/portico}"

node scripts/form-load.mjs --binary "$BINARY" --database "sqlite://$WORK/forms.db?mode=rwc" --readers "$READERS" --port 3919
if psql "$PG_ADMIN" -qc "CREATE DATABASE $PG_DB" >/dev/null 2>&1; then
  node scripts/form-load.mjs --binary "$BINARY" --database "$PG_BASE/$PG_DB" --readers "$READERS" --port 3920
elif [ "${CI:-}" = "true" ]; then
  echo "CI=true but PostgreSQL at $PG_ADMIN is unreachable" >&2
  exit 1
else
  echo "skipped: PostgreSQL not reachable at $PG_ADMIN" >&2
fi
