// The typings of the exports, as the generated .d.ts declares them. (Hostile calls through the
// glue are in hostile.test.mjs.)
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";

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
      "(gateway: Gateway | string, endpointId: string, invoiceId: string, session: StatusTokens, options?: WaitOptions | null): Promise<FinalSaleStatus>",
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
    "PerformSale", "PerformSaleRequest", "SaleOutcome", "SaleStatus", "FinalSaleStatus", "FieldError", "GatewayError", "WaitOptions",
    "BrowserInfo", "BrowserInfoOptions", "V2SaleRequest", "V2SaleForm", "V2Response", "V2ResponseType",
    "CheckoutOptions", "CheckoutState", "CheckoutSuccess", "CheckoutSession", "SessionRequest", "CheckoutSelectors",
    "CheckoutMessageKey", "CheckoutErrorCode",
  ]) {
    assert.match(publicApi, new RegExp(`export (interface|type) ${type}\\b`));
  }
});
