// The demo page as the sandbox serves it: the module as application/wasm, the strict CSP, no
// path escapes. (The payer's side of the page is in checkout.test.mjs.)
import { test } from "node:test";
import assert from "node:assert/strict";
import { useDemo } from "./support.mjs";

const demo = useDemo();

test("the module is served as application/wasm under a strict CSP", async () => {
  const wasm = await fetch(new URL("pkg/connpay_checkout_bg.wasm", demo.server.url));
  assert.equal(wasm.status, 200);
  assert.equal(wasm.headers.get("content-type"), "application/wasm");
  const page = await fetch(demo.server.url);
  assert.match(page.headers.get("content-security-policy"), /script-src 'self' 'wasm-unsafe-eval'/);
  // Encoded slashes survive URL normalisation and reach the server as "../" after decoding.
  for (const escape of ["..%2fCargo.toml", "pkg/..%2f..%2fCargo.toml", "pkg/..%2fREADME.md"]) {
    assert.equal((await fetch(new URL(escape, demo.server.url))).status, 404, escape);
  }
});
