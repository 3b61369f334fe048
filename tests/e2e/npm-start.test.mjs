// `npm start` as a new user types it: it builds the package and starts the sandbox, and the page
// it serves loads the module with no CSP violation or error.
import { test } from "node:test";
import assert from "node:assert/strict";
import { launchChromium, openDemo, startServer } from "./support.mjs";

test("npm start builds the package, starts the sandbox, and its page loads the module cleanly", { timeout: 600_000 }, async () => {
  const server = await startServer("npm", ["start"], { CONNPAY_SANDBOX_ADDR: "127.0.0.1:0" }, 540_000);
  const browser = await launchChromium();
  try {
    const { page, problems } = await openDemo(browser, server.url);
    await page.getByLabel("Card number").pressSequentially("4111111111111111");
    assert.equal(await page.getByLabel("Card number").inputValue(), "4111 1111 1111 1111");
    assert.equal(await page.locator("[data-connpay=brand]").textContent(), "Visa");
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
    await server.stop();
  }
});
