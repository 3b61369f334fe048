// The shop's server, as the page calls it: here the sandbox's reference merchant server (the
// sandbox serves it on the page's own origin), which authenticates the payer and initiates the
// sale. It signs; it never sees the card.

/** POSTs JSON to the shop's server, and fails with the server's own message. */
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
 * mountCheckout's `getSession`: consumer authentication, then initiate sale, for a new invoice at
 * every attempt. The checkout passes the amount it holds, the one `update()` set last.
 *
 * The sandbox's reference server keeps no orders, so the page names the amount here; a real
 * shop's server takes it from the order it stored (shipping included), never from the page.
 */
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

/**
 * After `onError` with `next: "merchant"` (nobody can tell yet whether the payer was charged):
 * the shop's server settles the invoice until its fate is known, and tells the checkout.
 * Resolves to that state.
 */
export async function settleUncertain(checkout, invoiceId) {
  for (;;) {
    const { state } = await postJson(`/merchant/sale/${encodeURIComponent(invoiceId)}/settle`, {});
    if (state === "APPROVED") checkout.confirmApproval(invoiceId);
    if (state === "VOIDED" || state === "DECLINED") checkout.allowNewAttempt(invoiceId);
    if (state === "APPROVED" || state === "VOIDED" || state === "DECLINED") return state;
    await new Promise((resolve) => setTimeout(resolve, 2_000));
  }
}
