// One order, one charge, at the reference Node merchant server (examples/merchant-node, on its
// SQLite file) with the sandbox as the gateway only, driven over HTTP as the page and the gateway
// would: the server killed (SIGKILL) after check sale or before it and started again on the same
// database; two tabs of one order paying at once; an uncertain answer (a 502 after the gateway
// processed the sale), a reload and a second Pay. The gateway's own status is the judge of what
// was charged.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { Payer, startShop, gatewayFinalState, until, badGatewayAfterProcessing, sleep } from "./merchant-node-shop.mjs";

let shop;

before(async () => {
  shop = await startShop();
});

after(async () => {
  await shop?.stop();
});

/** The Node server running, started with `env` when it is not. */
async function running(env) {
  if (!shop.node) await shop.start(env);
}

/** Kills the Node server with SIGKILL and starts it again on the same database. */
async function restart(env) {
  await shop.kill("SIGKILL");
  await shop.start(env);
}

const shipments = (orderId) => shop.log.filter((line) => line.startsWith(`shipping order ${orderId} `));
const order = (payer) => payer.shopCall("GET", "merchant/order");
const paid = ({ status, body }) => status === 200 && body.status === "paid";

test("the Node server killed (SIGKILL) after check sale and started again: the order is confirmed and shipped once", async () => {
  // The first run asks the gateway nothing after the sale: only a restart can learn the outcome.
  await shop.kill("SIGTERM");
  await shop.start({ CONNPAY_RECONCILE_MS: "3600000" });
  const payer = new Payer(shop);
  const orderId = await payer.newOrder();
  const initiated = await payer.initiate();
  assert.equal(initiated.status, 200, JSON.stringify(initiated.body));
  const sale = await payer.performSale(initiated);
  // The gateway's perform sale answered: the Node server's check sale had confirmed it.
  assert.equal(sale.status, 200, JSON.stringify(sale.body));
  await restart();

  // Nobody asks: the restarted server finds the undecided sale in its database, asks the
  // gateway, records the approval and ships.
  await until(() => shipments(orderId).length, (count) => count > 0);
  assert.equal(shipments(orderId).length, 1, shop.log.join("\n"));
  // And it knows the invoice.
  const confirmation = () => payer.shopCall("GET", `merchant/sale/${initiated.body.invoiceId}/confirmation`);
  const confirmed = await until(confirmation, ({ body }) => body?.paid === true);
  assert.equal(confirmed.status, 200, JSON.stringify(confirmed.body));
  assert.equal(confirmed.body.state, "APPROVED");
  assert.equal(await gatewayFinalState(shop, sale), "APPROVED");
  const after = await until(() => order(payer), paid);
  assert.deepEqual(after.body, { status: "paid", orderId, invoiceId: initiated.body.invoiceId, amountCentis: 1042, currency: "EUR", shipped: true });

  // Killed and started once more: nothing ships twice.
  await restart();
  await sleep(1_000);
  assert.equal((await order(payer)).body.shipped, true);
  assert.equal(shipments(orderId).length, 1, shop.log.join("\n"));
});

test("the Node server killed (SIGKILL) between initiate and check sale: the sale goes through after the restart", async () => {
  await running();
  const payer = new Payer(shop);
  const orderId = await payer.newOrder();
  const initiated = await payer.initiate();
  assert.equal(initiated.status, 200, JSON.stringify(initiated.body));
  await restart();

  // The gateway asks the restarted server's check sale about the invoice it signed before.
  const sale = await payer.performSale(initiated);
  assert.equal(sale.status, 200, JSON.stringify(sale.body));
  assert.equal(await gatewayFinalState(shop, sale), "APPROVED");
  const after = await until(() => order(payer), paid);
  assert.equal(after.body.status, "paid", JSON.stringify(after.body));
  assert.equal(after.body.invoiceId, initiated.body.invoiceId);
  assert.equal(after.body.shipped, true);
  assert.equal(shipments(orderId).length, 1, shop.log.join("\n"));
});

/**
 * Two tabs of one browser (one cookie, so one order): each a page that initiates and, given a
 * session, performs its sale. `interleave` runs them; resolves to the gateway's answers.
 */
async function twoTabs(interleave) {
  const payer = new Payer(shop);
  await payer.newOrder();
  const pay = async (initiated) => (initiated.body.session ? payer.performSale(initiated) : null);
  const sales = (await interleave(payer, pay)).filter(Boolean);
  return { payer, accepted: sales.filter((sale) => sale.status === 200) };
}

test("two tabs of one order paying at the same moment: one perform sale accepted by the gateway", async () => {
  await running();
  const interleavings = {
    // Both pages initiate, then both pay.
    "initiate, initiate, pay, pay": async (payer, pay) => {
      const [first, second] = await Promise.all([payer.initiate(), payer.initiate()]);
      return Promise.all([pay(first), pay(second)]);
    },
    // The first page pays while the second initiates and pays.
    "initiate, then pay beside initiate and pay": async (payer, pay) => {
      const first = await payer.initiate();
      return Promise.all([pay(first), payer.initiate().then(pay)]);
    },
  };
  for (const [name, interleave] of Object.entries(interleavings)) {
    const { payer, accepted } = await twoTabs(interleave);
    assert.equal(accepted.length, 1, `${name}: the gateway accepted ${accepted.length} sales for one order`);
    assert.equal(await gatewayFinalState(shop, accepted[0]), "APPROVED", name);
    const after = await until(() => order(payer), paid);
    assert.equal(after.body.invoiceId, accepted[0].invoiceId, name);
    // A third tab is told the order is paid.
    const third = await payer.initiate();
    assert.equal(third.body.status, "paid", `${name}: ${JSON.stringify(third.body)}`);
  }
});

test("a 502 after the gateway processed the sale, then a reload and Pay again: one approved invoice, and initiate answers paid without a new perform sale", async () => {
  await running();
  const relay = await badGatewayAfterProcessing(shop);
  try {
    const payer = new Payer(shop);
    await payer.newOrder();
    const initiated = await payer.initiate();
    const uncertain = await payer.performSale(initiated, { gatewayUrl: relay.url });
    assert.equal(uncertain.status, 502);
    // The gateway did take the sale: the page only lost its answer.
    assert.equal(relay.forwarded.length, 1);
    assert.equal(relay.forwarded[0].status, 200, relay.forwarded[0].body);
    const first = { invoiceId: initiated.body.invoiceId, accessToken: initiated.accessToken, body: JSON.parse(relay.forwarded[0].body) };

    // The reload: the page asks for a session again (while pending, every few hundred ms), and
    // pays with any session it is given, as a payer pressing Pay again would.
    const reloaded = await until(() => payer.initiate(), (answer) => answer.body.status !== "pending");
    const again = reloaded.body.session ? await payer.performSale(reloaded) : null;
    const approved = [await gatewayFinalState(shop, first)];
    if (again?.status === 200) approved.push(await gatewayFinalState(shop, again));
    assert.deepEqual(reloaded.body, { status: "paid", orderId: reloaded.body.orderId, invoiceId: initiated.body.invoiceId });
    assert.equal(again, null, "no second perform sale");
    assert.deepEqual(approved, ["APPROVED"]);
    const after = await order(payer);
    assert.equal(after.body.status, "paid");
    assert.equal(after.body.shipped, true);
  } finally {
    await relay.close();
  }
});

test("settle acts on the payer's own order only: another payer holding the invoice id voids nothing", async () => {
  await running();
  const payer = new Payer(shop);
  await payer.newOrder();
  const initiated = await payer.initiate();
  const { invoiceId } = initiated.body;
  const stranger = new Payer(shop);
  await stranger.newOrder();
  const refused = await stranger.shopCall("POST", `merchant/sale/${invoiceId}/settle`, {});
  assert.equal(refused.status, 404);
  // The invoice was not voided: its sale goes through.
  const sale = await payer.performSale(initiated);
  assert.equal(sale.status, 200, JSON.stringify(sale.body));
  assert.equal(await gatewayFinalState(shop, sale), "APPROVED");
  const own = await payer.shopCall("POST", `merchant/sale/${invoiceId}/settle`, {});
  assert.deepEqual([own.status, own.body.state], [200, "APPROVED"]);
});

test("a 3-D Secure window closed, Pay again (the same page, a reload), then the first challenge completed: one approved invoice, the order paid", async () => {
  await running();
  const payer = new Payer(shop);
  const orderId = await payer.newOrder();
  const initiated = await payer.initiate();
  const challenged = await payer.performSale(initiated, { cvv: "321" });
  assert.equal(challenged.status, 200, JSON.stringify(challenged.body));
  // The page learns the issuer's page from the gateway; the payer closes it unanswered.
  const redirect = await until(async () => {
    const answer = await fetch(`${shop.gatewayUrl}/paynet/dapi/v1/sale/1111/${initiated.body.invoiceId}/status`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ session: { accessToken: initiated.accessToken, token: challenged.body.session.token } }),
    });
    return (await answer.json()).redirectUrl;
  }, Boolean);
  assert.ok(redirect);
  // Pay again with the same page's session: refused at the gateway (its invoice has its sale).
  assert.notEqual((await payer.performSale(initiated)).status, 200);
  // A reload: the order is pending, nothing new is signed, and the issuer's page can be reopened.
  const reload = await until(() => payer.initiate(), ({ body }) => body.redirectUrl !== undefined);
  assert.deepEqual([reload.body.status, reload.body.invoiceId, reload.body.redirectUrl, typeof reload.body.until], ["pending", initiated.body.invoiceId, redirect, "number"]);
  // The banking app approves the first challenge afterwards.
  await fetch(redirect, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: "password=hint" });
  const paidNow = await until(() => payer.initiate(), ({ body }) => body.status === "paid");
  assert.deepEqual(paidNow.body, { status: "paid", orderId, invoiceId: initiated.body.invoiceId });
  assert.equal(await gatewayFinalState(shop, challenged), "APPROVED");
  assert.equal((await until(() => order(payer), paid)).body.shipped, true);
  assert.equal(shipments(orderId).length, 1, shop.log.join("\n"));
});
