// The React example (examples/react) as a shop builds it: a copy outside the repository with the
// checkout package installed from its `npm pack` tarball, React from npm, bundled by Vite (the
// repository's) with the example's own vite.config.js, in a development build (StrictMode mounts
// every effect twice) and a production one. Each is served by the sandbox without /pkg/ (the bundle
// carries the module and its .wasm) and pays in Chromium after the shipping choice changed the
// amount: the checkout's update() must carry the new amount into initiate sale and perform sale.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { launchChromium, startServer } from "./support.mjs";

const repo = fileURLToPath(new URL("../..", import.meta.url));
const example = join(repo, "examples/react");
const scratch = mkdtempSync(join(tmpdir(), "connpay-react-"));
const sites = join(scratch, "sites");
const run = (command, args, cwd, env = {}) =>
  execFileSync(command, args, { cwd, env: { ...process.env, ...env }, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
const shared = { server: null, browser: null };

/** A perform sale (not its status): POST …/paynet/dapi/v1/sale/{endpointId}/{invoiceId}. */
const PERFORM_SALE = /^\/paynet\/dapi\/v1\/sale\/[^/]+\/[^/]+$/;
const BASE_CENTIS = 1042;
const EXPRESS_CENTIS = 500;

/** `vite build` of the copied example, by the repository's Vite, into sites/{name}. */
function viteBuild(app, name, nodeEnv) {
  try {
    run(join(repo, "node_modules/.bin/vite"), ["build", "--outDir", join(sites, name), "--emptyOutDir", "--logLevel", "warn"], app, {
      NODE_ENV: nodeEnv,
    });
  } catch (error) {
    assert.fail(`vite build (${name}) failed:\n${error.stdout}${error.stderr}`);
  }
}

before(async () => {
  const [packed] = JSON.parse(run("npm", ["pack", join(repo, "pkg"), "--json", "--pack-destination", scratch], repo));
  // The example as it is in the repository, but for what an install there leaves behind.
  const app = join(scratch, "app");
  cpSync(example, app, {
    recursive: true,
    filter: (source) => !/[/\\](node_modules|dist|package-lock\.json)$/.test(source),
  });
  const manifest = JSON.parse(readFileSync(join(app, "package.json"), "utf8"));
  assert.equal(manifest.dependencies["connpay-checkout"], "file:../../pkg", "the example installs the package built in pkg/");
  manifest.dependencies["connpay-checkout"] = `file:../${packed.filename}`;
  // The repository's Vite builds it (its devDependency would only install the same again).
  delete manifest.devDependencies;
  writeFileSync(join(app, "package.json"), JSON.stringify(manifest, null, 2));
  // React from npm's cache (the workspace installs the same version); the tarball needs nothing.
  run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline"], app);

  viteBuild(app, "development", "development");
  viteBuild(app, "production", "production");

  // No /pkg/: an empty folder stands in for it, so that a bundle reaching for it would fail.
  const noPkg = join(scratch, "no-pkg");
  mkdirSync(noPkg);
  const binary = join(repo, "target/debug/connpay-sandbox");
  shared.server = await startServer(binary, ["--addr", "127.0.0.1:0", "--www", sites, "--pkg", noPkg], {}, 10_000);
  shared.browser = await launchChromium();
});

after(async () => {
  await shared.browser?.close();
  await shared.server?.stop();
  if (!process.env.KEEP_SCRATCH) rmSync(scratch, { recursive: true, force: true });
});

/**
 * Opens a built page with everything the test watches: console errors, page errors and CSP
 * violations (`problems`), the requests it sends, and how often a checkout was mounted on and
 * unmounted from the form, seen from outside: mountCheckout sets `autocomplete="cc-number"` on a
 * number input that has none, and unmount() takes it away again.
 */
async function openShop(name) {
  const page = await shared.browser.newPage();
  const problems = [];
  const requests = [];
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) =>
      console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`),
    );
    window.checkoutMounts = { mounted: 0, unmounted: 0 };
    new MutationObserver((records) => {
      for (const record of records) {
        // Only the value before each change is on the record (the attribute may have changed
        // again since): none before means mount set it, "cc-number" before means unmount took it.
        if (record.target.dataset?.connpay !== "number") continue;
        if (record.oldValue === null) window.checkoutMounts.mounted += 1;
        if (record.oldValue === "cc-number") window.checkoutMounts.unmounted += 1;
      }
    }).observe(document, { subtree: true, attributes: true, attributeFilter: ["autocomplete"], attributeOldValue: true });
  });
  page.on("pageerror", (error) => problems.push(`pageerror: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console: ${message.text()} ${message.location().url}`);
  });
  page.on("response", (response) => {
    if (response.status() >= 400) problems.push(`${response.status()}: ${new URL(response.url()).pathname}`);
  });
  page.on("request", (request) => {
    const url = new URL(request.url());
    requests.push({ path: url.pathname, method: request.method(), body: request.postData() });
  });
  await page.goto(`${shared.server.url}${name}/`);
  await page.waitForSelector('#checkout [data-connpay="number"][autocomplete="cc-number"]', { timeout: 15_000 });
  return { page, problems, requests };
}

/** The JSON bodies of the requests to paths matching `pattern`. */
const bodies = (requests, pattern) =>
  requests.filter((request) => request.method === "POST" && pattern.test(request.path)).map((request) => JSON.parse(request.body));

/** The sandbox's Visa, a future expiry, `cvv` (123 approves, 116 declines) and a name. */
async function fillCard(page, cvv) {
  const number = page.getByLabel("Card number");
  await number.pressSequentially("4111111111111111");
  assert.equal(await number.inputValue(), "4111 1111 1111 1111", "the checkout formats the uncontrolled input, once");
  const nextYear = String((new Date().getFullYear() + 1) % 100).padStart(2, "0");
  await page.getByLabel("Expiry date").pressSequentially(`12${nextYear}`);
  await page.getByLabel("Security code").pressSequentially(cvv);
  await page.getByLabel("Name on card").pressSequentially("JOHN SMITH");
}

test("the example uses no plugin and no registry but npm's, and its README says why the inputs are uncontrolled", () => {
  const manifest = JSON.parse(readFileSync(join(example, "package.json"), "utf8"));
  assert.equal(manifest.private, true);
  assert.deepEqual(Object.keys(manifest.dependencies).sort(), ["connpay-checkout", "react", "react-dom"]);
  assert.match(manifest.dependencies.react, /^\^19\./);
  assert.match(manifest.dependencies["react-dom"], /^\^19\./);
  assert.deepEqual(Object.keys(manifest.devDependencies), ["vite"]);
  const component = readFileSync(join(example, "src/Checkout.jsx"), "utf8");
  const cardInputs = component.match(/<input[^>]*data-connpay="(number|expiry|cvv|holder)"[^>]*>/g) ?? [];
  assert.equal(cardInputs.length, 4, "the four card inputs, with data-connpay");
  for (const input of cardInputs) {
    assert.ok(!/\b(value|defaultValue|onChange|name)=/.test(input), `a card input is controlled or named: ${input}`);
  }
  assert.ok(/return \(\) => \{[^}]*checkout\.unmount\(\)/.test(component), "the effect's cleanup does not unmount");
  assert.ok(component.includes(".update({ amountCentis })"), "a new amount does not go to update()");
  assert.ok(readFileSync(join(example, "src/main.jsx"), "utf8").includes("<StrictMode>"), "main.jsx renders no <StrictMode>");
  const readme = readFileSync(join(example, "README.md"), "utf8");
  for (const topic of ["uncontrolled", "caret", "StrictMode", "checkout.already_mounted", "update(", "connpay-sandbox"]) {
    assert.ok(readme.includes(topic), `the README does not cover ${topic}`);
  }
});

test("the bundles carry the module and its .wasm: nothing is left to /pkg/", () => {
  for (const name of ["development", "production"]) {
    const assets = readdirSync(join(sites, name, "assets"));
    assert.ok(assets.some((file) => file.endsWith(".wasm")), `${name}: no .wasm among ${assets}`);
    assert.doesNotMatch(readFileSync(join(sites, name, "index.html"), "utf8"), /\/pkg\//);
  }
});

for (const [name, mounts] of [
  // StrictMode in development: mount, unmount (the cleanup), mount again on the same form.
  ["development", { mounted: 2, unmounted: 1 }],
  ["production", { mounted: 1, unmounted: 0 }],
]) {
  test(`${name} build: express shipping updates the mounted checkout, and the sale pays the new amount`, { timeout: 60_000 }, async () => {
    const { page, problems, requests } = await openShop(name);
    try {
      assert.deepEqual(await page.evaluate(() => window.checkoutMounts), mounts);
      assert.equal(await page.getByTestId("total").textContent(), "€10.42");

      await page.getByLabel("Express shipping").check();
      assert.equal(await page.getByTestId("total").textContent(), "€15.42");
      // update() changed the checkout in place: nothing was mounted again.
      assert.deepEqual(await page.evaluate(() => window.checkoutMounts), mounts);

      await fillCard(page, "123");
      await page.getByRole("button", { name: "Pay" }).click();
      await page.waitForSelector("#checkout[data-outcome]", { timeout: 20_000 });

      assert.equal(await page.locator("#checkout").getAttribute("data-outcome"), "approved");
      assert.match(await page.getByTestId("outcome").textContent(), /^Approved: €15\.42 paid/);
      const amount = BASE_CENTIS + EXPRESS_CENTIS;
      const initiated = bodies(requests, /^\/merchant\/sale\/initiate-sale$/);
      // The checkout asked about the order once when mounted (StrictMode's first mount, unmounted
      // at once, asks nothing), then Pay asked for a session of the updated amount.
      assert.deepEqual(initiated.map((body) => body.transaction), [{ amountCentis: BASE_CENTIS, currency: "EUR" }, { amountCentis: amount, currency: "EUR" }]);
      const sales = bodies(requests, PERFORM_SALE);
      assert.equal(sales.length, 1, "one perform sale");
      assert.equal(sales[0].transaction.amountCentis, amount);
      assert.equal(sales[0].transaction.currency, "EUR");
      // The order is paid: its amount cannot change any more.
      assert.equal(await page.getByLabel("Express shipping").isDisabled(), true);
      assert.deepEqual(requests.filter((request) => request.path.startsWith("/pkg/")), []);
      assert.ok(requests.some((request) => /^\/[^/]+\/assets\/[^/]+\.wasm$/.test(request.path)), "the .wasm came from the bundle");
      assert.deepEqual(problems, []);
    } finally {
      await page.close();
    }
  });
}

test("development build: the shipping choice is closed while a sale is on its way, a decline opens it, and the retry pays the new amount", { timeout: 60_000 }, async () => {
  const { page, problems, requests } = await openShop("development");
  try {
    // Hold getSession's initiate sale until the page was looked at mid-sale.
    let release;
    const held = new Promise((resolve) => { release = resolve; });
    await page.route("**/merchant/sale/initiate-sale", async (route) => {
      await held;
      await route.continue();
    });
    await fillCard(page, "116");
    await page.getByRole("button", { name: "Pay" }).click();
    // (A disabled <fieldset> disables its inputs without setting their `disabled`.)
    await page.waitForFunction(() => document.querySelector("input[value=express]").matches(":disabled"));
    assert.equal(await page.getByRole("button", { name: "Pay" }).isDisabled(), true);
    // Were the choice open anyway, update() would refuse (checkout.sale_in_flight) and the choice
    // would go back to the amount being paid.
    await page.evaluate(() => document.querySelector("fieldset.shipping").removeAttribute("disabled"));
    await page.getByLabel("Express shipping").click();
    await page.getByRole("alert").waitFor();
    assert.equal(await page.getByRole("alert").textContent(), "The order cannot change now (checkout.sale_in_flight).");
    assert.equal(await page.getByLabel("Standard shipping").isChecked(), true);
    assert.equal(await page.getByTestId("total").textContent(), "€10.42");
    release();
    await page.waitForSelector("#checkout[data-outcome]", { timeout: 20_000 });
    assert.equal(await page.locator("#checkout").getAttribute("data-outcome"), "sale.declined");
    assert.match(await page.getByTestId("outcome").textContent(), /sale\.declined/);

    // Nothing was charged: the order may change, and the next attempt pays what it became.
    await page.getByLabel("Express shipping").check();
    assert.equal(await page.getByTestId("total").textContent(), "€15.42");
    const cvv = page.getByLabel("Security code");
    await cvv.fill("");
    await cvv.pressSequentially("123");
    await page.getByRole("button", { name: "Pay" }).click();
    await page.waitForSelector('#checkout[data-outcome]:not([data-outcome="sale.declined"])', { timeout: 20_000 });
    assert.equal(await page.locator("#checkout").getAttribute("data-outcome"), "approved");

    const amounts = (pattern) => bodies(requests, pattern).map((body) => body.transaction.amountCentis);
    // The first is the question the checkout asked when mounted.
    assert.deepEqual(amounts(/^\/merchant\/sale\/initiate-sale$/), [BASE_CENTIS, BASE_CENTIS, BASE_CENTIS + EXPRESS_CENTIS]);
    assert.deepEqual(amounts(PERFORM_SALE), [BASE_CENTIS, BASE_CENTIS + EXPRESS_CENTIS]);
    assert.deepEqual(await page.evaluate(() => window.checkoutMounts), { mounted: 2, unmounted: 1 });
    assert.deepEqual(problems, []);
  } finally {
    await page.close();
  }
});
