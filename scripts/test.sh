#!/usr/bin/env bash
# Sets up what is missing, then runs every check and test: formatting, clippy on the server
# and the wasm build, unit/service/API tests (SQLite, and PostgreSQL when it answers; files on
# a local directory and on SeaweedFS's S3, started here — both required with CI=true), the
# crash, cluster and form-load checks, then the end-to-end tests in headless Chromium.
# Everything native is built once, in the `ci` profile (Cargo.toml): the tests and the server
# binary that the checks and the browser tests start (target/ci/portico, beside the release
# browser bundles). The README's run command builds the release server instead.
set -euo pipefail
source "$(dirname "$0")/setup.sh"
cd "$ROOT"
PORTICO_SETUP_TEST_TOOLS=1 setup_build
setup_test
setup_browser

say "cargo fmt --check, leptosfmt --check (the markup inside view!)"
cargo fmt --all --check
leptosfmt --check --quiet app/src

say "clippy: server build"
cargo clippy --workspace --all-targets -- -D warnings

say "clippy: browser (wasm) build"
cargo clippy -p app -p frontend --target wasm32-unknown-unknown --features app/hydrate -- -D warnings
cargo clippy -p app -p frontend-full --target wasm32-unknown-unknown --features app/full -- -D warnings

# Tests that need PostgreSQL or S3 are built in only when that backend is here (features
# test-postgres and test-s3 of server and service); without it they are reported as ignored,
# with the reason, and with CI=true its absence fails the run.
features=()
pg_url="${PORTICO_TEST_PG_URL:-postgres://postgres@127.0.0.1:5432/test}"
pg_host_port="${pg_url#*@}"; pg_host_port="${pg_host_port%%/*}"
[[ "$pg_host_port" == *:* ]] || pg_host_port="$pg_host_port:5432"
if (exec 3<>"/dev/tcp/${pg_host_port%:*}/${pg_host_port##*:}") 2>/dev/null; then
  features+=(server/test-postgres service/test-postgres)
elif [ "${CI:-}" = "true" ]; then
  echo "CI=true but PostgreSQL does not answer at $pg_host_port" >&2
  exit 1
else
  say "PostgreSQL does not answer at $pg_host_port: its tests will be reported as ignored"
fi

say "starting SeaweedFS (S3) for the storage tests"
source "$ROOT/scripts/lib/seaweedfs.sh"
trap stop_seaweedfs EXIT
if start_seaweedfs 18333; then
  features+=(server/test-s3 service/test-s3)
elif [ "${CI:-}" = "true" ]; then
  echo "CI=true but SeaweedFS could not be started" >&2
  exit 1
else
  say "no S3 server: the S3 tests will be reported as ignored"
fi

# --lib --tests: every unit and integration test (not the fuzz targets, whose test = false:
# --bins would run them as tests, fuzzing for ever); no crate has doc tests, and
# collecting none still costs rustdoc a pass over each crate.
test_args=(--profile ci --workspace --lib --tests ${features:+--features "$(IFS=,; echo "${features[*]}")"})
say "building the tests and the server (profile ci) and, beside them, the browser bundles (release)"
# The two builds fill each other's single-threaded stretches (linking, the wasm's LTO).
build_bundles >target/build-bundles.log 2>&1 &
bundles=$!
# --timings: target/cargo-timings/ shows which crates the time goes to.
cargo test "${test_args[@]}" --no-run --timings
if ! wait "$bundles"; then
  cat target/build-bundles.log >&2
  echo "building the browser bundles failed (target/build-bundles.log)" >&2
  exit 1
fi
# The server finds the bundles' hashed names in the hash files beside its binary.
cp target/release/hash.txt target/release/hash-full.txt target/ci/
export PORTICO_BINARY="$ROOT/target/ci/portico"

say "unit, service and API tests (features: ${features[*]:-none})"
cargo test "${test_args[@]}"

say "kill -9 check: nothing acknowledged is lost (SQLite, PostgreSQL)"
./scripts/crash-check.sh

say "a cluster on this machine: PostgreSQL, SeaweedFS, two app servers, nginx; kill -9 under load"
./scripts/cluster.sh

say "readers' forms under load: 500 messages, then 500 manuscripts with a PDF, at once (SQLite, PostgreSQL)"
./scripts/bench-forms.sh

say "end-to-end tests in Chromium"
(cd end2end && npx playwright test)

say "all tests passed"
