// The demo shop's checkout (mountCheckout) in Debian's Chromium against the sandbox, driven the
// way a payer drives it: through the page's labels and its Pay button, typing key by key.
import { test } from "node:test";
import assert from "node:assert/strict";
import { openDemo, useDemo } from "./support.mjs";

const demo = useDemo();

/** A perform sale (not its status): POST …/paynet/dapi/v1/sale/{endpointId}/{invoiceId}. */
const PERFORM_SALE = /\/paynet\/dapi\/v1\/sale\/[^/]+\/[^/]+$/;

/** Opens the demo (with `query`) and counts what it sends to the gateway and the shop. */
async function openCheckout(query = "") {
  const opened = await openDemo(demo.browser, new URL(query, demo.server.url).href);
  const sent = { sales: 0, requests: 0 };
  opened.page.on("request", (request) => {
    const path = new URL(request.url()).pathname;
    if (request.method() !== "POST") return;
    sent.requests += 1;
    if (PERFORM_SALE.test(path)) sent.sales += 1;
  });
  return { ...opened, sent };
}

/** Types a card key by key into the fields found by their labels. */
async function typeCard(page, card, labels = LABELS.en) {
  for (const [field, value] of Object.entries(card)) {
    await page.getByLabel(labels[field], { exact: true }).pressSequentially(value);
  }
}

const LABELS = {
  en: { number: "Card number", expiry: "Expiry date", cvv: "Security code", holder: "Name on card", pay: /^Pay/ },
  ru: { number: "Номер карты", expiry: "Срок действия", cvv: "Код безопасности", holder: "Имя на карте", pay: /^Оплатить/ },
};

const card = (cvv) => ({ number: "4111111111111111", expiry: "1230", cvv, holder: "JOHN SMITH" });

/** Waits for the checkout's end (the demo marks the form) and reads the live region. */
async function outcome(page) {
  await page.waitForSelector("#checkout[data-outcome]", { timeout: 20_000 });
  return {
    code: await page.getAttribute("#checkout", "data-outcome"),
    status: await page.getByRole("status").textContent(),
  };
}

/** The card fields' values and whether the Pay button is enabled again. */
async function formAfter(page, labels = LABELS.en) {
  const values = {};
  for (const field of ["number", "expiry", "cvv", "holder"]) {
    values[field] = await page.getByLabel(labels[field], { exact: true }).inputValue();
  }
  return { values, payEnabled: await page.getByRole("button", { name: labels.pay }).isEnabled() };
}

const TYPED = { number: "4111 1111 1111 1111", expiry: "12 / 30", holder: "JOHN SMITH" };

/** Routes the page's perform sale through the sandbox's fault injection. */
async function injectSaleFault(page, fault) {
  await page.route((url) => PERFORM_SALE.test(url.pathname), (route) =>
    route.continue({ headers: { ...route.request().headers(), "x-sandbox-fault": fault } }),
  );
}

/** Console errors other than the browser's own report of an HTTP error status. */
const unexpected = (problems) => problems.filter((problem) => !problem.includes("Failed to load resource"));

test("a payer buys with 4111 1111 1111 1111, a future expiry, CVV 123 and a name, and sees Approved", async () => {
  const { page, problems, sent } = await openCheckout();
  await typeCard(page, card("123"));
  assert.equal(await page.getByLabel("Card number").inputValue(), "4111 1111 1111 1111");
  assert.equal(await page.getByLabel("Expiry date").inputValue(), "12 / 30");
  assert.equal(await page.locator("[data-connpay=brand]").textContent(), "Visa");
  await page.getByRole("button", { name: "Pay" }).click();
  const end = await outcome(page);
  assert.equal(end.code, "approved");
  assert.match(end.status, /^Approved/);
  assert.equal(sent.sales, 1);
  assert.deepEqual(problems, []);
});

test("CVV 116 is declined with its message; the values stay and the button comes back", async () => {
  const { page, problems, sent } = await openCheckout();
  await typeCard(page, card("116"));
  await page.getByRole("button", { name: "Pay" }).click();
  const end = await outcome(page);
  assert.equal(end.code, "sale.declined");
  assert.match(end.status, /^Declined\. Your bank did not approve the payment/);
  assert.deepEqual(await formAfter(page), { values: { ...TYPED, cvv: "116" }, payEnabled: true });
  assert.equal(sent.sales, 1);
  assert.deepEqual(problems, []);
});

test("3-D Secure (321): the issuer's page opens over the checkout, hint approves", async () => {
  const { page, problems, sent } = await openCheckout();
  await typeCard(page, card("321"));
  await page.getByRole("button", { name: "Pay" }).click();
  const dialog = page.getByRole("dialog", { name: "Confirm the payment with your bank" });
  await dialog.waitFor({ timeout: 15_000 });
  const issuer = page.frameLocator("dialog iframe");
  await issuer.getByLabel("One-time password").fill("hint");
  await issuer.getByRole("button", { name: "Confirm" }).click();
  const end = await outcome(page);
  assert.equal(end.code, "approved");
  assert.match(end.status, /^Approved/);
  assert.equal(await page.locator("dialog").count(), 0, "the window is gone");
  assert.equal(sent.sales, 1);
  assert.deepEqual(problems, []);
});

test("3-D Secure cancelled by the payer ends as checkout.cancelled with the form kept", async () => {
  const { page, problems } = await openCheckout();
  await typeCard(page, card("321"));
  await page.getByRole("button", { name: "Pay" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Cancel" }).click();
  const end = await outcome(page);
  assert.equal(end.code, "checkout.cancelled");
  assert.match(end.status, /cancelled/);
  assert.deepEqual(await formAfter(page), { values: { ...TYPED, cvv: "321" }, payEnabled: true });
  assert.deepEqual(problems, []);
});

test("invalid fields are marked, linked to their messages, announced, and nothing is sent", async () => {
  const { page, problems, sent } = await openCheckout();
  const number = page.getByLabel("Card number");
  await number.pressSequentially("4111111111111112");
  assert.notEqual(await number.getAttribute("aria-invalid"), "true", "no mark while typing");
  await page.getByLabel("Expiry date").focus();
  assert.equal(await number.getAttribute("aria-invalid"), "true", "marked once left");
  const described = (await number.getAttribute("aria-describedby")).split(" ");
  const messages = await Promise.all(described.map((id) => page.locator(`[id="${id}"]`).textContent()));
  assert.ok(messages.includes("This card number is not valid; check for a typo."), messages.join("|"));
  assert.equal(await page.getByRole("status").textContent(), "This card number is not valid; check for a typo.");

  await page.getByLabel("Security code").pressSequentially("12");
  await page.getByRole("button", { name: "Pay" }).click();
  assert.equal(await page.getByRole("status").textContent(), "Check the highlighted fields.");
  for (const label of ["Card number", "Expiry date", "Security code", "Name on card"]) {
    assert.equal(await page.getByLabel(label).getAttribute("aria-invalid"), "true", label);
  }
  assert.equal(await page.getAttribute("#checkout", "data-outcome"), "checkout.invalid");
  assert.equal(await page.evaluate(() => document.activeElement.id), "card-number", "the focus goes to the first");

  // Fixing a field clears its mark at once.
  await number.press("Backspace");
  await number.pressSequentially("1");
  assert.equal(await number.getAttribute("aria-invalid"), "false");
  assert.equal(sent.requests, 0, "no request at all");
  assert.deepEqual(problems, []);
});

test("a double click and repeated Enter presses send exactly one perform sale", async () => {
  const { page, problems, sent } = await openCheckout();
  await typeCard(page, card("123"));
  // The sale is slowed down so that the second click lands while the first is in flight.
  await injectSaleFault(page, "delay=800");
  await page.getByRole("button", { name: "Pay" }).dblclick();
  await page.getByLabel("Name on card").press("Enter");
  await page.getByLabel("Name on card").press("Enter");
  assert.equal(await page.getByRole("button", { name: "Pay" }).isDisabled(), true, "disabled in flight");
  assert.equal((await outcome(page)).code, "approved");
  assert.equal(sent.sales, 1);
  assert.deepEqual(problems, []);
});

/** Each fault the sandbox injects into perform sale, and the outcome class the payer is told. */
const FAULTS = [
  // The connection closes unanswered: the sale may have happened, so it is never a decline.
  { fault: "drop", code: "sale.outcome_unknown" },
  {
    fault: "delay=4000",
    query: "?timeoutMs=1000",
    code: "sale.outcome_unknown",
    status: /did not answer, so we cannot tell whether you were charged/,
  },
  { fault: "status=500", code: "sale.server_error", status: /^The payment service is having trouble\. Please try again in a moment\.$/ },
  { fault: "status=502", code: "sale.server_error" },
  // 429 with the spec's error JSON: the gateway refused it unprocessed.
  { fault: "status=429", code: "sale.rejected" },
  { fault: "malformed", code: "sale.server_error" },
];

for (const { fault, query = "", code, status = /./ } of FAULTS) {
  test(`fault ${fault}: ${code}, exactly one perform sale, the values kept`, async () => {
    const { page, problems, sent } = await openCheckout(query);
    await typeCard(page, card("123"));
    await injectSaleFault(page, fault);
    await page.getByRole("button", { name: "Pay" }).click();
    const end = await outcome(page);
    assert.equal(end.code, code);
    assert.match(end.status, status);
    assert.deepEqual(await formAfter(page), { values: { ...TYPED, cvv: "123" }, payEnabled: true });
    assert.equal(sent.sales, 1);
    assert.deepEqual(unexpected(problems), []);
  });
}

test("ten submits in one go send one initiate sale and one perform sale", async () => {
  const { page, problems, sent } = await openCheckout();
  const initiated = [];
  page.on("request", (request) => request.url().includes("/initiate-sale") && initiated.push(request.url()));
  await typeCard(page, card("123"));
  await injectSaleFault(page, "delay=800");
  // All ten land before the first one's answer, and before the button is even disabled.
  await page.evaluate(() => {
    const form = document.getElementById("checkout");
    for (let i = 0; i < 10; i++) form.requestSubmit();
  });
  assert.equal((await outcome(page)).code, "approved");
  assert.equal(sent.sales, 1);
  assert.equal(initiated.length, 1);
  assert.deepEqual(problems, []);
});

test("with locale ru the checkout speaks Russian", async () => {
  const { page, problems } = await openCheckout("?locale=ru");
  const labels = LABELS.ru;
  await page.getByRole("button", { name: labels.pay }).click();
  assert.equal(await page.getByRole("status").textContent(), "Проверьте отмеченные поля.");
  assert.equal(await page.locator("[data-connpay-error=number]").textContent(), "Введите номер карты.");
  await typeCard(page, card("116"), labels);
  await page.getByRole("button", { name: labels.pay }).click();
  const end = await outcome(page);
  assert.equal(end.code, "sale.declined");
  assert.match(end.status, /^Отклонено\. Банк не одобрил платёж/);
  assert.deepEqual(problems, []);
});

test("the number is formatted as the payer types, deletes and pastes, and the caret stays put", async () => {
  const { page, problems } = await openCheckout();
  const number = page.getByLabel("Card number");
  const caret = () => number.evaluate((input) => input.selectionStart);
  const placeCaret = (at) => number.evaluate((input, at) => input.setSelectionRange(at, at), at);

  await number.pressSequentially("4111111111111111");
  assert.equal(await number.inputValue(), "4111 1111 1111 1111");
  // Backspace just after a space deletes the digit before it, and regroups.
  await placeCaret(5);
  await number.press("Backspace");
  assert.equal(await number.inputValue(), "4111 1111 1111 111");
  assert.equal(await caret(), 3);
  // Typing in the middle keeps the caret after the new digit, across a group boundary.
  await number.press("9");
  assert.equal(await number.inputValue(), "4119 1111 1111 1111");
  assert.equal(await caret(), 4);
  await number.press("8");
  assert.equal(await number.inputValue(), "4119 8111 1111 1111 1");
  assert.equal(await caret(), 6);
  // Delete before a space deletes the digit after it.
  await placeCaret(4);
  await number.press("Delete");
  assert.equal(await number.inputValue(), "4119 1111 1111 1111");
  assert.equal(await caret(), 4);

  // A paste with dashes; more digits than the brand allows are cut.
  await number.fill("");
  await number.focus();
  await page.keyboard.insertText("5555-5555-5555-4444-99");
  assert.equal(await number.inputValue(), "5555 5555 5555 4444");
  assert.equal(await caret(), 19);
  assert.equal(await page.locator("[data-connpay=brand]").textContent(), "Mastercard");
  // American Express groups 4-6-5 and takes a 4-digit code.
  await number.fill("");
  await number.pressSequentially("378282246310005");
  assert.equal(await number.inputValue(), "3782 822463 10005");
  await page.getByLabel("Security code").pressSequentially("12345");
  assert.equal(await page.getByLabel("Security code").inputValue(), "1234");

  const expiry = page.getByLabel("Expiry date");
  await expiry.pressSequentially("4");
  assert.equal(await expiry.inputValue(), "04 / ");
  await expiry.pressSequentially("28");
  assert.equal(await expiry.inputValue(), "04 / 28");
  assert.deepEqual(problems, []);
});

test("autofill tokens and numeric keyboards are set where the merchant set none", async () => {
  const { page } = await openCheckout();
  const attributes = await page.evaluate(() =>
    ["card-number", "card-expiry", "card-cvv", "card-holder"].map((id) => {
      const input = document.getElementById(id);
      return [input.getAttribute("autocomplete"), input.getAttribute("inputmode")];
    }),
  );
  assert.deepEqual(attributes, [["cc-number", "numeric"], ["cc-exp", "numeric"], ["cc-csc", "numeric"], ["cc-name", null]]);
});

test("callbacks report changes, the brand, the submit and its error; unmount() undoes it all", async () => {
  const { page, problems } = await openCheckout();
  await page.evaluate(async () => {
    const { mountCheckout } = await import("/pkg/connpay_checkout.js");
    document.body.insertAdjacentHTML("beforeend", `
      <form id="second"><input id="n" class="number" autocomplete="off"><input id="e" data-connpay="expiry">
        <input id="c" data-connpay="cvv"><input id="h" data-connpay="holder"><button>Pay</button></form>`);
    window.before = document.getElementById("second").outerHTML;
    window.calls = [];
    const record = (name) => (value) => window.calls.push([name, value ?? null]);
    window.checkout = mountCheckout("#second", {
      gateway: location.origin, amountCentis: 100, currency: "EUR", consumer: { email: "payer@example.com" },
      selectors: { number: ".number" },
      messages: { "checkout.session": "Our shop could not start the payment." },
      getSession: () => { throw new Error("not in this test"); },
      onChange: record("change"), onBrand: record("brand"), onSubmit: record("submit"), onError: record("error"),
    });
  });
  await page.locator("#n").pressSequentially("4111");
  const calls = await page.evaluate(() => window.calls.map(([name, value]) => [name, value?.id ?? value?.brand ?? value]));
  assert.deepEqual(calls.filter(([name]) => name === "brand"), [["brand", "visa"]]);
  assert.deepEqual(calls.filter(([name]) => name === "change").slice(-1), [["change", "visa"]]);
  assert.equal(await page.locator("#n").getAttribute("autocomplete"), "off", "the merchant's own token is kept");
  await page.locator("#n").pressSequentially("111111111111");
  await page.locator("#e").pressSequentially("1230");
  await page.locator("#c").pressSequentially("123");
  await page.locator("#h").pressSequentially("JOHN SMITH");
  await page.locator("#h").press("Enter");
  await page.waitForFunction(() => window.calls.some(([name]) => name === "error"));
  const ends = await page.evaluate(() => window.calls.filter(([name]) => name !== "change").map(([name, value]) => [name, value?.code ?? value?.id ?? value]));
  assert.deepEqual(ends, [["brand", "visa"], ["submit", null], ["error", "checkout.session"]]);
  assert.equal(await page.evaluate(() => window.calls.find(([name]) => name === "error")[1].message), "Our shop could not start the payment.");
  assert.equal(await page.locator("#second [role=status]").textContent(), "Our shop could not start the payment.", "the merchant's message");
  await page.locator("#n").fill("4111");

  await page.evaluate(() => window.checkout.unmount());
  assert.equal(await page.evaluate(() => document.getElementById("second").outerHTML), await page.evaluate(() => window.before));
  const callsBefore = await page.evaluate(() => window.calls.length);
  await page.locator("#n").pressSequentially("1111");
  assert.equal(await page.locator("#n").inputValue(), "41111111", "no formatting after unmount");
  assert.equal(await page.evaluate(() => window.calls.length), callsBefore, "no callback after unmount");
  assert.deepEqual(problems, []);
});
