#!/usr/bin/env bash
# Every test of the project, as `npm test` runs it: native, in Chromium and Firefox, end to end.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# wasm-pack finds binaryen's current wasm-opt here (never Debian's binaryen 108).
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"

echo "== native tests: cargo test --workspace"
cargo test --workspace

echo "== browser tests: wasm-pack test --headless --chrome --firefox"
wasm-pack test --headless --chrome --firefox

echo "== package build: wasm-pack build --release"
npm run build

echo "== end-to-end tests: node --test tests/e2e/"
node --test tests/e2e/
