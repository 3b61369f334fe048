// Every export of the module called with values no type allows, the way a careless or hostile
// page could call it. Each call must return a result or throw (or reject with) an Error that has
// a `code`; a WebAssembly.RuntimeError (a panic) or an Error without a code is a failure. Then the
// module must still answer normally. Run in Chromium (Playwright) and Firefox (WebDriver) by
// hostile.test.mjs through `window.runHostileSuite()`.
import init, * as checkout from "/pkg/connpay_checkout.js";
import initGateway, * as gateway from "/pkg/gateway.js";
import initV2, * as v2 from "/pkg/v2.js";
// The validators' own entry point: its JavaScript reads the values, its lean .wasm answers in numbers.
import initValidators, * as validators from "/pkg/validate.js";
// Three entry points, each its own module: the drop-in's, the gateway calls' and the /api/v2 builder's.
const connpay = { ...checkout, ...gateway, ...v2 };
import { run as runUnjson } from "./unjson.js";

const MEGABYTE = 1 << 20;
const hostileObject = () => new Proxy({}, { get() { throw new Error("a getter that throws"); }, has() { throw new Error("has"); }, ownKeys() { throw new Error("ownKeys"); } });
const withThrowingGetters = () => Object.defineProperties({}, Object.fromEntries(
  ["number", "expiry", "cvv", "holder", "sourceOfFunds", "session", "transaction", "consumer", "amount", "gateway", "getSession", "signal", "timeoutMs"]
    .map((key) => [key, { enumerable: true, get() { throw new Error(`${key} throws`); } }]),
));

/** The hostile values, named for the report. */
export const VALUES = {
  "undefined": () => undefined,
  "null": () => null,
  "0": () => 0,
  "-1": () => -1,
  "1e308": () => 1e308,
  "NaN": () => NaN,
  "Infinity": () => -Infinity,
  "4111111111111111 (number)": () => 4111111111111111,
  "true": () => true,
  "10n": () => 10n,
  "Symbol": () => Symbol("s"),
  "[]": () => [],
  "['4111']": () => ["4111"],
  "{}": () => ({}),
  "a function": () => () => "4111",
  "a Proxy whose traps throw": hostileObject,
  "a revoked Proxy": () => { const { proxy, revoke } = Proxy.revocable({}, {}); revoke(); return proxy; },
  "a Proxy of a Date": () => new Proxy(new Date(), {}),
  "getters that throw": withThrowingGetters,
  "an object whose toString throws": () => ({ toString() { throw new Error("toString"); }, valueOf() { throw new Error("valueOf"); } }),
  "\"\"": () => "",
  "1 MB of digits": () => "4".repeat(MEGABYTE),
  "1 MB of multi-byte text": () => "é€😀".repeat(MEGABYTE / 8),
  "1 MB of JSON-like text": () => "{\"a\":[".repeat(MEGABYTE / 6),
  "a lone high surrogate": () => "\uD800",
  "a lone low surrogate in digits": () => "4111\uDC00 1111 1111 1111",
  "lone surrogates, 1 MB": () => "\uD83D".repeat(MEGABYTE / 2),
  "NUL and controls": () => "\u0000\u0007\u001b[0m\r\n",
  "a Date": () => new Date(NaN),
};

const TODAY = { year: 2026, month: 11 };
const checkoutOptions = () => ({ gateway: location.origin, amountCentis: 100, currency: "EUR", consumer: { email: "a@b.cd" }, getSession() {} });
/** A detached card form that mountCheckout accepts. */
const cardForm = () => {
  const form = document.createElement("form");
  form.innerHTML = '<input data-connpay="number"><input data-connpay="expiry"><input data-connpay="cvv"><input data-connpay="holder">';
  return form;
};

/** Each export (and class member), and how a hostile value `v` is passed to it. */
export const CALLS = {
  validateCardNumber: [(v) => connpay.validateCardNumber(v)],
  detectBrand: [(v) => connpay.detectBrand(v)],
  formatCardNumber: [(v) => connpay.formatCardNumber(v)],
  validateExpiry: [(v) => connpay.validateExpiry(v, TODAY), (v) => connpay.validateExpiry("12/27", v)],
  validateCvv: [(v) => connpay.validateCvv(v, v), (v) => connpay.validateCvv("123", v)],
  validateHolder: [(v) => connpay.validateHolder(v), (v) => connpay.validateHolder({ firstName: v, lastName: v, printedName: v })],
  validateCard: [(v) => connpay.validateCard(v, TODAY), (v) => connpay.validateCard({ number: v, expiry: v, cvv: v, holder: v }, TODAY), (v) => connpay.validateCard({}, v)],
  "validate.js": [
    (v) => validators.validateCardNumber(v),
    (v) => validators.detectBrand(v),
    (v) => validators.formatCardNumber(v),
    (v) => validators.validateExpiry(v, TODAY),
    (v) => validators.validateExpiry("12/27", v),
    (v) => validators.validateCvv(v, v),
    (v) => validators.validateHolder(v),
    (v) => validators.validateHolder({ firstName: v, lastName: v, printedName: v }),
    (v) => validators.validateCard(v, v),
    (v) => validators.validateCard({ number: v, expiry: v, cvv: v, holder: v }, TODAY),
  ],
  validatePerformSale: [(v) => connpay.validatePerformSale(v, TODAY), (v) => connpay.validatePerformSale({ sourceOfFunds: { card: v }, session: v, transaction: v }, v)],
  performSale: [
    (v) => connpay.performSale(v, v, v),
    (v) => connpay.performSale(location.origin, v),
    (v) => connpay.performSale(location.origin, { endpointId: v, invoiceId: v, sourceOfFunds: { card: { number: v } } }),
    (v) => connpay.performSale(location.origin, {}, v),
  ],
  saleStatus: [(v) => connpay.saleStatus(v, v, v, v, v), (v) => connpay.saleStatus(location.origin, v, v, v)],
  waitForFinalState: [(v) => connpay.waitForFinalState(v, v, v, v, v), (v) => connpay.waitForFinalState(location.origin, "1", "2", { accessToken: "a".repeat(32), token: "b" }, { maxWaitMs: v, pollIntervalMs: v, signal: v, onRedirect: v })],
  collectBrowserInfo: [(v) => connpay.collectBrowserInfo(v), (v) => connpay.collectBrowserInfo({ acceptHeader: v, ipAddress: v })],
  validateV2Sale: [(v) => connpay.validateV2Sale(v, TODAY), (v) => connpay.validateV2Sale({ amount: v, browser: v, creditCardNumber: v }, v)],
  buildV2SaleForm: [(v) => connpay.buildV2SaleForm(v, v), (v) => connpay.buildV2SaleForm({}, v)],
  parseV2Response: [(v) => connpay.parseV2Response(v)],
  mountCheckout: [
    (v) => connpay.mountCheckout(v, v),
    (v) => connpay.mountCheckout("#checkout", v),
    (v) => {
      const options = checkoutOptions();
      for (const key of [...Object.keys(options), "locale", "messages", "selectors", "timeoutMs", "pollIntervalMs", "maxWaitMs", "onChange", "onBrand", "onSubmit", "onSuccess", "onError", "onRedirect"]) {
        try {
          connpay.mountCheckout(document.createElement("form"), { ...options, [key]: v })?.unmount();
        } catch (error) {
          if (!(error instanceof Error) || typeof error.code !== "string") throw new Error(`option ${key}: ${error}`);
        }
      }
    },
  ],
  Gateway: [(v) => new connpay.Gateway(v).baseUrl],
  SaleSession: [
    (v) => new connpay.SaleSession(v).inFlight,
    (v) => new connpay.SaleSession(location.origin).performSale(v, v),
    (v) => new connpay.SaleSession(location.origin).allowNewAttempt(v),
    (v) => new connpay.SaleSession(location.origin).waitForFinalState(v),
  ],
  // The machine mountCheckout hands its page shell (an export, not for pages): hostile options,
  // events of every kind with hostile parts, and hostile arguments.
  CheckoutMachine: [
    (v) => new connpay.CheckoutMachine(v),
    (v) => new connpay.CheckoutMachine(checkoutOptions()).handle(v),
    (v) => {
      const machine = new connpay.CheckoutMachine(checkoutOptions());
      const kinds = ["start", "ready", "input", "focus", "blur", "submit", "session", "sessionFailed", "answer", "noAnswer", "timer", "closed", "reopen", "update", "settle", "unmount", v];
      for (const type of kinds) {
        try {
          machine.handle({ type, field: v, values: v, caret: v, inputType: v, focused: v, toSubmit: v, ask: v, answer: v, cause: v, request: v, kind: v, status: v, body: v, reason: v, timer: v, blocked: v, options: v, invoiceId: v, fate: v });
        } catch (error) {
          if (!(error instanceof Error) || typeof error.code !== "string") throw new Error(`event ${String(type)}: ${error}`);
        }
      }
    },
    (v) => {
      const machine = new connpay.CheckoutMachine(checkoutOptions());
      machine.inherit(v);
      machine.refusal(v, v);
      return [machine.layout, machine.callbacks, machine.carries, machine.id];
    },
  ],
  // The handle mountCheckout returns (not an export): every method, with hostile arguments.
  Checkout: [
    (v) => {
      const checkout = connpay.mountCheckout(cardForm(), checkoutOptions());
      try {
        checkout.allowNewAttempt(v);
      } finally {
        try {
          checkout.confirmApproval(v);
        } finally {
          checkout.unmount(v);
        }
      }
    },
    (v) => {
      const checkout = connpay.mountCheckout(cardForm(), checkoutOptions());
      checkout.free(v);
      checkout.unmount(v);
      checkout[Symbol.dispose]?.(v);
    },
  ],
};

/** Not callable exports: the loader. */
const LOADERS = new Set(["default", "initSync"]);

/** Why an outcome is a failure, or null. */
function problem(error) {
  if (error instanceof WebAssembly.RuntimeError) return `RuntimeError: ${error.message}`;
  if (!(error instanceof Error)) return `threw a non-Error: ${typeof error}`;
  if (typeof error.code !== "string" || !error.code) return `Error without a code: ${error.message}`;
  return null;
}

/** Runs every call with every value; resolves to { failures, uncovered, calls, after }. */
export async function run() {
  const uncovered = Object.keys(connpay).filter((name) => !LOADERS.has(name) && !(name in CALLS));
  const failures = [];
  let calls = 0;
  for (const [name, ways] of Object.entries(CALLS)) {
    for (const [way, call] of ways.entries()) {
      for (const [label, make] of Object.entries(VALUES)) {
        calls += 1;
        try {
          const result = call(make());
          // A promise must settle the same way, and soon: resolved, or rejected with a coded
          // Error. Every hostile call is refused before any request, or ends on the sandbox's
          // refusal, so none has a reason to stay pending.
          if (result instanceof Promise) {
            const pending = Symbol("pending");
            const settled = await Promise.race([result, new Promise((resolve) => setTimeout(resolve, 2_000, pending))]);
            if (settled === pending) failures.push(`${name}#${way}(${label}): still pending after 2 s`);
          }
        } catch (error) {
          const why = problem(error);
          if (why) failures.push(`${name}#${way}(${label}): ${why}`);
        }
      }
    }
  }
  const after = {
    number: connpay.validateCardNumber("4111 1111 1111 1111"),
    validators: validators.validateCard({ number: "4111 1111 1111 1111", expiry: "12/27", cvv: "123", holder: "JOHN SMITH" }, TODAY).valid,
    formatted: connpay.formatCardNumber("4111111111111111"),
    javascriptEnabled: connpay.collectBrowserInfo().javascriptEnabled,
    gateway: new connpay.Gateway("sandbox").baseUrl,
  };
  return { failures, uncovered, calls, after };
}

await Promise.all([init(), initGateway(), initV2(), initValidators()]);
window.runHostileSuite = run;
window.runUnjsonCases = () => runUnjson(connpay);
document.body.dataset.ready = "true";
