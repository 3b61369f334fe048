// The development build (the package's `development` export condition, pkg/development/) against
// the production build: the developer's words in errors and the console's warnings are in the
// first only. In Node for the errors, in Chromium on the demo's page for the drop-in's warning.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { DEVELOPMENT_DIR, ENTRIES } from "../../scripts/entries.mjs";
import { openDemo, useDemo } from "./support.mjs";

const demo = useDemo();
const pkg = fileURLToPath(new URL("../../pkg/", import.meta.url));
const [main] = ENTRIES;
const gateway = ENTRIES.find(({ subpath }) => subpath === "./gateway");

/** The gateway calls' entry point's module of one build, initialised. */
async function load(dir) {
  const module = await import(`${pkg}${dir}${gateway.name}.js`);
  module.initSync({ module: readFileSync(`${pkg}${dir}${gateway.name}_bg.wasm`) });
  return module;
}

test("a coded error says what its code means in the development build, and names the code in production", async () => {
  const rejection = async (module) => module.performSale("sandbox", {}).then(() => assert.fail("resolved"), (error) => error);
  const development = await rejection(await load(`${DEVELOPMENT_DIR}/`));
  const production = await rejection(await load(""));
  for (const error of [development, production]) {
    assert.equal(error.name, "ConnPayError");
    assert.equal(error.code, "request.invalid");
    assert.ok(error.errors.length > 0, "every problem is listed in both builds");
  }
  assert.match(development.message, /^The request is not valid/);
  assert.match(production.message, /^request\.invalid: see this error's code in connpay-checkout's README/);
});

/** Mounts a second checkout on the demo's page with `locale`, from the given build; the console's warnings. */
async function warningsOfMount(dir, locale) {
  const { page, problems } = await openDemo(demo.browser, demo.server.url);
  const warnings = [];
  page.on("console", (message) => message.type() === "warning" && warnings.push(message.text()));
  await page.evaluate(
    async ({ path, locale }) => {
      const form = document.createElement("form");
      form.innerHTML = ["number", "expiry", "cvv", "holder"].map((field) => `<input aria-label="${field}" data-connpay="${field}">`).join("");
      document.body.append(form);
      const { default: init, mountCheckout } = await import(path);
      await init();
      const { shopCheckout } = await import("/shop-server.js");
      mountCheckout(form, { ...shopCheckout, locale }).unmount();
    },
    { path: `/pkg/${dir}${main.name}.js`, locale },
  );
  await page.close();
  assert.deepEqual(problems, []);
  return warnings;
}

test("a locale with no table is named in a warning by the development build only", async () => {
  const [warning, ...more] = await warningsOfMount(`${DEVELOPMENT_DIR}/`, "xx-YY");
  assert.match(warning ?? "", /^connpay-checkout: no table for locale "xx-YY": the checkout speaks English/);
  assert.deepEqual(more, []);
  assert.deepEqual(await warningsOfMount(`${DEVELOPMENT_DIR}/`, "de-AT").then((warnings) => warnings.filter((text) => text.includes("connpay"))), [
    'connpay-checkout: no table for locale "de-AT": the checkout speaks English. Import the language\'s table (connpay-checkout/locales/<language>) and pass it as locale, or in locales.',
  ]);
  assert.deepEqual(await warningsOfMount(`${DEVELOPMENT_DIR}/`, "en-GB"), [], "English needs no table");
  assert.deepEqual(await warningsOfMount("", "xx-YY"), [], "the production build says nothing");
});
