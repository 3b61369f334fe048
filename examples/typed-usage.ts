// A typed use of every export of connpay-checkout's entry points, as a merchant's TypeScript would write it.
// `npm test` compiles it with `tsc --noEmit --strict` inside a scratch project that installed the
// packed tarball (tests/e2e/consumer.test.mjs), so the package's `exports` and `types` are what
// resolves "connpay-checkout". Each `@ts-expect-error` proves a mistake is refused: were a type
// loosened to `any`, the directive would be unused and the compilation would fail.
import init, {
  Gateway,
  mountCheckout,
  type Checkout,
  type CheckoutField,
  type CheckoutNext,
  type LocaleTable,
  type BrandId,
  type BrandInfo,
  type CardResult,
  type CheckoutAnswer,
  type CheckoutOptions,
  type CheckoutSession,
  type CheckoutState,
  type CheckoutSuccess,
  type ConnPayError,
  type ConnPayErrorCode,
  type PerformSale,
  type SaleOutcome,
  type SaleStatus,
  type FinalSaleStatus,
  type SessionRequest,
  type ValidationErrorCode,
} from "connpay-checkout";
import initGateway, {
  collectBrowserInfo,
  performSale,
  SaleSession,
  saleStatus,
  validatePerformSale,
  waitForFinalState,
} from "connpay-checkout/gateway";
import initV2, { buildV2SaleForm, parseV2Response, validateV2Sale, type V2Response, type V2SaleRequest } from "connpay-checkout/v2";
import initValidate, {
  detectBrand,
  formatCardNumber,
  validateCard,
  validateCardNumber,
  validateCvv,
  validateExpiry,
  validateHolder,
  type CardNumberResult,
} from "connpay-checkout/validate";
// The gateway's entry point carries the same validators, reading the values in its own .wasm.
import { validateCardNumber as validateWithGateway } from "connpay-checkout/gateway";
import german from "connpay-checkout/locales/de";
import type { OrderStatusAnswer } from "connpay-checkout-server";

await init();
await initGateway();
await initV2();
await initValidate();
const alone: CardNumberResult = validateWithGateway("4111 1111 1111 1111");

// Validators: results, never exceptions.
const number = validateCardNumber("4111 1111 1111 1111");
const brand: BrandId | null = number.brand;
const numberCode: ValidationErrorCode | undefined = number.code;
const info: BrandInfo | null = detectBrand("37");
const cvvLength: number | undefined = info?.cvvLength;
const formatted: string = formatCardNumber("378282246310005");
const expiry = validateExpiry("12/30", { year: 2026, month: 11 });
const expiryYear: number | null = expiry.year;
const cvvOk: boolean = validateCvv("1234", "amex").valid;
const holderErrors = validateHolder({ firstName: "John", lastName: "Smith" }).errors;
const card: CardResult = validateCard({ number: "4111111111111111", expiry: "12/30", cvv: "123", holder: "JOHN SMITH" }, new Date());
// @ts-expect-error: a brand id is one of the table's ids
validateCvv("123", "visa-electron");
// @ts-expect-error: a holder is given as first and last name, or as a printed name, not half of one
validateHolder({ firstName: "John" });

// The gateway calls: the outcome is a discriminated union.
const gateway = new Gateway("sandbox");
const base: string = gateway.baseUrl;
const sale: PerformSale = {
  endpointId: "1111",
  invoiceId: "INV-1",
  consumer: { device: { serialNumber: "device-1" }, email: "payer@example.com" },
  session: { accessToken: "a".repeat(64), nonce: "n".repeat(32), signature: "s".repeat(40) },
  sourceOfFunds: { card: { number: "4111111111111111", securityCode: "123", expiry: { month: 12, year: 2030 }, holder: { firstName: "John", lastName: "Smith" } } },
  transaction: { amountCentis: 1042, currency: "EUR" },
};
const check = validatePerformSale(sale, { year: 2026, month: 11 });
const paths: string[] = check.errors.map((error) => error.path);

async function pay(): Promise<SaleStatus | null> {
  const session = new SaleSession(gateway);
  const outcome: SaleOutcome = await session.performSale(sale, { timeoutMs: 30_000 });
  switch (outcome.kind) {
    case "accepted": {
      const tokens = { accessToken: sale.session.accessToken, token: outcome.sessionToken };
      const once = await saleStatus(gateway, sale.endpointId, outcome.invoiceId, tokens);
      if (once.kind === "accepted" && once.state === "APPROVED") return once;
      if (once.kind === "accepted") {
        const followed: FinalSaleStatus = await session.waitForFinalState({ pollIntervalMs: 3000 });
        const ended: "APPROVED" | "DECLINED" = followed.state;
        console.info(ended);
        return followed;
      }
      return waitForFinalState(gateway, sale.endpointId, outcome.invoiceId, tokens, {
        pollIntervalMs: 3000,
        onRedirect: (url: string) => console.info(url.length),
      });
    }
    case "rejected":
      return outcome.error.cause === "DECLINED" ? null : null;
    case "serverError":
      return outcome.status >= 500 ? null : null;
    case "outcomeUnknown": {
      const reason: "network" | "timeout" | "aborted" = outcome.reason;
      return reason === "timeout" ? null : null;
    }
  }
}
// @ts-expect-error: performSale's request needs the session tokens
void performSale(gateway, { endpointId: "1111", invoiceId: "INV-1" });

// The shop's server package answers where the order stands (`orderStatus`, initiate sale's paid
// or pending): `getSession` hands it over as it is, without a cast.
const whereItStands = (answer: OrderStatusAnswer): CheckoutAnswer => answer;

// The drop-in checkout: every callback's argument is typed.
const options: CheckoutOptions = {
  gateway: "sandbox",
  amountCentis: 1042,
  currency: "EUR",
  consumer: { email: "payer@example.com" },
  locale: "ru",
  messages: { "sale.declined": "Your bank said no.", approved: "Paid." },
  getSession: async (request: SessionRequest): Promise<CheckoutSession> => {
    const response = await fetch("/checkout/session", { method: "POST", body: JSON.stringify(request) });
    return (await response.json()) as CheckoutSession;
  },
  onChange: (state: CheckoutState) => void state.number.potentiallyValid,
  onBrand: (brand: BrandInfo | null) => void brand?.name,
  onSuccess: (result: CheckoutSuccess) => void result.last4,
  onError: (error: ConnPayError) => {
    const code: ConnPayErrorCode = error.code;
    if (code === "checkout.invalid") void error.errors?.length;
    const next: CheckoutNext | undefined = error.next;
    if (next === "merchant" && error.invoiceId) checkout.allowNewAttempt(error.invoiceId);
    if (next === "wait" && error.invoiceId) checkout.confirmApproval(error.invoiceId);
  },
};
const checkout: Checkout = mountCheckout("#checkout", options);
checkout.unmount();
checkout[Symbol.dispose]();
// @ts-expect-error: the invoice id is a string
checkout.allowNewAttempt(42);
// @ts-expect-error: "next" is one of three words
const wrongNext: CheckoutNext = "later";
// @ts-expect-error: a message key is a code or a notice
mountCheckout("#checkout", { ...options, messages: { "sale.no_such_code": "?" } });

// A saved card, update() without remounting, states' callbacks, languages as imported tables.
const saved = mountCheckout("#saved", {
  ...options,
  savedCard: { clientCardId: "sandbox-visa-1111", brand: "visa", last4: "1111" },
  locale: german,
  onReady: () => undefined,
  onFocus: (field: CheckoutField) => void field.length,
  onBlur: (field) => void (field === "cvv"),
});
saved.update({ amountCentis: 2500, locale: "de-AT", locales: [german] });
const table: LocaleTable = german;
void table.name;
// @ts-expect-error: update() changes the order and the words, not the gateway
saved.update({ gateway: "production" });
// @ts-expect-error: a saved card's brand is a brand id
mountCheckout("#saved", { ...options, savedCard: { clientCardId: "c", brand: "VISA CARD", last4: "1111" } });

// 3-D Secure browser data and /api/v2/sale.
const browser = collectBrowserInfo({ acceptHeader: "text/html", ipAddress: "203.0.113.7" });
const depth: number = browser.colorDepth;
const v2: V2SaleRequest = {
  endpointId: "1111", clientOrderId: "902B4FF5", orderDesc: "Order 902B4FF5", amount: "10.42", currency: "USD",
  firstName: "John", lastName: "Smith", email: "john.smith@example.com", phone: "+12063582043",
  address1: "100 Main st", city: "Seattle", state: "WA", zipCode: "98102", country: "US",
  creditCardNumber: "4538977399606732", cardPrintedName: "JOHN SMITH", expireMonth: "01", expireYear: "2042", cvv2: "123",
  redirectUrl: "https://shop.example/return", browser,
};
const v2Valid: boolean = validateV2Sale(v2).valid;
const form = buildV2SaleForm(v2, "0".repeat(40));
const body: string = form.body;
const answer: V2Response = parseV2Response("type=async-response&paynet-order-id=1");
const answerType: string = answer.type;

export const used = [alone, whereItStands, wrongNext, brand, numberCode, cvvLength, formatted, expiryYear, cvvOk, holderErrors, card, base, paths, pay, depth, v2Valid, body, answerType];
