# Installs what building and testing Portico needs, skipping whatever is already there.
# Sourced by scripts/run.sh and scripts/test.sh; safe to run again and again.
#   setup_build     Rust wasm target, cargo-leptos, wasm-bindgen-cli, leptosfmt, npm packages (wasm-opt)
#   setup_browser   Debian's Chromium and Java, for the end-to-end and markup tests
#   build_site      the release site (server and both browser bundles)

CARGO_LEPTOS_VERSION=0.3.10
WASM_BINDGEN_VERSION=0.2.130
LEPTOSFMT_VERSION=0.1.33
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

say() { printf '\033[1;34m==>\033[0m %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# The release site: the server, the stylesheet and the reader bundle (project "portico"), then
# the full bundle (project "portico-full": forms, 我的收藏, editors) into its own site root,
# copied under target/site/pkg/full where the server finds it.
build_site() {
  (
    set -e
    export PATH="$ROOT/end2end/node_modules/.bin:$HOME/.cargo/bin:$PATH"
    cd "$ROOT"
    cargo leptos build --release --split --precompress --project portico
    cargo leptos build --release --split --precompress --project portico-full --frontend-only
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
  if ! cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
    say "installing cargo-leptos $CARGO_LEPTOS_VERSION (about 25 minutes on 2 cores, once)"
    cargo install cargo-leptos --locked --version "$CARGO_LEPTOS_VERSION"
  fi
  if ! wasm-bindgen --version 2>/dev/null | grep -q "$WASM_BINDGEN_VERSION"; then
    say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION"
    cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
  fi
  if ! leptosfmt --version 2>/dev/null | grep -q "$LEPTOSFMT_VERSION"; then
    say "installing leptosfmt $LEPTOSFMT_VERSION (formats view! markup)"
    cargo install leptosfmt --locked --version "$LEPTOSFMT_VERSION"
  fi
  if [ ! -x "$ROOT/end2end/node_modules/.bin/wasm-opt" ] || [ ! -x "$ROOT/end2end/node_modules/.bin/playwright" ] \
     || [ "$ROOT/end2end/package-lock.json" -nt "$ROOT/end2end/node_modules/.package-lock.json" ]; then
    say "installing the npm packages (Playwright, binaryen's wasm-opt)"
    (cd "$ROOT/end2end" && npm ci --no-audit --no-fund)
  fi
  # cargo-leptos must find npm's wasm-opt before any other (Debian's produces broken wasm).
  export PATH="$ROOT/end2end/node_modules/.bin:$HOME/.cargo/bin:$PATH"
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
