// The Node package connpay-checkout-server (pkg-server/, `npm run build:server`), packed as npm
// would publish it: its signatures against vectors computed here from the formulas of the
// gateway's documentation (/api/v2/sale, /api/v2/status, the callback) with node:crypto, not with
// the package's own code; check sale by card reference; the callback checks; and a control key
// that never shows.
import { before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHash, createHmac } from "node:crypto";
import { copyFile, mkdir, mkdtemp, symlink } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspect } from "node:util";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));
const KEY = "B17F59B4-A7DC-41B4-8FF9-37D986B43D20";
const sha1 = (text) => createHash("sha1").update(text).digest("hex");
const hmac = (text) => createHmac("sha1", Buffer.from(KEY.replaceAll("-", ""), "hex")).update(text).digest("hex");

let Merchant;
let merchant;
let scratch;
before(async () => {
  scratch = await mkdtemp(join(tmpdir(), "connpay-server-tarball-"));
  const [{ filename, name }] = JSON.parse(execFileSync("npm", ["pack", "./pkg-server", "--json", "--pack-destination", scratch], { cwd: root, encoding: "utf8" }));
  assert.equal(name, "connpay-checkout-server");
  execFileSync("tar", ["-xzf", join(scratch, filename), "-C", scratch]);
  ({ Merchant } = createRequire(import.meta.url)(join(scratch, "package")));
  merchant = new Merchant({ controlKey: KEY, endpointId: "1111", login: "shop" });
});

test("the gateway documentation's examples", () => {
  assert.equal(sha1(`1111902B4FF51042john.smith@gmail.com${KEY}`), "c6bdd88a78834ef4b863b088827a459f039e8257");
  assert.equal(hmac("TOKENSN11111NONCEINV11042USD"), "37718e2b42c63438d9b6e80553437ee8f319b481");
  const control = merchant.v2SaleControl({ endpointId: "1111", clientOrderId: "902B4FF5", amount: "10.42", currency: "USD", email: "john.smith@gmail.com" });
  assert.equal(control, "c6bdd88a78834ef4b863b088827a459f039e8257");
});

test("the v2 sale control signs minor units by the currency's exponent (0, 2, 3) and the endpoint group", () => {
  for (const [amount, currency, minor] of [["156", "JPY", "156"], ["0.29", "USD", "29"], ["10.42", "EUR", "1042"], ["1.005", "BHD", "1005"], ["7", "KWD", "7000"]]) {
    const signed = merchant.v2SaleControl({ clientOrderId: "A-1", amount, currency, email: "a@b.co" });
    assert.equal(signed, sha1(`1111A-1${minor}a@b.co${KEY}`), `${amount} ${currency}`);
  }
  const group = merchant.v2SaleControl({ endpointGroupId: "77", clientOrderId: "A-1", amount: "1.00", currency: "EUR", email: "a@b.co" });
  assert.equal(group, sha1(`77A-1100a@b.co${KEY}`));
  for (const [amount, currency] of [["1.005", "EUR"], ["1.5", "JPY"], [1.5, "EUR"], ["1e2", "EUR"]]) {
    assert.throws(() => merchant.v2SaleControl({ clientOrderId: "A-1", amount, currency, email: "a@b.co" }), (error) =>
      error.name === "ConnPayError" && error.code === "request.invalid" && error.path === "amount" &&
      error.message.includes("amount") && error.errors[0].path === "amount");
  }
  assert.throws(() => merchant.v2SaleControl({ clientOrderId: "A-1", amount: "1", currency: "EUR", email: "a@b.co", cvv2: "123" }),
    (error) => error.errors[0].path === "cvv2");
});

test("the v2 status control", () => {
  assert.equal(merchant.v2StatusControl({ clientOrderId: "A-1", orderId: "6768789" }), sha1(`shopA-16768789${KEY}`));
  assert.equal(merchant.v2StatusControl({ login: "other", clientOrderId: "A-1", orderId: "1" }), sha1(`otherA-11${KEY}`));
});

test("the v2 status request, and its answer read against the sale signed: paid only for its amount and currency", () => {
  const request = merchant.v2StatusRequest({ clientOrderId: "A-1", orderId: "6768789" }, "sandbox");
  assert.deepEqual(request, {
    method: "POST",
    url: "https://sandbox.connpay.com/paynet/api/v2/status/1111",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: `login=shop&client_orderid=A-1&orderid=6768789&control=${sha1(`shopA-16768789${KEY}`)}`,
  });
  assert.throws(() => merchant.v2StatusRequest({ clientOrderId: "A-1", orderId: "1" }, "ftp://gate"), (error) => error.path === "gateway");
  assert.throws(() => new Merchant({ controlKey: KEY, login: "shop" }).v2StatusRequest({ clientOrderId: "A-1", orderId: "1" }, "sandbox"),
    (error) => error.code === "argument.invalid" && error.path === "endpointId");

  const sale = { clientOrderId: "A-1", orderId: "6768789", amount: "10.42", currency: "EUR" };
  // As the gateway writes it: key=value pairs, URL-encoded, each value ended by a newline.
  const answer = (pairs) => Object.entries({ type: "status-response", "paynet-order-id": "6768789", "merchant-order-id": "A-1", ...pairs })
    .map(([key, value]) => `${key}=${encodeURIComponent(value)}\n`).join("&");
  assert.deepEqual(merchant.readV2Status(200, answer({ status: "approved", amount: "10.42", currency: "EUR" }), sale),
    { kind: "status", status: "approved", final: true, paid: true, amountCentis: 1042, currency: "EUR", redirectUrl: null, html: null });
  const approvedOther = merchant.readV2Status(200, answer({ status: "approved", amount: "104.20", currency: "EUR" }), sale);
  assert.deepEqual([approvedOther.status, approvedOther.paid, approvedOther.amountCentis], ["approved", false, 10420]);
  assert.equal(merchant.readV2Status(200, answer({ status: "approved", amount: "10.42", currency: "USD" }), sale).paid, false);
  const waiting = merchant.readV2Status(200, answer({ "redirect-url": "https://acs.example/3ds?a=1&b=2" }), sale);
  assert.deepEqual([waiting.status, waiting.final, waiting.redirectUrl], ["processing", false, "https://acs.example/3ds?a=1&b=2"]);
  assert.deepEqual(merchant.readV2Status(200, answer({ status: "approved", amount: "10.42", currency: "EUR", "paynet-order-id": "1" }), sale), { kind: "unusable" });
  assert.deepEqual(merchant.readV2Status(502, "<html>Bad Gateway</html>", sale), { kind: "unusable" });
  assert.deepEqual(merchant.readV2Status(200, "type=validation-error\n&error-message=no%20such%20order\n&error-code=3\n", sale),
    { kind: "refused", errorMessage: "no such order", errorCode: "3" });
  assert.throws(() => merchant.readV2Status(200, "", { ...sale, amount: 10.42 }), (error) => error.path === "sale.amount");
  // What was signed is checked as a v2 amount and currency: a typo is the shop's error, never a
  // "charged another amount" alarm.
  for (const [wrong, path] of [[{ amount: "10.420" }, "sale.amount"], [{ amount: "10,42" }, "sale.amount"], [{ currency: "eur" }, "sale.currency"]]) {
    assert.throws(() => merchant.readV2Status(200, "", { ...sale, ...wrong }), (error) => error.code === "argument.invalid" && error.path === path, path);
  }
  // A part said twice, differently: which the gateway meant cannot be told, so nothing is paid.
  const approved = answer({ status: "approved", amount: "10.42", currency: "EUR" });
  assert.deepEqual(merchant.readV2Status(200, `${approved}&amount=1.00\n`, sale), { kind: "unusable" });
  assert.deepEqual(merchant.readV2Status(200, `amount=1.00\n&${approved}`, sale), { kind: "unusable" });
  assert.deepEqual(merchant.readV2Status(200, `${approved}&status=declined\n`, sale), { kind: "unusable" });
});

test("a callback verifies only as the gateway signed it: another status or a forged control is refused", () => {
  const control = sha1(`approved6768789A-1${KEY}`);
  const callback = { status: "approved", orderid: "6768789", client_orderid: "A-1", merchant_order: "A-1", control };
  assert.equal(merchant.verifyV2Callback(callback), true);
  assert.equal(merchant.verifyV2Callback({ ...callback, control: control.toUpperCase() }), true);
  assert.equal(merchant.verifyV2Callback({ status: "approved", orderid: "6768789", merchant_order: "A-1", control }), true);
  assert.equal(merchant.verifyV2Callback({ ...callback, status: "declined" }), false);
  assert.equal(merchant.verifyV2Callback({ ...callback, control: sha1(`approved6768789A-1${KEY.toLowerCase()}`) }), false);
  assert.equal(merchant.verifyV2Callback({ ...callback, control: "0".repeat(40) }), false);
  assert.equal(merchant.verifyV2Callback({ ...callback, merchant_order: "A-2" }), false);
  assert.equal(merchant.verifyV2Callback({ ...callback, control: undefined }), false);
  assert.equal(merchant.verifyV2Callback(null), false);
});

test("the DAPI signatures, and one order's sale: initiate, check sale by card reference, pending, reconcile, paid, settle", () => {
  const fields = { accessToken: "a".repeat(64), serialNumber: "SN1", endpointId: "1111", nonce: "n".repeat(64), invoiceId: "INV1", amountCentis: 1042, currency: "USD" };
  assert.equal(merchant.sessionSignature(fields), hmac(`${"a".repeat(64)}SN11111${"n".repeat(64)}INV11042USD`));
  assert.equal(merchant.checkSignature({ serialNumber: "SN1", nonce: "n".repeat(64), endpointId: "1111", invoiceId: "INV1" }), hmac(`SN1${"n".repeat(64)}1111INV1`));
  assert.equal(merchant.checkSignature({ serialNumber: "SN1", nonce: "n".repeat(64), endpointId: "1111", invoiceId: "INV1", serverCardId: "SRV-9" }), hmac(`SN1${"n".repeat(64)}1111INV1SRV-9`));

  const accessToken = merchant.accessToken();
  assert.match(accessToken, /^[0-9a-f]{64}$/);
  const order = merchant.newOrder({ orderId: "A-1", amountCentis: 1042, currency: "EUR" });
  assert.deepEqual(order, { orderId: "A-1", amountCentis: 1042, currency: "EUR", version: 0, invoices: [] });
  const page = { consumer: { device: { serialNumber: "SN1" } }, transaction: { amountCentis: 1042, currency: "EUR" }, session: { accessToken } };
  assert.equal(merchant.initiateSale(order, page, { accessTokenIssued: false }).status, 403);
  const initiated = merchant.initiateSale(order, page, { accessTokenIssued: true });
  assert.equal(initiated.status, 200);
  assert.equal(initiated.order.version, 1);
  const { invoiceId, session } = initiated.body;
  assert.equal(initiated.body.status, "open");
  assert.equal(session.signature, hmac(`${accessToken}SN11111${session.nonce}${invoiceId}1042EUR`));
  // The gateway's check sale, its signature in upper case as the vendor's proxy writes it.
  const check = {
    consumer: { device: { serialNumber: "SN1" } },
    session: { accessToken, nonce: session.nonce, signature: session.signature.toUpperCase(), token: "t".repeat(32) },
    sourceOfFunds: { reference: { clientCardId: "card-1" } },
  };
  const unknownCard = merchant.checkSale(initiated.order, invoiceId, check, { savedCards: [{ clientCardId: "card-2", serverCardId: "SRV-2" }] });
  assert.deepEqual([unknownCard.status, unknownCard.order], [403, null]);
  const savedCards = [{ clientCardId: "card-2", serverCardId: "SRV-2" }, { clientCardId: "card-1", serverCardId: "SRV-9" }];
  const checked = merchant.checkSale(initiated.order, invoiceId, check, { savedCards, now: 1_800_000_000_000 });
  assert.equal(checked.status, 200);
  assert.equal(checked.body.sourceOfFunds.reference.serverCardId, "SRV-9");
  assert.equal(checked.body.session.checkSignature, hmac(`SN1${session.nonce}1111${invoiceId}SRV-9`));
  const confirmed = checked.order.invoices[0];
  assert.deepEqual([confirmed.state, confirmed.saleToken, confirmed.serverCardId, confirmed.confirmedAt], ["CONFIRMED", "t".repeat(32), "SRV-9", 1_800_000_000_000]);
  // Confirmed for one sale: the gateway asking again for it gets the same answer and changes
  // nothing; another sale (another token) on the invoice is refused.
  const again = merchant.checkSale(checked.order, invoiceId, check);
  assert.deepEqual([again.status, again.body, again.order], [200, checked.body, null]);
  assert.equal(merchant.checkSale(checked.order, invoiceId, { ...check, session: { ...check.session, token: "u".repeat(32) } }).status, 403);
  // A saved card's server id the record could not keep is refused, not confirmed.
  const refused = merchant.checkSale(initiated.order, invoiceId, check, { savedCards: [{ clientCardId: "card-1", serverCardId: "x".repeat(129) }] });
  assert.deepEqual([refused.status, refused.order], [500, null]);
  assert.equal(merchant.checkSale(initiated.order, invoiceId, { ...check, session: { ...check.session, nonce: "f".repeat(64) } }).status, 403);

  // The order is pending now: initiate sale signs nothing new, and says until when.
  const pending = merchant.initiateSale(checked.order, page, { accessTokenIssued: true });
  assert.deepEqual([pending.body, pending.order], [{ status: "pending", orderId: "A-1", invoiceId, until: 1_800_000_000_000 + 1_800_000 }, null]);
  assert.deepEqual(merchant.setAmount(checked.order, { amountCentis: 999, currency: "EUR" }), { order: null, status: "pending" });
  // Reconcile asks the gateway; its answer is recorded for good.
  const [call] = merchant.reconcile({ ...checked.order, _id: "65f0c1" }, "sandbox");
  assert.equal(call.invoiceId, invoiceId);
  assert.equal(call.request.url, `https://sandbox.connpay.com/paynet/dapi/v1/sale/1111/${invoiceId}/status`);
  assert.deepEqual(JSON.parse(call.request.body), { session: { accessToken, token: "t".repeat(32) } });
  const lost = merchant.applyStatus(checked.order, invoiceId, 502, "");
  assert.deepEqual(lost, { order: null, state: null });
  const otherAmount = JSON.stringify({ invoiceId, session: { token: "t".repeat(32) }, state: "APPROVED", transaction: { amountCentis: 1043 } });
  assert.deepEqual(merchant.applyStatus(checked.order, invoiceId, 200, otherAmount), { order: null, state: "AMOUNT_MISMATCH" });
  const approved = merchant.applyStatus(checked.order, invoiceId, 200, JSON.stringify({ invoiceId, session: { token: "t".repeat(32) }, state: "APPROVED", transaction: { amountCentis: 1042 } }));
  assert.deepEqual([approved.state, approved.order.invoices[0].state, approved.order.version], ["APPROVED", "APPROVED", 3]);
  assert.deepEqual(merchant.orderStatus(approved.order), { status: "paid", orderId: "A-1", invoiceId });
  assert.deepEqual(merchant.initiateSale(approved.order, page, { accessTokenIssued: true }).body, { status: "paid", orderId: "A-1", invoiceId });
  assert.deepEqual(merchant.reconcile(approved.order, "sandbox"), []);

  // Settle: an invoice no check sale reached is voided, and its late sale refused.
  const second = merchant.initiateSale(merchant.newOrder({ orderId: "A-2", amountCentis: 1042, currency: "EUR" }), page, { accessTokenIssued: true });
  const settled = merchant.settle(second.order, second.body.invoiceId);
  assert.deepEqual([settled.state, settled.order.invoices[0].state], ["VOIDED", "VOIDED"]);
  const late = { ...check, session: { ...check.session, nonce: second.body.session.nonce, signature: second.body.session.signature }, sourceOfFunds: undefined };
  assert.equal(merchant.checkSale(settled.order, second.body.invoiceId, late).status, 403);
  assert.deepEqual(merchant.settle(checked.order, invoiceId), { order: null, state: "CONFIRMED" });

  // Arguments of the wrong type, and records no rule could leave, are coded errors, never a trap.
  assert.throws(() => merchant.checkSale(checked.order, 5, check), (error) => error.code === "argument.invalid" && error.path === "invoiceId");
  assert.throws(() => merchant.initiateSale(null, page, { accessTokenIssued: true }), (error) => error.code === "argument.invalid" && error.path === "order");
  assert.throws(() => merchant.initiateSale(order, page, {}), (error) => error.path === "accessTokenIssued");
  assert.throws(() => merchant.initiateSale(order, page, { accessTokenIssued: () => true }), (error) => error.path === "accessTokenIssued");
  // Options that are not an object are named as the options.
  assert.throws(() => new Merchant(), (error) => error.code === "argument.invalid" && /^the options must be an object/.test(error.message));
  assert.throws(() => merchant.initiateSale(order, page, null), (error) => /^the options must be an object/.test(error.message));
  // An option the call does not take is named as that, not as a field of the gateway's spec.
  assert.throws(() => new Merchant({ controlKey: KEY, endpoint: "1111" }), (error) =>
    error.code === "argument.invalid" && error.path === "endpoint" && /not a field this call takes/.test(error.message) && !/gateway/.test(error.message));
  assert.throws(() => merchant.checkSale(checked.order, invoiceId, check, { savedCards: [{ clientCardId: "card-1", serverCardId: "SRV-1", last4: "1111" }] }), (error) =>
    error.path === "savedCards[0].last4" && /not a field this call takes/.test(error.message));
  const twoApproved = { ...approved.order, invoices: [approved.order.invoices[0], { ...approved.order.invoices[0], invoiceId: "INV2" }] };
  assert.throws(() => merchant.orderStatus(twoApproved), (error) => error.code === "argument.invalid" && error.path === "order.invoices");
  assert.throws(() => merchant.settle(checked.order, "INV-none"), (error) => error.path === "invoiceId");
  assert.throws(() => merchant.reconcile(checked.order), (error) => error.code === "argument.invalid" && error.path === "gateway");
  assert.throws(() => merchant.checkSale(checked.order, invoiceId, check, { savedCards: { "card-1": "SRV-9" } }), (error) => error.path === "savedCards");
  assert.throws(() => merchant.readStatus(200, {}), (error) => error.code === "argument.invalid" && error.path === "body");
  assert.throws(() => merchant.readStatus(65736, "{}"), (error) => error.path === "httpStatus");
  assert.throws(() => merchant.applyStatus(checked.order, invoiceId, 65736, "{}"), (error) => error.path === "httpStatus");
});

test("the control key never shows, and a malformed one throws a coded error without it", () => {
  for (const shown of [inspect(merchant, { showHidden: true, depth: 5 }), JSON.stringify(merchant), String(merchant), JSON.stringify(Object.entries(merchant))]) {
    assert.doesNotMatch(shown, /B17F59B4|b17f59b4|37D986B43D20/i, shown);
  }
  assert.deepEqual(JSON.parse(JSON.stringify(merchant)), { endpointId: "1111", login: "shop" });
  assert.deepEqual([merchant.endpointId, merchant.login], ["1111", "shop"]);
  const badKey = "B17F59B4-A7DC-41B4-8FF9-37D986B43D2Z";
  assert.throws(() => new Merchant({ controlKey: badKey }), (error) =>
    error.name === "ConnPayError" && error.code === "argument.invalid" && error.path === "controlKey" && !error.message.includes("37D986B43D2") && !inspect(error).includes("37D986B43D2"));
  // A truncated key (an environment variable cut short) is refused at once, not at the first sale.
  assert.throws(() => new Merchant({ controlKey: KEY.slice(0, 30) }), (error) => error.path === "controlKey");
  assert.throws(() => new Merchant({ controlKey: KEY, endpointID: "1111" }), (error) => error.code === "argument.invalid" && error.path === "endpointID");
  // A placeholder of one digit repeated is no key.
  assert.throws(() => new Merchant({ controlKey: "00000000-0000-0000-0000-000000000000" }), (error) => error.path === "controlKey" && /one digit/.test(error.message));
});

test("the TypeScript declarations type every export and refuse the listed mistakes (tsc --strict)", async () => {
  await mkdir(join(scratch, "node_modules"));
  await symlink(join(scratch, "package"), join(scratch, "node_modules", "connpay-checkout-server"));
  await copyFile(join(root, "examples/merchant-node/typed-usage.ts"), join(scratch, "typed-usage.ts"));
  const tsc = join(root, "node_modules/.bin/tsc");
  const args = ["--noEmit", "--strict", "--target", "es2022", "--lib", "es2022,esnext.disposable", "--module", "nodenext", "--moduleResolution", "nodenext", "typed-usage.ts"];
  try {
    execFileSync(tsc, args, { cwd: scratch, encoding: "utf8" });
  } catch (error) {
    assert.fail(`tsc: ${error.stdout}`);
  }
});
