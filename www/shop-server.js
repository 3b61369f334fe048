// The shop's server as its pages call it: here the sandbox's reference merchant server, which
// authenticates the payer and initiates the sale (it signs; it never sees the card), and settles
// an invoice whose outcome the page could not learn. Shared by the demo and the tests' shop pages
// (tests/e2e/consumer/, tests/e2e/hygiene/).

/** The shop's server: POSTs JSON, and fails with the server's own message. */
async function postJson(path, body) {
  const response = await fetch(path, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  const answer = await response.json();
  if (!response.ok) throw new Error(answer?.error?.message ?? `${path} answered ${response.status}`);
  return answer;
}

/**
 * Consumer authentication, then initiate sale for the payer's order: the server signs the sale;
 * no card data. The server holds the order (its id in the HttpOnly cookie `connpay_order`); the
 * sandbox has no catalogue, so its order takes the page's amount while nothing is paid or pending
 * (a real shop's server signs the amount of the order it stored, never the page's). An order
 * already paid, or with a sale that may still be approved, is answered as such and handed to the
 * checkout as it is: it sends nothing new. Asked for the order's status only (`purpose:
 * "status"`), it signs nothing.
 */
export async function getSession({ amountCentis, currency, consumer, purpose }) {
  // Only where the order stands (the checkout mounted, or a sale of the order is followed): no
  // invoice is signed, so none that another tab is paying is voided.
  if (purpose === "status") {
    const response = await fetch("/merchant/order", { headers: { Accept: "application/json" } });
    if (!response.ok) throw new Error(`/merchant/order answered ${response.status}`);
    return response.json();
  }
  const { accessToken } = await postJson("/merchant/auth/access-token", {});
  const initiated = await postJson("/merchant/sale/initiate-sale", {
    consumer: { device: consumer.device },
    transaction: { amountCentis, currency },
    session: { accessToken },
  });
  if (initiated.status === "paid" || initiated.status === "pending") return initiated;
  return {
    endpointId: initiated.endpointId,
    invoiceId: initiated.invoiceId,
    accessToken,
    nonce: initiated.session.nonce,
    signature: initiated.session.signature,
  };
}

/**
 * After `onError` with `next: "merchant"` (the page could not learn whether the payer was
 * charged): the shop's server settles the invoice (it voids an invoice the gateway never asked
 * about, or asks the gateway's status with the token check sale brought), until its fate is
 * known, and tells the checkout. Resolves to that state.
 */
export async function settleUncertain(checkout, invoiceId) {
  for (;;) {
    const { state } = await postJson(`/merchant/sale/${encodeURIComponent(invoiceId)}/settle`, {});
    if (state === "APPROVED") checkout.confirmApproval(invoiceId);
    if (state === "VOIDED" || state === "DECLINED") checkout.allowNewAttempt(invoiceId);
    if (state === "APPROVED" || state === "VOIDED" || state === "DECLINED") return state;
    // Still processing, or waiting for the issuer: ask again.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
  }
}

/**
 * Starts a new order for this payer (the server sets a new `connpay_order` cookie); resolves to
 * its id. The page then reloads, and the checkout asks about the new order.
 */
export async function newOrder() {
  const { orderId } = await postJson("/merchant/order/new", {});
  return orderId;
}

/**
 * The cards the demo payer saved with the shop, as the shop's server would list them for this
 * payer: the sandbox's merchant side keeps the same ids (and the gateway the cards themselves).
 */
export const savedCards = {
  "sandbox-visa-1111": { clientCardId: "sandbox-visa-1111", brand: "visa", last4: "1111" },
  "sandbox-mastercard-4444": { clientCardId: "sandbox-mastercard-4444", brand: "mastercard", last4: "4444" },
};

/**
 * The order every page of the shop pays, and where: the options mountCheckout always gets. The
 * gateway is the one the server that served the page names (`data-connpay-gateway`, as the
 * reference Node server in examples/merchant-node writes it), else this origin (the sandbox
 * plays both); never one taken from the page's own URL, which anyone can send a payer.
 */
export const shopCheckout = {
  gateway: document.documentElement.dataset.connpayGateway ?? location.origin,
  amountCentis: 1042,
  currency: "EUR",
  consumer: { email: "payer@example.com" },
  getSession,
};
