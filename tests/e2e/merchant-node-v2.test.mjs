// /api/v2 at the reference Node merchant server (examples/merchant-node), with the sandbox as the
// gateway only: the server signs one v2 order's control, the form goes to the gateway as a page
// posts it, and the gateway's callbacks (the sandbox's own, and here the same callbacks posted by
// the test with the control the gateway computes) reach the server. The server ships only on a
// status call that shows the order approved with its own amount and currency; a callback moves
// an order forward only, and about its own gateway order only.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startShop, sha1, until, KEY, ENDPOINT, LOGIN } from "./merchant-node-shop.mjs";

let shop;

before(async () => {
  shop = await startShop();
  await shop.start();
});

after(async () => {
  await shop?.stop();
});

let orders = 0;
/** A client order id of this run. */
const clientOrderId = (name) => `${name}-${process.pid}-${++orders}`;

const postJson = (path, body) => fetch(new URL(path, shop.url), { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });

/** The control the Node server signs for a v2 order of the demo's 10.42 EUR. */
async function signed(id) {
  const answer = await postJson("merchant/v2/control", { clientOrderId: id, amount: "10.42", currency: "EUR", email: "payer@example.com" });
  assert.equal(answer.status, 200, await answer.clone().text());
  return (await answer.json()).control;
}

/** A v2 answer's `key=value` lines as an object. */
const v2Fields = (text) => Object.fromEntries([...new URLSearchParams(text)].map(([key, value]) => [key.trim(), value.trim()]));

/** The /api/v2/sale form, as a page posts it to the gateway; resolves to the gateway's answer. */
async function postForm(id, control, { currency = "EUR", cvv = "123" } = {}) {
  const form = {
    client_orderid: id, order_desc: "Order", card_printed_name: "JOHN SMITH", first_name: "John", last_name: "Smith",
    address1: "1 Main st", city: "Berlin", zip_code: "10115", country: "DE", phone: "+4930123456", email: "payer@example.com",
    amount: "10.42", currency, ipaddress: "203.0.113.7", credit_card_number: "4111111111111111", expire_month: "12",
    expire_year: "2040", cvv2: cvv, redirect_url: `${shop.url}done`, server_callback_url: `${shop.url}merchant/v2/callback`, control,
  };
  const answer = await fetch(`${shop.gatewayUrl}/paynet/api/v2/sale/${ENDPOINT}`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(form).toString(),
  });
  return v2Fields(await answer.text());
}

/** What the gateway says of a v2 order, asked with the merchant's login until final. */
async function gatewayStatus(id, orderId) {
  const read = async () => {
    const form = { login: LOGIN, client_orderid: id, orderid: orderId, control: sha1(`${LOGIN}${id}${orderId}${KEY}`) };
    const answer = await fetch(`${shop.gatewayUrl}/paynet/api/v2/status/${ENDPOINT}`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(form).toString(),
    });
    return v2Fields(await answer.text());
  };
  return until(read, (fields) => ["approved", "declined", "filtered", "error"].includes(fields.status));
}

/** A callback as the gateway posts it: status, orderid, client_orderid, and their control. */
async function callback(id, orderId, status) {
  const form = { status, orderid: orderId, client_orderid: id, merchant_order: id, control: sha1(`${status}${orderId}${id}${KEY}`) };
  const answer = await fetch(new URL("merchant/v2/callback", shop.url), {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(form).toString(),
  });
  return answer.status;
}

/** What the Node server says of a v2 order before it ships. */
async function confirmation(id) {
  return (await fetch(new URL(`merchant/v2/${encodeURIComponent(id)}/confirmation`, shop.url))).json();
}

const shipped = (id) => shop.log.filter((line) => line.startsWith(`shipping v2 order ${id} `));

test("a v2 order ships once, after a status call shows it approved with its own amount and currency", async () => {
  const id = clientOrderId("V2-OK");
  const answer = await postForm(id, await signed(id));
  assert.equal(answer.type, "async-response", JSON.stringify(answer));
  const orderId = answer["paynet-order-id"];
  assert.equal((await gatewayStatus(id, orderId)).status, "approved");
  assert.equal(await callback(id, orderId, "approved"), 200);
  const confirmed = await until(() => confirmation(id), (body) => body.paid === true);
  assert.deepEqual(confirmed, { clientOrderId: id, orderId, status: "approved", paid: true, amount: "10.42", currency: "EUR", charged: null, shipped: true });
  assert.equal(await callback(id, orderId, "approved"), 200);
  assert.equal(shipped(id).length, 1, shop.log.join("\n"));
});

test("a 3-D Secure v2 order: the issuer's page sends the payer back to redirect_url with the signed status, which the shop verifies and then ships on its status call", async () => {
  const id = clientOrderId("V2-3DS");
  const answer = await postForm(id, await signed(id), { cvv: "321" });
  const orderId = answer["paynet-order-id"];
  // The status names the issuer's page (after the first, which says processing).
  const waiting = await until(async () => {
    const form = { login: LOGIN, client_orderid: id, orderid: orderId, control: sha1(`${LOGIN}${id}${orderId}${KEY}`) };
    const reply = await fetch(`${shop.gatewayUrl}/paynet/api/v2/status/${ENDPOINT}`, { method: "POST", body: new URLSearchParams(form) });
    return v2Fields(await reply.text());
  }, (fields) => Boolean(fields["redirect-url"]));
  // The payer confirms there; the gateway sends them back as a real one does.
  const confirmed = await fetch(waiting["redirect-url"], { method: "POST", body: new URLSearchParams({ password: "hint" }), redirect: "manual" });
  assert.equal(confirmed.status, 303);
  const back = new URL(confirmed.headers.get("location"));
  assert.equal(`${back.origin}${back.pathname}`, `${shop.url}done`);
  const params = Object.fromEntries(back.searchParams);
  assert.deepEqual(
    { ...params, control: undefined },
    { status: "approved", orderid: orderId, client_orderid: id, merchant_order: id, control: undefined },
  );
  assert.equal(params.control, sha1(`approved${orderId}${id}${KEY}`), "the return is signed as the callback is");
  // The shop verifies what the payer brought back, then asks the status before it ships.
  const verified = await fetch(new URL(`merchant/v2/callback?${back.searchParams}`, shop.url), { method: "POST" });
  assert.equal(verified.status, 200);
  assert.equal((await until(() => confirmation(id), (body) => body.paid === true)).shipped, true);
});

test("a v2 control signed for EUR, used with another currency: refused, or never paid at the shop", async () => {
  const id = clientOrderId("V2-IDR");
  const control = await signed(id);
  for (const currency of ["IDR", "JPY"]) {
    const answer = await postForm(id, control, { currency });
    if (answer.type === "async-response") {
      // A gateway that took it would charge 10.42 of that currency, and post its callback.
      const orderId = answer["paynet-order-id"];
      const status = (await gatewayStatus(id, orderId)).status;
      assert.equal(await callback(id, orderId, status), 200);
    }
  }
  const after = await confirmation(id);
  assert.equal(after.paid, false, JSON.stringify(after));
  assert.notEqual(after.status, "approved");
  assert.equal(after.shipped, false);
  assert.deepEqual(shipped(id), []);
});

test("the same v2 form posted twice: the second is refused or its callbacks ignored, and the order's state unchanged", async () => {
  const id = clientOrderId("V2-TWICE");
  const control = await signed(id);
  const first = await postForm(id, control);
  assert.equal(first.type, "async-response", JSON.stringify(first));
  const orderId = first["paynet-order-id"];
  await gatewayStatus(id, orderId);
  assert.equal(await callback(id, orderId, "approved"), 200);
  const before = await until(() => confirmation(id), (body) => body.status !== "signed" && body.status !== "processing");

  const second = await postForm(id, control);
  // A gateway that took the same form again: its callbacks about that other order, whatever
  // they say, are not this order's.
  const otherOrderId = second.type === "async-response" ? second["paynet-order-id"] : "9999999";
  for (const status of ["declined", "approved", "error"]) {
    assert.equal(await callback(id, otherOrderId, status), 200);
    assert.deepEqual(await confirmation(id), before, `after a callback saying ${status} about order ${otherOrderId}`);
  }
  assert.ok(shipped(id).length <= 1, shop.log.join("\n"));
});

test("a replayed older callback: a final state is never replaced", async () => {
  const id = clientOrderId("V2-REPLAY");
  const answer = await postForm(id, await signed(id), { cvv: "116" });
  assert.equal(answer.type, "async-response", JSON.stringify(answer));
  const orderId = answer["paynet-order-id"];
  assert.equal((await gatewayStatus(id, orderId)).status, "declined");
  assert.equal(await callback(id, orderId, "declined"), 200);
  const declined = await until(() => confirmation(id), (body) => body.status === "declined");
  assert.equal(declined.status, "declined", JSON.stringify(declined));
  // Callbacks of the same order with other statuses, verified (the gateway's control), replayed.
  for (const status of ["approved", "error", "filtered"]) {
    assert.equal(await callback(id, orderId, status), 200);
    assert.deepEqual(await confirmation(id), declined, `after a callback saying ${status}`);
  }
  assert.deepEqual(shipped(id), []);
});

test("a callback for an order this server never signed, or whose control does not verify, changes nothing", async () => {
  const id = clientOrderId("V2-NEVER");
  assert.equal(await callback(id, "6768789", "approved"), 404);
  assert.equal((await fetch(new URL(`merchant/v2/${id}/confirmation`, shop.url))).status, 404);
  const signedId = clientOrderId("V2-FORGED");
  await signed(signedId);
  const forged = { status: "approved", orderid: "6768789", client_orderid: signedId, control: "0".repeat(40) };
  const answer = await fetch(new URL("merchant/v2/callback", shop.url), { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(forged).toString() });
  assert.equal(answer.status, 403);
  assert.equal((await confirmation(signedId)).status, "signed");
});
