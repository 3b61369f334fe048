// SECURITY.md's Subresource Integrity recipe, as a merchant's page would use it under a strict
// CSP: the glue and the page shell it imports pinned by the import map's `integrity`, the .wasm by `fetch(…, { integrity })`
// handed to `init`. With the right digests the module runs; with a wrong one it does not.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readdirSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { useDemo } from "./support.mjs";

const demo = useDemo();

const digest = (bytes, algorithm = "sha384") => `${algorithm}-${createHash(algorithm).update(bytes).digest("base64")}`;
const packaged = (file) => readFile(new URL(`../../pkg/${file}`, import.meta.url));
const WRONG = digest(Buffer.from("not the file"));
/** The page shell the glue imports: wasm-bindgen names its folder after the crate's hash. */
const SHELL = `snippets/${readdirSync(new URL("../../pkg/snippets/", import.meta.url))[0]}/shell/checkout.js`;

/** The merchant's script: imports the module by its name, fetches the .wasm with its digest. */
const checkoutScript = (wasmIntegrity) => `
  try {
    const { default: init, Gateway } = await import("connpay-checkout");
    try {
      await init({ module_or_path: fetch("/pkg/connpay_checkout_bg.wasm", { integrity: ${JSON.stringify(wasmIntegrity)} }) });
      document.body.dataset.state = new Gateway("sandbox").baseUrl.startsWith("https://") ? "running" : "wrong answer";
    } catch {
      document.body.dataset.state = "init refused";
    }
  } catch {
    document.body.dataset.state = "import refused";
  }
`;

/** Opens the merchant's page (served on the sandbox's origin) with the given digests. */
async function openWith({ glue, shell, wasm }) {
  const importMap = JSON.stringify({
    imports: { "connpay-checkout": "/pkg/connpay_checkout.js" },
    integrity: { "/pkg/connpay_checkout.js": glue, [`/pkg/${SHELL}`]: shell },
  });
  const policy = `default-src 'none'; script-src 'self' 'wasm-unsafe-eval' '${digest(importMap, "sha256")}'; connect-src 'self'`;
  const page = await demo.browser.newPage();
  const violations = [];
  page.on("console", (message) => message.text().includes("Content Security Policy") && violations.push(message.text()));
  await page.route(`${demo.server.url}sri/**`, (route) => {
    const path = new URL(route.request().url()).pathname;
    if (path.endsWith("/checkout.js")) return route.fulfill({ contentType: "text/javascript", body: checkoutScript(wasm) });
    return route.fulfill({
      contentType: "text/html",
      headers: { "content-security-policy": policy },
      body: `<!doctype html><title>shop</title><script type="importmap">${importMap}</script><script type="module" src="checkout.js"></script>`,
    });
  });
  await page.goto(`${demo.server.url}sri/index.html`);
  await page.waitForSelector("body[data-state]", { state: "attached", timeout: 10_000 });
  const state = await page.getAttribute("body", "data-state");
  await page.close();
  return { state, violations };
}

test("with the digests of the packaged files the module loads and runs", async () => {
  const digests = {
    glue: digest(await packaged("connpay_checkout.js")),
    shell: digest(await packaged(SHELL)),
    wasm: digest(await packaged("connpay_checkout_bg.wasm")),
  };
  assert.deepEqual(await openWith(digests), { state: "running", violations: [] });
});

test("a glue that does not match its digest is not imported", async () => {
  const [shell, wasm] = [digest(await packaged(SHELL)), digest(await packaged("connpay_checkout_bg.wasm"))];
  assert.equal((await openWith({ glue: WRONG, shell, wasm })).state, "import refused");
});

test("a page shell that does not match its digest is not imported, and the glue with it", async () => {
  const [glue, wasm] = [digest(await packaged("connpay_checkout.js")), digest(await packaged("connpay_checkout_bg.wasm"))];
  assert.equal((await openWith({ glue, shell: WRONG, wasm })).state, "import refused");
});

test("a .wasm that does not match its digest is not instantiated", async () => {
  const [glue, shell] = [digest(await packaged("connpay_checkout.js")), digest(await packaged(SHELL))];
  assert.equal((await openWith({ glue, shell, wasm: WRONG })).state, "init refused");
});
