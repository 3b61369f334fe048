// A typed use of every export of connpay-checkout-server, with `@ts-expect-error` lines for
// mistakes the types must refuse; compiled by `tsc --noEmit --strict` against the packed package
// (tests/e2e/server-package.test.mjs).
import { Merchant, type InvoiceState, type Order, type OrderStatusName, type StatusOutcome, type StatusRequest } from "connpay-checkout-server";

const merchant = new Merchant({ controlKey: "B17F59B4-A7DC-41B4-8FF9-37D986B43D20", endpointId: "1111", login: "shop", challengeLifetimeMs: 600_000 });
const endpoint: string | undefined = merchant.endpointId;
const token: string = merchant.accessToken();

let order: Order = merchant.newOrder({ orderId: "A-1", amountCentis: 1042, currency: "EUR" });
const initiated = merchant.initiateSale(
  order,
  { consumer: { device: { serialNumber: "SN1" } }, transaction: { amountCentis: 1042, currency: "EUR" }, session: { accessToken: token } },
  { accessTokenIssued: true, now: Date.now() },
);
if (initiated.order) order = initiated.order;
const status: number = initiated.status;
// The answer's parts are typed by its status: a new invoice, the order's standing, or a failure.
const said: string[] = [];
if (initiated.status === 200 && initiated.body.status === "open") said.push(initiated.body.session.nonce);
if (initiated.status === 200 && initiated.body.status === "pending") said.push(initiated.body.redirectUrl ?? "");
if (initiated.status !== 200) said.push(initiated.body.error.cause);
// A request's parsed body goes in as it came: the call checks it (a 400 reply), not the types.
const parsed: unknown = JSON.parse('{"consumer":{}}');
said.push(String(merchant.initiateSale(order, parsed, { accessTokenIssued: false }).status));
said.push(String(merchant.checkSale(order, "INV1", parsed).status));

const checked = merchant.checkSale(order, "INV1", {
  consumer: { device: { serialNumber: "SN1" } },
  session: { accessToken: token, nonce: "n", signature: "s", token: "t" },
});
const withCard = merchant.checkSale(order, "INV1", { consumer: { device: { serialNumber: "SN1" } }, session: { accessToken: token, nonce: "n", signature: "s", token: "t" } }, {
  savedCards: [{ clientCardId: "card-1", serverCardId: "SRV-9" }],
});
const state: InvoiceState | undefined = checked.order?.invoices[0]?.state;
if (withCard.status === 200) said.push(withCard.body.session.checkSignature, withCard.body.sourceOfFunds?.reference.serverCardId ?? "");
const where: OrderStatusName = merchant.orderStatus(order).status;
const amount = merchant.setAmount(order, { amountCentis: 999, currency: "EUR" });
const locked: OrderStatusName = amount.status;

const shipped: unknown[] = [];
const { state: settled }: { order: Order | null; state: InvoiceState } = merchant.settle(order, "INV1");
for (const { invoiceId, request } of merchant.reconcile(order, "sandbox")) {
  const applied = merchant.applyStatus(order, invoiceId, 200, request.body);
  if (applied.state === "APPROVED") shipped.push(invoiceId, settled);
  const outcome: StatusOutcome = merchant.readStatus(200, request.body);
  if (outcome.kind === "accepted" && outcome.state === "APPROVED") shipped.push(outcome.invoiceId);
}

const saleControl: string = merchant.v2SaleControl({ clientOrderId: "A-1", amount: "10.42", currency: "EUR", email: "a@b.co" });
const groupControl: string = merchant.v2SaleControl({ endpointGroupId: "77", clientOrderId: "A-1", amount: "10.42", currency: "EUR", email: "a@b.co" });
const statusControl: string = merchant.v2StatusControl({ clientOrderId: "A-1", orderId: "6768789" });
const v2Request: StatusRequest = merchant.v2StatusRequest({ clientOrderId: "A-1", orderId: "6768789" }, "sandbox");
const v2Read = merchant.readV2Status(200, v2Request.body, { clientOrderId: "A-1", orderId: "6768789", amount: "10.42", currency: "EUR" });
if (v2Read.kind === "status" && v2Read.paid) shipped.push(v2Read.amountCentis);
if (v2Read.kind === "refused") said.push(v2Read.errorMessage ?? "");
const verified: boolean = merchant.verifyV2Callback({ status: "approved", orderid: "1", client_orderid: "A-1", control: "c" });
const signature: string = merchant.sessionSignature({ accessToken: token, serialNumber: "SN1", endpointId: "1111", nonce: "n", invoiceId: "INV1", amountCentis: 1042, currency: "EUR" });
const check: string = merchant.checkSignature({ serialNumber: "SN1", nonce: "n", endpointId: "1111", invoiceId: "INV1", serverCardId: "SRV-9" });

// @ts-expect-error the key is required
new Merchant({ endpointId: "1111" });
// @ts-expect-error the v2 amount is text, as the form sends it, never a float
merchant.v2SaleControl({ clientOrderId: "A-1", amount: 10.42, currency: "EUR", email: "a@b.co" });
// @ts-expect-error an endpoint or an endpoint group, not both
merchant.v2SaleControl({ endpointId: "1111", endpointGroupId: "77", clientOrderId: "A-1", amount: "1", currency: "EUR", email: "a@b.co" });
// @ts-expect-error whether the token was issued is looked up first and passed in, not a callback
merchant.initiateSale(order, { consumer: { device: { serialNumber: "SN1" } }, transaction: { amountCentis: 1042, currency: "EUR" }, session: { accessToken: token } }, { accessTokenIssued: () => true });
// @ts-expect-error saved cards are a list of pairs, not a lookup function
merchant.checkSale(order, "INV1", { consumer: { device: { serialNumber: "SN1" } }, session: { accessToken: token, nonce: "n", signature: "s", token: "t" } }, { savedCards: () => "SRV-9" });
// @ts-expect-error a failed reply has no session: its status says which body it is
said.push(checked.body.session.token);
// @ts-expect-error the v2 amount signed is text in major units, as the form sent it
merchant.readV2Status(200, "", { clientOrderId: "A-1", orderId: "1", amount: 10.42, currency: "EUR" });
// @ts-expect-error amountCentis is a number of minor units
merchant.sessionSignature({ accessToken: token, serialNumber: "SN1", endpointId: "1111", nonce: "n", invoiceId: "INV1", amountCentis: "1042", currency: "EUR" });

export const used = [endpoint, status, said, withCard.status, state, where, locked, saleControl, groupControl, statusControl, verified, signature, check, shipped];
