// The exports through the real generated JS glue, with hostile values, and the typings.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { openDemo, useDemo } from "./support.mjs";

const demo = useDemo();

test("no export panics or throws a RuntimeError for hostile values, and the module still answers", async () => {
  const { page } = await openDemo(demo.browser, demo.server.url);
  const report = await page.evaluate(async () => {
    const module = await import("/pkg/connpay_checkout.js");
    const hostile = new Proxy({}, { get() { throw new Error("boom"); } });
    const values = [
      "", "4".repeat(100_000), "é€😀".repeat(30_000), "\uD800", "4111\uDC00 1111", "\u0000",
      undefined, null, NaN, 4111111111111111, true, [], ["4111"], {}, hostile, Symbol("s"), 10n,
    ];
    const calls = {
      validateCardNumber: (v) => module.validateCardNumber(v),
      detectBrand: (v) => module.detectBrand(v),
      formatCardNumber: (v) => module.formatCardNumber(v),
      validateExpiry: (v) => module.validateExpiry(v, { year: 2026, month: 11 }),
      validateExpiryToday: (v) => module.validateExpiry("12/27", v),
      validateCvv: (v) => module.validateCvv(v, v),
      validateHolder: (v) => module.validateHolder(v),
      validateCard: (v) => module.validateCard({ number: v, expiry: v, cvv: v, holder: v }, { year: 2026, month: 11 }),
      validateCardWhole: (v) => module.validateCard(v),
      collectBrowserInfo: (v) => module.collectBrowserInfo(v),
      collectBrowserInfoFields: (v) => module.collectBrowserInfo({ acceptHeader: v, ipAddress: v }),
      validateV2Sale: (v) => module.validateV2Sale(v, { year: 2026, month: 11 }),
      validateV2SaleFields: (v) => module.validateV2Sale({ amount: v, browser: v, creditCardNumber: v }),
      buildV2SaleForm: (v) => module.buildV2SaleForm(v, v),
      parseV2Response: (v) => module.parseV2Response(v),
      mountCheckout: (v) => module.mountCheckout(v, v),
      mountCheckoutOptions: (v) => module.mountCheckout("#checkout", {
        gateway: v, amountCentis: v, currency: v, consumer: v, getSession: v, locale: v, messages: v, selectors: v,
      }),
      mountCheckoutEachOption: (v) => {
        const valid = { gateway: location.origin, amountCentis: 100, currency: "EUR", consumer: { email: "a@b.cd" }, getSession() {} };
        for (const key of ["gateway", "amountCentis", "consumer", "getSession", "locale", "messages", "selectors", "timeoutMs", "onChange"]) {
          try {
            module.mountCheckout(document.createElement("form"), { ...valid, [key]: v });
          } catch (error) {
            if (!(error instanceof Error) || typeof error.code !== "string") throw error;
          }
        }
      },
    };
    const failures = [];
    for (const [name, call] of Object.entries(calls)) {
      for (const [index, value] of values.entries()) {
        try {
          call(value);
        } catch (error) {
          // Only a coded Error is an acceptable throw (a malformed `today`).
          if (!(error instanceof Error) || typeof error.code !== "string" || error instanceof WebAssembly.RuntimeError) {
            failures.push(`${name}(values[${index}]): ${error}`);
          }
        }
      }
    }
    const after = module.validateCardNumber("4111 1111 1111 1111");
    const browser = module.collectBrowserInfo();
    return { failures, after, browser };
  });
  assert.deepEqual(report.failures, []);
  assert.equal(report.after.valid, true);
  assert.equal(report.after.brand, "visa");
  assert.equal(report.browser.javascriptEnabled, true);
});

test("the generated .d.ts types every export with named types and no any", async () => {
  const dts = await readFile(new URL("../../pkg/connpay_checkout.d.ts", import.meta.url), "utf8");
  // wasm-bindgen's InitOutput describes the raw wasm exports for its loader; the public API is
  // everything else.
  const publicApi = dts.replace(/export interface InitOutput \{[\s\S]*?\n\}\n/, "");
  assert.doesNotMatch(publicApi, /\bany\b/);
  const expected = {
    validateCardNumber: "(value: string): CardNumberResult",
    detectBrand: "(value: string): BrandInfo | null",
    formatCardNumber: "(value: string): string",
    validateExpiry: "(value: string, today?: YearMonth | Date | null): ExpiryResult",
    validateCvv: "(value: string, brandId?: BrandId | null): CvvResult",
    validateHolder: "(holder: HolderInput | string): HolderResult",
    validateCard: "(card: CardInput, today?: YearMonth | Date | null): CardResult",
    validatePerformSale: "(request: PerformSale, today?: YearMonth | Date | null): RequestValidation",
    performSale: "(gateway: Gateway | string, request: PerformSale, options?: RequestOptions | null): Promise<SaleOutcome>",
    saleStatus:
      "(gateway: Gateway | string, endpointId: string, invoiceId: string, session: StatusTokens, options?: RequestOptions | null): Promise<SaleStatusOutcome>",
    waitForFinalState:
      "(gateway: Gateway | string, endpointId: string, invoiceId: string, session: StatusTokens, options?: WaitOptions | null): Promise<SaleStatus>",
    collectBrowserInfo: "(options?: BrowserInfoOptions | null): BrowserInfo",
    validateV2Sale: "(request: V2SaleRequest, today?: YearMonth | Date | null): RequestValidation",
    buildV2SaleForm: "(request: V2SaleRequest, control: string): V2SaleForm",
    parseV2Response: "(body: string): V2Response",
    mountCheckout: "(form: HTMLFormElement | string, options: CheckoutOptions): Checkout",
  };
  for (const [name, signature] of Object.entries(expected)) {
    assert.ok(publicApi.includes(`export function ${name}${signature};`), `${name}${signature}`);
  }
  for (const type of [
    "BrandInfo", "CardNumberResult", "ExpiryResult", "HolderResult", "CardResult", "ConnPayError",
    "PerformSale", "PerformSaleRequest", "SaleOutcome", "SaleStatus", "FieldError", "GatewayError", "WaitOptions",
    "BrowserInfo", "BrowserInfoOptions", "V2SaleRequest", "V2SaleForm", "V2Response", "V2ResponseType",
    "CheckoutOptions", "CheckoutState", "CheckoutSuccess", "CheckoutSession", "SessionRequest", "CheckoutSelectors",
    "CheckoutMessageKey", "CheckoutErrorCode",
  ]) {
    assert.match(publicApi, new RegExp(`export (interface|type) ${type}\\b`));
  }
});
