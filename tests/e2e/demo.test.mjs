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

/** The strictest policy a merchant's checkout page can have for a sale without 3-D Secure. */
const STRICT_CSP =
  "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'; style-src 'self'; " +
  "img-src 'self'; form-action 'self'; frame-ancestors 'none'";

test("under the strict policy alone the demo completes a sale with no securitypolicyviolation", async () => {
  const page = await demo.browser.newPage();
  // The page's own policy is replaced by exactly STRICT_CSP (no frame-src, no base-uri).
  await page.route(demo.server.url, async (route) => {
    const response = await route.fetch();
    await route.fulfill({ response, headers: { ...response.headers(), "content-security-policy": STRICT_CSP } });
  });
  await page.addInitScript(() => {
    window.violations = [];
    document.addEventListener("securitypolicyviolation", (event) =>
      window.violations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`),
    );
  });
  const errors = [];
  page.on("pageerror", (error) => errors.push(error.message));
  const response = await page.goto(demo.server.url);
  assert.equal(response.headers()["content-security-policy"], STRICT_CSP);
  await page.waitForSelector("#checkout[data-ready='true']");
  for (const [label, value] of [["Card number", "4111111111111111"], ["Expiry date", "1230"], ["Security code", "123"], ["Name on card", "JOHN SMITH"]]) {
    await page.getByLabel(label, { exact: true }).pressSequentially(value);
  }
  await page.getByRole("button", { name: /^Pay/ }).click();
  await page.waitForSelector("#checkout[data-outcome]", { timeout: 20_000 });
  assert.equal(await page.getAttribute("#checkout", "data-outcome"), "approved");
  assert.deepEqual(await page.evaluate(() => window.violations), []);
  assert.deepEqual(errors, []);
  await page.close();
});

test("the demo keeps its order across reloads (an HttpOnly cookie), and 'New order' starts another", { timeout: 60_000 }, async () => {
  const context = await demo.browser.newContext();
  try {
    const page = await context.newPage();
    let sales = 0;
    page.on("request", (request) => { if (/\/paynet\/dapi\/v1\/sale\/[^/]+\/[^/]+$/.test(new URL(request.url()).pathname)) sales += 1; });
    await page.goto(demo.server.url);
    await page.waitForSelector("#checkout[data-ready='true']");
    for (const [label, value] of [["Card number", "4111111111111111"], ["Expiry date", "1230"], ["Security code", "123"], ["Name on card", "JOHN SMITH"]]) {
      await page.getByLabel(label, { exact: true }).pressSequentially(value);
    }
    await page.getByRole("button", { name: /^Pay/ }).click();
    await page.waitForSelector("#checkout[data-outcome='approved']", { timeout: 20_000 });
    const order = async () => (await context.request.get(new URL("/merchant/order", demo.server.url).href)).json();
    assert.equal(await page.evaluate(() => document.cookie.includes("connpay_order")), false, "the page cannot read the order's cookie");
    // A reload: the order is the server's, and the page says it is paid before any card is typed.
    await page.reload();
    await page.waitForSelector("#checkout[data-outcome='approved']", { timeout: 20_000 });
    assert.match(await page.getByRole("status").first().textContent(), /^Approved/);
    assert.equal(await page.getByRole("button", { name: /^Pay/ }).isDisabled(), true);
    assert.equal(sales, 1);
    const paid = await order();
    assert.equal(paid.status, "paid");
    // A new order: the page reloads onto it, and it can be paid.
    await Promise.all([page.waitForEvent("load"), page.getByRole("button", { name: "New order" }).click()]);
    await page.waitForSelector("#checkout[data-ready='true']");
    const fresh = await order();
    assert.notEqual(fresh.orderId, paid.orderId);
    assert.equal(fresh.status, "open");
    assert.equal(await page.getAttribute("#checkout", "data-outcome"), null);
    assert.equal(await page.getByRole("button", { name: /^Pay/ }).isEnabled(), true);
    for (const [label, value] of [["Card number", "4111111111111111"], ["Expiry date", "1230"], ["Security code", "123"], ["Name on card", "JOHN SMITH"]]) {
      await page.getByLabel(label, { exact: true }).fill("");
      await page.getByLabel(label, { exact: true }).pressSequentially(value);
    }
    await page.getByRole("button", { name: /^Pay/ }).click();
    await page.waitForSelector("#checkout[data-outcome='approved']", { timeout: 20_000 });
    assert.equal(sales, 2);
  } finally {
    await context.close();
  }
});
