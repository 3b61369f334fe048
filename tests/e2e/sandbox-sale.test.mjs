// The module against the sandbox in Chromium, same origin, under the page's strict CSP: the
// merchant endpoints, performSale, and waitForFinalState through 3-D Secure. The module and the
// emulator share the core's wire types; this shows they agree on the wire.
import { test } from "node:test";
import assert from "node:assert/strict";
import { openDemo, useDemo } from "./support.mjs";

const demo = useDemo();

/** Runs one sale with `cvv` inside the page; `password` answers a 3-D Secure challenge. */
async function saleInPage(page, cvv, password) {
  return page.evaluate(
    async ({ cvv, password }) => {
      const module = await import("/pkg/gateway.js");
      // The gateway calls' entry point is a module of its own, with its own .wasm.
      await module.default();
      const postJson = async (path, body) => (await fetch(path, {
        method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
      })).json();
      // Each sale pays an order of its own: the sandbox's merchant charges an order once.
      await postJson("/merchant/order/new", {});
      const { accessToken } = await postJson("/merchant/auth/access-token", {});
      const initiated = await postJson("/merchant/sale/initiate-sale", {
        consumer: { device: { serialNumber: "browser-1" } },
        transaction: { amountCentis: 1042, currency: "EUR" },
        session: { accessToken },
      });
      const gateway = new module.Gateway(location.origin);
      const outcome = await new module.SaleSession(gateway).performSale({
        endpointId: initiated.endpointId,
        invoiceId: initiated.invoiceId,
        consumer: { device: { serialNumber: "browser-1" }, email: "payer@example.com" },
        session: { accessToken, nonce: initiated.session.nonce, signature: initiated.session.signature },
        sourceOfFunds: { card: { number: "4111 1111 1111 1111", securityCode: cvv, expiry: { month: 12, year: 2040 }, holder: { printedName: "JOHN SMITH" } } },
        transaction: { amountCentis: 1042, currency: "EUR" },
      });
      if (outcome.kind !== "accepted") return { outcome };
      const redirects = [];
      const status = await module.waitForFinalState(gateway, initiated.endpointId, outcome.invoiceId,
        { accessToken, token: outcome.sessionToken }, {
          pollIntervalMs: 250, maxWaitMs: 10000,
          onRedirect: (url) => {
            redirects.push(url);
            // The payer completes the issuer's page; here its form is posted directly.
            fetch(url, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: `password=${password}` });
          },
        });
      return { outcome, state: status.state, redirects };
    },
    { cvv, password },
  );
}

test("a card sale through the module reaches APPROVED (123) and DECLINED (116)", async () => {
  const { page, problems } = await openDemo(demo.browser, demo.server.url);
  assert.equal((await saleInPage(page, "123")).state, "APPROVED");
  assert.equal((await saleInPage(page, "116")).state, "DECLINED");
  assert.deepEqual(problems, []);
});

test("3-D Secure (321) hands the sandbox's page to onRedirect once, and hint approves", async () => {
  const { page, problems } = await openDemo(demo.browser, demo.server.url);
  const result = await saleInPage(page, "321", "hint");
  assert.equal(result.state, "APPROVED");
  assert.equal(result.redirects.length, 1);
  // The issuer page's key is random, not the invoice: only the payer who was sent there answers.
  assert.match(result.redirects[0], /\/sandbox\/3ds\/[0-9a-f]{32}$/);
  assert.deepEqual(problems, []);
});
