// The demo checkout's accessibility in Chromium: axe-core finds no serious or critical violation
// when the page is empty, when fields are marked invalid, and when the sale is finished; and a
// payer using the keyboard alone can fill the form, pay, and pass 3-D Secure.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { openDemo, useDemo } from "./support.mjs";

const demo = useDemo();
const axeSource = await readFile(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** axe-core's serious and critical violations on the page as it is now. */
async function seriousViolations(page) {
  // Evaluated by the test driver, not loaded by the page: the page's CSP stays as it is.
  await page.evaluate(axeSource);
  const results = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
  return results.violations
    .filter((violation) => ["serious", "critical"].includes(violation.impact))
    .map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(" ")).join(", ")}`);
}

/** Presses Tab until `id` has the focus; fails after `limit` presses. */
async function tabTo(page, id, limit = 12) {
  for (let presses = 0; presses < limit; presses++) {
    await page.keyboard.press("Tab");
    if ((await page.evaluate(() => document.activeElement?.id)) === id) return;
  }
  assert.fail(`Tab never reached #${id}`);
}

test("axe-core: no serious or critical violation when empty, invalid, and finished", async () => {
  const { page, problems } = await openDemo(demo.browser, demo.server.url);
  assert.deepEqual(await seriousViolations(page), [], "empty");

  await page.getByRole("button", { name: /^Pay/ }).click();
  assert.equal(await page.getByLabel("Card number").getAttribute("aria-invalid"), "true");
  assert.deepEqual(await seriousViolations(page), [], "invalid");

  for (const [label, value] of [["Card number", "4111111111111111"], ["Expiry date", "1230"], ["Security code", "123"], ["Name on card", "JOHN SMITH"]]) {
    await page.getByLabel(label).pressSequentially(value);
  }
  await page.getByRole("button", { name: /^Pay/ }).click();
  await page.waitForSelector("#checkout[data-outcome='approved']", { timeout: 20_000 });
  assert.deepEqual(await seriousViolations(page), [], "finished");
  assert.deepEqual(problems, []);
});

test("the keyboard alone fills the form, pays, and passes 3-D Secure", async () => {
  const { page, problems } = await openDemo(demo.browser, demo.server.url);
  await tabTo(page, "card-number");
  await page.keyboard.type("4111111111111111");
  await page.keyboard.press("Tab");
  await page.keyboard.type("1230");
  await page.keyboard.press("Tab");
  await page.keyboard.type("321");
  await page.keyboard.press("Tab");
  await page.keyboard.type("JOHN SMITH");
  await page.keyboard.press("Tab");
  assert.match(await page.evaluate(() => document.activeElement.textContent), /Pay/);
  await page.keyboard.press("Enter");

  // The issuer's page opens in a modal window: Tab reaches its password field.
  await page.getByRole("dialog").waitFor({ timeout: 15_000 });
  const issuer = page.frameLocator("dialog iframe");
  for (let presses = 0; presses < 8; presses++) {
    if (await issuer.getByLabel("One-time password").evaluate((input) => input === document.activeElement && document.hasFocus())) break;
    await page.keyboard.press("Tab");
  }
  await page.keyboard.type("hint");
  await page.keyboard.press("Enter");
  await page.waitForSelector("#checkout[data-outcome='approved']", { timeout: 20_000 });
  assert.match(await page.getByRole("status").textContent(), /^Approved/);
  assert.deepEqual(problems, []);
});

test("Tab reaches the 3-D Secure window's Close; Escape there closes it (the sale goes on), and the keyboard reopens the bank's window", async () => {
  const { page, problems } = await openDemo(demo.browser, demo.server.url);
  for (const [label, value] of [["Card number", "4111111111111111"], ["Expiry date", "1230"], ["Security code", "321"], ["Name on card", "JOHN SMITH"]]) {
    await page.getByLabel(label).pressSequentially(value);
  }
  await page.getByLabel("Name on card").press("Enter");
  await page.getByRole("dialog").waitFor({ timeout: 15_000 });
  // The issuer's page takes the focus (its own autofocus); the window's button is a Tab away.
  for (let presses = 0; presses < 8; presses++) {
    await page.keyboard.press("Tab");
    if ((await page.evaluate(() => document.activeElement?.textContent)) === "Close") break;
  }
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), "Close");
  await page.keyboard.press("Escape");
  await page.waitForSelector("#checkout[data-outcome='checkout.challenge_closed']", { timeout: 20_000 });
  assert.equal(await page.getByRole("button", { name: /^Pay/ }).isDisabled(), true, "the sale may still be approved");
  // The focus lands on the button that opens the bank's window again.
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), "Reopen your bank's window");
  await page.keyboard.press("Enter");
  await page.getByRole("dialog").waitFor({ timeout: 15_000 });
  const issuer = page.frameLocator("dialog iframe");
  await issuer.getByLabel("One-time password").waitFor();
  for (let presses = 0; presses < 8; presses++) {
    if (await issuer.getByLabel("One-time password").evaluate((input) => input === document.activeElement && document.hasFocus())) break;
    await page.keyboard.press("Tab");
  }
  await page.keyboard.type("wrong");
  await page.keyboard.press("Enter");
  await page.waitForSelector("#checkout[data-outcome='sale.declined']", { timeout: 20_000 });
  assert.equal(await page.getByRole("button", { name: /^Pay/ }).isEnabled(), true);
  assert.deepEqual(problems, []);
});
