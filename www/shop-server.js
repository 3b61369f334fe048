// The shop's server as its pages call it: here the sandbox's reference merchant server, which
// authenticates the payer and initiates the sale (it signs; it never sees the card). Shared by the
// demo and the tests' shop pages (tests/e2e/consumer/, tests/e2e/hygiene/).

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

/** Consumer authentication, then initiate sale: the server signs the sale; no card data. */
export async function getSession({ amountCentis, currency, consumer }) {
  const { accessToken } = await postJson("/merchant/auth/access-token", {});
  const initiated = await postJson("/merchant/sale/initiate-sale", {
    consumer: { device: consumer.device },
    transaction: { amountCentis, currency },
    session: { accessToken },
  });
  return {
    endpointId: initiated.endpointId,
    invoiceId: initiated.invoiceId,
    accessToken,
    nonce: initiated.session.nonce,
    signature: initiated.session.signature,
  };
}

/** The order every page of the shop pays, and where: the options mountCheckout always gets. */
export const shopCheckout = {
  gateway: location.origin,
  amountCentis: 1042,
  currency: "EUR",
  consumer: { email: "payer@example.com" },
  getSession,
};
