#!/bin/sh
# Starts the release build (or $PORTICO_BINARY, a path from the repository root) for the end-to-end tests: its own port, a fresh SQLite database
# and uploads directory, the demo content. Run from end2end/.
set -eu
cd "$(dirname "$0")"
tmp=.tmp
rm -rf "$tmp"
mkdir -p "$tmp"
cd ..
bin="${PORTICO_BINARY:-target/release/portico}"
export LEPTOS_SITE_ADDR="127.0.0.1:${E2E_PORT:-3100}"
export LEPTOS_SITE_ROOT=target/site
export DATABASE_URL="sqlite://end2end/$tmp/e2e.db?mode=rwc"
export PORTICO_UPLOADS_DIR="end2end/$tmp/uploads"
export PORTICO_KEY_FILE="end2end/$tmp/portico.key"
export PORTICO_PUBLIC_URL="http://127.0.0.1:${E2E_PORT:-3100}"
export PORTICO_SEED_DEMO=true
# Staff accounts for the back-office tests (the password is only for this throwaway database).
export PORTICO_ADMIN_PASSWORD="${E2E_STAFF_PASSWORD:-e2e-password-2026}"
"$bin" create-admin --username e2e-admin --display-name 测试管理员 >/dev/null
"$bin" create-admin --username e2e-editor --display-name 测试编辑 --role editor >/dev/null
"$bin" create-admin --username e2e-writer --display-name 测试撰稿人 --role writer >/dev/null
"$bin" create-admin --username e2e-auditor --display-name 测试审计 --role auditor >/dev/null
"$bin" create-admin --username e2e-secadmin --display-name 测试安全 --role secadmin >/dev/null
"$bin" create-admin --username e2e-2fa --display-name 双因素测试 --role editor >/dev/null
unset PORTICO_ADMIN_PASSWORD
# The other tests sign in with a password alone; the second factor's test enrols its own
# account of its own accord (tests/two-factor.spec.ts).
"$bin" security set totp_admins 0 totp_editors 0 totp_writers 0 >/dev/null
# 站群: a member site on its own host (tests/member-site.spec.ts; Chromium maps yi.test to
# this machine, playwright.config.ts).
"$bin" site add --code yi --name 乙园区 --host yi.test >/dev/null
"$bin" site open yi >/dev/null
exec "$bin" serve
