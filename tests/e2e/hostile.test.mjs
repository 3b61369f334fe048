// Hostile calls from JavaScript (tests/e2e/hostile/suite.js) in Chromium and in Firefox: every
// export, every hostile value, a result or a coded Error, never a RuntimeError, and the module
// still answering afterwards.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launchChromium, startDemoServer, withFirefox } from "./support.mjs";

let server;
before(async () => {
  server = await startDemoServer("tests/e2e/hostile");
});
after(() => server?.stop());

/** What every run must show: no failure, every export covered, the module still answering. */
function check(report) {
  assert.deepEqual(report.failures, []);
  assert.deepEqual(report.uncovered, [], "every export is in the suite's CALLS");
  assert.ok(report.calls > 900, `${report.calls} calls`);
  assert.equal(report.after.number.valid, true);
  assert.equal(report.after.number.brand, "visa");
  assert.equal(report.after.formatted, "4111 1111 1111 1111");
  assert.equal(report.after.validators, true);
  assert.equal(report.after.javascriptEnabled, true);
  assert.equal(report.after.gateway, "https://sandbox.connpay.com");
}

test("Chromium: every export survives hostile values and answers afterwards", async () => {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(server.url);
    await page.waitForSelector("body[data-ready='true']");
    check(await page.evaluate(() => window.runHostileSuite()));
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});

test("Firefox: every export survives hostile values and answers afterwards", async () => {
  const report = await withFirefox(server.url, (session) => session.executeAsync("window.runHostileSuite()"));
  check(report);
});

/** What the cases of values JSON cannot carry must show (hostile/unjson.js; Node runs them too). */
function checkUnjson(report) {
  assert.deepEqual(report.failures, []);
  assert.ok(report.checked > 150, `${report.checked} cases`);
}

test("Chromium: values JSON cannot carry are refused at their own path with a code", async () => {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.goto(server.url);
    await page.waitForSelector("body[data-ready='true']");
    checkUnjson(await page.evaluate(() => window.runUnjsonCases()));
  } finally {
    await browser.close();
  }
});

test("Firefox: values JSON cannot carry are refused at their own path with a code", async () => {
  checkUnjson(await withFirefox(server.url, (session) => session.executeAsync("window.runUnjsonCases()")));
});
