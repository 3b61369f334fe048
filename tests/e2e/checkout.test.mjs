// The demo shop's checkout (mountCheckout) in Debian's Chromium against the sandbox, driven the
// way a payer drives it: through the page's labels and its Pay button, typing key by key.
import { test } from "node:test";
import assert from "node:assert/strict";
import { openDemo, useDemo } from "./support.mjs";

const demo = useDemo();

/** A perform sale (not its status): POST …/paynet/dapi/v1/sale/{endpointId}/{invoiceId}. */
const PERFORM_SALE = /\/paynet\/dapi\/v1\/sale\/[^/]+\/[^/]+$/;

/**
 * Opens the demo (with `query`), counts what it sends to the gateway and the shop, and records
 * every text of the live region in `window.statusTexts` (the shop may replace one quickly).
 */
async function openCheckout(query = "", browser = demo.browser) {
  // Counted from before the page loads: the checkout asks the shop's server about the order
  // (getSession) as soon as it is mounted.
  const sent = { sales: 0, requests: 0, sessions: 0 };
  const count = (page) => page.on("request", (request) => {
    const path = new URL(request.url()).pathname;
    if (request.method() !== "POST") return;
    sent.requests += 1;
    if (PERFORM_SALE.test(path)) sent.sales += 1;
    if (path.endsWith("/initiate-sale")) sent.sessions += 1;
  });
  const opened = await openDemo(browser, new URL(query, demo.server.url).href, { before: count });
  await opened.page.evaluate(() => {
    const region = document.getElementById("outcome");
    window.statusTexts = [];
    new MutationObserver(() => window.statusTexts.push(region.textContent)).observe(region, { childList: true, characterData: true, subtree: true });
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
  // Finished: the number and the security code leave the page; nothing can be edited or paid again.
  const after = await formAfter(page);
  assert.deepEqual(after, { values: { number: "", expiry: "12 / 30", cvv: "", holder: "JOHN SMITH" }, payEnabled: false });
  assert.equal(await page.getByLabel("Card number").getAttribute("readonly"), "");
  assert.deepEqual(problems, []);
});

/** Replaces the security code, as a payer does after a decline. */
async function retypeCvv(page, cvv) {
  const field = page.getByLabel("Security code", { exact: true });
  await field.fill("");
  await field.pressSequentially(cvv);
}

test("CVV 116 is declined with its message; the payer changes the code and pays again: approved, two perform sales", async () => {
  const { page, problems, sent } = await openCheckout();
  await typeCard(page, card("116"));
  await page.getByRole("button", { name: "Pay" }).click();
  const end = await outcome(page);
  assert.equal(end.code, "sale.declined");
  assert.match(end.status, /^Declined\. Your bank did not approve the payment/);
  assert.deepEqual(await formAfter(page), { values: { ...TYPED, cvv: "116" }, payEnabled: true });
  assert.equal(sent.sales, 1);

  await retypeCvv(page, "123");
  await page.getByRole("button", { name: "Pay" }).click();
  const second = await outcome(page);
  assert.equal(second.code, "approved");
  assert.match(second.status, /^Approved/);
  assert.equal(sent.sales, 2);
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

/** What the payer reads once the 3-D Secure window is closed: the sale goes on, until a time. */
const CLOSED = /^You closed your bank's window, but the payment is not cancelled: your bank may still approve it, for example in its app, until \d{1,2}:\d{2}( [AP]M)?\. Please do not pay again/;

/** Waits until the demo form's outcome is `code` (the demo marks each onError and onSuccess). */
async function outcomeIs(page, code, selector = "#checkout") {
  await page.waitForSelector(`${selector}[data-outcome="${code}"]`, { timeout: 20_000 });
  return page.getByRole("status").first().textContent();
}

/** Closes the open 3-D Secure window the way `how` says. */
async function closeWindow(page, how) {
  const close = page.getByRole("dialog").getByRole("button", { name: "Close" });
  if (how === "its Close button") {
    await close.click();
  } else if (how === "Escape on the window") {
    await close.focus();
    await page.keyboard.press("Escape");
  } else {
    await close.waitFor();
    const method = how === "the page's own close()" ? "close" : "remove";
    await page.evaluate((method) => document.querySelector("dialog.connpay-challenge")[method](), method);
  }
}

for (const how of ["its Close button", "Escape on the window", "the page's own close()", "the page removing it"]) {
  test(`3-D Secure window closed with ${how}: the sale goes on (told until when), Pay stays disabled, the bank's window reopens; the issuer's decline frees Pay, then 123 is approved`, async () => {
    const { page, problems, sent } = await openCheckout();
    await typeCard(page, card("321"));
    await page.getByRole("button", { name: "Pay" }).click();
    await closeWindow(page, how);
    assert.match(await outcomeIs(page, "checkout.challenge_closed"), CLOSED);
    assert.equal(await page.locator("dialog").count(), 0, "the window is gone");
    assert.deepEqual(await formAfter(page), { values: { ...TYPED, cvv: "321" }, payEnabled: false });
    // No way to pay again while the issuer may still approve: not a submit no button can stop.
    await page.evaluate(() => document.getElementById("checkout").requestSubmit());
    await page.waitForTimeout(1_000);
    assert.equal(sent.sales, 1);
    // The payer opens the bank's window again and declines there (a wrong code; the issuer's own
    // cancel does the same): only the decline frees Pay.
    await page.getByRole("button", { name: "Reopen your bank's window" }).click();
    const issuer = page.frameLocator("dialog iframe");
    await issuer.getByLabel("One-time password").fill("wrong");
    await issuer.getByRole("button", { name: "Confirm" }).click();
    // Not confirmed at the bank, which is not the card declined: the payer is told so.
    assert.match(await outcomeIs(page, "sale.declined"), /^Your bank did not confirm this payment, so nothing was charged/);
    assert.equal(await page.getByRole("button", { name: "Reopen your bank's window" }).count(), 0, "nothing to reopen");
    assert.deepEqual(await formAfter(page), { values: { ...TYPED, cvv: "321" }, payEnabled: true });

    await retypeCvv(page, "123");
    await page.getByRole("button", { name: "Pay" }).click();
    await outcomeIs(page, "approved");
    assert.equal(sent.sales, 2);
    assert.deepEqual(problems, []);
  });
}

test("the issuer page's own Cancel declines at once, and frees Pay", async () => {
  const { page, sent } = await openCheckout();
  await typeCard(page, card("321"));
  await page.getByRole("button", { name: "Pay" }).click();
  await page.frameLocator("dialog iframe").getByRole("button", { name: "Cancel" }).click();
  assert.match(await outcomeIs(page, "sale.declined"), /^Your bank did not confirm this payment, so nothing was charged/);
  assert.equal((await formAfter(page)).payEnabled, true);
  assert.equal(sent.sales, 1);
});

test("the issuer's page in the window cannot navigate the merchant's page", async () => {
  const { page, sent } = await openCheckout();
  // An issuer page that tries every way out of its frame.
  await page.route("**/sandbox/3ds/**", (route) => route.fulfill({
    contentType: "text/html",
    body: `<!doctype html><title>issuer</title><a id="out" href="/navigated" target="_top">out</a>
      <script>try { top.location.href = "/navigated"; } catch {} document.getElementById("out").click();</script>`,
  }));
  const start = page.url();
  await typeCard(page, card("321"));
  await page.getByRole("button", { name: "Pay" }).click();
  const frame = page.locator("dialog iframe");
  await frame.waitFor({ timeout: 15_000 });
  const sandbox = (await frame.getAttribute("sandbox")).split(" ");
  assert.ok(sandbox.includes("allow-forms") && !sandbox.some((token) => token.startsWith("allow-top-navigation")), sandbox.join(" "));
  await page.waitForTimeout(1_500);
  assert.equal(page.url(), start, "the merchant's page stayed");
  assert.equal(await page.getByRole("dialog").count(), 1, "the window is still open");
  assert.equal(sent.sales, 1);
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
  assert.equal(sent.sales, 0, "no perform sale");
  // The question the checkout asked the shop when mounted (purpose "status") signed nothing:
  // no access token, no initiate sale.
  assert.deepEqual([sent.sessions, sent.requests], [0, 0]);
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
    status: /^The payment service did not answer, so we cannot tell whether you were charged\. Please do not pay again/,
  },
  { fault: "status=500", code: "sale.server_error", status: /^The payment service answered with an error, so we cannot tell whether you were charged\. Please do not pay again/ },
  { fault: "status=502", code: "sale.server_error" },
  // 429 with the spec's error JSON: the gateway refused it unprocessed, so the payer may pay again at once.
  { fault: "status=429", code: "sale.rejected", retry: true },
  { fault: "malformed", code: "sale.server_error" },
];

const ALLOWED = "The shop confirmed that you were not charged. You can pay again.";

for (const { fault, query = "", code, status = /./, retry = false } of FAULTS) {
  test(`fault ${fault}: ${code}, exactly one perform sale, the values kept; ${retry ? "the payer pays again" : "the shop settles it, then the payer pays again"}`, async () => {
    const { page, problems, sent } = await openCheckout(query);
    await typeCard(page, card("123"));
    await injectSaleFault(page, fault);
    await page.getByRole("button", { name: "Pay" }).click();
    assert.equal((await outcome(page)).code, code);
    const told = await page.evaluate(() => window.statusTexts);
    assert.ok(told.some((text) => status.test(text)), told.join(" | "));
    assert.equal(sent.sales, 1);
    if (!retry) {
      assert.deepEqual(told.filter((text) => /try again/i.test(text)), []);
      // The demo shop's server voids the invoice the gateway never confirmed, and allows a new attempt.
      await page.getByText(ALLOWED).waitFor({ timeout: 10_000 });
    }
    assert.deepEqual(await formAfter(page), { values: { ...TYPED, cvv: "123" }, payEnabled: true });
    await page.unrouteAll();
    await page.getByRole("button", { name: "Pay" }).click();
    assert.equal((await outcome(page)).code, "approved");
    assert.equal(sent.sales, 2);
    assert.deepEqual(unexpected(problems), []);
  });
}

test("a 502 after the gateway processed the sale: no second perform sale however the payer insists, never 'try again'", async () => {
  const { page, problems, sent } = await openCheckout();
  await typeCard(page, card("123"));
  // The shop's server cannot answer where the order stands either (the checkout asks it after a
  // lost answer; it would say the sale was approved): the sale stays in doubt on the page.
  await page.route((url) => url.pathname === "/merchant/order", (route) => route.fulfill({ status: 503, body: "" }));
  const processed = [];
  // The gateway takes the sale; a proxy on the way back loses its answer.
  await page.route((url) => PERFORM_SALE.test(url.pathname), async (route) => {
    const response = await route.fetch();
    processed.push(response.status());
    await route.fulfill({ status: 502, contentType: "text/html", body: "<html><body><h1>502 Bad Gateway</h1></body></html>" });
  });
  const pay = page.getByRole("button", { name: /^Pay/ });
  await pay.click();
  const end = await outcome(page);
  assert.equal(end.code, "sale.server_error");
  assert.deepEqual(processed, [200], "the gateway accepted the sale");
  assert.equal(await pay.isDisabled(), true, "no button to pay again");
  assert.equal(await page.getByLabel("Card number").getAttribute("readonly"), "", "the card on screen is the card in doubt");
  const insisted = Date.now();
  while (Date.now() - insisted < 10_000) {
    await pay.click({ force: true, timeout: 500 }).catch(() => {});
    await page.getByLabel("Security code", { exact: true }).press("Enter");
    // A submit no button can stop: the checkout itself must refuse it.
    await page.evaluate(() => document.getElementById("checkout").requestSubmit());
    await page.waitForTimeout(500);
  }
  assert.equal(sent.sales, 1, "one perform sale");
  const texts = await page.evaluate(() => window.statusTexts);
  assert.ok(texts.some((text) => /cannot tell whether you were charged\. Please do not pay again/.test(text)), texts.join(" | "));
  assert.deepEqual(texts.filter((text) => /try again/i.test(text)), []);
  // Meanwhile the demo shop's server asked the gateway itself, found the sale approved, and told
  // the checkout (confirmApproval): the payer reads the truth, and the card leaves the page.
  assert.equal(await page.getAttribute("#checkout", "data-outcome"), "approved");
  assert.match(await page.getByRole("status").textContent(), /^Approved/);
  assert.equal(await page.getByLabel("Card number").inputValue(), "");
  assert.deepEqual(unexpected(problems), []);
});

test("ten submits in one go send one initiate sale and one perform sale", async () => {
  const { page, problems, sent } = await openCheckout();
  await typeCard(page, card("123"));
  await injectSaleFault(page, "delay=800");
  // All ten land before the first one's answer, and before the button is even disabled.
  await page.evaluate(() => {
    const form = document.getElementById("checkout");
    for (let i = 0; i < 10; i++) form.requestSubmit();
  });
  assert.equal((await outcome(page)).code, "approved");
  assert.equal(sent.sales, 1);
  // One for Pay: the question at mount asked only where the order stands, and signed nothing.
  assert.equal(sent.sessions, 1);
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

test("leaving a half-typed field for Pay shows no error before the submit: the text would push the button away from the click", async () => {
  const { page, problems } = await openCheckout();
  await page.evaluate(async () => {
    const { mountCheckout } = await import("/pkg/connpay_checkout.js");
    document.body.insertAdjacentHTML("beforeend", `
      <form id="third"><input data-connpay="number"><input data-connpay="expiry">
        <input data-connpay="cvv"><input data-connpay="holder"><button>Pay</button></form>`);
    window.ended = [];
    mountCheckout("#third", {
      gateway: location.origin, amountCentis: 100, currency: "EUR", consumer: { email: "payer@example.com" },
      getSession: () => { throw new Error("not in this test"); },
      onSubmit: () => window.ended.push("submit"), onError: (error) => window.ended.push(error.code),
    });
  });
  const numberError = () => page.evaluate(() => document.querySelector("#third [data-connpay=number] + .connpay-error").textContent);
  await page.locator("#third [data-connpay=number]").pressSequentially("4111 1111");
  // The press on Pay moves the focus to it before the release: the field is left for the button.
  await page.locator("#third button").focus();
  assert.equal(await numberError(), "", "no error text between the press and the release");
  await page.locator("#third button").click();
  await page.waitForFunction(() => window.ended.length > 0, null, { timeout: 5_000 });
  assert.deepEqual(await page.evaluate(() => window.ended), ["checkout.invalid"]);
  assert.notEqual(await numberError(), "", "the submit marks it");
  // Leaving for another field marks it at once, as before.
  await page.locator("#third [data-connpay=expiry]").pressSequentially("12");
  await page.locator("#third [data-connpay=cvv]").focus();
  assert.notEqual(await page.evaluate(() => document.querySelector("#third [data-connpay=expiry] + .connpay-error").textContent), "");
  assert.deepEqual(problems, []);
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

/** Appends a second card form to the page and returns nothing; the page script finds it as `form.extra`. */
const EXTRA_FORM = `<form class="extra"><input data-connpay="number"><input data-connpay="expiry">
  <input data-connpay="cvv"><input data-connpay="holder"><button>Pay</button></form>`;

test("options are checked at mount by the sale's rules, one checkout per form, own keys only; free() unmounts", async () => {
  const { page, problems } = await openCheckout();
  const results = await page.evaluate(async (markup) => {
    const { mountCheckout } = await import("/pkg/connpay_checkout.js");
    const { shopCheckout } = await import("/shop-server.js");
    document.body.insertAdjacentHTML("beforeend", markup);
    const form = document.querySelector("form.extra");
    const mount = (target, options) => {
      try {
        mountCheckout(target, options).unmount();
        return "mounted";
      } catch (error) {
        return `${error.code} ${error.path}`;
      }
    };
    const results = {
      second: mount(document.getElementById("checkout"), shopCheckout),
      currency: mount(form, { ...shopCheckout, currency: "eur" }),
      email: mount(form, { ...shopCheckout, consumer: { email: "nope" } }),
      country: mount(form, { ...shopCheckout, billing: { address: { country: "DE" } } }),
      amount: mount(form, { ...shopCheckout, amountCentis: 0 }),
      typo: mount(form, { ...shopCheckout, onSucess: () => {} }),
      messageKey: mount(form, { ...shopCheckout, messages: { "sale.declinde": "?" } }),
      real: mount(form, shopCheckout),
    };
    try {
      mountCheckout(form, { ...shopCheckout, onSucess: () => {} });
    } catch (error) {
      results.typoMessage = error.message;
    }
    try {
      mountCheckout(form, { ...shopCheckout, currency: "eur", consumer: { email: "nope" } });
    } catch (error) {
      results.every = error.errors.map(({ path, code }) => `${path} ${code}`);
    }
    // A key set on Object.prototype elsewhere on the page is not an option.
    Object.prototype.messages = { "checkout.invalid": "pwned" };
    let checkout;
    try {
      checkout = mountCheckout(form, shopCheckout);
    } finally {
      delete Object.prototype.messages;
    }
    form.requestSubmit();
    results.inherited = form.querySelector("[role=status]").textContent;
    // free() unmounts; a second unmount, free or dispose does nothing and throws nothing.
    checkout.free();
    checkout.unmount();
    checkout[Symbol.dispose]?.();
    results.afterFree = mount(form, shopCheckout);
    return results;
  }, EXTRA_FORM);
  assert.deepEqual(results, {
    second: "checkout.already_mounted form",
    currency: "argument.invalid currency",
    email: "argument.invalid consumer.email",
    country: "argument.invalid billing.address.country",
    amount: "argument.invalid amountCentis",
    typo: "argument.invalid onSucess",
    messageKey: "argument.invalid messages.sale.declinde",
    real: "mounted",
    typoMessage: "unknown option; did you mean onSuccess?",
    every: ["currency request.currency", "consumer.email request.email"],
    inherited: "Check the highlighted fields.",
    afterFree: "mounted",
  });
  assert.deepEqual(problems, []);
});

/**
 * Mounts a second checkout on the demo page, every callback recorded in `window.calls`; with
 * `numericEndpoint`, its getSession answers `endpointId` as a number.
 */
async function mountRecorded(page, { numericEndpoint = false, maxWaitMs = 600_000 } = {}) {
  await page.evaluate(async ({ markup, numericEndpoint, maxWaitMs }) => {
    const { mountCheckout } = await import("/pkg/connpay_checkout.js");
    const { shopCheckout } = await import("/shop-server.js");
    document.body.insertAdjacentHTML("beforeend", markup);
    window.calls = [];
    const record = (name) => (value) => window.calls.push([name, value ?? null]);
    const getSession = async (request) => {
      const session = await shopCheckout.getSession(request);
      return numericEndpoint ? { ...session, endpointId: Number(session.endpointId) } : session;
    };
    window.extraCheckout = mountCheckout("form.extra", {
      ...shopCheckout,
      getSession,
      pollIntervalMs: 300,
      maxWaitMs,
      onError: record("error"), onSuccess: record("success"), onRedirect: record("redirect"),
    });
  }, { markup: EXTRA_FORM, numericEndpoint, maxWaitMs });
}

/** Types a card into the second form. */
async function typeExtra(page, cvv) {
  for (const [role, value] of [["number", "4111111111111111"], ["expiry", "1230"], ["cvv", cvv], ["holder", "JOHN SMITH"]]) {
    await page.locator(`form.extra [data-connpay=${role}]`).pressSequentially(value);
  }
}

const errors = (page) => page.evaluate(() => window.calls.filter(([name]) => name === "error").map(([, error]) => ({
  code: error.code, next: error.next, invoiceId: typeof error.invoiceId, path: error.path, detail: error.detail, message: error.message,
})));

test("unmounting during a sale reports it to onError with its invoice; nothing is reported after", async () => {
  const { page, sent } = await openCheckout();
  await mountRecorded(page);
  await typeExtra(page, "123");
  await injectSaleFault(page, "delay=1500");
  const saleSent = page.waitForRequest((request) => PERFORM_SALE.test(new URL(request.url()).pathname));
  await page.locator("form.extra button").click();
  await saleSent;
  // Unmounted twice, freed and disposed too (a `using` and a cleanup both ran): once only, and
  // what the form remembers of the sale in doubt is kept.
  await page.evaluate(() => {
    window.extraCheckout.unmount();
    window.extraCheckout.unmount();
    window.extraCheckout.free();
    window.extraCheckout[Symbol.dispose]();
  });
  assert.equal(await page.locator("form.extra [readonly], form.extra [disabled], form.extra [role=status]").count(), 0, "the form is given back");
  const [unmounted] = await errors(page);
  assert.equal(unmounted.code, "checkout.unmounted");
  assert.equal(unmounted.next, "merchant");
  assert.equal(unmounted.invoiceId, "string");
  await page.waitForTimeout(2_500);
  assert.equal((await errors(page)).length, 1, "no other report");
  assert.equal(await page.evaluate(() => window.calls.some(([name]) => name === "success")), false);
  assert.equal(sent.sales, 1);

  // A new checkout on the same form inherits the sale in doubt: it sends nothing until allowed,
  // and its own onError hears of it, so that the code that settles it runs again.
  const again = await page.evaluate(async () => {
    const { mountCheckout } = await import("/pkg/connpay_checkout.js");
    const { shopCheckout } = await import("/shop-server.js");
    window.oldCheckout = window.extraCheckout;
    window.inherited = [];
    window.extraCheckout = mountCheckout("form.extra", { ...shopCheckout, onError: (error) => window.inherited.push(error) });
    // The old handle unmounted again must not unmount or forget the new checkout.
    window.oldCheckout.unmount();
    let second;
    try {
      mountCheckout("form.extra", shopCheckout);
    } catch (error) {
      second = error.code;
    }
    const form = document.querySelector("form.extra");
    form.requestSubmit();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const [error] = window.inherited;
    return {
      disabled: form.querySelector("button").disabled,
      said: form.querySelector("[role=status]").textContent,
      inherited: [window.inherited.length, error.code, error.next, error.invoiceId === window.calls[0][1].invoiceId],
      detail: error.detail.startsWith("left in doubt by an earlier checkout on this form"),
      second,
    };
  });
  assert.deepEqual(again, {
    second: "checkout.already_mounted",
    disabled: true,
    said: "The payment form was closed before the payment finished. Please do not pay again until the shop confirms whether you were charged.",
    inherited: [1, "checkout.unmounted", "merchant", true],
    detail: true,
  });
  // The settling code may still hold the old handle (a React effect's closure): it reaches the form.
  const invoiceId = await page.evaluate(() => window.calls.find(([name]) => name === "error")[1].invoiceId);
  await page.evaluate((invoiceId) => window.oldCheckout.allowNewAttempt(invoiceId), invoiceId);
  assert.equal(await page.locator("form.extra button").isEnabled(), true);
  await page.waitForTimeout(500);
  assert.equal(sent.sales, 1);
});

test("a getSession answer of the wrong shape is checkout.session naming the key; the payer may pay again", async () => {
  const { page, sent } = await openCheckout();
  await mountRecorded(page, { numericEndpoint: true });
  await typeExtra(page, "123");
  await page.locator("form.extra button").click();
  await page.waitForFunction(() => window.calls.some(([name]) => name === "error"));
  const [wrong] = await errors(page);
  assert.deepEqual({ code: wrong.code, next: wrong.next, path: wrong.path }, { code: "checkout.session", next: "retry", path: "endpointId" });
  assert.match(wrong.detail, /^getSession's answer: endpointId /);
  assert.equal(wrong.message, "The payment could not be started. Please try again.");
  assert.equal(await page.locator("form.extra button").isEnabled(), true);
  assert.equal(sent.sales, 0);
});

/** Replaces the 3-D Secure URL in the gateway's status answers with `url`. */
function redirectChallengeTo(page, url) {
  return page.route((requested) => requested.pathname.endsWith("/status"), async (route) => {
    const response = await route.fetch();
    const status = await response.json();
    if (status.redirectUrl) status.redirectUrl = url;
    await route.fulfill({ response, json: status });
  });
}

test("a redirectUrl that is not https is neither framed nor handed to onRedirect: as a closed window, the sale is followed and nothing reopens it", async () => {
  const { page, sent } = await openCheckout();
  await mountRecorded(page);
  // The gateway's status answer, with its 3-D Secure URL replaced by one no page may open.
  await redirectChallengeTo(page, "javascript:alert(document.cookie)");
  await typeExtra(page, "321");
  await page.locator("form.extra button").click();
  await page.waitForFunction(() => window.calls.some(([name]) => name === "error"), null, { timeout: 15_000 });
  await page.waitForTimeout(1_000);
  const calls = await page.evaluate(() => window.calls.map(([name, value]) => [name, value?.code ?? value, value?.next]));
  assert.deepEqual(calls, [["error", "checkout.challenge_closed", "wait"]]);
  assert.equal(await page.locator("dialog").count(), 0);
  assert.equal(await page.locator("form.extra .connpay-reopen:not([hidden])").count(), 0, "nothing to reopen");
  assert.equal(await page.locator("form.extra button").isDisabled(), true, "Pay stays disabled while the issuer may approve");
  assert.equal(sent.sales, 1);
});

test("a sale still processing after maxWaitMs: status.timeout with next wait; the checkout keeps asking and sends no sale until allowed", { timeout: 60_000 }, async () => {
  const { page, sent } = await openCheckout();
  let polls = 0;
  page.on("request", (request) => { if (new URL(request.url()).pathname.endsWith("/status")) polls += 1; });
  await mountRecorded(page, { maxWaitMs: 1_000 });
  await typeExtra(page, "217");
  const pay = page.locator("form.extra button");
  await pay.click();
  await page.waitForFunction(() => window.calls.some(([name]) => name === "error"), null, { timeout: 15_000 });
  const [pending] = await errors(page);
  assert.deepEqual({ code: pending.code, next: pending.next, invoiceId: pending.invoiceId }, { code: "status.timeout", next: "wait", invoiceId: "string" });
  assert.match(await page.locator("form.extra [role=status]").textContent(), /still being processed\. Please do not pay again/);
  assert.equal(await pay.isDisabled(), true);
  const pollsAtReport = polls;
  await page.evaluate(() => document.querySelector("form.extra").requestSubmit());
  await page.waitForTimeout(16_000);
  assert.ok(polls > pollsAtReport, "it keeps asking the sale's status");
  assert.equal(sent.sales, 1, "and sends no other sale");
  assert.equal((await errors(page)).length, 1, "reported once");
  // The shop's server learnt the invoice's fate: the payer may pay again.
  const invoiceId = await page.evaluate(() => window.calls.find(([name]) => name === "error")[1].invoiceId);
  await page.evaluate((invoiceId) => window.extraCheckout.allowNewAttempt(invoiceId), invoiceId);
  assert.equal(await pay.isEnabled(), true);
  const pollsAtAllow = polls;
  await page.waitForTimeout(1_000);
  assert.ok(polls <= pollsAtAllow + 1, "it stops asking once allowed");
});

test("an issuer the page's CSP does not allow in frame-src: as a closed window, and detail says why", async () => {
  const { page, sent } = await openCheckout();
  await mountRecorded(page);
  // The demo's policy frames only its own origin; this issuer is elsewhere (and never reached).
  await redirectChallengeTo(page, "https://acs.issuer.example/3ds/challenge");
  await typeExtra(page, "321");
  await page.locator("form.extra button").click();
  await page.waitForFunction(() => window.calls.some(([name]) => name === "error"), null, { timeout: 15_000 });
  const [blocked] = await errors(page);
  assert.deepEqual({ code: blocked.code, next: blocked.next }, { code: "checkout.challenge_closed", next: "wait" });
  assert.match(blocked.detail, /Content-Security-Policy refused to frame the issuer's 3-D Secure page: add the issuers' origins to frame-src/);
  assert.equal(await page.locator("dialog").count(), 0);
  assert.equal(await page.locator("form.extra .connpay-reopen:not([hidden])").count(), 0, "a frame the policy refuses is not offered again");
  assert.equal(await page.locator("form.extra button").isDisabled(), true, "Pay stays disabled while the issuer may approve");
  assert.equal(sent.sales, 1);
});

test("the payer confirms in the issuer's page and closes the window before the answer lands: told it may still be approved, then the approval", async () => {
  const { page, sent } = await openCheckout();
  // The one-time password reaches the issuer 1.5 s late (the browser may drop the frame's own
  // request once the window is gone: the test delivers it as the network would have).
  await page.route("**/sandbox/3ds/**", async (route) => {
    if (route.request().method() !== "POST") return route.continue();
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const response = await route.fetch();
    await route.fulfill({ response }).catch(() => {});
  });
  await typeCard(page, card("321"));
  await page.getByRole("button", { name: "Pay" }).click();
  const issuer = page.frameLocator("dialog iframe");
  await issuer.getByLabel("One-time password").fill("hint");
  await issuer.getByRole("button", { name: "Confirm" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Close" }).click();
  assert.match(await outcomeIs(page, "approved"), /^Approved/);
  const told = await page.evaluate(() => window.statusTexts);
  assert.ok(told.some((text) => CLOSED.test(text)), told.join(" | "));
  assert.equal(sent.sales, 1);
});

/** Records each 3-D Secure page the gateway's status answers name (its key is random). */
function issuerPagesOf(page) {
  const issuerPages = [];
  page.on("response", async (response) => {
    if (new URL(response.url()).pathname.endsWith("/status")) {
      const redirectUrl = (await response.json().catch(() => null))?.redirectUrl;
      if (redirectUrl && !issuerPages.includes(redirectUrl)) issuerPages.push(redirectUrl);
    }
  });
  return issuerPages;
}

/** The payer answers the issuer outside the checkout's window (a banking app). */
async function answerIssuer(url, password) {
  const answered = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: `password=${password}`,
    redirect: "manual",
  });
  assert.ok(answered.status < 400, `the issuer took the answer (${answered.status})`);
}

test("the window closed, then approved outside it (a banking app): the checkout sees the approval by itself, and nothing more is sent", async () => {
  const { page, sent } = await openCheckout();
  const issuerPages = issuerPagesOf(page);
  await typeCard(page, card("321"));
  await page.getByRole("button", { name: "Pay" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Close" }).click();
  await outcomeIs(page, "checkout.challenge_closed");
  await answerIssuer(issuerPages[0], "hint");
  assert.match(await outcomeIs(page, "approved"), /^Approved/);
  assert.equal(sent.sales, 1);
});

/** Where the order of `context`'s cookie stands, as the sandbox's merchant server says. */
async function orderOf(context) {
  const response = await context.request.get(new URL("/merchant/order", demo.server.url).href);
  return response.json();
}

test("attack: close the 3-D Secure window, pay again (the same page, a reload, a second tab), complete the first challenge afterwards: one approved invoice, and the payer sees the approval", { timeout: 90_000 }, async () => {
  const context = await demo.browser.newContext();
  try {
    const first = await openCheckout("", context);
    const issuerPages = issuerPagesOf(first.page);
    await typeCard(first.page, card("321"));
    await first.page.getByRole("button", { name: "Pay" }).click();
    await first.page.getByRole("dialog").getByRole("button", { name: "Close" }).click();
    await outcomeIs(first.page, "checkout.challenge_closed");
    // Pay again on the same page: nothing is sent.
    assert.equal(await first.page.getByRole("button", { name: /^Pay/ }).isDisabled(), true);
    await first.page.evaluate(() => document.getElementById("checkout").requestSubmit());
    // A second tab of the same order: told that a payment is pending, with the bank's window.
    const second = await openCheckout("", context);
    assert.match(await outcomeIs(second.page, "checkout.pending_until"), /^A payment for this order may still be approved by your bank until \d{1,2}:\d{2}/);
    assert.equal(await second.page.getByRole("button", { name: /^Pay/ }).isDisabled(), true);
    await second.page.evaluate(() => document.getElementById("checkout").requestSubmit());
    assert.equal(await second.page.getByRole("button", { name: "Reopen your bank's window" }).isVisible(), true);
    // The first page reloaded: the same.
    await first.page.reload();
    await first.page.waitForSelector("#checkout[data-ready='true']");
    await outcomeIs(first.page, "checkout.pending_until");
    await first.page.waitForTimeout(1_000);
    assert.equal(first.sent.sales + second.sent.sales, 1, "no second perform sale");
    // The first challenge completed afterwards, outside every window.
    await answerIssuer(issuerPages[0], "hint");
    for (const { page } of [first, second]) {
      assert.match(await outcomeIs(page, "approved"), /^Approved/);
    }
    assert.equal(first.sent.sales + second.sent.sales, 1);
    assert.equal((await orderOf(context)).status, "paid");
  } finally {
    await context.close();
  }
});

test("3-D Secure sale whose answer is lost on its way back: the shop's server names the bank's window, the payer completes it without a reload", { timeout: 60_000 }, async () => {
  const { page, problems, sent } = await openCheckout();
  await typeCard(page, card("321"));
  // The gateway takes the sale; a proxy on the way back loses its answer.
  await page.route((url) => PERFORM_SALE.test(url.pathname), async (route) => {
    await route.fetch();
    await route.fulfill({ status: 502, contentType: "text/html", body: "<html><body><h1>502 Bad Gateway</h1></body></html>" });
  });
  await page.getByRole("button", { name: /^Pay/ }).click();
  // The page cannot tell, and says so; the shop's server, asked about the order, knows the sale
  // waits for the bank: the payer is told so and gets the bank's window.
  assert.match(await outcomeIs(page, "checkout.pending_until"), /^A payment for this order may still be approved by your bank until/);
  const reopen = page.getByRole("button", { name: "Reopen your bank's window" });
  await reopen.click();
  const issuer = page.frameLocator("dialog iframe");
  await issuer.getByLabel("One-time password").fill("hint");
  await issuer.getByRole("button", { name: "Confirm" }).click();
  assert.match(await outcomeIs(page, "approved"), /^Approved/);
  assert.equal(sent.sales, 1, "one perform sale");
  const texts = await page.evaluate(() => window.statusTexts);
  assert.deepEqual(texts.filter((text) => /try again/i.test(text)), []);
  assert.deepEqual(unexpected(problems), []);
});

test("attack: a 502 after the gateway processed the sale, a reload, pay again: the page says the order is paid without a new perform sale", { timeout: 60_000 }, async () => {
  const context = await demo.browser.newContext();
  try {
    const { page, sent } = await openCheckout("", context);
    await typeCard(page, card("123"));
    // The gateway takes the sale; a proxy on the way back loses its answer.
    await page.route((url) => PERFORM_SALE.test(url.pathname), async (route) => {
      const response = await route.fetch();
      assert.equal(response.status(), 200, "the gateway accepted the sale");
      await route.fulfill({ status: 502, contentType: "text/html", body: "<html><body><h1>502 Bad Gateway</h1></body></html>" });
    });
    await page.getByRole("button", { name: /^Pay/ }).click();
    // The page says it cannot tell; asking the shop's server at once, it may already have learnt
    // the approval.
    await page.waitForFunction(() => ["sale.server_error", "approved"].includes(document.getElementById("checkout").dataset.outcome), null, { timeout: 20_000 });
    const salesBefore = sent.sales;
    assert.equal(salesBefore, 1);
    // The payer reloads at once and pays again.
    await page.reload();
    await page.waitForSelector("#checkout[data-ready='true']");
    assert.match(await outcomeIs(page, "approved"), /^Approved/, "the page learns from the server that the order is paid");
    assert.equal(await page.getByRole("button", { name: /^Pay/ }).isDisabled(), true);
    await page.evaluate(() => document.getElementById("checkout").requestSubmit());
    await page.waitForTimeout(1_000);
    assert.equal(sent.sales, 1, "no perform sale after the reload");
    assert.equal((await orderOf(context)).status, "paid");
  } finally {
    await context.close();
  }
});

/** Presses Pay and holds the perform sale on its way (signed, not yet at the gateway); resolves, once it is held, to what lets it go on. */
async function payHeld(page) {
  let release;
  let reached;
  const held = new Promise((resolve) => { release = resolve; });
  // Resolved by the route itself: waiting for the request event after the click could miss it on
  // a loaded machine (it can arrive before the click's promise settles).
  const atRoute = new Promise((resolve) => { reached = resolve; });
  await page.route(PERFORM_SALE, async (route) => { reached(); await held; await route.continue(); });
  await page.getByRole("button", { name: "Pay" }).click();
  await atRoute;
  return release;
}

test("two tabs of one order pay at once: the shop refuses the sale whose invoice the other's voided, and that tab ends in the other's approval", { timeout: 60_000 }, async () => {
  const context = await demo.browser.newContext();
  try {
    const first = await openCheckout("", context);
    await typeCard(first.page, card("123"));
    // The first tab's perform sale is held on its way (its invoice signed) while the second tab
    // pays: the second's invoice voids the first's, which no check sale had reached.
    const release = await payHeld(first.page);
    const second = await openCheckout("", context);
    await typeCard(second.page, card("123"));
    await second.page.getByRole("button", { name: "Pay" }).click();
    assert.match(await outcomeIs(second.page, "approved"), /^Approved/);
    // The first sale reaches check sale now, and the shop's server refuses it. The payer reads
    // that nothing of it was charged, then that the order is paid: not to try again later.
    release();
    assert.match(await outcomeIs(first.page, "approved"), /^Approved/);
    const said = await first.page.evaluate(() => window.statusTexts);
    assert.ok(said.some((text) => /problem on its side; nothing was charged/.test(text)), said.join(" | "));
    assert.equal(first.sent.sales + second.sent.sales, 2, "no third perform sale");
    assert.equal((await orderOf(context)).status, "paid");
  } finally {
    await context.close();
  }
});

test("another tab merely opening the checkout does not spoil this tab's payment (the question at mount signs nothing)", async () => {
  const first = await openCheckout();
  await typeCard(first.page, card("123"));
  // This tab's perform sale is held on its way (signed, not yet at the gateway) while a second
  // tab of the same order (the order's cookie) opens the checkout.
  const release = await payHeld(first.page);
  const context = await demo.browser.newContext();
  await context.addCookies(await first.page.context().cookies());
  const second = await context.newPage();
  await second.goto(demo.server.url);
  await second.waitForSelector("#checkout[data-ready]");
  await second.waitForLoadState("networkidle");
  release();
  assert.equal((await outcome(first.page)).code, "approved");
  assert.equal(first.sent.sales, 1);
  assert.deepEqual(first.problems, []);
  await context.close();
});
