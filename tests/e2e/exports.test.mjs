// The package's entry points (scripts/entries.mjs) as built in pkg/: each one's exports map, the
// functions its generated .d.ts declares (and tsc --strict on it), and what a call before init()
// throws. (Hostile calls through the glue are in hostile.test.mjs.)
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { DEVELOPMENT_DIR, ENTRIES } from "../../scripts/entries.mjs";

const root = fileURLToPath(new URL("../..", import.meta.url));
const pkg = (file) => `${root}pkg/${file}`;
const manifest = JSON.parse(readFileSync(pkg("package.json"), "utf8"));

const VALIDATORS = {
  validateCardNumber: "(value: string): CardNumberResult",
  detectBrand: "(value: string): BrandInfo | null",
  formatCardNumber: "(value: string): string",
  validateExpiry: "(value: string, today?: YearMonth | Date | null): ExpiryResult",
  validateCvv: "(value: string, brandId?: BrandId | null): CvvResult",
  validateHolder: "(holder: HolderInput | string): HolderResult",
  validateCard: "(card: CardInput, today?: YearMonth | Date | null): CardResult",
};
/** Each entry point's functions, as its .d.ts must declare them: these and no others. */
const EXPORTS = {
  // The drop-in alone: its fields validate themselves, and a page that also wants the validators
  // imports connpay-checkout/validate (BENCHMARKS.md: 3 KB gzip the drop-in's page no longer loads).
  ".": {
    mountCheckout: "(form: HTMLFormElement | string, options: CheckoutOptions): Checkout",
  },
  "./gateway": {
    ...VALIDATORS,
    validatePerformSale: "(request: PerformSale, today?: YearMonth | Date | null): RequestValidation",
    performSale: "(gateway: Gateway | string, request: PerformSale, options?: RequestOptions | null): Promise<SaleOutcome>",
    saleStatus:
      "(gateway: Gateway | string, endpointId: string, invoiceId: string, session: StatusTokens, options?: RequestOptions | null): Promise<SaleStatusOutcome>",
    waitForFinalState:
      "(gateway: Gateway | string, endpointId: string, invoiceId: string, session: StatusTokens, options?: WaitOptions | null): Promise<FinalSaleStatus>",
    collectBrowserInfo: "(options?: BrowserInfoOptions | null): BrowserInfo",
  },
  "./validate": VALIDATORS,
  "./v2": {
    ...VALIDATORS,
    validateV2Sale: "(request: V2SaleRequest, today?: YearMonth | Date | null): RequestValidation",
    buildV2SaleForm: "(request: V2SaleRequest, control: string): V2SaleForm",
    parseV2Response: "(body: string): V2Response",
    collectBrowserInfo: "(options?: BrowserInfoOptions | null): BrowserInfo",
  },
};

/** Each entry point's classes, as its .d.ts must declare them: the drop-in's machine is its shell's, not a page's. */
const CLASSES = { ".": ["Gateway"], "./gateway": ["Gateway", "SaleSession"], "./validate": [], "./v2": [] };

test("package.json exports each entry point with its types, its development build and its production build", () => {
  assert.deepEqual(ENTRIES.map(({ subpath }) => subpath).sort(), Object.keys(EXPORTS).sort());
  for (const { subpath, name } of ENTRIES) {
    const entry = manifest.exports[subpath];
    assert.deepEqual(Object.keys(entry), ["types", "development", "default"], `${subpath}: types first, default last`);
    assert.deepEqual(entry, { types: `./${name}.d.ts`, development: `./${DEVELOPMENT_DIR}/${name}.js`, default: `./${name}.js` });
    for (const file of [...Object.values(entry), `./${name}_bg.wasm`, `./${DEVELOPMENT_DIR}/${name}_bg.wasm`]) {
      assert.ok(existsSync(pkg(file)), `${subpath}: ${file}`);
    }
    assert.equal(manifest.exports[`./${name}_bg.wasm`], `./${name}_bg.wasm`);
  }
});

test("each entry point's .d.ts types exactly its exports, with named types and no any", async () => {
  for (const { subpath, name } of ENTRIES) {
    const dts = await readFile(pkg(`${name}.d.ts`), "utf8");
    // wasm-bindgen's InitOutput describes the raw wasm exports for its loader; the public API is
    // everything else.
    const publicApi = dts.replace(/export interface InitOutput \{[\s\S]*?\n\}\n/, "");
    const untyped = publicApi.split("\n").filter((line) => /\bany\b/.test(line.replace(/\/\/.*|^\s*\*.*/, "")));
    assert.deepEqual(untyped, [], `${subpath}: declarations typed any`);
    const declared = [...publicApi.matchAll(/^export function (\w+)\(/gm)].map(([, fn]) => fn).filter((fn) => fn !== "initSync");
    assert.deepEqual(declared.sort(), Object.keys(EXPORTS[subpath]).sort(), subpath);
    const classes = [...publicApi.matchAll(/^export class (\w+)/gm)].map(([, name]) => name);
    assert.deepEqual(classes.sort(), CLASSES[subpath], `${subpath}: classes`);
    for (const [fn, signature] of Object.entries(EXPORTS[subpath])) {
      assert.ok(publicApi.includes(`export function ${fn}${signature};`), `${subpath}: ${fn}${signature}`);
    }
    for (const type of ["BrandInfo", "CardNumberResult", "ExpiryResult", "HolderResult", "CardResult", "ConnPayError", "ConnPayErrorCode"]) {
      assert.match(publicApi, new RegExp(`export (interface|type) ${type}\\b`), `${subpath}: ${type}`);
    }
  }
  const main = await readFile(pkg("connpay_checkout.d.ts"), "utf8");
  for (const type of [
    "PerformSale", "PerformSaleRequest", "SaleOutcome", "SaleStatus", "FinalSaleStatus", "FieldError", "GatewayError", "WaitOptions",
    "BrowserInfo", "BrowserInfoOptions", "V2SaleRequest", "V2SaleForm", "V2Response", "V2ResponseType",
    "CheckoutOptions", "CheckoutState", "CheckoutSuccess", "CheckoutSession", "SessionRequest", "CheckoutSelectors",
    "CheckoutMessageKey", "CheckoutErrorCode",
  ]) {
    assert.match(main, new RegExp(`export (interface|type) ${type}\\b`));
  }
});

test("tsc --strict compiles each entry point's .d.ts, production and development", () => {
  const files = ENTRIES.flatMap(({ name }) => [pkg(`${name}.d.ts`), pkg(`${DEVELOPMENT_DIR}/${name}.d.ts`)]);
  // No skipLibCheck: declaration files are exactly what is checked.
  const compilerOptions = { strict: true, noEmit: true, target: "ES2022", module: "ESNext", moduleResolution: "bundler", lib: ["ES2022", "DOM", "DOM.Iterable", "ESNext.Disposable"], types: [] };
  const project = join(mkdtempSync(join(tmpdir(), "connpay-dts-")), "tsconfig.json");
  writeFileSync(project, JSON.stringify({ compilerOptions, files }));
  try {
    execFileSync(`${root}node_modules/.bin/tsc`, ["-p", project], { encoding: "utf8" });
  } catch (error) {
    assert.fail(`tsc failed:\n${error.stdout}${error.stderr}`);
  }
});

test("tsc --strict checks the page shell (shell/checkout.js, // @ts-check, with shell/tsconfig.json)", () => {
  try {
    execFileSync(`${root}node_modules/.bin/tsc`, ["-p", `${root}shell/tsconfig.json`], { encoding: "utf8" });
  } catch (error) {
    assert.fail(`tsc failed:\n${error.stdout}${error.stderr}`);
  }
});

/** Two calls into an entry point's .wasm: two validators, or the drop-in's Gateway and mountCheckout. */
const firstCalls = (module) =>
  module.validateCardNumber
    ? [() => module.validateCardNumber("4111 1111 1111 1111"), () => module.formatCardNumber("4111")]
    : [() => new module.Gateway("sandbox"), () => module.mountCheckout("form", {})];

/** Whether an initialised entry point answers: a validator's result, or the Gateway's URL. */
const answers = (module) =>
  module.validateCardNumber ? module.validateCardNumber("4111 1111 1111 1111").valid : new module.Gateway("sandbox").baseUrl.startsWith("https://");

test("a call before init() throws a ConnPayError that says to await init(), in every entry point and build", async () => {
  for (const { subpath, name } of ENTRIES) {
    for (const file of [`${name}.js`, `${DEVELOPMENT_DIR}/${name}.js`]) {
      // A fresh copy of the module each time (the query makes it another module), never initialised.
      const module = await import(`${pkg(file)}?before-init`);
      for (const call of firstCalls(module)) {
        assert.throws(call, (error) => {
          assert.equal(error.name, "ConnPayError", `${subpath} ${file}`);
          assert.equal(error.code, "init.required");
          assert.match(error.message, /await init\(\)/);
          return true;
        });
      }
    }
  }
  const { SaleSession } = await import(`${pkg("gateway.js")}?class-before-init`);
  assert.throws(() => new SaleSession("sandbox"), { name: "ConnPayError", code: "init.required" });
});

test("after init() the same module answers, and init() a second time resolves to the same instance", async () => {
  for (const { name } of ENTRIES) {
    const module = await import(`${pkg(`${name}.js`)}?after-init`);
    const first = module.initSync({ module: readFileSync(pkg(`${name}_bg.wasm`)) });
    assert.equal(answers(module), true, name);
    assert.equal(await module.default(), first, name);
  }
});
