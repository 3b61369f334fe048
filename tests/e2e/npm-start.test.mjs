// `npm start` as a new user types it: it builds the package and starts the sandbox; on the page it
// serves, a payer buys with 4111 1111 1111 1111 and CVV 123 and sees "Approved", with no CSP
// violation or error.
import { test } from "node:test";
import assert from "node:assert/strict";
import { launchChromium, openDemo, startServer } from "./support.mjs";

test("npm start serves the checkout, and a payer buys with 4111 1111 1111 1111 and sees Approved", { timeout: 600_000 }, async () => {
  const server = await startServer("npm", ["start"], { CONNPAY_SANDBOX_ADDR: "127.0.0.1:0" }, 540_000);
  const browser = await launchChromium();
  try {
    const { page, problems } = await openDemo(browser, server.url);
    // The payer buys: the card through the labels, a future expiry, CVV 123, a name, then Pay.
    await page.getByLabel("Card number").pressSequentially("4111111111111111");
    assert.equal(await page.getByLabel("Card number").inputValue(), "4111 1111 1111 1111");
    assert.equal(await page.locator("[data-connpay=brand]").textContent(), "Visa");
    const nextYear = String((new Date().getFullYear() + 1) % 100).padStart(2, "0");
    await page.getByLabel("Expiry date").pressSequentially(`12${nextYear}`);
    await page.getByLabel("Security code").pressSequentially("123");
    await page.getByLabel("Name on card").pressSequentially("JOHN SMITH");
    await page.getByRole("button", { name: /^Pay/ }).click();
    await page.getByRole("status").filter({ hasText: /^Approved/ }).waitFor({ timeout: 20_000 });
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
    await server.stop();
  }
});
