#!/usr/bin/env bash
# Every test of the project, as `npm test` runs it: the house rules (fmt, clippy), native, in Chromium,
# Firefox and WebKit, end to end.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# wasm-pack finds binaryen's current wasm-opt here (never Debian's binaryen 108).
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"

# The house rules first: they take seconds, and a failure here names the line to change.
echo "== house rules: cargo fmt --all --check (rustfmt.toml: 140 columns)"
cargo fmt --all --check

echo "== house rules: cargo clippy -D warnings ([workspace.lints]), natively with the server and Node features"
cargo clippy --quiet --workspace --all-targets --features connpay-core/server,connpay-merchant/node -- -D warnings

echo "== house rules: cargo clippy -D warnings on wasm32, what ships (the allocator, the browser tests; the validators' and the drop-in's builds)"
cargo clippy --quiet --target wasm32-unknown-unknown -p connpay-checkout --all-targets -- -D warnings
cargo clippy --quiet --target wasm32-unknown-unknown -p connpay-checkout --lib --no-default-features -- -D warnings
cargo clippy --quiet --target wasm32-unknown-unknown -p connpay-checkout --lib --no-default-features --features checkout -- -D warnings

echo "== native tests: cargo test --workspace (with the core's server feature: the signatures)"
cargo test --workspace --features connpay-core/server

echo "== browser tests: wasm-pack test --headless --chrome --firefox"
# The gateway calls' tests talk to a scripted fake gateway on 127.0.0.1; its URL is compiled
# into the test crate through CONNPAY_FAKE_GATEWAY.
gateway_log=$(mktemp)
node tests/support/fake-gateway.mjs >"$gateway_log" 2>&1 &
gateway_pid=$!
trap 'kill "$gateway_pid" 2>/dev/null || true; rm -f "$gateway_log"' EXIT
for _ in $(seq 50); do
  grep -q "fake gateway at" "$gateway_log" && break
  sleep 0.1
done
CONNPAY_FAKE_GATEWAY=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$gateway_log")
export CONNPAY_FAKE_GATEWAY
wasm-pack test --headless --chrome --firefox

echo "== browser tests in WebKit (Safari's engine): wasm-pack test --headless --safari, with WebKitGTK's WebKitWebDriver"
# wasm-bindgen-test-runner drives WebKitWebDriver as it drives Apple's safaridriver (W3C
# WebDriver, a session with no capabilities: WebKitWebDriver then starts its MiniBrowser in
# automation mode). It needs an X display: one virtual display for the whole run. WebKitGTK reports
# the process's locale as navigator.language, "C" under LANG=C.UTF-8, which no payer's Safari
# sends: it is given a payer's.
LANG=en_US.UTF-8 xvfb-run -a wasm-pack test --headless --safari --safaridriver "$(command -v WebKitWebDriver)"

echo "== package build: npm run build (scripts/build.mjs: every entry point, production on the pinned nightly, development on stable)"
npm run build

echo "== server package build: npm run build:server (connpay-checkout-server, for Node)"
npm run build:server
# The reference Node merchant server installs that package as a shop would (a file: link).
npm install --prefix examples/merchant-node --no-audit --no-fund --no-save

echo "== end-to-end tests: node --test tests/e2e/ (against the sandbox, target/debug/connpay-sandbox)"
cargo build --quiet -p connpay-sandbox
node --test tests/e2e/
