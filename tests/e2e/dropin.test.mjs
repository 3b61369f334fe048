// The drop-in for real shops (issue 18) in Chromium against the sandbox: a saved card, update()
// without remounting, the styling states and their callbacks, and languages as imported tables.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { openDemo, useDemo } from "./support.mjs";

const demo = useDemo();

const PERFORM_SALE = /\/paynet\/dapi\/v1\/sale\/[^/]+\/[^/]+$/;

/** Every JSON body the page posts to `pattern`, parsed, as the page sends them. */
function bodiesTo(page, pattern) {
  const bodies = [];
  page.on("request", (request) => {
    if (request.method() === "POST" && pattern.test(new URL(request.url()).pathname)) bodies.push(JSON.parse(request.postData() ?? "null"));
  });
  return bodies;
}

/** Waits for the demo form's end and gives the outcome it marked. */
async function outcomeOf(page, selector = "#checkout") {
  await page.waitForSelector(`${selector}[data-outcome]`, { timeout: 20_000 });
  return page.getAttribute(selector, "data-outcome");
}

test("a saved card: the demo names it, asks only its security code, and pays by reference", async () => {
  const { page, problems } = await openDemo(demo.browser, new URL("/?saved=sandbox-visa-1111", demo.server.url).href);
  const sales = bodiesTo(page, PERFORM_SALE);
  assert.equal(await page.locator(".connpay-saved-card").textContent(), "Visa •••• 1111");
  for (const label of ["Card number", "Expiry date", "Name on card"]) {
    assert.equal(await page.getByLabel(label, { exact: true }).isVisible(), false, `${label} is not asked`);
  }
  assert.equal(await page.getAttribute("#checkout", "data-connpay-brand"), "visa");
  // A number the browser put back into the hidden input (autofill, a restored page) goes nowhere.
  await page.evaluate(() => { document.getElementById("card-number").value = "5555 5555 5555 4444"; });
  assert.equal(await page.getAttribute("#card-number", "class"), null, "a field not asked shows no state");
  // A Visa's code has three digits: a fourth is refused as typed.
  await page.getByLabel("Security code", { exact: true }).pressSequentially("1234");
  assert.equal(await page.getByLabel("Security code", { exact: true }).inputValue(), "123");
  await page.getByRole("button", { name: /^Pay/ }).click();
  assert.equal(await outcomeOf(page), "approved");
  assert.equal(sales.length, 1);
  assert.deepEqual(sales[0].sourceOfFunds, { reference: { clientCardId: "sandbox-visa-1111", securityCode: "123" } });
  assert.doesNotMatch(JSON.stringify(sales[0]), /4111|5555|"card"|"number"/);
  assert.deepEqual(problems, []);
});

test("a saved card on a form whose labels name their inputs by id (the README's markup): the labels of the fields not asked leave with them, until unmount", async () => {
  const { page, problems } = await openDemo(demo.browser, demo.server.url);
  await mountSecondForm(page, { extra: { savedCard: { clientCardId: "sandbox-visa-1111", brand: "visa", last4: "1111" } } });
  for (const field of ["number", "expiry", "holder"]) {
    assert.equal(await page.locator(`label[for="second-${field}"]`).isVisible(), false, `the ${field} label leaves with its input`);
  }
  assert.equal(await page.locator('label[for="second-cvv"]').isVisible(), true, "the security code's label stays");
  await page.evaluate(() => window.second.unmount());
  for (const field of ["number", "expiry", "cvv", "holder"]) {
    assert.equal(await page.locator(`label[for="second-${field}"]`).isVisible(), true, `the ${field} label is back after unmount`);
  }
  assert.deepEqual(problems, []);
});

/**
 * Adds a second card form to the demo page and mounts a checkout on it, recording its callbacks;
 * `extra` options are merged in, with the language tables named in `tables` imported first.
 */
async function mountSecondForm(page, { extra = {}, tables = [] } = {}) {
  await page.evaluate(async ({ extra, tables }) => {
    // The page's own form, if it made one already (with its own Pay button), else a new one.
    const form = document.getElementById("second") ?? document.body.appendChild(document.createElement("form"));
    const pay = form.querySelector("button") ?? '<button type="submit">Pay second</button>';
    form.id = "second";
    form.innerHTML = ["number", "expiry", "cvv", "holder"]
      .map((field) => `<label for="second-${field}">second ${field}</label><input id="second-${field}" data-connpay="${field}">`)
      .join("") + `<span id="second-brand" data-connpay="brand"></span>${typeof pay === "string" ? pay : pay.outerHTML}<p id="second-status" data-connpay="status"></p>`;
    const { mountCheckout } = await import("/pkg/connpay_checkout.js");
    const { shopCheckout } = await import("/shop-server.js");
    const locales = await Promise.all(tables.map(async (language) => (await import(`/pkg/locales/${language}.js`)).default));
    window.events = [];
    const record = (name) => (value) => window.events.push(value === undefined ? name : `${name}:${value}`);
    window.second = mountCheckout(form, {
      ...shopCheckout,
      pollIntervalMs: 250,
      onReady: record("ready"),
      onFocus: record("focus"),
      onBlur: record("blur"),
      onSubmit: () => {
        // While the sale is on its way, the order cannot change under it.
        try {
          window.second.update({ amountCentis: 9999 });
        } catch (error) {
          window.events.push(`update:${error.code}`);
        }
      },
      onSuccess: (result) => {
        window.events.push(`success:${result.invoiceId}:${result.amountCentis}`);
        form.dataset.outcome = "approved";
      },
      onError: (error) => { form.dataset.outcome = error.code; },
      ...extra,
      ...(locales.length ? { locales } : {}),
    });
  }, { extra, tables });
}

async function typeSecond(page, values) {
  for (const [field, value] of Object.entries(values)) await page.getByLabel(`second ${field}`, { exact: true }).pressSequentially(value);
}

test("update({ amountCentis: 2500 }) on a second form: getSession and the perform sale carry 2500, approved", async () => {
  let initiated;
  const { page, problems } = await openDemo(demo.browser, demo.server.url, {
    before: (page) => { initiated = bodiesTo(page, /\/merchant\/sale\/initiate-sale$/); },
  });
  const sales = bodiesTo(page, PERFORM_SALE);
  await mountSecondForm(page);
  await page.evaluate(() => window.second.update({ amountCentis: 2500 }));
  // A bad value changes nothing and says which.
  const refused = await page.evaluate(() => {
    try {
      window.second.update({ amountCentis: 2500, currency: "EURO" });
    } catch (error) {
      return [error.code, error.path];
    }
  });
  assert.deepEqual(refused, ["argument.invalid", "currency"]);
  await typeSecond(page, { number: "4111111111111111", expiry: "1230", cvv: "123", holder: "JOHN SMITH" });
  await page.getByRole("button", { name: "Pay second" }).click();
  assert.equal(await outcomeOf(page, "#second"), "approved");
  // Each checkout asked about the order when mounted (the demo's form, then this one, before the
  // update) only where it stands, signing nothing; Pay asked for a session of the updated amount.
  assert.deepEqual(initiated.map((body) => [body.transaction.amountCentis, body.transaction.currency]), [[2500, "EUR"]]);
  assert.deepEqual(sales.map((body) => body.transaction.amountCentis), [2500]);
  // Paid: the number and the code were emptied, and their classes say so.
  const numberClasses = await page.getAttribute("#second-number", "class");
  assert.match(numberClasses, /connpay-empty/);
  assert.doesNotMatch(numberClasses, /connpay-valid/);
  const events = await page.evaluate(() => window.events);
  assert.ok(events.includes("update:checkout.sale_in_flight"), events.join());
  assert.equal(events[0], "ready");
  assert.deepEqual(problems, []);
});

test("a Pay button the page disabled until the checkout is mounted: usable once mounted, disabled again after unmount", async () => {
  const { page, problems } = await openDemo(demo.browser, demo.server.url);
  await page.evaluate(() => {
    // As the README's markup has it: the form cannot submit before the module is ready.
    const form = document.createElement("form");
    form.id = "second";
    form.innerHTML = '<button type="submit" disabled>Pay second</button>';
    document.body.append(form);
  });
  await mountSecondForm(page);
  const pay = page.getByRole("button", { name: "Pay second" });
  assert.equal(await pay.isDisabled(), false, "mounted: Pay is usable");
  await page.evaluate(() => window.second.unmount());
  assert.equal(await pay.isDisabled(), true, "the page's own disabled is back");
  assert.deepEqual(problems, []);
});

test("the state classes follow focus and validity as the payer types, with onFocus and onBlur", async () => {
  const { page } = await openDemo(demo.browser, demo.server.url);
  await mountSecondForm(page);
  const number = page.getByLabel("second number", { exact: true });
  const classes = async () => ((await number.getAttribute("class")) ?? "").split(/\s+/).filter((name) => name.startsWith("connpay-")).sort();
  assert.deepEqual(await classes(), ["connpay-empty"]);
  await number.focus();
  assert.deepEqual(await classes(), ["connpay-empty", "connpay-focused"]);
  await number.pressSequentially("4111");
  assert.deepEqual(await classes(), ["connpay-focused"]);
  assert.equal(await page.getAttribute("#second", "data-connpay-brand"), "visa");
  await page.getByLabel("second expiry", { exact: true }).focus();
  // Left incomplete: marked invalid at the same moment as aria-invalid.
  assert.deepEqual(await classes(), ["connpay-invalid"]);
  assert.equal(await number.getAttribute("aria-invalid"), "true");
  await number.press("End");
  await number.pressSequentially("111111111111");
  assert.equal(await number.inputValue(), "4111 1111 1111 1111");
  assert.deepEqual(await classes(), ["connpay-focused", "connpay-valid"]);
  assert.equal(await number.getAttribute("aria-invalid"), "false");
  const events = await page.evaluate(() => window.events);
  assert.deepEqual(events.filter((event) => /^(focus|blur)/.test(event)), ["focus:number", "blur:number", "focus:expiry", "blur:expiry", "focus:number"]);
  // The live region spoke of the number when the payer left it; fixed, it says nothing stale.
  assert.equal(await page.textContent("#second-status"), "");
  assert.equal(await page.textContent("#second-brand"), "Visa");
  // Unmount takes the classes and the brand away with everything else.
  await page.evaluate(() => window.second.unmount());
  assert.equal(await number.getAttribute("class"), null, "the input had no class attribute, and has none again");
  assert.equal(await page.textContent("#second-brand"), "", "the brand's name goes with the checkout");
  assert.equal(await page.getAttribute("#second", "data-connpay-brand"), null);
});

const table = (language) => JSON.parse(readFileSync(new URL(`../../locales/${language}.json`, import.meta.url), "utf8")).messages;

test("languages: an imported table speaks for its language's regions; update() switches language", async () => {
  const { page, problems } = await openDemo(demo.browser, new URL("/?locale=de", demo.server.url).href);
  await page.getByRole("button", { name: /^Pay/ }).click();
  const numberError = () => page.locator('[data-connpay-error="number"]').textContent();
  assert.equal(await numberError(), table("de")["card.number.empty"]);
  await mountSecondForm(page, { extra: { locale: "de-AT" }, tables: ["fr", "de", "ru"] });
  await page.getByRole("button", { name: "Pay second" }).click();
  const secondError = () => page.locator("#second-number + .connpay-error").textContent();
  assert.equal(await secondError(), table("de")["card.number.empty"]);
  assert.equal(await page.textContent("#second-status"), table("de")["checkout.invalid"]);
  // The shown error, and what the live region said, are said again in the new language at once.
  await page.evaluate(() => window.second.update({ locale: "fr-CA" }));
  assert.equal(await secondError(), table("fr")["card.number.empty"]);
  assert.equal(await page.textContent("#second-status"), table("fr")["checkout.invalid"]);
  // A language the page imported no table for is English; Russian is a table like the others.
  await page.evaluate(() => window.second.update({ locale: "pt-BR" }));
  assert.equal(await secondError(), "Enter the card number.");
  await page.evaluate(() => window.second.update({ locale: "ru-RU" }));
  assert.equal(await secondError(), table("ru")["card.number.empty"]);
  const refused = await page.evaluate(async () => {
    const de = (await import("/pkg/locales/de.js")).default;
    try {
      window.second.update({ locale: { ...de, messages: { ...de.messages, "card.number.nope": "x" } } });
    } catch (error) {
      return error.code;
    }
  });
  assert.equal(refused, "argument.invalid");
  assert.deepEqual(problems, []);
});

test("a 3-D Secure sale approved after its window was closed reports its own amount; update() waits until it is final", async () => {
  const { page, problems } = await openDemo(demo.browser, demo.server.url);
  const sales = bodiesTo(page, PERFORM_SALE);
  const issuerPages = [];
  page.on("response", async (response) => {
    if (new URL(response.url()).pathname.endsWith("/status")) {
      const redirectUrl = (await response.json().catch(() => null))?.redirectUrl;
      if (redirectUrl) issuerPages.push(redirectUrl);
    }
  });
  await mountSecondForm(page);
  await typeSecond(page, { number: "4111111111111111", expiry: "1230", cvv: "321", holder: "JOHN SMITH" });
  await page.getByRole("button", { name: "Pay second" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Close" }).click();
  assert.equal(await outcomeOf(page, "#second"), "checkout.challenge_closed");
  // The shop changes the amount meanwhile: refused, since the closed challenge's sale may still
  // be approved (what is being paid cannot change under it).
  const refused = await page.evaluate(() => {
    try {
      window.second.update({ amountCentis: 2500 });
    } catch (error) {
      return error.code;
    }
  });
  assert.equal(refused, "checkout.sale_in_flight");
  // The payer approves in the banking app: the checkout sees it by itself.
  const approved = await fetch(issuerPages[0], { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: "password=hint", redirect: "manual" });
  assert.ok(approved.status < 400);
  await page.waitForSelector("#second[data-outcome='approved']", { timeout: 20_000 });
  const [first] = sales;
  assert.equal(sales.length, 1, "nothing more is sent");
  const events = await page.evaluate(() => window.events);
  const success = events.filter((event) => event.startsWith("success:"));
  assert.equal(success.length, 1, "onSuccess once");
  assert.equal(success[0].split(":")[2], String(first.transaction.amountCentis));
  assert.equal(success[0].split(":")[2], "1042");
  assert.deepEqual(problems, []);
});
