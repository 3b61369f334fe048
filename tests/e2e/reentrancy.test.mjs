// Re-entrancy: at every callback a sale reaches (onReady, onFocus, onBlur, onChange, onBrand,
// onSubmit, getSession, onRedirect, onSuccess, onError), the page calls update(), unmount(),
// submit and a second mount from inside the callback. The checkout calls the page's code only
// once its state is settled, so none of it may panic, send a second sale, or write to the page
// after an unmount. Chromium against the sandbox.
import { test } from "node:test";
import assert from "node:assert/strict";
import { openDemo, useDemo } from "./support.mjs";

const demo = useDemo();

/** A perform sale (not its status): POST …/paynet/dapi/v1/sale/{endpointId}/{invoiceId}. */
const PERFORM_SALE = /\/paynet\/dapi\/v1\/sale\/[^/]+\/[^/]+$/;

/** The sandbox's scenarios by security code: approved, a 3-D Secure challenge, declined. */
const CVV = { approve: "123", challenge: "321", decline: "101" };

const CALLBACKS = [
  ["onReady", CVV.approve],
  ["onFocus", CVV.approve],
  ["onBlur", CVV.approve],
  ["onChange", CVV.approve],
  ["onBrand", CVV.approve],
  ["onSubmit", CVV.approve],
  ["getSession", CVV.approve],
  ["onSuccess", CVV.approve],
  ["onRedirect", CVV.challenge],
  ["onError", CVV.decline],
];
const ACTIONS = ["update", "unmount", "submit", "mount"];

/**
 * Mounts a checkout on a new form of the demo page whose `callback` runs `action` the first time
 * it is called, pays with `cvv`, and answers what happened.
 */
async function run(callback, action, cvv) {
  let sales = 0;
  const { page, problems } = await openDemo(demo.browser, demo.server.url, {
    before: (page) => page.on("request", (request) => {
      if (request.method() === "POST" && PERFORM_SALE.test(new URL(request.url()).pathname)) sales += 1;
    }),
  });
  try {
    await page.evaluate(async ({ callback, action }) => {
      const { mountCheckout } = await import("/pkg/connpay_checkout.js");
      const shop = await import("/shop-server.js");
      // An order of its own: the sandbox's merchant charges an order once.
      await fetch("/merchant/order/new", { method: "POST", headers: { "Content-Type": "application/json" }, body: "{}" });
      document.body.insertAdjacentHTML("beforeend", `
        <form id="re"><input data-connpay="number" aria-label="number"><input data-connpay="expiry" aria-label="expiry">
          <input data-connpay="cvv" aria-label="cvv"><input data-connpay="holder" aria-label="holder"><button>Pay</button></form>
        <form id="re-other"><input data-connpay="number"><input data-connpay="expiry">
          <input data-connpay="cvv"><input data-connpay="holder"><button>Pay</button></form>`);
      const form = document.getElementById("re");
      // Once unmounted, the form is the page's again: its own submit must not navigate.
      form.addEventListener("submit", (event) => event.preventDefault());
      window.record = { calls: [], thrown: [], writes: [], unmounted: false, ended: false };
      const { record } = window;
      // Every change to the form, and every element added to the page's body, after the unmount.
      const observer = new MutationObserver((mutations) => {
        if (record.unmounted) record.writes.push(...mutations.map((mutation) => `${mutation.type} ${mutation.attributeName ?? ""}`));
      });
      observer.observe(form, { subtree: true, childList: true, attributes: true, characterData: true });
      observer.observe(document.body, { childList: true });
      let acted = false;
      const act = () => {
        // A callback during mountCheckout itself (the first onChange) comes before the page
        // holds the handle: the page acts at the next call.
        if (acted || !window.reHandle) return;
        acted = true;
        try {
          if (action === "update") window.reHandle.update({ amountCentis: 200 });
          if (action === "unmount") {
            // What the unmount itself gives back is not a write after it.
            observer.takeRecords();
            window.reHandle.unmount();
            observer.takeRecords();
            record.unmounted = true;
          }
          if (action === "submit") form.requestSubmit();
          if (action === "mount") {
            // A second checkout on the same form is refused; one on another form is fine.
            try {
              mountCheckout(form, options);
            } catch (error) {
              record.thrown.push(error.code);
            }
            window.other = mountCheckout("#re-other", { ...options, onReady: undefined, onChange: undefined, onBrand: undefined });
          }
        } catch (error) {
          record.thrown.push(error.code ?? String(error));
        }
      };
      const wrap = (name, then) => (value) => {
        record.calls.push(name);
        if (name === callback) act();
        return then?.(value);
      };
      const options = {
        gateway: location.origin, amountCentis: 100, currency: "EUR", consumer: { email: "payer@example.com" },
        pollIntervalMs: 250,
        getSession: wrap("getSession", shop.getSession),
        onReady: wrap("onReady"), onFocus: wrap("onFocus"), onBlur: wrap("onBlur"), onChange: wrap("onChange"),
        onBrand: wrap("onBrand"), onSubmit: wrap("onSubmit"), onRedirect: wrap("onRedirect"),
        onSuccess: wrap("onSuccess", () => (record.ended = true)),
        onError: wrap("onError", (error) => {
          record.thrown.push(`onError ${error.code}`);
          record.ended = true;
        }),
      };
      window.reHandle = mountCheckout(form, options);
    }, { callback, action });
    await page.waitForFunction(() => window.record.calls.includes("onReady") || window.record.unmounted, null, { timeout: 5_000 });
    const field = (name) => page.locator(`#re [data-connpay=${name}]`);
    await field("number").pressSequentially("4111111111111111");
    await field("expiry").pressSequentially("1230");
    await field("cvv").pressSequentially(cvv);
    await field("holder").pressSequentially("JOHN SMITH");
    await field("holder").press("Enter");
    await page.waitForFunction(
      (callback) => window.record.ended || window.record.unmounted || (callback === "onRedirect" && window.record.calls.includes("onRedirect")),
      callback,
      { timeout: 15_000 },
    ).catch(() => {});
    // Time for anything late (a poll, a pause, an answer) to land.
    await page.waitForTimeout(1_000);
    const record = await page.evaluate(() => window.record);
    return { sales, problems, record, dialogs: await page.locator("dialog.connpay-challenge").count() };
  } finally {
    await page.close();
  }
}

for (const [callback, cvv] of CALLBACKS) {
  test(`inside ${callback}: update(), unmount(), a submit and a second mount neither panic nor charge twice nor write after an unmount`, { timeout: 240_000 }, async () => {
    for (const action of ACTIONS) {
      const { sales, problems, record, dialogs } = await run(callback, action, cvv);
      const what = `${callback} → ${action}: ${JSON.stringify(record)}`;
      assert.ok(record.calls.includes(callback), `${what}: the callback was reached`);
      assert.deepEqual(problems.filter((problem) => !problem.includes("Failed to load resource")), [], `${what}: no panic, no page error`);
      // A sale is sent again only after one that was declined (the payer may pay again then).
      const declined = record.thrown.filter((code) => code === "onError sale.declined").length;
      assert.ok(sales <= 1 + declined && sales <= (callback === "onError" && action === "submit" ? 2 : 1), `${what}: ${sales} perform sales`);
      assert.ok(record.thrown.every((code) => /^(onError )?[a-z_]+\.[a-z_.]+$/.test(code)), `${what}: only coded errors`);
      if (action === "unmount") {
        assert.deepEqual(record.writes, [], `${what}: nothing written to the page after the unmount`);
        assert.equal(dialogs, 0, `${what}: no 3-D Secure window left`);
      }
      if (action === "mount") assert.ok(record.thrown.includes("checkout.already_mounted"), `${what}: one checkout a form`);
    }
  });
}
