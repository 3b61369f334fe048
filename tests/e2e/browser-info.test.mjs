// collectBrowserInfo() in the demo page under time zones set through the browser driver
// (Chromium's Emulation.setTimezoneOverride, via playwright's `timezoneId`).
import { test } from "node:test";
import assert from "node:assert/strict";
import { openDemo, useDemo } from "./support.mjs";

const demo = useDemo();

/** Collects in a fresh context emulating `timezoneId`; also returns what the page itself reads. */
async function collectIn(timezoneId) {
  const context = await demo.browser.newContext({ timezoneId });
  try {
    const { page, problems } = await openDemo(context, demo.server.url);
    const result = await page.evaluate(async () => {
      const module = await import("/pkg/gateway.js");
      // The gateway calls' entry point is a module of its own, with its own .wasm.
      await module.default();
      return {
        info: module.collectBrowserInfo({ acceptHeader: "text/html,*/*;q=0.8", ipAddress: "203.0.113.7" }),
        pageOffset: new Date().getTimezoneOffset(),
        zone: Intl.DateTimeFormat().resolvedOptions().timeZone,
      };
    });
    assert.deepEqual(problems, []);
    return result;
  } finally {
    await context.close();
  }
}

test("America/New_York is 300 minutes west of UTC, or 240 in summer time", async () => {
  const { info, pageOffset, zone } = await collectIn("America/New_York");
  assert.equal(zone, "America/New_York");
  assert.ok([300, 240].includes(info.timeZone), `got ${info.timeZone}`);
  assert.equal(info.timeZone, pageOffset);
});

test("Asia/Tokyo is -540", async () => {
  const { info, zone } = await collectIn("Asia/Tokyo");
  assert.equal(zone, "Asia/Tokyo");
  assert.equal(info.timeZone, -540);
});

test("UTC is 0, and the rest of the data is complete and within /api/v2/sale's lengths", async () => {
  const { info } = await collectIn("UTC");
  assert.equal(info.timeZone, 0);
  assert.equal(info.javascriptEnabled, true);
  assert.equal(info.javaEnabled, false);
  assert.ok([1, 4, 8, 15, 16, 24, 32, 48].includes(info.colorDepth));
  assert.ok(info.screenWidth > 0 && String(info.screenWidth).length <= 6);
  assert.ok(info.screenHeight > 0 && String(info.screenHeight).length <= 6);
  assert.ok(info.acceptLanguage.length >= 2 && info.acceptLanguage.length <= 8);
  assert.ok(info.userAgent.length > 0 && info.userAgent.length <= 2048);
  assert.equal(info.acceptHeader, "text/html,*/*;q=0.8");
  assert.equal(info.ipAddress, "203.0.113.7");
});
