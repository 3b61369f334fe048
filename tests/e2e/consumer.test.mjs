// The package as a merchant gets it: `npm pack` of pkg/, installed from the tarball into a scratch
// project outside the repository, type-checked with tsc, bundled by Vite and also loaded without a
// bundler, and mounted by a React component under StrictMode; in Chromium each page validates a
// card and completes a sandbox sale.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "vite";
import { DEVELOPMENT_DIR, ENTRIES } from "../../scripts/entries.mjs";
import { launchChromium, openDemo, startDemoServer } from "./support.mjs";

const repo = fileURLToPath(new URL("../..", import.meta.url));
const fixtures = fileURLToPath(new URL("consumer/", import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), "connpay-consumer-"));
const run = (command, args, cwd) => execFileSync(command, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
const shared = { tarball: null, manifest: null, server: null, browser: null };

/** The page's files, with the shop script's package imports rewritten to `specifier` and `validators`. */
function writePage(dir, specifier, validators = `${specifier}/validate`) {
  mkdirSync(dir, { recursive: true });
  copyFileSync(join(fixtures, "index.html"), join(dir, "index.html"));
  for (const file of ["shop-server.js", "favicon.svg"]) copyFileSync(join(repo, "www", file), join(dir, file));
  const script = readFileSync(join(fixtures, "shop.js"), "utf8");
  const imports = script.replace('from "connpay-checkout"', `from "${specifier}"`).replace('from "connpay-checkout/validate"', `from "${validators}"`);
  writeFileSync(join(dir, "shop.js"), imports);
}

/** The React page: its component and the shop's server calls. */
function writeReactPage(dir) {
  mkdirSync(dir, { recursive: true });
  copyFileSync(join(fixtures, "react.html"), join(dir, "index.html"));
  copyFileSync(join(fixtures, "react-shop.js"), join(dir, "react-shop.js"));
  for (const file of ["shop-server.js", "favicon.svg"]) copyFileSync(join(repo, "www", file), join(dir, file));
}

/** React's version, the one the workspace installs (so that npm finds it in its cache). */
const REACT = JSON.parse(readFileSync(join(repo, "package.json"), "utf8")).devDependencies.react;

before(async () => {
  const [packed] = JSON.parse(run("npm", ["pack", join(repo, "pkg"), "--json", "--pack-destination", scratch], repo));
  shared.tarball = packed;
  writeFileSync(join(scratch, "package.json"), JSON.stringify({ name: "a-merchants-shop", private: true, type: "module" }));
  // The shop's server package beside it, as a shop has both (the typed example hands one's
  // answers to the other).
  const [server] = JSON.parse(run("npm", ["pack", join(repo, "pkg-server"), "--json", "--pack-destination", scratch], repo));
  // The tarballs have no dependencies, so this needs no registry.
  run("npm", ["install", "--no-audit", "--no-fund", "--offline", `./${packed.filename}`, `./${server.filename}`], scratch);
  shared.manifest = JSON.parse(readFileSync(join(scratch, "node_modules/connpay-checkout/package.json"), "utf8"));

  copyFileSync(join(repo, "examples/typed-usage.ts"), join(scratch, "typed-usage.ts"));
  copyFileSync(join(fixtures, "tsconfig.json"), join(scratch, "tsconfig.json"));

  // Bundled: Vite resolves "connpay-checkout" from the scratch project's node_modules.
  writePage(join(scratch, "vite-src"), "connpay-checkout");
  await build({
    root: join(scratch, "vite-src"),
    base: "./",
    configFile: false,
    logLevel: "warn",
    build: { outDir: join(scratch, "bundled"), emptyOutDir: true },
  });
  // React, as a shop adds it; a development build, so that StrictMode mounts every effect twice.
  run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", `react@${REACT}`, `react-dom@${REACT}`], scratch);
  writeReactPage(join(scratch, "react-src"));
  await build({
    root: join(scratch, "react-src"),
    base: "./",
    configFile: false,
    logLevel: "warn",
    mode: "development",
    define: { "process.env.NODE_ENV": JSON.stringify("development") },
    build: { outDir: join(scratch, "react"), emptyOutDir: true, minify: false },
  });
  // Unbundled: the page imports the installed file by its path.
  writePage(join(scratch, "unbundled"), "/node_modules/connpay-checkout/connpay_checkout.js", "/node_modules/connpay-checkout/validate.js");

  shared.server = await startDemoServer(scratch);
  shared.browser = await launchChromium();
});

after(async () => {
  await shared.browser?.close();
  await shared.server?.stop();
  if (!process.env.KEEP_SCRATCH) rmSync(scratch, { recursive: true, force: true });
});

test("the tarball holds the module, its types, the README, SECURITY.md and the licences, and declares how to load them", () => {
  // The modules an entry's glue imports (wasm-bindgen's snippets: the drop-in's page shell) are
  // checked by no-signing.test.mjs; here, that every entry point is whole, in both builds.
  const files = shared.tarball.files.map((file) => file.path).filter((path) => !/(^|\/)snippets\//.test(path)).sort();
  const languages = ["de", "es", "fr", "it", "kk", "pl", "pt", "ru", "tr", "uk"];
  const entryFiles = ENTRIES.flatMap(({ name }) => [`${name}.d.ts`, `${name}.js`, `${name}_bg.wasm`, `${name}_bg.wasm.d.ts`]);
  assert.deepEqual(files, [
    "LICENSE-APACHE", "LICENSE-MIT", "README.md", "SECURITY.md", "checkout.css",
    ...entryFiles, ...entryFiles.map((file) => `${DEVELOPMENT_DIR}/${file}`),
    ...languages.flatMap((language) => [`locales/${language}.d.ts`, `locales/${language}.js`]),
    "package.json",
  ].sort());
  const manifest = shared.manifest;
  for (const field of ["name", "version", "description", "license", "repository", "keywords", "types", "exports", "files"]) {
    assert.ok(manifest[field], `package.json lacks ${field}`);
  }
  assert.equal(manifest.name, "connpay-checkout");
  // Only the stylesheet does something when imported.
  assert.deepEqual(manifest.sideEffects, ["./checkout.css"]);
  assert.deepEqual(manifest.exports["./locales/*"], { types: "./locales/*.d.ts", default: "./locales/*.js" });
  assert.deepEqual(manifest.exports["."], { types: "./connpay_checkout.d.ts", development: `./${DEVELOPMENT_DIR}/connpay_checkout.js`, default: "./connpay_checkout.js" });
  assert.equal(manifest.exports["./connpay_checkout_bg.wasm"], "./connpay_checkout_bg.wasm");
  const readme = readFileSync(join(scratch, "node_modules/connpay-checkout/README.md"), "utf8");
  for (const topic of ["npm install connpay-checkout", "mountCheckout(", "validateCardNumber(", "'wasm-unsafe-eval'", "acceptHeader", "ipAddress"]) {
    assert.ok(readme.includes(topic), `the README does not cover ${topic}`);
  }
  const types = readFileSync(join(scratch, "node_modules/connpay-checkout/connpay_checkout.d.ts"), "utf8");
  assert.doesNotMatch(types, /\bany\b/, "a shipped type is `any`");
});

test("tsc --noEmit --strict compiles the typed usage example against the installed package", () => {
  const tsc = join(repo, "node_modules/.bin/tsc");
  try {
    run(tsc, ["--noEmit", "-p", scratch], scratch);
  } catch (error) {
    assert.fail(`tsc failed:\n${error.stdout}${error.stderr}`);
  }
});

/** With the number typed: a future expiry, CVV 123, a name, Pay, and the outcome. */
async function payTheRest(page) {
  const nextYear = String((new Date().getFullYear() + 1) % 100).padStart(2, "0");
  await page.getByLabel("Expiry date").pressSequentially(`12${nextYear}`);
  await page.getByLabel("Security code").pressSequentially("123");
  await page.getByLabel("Name on card").pressSequentially("JOHN SMITH");
  await page.getByRole("button", { name: "Pay" }).click();
  await page.waitForSelector("#checkout[data-outcome]", { timeout: 20_000 });
}

for (const [name, path] of [["bundled by Vite", "bundled/"], ["unbundled, in a plain <script type=module>", "unbundled/"]]) {
  test(`${name}: the page validates a card and completes a sandbox sale`, { timeout: 60_000 }, async () => {
    const { page, problems } = await openDemo(shared.browser, `${shared.server.url}${path}`);
    const form = page.locator("#checkout");
    assert.equal(await form.getAttribute("data-luhn"), "true card.number.luhn");
    assert.equal(await form.getAttribute("data-validators"), "false amex 3782 822463 10005 card.cvv.incomplete");
    const number = page.getByLabel("Card number");
    await number.pressSequentially("4111111111111112");
    assert.equal(await number.inputValue(), "4111 1111 1111 1112");
    await page.getByLabel("Expiry date").focus();
    assert.equal(await number.getAttribute("aria-invalid"), "true");
    await number.fill("");
    await number.pressSequentially("4111111111111111");
    assert.notEqual(await number.getAttribute("aria-invalid"), "true");
    await payTheRest(page);
    assert.equal(await form.getAttribute("data-outcome"), "approved visa 1111");
    assert.match(await page.getByRole("status").textContent(), /^Approved/);
    assert.deepEqual(problems, []);
  });
}

test("React under StrictMode: mounted in an effect and unmounted in its cleanup, one checkout pays once, and a re-mount after approval sends nothing", { timeout: 60_000 }, async () => {
  const { page, problems } = await openDemo(shared.browser, `${shared.server.url}react/`);
  const sent = { sales: 0, sessions: 0 };
  page.on("request", (request) => {
    const path = new URL(request.url()).pathname;
    if (/\/paynet\/dapi\/v1\/sale\/[^/]+\/[^/]+$/.test(path)) sent.sales += 1;
    if (path.endsWith("/initiate-sale")) sent.sessions += 1;
  });
  // StrictMode ran the effect, its cleanup, and the effect again: the second mount found the
  // form free again.
  assert.deepEqual(await page.evaluate(() => window.effects), { mounted: 2, unmounted: 1 });
  assert.equal(await page.locator(".connpay-error").count(), 4, "one error text per field, not two");
  const number = page.getByLabel("Card number");
  await number.pressSequentially("4111111111111111");
  assert.equal(await number.inputValue(), "4111 1111 1111 1111", "formatted once");
  await payTheRest(page);
  assert.equal(await page.locator("#checkout").getAttribute("data-outcome"), "approved visa 1111");
  // The approval re-rendered the component, whose effect mounted the checkout again on the same
  // form: that checkout starts approved, and no submit sends a second sale.
  await page.waitForFunction(() => window.effects.mounted > 2);
  assert.equal(await page.getByRole("button", { name: "Pay" }).isDisabled(), true);
  assert.match(await page.getByRole("status").textContent(), /^Approved/);
  await page.evaluate(() => document.getElementById("checkout").requestSubmit());
  await page.waitForTimeout(1_000);
  assert.deepEqual(sent, { sales: 1, sessions: 1 });
  assert.deepEqual(problems, []);
});
