// The reference merchant server in Node (examples/merchant-node, on the connpay-checkout-server
// package) as the shop, and the sandbox as the gateway only: the demo page, served by the Node
// server, pays; the gateway's check sale is answered by the Node server; a check signature
// altered on its way back makes the gateway refuse the sale.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { launchChromium, startServer } from "./support.mjs";

const sandboxBinary = fileURLToPath(new URL("../../target/debug/connpay-sandbox", import.meta.url));
const shop = {};

/**
 * Between the gateway and the Node server: forwards check sale unchanged, or with its
 * `checkSignature` reversed while `tamper` is set (a forged answer the gateway must refuse).
 */
function checkSaleRelay(target) {
  const relay = { tamper: false, checks: [] };
  relay.server = createServer(async (request, response) => {
    let body = "";
    for await (const chunk of request) body += chunk;
    relay.checks.push(request.url);
    const answer = await fetch(new URL(request.url, target), { method: request.method, headers: { "Content-Type": "application/json" }, body });
    let text = await answer.text();
    if (relay.tamper && answer.ok) {
      const json = JSON.parse(text);
      json.session.checkSignature = [...json.session.checkSignature].reverse().join("");
      text = JSON.stringify(json);
    }
    response.writeHead(answer.status, { "Content-Type": "application/json" });
    response.end(text);
  });
  return relay;
}

async function freePort() {
  const probe = createServer().listen(0, "127.0.0.1");
  await once(probe, "listening");
  const { port } = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

before(async () => {
  const nodeUrl = `http://127.0.0.1:${await freePort()}`;
  shop.relay = checkSaleRelay(nodeUrl);
  shop.relay.server.listen(0, "127.0.0.1");
  await once(shop.relay.server, "listening");
  const relayUrl = `http://127.0.0.1:${shop.relay.server.address().port}`;
  // The sandbox plays the gateway only: check sale goes (through the relay) to the Node server.
  shop.directory = await mkdtemp(join(tmpdir(), "connpay-merchant-node-"));
  shop.gateway = await startServer(sandboxBinary, ["--addr", "127.0.0.1:0", "--www", "www", "--pkg", "pkg", "--merchant-url", `${relayUrl}/merchant`, "--allow-origin", nodeUrl], {}, 10_000);
  shop.node = await startServer(
    "node",
    ["examples/merchant-node/server.mjs"],
    { PORT: new URL(nodeUrl).port, CONNPAY_GATEWAY: shop.gateway.url, CONNPAY_WWW: "www", CONNPAY_PKG: "pkg", CONNPAY_DB: join(shop.directory, "merchant.db") },
    10_000,
    /connpay merchant server at (http:\/\/127\.0\.0\.1:\d+\/)/,
  );
  shop.browser = await launchChromium();
});

after(async () => {
  await shop.browser?.close();
  await shop.node?.stop();
  await shop.gateway?.stop();
  shop.relay?.server.close();
  if (shop.directory) await rm(shop.directory, { recursive: true, force: true });
});

/** Pays on the demo page the Node server serves; resolves to the invoice and the page's outcome. */
async function pay() {
  const page = await shop.browser.newPage();
  const errors = [];
  page.on("pageerror", (error) => errors.push(error.message));
  await page.goto(shop.node.url);
  await page.waitForSelector("#checkout[data-ready='true']");
  for (const [label, value] of [["Card number", "4111111111111111"], ["Expiry date", "1230"], ["Security code", "123"], ["Name on card", "JOHN SMITH"]]) {
    await page.getByLabel(label, { exact: true }).pressSequentially(value);
  }
  const initiated = page.waitForResponse((response) => response.url().endsWith("/merchant/sale/initiate-sale"));
  await page.getByRole("button", { name: /^Pay/ }).click();
  const { invoiceId } = await (await initiated).json();
  await page.waitForSelector("#checkout[data-outcome]", { timeout: 20_000 });
  const outcome = await page.getAttribute("#checkout", "data-outcome");
  await page.close();
  return { invoiceId, outcome, errors };
}

async function confirmation(invoiceId) {
  return (await fetch(new URL(`merchant/sale/${encodeURIComponent(invoiceId)}/confirmation`, shop.node.url))).json();
}

test("the demo page pays through the Node merchant server, which answered the gateway's check sale", async () => {
  const { invoiceId, outcome, errors } = await pay();
  assert.equal(outcome, "approved");
  assert.deepEqual(errors, []);
  assert.ok(shop.relay.checks.includes(`/merchant/sale/${invoiceId}/check`), shop.relay.checks.join(", "));
  // Before fulfilling the order, the shop's server asks the gateway itself.
  const { orderId, ...confirmed } = await confirmation(invoiceId);
  assert.match(orderId, /^ORD[0-9a-f]{24}$/);
  assert.deepEqual(confirmed, { invoiceId, state: "APPROVED", paid: true, amountCentis: 1042, currency: "EUR" });
});

test("a check signature altered on its way to the gateway makes it refuse the sale", async () => {
  shop.relay.tamper = true;
  try {
    const { invoiceId, outcome } = await pay();
    assert.ok(shop.relay.checks.includes(`/merchant/sale/${invoiceId}/check`));
    assert.notEqual(outcome, "approved");
    assert.equal(outcome, "sale.rejected");
    const confirmed = await confirmation(invoiceId);
    assert.equal(confirmed.paid, false);
  } finally {
    shop.relay.tamper = false;
  }
});

test("the Node server signs the v2 control for its own endpoint only, and a verified callback alone pays nothing", async () => {
  const { createHash } = await import("node:crypto");
  const key = "B17F59B4-A7DC-41B4-8FF9-37D986B43D20"; // the sandbox's, the server's default
  const sha1 = (text) => createHash("sha1").update(text).digest("hex");
  const post = (path, body, type = "application/json") =>
    fetch(new URL(path, shop.node.url), { method: "POST", headers: { "Content-Type": type }, body });
  const parts = { clientOrderId: "A-1", amount: "10.42", currency: "EUR", email: "a@b.co" };
  const signed = await post("merchant/v2/control", JSON.stringify(parts));
  assert.deepEqual(await signed.json(), { control: sha1(`1111A-11042a@b.co${key}`) });
  assert.equal((await post("merchant/v2/control", JSON.stringify({ ...parts, endpointId: "2222" }))).status, 403);
  assert.equal((await post("merchant/v2/control", JSON.stringify({ ...parts, cvv2: "123" }))).status, 400);
  // Only the order's amount is signed, whatever a page asks.
  assert.equal((await post("merchant/v2/control", JSON.stringify({ ...parts, amount: "0.01" }))).status, 400);
  // Signed again with the same parts (a reload): the same control; with others under that id: refused.
  assert.deepEqual(await (await post("merchant/v2/control", JSON.stringify(parts))).json(), { control: sha1(`1111A-11042a@b.co${key}`) });
  assert.equal((await post("merchant/v2/control", JSON.stringify({ ...parts, email: "c@d.co" }))).status, 409);
  const control = sha1(`approved6768789A-1${key}`);
  const form = (fields) => new URLSearchParams(fields).toString();
  const v2Confirmation = async () => (await fetch(new URL("merchant/v2/A-1/confirmation", shop.node.url))).json();
  const callback = { status: "approved", orderid: "6768789", client_orderid: "A-1", merchant_order: "A-1", control };
  assert.equal((await v2Confirmation()).status, "signed");
  // The callback verifies, but no sale form reached the gateway: its status says no such order,
  // and nothing is paid (a control signs neither amount nor currency: only a status may).
  assert.equal((await post("merchant/v2/callback", form(callback), "application/x-www-form-urlencoded")).status, 200);
  const after = await v2Confirmation();
  assert.equal(after.paid, false, JSON.stringify(after));
  assert.equal(after.shipped, false);
  assert.equal((await post("merchant/v2/callback", form({ ...callback, status: "declined" }), "application/x-www-form-urlencoded")).status, 403);
  assert.equal((await post("merchant/v2/callback", form({ ...callback, control: "0".repeat(40) }), "application/x-www-form-urlencoded")).status, 403);
});

test("the Node server signs only its order's amount, and bad paths and bodies are 400s, not crashes", async () => {
  const post = (path, body) => fetch(new URL(path, shop.node.url), { method: "POST", headers: { "Content-Type": "application/json" }, body });
  const { accessToken } = await (await post("merchant/auth/access-token", "{}")).json();
  const sale = (amountCentis) => JSON.stringify({ consumer: { device: { serialNumber: "SN1" } }, transaction: { amountCentis, currency: "EUR" }, session: { accessToken } });
  assert.equal((await post("merchant/sale/initiate-sale", sale(1))).status, 400);
  assert.equal((await post("merchant/sale/initiate-sale", sale(1042))).status, 200);
  assert.equal((await post("merchant/v2/control", "null")).status, 400);
  assert.equal((await fetch(new URL("merchant/sale/%E0%A4%A/confirmation", shop.node.url))).status, 400);
});
