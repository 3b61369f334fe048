// A reference merchant server in Node (node:http), on `connpay-checkout-server` and SQLite (the
// `libsql` package): what a shop's server does for the ConnPay checkout. It never sees a card:
// the page sends the card to the gateway; this server keeps the payer's ORDER, signs each attempt
// to pay it, answers the gateway's check sale, asks the gateway how each sale ended, and ships an
// order once, only for the gateway's approval of the order's own amount.
//
//   POST /merchant/auth/access-token            a token for a payer (a real shop authenticates first)
//   POST /merchant/order/new                    a new order, named by the connpay_order cookie
//   GET  /merchant/order                        where the cookie's order stands
//   POST /merchant/sale/initiate-sale           for the cookie's order: paid, pending, or a new invoice
//   POST /merchant/sale/{invoiceId}/check       the gateway's check sale (spec 004)
//   POST /merchant/sale/{invoiceId}/settle      the page could not learn the outcome: void or ask
//   GET  /merchant/sale/{invoiceId}/confirmation  is this invoice paid (the gateway asked when undecided)?
//   POST /merchant/v2/control                   the /api/v2/sale control (signed parts only), for one v2 order
//   POST /merchant/v2/callback                  the gateway's /api/v2 callback, verified, then checked by a status call
//   GET  /merchant/v2/{clientOrderId}/confirmation  is this v2 order paid (the gateway asked when undecided)?
//
// Configured by PORT (default 3000), CONNPAY_DB (the SQLite file, default ./connpay-merchant.db),
// CONNPAY_CONTROL_KEY, CONNPAY_ENDPOINT_ID, CONNPAY_LOGIN, CONNPAY_GATEWAY (default
// http://127.0.0.1:8080, the local sandbox, whose key, endpoint and login are the defaults; with
// any other gateway the key must be given) and CONNPAY_RECONCILE_MS (how often undecided sales
// are asked about, default 5000). With CONNPAY_WWW (and CONNPAY_PKG for the browser package) it
// also serves the shop's pages, telling them the gateway; the tests run the demo page this way.
//
// The shop sells one thing, the demo's order (ORDER below): every amount signed is the order's,
// never one a page sent. Every step that reads and changes an order (initiate sale, check sale,
// settle, each status answer, each v2 callback) is one SQLite transaction taken with BEGIN
// IMMEDIATE (the write lock, so a second process on the same file waits), synchronous from its
// read to its commit: no network call and no `await` inside, and an answer is sent only once its
// transaction committed. A status request goes out between two transactions; its answer is
// applied to the order as it is THEN (read again), and the write checks the version it read
// (UPDATE ... WHERE version = ?). A sale is never retried from here: the gateway's answer, or the
// status it gives, is the truth. Settle acts on the cookie's order only; check sale and the
// confirmation routes, which a real shop protects (the gateway's addresses, its staff), are open
// here: this is an example.
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { extname, resolve, sep } from "node:path";
import Database from "libsql";
import { Merchant } from "connpay-checkout-server";

const config = {
  port: Number(process.env.PORT ?? 3000),
  database: process.env.CONNPAY_DB ?? "./connpay-merchant.db",
  gateway: process.env.CONNPAY_GATEWAY ?? "http://127.0.0.1:8080",
  reconcileMs: Number(process.env.CONNPAY_RECONCILE_MS ?? 5000),
  www: process.env.CONNPAY_WWW,
  pkg: process.env.CONNPAY_PKG,
};
// The local sandbox's published test key is a default only where the gateway is the local
// sandbox: a deployment that forgot the variable must not run on a key everyone knows.
const localGateway = ["127.0.0.1", "localhost", "[::1]"].includes(new URL(config.gateway).hostname);
if (!process.env.CONNPAY_CONTROL_KEY && !localGateway) {
  console.error("CONNPAY_CONTROL_KEY is not set: the server signs only with the merchant's own key");
  process.exit(2);
}
// The control key stays in this process: never in a page, a log or an answer.
const merchant = new Merchant({
  controlKey: process.env.CONNPAY_CONTROL_KEY ?? "B17F59B4-A7DC-41B4-8FF9-37D986B43D20",
  endpointId: process.env.CONNPAY_ENDPOINT_ID ?? "1111",
  login: process.env.CONNPAY_LOGIN ?? "sandbox",
});

/** What the demo shop sells, as its catalogue gives it: the only amount signed here. */
const ORDER = { amountCentis: 1042, currency: "EUR", amount: "10.42" };
/** A gateway call that takes longer is given up (and asked again at the next reconcile). */
const GATEWAY_TIMEOUT_MS = 10_000;
const MAX_BODY = 64 * 1024;
const ORDER_COOKIE = "connpay_order";

// ---------------------------------------------------------------------------------------------
// Storage.
//
// Orders and invoices are two tables. The library's unit is the order: every call takes the
// whole record ({ orderId, amountCentis, currency, version, invoices }) and returns the whole
// record to store. An order row holds the record's own fields (JSON, without its invoices) and
// its version; each invoice is a row of its own, holding the library's invoice record as JSON,
// because check sale, settle and the confirmation arrive naming an invoice only (its primary
// key leads to its order), and the timer's question "which sales are undecided?" is a query on
// the invoices' state. The `status` and `state` columns are copies for those queries (and for
// whoever reads the database); the records are what is read back, and the library refuses a
// record no rule can leave (two approved invoices, a sale without its token), so a row edited
// by hand cannot make this server sign or ship what the rules forbid.
const db = new Database(config.database);
db.exec("PRAGMA journal_mode = WAL"); // readers never wait for the writer
db.exec("PRAGMA synchronous = FULL"); // a commit is on disk before the answer that follows it
db.exec("PRAGMA busy_timeout = 5000"); // another process's transaction is waited for, not an error
db.exec("PRAGMA foreign_keys = ON");
db.exec(`
  CREATE TABLE IF NOT EXISTS orders (
    order_id   TEXT PRIMARY KEY,
    version    INTEGER NOT NULL,
    status     TEXT NOT NULL,          -- open | pending | paid, as merchant.orderStatus says
    record     TEXT NOT NULL,          -- the library's order record, without its invoices
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE TABLE IF NOT EXISTS invoices (
    invoice_id TEXT PRIMARY KEY,
    order_id   TEXT NOT NULL REFERENCES orders (order_id),
    position   INTEGER NOT NULL,       -- its place in the order's invoices, oldest first
    state      TEXT NOT NULL,          -- INITIATED | CONFIRMED | APPROVED | DECLINED | VOIDED
    record     TEXT NOT NULL,          -- the library's invoice record (its tokens: keep it server-side)
    UNIQUE (order_id, position)
  );
  CREATE INDEX IF NOT EXISTS invoices_state ON invoices (state);
  CREATE TABLE IF NOT EXISTS access_tokens (
    token      TEXT PRIMARY KEY,
    issued_at  INTEGER NOT NULL
  );
  CREATE TABLE IF NOT EXISTS v2_orders (
    client_order_id TEXT PRIMARY KEY,
    amount          TEXT NOT NULL,     -- what was signed, as the form sends it ("10.42")
    currency        TEXT NOT NULL,
    email           TEXT NOT NULL,
    control         TEXT NOT NULL,
    paynet_order_id TEXT,              -- the gateway's orderid, from the first verified callback
    status          TEXT NOT NULL,     -- signed | processing | approved | declined | filtered | error
    charged         TEXT,              -- an approval of another amount or currency: what the status said
    version         INTEGER NOT NULL,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
  );
  CREATE TABLE IF NOT EXISTS shipments (
    kind       TEXT NOT NULL,          -- dapi | v2
    order_id   TEXT NOT NULL,
    payment    TEXT NOT NULL,          -- the approved invoice, or the gateway's v2 order id
    shipped_at INTEGER NOT NULL,
    PRIMARY KEY (kind, order_id)       -- an order ships once, whatever runs twice
  );
`);

const sql = {
  order: db.prepare("SELECT record, version FROM orders WHERE order_id = ?"),
  orderInvoices: db.prepare("SELECT record FROM invoices WHERE order_id = ? ORDER BY position"),
  orderOfInvoice: db.prepare("SELECT order_id FROM invoices WHERE invoice_id = ?"),
  insertOrder: db.prepare("INSERT INTO orders (order_id, version, status, record, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)"),
  updateOrder: db.prepare("UPDATE orders SET version = ?, status = ?, record = ?, updated_at = ? WHERE order_id = ? AND version = ?"),
  upsertInvoice: db.prepare(`
    INSERT INTO invoices (invoice_id, order_id, position, state, record) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (invoice_id) DO UPDATE SET state = excluded.state, record = excluded.record
    WHERE invoices.order_id = excluded.order_id AND invoices.position = excluded.position`),
  undecidedOrders: db.prepare("SELECT DISTINCT order_id FROM invoices WHERE state = 'CONFIRMED'"),
  insertToken: db.prepare("INSERT INTO access_tokens (token, issued_at) VALUES (?, ?)"),
  token: db.prepare("SELECT 1 AS issued FROM access_tokens WHERE token = ?"),
  ship: db.prepare("INSERT OR IGNORE INTO shipments (kind, order_id, payment, shipped_at) VALUES (?, ?, ?, ?)"),
  shipment: db.prepare("SELECT payment, shipped_at FROM shipments WHERE kind = ? AND order_id = ?"),
  v2Order: db.prepare("SELECT client_order_id, amount, currency, email, control, paynet_order_id, status, charged, version FROM v2_orders WHERE client_order_id = ?"),
  insertV2: db.prepare("INSERT INTO v2_orders (client_order_id, amount, currency, email, control, status, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'signed', 0, ?, ?)"),
  updateV2: db.prepare("UPDATE v2_orders SET paynet_order_id = ?, status = ?, charged = ?, version = version + 1, updated_at = ? WHERE client_order_id = ? AND version = ?"),
  undecidedV2: db.prepare("SELECT client_order_id FROM v2_orders WHERE paynet_order_id IS NOT NULL AND status IN ('signed', 'processing')"),
};

/**
 * Runs `work` in one transaction holding the write lock (BEGIN IMMEDIATE), and returns what it
 * returns once committed; any throw rolls back. `work` is synchronous: between the read and the
 * write nothing else runs, in this process or (the lock) another.
 */
function transaction(work) {
  db.exec("BEGIN IMMEDIATE");
  try {
    const result = work();
    if (typeof result?.then === "function") throw new Error("a transaction's work must be synchronous");
    db.exec("COMMIT");
    return result;
  } catch (error) {
    if (db.inTransaction) db.exec("ROLLBACK");
    throw error;
  }
}

/** The stored order, as the library's record, or null. Call inside a transaction. */
function loadOrder(orderId) {
  const row = sql.order.get(orderId);
  if (!row) return null;
  const invoices = sql.orderInvoices.all(orderId).map((invoice) => JSON.parse(invoice.record));
  return { ...JSON.parse(row.record), version: row.version, invoices };
}

/** The order that holds `invoiceId`, or null. Call inside a transaction. */
function loadOrderOfInvoice(invoiceId) {
  const row = sql.orderOfInvoice.get(invoiceId);
  return row ? loadOrder(row.order_id) : null;
}

/** A new order for the demo's one item, stored. Call inside a transaction. */
function createOrder() {
  const order = merchant.newOrder({ orderId: `ORD${randomHex(12)}`, amountCentis: ORDER.amountCentis, currency: ORDER.currency });
  const { invoices, ...record } = order;
  const now = Date.now();
  sql.insertOrder.run(order.orderId, order.version, merchant.orderStatus(order).status, JSON.stringify(record), now, now);
  return order;
}

class Conflict extends Error {}

/**
 * Writes back the order a library call returned, over the version it was read at (a lost race
 * throws, and the transaction rolls back), then ships it if it is now paid. Call inside the
 * transaction the order was read in.
 */
function storeOrder(readVersion, order) {
  const { invoices, ...record } = order;
  const updated = sql.updateOrder.run(order.version, merchant.orderStatus(order).status, JSON.stringify(record), Date.now(), order.orderId, readVersion);
  if (updated.changes !== 1) throw new Conflict(`order ${order.orderId} changed since it was read`);
  invoices.forEach((invoice, position) => {
    const written = sql.upsertInvoice.run(invoice.invoiceId, order.orderId, position, invoice.state, JSON.stringify(invoice));
    if (written.changes !== 1) throw new Conflict(`invoice ${invoice.invoiceId} belongs elsewhere`);
  });
  shipIfPaid(order);
}

/**
 * The shop's fulfilment: an order the gateway approved (an invoice APPROVED, which the library
 * records only for a status of the invoice's own amount) ships, in the transaction that recorded
 * the approval, once: the shipments table's key refuses a second row, whatever runs twice.
 */
function shipIfPaid(order) {
  const status = merchant.orderStatus(order);
  if (status.status !== "paid") return;
  if (sql.ship.run("dapi", order.orderId, status.invoiceId, Date.now()).changes === 1) {
    console.log(`shipping order ${order.orderId} (invoice ${status.invoiceId}, ${order.amountCentis} ${order.currency} minor units)`);
  }
}

function randomHex(bytes) {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(bytes))).toString("hex");
}

// ---------------------------------------------------------------------------------------------
// Asking the gateway.

/** `fetch` with the gateway timeout; resolves to { status, text }, or null when no answer came. */
async function call(url, init) {
  try {
    const answer = await fetch(url, { ...init, redirect: "manual", signal: AbortSignal.timeout(GATEWAY_TIMEOUT_MS) });
    return { status: answer.status, text: await answer.text() };
  } catch {
    return null;
  }
}

/**
 * Asks the gateway about each undecided sale of an order (merchant.reconcile's requests) and
 * records each answer in a transaction of its own, on the order as it is then. Resolves to
 * { invoiceId: state } (the library's state, "AMOUNT_MISMATCH", or null for no usable answer).
 */
async function reconcileOrder(orderId) {
  const order = transaction(() => loadOrder(orderId));
  if (!order) return {};
  const states = {};
  for (const { invoiceId, request } of merchant.reconcile(order, config.gateway)) {
    const answer = await call(request.url, { method: request.method, headers: request.headers, body: request.body });
    states[invoiceId] = answer && applyStatus(orderId, invoiceId, answer);
  }
  return states;
}

/** One status answer recorded: the library never replaces a final state. */
function applyStatus(orderId, invoiceId, answer) {
  return transaction(() => {
    const current = loadOrder(orderId);
    const { order, state } = merchant.applyStatus(current, invoiceId, answer.status, answer.text);
    if (order) storeOrder(current.version, order);
    if (state === "AMOUNT_MISMATCH") console.error(`invoice ${invoiceId}: the gateway approved another amount than signed; not shipped`);
    return state;
  });
}

// ---------------------------------------------------------------------------------------------
// /api/v2: a v2 order is the client order id this server signed a control for. Its state moves
// forward only (signed → processing → approved | declined | filtered | error | mismatched, a
// final state never replaced), and only on what the gateway's /api/v2/status answers: a callback
// (verified, but its control signs neither amount nor currency) is the signal to ask, never the
// answer. `mismatched`: the gateway approved another amount or currency than signed; it is not
// this order's payment (a person refunds it), and it is never shipped.

const V2_FINAL = new Set(["approved", "declined", "filtered", "error", "mismatched"]);
const v2Rank = (status) => (V2_FINAL.has(status) ? 2 : status === "processing" ? 1 : 0);

/** The v2 order row, as an object, or null. */
function loadV2(clientOrderId) {
  const row = sql.v2Order.get(clientOrderId);
  return row
    ? { clientOrderId: row.client_order_id, amount: row.amount, currency: row.currency, email: row.email, control: row.control, paynetOrderId: row.paynet_order_id, status: row.status, charged: row.charged, version: row.version }
    : null;
}

/** Writes a v2 order's next state over the version read; ships it when approved. */
function storeV2(read, next) {
  const updated = sql.updateV2.run(next.paynetOrderId ?? read.paynetOrderId, next.status ?? read.status, next.charged ?? read.charged, Date.now(), read.clientOrderId, read.version);
  if (updated.changes !== 1) throw new Conflict(`v2 order ${read.clientOrderId} changed since it was read`);
  if (next.status === "approved" && sql.ship.run("v2", read.clientOrderId, next.paynetOrderId ?? read.paynetOrderId, Date.now()).changes === 1) {
    console.log(`shipping v2 order ${read.clientOrderId} (gateway order ${next.paynetOrderId ?? read.paynetOrderId}, ${read.amount} ${read.currency})`);
  }
}

/**
 * Asks /api/v2/status about a v2 order whose gateway order is known and not final, and records
 * what it says: approved only with the signed amount and currency (an approval of another, or
 * of none stated, is `mismatched`, with what the status said in `charged`: never shipped).
 */
async function reconcileV2(clientOrderId) {
  const read = transaction(() => loadV2(clientOrderId));
  if (!read?.paynetOrderId || V2_FINAL.has(read.status)) return read;
  const request = merchant.v2StatusRequest({ clientOrderId, orderId: read.paynetOrderId }, config.gateway);
  const answer = await call(request.url, { method: request.method, headers: request.headers, body: request.body });
  if (!answer) return read;
  // Read against what this server signed: `paid` only for its amount and currency.
  const status = merchant.readV2Status(answer.status, answer.text, { clientOrderId, orderId: read.paynetOrderId, amount: read.amount, currency: read.currency });
  if (status.kind !== "status") return read;
  let next = { status: status.final ? status.status : "processing" };
  if (status.status === "approved" && !status.paid) {
    next = { status: "mismatched", charged: `${status.amountCentis ?? "no amount"} ${status.currency ?? "no currency"} (minor units)` };
  }
  return transaction(() => {
    const current = loadV2(clientOrderId);
    if (current.paynetOrderId === read.paynetOrderId && v2Rank(next.status) > v2Rank(current.status)) {
      storeV2(current, next);
      if (next.status === "mismatched") {
        console.error(`v2 order ${clientOrderId}: the gateway approved ${next.charged}, not the ${read.amount} ${read.currency} signed; not shipped`);
      }
    }
    return loadV2(clientOrderId);
  });
}

// ---------------------------------------------------------------------------------------------
// The reconcile timer: every undecided sale is asked about again, so that a late approval (a
// 3-D Secure challenge completed in a banking app after the payer left, a restart after check
// sale) is recorded, and shipped, even if the payer never comes back.

let reconciling = false;
async function reconcileAll() {
  if (reconciling) return;
  reconciling = true;
  try {
    const orders = transaction(() => sql.undecidedOrders.all().map((row) => row.order_id));
    for (const orderId of orders) await reconcileOrder(orderId);
    const v2 = transaction(() => sql.undecidedV2.all().map((row) => row.client_order_id));
    for (const clientOrderId of v2) await reconcileV2(clientOrderId);
  } catch (error) {
    console.error(`reconcile: ${error.message}`);
  } finally {
    reconciling = false;
  }
}

// ---------------------------------------------------------------------------------------------
// HTTP.

/** The request's body as text, at most MAX_BODY bytes, decoded once (a character may span chunks). */
async function bodyText(request) {
  const chunks = [];
  let bytes = 0;
  for await (const chunk of request) {
    bytes += chunk.length;
    if (bytes > MAX_BODY) throw Object.assign(new Error("the body is too large"), { status: 413 });
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** A JSON body, or a 400/415 thrown. */
async function jsonBody(request) {
  if (!/^application\/json\b/i.test(request.headers["content-type"] ?? "")) {
    throw Object.assign(new Error("the body must be application/json"), { status: 415 });
  }
  let body;
  try {
    body = JSON.parse(await bodyText(request));
  } catch (error) {
    throw error.status ? error : Object.assign(new Error("the body is not JSON"), { status: 400 });
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw Object.assign(new Error("the body must be a JSON object"), { status: 400 });
  return body;
}

function send(response, status, body, headers = {}) {
  response.writeHead(status, { "Content-Type": "application/json", "Cache-Control": "no-store", ...headers });
  response.end(JSON.stringify(body));
}

/** The spec's fail answer, for the routes the library does not answer itself. */
function fail(response, status, cause, message, invoiceId) {
  send(response, status, { error: { cause, code: String(status), message }, ...(invoiceId ? { invoiceId } : {}) });
}

/** The order id the request's cookie names, if it has the form of one this server makes. */
function orderCookie(request) {
  for (const pair of (request.headers.cookie ?? "").split(";")) {
    const [name, value] = pair.trim().split("=");
    if (name === ORDER_COOKIE && /^[A-Za-z0-9]{1,64}$/.test(value ?? "")) return value;
  }
  return null;
}

/**
 * The cookie that names the payer's order: HttpOnly (no script reads it), SameSite=Lax (another
 * site's form cannot pay with it). A shop on https adds `Secure`.
 */
function orderCookieHeader(orderId) {
  return { "Set-Cookie": `${ORDER_COOKIE}=${orderId}; Path=/; HttpOnly; SameSite=Lax` };
}

/** The cookie's order, or a new one when there is none (or none this server knows). */
function cookieOrder(request) {
  return transaction(() => {
    const orderId = orderCookie(request);
    return (orderId && loadOrder(orderId)) ?? createOrder();
  });
}

/** What GET /merchant/order and the tests read: the order's status, amount and shipment. */
function orderAnswer(order) {
  const shipment = sql.shipment.get("dapi", order.orderId);
  return { ...merchant.orderStatus(order), amountCentis: order.amountCentis, currency: order.currency, shipped: Boolean(shipment) };
}

/** An invoice's answer to the confirmation route: paid only for the gateway's approval. */
function invoiceAnswer(order, invoiceId) {
  const invoice = order.invoices.find((invoice) => invoice.invoiceId === invoiceId);
  return { invoiceId, orderId: order.orderId, state: invoice.state, paid: invoice.state === "APPROVED", amountCentis: invoice.amountCentis, currency: invoice.currency };
}

const routes = [
  ["POST", /^\/merchant\/auth\/access-token$/, async (request, response) => {
    const accessToken = merchant.accessToken();
    transaction(() => sql.insertToken.run(accessToken, Date.now()));
    send(response, 200, { accessToken });
  }],
  ["POST", /^\/merchant\/order\/new$/, async (request, response) => {
    const order = transaction(createOrder);
    send(response, 200, { orderId: order.orderId }, orderCookieHeader(order.orderId));
  }],
  ["GET", /^\/merchant\/order$/, async (request, response) => {
    const orderId = orderCookie(request);
    const known = orderId && transaction(() => sql.order.get(orderId));
    if (!known) return send(response, 200, { status: "open", orderId: null, invoiceId: null, amountCentis: ORDER.amountCentis, currency: ORDER.currency, shipped: false });
    await reconcileOrder(orderId);
    send(response, 200, transaction(() => orderAnswer(loadOrder(orderId))));
  }],
  ["POST", /^\/merchant\/sale\/initiate-sale$/, async (request, response) => {
    const page = await jsonBody(request);
    const { orderId } = cookieOrder(request);
    // A sale of this order that may still be approved is asked about first: a payer back after
    // a reload, or in another tab, is told how it ended (paid), not given a second invoice.
    await reconcileOrder(orderId);
    const { status, body } = transaction(() => {
      const order = loadOrder(orderId);
      const token = page.session?.accessToken;
      const accessTokenIssued = typeof token === "string" && Boolean(sql.token.get(token));
      // The amount is the order's: a page that shows another one is refused (400 at transaction).
      const initiated = merchant.initiateSale(order, page, { accessTokenIssued, now: Date.now() });
      if (initiated.order) storeOrder(order.version, initiated.order);
      return initiated;
    });
    send(response, status, body, orderCookieHeader(orderId));
  }],
  ["POST", /^\/merchant\/sale\/([^/]+)\/check$/, async (request, response, invoiceId) => {
    const checked = await jsonBody(request);
    const { status, body } = transaction(() => {
      const order = loadOrderOfInvoice(invoiceId);
      if (!order) return { status: 404, body: { error: { cause: "INVALID_REQUEST", code: "404", message: "no such invoice" }, invoiceId } };
      // This example stores no saved cards; a shop passes the cards of this order's payer.
      const answer = merchant.checkSale(order, invoiceId, checked, { savedCards: [], now: Date.now() });
      if (answer.order) storeOrder(order.version, answer.order);
      return answer;
    });
    // Sent after the commit: the gateway charges only a sale this database has confirmed.
    send(response, status, body);
  }],
  ["POST", /^\/merchant\/sale\/([^/]+)\/settle$/, async (request, response, invoiceId) => {
    const own = orderCookie(request);
    const settled = transaction(() => {
      const order = loadOrderOfInvoice(invoiceId);
      // Only the payer's own order: an invoice id is no secret (it is in the gateway's URL).
      if (!order || order.orderId !== own) return null;
      // Under the lock check sale takes: either the check came first (CONFIRMED: ask the
      // gateway), or the invoice is voided and a later check sale is refused.
      const { order: changed, state } = merchant.settle(order, invoiceId);
      if (changed) storeOrder(order.version, changed);
      return { orderId: order.orderId, state };
    });
    if (!settled) return fail(response, 404, "INVALID_REQUEST", "no such invoice", invoiceId);
    if (settled.state !== "CONFIRMED") return send(response, 200, { invoiceId, state: settled.state });
    const state = (await reconcileOrder(settled.orderId))[invoiceId];
    if (state === "AMOUNT_MISMATCH") return fail(response, 502, "SERVER_FAILED", "the gateway approved another amount than signed", invoiceId);
    if (!state) return fail(response, 502, "SERVER_UNAVAILABLE", "the gateway did not give the sale's status", invoiceId);
    send(response, 200, { invoiceId, state });
  }],
  ["GET", /^\/merchant\/sale\/([^/]+)\/confirmation$/, async (request, response, invoiceId) => {
    // Before the shop ships: only the gateway's APPROVED of this invoice's own amount is a
    // payment, and only a status answer records it (the page's word is not).
    const orderId = transaction(() => sql.orderOfInvoice.get(invoiceId)?.order_id);
    if (!orderId) return fail(response, 404, "INVALID_REQUEST", "no such invoice", invoiceId);
    await reconcileOrder(orderId);
    send(response, 200, transaction(() => invoiceAnswer(loadOrder(orderId), invoiceId)));
  }],
  ["POST", /^\/merchant\/v2\/control$/, async (request, response) => {
    const parts = await jsonBody(request);
    // This server signs for its own endpoint only, and the order's amount only.
    if (parts.endpointGroupId !== undefined || (parts.endpointId ?? merchant.endpointId) !== merchant.endpointId) {
      return fail(response, 403, "FILTERED", "this server signs for its own endpoint only");
    }
    if (parts.amount !== ORDER.amount || parts.currency !== ORDER.currency) {
      return fail(response, 400, "INVALID_REQUEST", "amount: the amount and currency must be the order's");
    }
    let control;
    try {
      control = merchant.v2SaleControl(parts);
    } catch (error) {
      if (error.code !== "request.invalid") throw error;
      const first = error.errors[0];
      return fail(response, 400, "INVALID_REQUEST", `${first.path}: ${first.message} (${first.code})`);
    }
    // One client order id, one v2 order: the same parts sign the same form again (a reload);
    // other parts under an id already signed are refused.
    const signed = transaction(() => {
      const existing = loadV2(parts.clientOrderId);
      if (existing) return existing.control === control ? existing : null;
      sql.insertV2.run(parts.clientOrderId, parts.amount, parts.currency, parts.email, control, Date.now(), Date.now());
      return loadV2(parts.clientOrderId);
    });
    if (!signed) return fail(response, 409, "INVALID_REQUEST", "clientOrderId: this order was signed for other values");
    send(response, 200, { control });
  }],
  ["POST", /^\/merchant\/v2\/callback$/, async (request, response) => {
    // The gateway posts a form (status, orderid, client_orderid, control) to the callback URL,
    // which may carry a query of the shop's own: the form's values win.
    const url = new URL(request.url, "http://localhost");
    const params = { ...Object.fromEntries(url.searchParams), ...Object.fromEntries(new URLSearchParams(await bodyText(request))) };
    const text = (status, words) => {
      response.writeHead(status, { "Content-Type": "text/plain" });
      response.end(words);
    };
    if (!merchant.verifyV2Callback(params)) return text(403, "control does not verify");
    const clientOrderId = params.client_orderid ?? params.merchant_order;
    const known = transaction(() => {
      const order = loadV2(clientOrderId);
      if (!order) return null;
      // The gateway's order for this client order is the first a verified callback names; a
      // callback about another (the same form posted again) changes nothing here.
      if (order.paynetOrderId === null && !V2_FINAL.has(order.status)) storeV2(order, { paynetOrderId: params.orderid, status: "processing" });
      return loadV2(clientOrderId);
    });
    if (!known) return text(404, "no such order");
    if (known.paynetOrderId !== params.orderid) {
      console.error(`v2 order ${clientOrderId}: a callback about another gateway order (${params.orderid}); ignored`);
      return text(200, "OK");
    }
    // What the callback says is not recorded: the status call says it, with amount and currency.
    await reconcileV2(clientOrderId);
    text(200, "OK");
  }],
  ["GET", /^\/merchant\/v2\/([^/]+)\/confirmation$/, async (request, response, clientOrderId) => {
    // Ship on "approved" from a status answer with the signed amount and currency only.
    const order = await reconcileV2(clientOrderId);
    if (!order) return fail(response, 404, "INVALID_REQUEST", "no such order");
    const shipment = transaction(() => sql.shipment.get("v2", clientOrderId));
    send(response, 200, { clientOrderId, orderId: order.paynetOrderId, status: order.status, paid: order.status === "approved", amount: order.amount, currency: order.currency, charged: order.charged, shipped: Boolean(shipment) });
  }],
];

const TYPES = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml", ".wasm": "application/wasm", ".json": "application/json" };

/** The shop's pages (CONNPAY_WWW, CONNPAY_PKG at /pkg/), under a policy that admits the gateway. */
async function servePage(request, response) {
  const path = decoded(new URL(request.url, "http://localhost").pathname);
  if (path === null) return fail(response, 400, "INVALID_REQUEST", "the path is not well-formed");
  const [base, rest] = path.startsWith("/pkg/") && config.pkg ? [config.pkg, path.slice(5)] : [config.www, path.slice(1) || "index.html"];
  const file = resolve(base, rest);
  if (!file.startsWith(resolve(base) + sep)) return fail(response, 404, "INVALID_REQUEST", "not found");
  let content;
  try {
    content = await readFile(file);
  } catch {
    return fail(response, 404, "INVALID_REQUEST", "not found");
  }
  const gateway = new URL(config.gateway).origin;
  if (file.endsWith(".html")) {
    // The page learns its gateway from the server that serves it, never from its own URL.
    content = content.toString("utf8").replace("<html", `<html data-connpay-gateway="${gateway}"`);
  }
  response.writeHead(200, {
    "Content-Type": TYPES[extname(file)] ?? "application/octet-stream",
    "Content-Security-Policy": `default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self' ${gateway}; style-src 'self'; img-src 'self'; frame-src ${gateway}; form-action 'self' ${gateway}; frame-ancestors 'none'; base-uri 'none'`,
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
  });
  response.end(content);
}

/** `decodeURIComponent`, or null for a malformed escape (a 400, not a crash). */
function decoded(text) {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}

const server = createServer(async (request, response) => {
  const path = new URL(request.url, "http://localhost").pathname;
  try {
    for (const [method, pattern, handle] of routes) {
      const match = path.match(pattern);
      if (match && request.method === method) {
        const parameters = match.slice(1).map(decoded);
        if (parameters.includes(null)) return fail(response, 400, "INVALID_REQUEST", "the path is not well-formed");
        return await handle(request, response, ...parameters);
      }
    }
    if (request.method === "GET" && config.www) return await servePage(request, response);
    fail(response, 404, "INVALID_REQUEST", "no such route");
  } catch (error) {
    // Never the body in a log: it may hold what the payer typed.
    console.error(`${request.method} ${path}: ${error.message}`);
    if (response.headersSent) return;
    if (error instanceof Conflict) return fail(response, 409, "SERVER_UNAVAILABLE", "the order changed meanwhile: try again");
    fail(response, error.status ?? 500, error.status ? "INVALID_REQUEST" : "SERVER_FAILED", error.status ? error.message : "internal error");
  }
});

// Undecided sales are asked about at start (a restart after check sale) and then on a timer.
let timer;
const tick = () => reconcileAll().finally(() => (timer = setTimeout(tick, config.reconcileMs)));

server.listen(config.port, "127.0.0.1", () => {
  console.log(`connpay merchant server at http://127.0.0.1:${server.address().port}/ (gateway ${config.gateway})`);
  tick();
});
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    clearTimeout(timer);
    server.close(() => {
      db.close();
      process.exit(0);
    });
    server.closeAllConnections();
  });
}
