// What the tests of the reference Node merchant server (examples/merchant-node) share: the
// sandbox as the gateway only, whose check sale goes to the Node server; the Node server on a
// SQLite file of its own, which a test may kill (SIGKILL) and start again on the same file; and a
// payer's browser over HTTP (its cookie jar, the page's calls with the core's request shapes).
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createHash } from "node:crypto";
import { createServer } from "node:http";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startServer } from "./support.mjs";

const root = fileURLToPath(new URL("../..", import.meta.url));
const sandboxBinary = fileURLToPath(new URL("../../target/debug/connpay-sandbox", import.meta.url));

/** The sandbox's merchant account, the Node server's defaults. */
export const KEY = "B17F59B4-A7DC-41B4-8FF9-37D986B43D20";
export const ENDPOINT = "1111";
export const LOGIN = "sandbox";

export const sha1 = (text) => createHash("sha1").update(text).digest("hex");
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export async function freePort() {
  const probe = createServer().listen(0, "127.0.0.1");
  await once(probe, "listening");
  const { port } = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/**
 * The sandbox (the gateway) and the Node server on a fresh database. `shop.start(env)` starts
 * the Node server (again, on the same file and port), `shop.kill(signal)` ends it, `shop.log`
 * holds every line it printed in every run, `shop.stop()` ends everything.
 */
export async function startShop() {
  const directory = await mkdtemp(join(tmpdir(), "connpay-shop-"));
  const port = await freePort();
  const shop = { database: join(directory, "merchant.db"), url: `http://127.0.0.1:${port}/`, log: [] };
  shop.gateway = await startServer(
    sandboxBinary,
    ["--addr", "127.0.0.1:0", "--www", "www", "--pkg", "pkg", "--merchant-url", `${shop.url}merchant`, "--allow-origin", `http://127.0.0.1:${port}`],
    {},
    10_000,
  );
  shop.gatewayUrl = shop.gateway.url.replace(/\/$/, "");

  shop.start = async (env = {}) => {
    const child = spawn("node", ["examples/merchant-node/server.mjs"], {
      cwd: root,
      env: { ...process.env, PORT: String(port), CONNPAY_GATEWAY: shop.gatewayUrl, CONNPAY_DB: shop.database, CONNPAY_RECONCILE_MS: "300", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const exited = once(child, "exit");
    let pending = "";
    const ready = new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the Node server did not start: ${shop.log.join("\n")}`)), 10_000);
      for (const stream of [child.stdout, child.stderr]) {
        stream.setEncoding("utf8");
        stream.on("data", (chunk) => {
          const lines = (pending + chunk).split("\n");
          pending = lines.pop();
          shop.log.push(...lines);
          if (lines.some((line) => line.startsWith("connpay merchant server at"))) {
            clearTimeout(timer);
            resolve();
          }
        });
      }
      exited.then(([code]) => reject(new Error(`the Node server exited (${code}): ${shop.log.join("\n")}`)));
    });
    await ready;
    shop.node = { child, exited };
  };

  shop.kill = async (signal = "SIGKILL") => {
    const node = shop.node;
    shop.node = null;
    if (!node) return;
    node.child.kill(signal);
    await node.exited;
  };

  shop.stop = async () => {
    await shop.kill("SIGTERM");
    await shop.gateway.stop();
    await rm(directory, { recursive: true, force: true });
  };
  return shop;
}

/**
 * A payer's browser: one cookie jar for the shop (its tabs share it), and what its pages send.
 * The order is the shop's: `newOrder()` starts one where the server has the route.
 */
/** An answer's body: its JSON, or its text when it is not JSON. */
async function bodyOf(answer) {
  const text = await answer.text();
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export class Payer {
  constructor(shop, serialNumber = `browser-${Math.random().toString(16).slice(2)}`) {
    this.shop = shop;
    this.serialNumber = serialNumber;
    this.cookies = new Map();
  }

  /** A call to the shop's server, with this browser's cookies; resolves to { status, body }. */
  async shopCall(method, path, body) {
    const cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
    const answer = await fetch(new URL(path, this.shop.url), {
      method,
      headers: { ...(body === undefined ? {} : { "Content-Type": "application/json" }), ...(cookie ? { Cookie: cookie } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    for (const line of answer.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const [name, value] = pair.split("=");
      this.cookies.set(name.trim(), value);
    }
    const json = await bodyOf(answer);
    return { status: answer.status, body: json };
  }

  /** A new order (the demo's "New order"); on a server without orders, nothing. */
  async newOrder() {
    const { status, body } = await this.shopCall("POST", "merchant/order/new", {});
    return status === 200 ? body.orderId : null;
  }

  /** A tab's page: an access token, then initiate sale for the order; resolves to the answer. */
  async initiate() {
    const { body: token } = await this.shopCall("POST", "merchant/auth/access-token", {});
    const { status, body } = await this.shopCall("POST", "merchant/sale/initiate-sale", {
      consumer: { device: { serialNumber: this.serialNumber } },
      transaction: { amountCentis: 1042, currency: "EUR" },
      session: { accessToken: token.accessToken },
    });
    return { status, body, accessToken: token.accessToken };
  }

  /**
   * The page's perform sale for an initiated invoice, straight to the gateway (or through
   * `gatewayUrl`, a relay): resolves to { status, body } as the gateway (or relay) answered.
   */
  async performSale(initiated, { cvv = "123", gatewayUrl = this.shop.gatewayUrl } = {}) {
    const { endpointId, invoiceId, session } = initiated.body;
    const sale = {
      consumer: { device: { serialNumber: this.serialNumber }, email: "payer@example.com" },
      session: { accessToken: initiated.accessToken, nonce: session.nonce, signature: session.signature },
      sourceOfFunds: { card: { number: "4111111111111111", securityCode: cvv, expiry: { month: 12, year: 2040 }, holder: { printedName: "JOHN SMITH" } } },
      transaction: { amountCentis: 1042, currency: "EUR" },
    };
    const answer = await fetch(`${gatewayUrl}/paynet/dapi/v1/sale/${endpointId}/${invoiceId}`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(sale),
    });
    const body = await bodyOf(answer);
    return { status: answer.status, body, invoiceId, accessToken: initiated.accessToken };
  }
}

/**
 * What the gateway itself says of an accepted sale, asked with its tokens until final (the
 * truth, independent of the server under test): "APPROVED", "DECLINED", or the last state.
 */
export async function gatewayFinalState(shop, sale, { timeoutMs = 10_000 } = {}) {
  const deadline = Date.now() + timeoutMs;
  let state = null;
  while (Date.now() < deadline) {
    const answer = await fetch(`${shop.gatewayUrl}/paynet/dapi/v1/sale/${ENDPOINT}/${sale.invoiceId}/status`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ session: { accessToken: sale.accessToken, token: sale.body.session.token } }),
    });
    if (answer.ok) state = (await answer.json()).state;
    if (state === "APPROVED" || state === "DECLINED") return state;
    await sleep(200);
  }
  return state;
}

/** Polls `read` until `done(value)`, at most `timeoutMs`; resolves to the last value. */
export async function until(read, done, { timeoutMs = 10_000, everyMs = 200 } = {}) {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!done(value) && Date.now() < deadline) {
    await sleep(everyMs);
    value = await read();
  }
  return value;
}

/**
 * Between the page and the gateway: forwards each perform sale, lets the gateway process it,
 * and answers the page 502 (an uncertain answer after processing); `relay.forwarded` counts.
 */
export async function badGatewayAfterProcessing(shop) {
  const relay = { forwarded: [] };
  relay.server = createServer(async (request, response) => {
    let body = "";
    for await (const chunk of request) body += chunk;
    const answer = await fetch(`${shop.gatewayUrl}${request.url}`, { method: request.method, headers: { "Content-Type": "application/json" }, body });
    relay.forwarded.push({ url: request.url, status: answer.status, body: await answer.text() });
    response.writeHead(502, { "Content-Type": "application/json" });
    response.end(JSON.stringify({ error: { cause: "SERVER_UNAVAILABLE", code: "502", message: "Bad Gateway" } }));
  });
  relay.server.listen(0, "127.0.0.1");
  await once(relay.server, "listening");
  relay.url = `http://127.0.0.1:${relay.server.address().port}`;
  relay.close = () => new Promise((resolve) => relay.server.close(resolve));
  return relay;
}
