// A reference merchant server in Node (node:http only), on `connpay-checkout-server`: what a
// shop's server does for the ConnPay checkout. It never sees a card: the page sends the card to
// the gateway; this server authenticates the payer, signs the sale, answers the gateway's check
// sale, and asks the gateway before the shop ships.
//
//   POST /merchant/auth/access-token            a token for a payer (a real shop authenticates first)
//   POST /merchant/sale/initiate-sale           the page's sale signed; the invoice stored
//   POST /merchant/sale/{invoiceId}/check       the gateway's check sale (spec 004)
//   POST /merchant/sale/{invoiceId}/settle      the page could not learn the outcome: void or ask
//   GET  /merchant/sale/{invoiceId}/confirmation  before fulfilling the order: is it paid?
//   POST /merchant/v2/control                   the /api/v2/sale control (signed parts only)
//   POST /merchant/v2/callback                  the gateway's /api/v2 callback, verified
//   GET  /merchant/v2/{clientOrderId}/confirmation  what the verified callbacks said of an order
//
// Configured by PORT (default 3000), CONNPAY_CONTROL_KEY, CONNPAY_ENDPOINT_ID, CONNPAY_LOGIN and
// CONNPAY_GATEWAY (default http://127.0.0.1:8080, the local sandbox, whose key, endpoint and login
// are the defaults; with any other gateway the key must be given). With CONNPAY_WWW (and
// CONNPAY_PKG for the browser package) it also serves the shop's pages, telling them the gateway;
// the tests run the demo page this way.
//
// The shop here sells one thing, the demo's order (ORDER below): every amount signed is the
// order's, never one a page sent. Invoices live in memory; a shop keeps them in its database, and
// runs check sale and settle for one invoice in one transaction (here each handler's work on the
// maps is synchronous, which is the same). A sale is never retried from here: the gateway's
// answer, or the status it gives, is the truth. Routes a real shop protects (settle, the
// confirmations) are open here, and the maps grow without bound: this is an example.
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { extname, resolve, sep } from "node:path";
import { Merchant } from "connpay-checkout-server";

const config = {
  port: Number(process.env.PORT ?? 3000),
  gateway: process.env.CONNPAY_GATEWAY ?? "http://127.0.0.1:8080",
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

/** The order the demo page pays, as a shop's database gives it: the only amount signed here. */
const ORDER = { amountCentis: 1042, currency: "EUR", amount: "10.42" };

const accessTokens = new Set(); // issued to payers (a real shop: per authenticated session)
const invoices = new Map(); // invoiceId → the record merchant.initiateSale made
const v2Orders = new Map(); // client_orderid → { status, orderid } from verified callbacks
// Saved cards by payer (their access token here; a shop: its customer id): client id → server id.
// This example stores none.
const storedCards = new Map();

const MAX_BODY = 64 * 1024;

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

function send(response, status, body) {
  response.writeHead(status, { "Content-Type": "application/json", "Cache-Control": "no-store" });
  response.end(JSON.stringify(body));
}

/** The spec's fail answer, for the routes the library does not answer itself. */
function fail(response, status, cause, message, invoiceId) {
  send(response, status, { error: { cause, code: String(status), message }, ...(invoiceId ? { invoiceId } : {}) });
}

/** Asks the gateway the sale's status; resolves to its state, or null when it gave none. */
async function gatewayState(invoice) {
  const request = merchant.statusRequest(invoice, config.gateway);
  if (!request) return null;
  const answer = await fetch(request.url, { method: request.method, headers: request.headers, body: request.body, redirect: "manual" });
  const outcome = merchant.readStatus(answer.status, await answer.text());
  if (outcome.kind !== "accepted" || outcome.invoiceId !== invoice.invoiceId) return null;
  // An approval of another amount than the one signed is not this order's payment.
  const charged = outcome.transaction?.amountCentis;
  if (outcome.state === "APPROVED" && charged !== undefined && charged !== invoice.amountCentis) return "AMOUNT_MISMATCH";
  return outcome.state;
}

/**
 * Voids an invoice the gateway never asked about (then it is never charged), or asks the gateway
 * about a confirmed one. Synchronous up to the request, as check sale is: either the check came
 * first, or it will be refused.
 */
async function settle(invoiceId) {
  const stored = invoices.get(invoiceId);
  if (!stored) return null;
  const { invoice, voided } = merchant.settle(stored);
  invoices.set(invoiceId, invoice);
  return voided ? "VOIDED" : gatewayState(invoice);
}

const routes = [
  ["POST", /^\/merchant\/auth\/access-token$/, async (request, response) => {
    const accessToken = merchant.accessToken();
    accessTokens.add(accessToken);
    send(response, 200, { accessToken });
  }],
  ["POST", /^\/merchant\/sale\/initiate-sale$/, async (request, response) => {
    const page = await jsonBody(request);
    // The amount is the order's, never the page's: a page that shows another one is refused
    // here, rather than signed and refused by the gateway.
    const { amountCentis, currency } = page.transaction ?? {};
    if (amountCentis !== ORDER.amountCentis || currency !== ORDER.currency) {
      return fail(response, 400, "INVALID_REQUEST", "transaction: the amount and currency must be the order's");
    }
    const signed = { ...page, transaction: { amountCentis: ORDER.amountCentis, currency: ORDER.currency } };
    const { status, body, invoice } = merchant.initiateSale(signed, (token) => accessTokens.has(token));
    if (invoice) invoices.set(invoice.invoiceId, invoice);
    send(response, status, body);
  }],
  ["POST", /^\/merchant\/sale\/([^/]+)\/check$/, async (request, response, invoiceId) => {
    const checked = await jsonBody(request);
    // Only among the cards of the payer this invoice was signed for.
    const serverCardId = (clientCardId, invoice) => storedCards.get(invoice.accessToken)?.get(clientCardId);
    const { status, body, invoice } = merchant.checkSale(invoiceId, checked, invoices.get(invoiceId), { serverCardId });
    if (invoice) invoices.set(invoiceId, invoice);
    send(response, status, body);
  }],
  ["POST", /^\/merchant\/sale\/([^/]+)\/settle$/, async (request, response, invoiceId) => {
    const state = await settle(invoiceId);
    if (state === null && !invoices.has(invoiceId)) return fail(response, 404, "INVALID_REQUEST", "no such invoice", invoiceId);
    if (state === null) return fail(response, 502, "SERVER_UNAVAILABLE", "the gateway did not give the sale's status", invoiceId);
    send(response, 200, { invoiceId, state });
  }],
  ["GET", /^\/merchant\/sale\/([^/]+)\/confirmation$/, async (request, response, invoiceId) => {
    // Before the shop ships: only the gateway's APPROVED for this invoice is a payment.
    const stored = invoices.get(invoiceId);
    if (!stored) return fail(response, 404, "INVALID_REQUEST", "no such invoice", invoiceId);
    const state = stored.state === "CONFIRMED" ? await gatewayState(stored) : stored.state;
    send(response, 200, { invoiceId, state, paid: state === "APPROVED", amountCentis: stored.amountCentis, currency: stored.currency });
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
    try {
      send(response, 200, { control: merchant.v2SaleControl(parts) });
    } catch (error) {
      if (error.code !== "request.invalid") throw error;
      const first = error.errors[0];
      fail(response, 400, "INVALID_REQUEST", `${first.path}: ${first.message} (${first.code})`);
    }
  }],
  ["POST", /^\/merchant\/v2\/callback$/, async (request, response) => {
    // The gateway posts a form (status, orderid, client_orderid, control) to the callback URL,
    // which may carry a query of the shop's own: the form's values win.
    const url = new URL(request.url, "http://localhost");
    const params = { ...Object.fromEntries(url.searchParams), ...Object.fromEntries(new URLSearchParams(await bodyText(request))) };
    if (!merchant.verifyV2Callback(params)) {
      response.writeHead(403, { "Content-Type": "text/plain" });
      return response.end("control does not verify");
    }
    v2Orders.set(params.client_orderid ?? params.merchant_order, { status: params.status, orderid: params.orderid });
    response.writeHead(200, { "Content-Type": "text/plain" });
    response.end("OK");
  }],
  ["GET", /^\/merchant\/v2\/([^/]+)\/confirmation$/, async (request, response, clientOrderId) => {
    // What the gateway's verified callbacks said: ship on "approved" only.
    const order = v2Orders.get(clientOrderId);
    send(response, 200, { clientOrderId, status: order?.status ?? null, paid: order?.status === "approved" });
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
    if (!response.headersSent) fail(response, error.status ?? 500, error.status ? "INVALID_REQUEST" : "SERVER_FAILED", error.status ? error.message : "internal error");
  }
});

server.listen(config.port, "127.0.0.1", () => {
  console.log(`connpay merchant server at http://127.0.0.1:${server.address().port}/ (gateway ${config.gateway})`);
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.close(() => process.exit(0)));
