// A typed use of every export of connpay-checkout-server, with `@ts-expect-error` lines for
// mistakes the types must refuse; compiled by `tsc --noEmit --strict` against the packed package
// (tests/e2e/server-package.test.mjs).
import { Merchant, type Invoice, type StatusOutcome } from "connpay-checkout-server";

const merchant = new Merchant({ controlKey: "B17F59B4-A7DC-41B4-8FF9-37D986B43D20", endpointId: "1111", login: "shop" });
const endpoint: string | undefined = merchant.endpointId;
const token: string = merchant.accessToken();

const initiated = merchant.initiateSale(
  { consumer: { device: { serialNumber: "SN1" } }, transaction: { amountCentis: 1042, currency: "EUR" }, session: { accessToken: token } },
  (accessToken) => accessToken === token,
);
const stored: Invoice | null = initiated.invoice;
const status: number = initiated.status;

const checked = merchant.checkSale(
  "INV1",
  { consumer: { device: { serialNumber: "SN1" } }, session: { accessToken: token, nonce: "n", signature: "s", token: "t" } },
  stored ?? null,
);
const withCard = merchant.checkSale("INV1", { consumer: { device: { serialNumber: "SN1" } }, session: { accessToken: token, nonce: "n", signature: "s", token: "t" } }, null, {
  serverCardId: (clientCardId) => (clientCardId === "card-1" ? "SRV-9" : null),
});
const state: "INITIATED" | "CONFIRMED" | "VOIDED" | undefined = checked.invoice?.state;

const shipped: unknown[] = [];
if (checked.invoice) {
  const { voided }: { voided: boolean } = merchant.settle(checked.invoice);
  const request = merchant.statusRequest(checked.invoice, "sandbox");
  if (request) {
    const outcome: StatusOutcome = merchant.readStatus(200, request.body);
    if (outcome.kind === "accepted" && outcome.state === "APPROVED") shipped.push(outcome.invoiceId, voided);
  }
}

const saleControl: string = merchant.v2SaleControl({ clientOrderId: "A-1", amount: "10.42", currency: "EUR", email: "a@b.co" });
const groupControl: string = merchant.v2SaleControl({ endpointGroupId: "77", clientOrderId: "A-1", amount: "10.42", currency: "EUR", email: "a@b.co" });
const statusControl: string = merchant.v2StatusControl({ clientOrderId: "A-1", orderId: "6768789" });
const verified: boolean = merchant.verifyV2Callback({ status: "approved", orderid: "1", client_orderid: "A-1", control: "c" });
const signature: string = merchant.sessionSignature({ accessToken: token, serialNumber: "SN1", endpointId: "1111", nonce: "n", invoiceId: "INV1", amountCentis: 1042, currency: "EUR" });
const check: string = merchant.checkSignature({ serialNumber: "SN1", nonce: "n", endpointId: "1111", invoiceId: "INV1", serverCardId: "SRV-9" });

// @ts-expect-error the key is required
new Merchant({ endpointId: "1111" });
// @ts-expect-error the v2 amount is text, as the form sends it, never a float
merchant.v2SaleControl({ clientOrderId: "A-1", amount: 10.42, currency: "EUR", email: "a@b.co" });
// @ts-expect-error an endpoint or an endpoint group, not both
merchant.v2SaleControl({ endpointId: "1111", endpointGroupId: "77", clientOrderId: "A-1", amount: "1", currency: "EUR", email: "a@b.co" });
// @ts-expect-error amountCentis is a number of minor units
merchant.sessionSignature({ accessToken: token, serialNumber: "SN1", endpointId: "1111", nonce: "n", invoiceId: "INV1", amountCentis: "1042", currency: "EUR" });

export const used = [endpoint, status, withCard.status, state, saleControl, groupControl, statusControl, verified, signature, check, shipped];
