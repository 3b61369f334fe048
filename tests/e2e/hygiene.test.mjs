// Card-data hygiene: a payer pays with a known American Express number and security code, once
// refused by an injected 500 and once approved; then every place a page script, an extension or a
// crash report could read is searched for them: console, page errors, the callbacks' arguments,
// storage, cookies, IndexedDB, the URL and history, the DOM's attributes, and the module's memory.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { useDemo } from "./support.mjs";

const demo = useDemo();

const PAN = "378282246310005";
const CVV = "1234";
/** The first 6 and the last 4 digits are what a masked number may show. */
const SHOWN_FIRST = 6;
const SHOWN_LAST = 4;
const PERFORM_SALE = /\/paynet\/dapi\/v1\/sale\/[^/]+\/[^/]+$/;

/** Every run of SHOWN_FIRST + 1 consecutive digits of the PAN: showing one is showing too much. */
const panWindows = () => {
  const windows = [];
  for (let start = 0; start + SHOWN_FIRST + 1 <= PAN.length; start++) windows.push(PAN.slice(start, start + SHOWN_FIRST + 1));
  return windows;
};

/** The problems of one text: a run of the PAN longer than a mask shows, the CVV, a wide mask. */
function leaks(where, text, { cvv = true } = {}) {
  const found = [];
  // Separators a formatter may insert between digits do not hide them.
  const digits = text.replace(/(?<=\d)[\s-]+(?=\d)/g, "");
  const window = panWindows().find((run) => digits.includes(run));
  if (window) found.push(`${where}: PAN digits ${window} in ${JSON.stringify(text.slice(0, 200))}`);
  if (cvv && new RegExp(`(?<!\\d)${CVV}(?!\\d)`).test(text)) found.push(`${where}: the CVV in ${JSON.stringify(text.slice(0, 200))}`);
  // A masked number: digits, four or more mask characters, digits (a hex "0x3594" is not one).
  for (const [masked] of text.matchAll(/\d[\d\s-]*(?:[*•·xX#][\s-]*){4,}[\d\s-]*\d/g)) {
    const [, first, last] = masked.replace(/[\s-]/g, "").match(/^(\d*).*?(\d*)$/);
    if (first.length > SHOWN_FIRST || last.length > SHOWN_LAST) found.push(`${where}: the masked number ${masked} shows too much`);
  }
  return found;
}

/** Every attribute of every element, as `tag#id attribute=value`. */
const attributes = (page) =>
  page.evaluate(() =>
    [...document.querySelectorAll("*")].flatMap((element) =>
      [...element.attributes].map((attribute) => `${element.localName}#${element.id} ${attribute.name}=${attribute.value}`),
    ),
  );

/** Offsets of `text` (as UTF-8) in the module's memory, with a digit on neither side. */
const inMemory = (page, text) =>
  page.evaluate((needle) => {
    const bytes = new Uint8Array(window.connpayMemory.buffer);
    const pattern = new TextEncoder().encode(needle);
    const isDigit = (byte) => byte >= 0x30 && byte <= 0x39;
    const offsets = [];
    for (let at = bytes.indexOf(pattern[0]); at >= 0; at = bytes.indexOf(pattern[0], at + 1)) {
      let same = true;
      for (let i = 1; i < pattern.length && same; i++) same = bytes[at + i] === pattern[i];
      if (same && !isDigit(bytes[at - 1]) && !isDigit(bytes[at + pattern.length])) offsets.push(at);
    }
    return offsets;
  }, text);

/** Everything the page keeps: storage, cookies, IndexedDB, its URL and history. */
const kept = (page) =>
  page.evaluate(async () => {
    const databases = [];
    for (const { name } of (await indexedDB.databases?.()) ?? []) {
      const db = await new Promise((resolve, reject) => Object.assign(indexedDB.open(name), { onsuccess: (e) => resolve(e.target.result), onerror: reject }));
      for (const store of db.objectStoreNames) {
        const rows = await new Promise((resolve) => {
          const request = db.transaction(store).objectStore(store).getAll();
          request.onsuccess = () => resolve(request.result);
        });
        databases.push({ name, store, rows });
      }
    }
    return {
      localStorage: JSON.stringify({ ...localStorage }),
      sessionStorage: JSON.stringify({ ...sessionStorage }),
      cookie: document.cookie,
      indexedDB: JSON.stringify(databases),
      url: location.href,
      history: JSON.stringify({ length: history.length, state: history.state }),
    };
  });

/** The recorded callback arguments, errors with their message, stack and own properties. */
const callbacks = (page) =>
  page.evaluate(() => {
    const plain = (value) =>
      value instanceof Error
        ? { message: value.message, stack: value.stack, string: String(value), ...Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)])) }
        : value && typeof value === "object"
          ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]))
          : value;
    return window.recorded.map(({ name, value }) => ({ name, value: JSON.stringify(plain(value)) ?? String(value) }));
  });

test("a known PAN and CVV leave no trace in logs, callbacks, storage, the URL, the DOM or the module's memory", async () => {
  const context = await demo.browser.newContext();
  const page = await context.newPage();
  const logged = [];
  page.on("console", (message) => logged.push(`console.${message.type()}: ${message.text()}`));
  page.on("pageerror", (error) => logged.push(`pageerror: ${error.message}\n${error.stack}`));
  const urls = [];
  page.on("request", (request) => urls.push(request.url()));
  const script = await readFile(new URL("hygiene/recording-shop.js", import.meta.url), "utf8");
  await page.route("**/demo.js", (route) => route.fulfill({ contentType: "text/javascript", body: script }));
  await page.goto(demo.server.url);
  await page.waitForSelector("#checkout[data-ready='true']");
  const attributesBefore = new Set(await attributes(page));
  const cvvInMemoryBefore = new Set(await inMemory(page, CVV));

  const card = { "Card number": PAN, "Expiry date": "1230", "Security code": CVV, "Name on card": "JOHN SMITH" };
  for (const [label, value] of Object.entries(card)) await page.getByLabel(label, { exact: true }).pressSequentially(value);
  const ended = () => page.waitForSelector("#checkout:not([data-outcome='pending'])[data-outcome]", { timeout: 20_000 });
  // First refused, so that an error object reaches onError while the card is in the form.
  await page.route((url) => PERFORM_SALE.test(url.pathname), (route) =>
    route.continue({ headers: { ...route.request().headers(), "x-sandbox-fault": "status=500" } }),
  );
  await page.getByRole("button", { name: /^Pay/ }).click();
  await ended();
  assert.equal(await page.getAttribute("#checkout", "data-outcome"), "sale.server_error");
  // The 500 came before the gateway: the shop's server voids the invoice and lets the payer pay again.
  await page.waitForSelector("#checkout[data-settled]", { timeout: 10_000 });
  await page.unrouteAll();
  await page.getByRole("button", { name: /^Pay/ }).click();
  await ended();
  assert.equal(await page.getAttribute("#checkout", "data-outcome"), "approved");

  const problems = [];
  const recorded = await callbacks(page);
  assert.ok(recorded.some(({ name }) => name === "onError") && recorded.some(({ name }) => name === "onSuccess"), "both ends were recorded");
  assert.match(recorded.find(({ name }) => name === "onSuccess").value, /"last4":"0005"/);
  for (const { name, value } of recorded) problems.push(...leaks(`callback ${name}`, value));
  for (const line of logged) problems.push(...leaks("log", line));
  for (const [where, text] of Object.entries(await kept(page))) problems.push(...leaks(where, text));
  problems.push(...leaks("cookies", JSON.stringify(await context.cookies())));
  problems.push(...leaks("page URL", page.url()));
  for (const url of urls) problems.push(...leaks("request URL", url));
  for (const attribute of await attributes(page)) {
    // An attribute that was there before the payer typed (such as the placeholder 1234 1234 …)
    // holds no card data; anything new or changed is searched.
    if (!attributesBefore.has(attribute)) problems.push(...leaks("DOM attribute", attribute));
  }
  problems.push(...leaks("page text", await page.evaluate(() => document.body.innerText), { cvv: false }));

  // The module's memory: no run of the PAN's digits, plain or as the field shows it, and no CVV
  // standing alone that was not there before the payer typed (the module's own data).
  for (const run of [...panWindows(), "3782 822463 10005", "3782 822463", "822463 10005"]) {
    const offsets = await inMemory(page, run);
    if (offsets.length) problems.push(`memory: ${JSON.stringify(run)} at ${offsets.slice(0, 5).join(", ")}`);
  }
  const cvvAfter = (await inMemory(page, CVV)).filter((offset) => !cvvInMemoryBefore.has(offset));
  if (cvvAfter.length) problems.push(`memory: the CVV at ${cvvAfter.slice(0, 5).join(", ")}`);
  assert.deepEqual(problems, []);
  await context.close();
});

test("the leak finder finds a PAN however it is spaced, the CVV alone, and a mask that shows too much", () => {
  assert.equal(leaks("t", `card ${PAN}`).length, 1);
  assert.equal(leaks("t", "3782 822463 10005").length, 1);
  assert.equal(leaks("t", "3782-8224-6310-005").length, 1);
  assert.equal(leaks("t", `cvv=${CVV}`).length, 1);
  assert.equal(leaks("t", "378282•••••0005").length, 0);
  assert.equal(leaks("t", "3782822••••0005").length, 2); // 7 leading digits: a PAN run and a wide mask
  assert.equal(leaks("t", "3782 82•• •••• 0005").length, 0);
  assert.equal(leaks("t", "3782 82•• •••• 10005").length, 1);
  assert.equal(leaks("t", "amex 0005, amount 1042, 12/30, at wasm-function[12]:0x35946").length, 0);
});
