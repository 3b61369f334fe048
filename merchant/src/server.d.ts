/** `new Merchant(options)`. The key is the merchant's control key as issued (`B17F59B4-A7DC-…`). */
export interface MerchantOptions {
  controlKey: string;
  /** The DAPI endpoint: initiate and check sale need it. */
  endpointId?: string;
  /** The /api/v2 login: the status `control` needs it. */
  login?: string;
}

/** The record a server keeps for each invoice, from initiate sale to the sale's end. */
export interface Invoice {
  invoiceId: string;
  endpointId: string;
  serialNumber: string;
  accessToken: string;
  nonce: string;
  signature: string;
  amountCentis: number;
  currency: string;
  /** INITIATED: signed; CONFIRMED: check sale answered (may be charged); VOIDED: never charged. */
  state: "INITIATED" | "CONFIRMED" | "VOIDED";
  /** With CONFIRMED: the sale's session token, which asking its status needs. */
  saleToken?: string;
  /** With CONFIRMED, after a sale by card reference: the stored card's server id. */
  serverCardId?: string;
}

/** What to answer: send `status` with `JSON.stringify(body)` as `application/json`. */
export interface Reply {
  status: number;
  body: Record<string, unknown>;
}

/** The body of initiate sale, as the page sends it. */
export interface InitiateSaleRequest {
  consumer: { device: { serialNumber: string; imei?: string }; ipAddresses?: string[] };
  transaction: { amountCentis: number; currency: string };
  session: { accessToken: string };
  location?: { lat?: number; lng?: number };
}

/** The body of check sale, as the gateway sends it (spec `004`). */
export interface CheckSaleRequest {
  consumer: { device: { serialNumber: string } };
  session: { accessToken: string; nonce: string; signature: string; token: string };
  sourceOfFunds?: { reference?: { clientCardId: string } };
}

/** `checkSale`'s fourth argument. */
export interface CheckSaleOptions {
  /**
   * The server's id of the stored card with this client id, among the cards of the payer who holds
   * `invoice.accessToken`; null or undefined: none (the sale is refused). Answer at once, not with
   * a promise.
   */
  serverCardId?: (clientCardId: string, invoice: Invoice) => string | null | undefined;
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
