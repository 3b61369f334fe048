// The Node package connpay-checkout-server (pkg-server/, `npm run build:server`), packed as npm
// would publish it: its signatures against vectors computed here from the formulas (FACTS §2,
// §6) with node:crypto, not with the package's own code; check sale by card reference; the
// callback checks; and a control key that never shows.
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

test("the FACTS vectors", () => {
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

test("the DAPI signatures, and check sale by card reference signs the server's card id", () => {
  const fields = { accessToken: "a".repeat(64), serialNumber: "SN1", endpointId: "1111", nonce: "n".repeat(64), invoiceId: "INV1", amountCentis: 1042, currency: "USD" };
  assert.equal(merchant.sessionSignature(fields), hmac(`${"a".repeat(64)}SN11111${"n".repeat(64)}INV11042USD`));
  assert.equal(merchant.checkSignature({ serialNumber: "SN1", nonce: "n".repeat(64), endpointId: "1111", invoiceId: "INV1" }), hmac(`SN1${"n".repeat(64)}1111INV1`));
  assert.equal(merchant.checkSignature({ serialNumber: "SN1", nonce: "n".repeat(64), endpointId: "1111", invoiceId: "INV1", serverCardId: "SRV-9" }), hmac(`SN1${"n".repeat(64)}1111INV1SRV-9`));

  const accessToken = merchant.accessToken();
  assert.match(accessToken, /^[0-9a-f]{64}$/);
  const initiated = merchant.initiateSale(
    { consumer: { device: { serialNumber: "SN1" } }, transaction: { amountCentis: 1042, currency: "EUR" }, session: { accessToken } },
    (token) => token === accessToken,
  );
  assert.equal(initiated.status, 200);
  const { invoiceId, session } = initiated.body;
  assert.equal(session.signature, hmac(`${accessToken}SN11111${session.nonce}${invoiceId}1042EUR`));
  // The gateway's check sale, its signature in upper case as the vendor's proxy writes it.
  const check = {
    consumer: { device: { serialNumber: "SN1" } },
    session: { accessToken, nonce: session.nonce, signature: session.signature.toUpperCase(), token: "t".repeat(32) },
    sourceOfFunds: { reference: { clientCardId: "card-1" } },
  };
  const unknownCard = merchant.checkSale(invoiceId, check, initiated.invoice, { serverCardId: () => null });
  assert.equal(unknownCard.status, 403);
  const asked = [];
  const lookup = (id, invoice) => {
    asked.push([id, invoice.accessToken]);
    return id === "card-1" ? "SRV-9" : null;
  };
  const checked = merchant.checkSale(invoiceId, check, initiated.invoice, { serverCardId: lookup });
  // The lookup is told whose invoice it is, so it looks among that payer's cards only.
  assert.deepEqual(asked, [["card-1", accessToken]]);
  assert.equal(checked.status, 200);
  assert.equal(checked.body.sourceOfFunds.reference.serverCardId, "SRV-9");
  assert.equal(checked.body.session.checkSignature, hmac(`SN1${session.nonce}1111${invoiceId}SRV-9`));
  assert.equal(checked.invoice.state, "CONFIRMED");
  // Confirmed for one sale: the gateway asking again for it gets the same answer and changes
  // nothing; another sale (another token) on the invoice is refused.
  const again = merchant.checkSale(invoiceId, check, checked.invoice);
  assert.deepEqual([again.status, again.body, again.invoice], [200, checked.body, null]);
  assert.equal(merchant.checkSale(invoiceId, { ...check, session: { ...check.session, token: "u".repeat(32) } }, checked.invoice).status, 403);
  // A lookup answer that the record could not keep is refused, not confirmed.
  const refused = merchant.checkSale(invoiceId, check, initiated.invoice, { serverCardId: () => "x".repeat(129) });
  assert.deepEqual([refused.status, refused.invoice], [500, null]);
  // A check that does not match the record, and a settled invoice, are refused.
  assert.equal(merchant.checkSale(invoiceId, { ...check, session: { ...check.session, nonce: "f".repeat(64) } }, initiated.invoice).status, 403);
  // A record as a store gives it back, with the store's own keys beside it, reads as before.
  assert.equal(merchant.checkSale(invoiceId, check, { ...checked.invoice, _id: "65f0c1" }).status, 200);
  assert.equal(merchant.statusRequest({ ...checked.invoice, _id: "65f0c1" }, "sandbox").url.endsWith(`/${invoiceId}/status`), true);
  assert.throws(() => merchant.statusRequest(null, "sandbox"), (error) => error.code === "argument.invalid" && error.path === "invoice");
  // Arguments of the wrong type are coded errors, never a trap inside the module.
  assert.throws(() => merchant.statusRequest(checked.invoice), (error) => error.code === "argument.invalid" && error.path === "gateway");
  assert.throws(() => merchant.checkSale({}, check, null), (error) => error.code === "argument.invalid" && error.path === "invoiceId");
  assert.throws(() => merchant.readStatus(200, {}), (error) => error.code === "argument.invalid" && error.path === "body");
  assert.throws(() => merchant.readStatus(65736, "{}"), (error) => error.path === "httpStatus");
  // The answers are needed at once: a promise (an async store) is refused with a way out.
  assert.throws(() => merchant.initiateSale(
    { consumer: { device: { serialNumber: "SN1" } }, transaction: { amountCentis: 1042, currency: "EUR" }, session: { accessToken } },
    async () => true,
  ), (error) => error.code === "argument.invalid" && error.path === "isIssued" && /promise/.test(error.message));
  assert.throws(() => merchant.checkSale(invoiceId, check, initiated.invoice, { serverCardId: async () => "SRV-9" }),
    (error) => error.path === "serverCardId");
  const { invoice: voided, voided: wasVoided } = merchant.settle(initiated.invoice);
  assert.equal(wasVoided, true);
  assert.equal(merchant.checkSale(invoiceId, { ...check, sourceOfFunds: undefined }, voided).status, 403);
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
