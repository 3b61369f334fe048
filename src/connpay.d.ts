// The TypeScript declarations of every shape the exports take and return, appended by
// wasm-bindgen to the package's connpay_checkout.d.ts (src/types.rs). The request interfaces are
// checked against the core's tables by the native tests of src/types.rs; `npm test` compiles
// this file and the typed usage example with `tsc --strict`.

/** A card brand's stable identifier. */
export type BrandId =
  | "visa" | "mastercard" | "amex" | "diners" | "discover"
  | "jcb" | "unionpay" | "maestro" | "mir";

/** One row of the brand table. */
export interface BrandInfo {
  id: BrandId;
  /** Display name, e.g. "American Express". */
  name: string;
  /** Allowed numbers of digits, ascending. */
  lengths: number[];
  /** Digits in the security code: 4 for American Express, 3 otherwise. */
  cvvLength: number;
  /** Digit counts after which the formatted number has a space. */
  gaps: number[];
}

/** Why a card number is not valid. */
export type CardNumberErrorCode =
  | "card.number.empty" | "card.number.invalid_characters" | "card.number.unknown_brand"
  | "card.number.incomplete" | "card.number.too_long" | "card.number.luhn" | "card.number.type";

/** Why an expiry is not valid. */
export type ExpiryErrorCode =
  | "card.expiry.empty" | "card.expiry.format" | "card.expiry.incomplete" | "card.expiry.month"
  | "card.expiry.past" | "card.expiry.too_far" | "card.expiry.type";

/** Why a security code is not valid. */
export type CvvErrorCode =
  | "card.cvv.empty" | "card.cvv.invalid_characters" | "card.cvv.incomplete"
  | "card.cvv.too_long" | "card.cvv.type";

/** Why a holder's name is not valid. */
export type HolderErrorCode =
  | "card.holder.empty" | "card.holder.too_long" | "card.holder.digits_only"
  | "card.holder.invalid_characters" | "card.holder.ambiguous" | "card.holder.type";

/** Every validation code. */
export type ValidationErrorCode = CardNumberErrorCode | ExpiryErrorCode | CvvErrorCode | HolderErrorCode;

/** What every validator reports. */
export interface FieldResult<Code extends ValidationErrorCode> {
  /** The value is complete and acceptable. */
  valid: boolean;
  /** The value is valid, or may still become valid as the payer keeps typing. */
  potentiallyValid: boolean;
  /** Why the value is not valid; absent when it is. */
  code?: Code;
}

/** The result of `validateCardNumber`. */
export interface CardNumberResult extends FieldResult<CardNumberErrorCode> {
  /** The brand, once the digits name exactly one. */
  brand: BrandId | null;
  /** The digits in the brand's display groups. */
  formatted: string;
}

/**
 * The result of `validateExpiry`. A valid expiry always has its month and year, so
 * `if (result.valid)` narrows both to `number`.
 */
export type ExpiryResult =
  | {
      valid: true;
      potentiallyValid: true;
      code?: undefined;
      /** The month 1–12. */
      month: number;
      /** The four-digit year. */
      year: number;
    }
  | {
      valid: false;
      /** The value may still become valid as the payer keeps typing. */
      potentiallyValid: boolean;
      /** Why the value is not valid. */
      code?: ExpiryErrorCode;
      /** The month 1–12, once complete. */
      month: number | null;
      /** The four-digit year, once complete. */
      year: number | null;
    };

/** The result of `validateCvv`. */
export type CvvResult = FieldResult<CvvErrorCode>;

/** A part of the holder's name. */
export type HolderField = "firstName" | "lastName" | "printedName";

/** A problem in one part of the holder's name. */
export interface HolderFieldError {
  field: HolderField;
  code: HolderErrorCode;
}

/** The result of `validateHolder`; `code` is the first error's. */
export interface HolderResult extends FieldResult<HolderErrorCode> {
  /** Every problem, in field order. */
  errors: HolderFieldError[];
}

/** The holder's name: first and last, or as printed on the card (each 1–50 characters). */
export type HolderInput =
  | { firstName: string; lastName: string; printedName?: never }
  | { printedName: string; firstName?: never; lastName?: never };

/** The card form's fields, as typed. */
export interface CardInput {
  number: string;
  expiry: string;
  cvv: string;
  /** A string is read as the printed name. */
  holder: HolderInput | string;
}

/** The result of `validateCard`. */
export interface CardResult {
  /** Every field is valid. */
  valid: boolean;
  number: CardNumberResult;
  expiry: ExpiryResult;
  cvv: CvvResult;
  holder: HolderResult;
}

/** A calendar month; `month` is 1–12. */
export interface YearMonth {
  year: number;
  month: number;
}

/** Why a request field is not valid (`validatePerformSale`, and `errors` of `request.invalid`). */
export type RequestErrorCode =
  | "request.required" | "request.type" | "request.unknown_field" | "request.length"
  | "request.range" | "request.characters" | "request.currency" | "request.country"
  | "request.date" | "request.email" | "request.ip_address" | "request.imei" | "request.exclusive"
  | "request.amount" | "request.url" | "request.language" | "request.mismatch" | "request.duplicate";

/** Codes of the errors the module throws or rejects with (validators report in results). */
export type ConnPayErrorCode =
  | "request.invalid" | "argument.invalid" | "gateway.invalid_url" | "gateway.insecure" | "checkout.already_mounted"
  | "checkout.sale_in_flight"
  | "sale.in_flight" | "sale.already_accepted" | "sale.outcome_unknown" | "sale.aborted"
  | "status.timeout" | "status.aborted" | "status.rejected" | "response.invalid" | "internal.error"
  | "init.required" | CheckoutErrorCode;

/** Codes only `mountCheckout`'s `onError` receives. */
export type CheckoutErrorCode =
  | "sale.rejected" | "sale.server_error" | "sale.declined"
  | "checkout.invalid" | "checkout.session" | "checkout.unmounted"
  | "checkout.challenge_closed" | "checkout.pending" | "checkout.pending_until";

/**
 * What a checkout allows after `onError`: `"retry"` (nothing was charged; the payer may pay
 * again), `"wait"` (the sale is still being decided; the checkout keeps asking and reports the
 * final state), `"merchant"` (nobody can tell yet whether the payer was charged; no new sale
 * until your code calls `checkout.allowNewAttempt(invoiceId)`).
 */
export type CheckoutNext = "retry" | "wait" | "merchant";

/** What the module throws: an `Error` named "ConnPayError" with a stable code. */
export interface ConnPayError extends Error {
  name: "ConnPayError";
  code: ConnPayErrorCode;
  /** The argument or field at fault, e.g. "today". */
  path?: string;
  /** With `request.invalid` and `checkout.invalid`: every problem. */
  errors?: FieldError[];
  /** With `status.rejected`, `sale.rejected` and `sale.server_error`: the gateway's error. */
  gatewayError?: GatewayError | null;
  /** With `sale.server_error`: the HTTP status. */
  status?: number;
  /** With `sale.outcome_unknown` from `mountCheckout`: why no answer came. */
  reason?: "network" | "timeout" | "aborted";
  /** The invoice whose sale was sent (from `mountCheckout`), or the unsettled one (`SaleSession`). */
  invoiceId?: string;
  /** From `mountCheckout`: what happened, for you; `message` is the payer's text. */
  detail?: string;
  /** From `mountCheckout`: what the checkout allows now. */
  next?: CheckoutNext;
  /** With `checkout.session`: what `getSession` threw or rejected with. */
  cause?: unknown;
  /**
   * With `checkout.challenge_closed` and `checkout.pending_until`: until when (ms since the
   * epoch) the bank may still approve the sale; the payer's message says it as a time of day.
   */
  until?: number;
}

/** `consumer.device`. */
export interface Device {
  /** 1–50 characters. */
  serialNumber: string;
  /** 14–16 digits. */
  imei?: string;
}

/** `consumer`. */
export interface Consumer {
  device: Device;
  /** 3–128 characters. */
  email: string;
  /** `ddMMyyyy`. */
  birthDay?: string;
  /** IPv4 addresses. */
  ipAddresses?: string[];
}

/** `session` of perform sale: each 32–128 characters, from the merchant's server. */
export interface SaleSessionTokens {
  accessToken: string;
  nonce: string;
  signature: string;
}

/** `sourceOfFunds.card.expiry`. */
export interface CardExpiry {
  /** 1–12. */
  month: number;
  /** Four digits. */
  year: number;
}

/** `sourceOfFunds.card`. The number may be formatted; it is sent as bare digits. */
export interface Card {
  number: string;
  securityCode: string;
  expiry: CardExpiry;
  holder: HolderInput;
}

/** `sourceOfFunds.reference`: a card stored earlier. */
export interface CardReference {
  /** 1–128 characters. */
  clientCardId: string;
  securityCode: string;
}

/** `sourceOfFunds`: exactly one of `card` and `reference`. */
export type SourceOfFunds = { card: Card; reference?: never } | { reference: CardReference; card?: never };

/** `transaction`. */
export interface Transaction {
  /** Minor units: 1.00 EUR = 100. */
  amountCentis: number;
  /** ISO 4217, upper case. */
  currency: string;
}

/** `location`. */
export interface GeoLocation {
  /** −90 to 90. */
  lat?: number;
  /** −180 to 180. */
  lng?: number;
}

/** `billing.address`. */
export interface BillingAddress {
  city?: string;
  /** ISO 3166 alpha-3, upper case. */
  country?: string;
  postcodeZip?: string;
  state?: string;
  street?: string;
  street2?: string;
}

/** `billing`. */
export interface Billing {
  address?: BillingAddress;
  phone?: string;
}

/** `order`. */
export interface Order {
  description?: string;
  siteUrl?: string;
  purpose?: string;
}

/** The JSON body of perform sale. */
export interface PerformSaleRequest {
  consumer: Consumer;
  session: SaleSessionTokens;
  sourceOfFunds: SourceOfFunds;
  transaction: Transaction;
  location?: GeoLocation;
  billing?: Billing;
  order?: Order;
}

/** What `performSale` takes: the body, and the two ids from initiate sale for the URL. */
export interface PerformSale extends PerformSaleRequest {
  endpointId: string;
  invoiceId: string;
}

/** One problem of a request. */
export interface FieldError {
  /** E.g. "sourceOfFunds.card.expiry.month", "consumer.ipAddresses[1]", "browser.colorDepth". */
  path: string;
  code: RequestErrorCode | ValidationErrorCode;
  message: string;
}

/** The result of `validatePerformSale` and `validateV2Sale`. */
export interface RequestValidation {
  valid: boolean;
  errors: FieldError[];
}

/** `error.cause` from the gateway; unknown causes come through as they are. */
export type ErrorCause =
  | "INVALID_REQUEST" | "INVALID_CONFIGURATION" | "INTERNAL_ERROR" | "PROCESSING_FAILED"
  | "FILTERED" | "DECLINED" | "SERVER_FAILED" | "SERVER_UNAVAILABLE" | "ORDER_NOT_FOUND"
  | (string & {});

/** The gateway's error object. */
export interface GatewayError {
  cause: ErrorCause;
  code: string | null;
  message: string | null;
}

/** What one gateway call came to: exactly one of four kinds. */
export type Outcome<Success> =
  | ({ kind: "accepted" } & Success)
  /** The gateway's error JSON. */
  | { kind: "rejected"; error: GatewayError; invoiceId?: string }
  /** A 5xx, or an answer that is not the spec's JSON (status 0: a redirect, not followed). */
  | { kind: "serverError"; status: number; error: GatewayError | null }
  /** No answer: never a decline; the sale may have happened. */
  | { kind: "outcomeUnknown"; reason: "network" | "timeout" | "aborted" };

/** An accepted perform sale. */
export interface SaleAccepted {
  invoiceId: string;
  /** For sale status. */
  sessionToken: string;
}

/** The outcome of `performSale`. */
export type SaleOutcome = Outcome<SaleAccepted>;

/** Where a sale is. */
export type SaleState = "PROCESSING" | "REDIRECT_REQUEST" | "APPROVED" | "DECLINED";

/** A sale-status answer. */
export interface SaleStatus {
  invoiceId: string;
  session: { token: string };
  state: SaleState;
  /** With REDIRECT_REQUEST: where the payer completes 3-D Secure. */
  redirectUrl: string | null;
  bankOrderId: string | null;
  orderId: string | null;
  transaction: { amountCentis?: number; commissionCentis?: number } | null;
}

/** What `waitForFinalState` resolves to: the sale's status once it is final. */
export type FinalSaleStatus = SaleStatus & { state: "APPROVED" | "DECLINED" };

/** The outcome of `saleStatus`. */
export type SaleStatusOutcome = Outcome<SaleStatus>;

/** The tokens sale status needs. */
export interface StatusTokens {
  /** The consumer's access token (32–128). */
  accessToken: string;
  /** `sessionToken` of the accepted sale. */
  token: string;
}

/** Options of one gateway request. */
export interface RequestOptions {
  /**
   * Give up waiting after this long (an `outcomeUnknown` with reason "timeout"); default 30000
   * for a sale, 15000 for a status request, at least 1000.
   */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** Options of `waitForFinalState`. */
export interface WaitOptions extends RequestOptions {
  /** Between polls, as mountCheckout's; default 2000, at least 250. */
  pollIntervalMs?: number;
  /** Overall, as mountCheckout's; default 600000. */
  maxWaitMs?: number;
  /** Called once per 3-D Secure URL that is https (or http to localhost); never with another. */
  onRedirect?: (url: string) => void;
}
/** The keys of the checkout's messages: an error code, or one of the notices. */
export type CheckoutMessageKey =
  | ValidationErrorCode | ConnPayErrorCode
  /** Shown when the sale is approved. */
  | "approved"
  /** Shown while the sale is sent and followed. */
  | "processing"
  /** The 3-D Secure window's title. */
  | "authenticating"
  /** The 3-D Secure window's button, which closes it (the sale goes on). */
  | "cancel"
  /** The button that opens the bank's 3-D Secure window again while the sale waits for it. */
  | "reopen"
  /** Said when your code allows a new attempt after an uncertain one. */
  | "allowed"
  /** Said when the gateway refused the sale for a reason that is the shop's or its configuration's
   * (a signature that does not verify, an unknown invoice), not the card's. */
  | "shop_refused"
  /** Said when a sale that waited for the payer at the bank (3-D Secure) is declined: the payment
   * was not confirmed there (cancelled, failed or left to expire), not the card refused. */
  | "not_confirmed"
  /** A card-field error without a message of its own. */
  | "field"
  /** Another failure without a message of its own. */
  | "error";

/** Where `mountCheckout` finds things in the form: CSS selectors, searched inside the form. */
export interface CheckoutSelectors {
  /** Default `[data-connpay="number"]`. */
  number?: string;
  /** Default `[data-connpay="expiry"]`. */
  expiry?: string;
  /** Default `[data-connpay="cvv"]`. */
  cvv?: string;
  /** Default `[data-connpay="holder"]`. */
  holder?: string;
  /** Where the brand's name is shown (optional); default `[data-connpay="brand"]`. */
  brand?: string;
  /** The live region for errors, progress and the outcome; default `[data-connpay="status"]`, else one is added. */
  status?: string;
  /** The button disabled while a sale is in flight; default the form's submit button. */
  submit?: string;
}

/** The payer, as `mountCheckout` takes it: `device.serialNumber` is made up when not given. */
export interface CheckoutConsumer {
  /** 3–128 characters. */
  email: string;
  device?: Device;
  birthDay?: string;
  ipAddresses?: string[];
}

/** What `getSession` is asked for: the merchant's server signs initiate sale with these. */
export interface SessionRequest {
  amountCentis: number;
  currency: string;
  /** With `device.serialNumber` always set: initiate sale must be made with the same one. */
  consumer: CheckoutConsumer & { device: Device };
  /** The card's brand, for routing; no card digits ever. */
  brand: BrandId | null;
  /**
   * "sale": the payer pressed Pay, a session is needed. "status": the checkout only asks where the
   * order stands (when it is mounted, and while a sale of the order may still be approved): answer
   * `{ status: "open" | "paid" | "pending", … }` without signing a new invoice (a new invoice voids
   * the ones no check sale reached, and so another tab's payment in progress).
   */
  purpose: "sale" | "status";
}

/**
 * What `getSession` resolves to: consumer authentication's token and initiate sale's answer
 * (`status` `"open"` or absent), or what the merchant's server says of the order instead.
 */
export interface CheckoutSession {
  endpointId: string;
  invoiceId: string;
  accessToken: string;
  nonce: string;
  signature: string;
}

/**
 * `getSession`'s answer to `purpose: "status"` when the order is open (nothing approved, no sale
 * that may still be): the checkout reads only `status`, so the server package's
 * `orderStatus(order)` (`{ status: "open", orderId, invoiceId: null }`) is handed over as it is.
 * For `purpose: "sale"` an open order needs a `CheckoutSession`.
 */
export interface CheckoutOpen {
  status: "open";
  orderId?: string | null;
  invoiceId?: string | null;
}

/** `getSession`'s answer when the order has an approved invoice: the approval, no new sale. */
export interface CheckoutPaid {
  status: "paid";
  invoiceId: string;
  /** The shop's order, as the server package's answers name it; the checkout does not read it. */
  orderId?: string;
}

/** `getSession`'s answer while a sale of the order may still be approved: nothing new is sent. */
export interface CheckoutPending {
  status: "pending";
  invoiceId: string;
  /** The shop's order, as the server package's answers name it; the checkout does not read it. */
  orderId?: string;
  /** Until when (ms since the epoch) the bank may still approve it. */
  until?: number;
  /** The issuer's 3-D Secure page, offered again to the payer (https, or http to localhost). */
  redirectUrl?: string;
}

/** What `getSession` may resolve to. */
export type CheckoutAnswer = (CheckoutSession & { status?: "open" }) | CheckoutOpen | CheckoutPaid | CheckoutPending;

/** What `onChange` receives whenever it changes: each field's verdict, never the values. */
export interface CheckoutState {
  valid: boolean;
  brand: BrandId | null;
  number: FieldResult<CardNumberErrorCode>;
  expiry: FieldResult<ExpiryErrorCode>;
  cvv: FieldResult<CvvErrorCode>;
  holder: FieldResult<HolderErrorCode>;
}

/** What `onSuccess` receives: the approved sale; the card only by brand and last four digits. */
export interface CheckoutSuccess {
  invoiceId: string;
  state: "APPROVED";
  bankOrderId: string | null;
  orderId: string | null;
  amountCentis: number;
  currency: string;
  /** null, and `last4` empty, when the checkout did not see the card (a paid order). */
  brand: BrandId | null;
  last4: string;
}

/** What `mountCheckout` returns. A method called again does nothing more. */
export interface Checkout {
  /**
   * Removes every listener and everything the checkout added; the form keeps its values. A sale
   * on its way or being followed is reported to `onError` as `checkout.unmounted` with its
   * `invoiceId`. Call it in a React effect's cleanup.
   */
  unmount(): void;
  /** The same as `unmount()`. */
  free(): void;
  /** The same as `unmount()`: `using checkout = mountCheckout(…)`. */
  [Symbol.dispose](): void;
  /**
   * After `onError` with `next` `"merchant"` or `"wait"`: your server found `invoiceId` VOIDED
   * or DECLINED (never call it while it is processing), so the payer may pay again. Throws
   * `argument.invalid` for every other invoice.
   */
  allowNewAttempt(invoiceId: string): void;
  /**
   * After `onError` with `next` `"merchant"` or `"wait"`: your server found `invoiceId`
   * APPROVED. The payer reads the approval, `onSuccess` is called (with `bankOrderId` and
   * `orderId` null), and the checkout is finished. Throws
   * `argument.invalid` for every other invoice.
   */
  confirmApproval(invoiceId: string): void;
  /**
   * Changes the order or the words without remounting (a shipping choice, a language switch),
   * checked as `mountCheckout` checks them, all or nothing: a part not given stays; `messages`
   * replaces earlier overrides, `locale` keeps them. Throws `argument.invalid` for a bad value
   * and `checkout.sale_in_flight` while a sale is on its way or being followed.
   */
  update(options: CheckoutUpdate): void;
}

/** The options of `mountCheckout`. */
export interface CheckoutOptions {
  /** Where perform sale and sale status go. */
  gateway: Gateway | string;
  /** Minor units: 1.00 EUR = 100. */
  amountCentis: number;
  /** ISO 4217. */
  currency: string;
  consumer: CheckoutConsumer;
  billing?: Billing;
  order?: Order;
  location?: GeoLocation;
  /**
   * Asks the merchant's server for a signed session for this sale: once when mounted (a paid or
   * pending order shows as such; a session it answers then is not used) and on each submit; and
   * where the order stands (`purpose: "status"`) after the shop refused a sale or a sale's answer
   * was lost, and every `pollIntervalMs` while a sale of the order is pending.
   */
  getSession: (request: SessionRequest) => CheckoutAnswer | Promise<CheckoutAnswer>;
  /**
   * A BCP 47 tag ("de-AT": the table of its language serves it; "en" is built in;
   * another language without a table is English), or a table imported from
   * `connpay-checkout/locales/…`. Default "en".
   */
  locale?: string | LocaleTable;
  /** The tables a tag may name: `[de, fr]` from `connpay-checkout/locales/de`, `…/fr`. */
  locales?: LocaleTable[];
  /** Replaces built-in messages, by key. */
  messages?: Partial<Record<CheckoutMessageKey, string>>;
  /**
   * Pay with a card the payer saved with you: only its security code is asked (its length by
   * the brand), the other inputs may be absent (present ones are hidden), and the sale goes as
   * `sourceOfFunds.reference: { clientCardId, securityCode }`.
   */
  savedCard?: SavedCard;
  selectors?: CheckoutSelectors;
  /** Per gateway request; default 30000. */
  timeoutMs?: number;
  /** Between status polls; default 2000. */
  pollIntervalMs?: number;
  /** For the sale to reach a final state, 3-D Secure included; default 600000. */
  maxWaitMs?: number;
  /**
   * How long after a 3-D Secure challenge opened its issuer may still approve it once the payer
   * closed the window (the payer is told until when); default 1800000.
   */
  challengeLifetimeMs?: number;
  /** Once, just after `mountCheckout` returned: the form is ready to pay. */
  onReady?: () => void;
  /** Once at mount, then whenever the form's state changes. */
  onChange?: (state: CheckoutState) => void;
  /** A card field got the focus (its input also carries `connpay-focused`). */
  onFocus?: (field: CheckoutField) => void;
  /** A card field lost the focus. */
  onBlur?: (field: CheckoutField) => void;
  /** When the number's brand changes (null: none yet). */
  onBrand?: (brand: BrandInfo | null) => void;
  /** When a valid form is submitted, before `getSession`. */
  onSubmit?: () => void;
  /** The sale was approved. */
  onSuccess?: (result: CheckoutSuccess) => void;
  /** The submit ended without approval; `error.message` is the payer's message in `locale`. */
  onError?: (error: ConnPayError) => void;
  /** 3-D Secure: the issuer's page (https, or http to localhost), shown in a window over the checkout. */
  onRedirect?: (url: string) => void;
}

/** What `checkout.update()` may change. */
export type CheckoutUpdate = Partial<
  Pick<CheckoutOptions, "amountCentis" | "currency" | "consumer" | "billing" | "order" | "location" | "locale" | "locales" | "messages">
>;

/** A card the payer saved with the merchant (its id as your server knows it for this payer). */
export interface SavedCard {
  clientCardId: string;
  /** A brand id, as `detectBrand` gives it: "visa", "mastercard", "amex", … */
  brand: BrandId;
  /** The last four digits of its number, shown as "Visa •••• 1111". */
  last4: string;
}

/** A card field's name, as `onFocus` and `onBlur` give it. */
export type CheckoutField = "number" | "expiry" | "cvv" | "holder";

/** A language of the checkout, imported from `connpay-checkout/locales/<language>`. */
export interface LocaleTable {
  /** The language: "de", "fr", … */
  locale: string;
  /** Its own name: "Deutsch". */
  name: string;
  messages: Record<CheckoutMessageKey, string>;
}

/** Options of `collectBrowserInfo`: what only the merchant's server knows. */
export interface BrowserInfoOptions {
  /** The `Accept` header of the page request, as the merchant's server received it. */
  acceptHeader?: string;
  /** The payer's IP address, as the merchant's server saw it. */
  ipAddress?: string;
}

/** The payer's browser data for 3-D Secure (`customer_browser_*` of /api/v2/sale). */
export interface BrowserInfo {
  /** From the merchant's server. */
  ipAddress?: string;
  /** From the merchant's server, at most 2048 characters (cut after a whole media range). */
  acceptHeader?: string;
  /** `true`: the module runs. */
  javascriptEnabled: boolean;
  /** `navigator.language` as a BCP 47 tag of at most 8 characters ("zh-Hant-TW" → "zh-Hant"). */
  acceptLanguage: string;
  /** `navigator.userAgent`, at most 2048 characters. */
  userAgent: string;
  /** One of 1, 4, 8, 15, 16, 24, 32, 48: the nearest at or below `screen.colorDepth` (30 → 24). */
  colorDepth: number;
  /** `navigator.javaEnabled()`; `false` when missing or throwing. */
  javaEnabled: boolean;
  /** `screen.height`, 0–999999. */
  screenHeight: number;
  /** `screen.width`, 0–999999. */
  screenWidth: number;
  /** Minutes, positive west of UTC: New York 300 (240 in summer), Tokyo -540. */
  timeZone: number;
}

/**
 * The /api/v2/sale request: each parameter as text under a camelCase key (the form name in
 * brackets), amounts in major units as the gateway's documentation writes them ("10.42"). Give the card
 * (`creditCardNumber`, `cardPrintedName`, `expireMonth`, `expireYear`, `cvv2`), or
 * `cardRecurringPaymentId` with `cvv2`, or `recurringPaymentId`.
 */
export interface V2SaleRequest {
  /** The endpoint (URL path); or `endpointGroupId`. */
  endpointId?: string;
  /** The endpoint group (URL path `…/sale/group/{id}`). */
  endpointGroupId?: string;
  /** [client_orderid] 1–128. */
  clientOrderId: string;
  /** [order_desc] up to 64k. */
  orderDesc: string;
  /** [amount] major units with a dot (10.42), no more decimals than the currency has; up to 10 characters. */
  amount: string;
  /** [currency] ISO 4217. */
  currency: string;
  /** [address1] up to 50. */
  address1: string;
  /** [city] up to 50. */
  city: string;
  /** [zip_code] up to 10. */
  zipCode: string;
  /** [country] ISO 3166 alpha-2. */
  country: string;
  /** [phone] up to 15. */
  phone: string;
  /** [email] up to 50. */
  email: string;
  /** [ipaddress] IPv4 or IPv6; or give it as `browser.ipAddress`. */
  ipAddress?: string;
  /** [cvv2] 3–4 digits; not needed with `recurringPaymentId`. */
  cvv2?: string;
  /** [credit_card_number] may be formatted; sent as bare digits. */
  creditCardNumber?: string;
  /** [card_recurring_payment_id] up to 20 digits, instead of the card. */
  cardRecurringPaymentId?: string;
  /** [card_printed_name] up to 128. */
  cardPrintedName?: string;
  /** [expire_month] "1"–"12", sent as two digits. */
  expireMonth?: string;
  /** [expire_year] four digits. */
  expireYear?: string;
  /** [first_name] up to 50. */
  firstName: string;
  /** [last_name] up to 50. */
  lastName: string;
  /** [state] 2–3; required for US, CA, AU. */
  state?: string;
  /** [redirect_url] instead of the success/fail pair. */
  redirectUrl?: string;
  /** [redirect_success_url] with `redirectFailUrl`. */
  redirectSuccessUrl?: string;
  /** [redirect_fail_url] with `redirectSuccessUrl`. */
  redirectFailUrl?: string;
  /** [ssn] digits. */
  ssn?: string;
  /** [birthday] yyyyMMdd. */
  birthday?: string;
  /** [cell_phone] up to 15. */
  cellPhone?: string;
  /** [site_url] up to 128. */
  siteUrl?: string;
  /** [purpose] up to 128. */
  purpose?: string;
  /** [server_callback_url] up to 1024. */
  serverCallbackUrl?: string;
  /** [merchant_data] up to 64k. */
  merchantData?: string;
  /** [dapi_imei] up to 32. */
  dapiImei?: string;
  /** [minimum_transaction_amount] as `amount`. */
  minimumTransactionAmount?: string;
  /** [maximum_transaction_amount] as `amount`. */
  maximumTransactionAmount?: string;
  /** [customer_level] up to 32. */
  customerLevel?: string;
  /** [customer_id] up to 10 digits. */
  customerId?: string;
  /** [merchant_customer_identifier] up to 64. */
  merchantCustomerIdentifier?: string;
  /** [recurring-payment-id] up to 20 digits, instead of the card and its CVV. */
  recurringPaymentId?: string;
  /** [tds_areq_notification_url] up to 256. */
  tdsAreqNotificationUrl?: string;
  /** [tds_authentication_result_type] "SIMPLE" (payment institutions). */
  tdsAuthenticationResultType?: "SIMPLE";
  /** [tds_authentication_result_authentication_type] "01"–"04" or "80"–"99". */
  tdsAuthenticationResultAuthenticationType?: string;
  /** [tds_authentication_result_authentication_value] 19–28. */
  tdsAuthenticationResultAuthenticationValue?: string;
  /** [tds_authentication_result_transaction_id] 19–36. */
  tdsAuthenticationResultTransactionId?: string;
  /** [tds_authentication_result_transaction_status] */
  tdsAuthenticationResultTransactionStatus?: "Y" | "N" | "U" | "A" | "C" | "D" | "R";
  /** [tds_authentication_result_message_version] */
  tdsAuthenticationResultMessageVersion?: "1.0.2" | "2.1.0" | "2.2.0";
  /** The 3-D Secure browser data: `collectBrowserInfo()`'s result. */
  browser?: BrowserInfo;
}

/** What `buildV2SaleForm` returns: post `body` to the gateway's base URL + `path`. */
export interface V2SaleForm {
  /** "/paynet/api/v2/sale/{endpointId}" or "/paynet/api/v2/sale/group/{endpointGroupId}". */
  path: string;
  contentType: "application/x-www-form-urlencoded";
  /** Every value escaped; `control` last. */
  body: string;
  /** The same fields, in order, as [name, value] pairs. */
  fields: [string, string][];
}

/** `type` of a /api/v2 response; unknown types come through as they are. */
export type V2ResponseType = "async-response" | "validation-error" | "error" | (string & {});

/** The gateway's answer to /api/v2/sale, read by `parseV2Response`. */
export interface V2Response {
  type: V2ResponseType;
  /** [paynet-order-id] the gateway's order number. */
  paynetOrderId: string | null;
  /** [merchant-order-id] the merchant's `client_orderid`. */
  merchantOrderId: string | null;
  /** [serial-number] the gateway's id of the request. */
  serialNumber: string | null;
  /** [end-point-id] */
  endPointId: string | null;
  /** [error-message] with "validation-error" and "error". */
  errorMessage: string | null;
  /** [error-code] with "validation-error" and "error". */
  errorCode: string | null;
}
