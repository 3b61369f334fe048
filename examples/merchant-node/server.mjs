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
//
// Configured by PORT (default 3000), CONNPAY_CONTROL_KEY, CONNPAY_ENDPOINT_ID, CONNPAY_LOGIN
// (defaulting to the local sandbox's) and CONNPAY_GATEWAY (default http://127.0.0.1:8080). With
// CONNPAY_WWW (and CONNPAY_PKG for the browser package) it also serves the shop's pages, telling
// them the gateway; the tests run the demo page this way.
//
// Orders and invoices live in memory here; a shop keeps them in its database. A sale is never
// retried from here: the gateway's answer, or the status it gives, is the truth.
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { extname, resolve, sep } from "node:path";
import { Merchant } from "connpay-checkout-server";

const SANDBOX_KEY = "B17F59B4-A7DC-41B4-8FF9-37D986B43D20";
const config = {
  port: Number(process.env.PORT ?? 3000),
  gateway: process.env.CONNPAY_GATEWAY ?? "http://127.0.0.1:8080",
  www: process.env.CONNPAY_WWW,
  pkg: process.env.CONNPAY_PKG,
};
// The control key stays in this process: never in a page, a log or an answer.
const merchant = new Merchant({
  controlKey: process.env.CONNPAY_CONTROL_KEY ?? SANDBOX_KEY,
  endpointId: process.env.CONNPAY_ENDPOINT_ID ?? "1111",
  login: process.env.CONNPAY_LOGIN ?? "sandbox",
});

const accessTokens = new Set(); // issued to payers (a real shop: per authenticated session)
const invoices = new Map(); // invoiceId → the record merchant.initiateSale made
const v2Orders = new Map(); // client_orderid → { status, orderid } from verified callbacks
// Saved cards: the payer's client id → this server's id of the stored card (none in this example).
const storedCards = new Map();

const MAX_BODY = 64 * 1024;

/** The request's body as text, at most MAX_BODY bytes. */
async function bodyText(request) {
  let text = "";
  for await (const chunk of request) {
    text += chunk;
    if (text.length > MAX_BODY) throw Object.assign(new Error("the body is too large"), { status: 413 });
  }
  return text;
}

/** A JSON body, or a 400/415 thrown. */
async function jsonBody(request) {
  if (!/^application\/json\b/i.test(request.headers["content-type"] ?? "")) {
    throw Object.assign(new Error("the body must be application/json"), { status: 415 });
  }
  try {
    return JSON.parse(await bodyText(request));
  } catch (error) {
    throw error.status ? error : Object.assign(new Error("the body is not JSON"), { status: 400 });
  }
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
  return outcome.kind === "accepted" && outcome.invoiceId === invoice.invoiceId ? outcome.state : null;
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
    // A real shop takes the amount from the order it stored, never from the page.
    const { status, body, invoice } = merchant.initiateSale(await jsonBody(request), (token) => accessTokens.has(token));
    if (invoice) invoices.set(invoice.invoiceId, invoice);
    send(response, status, body);
  }],
  ["POST", /^\/merchant\/sale\/([^/]+)\/check$/, async (request, response, invoiceId) => {
    const checked = await jsonBody(request);
    const serverCardId = (clientCardId) => storedCards.get(clientCardId);
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
    send(response, 200, { invoiceId, state, paid: state === "APPROVED" });
  }],
  ["POST", /^\/merchant\/v2\/control$/, async (request, response) => {
    const parts = await jsonBody(request);
    // This server signs for its own endpoint only.
    if (parts.endpointGroupId !== undefined || (parts.endpointId ?? merchant.endpointId) !== merchant.endpointId) {
      return fail(response, 403, "FILTERED", "this server signs for its own endpoint only");
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
    // The gateway posts a form (or calls with a query): status, orderid, client_orderid, control.
    const url = new URL(request.url, "http://localhost");
    const params = Object.fromEntries(new URLSearchParams(url.search.length > 1 ? url.search : await bodyText(request)));
    if (!merchant.verifyV2Callback(params)) {
      response.writeHead(403, { "Content-Type": "text/plain" });
      return response.end("control does not verify");
    }
    v2Orders.set(params.client_orderid ?? params.merchant_order, { status: params.status, orderid: params.orderid });
    response.writeHead(200, { "Content-Type": "text/plain" });
    response.end("OK");
  }],
];

const TYPES = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml", ".wasm": "application/wasm", ".json": "application/json" };

/** The shop's pages (CONNPAY_WWW, CONNPAY_PKG at /pkg/), under a policy that admits the gateway. */
async function servePage(request, response) {
  const path = decodeURIComponent(new URL(request.url, "http://localhost").pathname);
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

const server = createServer(async (request, response) => {
  const path = new URL(request.url, "http://localhost").pathname;
  try {
    for (const [method, pattern, handle] of routes) {
      const match = path.match(pattern);
      if (match && request.method === method) return await handle(request, response, ...match.slice(1).map(decodeURIComponent));
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
