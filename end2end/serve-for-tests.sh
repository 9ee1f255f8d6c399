#!/bin/sh
# Starts the release build for the end-to-end tests: its own port, a fresh SQLite database
# and uploads directory, the demo content. Run from end2end/.
set -eu
cd "$(dirname "$0")"
tmp=.tmp
rm -rf "$tmp"
mkdir -p "$tmp"
cd ..
export LEPTOS_SITE_ADDR="127.0.0.1:${E2E_PORT:-3100}"
export LEPTOS_SITE_ROOT=target/site
export DATABASE_URL="sqlite://end2end/$tmp/e2e.db?mode=rwc"
export PORTICO_UPLOADS_DIR="end2end/$tmp/uploads"
export PORTICO_PUBLIC_URL="http://127.0.0.1:${E2E_PORT:-3100}"
export PORTICO_SEED_DEMO=true
# Staff accounts for the back-office tests (the password is only for this throwaway database).
export PORTICO_ADMIN_PASSWORD="${E2E_STAFF_PASSWORD:-e2e-password-2026}"
target/release/portico create-admin --username e2e-admin --display-name 测试管理员 >/dev/null
target/release/portico create-admin --username e2e-editor --display-name 测试编辑 --role editor >/dev/null
target/release/portico create-admin --username e2e-writer --display-name 测试撰稿人 --role writer >/dev/null
unset PORTICO_ADMIN_PASSWORD
exec target/release/portico serve
