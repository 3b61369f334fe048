// The demo page as a payer uses it: typing into the card form shows brand, groups and validity.
import { test } from "node:test";
import assert from "node:assert/strict";
import { openDemo, useDemo } from "./support.mjs";

const demo = useDemo();

test("typing 4111 1111 1111 1111 shows Visa, the groups, and valid", async () => {
  const { page, problems } = await openDemo(demo.browser, demo.server.url);
  await page.locator("#card-number").pressSequentially("4111 1111 1111 1111");
  assert.equal(await page.inputValue("#card-number"), "4111 1111 1111 1111");
  assert.equal(await page.textContent("#card-brand"), "Visa");
  assert.equal(await page.textContent("#card-number-state"), "Valid");
  assert.equal(await page.getAttribute("#card-number", "aria-invalid"), "false");
  assert.deepEqual(problems, []);
});

test("digits typed without spaces are grouped as the payer types", async () => {
  const { page } = await openDemo(demo.browser, demo.server.url);
  await page.locator("#card-number").pressSequentially("378282246310005");
  assert.equal(await page.inputValue("#card-number"), "3782 822463 10005");
  assert.equal(await page.textContent("#card-brand"), "American Express");
  assert.equal(await page.textContent("#card-number-state"), "Valid");
});

test("a mistyped number says why, and the full card completes the summary", async () => {
  const { page, problems } = await openDemo(demo.browser, demo.server.url);
  const number = page.locator("#card-number");
  await number.pressSequentially("4111111111111112");
  // 16 digits failing Luhn may still grow into a 19-digit Visa: not flagged while typing.
  assert.equal(await page.textContent("#card-number-state"), "");
  await number.pressSequentially("111");
  assert.match(await page.textContent("#card-number-state"), /not valid/);
  assert.equal(await page.getAttribute("#card-number", "aria-invalid"), "true");

  await number.fill("");
  await number.pressSequentially("2200000000000004");
  assert.equal(await page.textContent("#card-brand"), "Mir");
  const nextYear = String((new Date().getFullYear() + 1) % 100).padStart(2, "0");
  await page.locator("#card-expiry").pressSequentially(`12/${nextYear}`);
  await page.locator("#card-cvv").pressSequentially("123");
  await page.locator("#card-holder").pressSequentially("IVAN PETROV");
  assert.equal(await page.textContent("#card-summary"), "The card details are complete and valid.");
  assert.deepEqual(problems, []);
});

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
