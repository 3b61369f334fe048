// A scripted stand-in for the gateway, for the browser tests of the gateway calls. The invoice id
// chooses the behaviour (its prefix, up to the first "-"), and every request is counted so that a
// test can check that exactly one POST arrived. Listens on 127.0.0.1 only; CORS is open because
// the tests run on another origin (wasm-bindgen-test's server).
//
// Usage: node tests/support/fake-gateway.mjs   → prints "fake gateway at http://127.0.0.1:PORT"
import { createServer } from "node:http";

const counts = new Map(); // "sale:<invoice>" / "status:<invoice>" → requests seen
const held = []; // responses never answered ("hang")

const cors = {
  "Access-Control-Allow-Origin": "*",
  "Access-Control-Allow-Methods": "POST, GET",
  "Access-Control-Allow-Headers": "content-type, accept",
};

function count(key) {
  const seen = (counts.get(key) ?? 0) + 1;
  counts.set(key, seen);
  return seen;
}

function send(response, status, body, headers = {}) {
  response.writeHead(status, { ...cors, "Content-Type": "application/json", ...headers });
  response.end(typeof body === "string" ? body : JSON.stringify(body));
}

const gatewayError = (cause, invoiceId) => ({ error: { cause, code: "E-1001", message: "refused by the fake gateway" }, invoiceId });

function sale(invoiceId, response, path) {
  const scenario = invoiceId.split("-")[0];
  switch (scenario) {
    // Accepted; "approve" and "decline" then end so in status.
    case "ok": case "approve": case "decline": case "jsredirect": case "elsewhere": return send(response, 200, { invoiceId, session: { token: `token-${invoiceId}` } });
    case "reject": return send(response, 400, gatewayError("INVALID_REQUEST", invoiceId));
    case "e500": return send(response, 500, "");
    case "e502": return send(response, 502, "<html><body>Bad Gateway</body></html>", { "Content-Type": "text/html" });
    case "malformed": return send(response, 200, '{"invoiceId":"x","session":{"tok');
    // 307 keeps the method and body: followed, it would arrive here again and be counted twice.
    case "redirect": return send(response, 307, "", { Location: path });
    case "hang": held.push(response); return;
    default: return send(response, 404, gatewayError("ORDER_NOT_FOUND", invoiceId));
  }
}

function status(invoiceId, response, poll) {
  const scenario = invoiceId.split("-")[0];
  const answer = (state, extra = {}) => send(response, 200, { invoiceId, session: { token: `token-${invoiceId}` }, state, ...extra });
  const final = (state, change = {}) => answer(state, { bankOrderId: "BANK-42", transaction: { amountCentis: 1042, commissionCentis: 10 }, ...change });
  switch (scenario) {
    case "approve": return poll < 3 ? answer("PROCESSING") : final("APPROVED");
    case "decline": return poll < 2 ? answer("PROCESSING") : final("DECLINED");
    case "threeds": return poll < 4 ? answer("REDIRECT_REQUEST", { redirectUrl: "https://acs.example.com/challenge/1" }) : final("APPROVED");
    // A status answer whose 3-D Secure page no browser may be sent to.
    case "jsredirect": return poll < 3 ? answer("REDIRECT_REQUEST", { redirectUrl: "javascript:alert(document.cookie)" }) : final("APPROVED");
    // Approvals of other sales first (another invoice, another sale's token), as a misrouted
    // request or a proxy might answer, then this sale's own.
    case "elsewhere": return final("APPROVED", [{ invoiceId: "approve-other" }, { session: { token: "token-another-sale" } }][poll - 1]);
    case "flaky": return poll === 1 ? send(response, 503, "") : poll === 2 ? held.push(response) && undefined : final("APPROVED");
    case "processing": return answer("PROCESSING");
    case "unknown": return send(response, 200, gatewayError("ORDER_NOT_FOUND", invoiceId));
    default: return send(response, 404, gatewayError("ORDER_NOT_FOUND", invoiceId));
  }
}

const server = createServer((request, response) => {
  const path = new URL(request.url, "http://localhost").pathname;
  if (request.method === "OPTIONS") {
    response.writeHead(204, cors);
    return response.end();
  }
  const counted = path.match(/^\/count\/([^/]+)$/);
  if (request.method === "GET" && counted) {
    const invoice = decodeURIComponent(counted[1]);
    return send(response, 200, { sale: counts.get(`sale:${invoice}`) ?? 0, status: counts.get(`status:${invoice}`) ?? 0 });
  }
  const route = path.match(/^\/paynet\/dapi\/v1\/sale\/([^/]+)\/([^/]+)(\/status)?$/);
  if (request.method !== "POST" || !route) return send(response, 404, gatewayError("INVALID_REQUEST"));
  const invoiceId = decodeURIComponent(route[2]);
  let body = "";
  request.setEncoding("utf8");
  request.on("data", (chunk) => (body += chunk));
  request.on("end", () => {
    try {
      JSON.parse(body);
    } catch {
      return send(response, 400, gatewayError("INVALID_REQUEST", invoiceId));
    }
    if (route[3]) return status(invoiceId, response, count(`status:${invoiceId}`));
    count(`sale:${invoiceId}`);
    return sale(invoiceId, response, path);
  });
});

server.listen(Number(process.env.PORT ?? 0), "127.0.0.1", () => {
  console.log(`fake gateway at http://127.0.0.1:${server.address().port}`);
});
process.on("SIGTERM", () => process.exit(0));
