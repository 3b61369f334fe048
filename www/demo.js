// The demo shop's checkout: connpay-checkout's mountCheckout on the page's own card form, paying
// against the local sandbox, which plays both the gateway and the shop's server.
//
// `?locale=ru` shows the page in Russian; `?timeoutMs=…` shortens the gateway timeout (tests).
import init, { mountCheckout } from "/pkg/connpay_checkout.js";

const params = new URLSearchParams(location.search);
const locale = params.get("locale") === "ru" ? "ru" : "en";
const timeoutMs = Number(params.get("timeoutMs")) || 30_000;

/** The page's own words; the checkout's messages come from the module in the same locale. */
const TEXTS = {
  ru: {
    summary: "Ваш заказ", item: "Эфиопия Иргачеффе, 250 г", shipping: "Доставка", total: "Итого",
    payer: "Плательщик", title: "Оплата картой", number: "Номер карты", expiry: "Срок действия",
    cvv: "Код безопасности", holder: "Имя на карте", pay: "Оплатить", cards: "Тестовые карты песочницы",
  },
};

function translatePage() {
  document.documentElement.lang = locale;
  for (const element of document.querySelectorAll("[data-text]")) {
    const text = TEXTS[locale]?.[element.dataset.text];
    if (text) element.textContent = text;
  }
  for (const link of document.querySelectorAll("[data-locale]")) {
    if (link.dataset.locale === locale) link.setAttribute("aria-current", "true");
  }
}

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
async function getSession({ amountCentis, currency, consumer }) {
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

translatePage();
await init();
const form = document.getElementById("checkout");
mountCheckout(form, {
  gateway: location.origin,
  amountCentis: 1042,
  currency: "EUR",
  consumer: { email: "payer@example.com" },
  getSession,
  locale,
  timeoutMs,
  pollIntervalMs: 500,
  onSubmit: () => { delete form.dataset.outcome; },
  onSuccess: () => { form.dataset.outcome = "approved"; },
  onError: (error) => { form.dataset.outcome = error.code; },
});
form.dataset.ready = "true";
