#!/usr/bin/env bash
# Installs what a fresh machine lacks for the project's commands; each step is skipped when its
# tool is already there, so running it again costs seconds.
#   scripts/setup.sh              everything `npm test` needs (toolchain + browsers + npm deps)
#   scripts/setup.sh --toolchain  only what building the package needs (`npm start`)
set -euo pipefail
cd "$(dirname "$0")/.."

WASM_PACK_VERSION=0.15.1
GECKODRIVER_VERSION=0.37.1
export PATH="$HOME/.cargo/bin:$PATH"

browsers=1
[ "${1:-}" = "--toolchain" ] && browsers=0

step() { printf '== setup: %s\n' "$*"; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  step "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# npm test checks the house rules with both (a toolchain installed with rustup's minimal profile lacks them).
if ! cargo fmt --version >/dev/null 2>&1 || ! cargo clippy --version >/dev/null 2>&1; then
  step "adding rustfmt and clippy"
  rustup component add rustfmt clippy
fi

# The release .wasm is built with the nightly pinned in scripts/release-toolchain (immediate-abort
# panics and std built for size: BENCHMARKS.md has both figures); its std comes from rust-src.
RELEASE_TOOLCHAIN=$(cat scripts/release-toolchain)
if ! rustup component list --installed --toolchain "$RELEASE_TOOLCHAIN" 2>/dev/null | grep -q '^rust-src'; then
  step "installing $RELEASE_TOOLCHAIN with rust-src (the release .wasm's toolchain, once)"
  rustup toolchain install "$RELEASE_TOOLCHAIN" --profile minimal -c rust-src
fi

if ! command -v wasm-pack >/dev/null; then
  step "installing wasm-pack $WASM_PACK_VERSION (a few minutes, once)"
  cargo install wasm-pack --version "=$WASM_PACK_VERSION"
fi

npm_ready() {
  [ -d node_modules/playwright-core ] && [ -d node_modules/card-validator ] && [ -d node_modules/react-dom ] || return 1
  for tool in wasm-opt tsc vite; do [ -x "node_modules/.bin/$tool" ] || return 1; done
}
if ! npm_ready; then
  step "installing npm dependencies (binaryen's wasm-opt, playwright-core, typescript, vite, the libraries the benchmark compares)"
  # `npm install`, not `npm ci`: this registry leaves the other platforms' optional packages of
  # rollup (under vite) out of the lock file, and `npm ci` refuses such a lock as out of sync;
  # `npm install` installs the locked versions all the same.
  npm install --no-audit --no-fund
fi

if [ "$browsers" = 1 ]; then
  missing=()
  command -v chromium >/dev/null || missing+=(chromium)
  command -v chromedriver >/dev/null || missing+=(chromium-driver)
  command -v firefox >/dev/null || missing+=(firefox-esr)
  # WebKit, Safari's engine: WebKitGTK's WebDriver, which needs an X display (a virtual one).
  command -v WebKitWebDriver >/dev/null || missing+=(webkit2gtk-driver)
  command -v xvfb-run >/dev/null || missing+=(xvfb)
  if [ ${#missing[@]} -gt 0 ]; then
    step "installing ${missing[*]} from Debian"
    sudo_cmd=()
    [ "$(id -u)" = 0 ] || sudo_cmd=(sudo)
    # Another apt process (a fresh machine's own updates) may hold dpkg's lock: wait for it
    # rather than failing with exit 100.
    "${sudo_cmd[@]}" apt-get -o DPkg::Lock::Timeout=300 update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get -o DPkg::Lock::Timeout=300 install -y -qq "${missing[@]}" >/dev/null
  fi
  if ! command -v geckodriver >/dev/null; then
    step "installing geckodriver $GECKODRIVER_VERSION (a minute or two, once)"
    cargo install geckodriver --version "=$GECKODRIVER_VERSION"
  fi
fi
step "ready"
