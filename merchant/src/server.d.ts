/** `new Merchant(options)`. The key is the merchant's control key as issued (`B17F59B4-A7DC-…`). */
export interface MerchantOptions {
  controlKey: string;
  /** The DAPI endpoint: initiate and check sale need it. */
  endpointId?: string;
  /** The /api/v2 login: the status `control` needs it. */
  login?: string;
  /**
   * How long a confirmed sale may stay undecided after check sale (a 3-D Secure challenge the
   * payer left open), as a pending order's `until` tells the payer: 1,800,000 (30 minutes) when
   * left out.
   */
  challengeLifetimeMs?: number;
}

/** Where an invoice stands. */
export type InvoiceState = "INITIATED" | "CONFIRMED" | "APPROVED" | "DECLINED" | "VOIDED";

/** One invoice of an order: an attempt to pay it. */
export interface Invoice {
  invoiceId: string;
  endpointId: string;
  serialNumber: string;
  accessToken: string;
  nonce: string;
  signature: string;
  /** What this invoice was signed for: the order's amount when it was made. */
  amountCentis: number;
  currency: string;
  /**
   * INITIATED: signed, no check sale yet; CONFIRMED: check sale answered, the sale may still be
   * approved; APPROVED, DECLINED: the gateway's final status; VOIDED: voided before any check
   * sale, never charged.
   */
  state: InvoiceState;
  /** From CONFIRMED on: the sale's session token, which asking its status needs. */
  saleToken?: string;
  /** After a sale by card reference: the stored card's server id. */
  serverCardId?: string;
  /** From CONFIRMED on: when check sale confirmed it (`now`, milliseconds since 1970). */
  confirmedAt?: number;
  /** The issuer's 3-D Secure page, once a status said REDIRECT_REQUEST. */
  redirectUrl?: string;
  /** The gateway answered a status of this sale: it holds it, and a later not found never frees the order. */
  saleHeld?: true;
}

/**
 * The shop's order, the unit paid at most once: store it whole (one row, JSON), and write back
 * what a call returns in the transaction you read it in (`version` grows by one at each change:
 * `UPDATE … WHERE version = :old`).
 */
export interface Order {
  orderId: string;
  amountCentis: number;
  currency: string;
  version: number;
  /** Oldest first. */
  invoices: Invoice[];
}

/** `newOrder`'s argument. */
export interface NewOrder {
  orderId: string;
  amountCentis: number;
  currency: string;
}

/** paid: an invoice approved; pending: a confirmed sale not final yet; open: neither. */
export type OrderStatusName = "open" | "paid" | "pending";

/**
 * Where an order stands, as initiate sale answers a paid or pending order: the browser's
 * `getSession` may resolve to it as it is (connpay-checkout's `CheckoutAnswer`).
 */
export type OrderStatusAnswer =
  | { status: "open"; orderId: string; invoiceId: null }
  | { status: "paid"; orderId: string; invoiceId: string }
  | {
      status: "pending";
      orderId: string;
      invoiceId: string;
      /** Until when (milliseconds since 1970) the sale may stay undecided. */
      until?: number;
      /** The issuer's page, to open again. */
      redirectUrl?: string;
    };

/** `initiateSale`'s third argument: what the library cannot know, looked up first. */
export interface InitiateSaleOptions {
  /** Whether this server issued the body's `session.accessToken` (to the payer of this order). */
  accessTokenIssued: boolean;
  /** Milliseconds since 1970; `Date.now()` when left out. */
  now?: number;
}

/**
 * What to answer: send `status` with `JSON.stringify(body)` as `application/json`. `200` carries
 * the call's own answer (`Ok`); every other status the gateway's fail answer.
 */
export type Reply<Ok = InitiateSaleAnswer | CheckSaleAnswer> =
  | { status: 200; body: Ok }
  | { status: 400 | 403 | 404 | 500 | 503; body: FailAnswer };

/** The gateway's fail answer: `error.code` is the HTTP status, as text. */
export interface FailAnswer {
  error: GatewayError;
  /** The invoice the request named, when it named one. */
  invoiceId?: string;
}

/**
 * `initiateSale`'s answer: a new invoice for perform sale (`status: "open"`), or, when the order
 * is paid or a sale of it may still be approved, where it stands instead (nothing was made).
 */
export type InitiateSaleAnswer =
  | { status: "open"; endpointId: string; invoiceId: string; session: { nonce: string; signature: string } }
  | Exclude<OrderStatusAnswer, { status: "open" }>;

/** `checkSale`'s answer, which lets the gateway charge: `checkSignature` signs it. */
export interface CheckSaleAnswer {
  invoiceId: string;
  session: { checkSignature: string; nonce: string; token: string };
  /** A sale by card reference: the stored card's server id. */
  sourceOfFunds?: { reference: { serverCardId: string } };
  transaction?: { currency: string };
}

/** The body of initiate sale, as the page sends it. */
export interface InitiateSaleRequest {
  consumer: { device: { serialNumber: string; imei?: string }; ipAddresses?: string[] };
  transaction: { amountCentis: number; currency: string };
  session: { accessToken: string };
  location?: { lat?: number; lng?: number };
}

/** The body of check sale, as the gateway sends it. */
export interface CheckSaleRequest {
  consumer: { device: { serialNumber: string } };
  session: { accessToken: string; nonce: string; signature: string; token: string };
  sourceOfFunds?: { reference?: { clientCardId: string } };
}

/** `checkSale`'s fourth argument. */
export interface CheckSaleOptions {
  /**
   * The stored cards of this order's payer (for a sale by card reference): the gateway's
   * `clientCardId` must be one of them, and its `serverCardId` is signed into the answer.
   */
  savedCards?: { clientCardId: string; serverCardId: string }[];
  /** Milliseconds since 1970; `Date.now()` when left out. */
  now?: number;
}

/** The gateway's error object. */
export interface GatewayError {
  cause: string;
  code: string | null;
  message: string | null;
}

/** A sale-status request, for `fetch(url, { method, headers, body })`. */
export interface StatusRequest {
  method: "POST";
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** Where a sale is. */
export type SaleState = "PROCESSING" | "REDIRECT_REQUEST" | "APPROVED" | "DECLINED";

/** The gateway's answer to a status request. Ship on `accepted`, `APPROVED`, this invoice only. */
export type StatusOutcome =
  | {
      kind: "accepted";
      invoiceId: string;
      session: { token: string };
      state: SaleState;
      redirectUrl: string | null;
      bankOrderId: string | null;
      orderId: string | null;
      transaction: { amountCentis?: number; commissionCentis?: number } | null;
    }
  | { kind: "rejected"; error: GatewayError; invoiceId?: string }
  | { kind: "serverError"; status: number; error: GatewayError | null };

/** The signed parts of an /api/v2/sale; `amount` in major units as the form sends it ("10.42"). */
export type V2SaleControlRequest = {
  clientOrderId: string;
  amount: string;
  currency: string;
  email: string;
} & ({ endpointId?: string; endpointGroupId?: undefined } | { endpointGroupId: string; endpointId?: undefined });

/** The signed parts of an /api/v2/status. */
export interface V2StatusControlRequest {
  /** The merchant's own login when left out. */
  login?: string;
  clientOrderId: string;
  orderId: string;
}

/** `v2StatusRequest`'s fields: the status control's, and the endpoint the URL names. */
export interface V2StatusRequestFields extends V2StatusControlRequest {
  /** The merchant's own `endpointId` when left out. */
  endpointId?: string;
}

/** A v2 sale as the merchant signed it: what `readV2Status` reads the answer against. */
export interface V2SaleSigned {
  clientOrderId: string;
  /** The gateway's `orderid` (the sale answer's `paynet-order-id`). */
  orderId: string;
  /** In major units, as the form sent it: `"10.42"`; at most the currency's decimals (else `argument.invalid`). */
  amount: string;
  /** ISO 4217 with minor units, upper case. */
  currency: string;
}

/** A /api/v2 sale's status: the first four are final. */
export type V2Status = "approved" | "declined" | "filtered" | "error" | "processing" | "unknown";

/**
 * What /api/v2/status answered about one sale. Ship only on `paid`: `approved`, naming the
 * sale's `clientOrderId`, for the amount and currency signed (the sale's `control` does not bind the currency; this answer is the one place
 * the gateway says what it charged). `approved` without `paid` is not this sale's payment: never
 * ship it; a person looks into it. `unusable`: no answer about this sale (another HTTP status, a
 * proxy's page, another order's answer, or one that says a part twice, differently): ask again
 * later.
 */
export type V2StatusRead =
  | {
      kind: "status";
      status: V2Status;
      final: boolean;
      paid: boolean;
      /** What the answer says was charged, in minor units (null when it states none). */
      amountCentis: number | null;
      currency: string | null;
      /** 3-D Secure waits for the payer there. */
      redirectUrl: string | null;
      /** A 3-D Secure page to show the payer, when the answer gives one instead of a URL. */
      html: string | null;
    }
  | { kind: "refused"; errorMessage: string | null; errorCode: string | null }
  | { kind: "unusable" };

/** The gateway's callback or the payer's return, as posted: `Object.fromEntries(new URLSearchParams(body))`. */
export interface V2CallbackParams {
  status?: string;
  orderid?: string;
  client_orderid?: string;
  merchant_order?: string;
  control?: string;
  [parameter: string]: unknown;
}

/** What `session.signature` of initiate sale signs. */
export interface SessionSignatureFields {
  accessToken: string;
  serialNumber: string;
  endpointId: string;
  nonce: string;
  invoiceId: string;
  amountCentis: number;
  currency: string;
}

/** What `session.checkSignature` of check sale signs. */
export interface CheckSignatureFields {
  serialNumber: string;
  nonce: string;
  endpointId: string;
  invoiceId: string;
  serverCardId?: string;
}

/** One problem of an argument. */
export interface FieldError {
  path: string;
  code: string;
  message: string;
}

/** What the package throws: an `Error` named "ConnPayError" with a stable code; never the key. */
export interface ConnPayError extends Error {
  name: "ConnPayError";
  /** "argument.invalid" (a malformed argument, e.g. the key), "request.invalid" (v2SaleControl). */
  code: string;
  path?: string;
  errors?: FieldError[];
}
