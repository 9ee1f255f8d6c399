#!/usr/bin/env bash
# Sets up what is missing, builds the release site and runs it at http://127.0.0.1:3000
# with SQLite (data/portico.db, created, migrated and filled with demo content on first start).
set -euo pipefail
source "$(dirname "$0")/setup.sh"
cd "$ROOT"
setup_build
say "building the release site"
build_site
say "starting Portico at http://127.0.0.1:3000 (Ctrl-C stops it)"
exec target/release/portico serve
