# Installs what building and testing Portico needs, skipping whatever is already there.
# Sourced by scripts/run.sh and scripts/test.sh; safe to run again and again.
#   setup_build     Rust wasm target, cargo-leptos, wasm-bindgen-cli, npm packages (wasm-opt): what building needs
#   setup_test      leptosfmt, which only the tests use
#   setup_browser   Debian's Chromium and Java, for the end-to-end and markup tests
#   build_site      the release site (server and both browser bundles)
#   build_bundles   only the browser side of it (both bundles, stylesheet, assets), no server

CARGO_LEPTOS_VERSION=0.3.10
WASM_BINDGEN_VERSION=0.2.130
LEPTOSFMT_VERSION=0.1.33
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# Each step is stamped with the minutes and seconds since the script started (CI's log shows
# where the time goes).
say() { printf '\033[1;34m==>\033[0m [%d:%02d] %s\n' $((SECONDS / 60)) $((SECONDS % 60)) "$*"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# The release site: the server, the stylesheet and the reader bundle (project "portico"), and
# the full bundle (project "portico-full": forms, 我的收藏, editors) into its own site root,
# copied under target/site/pkg/full where the server finds it. Each bundle has its own wasm
# target directory (front-target-dir in Cargo.toml), so neither rebuilds the other's crates,
# and the two builds run side by side: each ends in a long single-threaded link of the wasm.
build_site() { build_release; }

# The browser side of the release site alone (both bundles, the stylesheet, the assets, the
# hash files in target/release), for a server built another way: scripts/test.sh runs its
# server from the `ci` profile it has already built for the tests.
build_bundles() { build_release --frontend-only; }

# Both; arguments go to the "portico" project's build.
build_release() {
  (
    set -e
    export PATH="$ROOT/end2end/node_modules/.bin:$HOME/.cargo/bin:$PATH"
    cd "$ROOT"
    mkdir -p target
    cargo leptos build --release --split --precompress --project portico-full --frontend-only \
      >target/build-full.log 2>&1 &
    local full=$!
    cargo leptos build --release --split --precompress --project portico "$@"
    if ! wait "$full"; then
      cat target/build-full.log >&2
      echo "building the full bundle failed (target/build-full.log)" >&2
      exit 1
    fi
    rm -rf target/site/pkg/full
    cp -r target/site-full/pkg/full target/site/pkg/full
  )
}

setup_build() {
  command -v cargo >/dev/null || { echo "Rust is required: https://rustup.rs" >&2; exit 1; }
  command -v npm >/dev/null || { echo "Node.js and npm are required" >&2; exit 1; }

  if ! rustup target list --installed 2>/dev/null | grep -q '^wasm32-unknown-unknown$'; then
    say "adding the wasm32 target"
    rustup target add wasm32-unknown-unknown
  fi
  # The three installs run side by side: npm waits on the network and each cargo install has
  # long single-threaded stretches (linking, the biggest crates) that the other one fills.
  local pids=()
  if [ ! -x "$ROOT/end2end/node_modules/.bin/wasm-opt" ] || [ ! -x "$ROOT/end2end/node_modules/.bin/playwright" ] \
     || [ "$ROOT/end2end/package-lock.json" -nt "$ROOT/end2end/node_modules/.package-lock.json" ]; then
    say "installing the npm packages (binaryen's wasm-opt, Playwright)"
    (cd "$ROOT/end2end" && npm ci --no-audit --no-fund --loglevel=error) &
    pids+=($!)
  fi
  if ! wasm-bindgen --version 2>/dev/null | grep -q "$WASM_BINDGEN_VERSION"; then
    say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION"
    cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force --quiet &
    pids+=($!)
  fi
  if ! cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
    # cargo-leptos's own release profile asks for fat LTO in one codegen unit, which is most
    # of its build time (one core for minutes); a build tool run a few times a day does not
    # need it. Measured on 2 cores: see docs/building.md.
    say "installing cargo-leptos $CARGO_LEPTOS_VERSION (once; about 12 minutes on 2 cores)"
    cargo install cargo-leptos --locked --version "$CARGO_LEPTOS_VERSION" --quiet \
      --config 'profile.release.lto=false' --config 'profile.release.codegen-units=16' &
    pids+=($!)
  fi
  # scripts/test.sh sets PORTICO_SETUP_TEST_TOOLS=1: leptosfmt is built beside the others
  # instead of after them.
  if [ "${PORTICO_SETUP_TEST_TOOLS:-}" = 1 ] && ! leptosfmt --version 2>/dev/null | grep -q "$LEPTOSFMT_VERSION"; then
    say "installing leptosfmt $LEPTOSFMT_VERSION (formats view! markup)"
    cargo install leptosfmt --locked --version "$LEPTOSFMT_VERSION" --quiet &
    pids+=($!)
  fi
  local pid failed=0
  for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
  [ "$failed" = 0 ] || { echo "installing the build tools failed (see above)" >&2; exit 1; }
  # cargo-leptos must find npm's wasm-opt before any other (Debian's produces broken wasm).
  export PATH="$ROOT/end2end/node_modules/.bin:$HOME/.cargo/bin:$PATH"
}

# What only the tests need on top of setup_build: leptosfmt checks the markup inside view!.
setup_test() {
  if ! leptosfmt --version 2>/dev/null | grep -q "$LEPTOSFMT_VERSION"; then
    say "installing leptosfmt $LEPTOSFMT_VERSION (formats view! markup)"
    cargo install leptosfmt --locked --version "$LEPTOSFMT_VERSION"
  fi
}

setup_browser() {
  if ! command -v chromium >/dev/null && [ ! -x /usr/bin/chromium ]; then
    say "installing Debian's Chromium"
    as_root apt-get update
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium
  fi
  # Java runs the Nu HTML checker (vnu-jar, from npm) in the markup tests.
  if ! command -v java >/dev/null; then
    say "installing Debian's Java runtime (for the Nu HTML checker)"
    as_root apt-get update
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y default-jre-headless
  fi
  # Chinese glyphs, so that pages are laid out (and screenshots look) as readers see them.
  if ! fc-list :lang=zh 2>/dev/null | grep -q .; then
    say "installing a Chinese font (Noto CJK)"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y fonts-noto-cjk
  fi
}
