// The payer's flows in each of the three engines a payer's browser runs on: Chromium, Firefox and
// WebKit (Safari's engine: every iOS payer's). One driver for all three, W3C WebDriver
// (webdriver.mjs), against the demo shop the sandbox serves; each flow is checked twice: on the
// page, as the payer sees it, and in the sandbox's own record, its log of the perform sales it
// received and the merchant's order, which is paid once.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { startDemoServer } from "./support.mjs";
import { ENGINES, KEYS, openBrowser } from "./webdriver.mjs";

let server;
before(async () => {
  server = await startDemoServer();
});
after(async () => {
  await server?.stop();
});

/** The sandbox's log line of a perform sale (not its status): method, path, status, time. */
const PERFORM_SALE_LINE = /^POST \/paynet\/dapi\/v1\/sale\/[^/\s]+\/([^/\s]+) (\d{3}) \d+ms$/gm;

/** The perform sales the sandbox logged after `mark` (a length of its output). */
function performSalesSince(mark) {
  return [...server.output().slice(mark).matchAll(PERFORM_SALE_LINE)].map(([, invoiceId, status]) => ({ invoiceId, status: Number(status) }));
}

/** Collects what goes wrong in the page from now on: errors, rejections, console errors, CSP. */
const WATCH_PROBLEMS = `
  window.problems = [];
  addEventListener("error", (event) => problems.push("error: " + event.message));
  addEventListener("unhandledrejection", (event) => problems.push("unhandled rejection: " + event.reason));
  document.addEventListener("securitypolicyviolation", (event) => problems.push("CSP: " + event.violatedDirective + " " + event.blockedURI));
  const consoleError = console.error;
  console.error = (...parts) => { problems.push("console: " + parts.join(" ")); consoleError.apply(console, parts); };`;

/**
 * Records the body of each perform sale the page sends in `window.performSales`, and sends it
 * with the sandbox's fault header `fault` (if any): what Playwright's routing does in Chromium.
 */
const WATCH_PERFORM_SALES = `
  const fault = arguments[0];
  window.performSales = [];
  const send = window.fetch;
  window.fetch = (input, init = {}) => {
    const request = input instanceof Request ? input : null;
    const url = new URL(request ? request.url : String(input), location.href);
    if (!/\\/paynet\\/dapi\\/v1\\/sale\\/[^/]+\\/[^/]+$/.test(url.pathname)) return send.call(window, input, init);
    performSales.push(typeof init.body === "string" ? JSON.parse(init.body) : null);
    const headers = new Headers(init.headers ?? request?.headers);
    if (fault) headers.set("x-sandbox-fault", fault);
    return send.call(window, input, { ...init, headers });
  };`;

/**
 * Records in `window.pressesInFlight` each press on the demo's form (a pointer down, an Enter)
 * that comes after its first submit and before its outcome.
 */
const WATCH_PRESSES_IN_FLIGHT = `
  window.pressesInFlight = [];
  const form = document.getElementById("checkout");
  let submitted = false;
  form.addEventListener("submit", () => { submitted = true; }, true);
  const inFlight = () => submitted && form.dataset.outcome === undefined;
  form.addEventListener("pointerdown", () => { if (inFlight()) pressesInFlight.push("pointerdown"); }, true);
  form.addEventListener("keydown", (event) => { if (event.key === "Enter" && inFlight()) pressesInFlight.push("Enter"); }, true);`;

/** The control a `<label>` with exactly this text names. */
const FIELD_BY_LABEL = `
  const label = [...document.querySelectorAll("label")].find((label) => label.textContent.trim() === arguments[0]);
  return label?.control ?? null;`;

/** The button whose text starts with the word given (the demo's reads "Pay €10.42"). */
const BUTTON_BY_WORD = `
  return [...document.querySelectorAll("button")].find((button) => button.textContent.trim().split(" ")[0] === arguments[0]) ?? null;`;

/** What the payer reads and can do once a sale ended: the fields' values and the Pay button. */
const FORM_STATE = `
  const value = (id) => document.getElementById(id).value;
  const pay = document.querySelector("#checkout button[type=submit]");
  return {
    values: { number: value("card-number"), expiry: value("card-expiry"), cvv: value("card-cvv"), holder: value("card-holder") },
    payEnabled: !pay.disabled,
  };`;

const CARD = { "Card number": "4111111111111111", "Expiry date": "1230", "Name on card": "JOHN SMITH" };
const TYPED = { number: "4111 1111 1111 1111", expiry: "12 / 30", holder: "JOHN SMITH" };

/** The payer's side of the demo in one browser: the page, and the sandbox's record of it. */
class Payer {
  constructor(browser) {
    this.browser = browser;
  }

  /**
   * Opens the demo (with `query`) on a new order (the demo's order lives in a cookie, which is
   * deleted first) and marks the sandbox's log there.
   */
  async open(query = "") {
    if ((await this.browser.url()).startsWith(server.url)) await this.browser.deleteCookies();
    this.mark = server.output().length;
    await this.browser.navigate(new URL(query, server.url).href);
    await this.browser.waitFor("the checkout is mounted", `return document.querySelector("#checkout[data-ready='true']") !== null`);
    await this.browser.execute(WATCH_PROBLEMS);
  }

  /** Opens the demo on a new order and types the test card with `securityCode` (which picks the outcome). */
  async openWithCard(securityCode) {
    await this.open();
    await this.type({ ...CARD, "Security code": securityCode });
  }

  /** The field the label with `text` names, as a payer finds it. */
  field(text) {
    return this.browser.waitFor(`the field labelled "${text}"`, FIELD_BY_LABEL, { args: [text] });
  }

  /** Types each value into the field its label names, key by key. */
  async type(fields) {
    for (const [label, value] of Object.entries(fields)) await this.browser.sendKeys(await this.field(label), value);
  }

  /** The demo's Pay button. */
  payButton() {
    return this.browser.waitFor("the Pay button", BUTTON_BY_WORD, { args: ["Pay"] });
  }

  async pay() {
    await this.browser.click(await this.payButton());
  }

  /** Waits until the demo marks the form with `code` (its onSuccess/onError); gives the live region's text. */
  async outcome(code) {
    const state = `const form = document.getElementById("checkout");
      return form.dataset.outcome === arguments[0] ? document.getElementById("outcome").textContent : null;`;
    try {
      return await this.browser.waitFor(`the outcome ${code}`, state, { args: [code] });
    } catch (error) {
      const seen = await this.browser.execute(`return [document.getElementById("checkout").dataset.outcome, document.getElementById("outcome").textContent]`);
      throw new Error(`${error.message}; the page shows outcome ${JSON.stringify(seen[0])}: ${JSON.stringify(seen[1])}`);
    }
  }

  /** Waits until the payer is told the sale is approved. */
  async approved() {
    assert.match(await this.outcome("approved"), /^Approved/);
  }

  formState() {
    return this.browser.execute(FORM_STATE);
  }

  /** The merchant's record of this payer's order, as the shop's server keeps it. */
  order() {
    return this.browser.execute(`return fetch("/merchant/order").then((answer) => answer.json())`);
  }

  /**
   * The sandbox's record since the page opened: exactly `count` perform sales, each answered,
   * each for its own invoice, and the order paid by the last one; and nothing went wrong in the page.
   */
  async assertPaidOnce(count) {
    const order = await this.order();
    const sales = performSalesSince(this.mark);
    assert.equal(sales.length, count, `perform sales the sandbox received: ${JSON.stringify(sales)}`);
    assert.deepEqual(sales.map((sale) => sale.status), Array(count).fill(200), "each perform sale answered");
    assert.equal(new Set(sales.map((sale) => sale.invoiceId)).size, count, "one perform sale per invoice");
    assert.equal(order.status, "paid");
    assert.equal(order.invoiceId, sales.at(-1).invoiceId, "the order is paid by the last sale");
    assert.deepEqual(await this.browser.execute("return window.problems"), [], "what went wrong in the page");
  }
}

for (const engine of Object.keys(ENGINES)) {
  describe(`the payer's flows in ${engine}`, { timeout: 300_000 }, () => {
    let payer;
    before(async () => {
      payer = new Payer(await openBrowser(engine));
    });
    after(async () => {
      await payer?.browser.close();
    });

    test("4111 1111 1111 1111, 12/30, CVV 123: Approved, the card leaves the page, one sale", async () => {
      await payer.openWithCard("123");
      assert.equal(await payer.browser.execute(`return document.querySelector("[data-connpay=brand]").textContent`), "Visa");
      await payer.pay();
      await payer.approved();
      assert.deepEqual(await payer.formState(), { values: { ...TYPED, number: "", cvv: "" }, payEnabled: false });
      await payer.assertPaidOnce(1);
    });

    test("CVV 116 is declined and the values stay; the payer corrects the code and pays: approved, two sales, the order paid once", async () => {
      await payer.openWithCard("116");
      await payer.pay();
      assert.match(await payer.outcome("sale.declined"), /^Declined\. Your bank did not approve the payment/);
      assert.deepEqual(await payer.formState(), { values: { ...TYPED, cvv: "116" }, payEnabled: true });
      // The payer deletes the code with Backspace and types another.
      await payer.type({ "Security code": `${KEYS.backspace.repeat(3)}123` });
      await payer.pay();
      await payer.approved();
      await payer.assertPaidOnce(2);
    });

    test("3-D Secure (CVV 321): the issuer's page opens over the checkout, the one-time password approves", async () => {
      await payer.openWithCard("321");
      await payer.pay();
      const issuer = await payer.browser.waitFor("the 3-D Secure window", `return document.querySelector("dialog[open] iframe")`);
      assert.equal((await payer.browser.windowHandles()).length, 1, "the issuer's page opens in the page, not in a window of its own");
      await payer.browser.switchToFrame(issuer);
      try {
        await payer.type({ "One-time password": "hint" });
        await payer.browser.click(await payer.browser.waitFor("the issuer's Confirm button", BUTTON_BY_WORD, { args: ["Confirm"] }));
      } finally {
        await payer.browser.switchToFrame(null);
      }
      await payer.approved();
      assert.equal(await payer.browser.execute(`return document.querySelector("dialog[open]")`), null, "the window is gone");
      await payer.assertPaidOnce(1);
    });

    test("a double click on Pay and two Enter presses while the sale is on its way: one sale", async () => {
      await payer.openWithCard("123");
      // The sale is slowed down so that the second click and the presses land while it is on its way.
      await payer.browser.execute(WATCH_PERFORM_SALES, "delay=1500");
      await payer.browser.execute(WATCH_PRESSES_IN_FLIGHT);
      await payer.browser.doubleClick(await payer.payButton());
      await payer.browser.execute(`document.getElementById("card-holder").focus()`);
      await payer.browser.pressKeys(KEYS.enter, KEYS.enter);
      assert.equal((await payer.formState()).payEnabled, false, "Pay is disabled while the sale is on its way");
      await payer.approved();
      const pressed = await payer.browser.execute("return window.pressesInFlight");
      assert.deepEqual(pressed, ["pointerdown", "Enter", "Enter"], "the second click and both presses came while the sale was on its way");
      assert.equal((await payer.browser.execute("return window.performSales")).length, 1, "the page sent one perform sale");
      await payer.assertPaidOnce(1);
    });

    test("a saved card: named, only its security code asked, paid by reference without the number", async () => {
      await payer.open("?saved=sandbox-visa-1111");
      assert.equal(await payer.browser.execute(`return document.querySelector(".connpay-saved-card")?.textContent`), "Visa •••• 1111");
      const shown = await payer.browser.execute(
        `return ["card-number", "card-expiry", "card-cvv", "card-holder"].map((id) => document.getElementById(id).checkVisibility())`,
      );
      assert.deepEqual(shown, [false, false, true, false], "only the security code is asked");
      await payer.browser.execute(WATCH_PERFORM_SALES, null);
      await payer.type({ "Security code": "123" });
      await payer.pay();
      await payer.approved();
      const [sent] = await payer.browser.execute("return window.performSales");
      assert.deepEqual(sent?.sourceOfFunds, { reference: { clientCardId: "sandbox-visa-1111", securityCode: "123" } });
      assert.doesNotMatch(JSON.stringify(sent), /4111|"card"|"number"/);
      await payer.assertPaidOnce(1);
    });
  });
}
